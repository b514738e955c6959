// An encrypted client key's passphrase (sslpassword, a secret to libpq like
// password) never leaves the loader (issue 15): not on stdout or stderr, not
// in --stats-json, the --dry-run plan, nor any file of --emit-import or
// --fallback-dir, whether it comes in a URL, in key=value conninfo or from a
// service file (PGSERVICEFILE, named by --url service=NAME or PGSERVICE), and
// whether the load works or fails: unreachable, a server certificate refused,
// a wrong passphrase.
#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <string>
#include <utility>
#include <vector>

#include "support/run_loader.h"
#include "support/tls_server.h"

namespace loader::test_support {
namespace {

constexpr char kWrongPassword[] = "WrongPass-12y";

enum class Form { kUrl, kKeywords, kServiceUrl, kServiceEnv };

std::string FormName(const ::testing::TestParamInfo<Form>& info) {
  switch (info.param) {
    case Form::kUrl:
      return "Url";
    case Form::kKeywords:
      return "Keywords";
    case Form::kServiceUrl:
      return "ServiceFileNamedByUrl";
    case Form::kServiceEnv:
      return "ServiceFileNamedByPgservice";
  }
  return "Unknown";
}

// Where the loader's reports of one run go, in a directory of the test's own.
struct Outputs {
  explicit Outputs(const std::string& dir)
      : stats(dir + "/stats.json"), emit(dir + "/emit"), fallback(dir + "/fallback") {}
  std::string stats;
  std::string emit;
  std::string fallback;
};

class TlsSecretsTest : public ::testing::TestWithParam<Form> {
 protected:
  void SetUp() override {
    char dir[] = "/tmp/loader-tls-secrets-XXXXXX";
    ASSERT_NE(::mkdtemp(dir), nullptr);
    dir_ = dir;
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }

  // The connection settings of maxroach with its encrypted key, in libpq's
  // keywords, with `changes` applied.
  std::vector<std::pair<std::string, std::string>> Settings(
      const std::map<std::string, std::string>& changes = {}) const {
    std::vector<std::pair<std::string, std::string>> settings = {
        {"host", "localhost"},
        {"port", std::to_string(server_.port())},
        {"user", kTlsUser},
        {"dbname", kTlsDatabase},
        {"sslmode", "verify-full"},
        {"sslrootcert", server_.File("ca.crt")},
        {"sslcert", server_.File("client.maxroach.crt")},
        {"sslkey", server_.File("client.maxroach.enc.key")},
        {"sslpassword", kKeyPassword},
    };
    for (auto& [key, value] : settings) {
      if (changes.contains(key)) value = changes.at(key);
    }
    return settings;
  }

  // The arguments and environment that give the loader `settings` in this
  // test's form, before `args`: a conninfo goes in --url, or with
  // `in_environment` in $DATABASE_URL.
  std::pair<std::vector<std::string>, std::map<std::string, std::string>> Connect(
      const std::vector<std::pair<std::string, std::string>>& settings,
      std::vector<std::string> args, bool in_environment) const {
    std::string conninfo;
    std::map<std::string, std::string> env;
    switch (GetParam()) {
      case Form::kUrl: {
        // postgresql://maxroach@localhost:PORT/bank?sslmode=...&sslpassword=...
        conninfo = "postgresql://" + settings[2].second + "@" + settings[0].second + ":" +
                   settings[1].second + "/" + settings[3].second;
        for (size_t i = 4; i < settings.size(); ++i) {
          conninfo += (i == 4 ? "?" : "&") + settings[i].first + "=" + settings[i].second;
        }
        break;
      }
      case Form::kKeywords:
        for (const auto& [key, value] : settings) {
          conninfo += (conninfo.empty() ? "" : " ") + key + "=" + value;
        }
        break;
      case Form::kServiceUrl:
      case Form::kServiceEnv: {
        const std::string file = dir_ + "/pg_service.conf";
        std::ofstream out(file);
        out << "[other]\nhost=127.0.0.1\nport=1\n\n[bank]\n";
        for (const auto& [key, value] : settings) out << key << "=" << value << "\n";
        env["PGSERVICEFILE"] = file;
        if (GetParam() == Form::kServiceUrl) {
          conninfo = "service=bank";
        } else {
          env["PGSERVICE"] = "bank";
        }
        break;
      }
    }
    if (!conninfo.empty() && in_environment) env["DATABASE_URL"] = conninfo;
    if (!conninfo.empty() && !in_environment) args.insert(args.begin(), {"--url", conninfo});
    return {args, env};
  }

  LoaderRun Run(const std::vector<std::pair<std::string, std::string>>& settings,
                const std::vector<std::string>& args, bool in_environment = false) const {
    auto [argv, env] = Connect(settings, args, in_environment);
    argv.insert(argv.end(), {"--log-level", "debug"});
    return RunLoader(argv, env);
  }

  // Neither passphrase, nor a piece of the right one, in `text`.
  static void ExpectNoSecret(const std::string& where, const std::string& text) {
    for (const char* secret : {kKeyPassword, "KeyPass", kWrongPassword}) {
      EXPECT_FALSE(Contains(text, secret)) << secret << " in " << where << ":\n" << text;
    }
  }

  void ExpectNoSecret(const std::string& what, const LoaderRun& run, const Outputs& outputs) const {
    ExpectNoSecret(what + ": stdout", run.out);
    ExpectNoSecret(what + ": stderr", run.err);
    ExpectNoSecret(what + ": " + outputs.stats, ReadFile(outputs.stats));
    for (const std::string& dir : {outputs.emit, outputs.fallback}) {
      if (!std::filesystem::exists(dir)) continue;
      for (const auto& f : std::filesystem::recursive_directory_iterator(dir)) {
        if (f.is_regular_file())
          ExpectNoSecret(what + ": " + f.path().string(), ReadFile(f.path()));
      }
    }
  }

  // A fresh directory for one run's outputs.
  Outputs NewOutputs(const std::string& name) const {
    const std::string dir = dir_ + "/" + name;
    std::filesystem::create_directory(dir);
    return Outputs(dir);
  }

  TlsServer server_;
  std::string dir_;
};

TEST_P(TlsSecretsTest, ALoadItsPlanItsFilesAndItsFallbackShowNoPassphrase) {
  Outputs load = NewOutputs("load");
  LoaderRun run = Run(Settings(), {"--table", "accounts", "--rows", "1000", "--create",
                                   "--stats-json", load.stats});
  ASSERT_EQ(run.exit_code, 0) << run.all();
  EXPECT_EQ(server_.Count("accounts"), 1000);
  EXPECT_EQ(JsonNumber(ReadFile(load.stats), "rows"), 1000);
  ExpectNoSecret("load", run, load);

  Outputs plan = NewOutputs("plan");
  run = Run(Settings(),
            {"--table", "accounts", "--rows", "5000", "--dry-run", "--stats-json", plan.stats});
  ASSERT_EQ(run.exit_code, 0) << run.all();
  EXPECT_TRUE(Contains(run.out, "dry run: nothing was written")) << run.out;
  ExpectNoSecret("--dry-run", run, plan);

  // --emit-import takes no --url (it needs no server), but a user's
  // environment may well hold one.
  Outputs emit = NewOutputs("emit");
  run = Run(Settings(),
            {"--table", "accounts", "--rows", "1000", "--create", "--emit-import", emit.emit,
             "--stats-json", emit.stats},
            /*in_environment=*/true);
  ASSERT_EQ(run.exit_code, 0) << run.all();
  EXPECT_TRUE(std::filesystem::exists(emit.emit + "/manifest.json"));
  EXPECT_TRUE(std::filesystem::exists(emit.emit + "/upload.sh"));
  ExpectNoSecret("--emit-import", run, emit);

  // Every chunk of a second load fails past --max-retries and goes to
  // --fallback-dir, scripts and manifest with it.
  server_.Exec(
      "CREATE FUNCTION refuse() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION "
      "'restart transaction: injected by test' USING ERRCODE = '40001'; END $$; "
      "CREATE TRIGGER refuse BEFORE INSERT ON accounts EXECUTE FUNCTION refuse()");
  Outputs fallback = NewOutputs("fallback");
  run = Run(Settings(), {"--table", "accounts", "--rows", "1000", "--seed", "2", "--max-retries",
                         "0", "--fallback-dir", fallback.fallback, "--stats-json", fallback.stats});
  ASSERT_EQ(run.exit_code, 11) << run.all();
  EXPECT_EQ(JsonNumber(ReadFile(fallback.stats), "file_rows"), 1000);
  for (const char* file : {"manifest.json", "upload.sh", "import.sql", "load-postgres.sql"}) {
    EXPECT_TRUE(std::filesystem::exists(fallback.fallback + "/" + file)) << file;
  }
  ExpectNoSecret("--fallback-dir", run, fallback);
  EXPECT_EQ(server_.Count("accounts"), 1000);
}

TEST_P(TlsSecretsTest, NoFailureShowsThePassphrase) {
  struct Failure {
    std::string name;
    std::map<std::string, std::string> changes;
    std::string message;
    int exit_code;
  };
  const std::vector<Failure> failures = {
      {"unreachable", {{"port", "1"}}, "Connection refused", 3},
      {"refused-certificate",
       {{"sslrootcert", server_.File("rogue/ca.crt")}},
       "SSL error: certificate verify failed",
       4},
      // OpenSSL's reason varies with the key's random salt: usually "bad
      // decrypt", but about once in 256 keys the wrong passphrase decrypts
      // to a well-padded block of garbage, and then it is "unsupported".
      {"wrong-passphrase",
       {{"sslpassword", kWrongPassword}},
       "could not load private key file \"" + server_.File("client.maxroach.enc.key") + "\": ",
       4},
  };
  for (const Failure& f : failures) {
    SCOPED_TRACE(f.name);
    Outputs load = NewOutputs(f.name);
    LoaderRun run =
        Run(Settings(f.changes), {"--table", "accounts", "--rows", "1000", "--create",
                                  "--fallback-dir", load.fallback, "--stats-json", load.stats});
    EXPECT_EQ(run.exit_code, f.exit_code) << run.all();
    EXPECT_TRUE(Contains(run.err, f.message)) << run.err;
    ExpectNoSecret(f.name, run, load);

    Outputs plan = NewOutputs(f.name + "-plan");
    run = Run(Settings(f.changes),
              {"--table", "accounts", "--rows", "1000", "--dry-run", "--stats-json", plan.stats});
    EXPECT_EQ(run.exit_code, f.exit_code) << run.all();
    EXPECT_TRUE(Contains(run.err, f.message)) << run.err;
    ExpectNoSecret(f.name + " --dry-run", run, plan);
  }
  EXPECT_EQ(server_.Count("accounts"), -1);
}

INSTANTIATE_TEST_SUITE_P(Forms, TlsSecretsTest,
                         ::testing::Values(Form::kUrl, Form::kKeywords, Form::kServiceUrl,
                                           Form::kServiceEnv),
                         FormName);

}  // namespace
}  // namespace loader::test_support
