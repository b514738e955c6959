#include "loader/pg/connect_settings.h"

#include <gtest/gtest.h>
#include <libpq-fe.h>
#include <stdlib.h>

#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "loader/base/redact.h"
#include "support/temp_dir.h"

namespace loader {
namespace {

// Sets (or, with nullptr, unsets) an environment variable for one test.
class ScopedEnv {
 public:
  ScopedEnv(const char* name, const char* value) : name_(name) {
    if (const char* old = std::getenv(name)) old_ = old;
    if (value != nullptr) {
      ::setenv(name, value, 1);
    } else {
      ::unsetenv(name);
    }
  }
  ~ScopedEnv() {
    if (old_.empty()) {
      ::unsetenv(name_);
    } else {
      ::setenv(name_, old_.c_str(), 1);
    }
  }

 private:
  const char* name_;
  std::string old_;
};

// A certs directory as `cockroach cert` leaves it, for `users`.
class CertsDir {
 public:
  explicit CertsDir(std::initializer_list<const char*> users) {
    dir_.Write("ca.crt", "CA");
    for (const char* user : users) {
      dir_.Write(std::string("client.") + user + ".crt", "CERT");
      dir_.Write(std::string("client.") + user + ".key", "KEY");
    }
  }
  std::string path() const { return dir_.File("").substr(0, dir_.File("").size() - 1); }
  std::string File(const std::string& name) const { return dir_.File(name); }

 private:
  test_support::TempDir dir_;
};

std::vector<std::string> Resolve(const std::vector<std::string>& urls,
                                 const ConnectSettings& settings, Status* status = nullptr) {
  std::vector<std::string> out;
  Status s = ResolveHosts(urls, settings, &out);
  if (status != nullptr)
    *status = s;
  else
    EXPECT_TRUE(s.ok()) << s.ToString();
  return out;
}

TEST(ResolveHosts, CertsDirAddsTheUsersFilesAndVerifyFullToAUrl) {
  CertsDir certs({"maxroach"});
  ConnectSettings settings;
  settings.certs_dir = certs.path();
  EXPECT_EQ(Resolve({"postgresql://maxroach@localhost:26257/bank"}, settings),
            std::vector<std::string>{
                "postgresql://maxroach@localhost:26257/bank?sslrootcert=" + certs.File("ca.crt") +
                "&sslcert=" + certs.File("client.maxroach.crt") +
                "&sslkey=" + certs.File("client.maxroach.key") + "&sslmode=verify-full"});
}

TEST(ResolveHosts, TheUrlsOwnSslSettingsWinOverTheCertsDir) {
  CertsDir certs({"maxroach"});
  ConnectSettings settings;
  settings.certs_dir = certs.path();
  EXPECT_EQ(
      Resolve({"postgresql://maxroach@h/bank?sslmode=require&sslrootcert=/etc/other-ca.crt"},
              settings),
      std::vector<std::string>{"postgresql://maxroach@h/bank?sslmode=require&sslrootcert=/etc/"
                               "other-ca.crt&sslcert=" +
                               certs.File("client.maxroach.crt") +
                               "&sslkey=" + certs.File("client.maxroach.key")});
}

TEST(ResolveHosts, WithoutAUserTheCertsDirIsForRootAsCockroachHasIt) {
  ScopedEnv no_pguser("PGUSER", nullptr);
  CertsDir certs({"root"});
  ConnectSettings settings;
  settings.certs_dir = certs.path();
  EXPECT_EQ(Resolve({"host=h port=26257 dbname=defaultdb"}, settings),
            std::vector<std::string>{
                "host=h port=26257 dbname=defaultdb user='root' sslrootcert='" +
                certs.File("ca.crt") + "' sslcert='" + certs.File("client.root.crt") +
                "' sslkey='" + certs.File("client.root.key") + "' sslmode='verify-full'"});
}

TEST(ResolveHosts, PgUserNamesTheCertificatesWhenTheUrlNamesNoUser) {
  ScopedEnv pguser("PGUSER", "maxroach");
  CertsDir certs({"maxroach"});
  ConnectSettings settings;
  settings.certs_dir = certs.path();
  const std::vector<std::string> out = Resolve({"postgresql://h/bank"}, settings);
  ASSERT_EQ(out.size(), 1u);
  EXPECT_NE(out[0].find("sslcert=" + certs.File("client.maxroach.crt")), std::string::npos)
      << out[0];
  EXPECT_EQ(out[0].find("user="), std::string::npos) << out[0];
}

TEST(ResolveHosts, AMissingFileIsNamedWithTheCommandThatMakesIt) {
  CertsDir certs({"maxroach"});
  std::filesystem::remove(certs.File("client.maxroach.key"));
  ConnectSettings settings;
  settings.certs_dir = certs.path();
  Status s;
  Resolve({"postgresql://maxroach@h/bank"}, settings, &s);
  EXPECT_EQ(s.code(), Status::Code::kInvalidArgument);
  EXPECT_EQ(s.message(), "--certs-dir: " + certs.File("client.maxroach.key") +
                             " is missing; make it with: cockroach cert create-client maxroach "
                             "--certs-dir=" +
                             certs.path() + " --ca-key=<ca.key>");
}

// What libpq reads for `key` in `conninfo`.
std::string LibpqReads(const std::string& conninfo, const std::string& key) {
  PQconninfoOption* opts = PQconninfoParse(conninfo.c_str(), nullptr);
  std::string value = "(unparsable)";
  for (PQconninfoOption* o = opts; o != nullptr && o->keyword != nullptr; ++o) {
    if (key == o->keyword) value = o->val != nullptr ? o->val : "(unset)";
  }
  PQconninfoFree(opts);
  return value;
}

TEST(ResolveHosts, APathWithSpacesQuotesAndPercentsReadsBackWhole) {
  test_support::TempDir tmp;
  const std::string dir = tmp.File("my certs 'n' 100%&keys");
  std::filesystem::create_directory(dir);
  for (const char* name : {"ca.crt", "client.maxroach.crt", "client.maxroach.key"}) {
    std::ofstream(dir + "/" + name) << "x";
  }
  ConnectSettings settings;
  settings.certs_dir = dir;
  for (const char* url : {"postgresql://maxroach@h/bank", "host=h user=maxroach dbname=bank"}) {
    const std::vector<std::string> out = Resolve({url}, settings);
    ASSERT_EQ(out.size(), 1u);
    EXPECT_EQ(LibpqReads(out[0], "sslrootcert"), dir + "/ca.crt") << out[0];
    EXPECT_EQ(LibpqReads(out[0], "sslkey"), dir + "/client.maxroach.key") << out[0];
    EXPECT_EQ(LibpqReads(out[0], "sslmode"), "verify-full") << out[0];
    EXPECT_EQ(LibpqReads(out[0], "dbname"), "bank") << out[0];
  }
}

TEST(ResolveHosts, InsecureDisablesTlsAndRefusesWhatContradictsIt) {
  ConnectSettings settings;
  settings.insecure = true;
  EXPECT_EQ(Resolve({"postgresql://root@h:26257/defaultdb"}, settings),
            std::vector<std::string>{"postgresql://root@h:26257/defaultdb?sslmode=disable"});
  EXPECT_EQ(Resolve({"postgresql://root@h/db?sslmode=disable"}, settings),
            std::vector<std::string>{"postgresql://root@h/db?sslmode=disable"});
  Status s;
  Resolve({"postgresql://root@h/db?sslmode=verify-full"}, settings, &s);
  EXPECT_EQ(s.message(),
            "--insecure means sslmode=disable, but the connection string asks for "
            "sslmode=verify-full; drop one of them");
  CertsDir certs({"root"});
  settings.certs_dir = certs.path();
  Resolve({"postgresql://root@h/db"}, settings, &s);
  EXPECT_EQ(s.code(), Status::Code::kInvalidArgument);
  EXPECT_EQ(s.message(),
            "--insecure and --certs-dir contradict each other: a secure cluster takes the "
            "certificates, an insecure one none");
}

TEST(ResolveHosts, AHostListInPgHostSpreadsLikeAMultiHostUrl) {
  ScopedEnv host("PGHOST", "n1,n2");
  ScopedEnv hostaddr("PGHOSTADDR", nullptr);
  ScopedEnv port("PGPORT", "26257");
  EXPECT_EQ(Resolve({}, ConnectSettings()),
            (std::vector<std::string>{"host='n1' port='26257'", "host='n2' port='26257'"}));
  ScopedEnv one("PGHOST", "n1");
  // One host: libpq reads the variables itself, as it always did.
  EXPECT_EQ(Resolve({}, ConnectSettings()), std::vector<std::string>{""});
}

TEST(ResolveHosts, RegistersEverySecretOfEveryUrl) {
  Resolve({"postgresql://u:pw-resolve-1@h/db?sslpassword=key-resolve-1",
           "host=h2 sslpassword=key-resolve-2"},
          ConnectSettings());
  EXPECT_EQ(ScrubSecrets("pw-resolve-1 key-resolve-1 key-resolve-2"), "**** **** ****");
}

}  // namespace
}  // namespace loader
