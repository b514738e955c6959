#include "loader/base/redact.h"

#include <gtest/gtest.h>
#include <libpq-fe.h>

#include <map>
#include <random>
#include <string>
#include <vector>

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

TEST(RedactConninfo, MasksThePasswordsTextWhereverItStands) {
  // libpq reads the password "pass1" from its percent-encoded spelling; the
  // same text spelled out as the first of two sslmode values must go too.
  EXPECT_EQ(RedactConninfo("postgresql://u:pa%73s1@h/db?sslmode=pass1&sslmode=require"),
            "postgresql://u:****@h/db?sslmode=****&sslmode=require");
  // Found by redact_fuzz: '@'s in the password and a host starting with '['
  // once the password's span is masked; the output no longer parses, and the
  // sslpassword's and password's texts stand elsewhere in it.
  const std::string input =
      "postgresql://yPassw2hogs.e3t:~F'passwss%38x&sslmode=e2@@q[)2@[32/dlpapdb@ "
      "dbna=eFm'FFF~~~~~~db?sslpassword=yPass%38x&sslmode=e2@@q[)0@23d[/lpapo~F'passwss8x&"
      "sslmode=e2sts";
  const std::string out = RedactConninfo(input);
  EXPECT_FALSE(Contains(out, "~F'passwss8x&sslmode=e2")) << out;
  EXPECT_FALSE(Contains(out, "yPass8x")) << out;
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
  EXPECT_EQ(RedactConninfo("host=h sslrootcert=password.crt user=u"),
            "host=h sslrootcert=password.crt user=u");
  EXPECT_EQ(RedactConninfo("application_name=password=x user=u"),
            "application_name=password=x user=u");
  EXPECT_EQ(RedactConninfo("postgresql://u@h/db?passwordless=1"),
            "postgresql://u@h/db?passwordless=1");
  EXPECT_EQ(RedactConninfo(""), "");
  // libpq refuses keywords it does not know, so these are masked as
  // unreadable text is (see MasksTheRestOfWhatLibpqCannotRead).
  EXPECT_EQ(RedactConninfo("host=h passwordless=1 user=u"), "host=h password****");
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

// Every setting libpq marks secret, not only the password: an encrypted
// client key's sslpassword too.
TEST(RedactConninfo, MasksSslPasswordInEveryForm) {
  EXPECT_EQ(RedactConninfo("postgresql://maxroach@localhost:1/bank?sslpassword=KeyPass-77x&"
                           "sslmode=require"),
            "postgresql://maxroach@localhost:1/bank?sslpassword=****&sslmode=require");
  EXPECT_EQ(RedactConninfo("postgresql://u@h/db?sslmode=require&ssl%70assword=KeyPass-77x"),
            "postgresql://u@h/db?sslmode=require&ssl%70assword=****");
  EXPECT_EQ(RedactConninfo("host=h sslpassword='Key Pass' password=s3cret user=u"),
            "host=h sslpassword=**** password=**** user=u");
  EXPECT_EQ(RedactConninfo("sslpassword=KeyPass-77x"), "sslpassword=****");
}

// Found by tests/fuzz/redact_fuzz: a '?' in the user part is not the start
// of the query, for libpq.
TEST(RedactConninfo, AQuestionMarkBeforeTheAtSignDoesNotStartTheQuery) {
  EXPECT_EQ(RedactConninfo("postgresql://db?sslpa@h/db?sslpassword=KeyPass%77x&sslmode=e"),
            "postgresql://db?sslpa@h/db?sslpassword=****&sslmode=e");
}

// Found by tests/fuzz/redact_fuzz: an '@' inside the query's sslpassword is
// not the end of the user part.
TEST(RedactConninfo, AnAtSignInTheQueryDoesNotEndTheUserPart) {
  EXPECT_EQ(RedactConninfo("postgresql://u:s3cret@?sslpassword=@Key-Pass-77x/db?x"),
            "postgresql://u:****@?sslpassword=****");
}

// Found by tests/fuzz/redact_fuzz: a '?' inside a host in brackets does not
// start the query either.
TEST(RedactConninfo, AQuestionMarkInABracketedHostDoesNotStartTheQuery) {
  // (A raw '@' further on is taken as part of a password, which masks more
  // than libpq reads: never less.)
  EXPECT_EQ(RedactConninfo("postgresql://u:@[x?y@@z]?sslpassword=://u-pass"),
            "postgresql://u:****@z]?sslpassword=****");
  EXPECT_EQ(RedactConninfo("postgresql://u:pw-bracket@[::1]:5432,[::2]/db?sslpassword=k-77x"),
            "postgresql://u:****@[::1]:5432,[::2]/db?sslpassword=****");
}

// Found by tests/fuzz/redact_fuzz: masking the password first had made a
// '[' after it look like the start of a bracketed host, hiding the query.
TEST(RedactConninfo, TheQueryIsFoundInTheUrlAsGiven) {
  EXPECT_EQ(RedactConninfo("postgresql://u:s3cret@h2@[h2[4/db?sslpassword=Key-quire"),
            "postgresql://u:****@[h2[4/db?sslpassword=****");
}

// The registry is process-wide: each test registers secrets of its own.
TEST(RegisterSecretsOf, RegistersEverySecretOfUrlAndKeyValueForms) {
  RegisterSecretsOf("postgresql://user:s3cret-url@host:5432/db?sslpassword=key-url-77");
  RegisterSecretsOf("postgres://u:p%40ss-decoded@h/db");
  RegisterSecretsOf("host=h password = 's3 cret-kv' sslpassword=key-kv-77");
  EXPECT_EQ(ScrubSecrets("s3cret-url key-url-77 p@ss-decoded s3 cret-kv key-kv-77"),
            "**** **** **** **** ****");
}

TEST(RegisterSecretsOf, RegistersNothingFromUnparsableOrSecretFreeConninfo) {
  RegisterSecretsOf("host=h password='unterminated-secret");
  RegisterSecretsOf("host=h user=plain-user-77");
  EXPECT_EQ(ScrubSecrets("unterminated-secret plain-user-77"), "unterminated-secret plain-user-77");
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

// libpq needs no blank after a closing quote, so "password" right after one
// starts a keyword (issue 16, finding 7).
TEST(RedactConninfo, MasksAKeywordThatFollowsAClosingQuote) {
  const std::string out = RedactConninfo("host=db dbname='app'password=hunter22");
  EXPECT_EQ(out, "host=db dbname='app'password=****");
  EXPECT_FALSE(Contains(out, "hunter22"));
  EXPECT_EQ(RedactConninfo("password='s3cret'host=h"), "password=**** host=h");
  EXPECT_EQ(RedactConninfo("sslpassword='Key Pass'password='s3cret' user=u"),
            "sslpassword=**** password=**** user=u");
}

// A keyword is a keyword only where one starts: "password=" inside a quoted
// value is part of that value.
TEST(RedactConninfo, LeavesKeywordsInsideQuotedValuesAlone) {
  const std::string out = RedactConninfo("application_name='reset password=' password='s3cretpw'");
  EXPECT_EQ(out, "application_name='reset password=' password=****");
  EXPECT_FALSE(Contains(out, "s3cretpw"));
  EXPECT_EQ(RedactConninfo("options='-c x=\\' password=no' user=u"),
            "options='-c x=\\' password=no' user=u");
  // An unquoted value runs to a blank, whatever it holds.
  EXPECT_EQ(RedactConninfo("dbname=app\\ password=no user=u"), "dbname=app\\ password=no user=u");
}

// As libpq, a blank after '=' is skipped, so the value is the next word.
TEST(RedactConninfo, MasksTheWordAfterAnEmptyLookingValue) {
  EXPECT_EQ(RedactConninfo("password= user=u host=h"), "password= **** host=h");
  EXPECT_EQ(RedactConninfo("password="), "password=");
}

// What libpq refuses is masked from the first secret keyword on.
TEST(RedactConninfo, MasksTheRestOfWhatLibpqCannotRead) {
  EXPECT_EQ(RedactConninfo("host=h password='unterminated secret"), "host=h password=****");
  EXPECT_EQ(RedactConninfo("host=h nonsense=1 password=s3cret user=u"),
            "host=h nonsense=1 password=****");
  EXPECT_EQ(RedactConninfo("host=h PASSWORD=s3cret"), "host=h PASSWORD=****");
  EXPECT_EQ(RedactConninfo("host=h lonely password"), "host=h lonely password****");
  // Wherever the first secret keyword is: the reading went wrong somewhere.
  EXPECT_EQ(RedactConninfo("host= sslpassword=  'not-a-keyword' password=s3cret"),
            "host= sslpassword=****");
  EXPECT_EQ(RedactConninfo(" postgresql://u:s3cret@h/db"), " postgresql://u:****@h/db");
  // Nothing secret in the rest: kept, for the error message it goes into.
  EXPECT_EQ(RedactConninfo("host=h port"), "host=h port");
}

// Key=value conninfo as a user might write it: random keywords, quoting,
// blanks and escapes.
std::string RandomConninfo(std::mt19937& rng, int* secrets) {
  const auto pick = [&](int n) { return static_cast<int>(rng() % static_cast<unsigned>(n)); };
  const std::vector<std::string> keywords = {
      "host",    "port",    "dbname",   "user",        "application_name",
      "options", "sslmode", "password", "sslpassword", "connect_timeout",
      "passfile"};
  // Pieces of values. A secret's pieces alone hold capitals, so no other
  // value can contain a secret's text by chance.
  const std::vector<std::string> plain = {"a",         "db",  " ",           "'",  "\\", "=",
                                          "password=", "x y", "sslpassword", "\t", "''", "pass"};
  const std::vector<std::string> secret = {"S", "Q7",        " ", "'",   "\\",
                                           "=", "password=", "Z", "K9x", "\n"};
  const std::vector<std::string> blanks = {"", " ", "  ", "\t", "\n "};
  std::string out = blanks[pick(blanks.size())];
  const int settings = 1 + pick(6);
  for (int i = 0; i < settings; ++i) {
    const std::string& key = keywords[pick(keywords.size())];
    const bool is_secret = key == "password" || key == "sslpassword";
    *secrets += is_secret ? 1 : 0;
    std::string value = is_secret ? "SQ" : "";
    const int pieces = pick(5);
    for (int j = 0; j < pieces; ++j) {
      value += is_secret ? secret[pick(secret.size())] : plain[pick(plain.size())];
    }
    const bool quoted = pick(2) == 0;
    std::string spelled;
    for (char c : value) {
      const bool escape = quoted ? (c == '\'' || c == '\\')
                                 : (c == ' ' || c == '\t' || c == '\n' || c == '\\' ||
                                    (spelled.empty() && c == '\''));
      if (escape || pick(12) == 0) spelled += '\\';  // escaping any character is harmless
      spelled += c;
    }
    if (quoted) spelled = "'" + spelled + "'";
    out += key + blanks[pick(blanks.size())] + "=" + blanks[pick(blanks.size())] + spelled;
    // A closing quote needs no blank after it; a few inputs end broken.
    out += (quoted && pick(2) == 0) ? "" : blanks[1 + pick(blanks.size() - 1)];
  }
  if (pick(20) == 0) out.pop_back();
  if (pick(20) == 0) out += "password='SQopen";
  return out;
}

// The property the redaction fuzzer checks (issue 16, findings 3 and 7): no
// value of a secret setting, as PQconninfoParse reads it, survives.
TEST(RedactConninfo, NoSecretLibpqReadsSurvivesRandomConninfo) {
  std::mt19937 rng(16);
  int parsed = 0;
  int checked = 0;
  for (int i = 0; i < 1000; ++i) {
    int secrets = 0;
    const std::string conninfo = RandomConninfo(rng, &secrets);
    char* err = nullptr;
    PQconninfoOption* options = PQconninfoParse(conninfo.c_str(), &err);
    if (err != nullptr) PQfreemem(err);
    const std::string out = RedactConninfo(conninfo);
    // Unreadable input keeps no secret piece either: each begins "SQ".
    if (options == nullptr) {
      EXPECT_FALSE(Contains(out, "SQ")) << "input: " << conninfo << "\noutput: " << out;
      continue;
    }
    ++parsed;
    for (const PQconninfoOption* o = options; o->keyword != nullptr; ++o) {
      if (o->val == nullptr || o->dispchar == nullptr || std::string_view(o->dispchar) != "*") {
        continue;
      }
      const std::string value = o->val;
      if (value.size() < 4) continue;
      ++checked;
      EXPECT_FALSE(Contains(out, value))
          << o->keyword << " = [" << value << "]\ninput: " << conninfo << "\noutput: " << out;
    }
    PQconninfoFree(options);
  }
  // The generator must mostly make what libpq reads, with secrets in it.
  EXPECT_GT(parsed, 300) << checked;
  EXPECT_GT(checked, 250) << parsed;
}

TEST(RedactStorageUrl, MasksCloudCredentialValues) {
  EXPECT_EQ(
      RedactStorageUrl("s3://bucket/loads?AWS_ACCESS_KEY_ID=AKIAEXAMPLE&AWS_SECRET_ACCESS_KEY="
                       "wJalr%2FXUtnFEMI&AWS_SESSION_TOKEN=FwoGZXIvYXdz&AWS_REGION=us-east-1"),
      "s3://bucket/loads?AWS_ACCESS_KEY_ID=****&AWS_SECRET_ACCESS_KEY=****"
      "&AWS_SESSION_TOKEN=****&AWS_REGION=us-east-1");
  // A base64 value may end in '=': the value runs to the next '&'.
  EXPECT_EQ(RedactStorageUrl("gs://bucket/dir?AUTH=specified&CREDENTIALS=eyJ0eXBlIjoi==&x=1"),
            "gs://bucket/dir?AUTH=specified&CREDENTIALS=****&x=1");
  EXPECT_EQ(
      RedactStorageUrl("azure://container/dir?AZURE_ACCOUNT_NAME=acct&AZURE_ACCOUNT_KEY=a2V5"),
      "azure://container/dir?AZURE_ACCOUNT_NAME=acct&AZURE_ACCOUNT_KEY=****");
  EXPECT_EQ(RedactStorageUrl("azure-blob://c/d?AZURE_CLIENT_ID=id&AZURE_CLIENT_SECRET=cs&"
                             "AZURE_TENANT_ID=t"),
            "azure-blob://c/d?AZURE_CLIENT_ID=id&AZURE_CLIENT_SECRET=****&AZURE_TENANT_ID=t");
  EXPECT_EQ(RedactStorageUrl("https://h/dir?password=pw12"), "https://h/dir?password=****");
}

TEST(RedactStorageUrl, NamesMatchInAnyCaseAndPercentEncoded) {
  EXPECT_EQ(RedactStorageUrl("s3://b/d?aws_secret_access_key=lowercase1"),
            "s3://b/d?aws_secret_access_key=****");
  EXPECT_EQ(RedactStorageUrl("s3://b/d?Aws_Session_Token=mixed1"),
            "s3://b/d?Aws_Session_Token=****");
  EXPECT_EQ(RedactStorageUrl("gs://b/d?credentials=abcd"), "gs://b/d?credentials=****");
  // The server decodes the name, so AWS_SECRET%5FACCESS_KEY is the secret key.
  EXPECT_EQ(RedactStorageUrl("s3://b/d?AWS_SECRET%5FACCESS_KEY=encoded1"),
            "s3://b/d?AWS_SECRET%5FACCESS_KEY=****");
}

TEST(RedactStorageUrl, LeavesOtherParametersAndPlainUrlsAlone) {
  for (const char* url :
       {"nodelocal://1/out", "userfile:///loads/accounts",
        "userfile://defaultdb.public.userfiles_root/loads", "s3://bucket/loads",
        "s3://bucket/loads?AUTH=implicit&AWS_REGION=us-east-1&AWS_ENDPOINT=http://minio:9000",
        "s3://bucket/loads?S3_STORAGE_CLASS=STANDARD&ASSUME_ROLE=arn:aws:iam::12:role/r",
        "gs://bucket/dir?AUTH=implicit", "azure://c/d?AZURE_ACCOUNT_NAME=acct&AZURE_ENVIRONMENT=x",
        "s3://bucket/loads?", "s3://bucket/loads?flag", ""}) {
    EXPECT_EQ(RedactStorageUrl(url), url);
    EXPECT_TRUE(StorageUrlSecrets(url).empty()) << url;
  }
  // A parameter without '=' is not a credential and does not hide the next one.
  EXPECT_EQ(RedactStorageUrl("s3://b/d?flag&AWS_SECRET_ACCESS_KEY=after1"),
            "s3://b/d?flag&AWS_SECRET_ACCESS_KEY=****");
}

TEST(StorageUrlSecrets, ReturnsTheValuesTheServerReadsDecoded) {
  EXPECT_EQ(
      StorageUrlSecrets("s3://b/d?AWS_ACCESS_KEY_ID=AKIAEXAMPLE&AWS_SECRET_ACCESS_KEY="
                        "wJalr%2FXUtn%2bFEMI%3d&AWS_REGION=us-east-1&AWS_SESSION_TOKEN=tok%20en"),
      (std::vector<std::string>{"AKIAEXAMPLE", "wJalr/XUtn+FEMI=", "tok en"}));
  EXPECT_EQ(StorageUrlSecrets("azure://c/d?AZURE_ACCOUNT_NAME=acct&azure_account_key=a2V5%3D%3D"),
            (std::vector<std::string>{"a2V5=="}));
  EXPECT_EQ(StorageUrlSecrets("gs://b/d?AUTH=specified&CREDENTIALS=eyJ0eXBl=="),
            (std::vector<std::string>{"eyJ0eXBl=="}));
  // A '%' that does not start an escape is kept as it is.
  EXPECT_EQ(StorageUrlSecrets("s3://b/d?AWS_SECRET_ACCESS_KEY=100%25%zz%4"),
            (std::vector<std::string>{"100%%zz%4"}));
}

// What the CLI does with them: registered, they are scrubbed from any line a
// library might echo the decoded value in.
TEST(StorageUrlSecrets, RegisteredValuesAreScrubbed) {
  for (std::string& secret :
       StorageUrlSecrets("s3://b/d?AWS_SECRET_ACCESS_KEY=scrub%2Fme%2Fplease")) {
    RegisterSecret(std::move(secret));
  }
  EXPECT_EQ(ScrubSecrets("signature mismatch for key scrub/me/please"),
            "signature mismatch for key ****");
}

}  // namespace
}  // namespace loader
