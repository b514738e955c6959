// Secure servers (issue 15), the way CockroachDB's tutorials set them up: a
// PostgreSQL with ssl = on that lets maxroach in with a client certificate
// only (tls_server.h), loaded into with verify-full and the certificates in
// the URL, in a --certs-dir or in COCKROACH_CERTS_DIR; and each way that goes
// wrong (a server certificate from another CA, a missing or readable key,
// --insecure with certificates) told as it is. The secrets of an encrypted
// key are in tls_secrets_test.cc.
#include <gtest/gtest.h>

#include <filesystem>
#include <string>

#include "support/faults.h"
#include "support/run_loader.h"
#include "support/tls_server.h"

namespace loader::test_support {
namespace {

TEST(Tls, VerifyFullWithTheCertificatesInTheUrlLoadsEveryRow) {
  TlsServer server;
  LoaderRun run = RunLoader({"--url", server.ClientUrl(server.VerifyFullQuery()), "--table",
                             "accounts", "--rows", "1000", "--create"});
  ASSERT_EQ(run.exit_code, 0) << run.all();
  EXPECT_EQ(server.Count("accounts"), 1000);
  EXPECT_EQ(server.Checksum("accounts"), ReferenceChecksum("accounts", 1000));
}

TEST(Tls, ACertsDirOrCockroachCertsDirHoldsTheCertificates) {
  TlsServer server;
  const std::string certs = server.MakeCertsDir("certs");
  LoaderRun flag = RunLoader({"--url", server.ClientUrl(), "--certs-dir", certs, "--table",
                              "accounts", "--rows", "1000", "--create"});
  ASSERT_EQ(flag.exit_code, 0) << flag.all();
  EXPECT_EQ(server.Count("accounts"), 1000);

  // As `cockroach sql` reads it, from the environment.
  LoaderRun env =
      RunLoader({"--url", server.ClientUrl(), "--table", "points", "--rows", "1000", "--create"},
                {{"COCKROACH_CERTS_DIR", certs}});
  ASSERT_EQ(env.exit_code, 0) << env.all();
  EXPECT_EQ(server.Count("points"), 1000);
  EXPECT_EQ(server.Count("accounts"), 1000);
}

// verify-full against the CA of another cluster: libpq refuses the server's
// certificate before a byte of the load is sent, and the loader says so
// with libpq's words.
TEST(Tls, AServerCertificateFromAnotherCaIsRefused) {
  TlsServer server;
  std::string query = server.VerifyFullQuery();
  query.replace(query.find(server.File("ca.crt")), server.File("ca.crt").size(),
                server.File("rogue/ca.crt"));
  LoaderRun run = RunLoader(
      {"--url", server.ClientUrl(query), "--table", "accounts", "--rows", "1000", "--create"});
  EXPECT_EQ(run.exit_code, 4) << run.all();
  EXPECT_TRUE(Contains(run.err, "SSL error: certificate verify failed")) << run.err;
  EXPECT_TRUE(Contains(run.err, "connecting to postgresql://maxroach@localhost:" +
                                    std::to_string(server.port()) + "/bank"))
      << run.err;

  // A certs directory means verify-full: its ca.crt decides, and another
  // CA's is refused just the same.
  const std::string certs = server.MakeCertsDir("rogue-certs");
  std::filesystem::copy_file(server.File("rogue/ca.crt"), certs + "/ca.crt",
                             std::filesystem::copy_options::overwrite_existing);
  LoaderRun dir = RunLoader({"--url", server.ClientUrl(), "--certs-dir", certs, "--table",
                             "accounts", "--rows", "1000", "--create"});
  EXPECT_EQ(dir.exit_code, 4) << dir.all();
  EXPECT_TRUE(Contains(dir.err, "SSL error: certificate verify failed")) << dir.err;
  EXPECT_EQ(server.Count("accounts"), -1);
}

// The server asks for a certificate signed by its CA; one from elsewhere is
// turned away in the handshake.
TEST(Tls, AClientCertificateFromAnotherCaIsRefusedByTheServer) {
  TlsServer server;
  const std::string query = "sslmode=verify-full&sslrootcert=" + server.File("ca.crt") +
                            "&sslcert=" + server.File("rogue/client.maxroach.crt") +
                            "&sslkey=" + server.File("rogue/client.maxroach.key");
  LoaderRun run = RunLoader({"--url", server.ClientUrl(query), "--rows", "1000", "--create"});
  EXPECT_EQ(run.exit_code, 4) << run.all();
  EXPECT_TRUE(Contains(run.err, "SSL error: tlsv1 alert unknown ca")) << run.err;
  EXPECT_EQ(server.Count("accounts"), -1);
}

TEST(Tls, AMissingClientKeyIsNamedWithTheCommandThatMakesIt) {
  TlsServer server;
  const std::string certs = server.MakeCertsDir("certs");
  std::filesystem::remove(certs + "/client.maxroach.key");
  LoaderRun run = RunLoader({"--url", server.ClientUrl(), "--certs-dir", certs, "--table",
                             "accounts", "--rows", "1000", "--create"});
  EXPECT_EQ(run.exit_code, 2) << run.all();
  EXPECT_TRUE(Contains(run.err, certs + "/client.maxroach.key")) << run.err;
  EXPECT_TRUE(Contains(run.err, "cockroach cert create-client maxroach --certs-dir=" + certs))
      << run.err;
  EXPECT_EQ(server.Count("accounts"), -1);

  // The same from the environment, and for the CA certificate.
  std::filesystem::remove(certs + "/ca.crt");
  LoaderRun env = RunLoader({"--url", server.ClientUrl(), "--rows", "1000", "--create"},
                            {{"COCKROACH_CERTS_DIR", certs}});
  EXPECT_EQ(env.exit_code, 2) << env.all();
  EXPECT_TRUE(Contains(env.err, certs + "/ca.crt is missing")) << env.err;
}

// libpq refuses a private key that others may read, and its message says
// what to do; the loader passes it on instead of a generic failure.
TEST(Tls, AClientKeyOthersMayReadGetsLibpqsOwnMessage) {
  TlsServer server;
  const std::string certs = server.MakeCertsDir("certs");
  const std::string key = certs + "/client.maxroach.key";
  std::filesystem::permissions(
      key, std::filesystem::perms::group_read | std::filesystem::perms::others_read,
      std::filesystem::perm_options::add);  // 0644
  LoaderRun run = RunLoader({"--url", server.ClientUrl(), "--certs-dir", certs, "--table",
                             "accounts", "--rows", "1000", "--create"});
  EXPECT_EQ(run.exit_code, 4) << run.all();
  EXPECT_TRUE(Contains(run.err, "private key file \"" + key + "\" has group or world access"))
      << run.err;
  EXPECT_TRUE(Contains(run.err, "u=rw (0600) or less")) << run.err;
  EXPECT_EQ(server.Count("accounts"), -1);
}

TEST(Tls, InsecureMeansSslmodeDisableAndContradictsCertificates) {
  TlsServer server;
  const std::string certs = server.MakeCertsDir("certs");
  LoaderRun both = RunLoader({"--url", server.ClientUrl(), "--certs-dir", certs, "--insecure",
                              "--rows", "1000", "--create"});
  EXPECT_EQ(both.exit_code, 2) << both.all();
  EXPECT_TRUE(Contains(both.err, "--insecure")) << both.err;
  EXPECT_TRUE(Contains(both.err, "--certs-dir")) << both.err;

  LoaderRun verify = RunLoader(
      {"--url", server.ClientUrl(server.VerifyFullQuery()), "--insecure", "--rows", "1000"});
  EXPECT_EQ(verify.exit_code, 2) << verify.all();
  EXPECT_TRUE(Contains(verify.err, "sslmode=verify-full")) << verify.err;

  // Without TLS the server's hostssl line does not apply: maxroach would
  // need a password, which it has not got.
  LoaderRun plain =
      RunLoader({"--url", server.ClientUrl(), "--insecure", "--rows", "1000", "--create"});
  EXPECT_EQ(plain.exit_code, 4) << plain.all();
  EXPECT_TRUE(Contains(plain.err, "no password supplied")) << plain.err;

  // $COCKROACH_CERTS_DIR only supplies a default, which --insecure
  // overrides (as in `cockroach sql`): no refusal, and no TLS.
  LoaderRun env = RunLoader({"--url", server.ClientUrl(), "--insecure", "--rows", "1000"},
                            {{"COCKROACH_CERTS_DIR", certs}});
  EXPECT_EQ(env.exit_code, 4) << env.all();
  EXPECT_TRUE(Contains(env.err, "no password supplied")) << env.err;
  EXPECT_EQ(server.Count("accounts"), -1);
}

}  // namespace
}  // namespace loader::test_support
