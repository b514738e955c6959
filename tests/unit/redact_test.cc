#include "loader/redact.h"

#include <gtest/gtest.h>

#include <string>

namespace loader {
namespace {

bool Contains(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

TEST(RedactConninfo, MasksUrlPassword) {
  const std::string out = RedactConninfo("postgresql://user:s3cret@host:5432/db?sslmode=disable");
  EXPECT_EQ(out, "postgresql://user:****@host:5432/db?sslmode=disable");
  EXPECT_FALSE(Contains(out, "s3cret"));
}

TEST(RedactConninfo, LeavesUrlWithoutPasswordUnchanged) {
  for (const char* url :
       {"postgresql://user@host:5432/db?sslmode=disable", "postgresql://host:26257/defaultdb",
        "postgres://h/db", "postgresql://root@localhost:26257/defaultdb?sslmode=disable"}) {
    EXPECT_EQ(RedactConninfo(url), url);
  }
}

TEST(RedactConninfo, MasksPercentEncodedPassword) {
  const std::string out = RedactConninfo("postgres://u:p%40ss@h/db");
  EXPECT_EQ(out, "postgres://u:****@h/db");
  EXPECT_FALSE(Contains(out, "p%40ss"));
}

TEST(RedactConninfo, MasksPasswordOfUrlWithoutPath) {
  EXPECT_EQ(RedactConninfo("postgresql://u:s3cret@h:26257?sslmode=require"),
            "postgresql://u:****@h:26257?sslmode=require");
  EXPECT_EQ(RedactConninfo("postgresql://u:s3cret@h"), "postgresql://u:****@h");
}

TEST(RedactConninfo, MasksPasswordWithRawAtSign) {
  // The userinfo ends at the last '@' before the path.
  const std::string out = RedactConninfo("postgresql://u:p@ss@h/db");
  EXPECT_EQ(out, "postgresql://u:****@h/db");
}

TEST(RedactConninfo, MasksPasswordInQueryString) {
  const std::string out = RedactConninfo("postgresql://u@h/db?password=s3cret&sslmode=require");
  EXPECT_EQ(out, "postgresql://u@h/db?password=****&sslmode=require");
  EXPECT_FALSE(Contains(out, "s3cret"));

  EXPECT_EQ(RedactConninfo("postgresql://u@h/db?sslmode=require&password=s3cret"),
            "postgresql://u@h/db?sslmode=require&password=****");
}

TEST(RedactConninfo, MasksBothUrlPasswords) {
  const std::string out = RedactConninfo("postgresql://u:first1@h/db?password=second2");
  EXPECT_EQ(out, "postgresql://u:****@h/db?password=****");
  EXPECT_FALSE(Contains(out, "first1"));
  EXPECT_FALSE(Contains(out, "second2"));
}

TEST(RedactConninfo, MasksKeyValuePassword) {
  const std::string out = RedactConninfo("host=h password=s3cret user=u");
  EXPECT_EQ(out, "host=h password=**** user=u");
  EXPECT_FALSE(Contains(out, "s3cret"));

  EXPECT_EQ(RedactConninfo("password=s3cret"), "password=****");
  EXPECT_EQ(RedactConninfo("host=h\tpassword=s3cret"), "host=h\tpassword=****");
}

TEST(RedactConninfo, MasksQuotedKeyValuePasswordWithSpaces) {
  const std::string out = RedactConninfo("host=h password = 's3 cret' user=u");
  EXPECT_EQ(out, "host=h password = **** user=u");
  EXPECT_FALSE(Contains(out, "s3"));
  EXPECT_FALSE(Contains(out, "cret"));

  // An escaped quote does not end the value early.
  const std::string escaped = RedactConninfo("password='it\\'s secret' dbname=d");
  EXPECT_EQ(escaped, "password=**** dbname=d");
  EXPECT_FALSE(Contains(escaped, "secret"));
}

TEST(RedactConninfo, LeavesOtherKeysThatStartWithPasswordAlone) {
  EXPECT_EQ(RedactConninfo("passwordless=1"), "passwordless=1");
  EXPECT_EQ(RedactConninfo("host=h passwordless=1 user=u"), "host=h passwordless=1 user=u");
  EXPECT_EQ(RedactConninfo("host=h mypassword=x"), "host=h mypassword=x");
  EXPECT_EQ(RedactConninfo("postgresql://u@h/db?passwordless=1"),
            "postgresql://u@h/db?passwordless=1");
  EXPECT_EQ(RedactConninfo(""), "");
}

// libpq reads the userinfo up to the first '@' or '/', so '?' and '#' are
// ordinary password characters to it (see PasswordOf below); the redaction
// must mask them too.
TEST(RedactConninfo, MasksPasswordContainingQueryOrFragmentCharacters) {
  for (const char* url : {"postgresql://u:se?cret@h/db", "postgresql://u:se#cret@h/db"}) {
    const std::string out = RedactConninfo(url);
    EXPECT_EQ(out, "postgresql://u:****@h/db") << url;
    EXPECT_FALSE(Contains(out, "cret")) << out;
  }
}

TEST(PasswordOf, ReadsUrlAndKeyValueForms) {
  EXPECT_EQ(PasswordOf("postgresql://user:s3cret@host:5432/db?sslmode=disable"), "s3cret");
  EXPECT_EQ(PasswordOf("postgres://u:p%40ss@h/db"), "p@ss");  // percent-decoded
  EXPECT_EQ(PasswordOf("postgresql://u@h/db?password=s3cret&sslmode=require"), "s3cret");
  EXPECT_EQ(PasswordOf("host=h password=s3cret user=u"), "s3cret");
  EXPECT_EQ(PasswordOf("host=h password = 's3 cret'"), "s3 cret");
  EXPECT_EQ(PasswordOf("postgresql://u:se?cret@h/db"), "se?cret");
  EXPECT_EQ(PasswordOf("postgresql://u:se#cret@h/db"), "se#cret");
}

TEST(PasswordOf, EmptyWithoutPasswordOrWhenUnparsable) {
  EXPECT_EQ(PasswordOf("postgresql://u@h/db"), "");
  EXPECT_EQ(PasswordOf("host=h user=u"), "");
  EXPECT_EQ(PasswordOf("host=h password='unterminated"), "");
  EXPECT_EQ(PasswordOf("not a conninfo"), "");
}

// The secret registry is process-wide, so each test uses secrets of its own.
TEST(ScrubSecrets, ReplacesEveryOccurrence) {
  RegisterSecret("hunter2-scrub");
  EXPECT_EQ(ScrubSecrets("auth hunter2-scrub failed; hunter2-scrubhunter2-scrub again"),
            "auth **** failed; ******** again");
  EXPECT_EQ(ScrubSecrets("nothing to hide"), "nothing to hide");
}

TEST(ScrubSecrets, ScrubsEachRegisteredSecret) {
  RegisterSecret("alpha-secret");
  RegisterSecret("beta-secret");
  RegisterSecret("alpha-secret");  // registering twice is harmless
  EXPECT_EQ(ScrubSecrets("a=alpha-secret b=beta-secret"), "a=**** b=****");
}

TEST(ScrubSecrets, IgnoresSecretsShorterThanFourCharacters) {
  RegisterSecret("xyz");
  RegisterSecret("");
  EXPECT_EQ(ScrubSecrets("xyz is a word, and so is xyzzy"), "xyz is a word, and so is xyzzy");
  RegisterSecret("wxyz");  // exactly four characters is long enough
  EXPECT_EQ(ScrubSecrets("wxyz is hidden"), "**** is hidden");
}

TEST(ScrubSecrets, MasksALongerSecretWholeWhenItContainsAShorterOne) {
  RegisterSecret("nested");
  RegisterSecret("nested-longer-secret");
  EXPECT_EQ(ScrubSecrets("pw nested-longer-secret"), "pw ****");
}

TEST(RedactConninfo, MasksKeywordValuesTheWayLibpqReadsThem) {
  EXPECT_EQ(RedactConninfo("host=h\npassword=s3cret"), "host=h\npassword=****");
  EXPECT_EQ(RedactConninfo("password=s3\\ cret user=u"), "password=**** user=u");
  EXPECT_EQ(RedactConninfo("postgresql://u@h/db?pass%77ord=s3cret&x=1"),
            "postgresql://u@h/db?pass%77ord=****&x=1");
}

}  // namespace
}  // namespace loader
