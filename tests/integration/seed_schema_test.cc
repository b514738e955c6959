// Synthetic rows for any schema (issue 19) against a real server: a schema
// with every type the generator makes, enums, a domain, arrays, keys single
// and composite, CHECKs of each form it reads, a trigger, a partitioned table,
// an association table and foreign keys three levels deep plus a composite
// one. The server enforces every constraint; the tests count what it kept.
#include <gtest/gtest.h>
#include <signal.h>

#include <chrono>
#include <string>
#include <thread>
#include <vector>

#include "support/csv_files.h"
#include "support/import_files.h"
#include "support/run_loader.h"
#include "support/test_db.h"

namespace loader::test_support {
namespace {

constexpr char kSchema[] = R"(
CREATE SCHEMA seed;
CREATE TYPE seed.mood AS ENUM ('calm', 'busy', 'away');
CREATE DOMAIN seed.percent AS numeric(5,2) CHECK (VALUE >= 0 AND VALUE <= 100);
CREATE TABLE seed.regions (
  code char(3) PRIMARY KEY,
  name varchar(30) NOT NULL UNIQUE);
CREATE TABLE seed.customers (
  id bigint PRIMARY KEY,
  region char(3) NOT NULL REFERENCES seed.regions (code),
  email varchar(40) NOT NULL UNIQUE,
  name text,
  mood seed.mood NOT NULL,
  discount seed.percent,
  age smallint CHECK (age >= 18 AND age <= 99),
  visits integer CHECK (visits > 0),
  rating real,
  balance double precision,
  score numeric(8,3),
  vip boolean NOT NULL,
  joined date NOT NULL CHECK (joined >= '2010-01-01'),
  wakes time,
  last_seen timestamp,
  created timestamptz NOT NULL,
  ttl interval,
  token uuid NOT NULL,
  avatar bytea,
  prefs jsonb,
  meta json,
  ip inet,
  search tsvector,
  tags text[],
  lucky integer[],
  status text NOT NULL CHECK (status IN ('new', 'active', 'closed')),
  code varchar(8) CHECK (length(code) >= 6),
  kind varchar(10) CHECK (kind <> ''),
  serial_no serial,
  updated_by text);
CREATE FUNCTION seed.stamp() RETURNS trigger LANGUAGE plpgsql AS
  $$BEGIN NEW.updated_by := 'trigger'; RETURN NEW; END$$;
CREATE TRIGGER stamp BEFORE INSERT ON seed.customers FOR EACH ROW EXECUTE FUNCTION seed.stamp();
CREATE TABLE seed.orders (
  id bigint,
  customer_id bigint NOT NULL REFERENCES seed.customers (id),
  placed date NOT NULL,
  total numeric(10,2) NOT NULL CHECK (total > 0),
  PRIMARY KEY (id, placed)) PARTITION BY RANGE (placed);
CREATE TABLE seed.orders_2023 PARTITION OF seed.orders FOR VALUES FROM ('2023-01-01') TO ('2024-01-01');
CREATE TABLE seed.orders_2024 PARTITION OF seed.orders FOR VALUES FROM ('2024-01-01') TO ('2025-01-01');
CREATE TABLE seed.products (
  sku integer PRIMARY KEY,
  title varchar(20) NOT NULL);
CREATE TABLE seed.order_lines (
  order_id bigint NOT NULL,
  placed date NOT NULL,
  sku integer NOT NULL REFERENCES seed.products (sku),
  qty integer NOT NULL CHECK (qty BETWEEN 1 AND 9),
  PRIMARY KEY (order_id, placed, sku),
  FOREIGN KEY (order_id, placed) REFERENCES seed.orders (id, placed));
CREATE TABLE seed.shipments (
  order_id bigint NOT NULL,
  placed date NOT NULL,
  line smallint NOT NULL CHECK (line BETWEEN 1 AND 5),
  carrier text NOT NULL,
  PRIMARY KEY (order_id, placed, line),
  FOREIGN KEY (order_id, placed) REFERENCES seed.orders (id, placed));
CREATE TABLE seed.favorites (
  customer_id bigint REFERENCES seed.customers (id),
  sku integer REFERENCES seed.products (sku),
  PRIMARY KEY (customer_id, sku));
)";

constexpr char kRows[] =
    "regions=20,customers=2000,orders=3000,products=50,order_lines=4000,favorites=1500,"
    "shipments=2000";

const std::vector<std::string> kTables = {"regions",     "customers", "orders",   "products",
                                          "order_lines", "favorites", "shipments"};

// md5 of a table's rows in a fixed order, without the columns the server
// fills in insertion order (a serial).
std::string TableChecksum(ScratchDatabase& db, const std::string& table) {
  return db.Scalar(
      "SELECT md5(coalesce(string_agg(r, E'\\n' ORDER BY r), '')) FROM (SELECT "
      "(to_jsonb(t) - 'serial_no')::text AS r FROM seed." +
      table + " t) s");
}

std::string AllChecksums(ScratchDatabase& db) {
  std::string out;
  for (const std::string& t : kTables) out += t + "=" + TableChecksum(db, t) + " ";
  return out;
}

LoaderRun Seed(ScratchDatabase& db, std::vector<std::string> extra) {
  std::vector<std::string> args = {"--url",  db.url(), "--schema", "seed",
                                   "--rows", kRows,    "--seed",   "7"};
  args.insert(args.end(), extra.begin(), extra.end());
  return RunLoader(args);
}

TEST(SeedSchema, EveryTableIsValidAndTheSameForOtherChunksWorkersAndMethods) {
  ScratchDatabase db("a");
  db.Exec(kSchema);
  LoaderRun run = Seed(db, {"--chunk", "1000", "--workers", "1", "--method", "copy"});
  ASSERT_EQ(run.exit_code, 0) << run.all();
  EXPECT_TRUE(Contains(run.err,
                       "in this order: seed.regions, seed.customers, seed.products, "
                       "seed.favorites, seed.orders, seed.order_lines, seed.shipments"))
      << run.err;

  EXPECT_EQ(db.Scalar("SELECT count(*) || ' ' || count(DISTINCT code) || ' ' || "
                      "count(DISTINCT name) FROM seed.regions"),
            "20 20 20");
  // Keys distinct, NOT NULL kept, the trigger's column and the serial filled.
  EXPECT_EQ(db.Scalar("SELECT count(*) || ' ' || count(DISTINCT id) || ' ' || "
                      "count(DISTINCT email) || ' ' || count(DISTINCT token) || ' ' || "
                      "count(*) FILTER (WHERE updated_by = 'trigger') || ' ' || "
                      "count(DISTINCT serial_no) || ' ' || min(serial_no) || ' ' || "
                      "max(serial_no) FROM seed.customers"),
            "2000 2000 2000 2000 2000 2000 1 2000");
  // CHECKs of each form, the domain's and the enum's values.
  EXPECT_EQ(db.Scalar("SELECT bool_and(age BETWEEN 18 AND 99) AND bool_and(visits > 0) AND "
                      "bool_and(status IN ('new', 'active', 'closed')) AND "
                      "bool_and(length(code) >= 6) AND bool_and(kind <> '') AND "
                      "bool_and(joined >= '2010-01-01') AND bool_and(discount BETWEEN 0 AND "
                      "100) FROM seed.customers"),
            "t");
  EXPECT_EQ(db.Scalar("SELECT count(DISTINCT mood) || ' ' || count(DISTINCT status) || ' ' || "
                      "count(DISTINCT vip) FROM seed.customers"),
            "3 3 2");
  // Nullable columns NULL in about 5% of rows, NOT NULL ones never.
  const long long nulls =
      std::stoll(db.Scalar("SELECT count(*) - count(name) FROM seed.customers"));
  EXPECT_GT(nulls, 50);
  EXPECT_LT(nulls, 150);
  EXPECT_EQ(db.Scalar("SELECT count(*) FROM seed.customers WHERE mood IS NULL OR created IS "
                      "NULL OR token IS NULL"),
            "0");
  // Arrays of 0 to 3, every type read back by the server.
  EXPECT_EQ(db.Scalar("SELECT max(cardinality(tags)) <= 3 AND max(cardinality(lucky)) <= 3 AND "
                      "count(DISTINCT ip) > 1000 AND count(prefs -> 'n') > 1000 FROM "
                      "seed.customers"),
            "t");
  // Every foreign key joins; the partitions both hold rows.
  EXPECT_EQ(db.Scalar("SELECT count(*) FROM seed.customers c JOIN seed.regions r ON "
                      "r.code = c.region"),
            "2000");
  EXPECT_EQ(db.Scalar("SELECT count(*) || ' ' || count(DISTINCT (o.id, o.placed)) FROM "
                      "seed.orders o JOIN seed.customers c ON c.id = o.customer_id"),
            "3000 3000");
  EXPECT_EQ(db.Scalar("SELECT (SELECT count(*) FROM seed.orders_2023) > 500 AND "
                      "(SELECT count(*) FROM seed.orders_2024) > 500"),
            "t");
  EXPECT_EQ(db.Scalar("SELECT count(*) || ' ' || count(DISTINCT (l.order_id, l.placed, l.sku)) "
                      "FROM seed.order_lines l JOIN seed.orders o ON (o.id, o.placed) = "
                      "(l.order_id, l.placed) JOIN seed.products p ON p.sku = l.sku"),
            "4000 4000");
  EXPECT_EQ(db.Scalar("SELECT count(*) || ' ' || count(DISTINCT (f.customer_id, f.sku)) FROM "
                      "seed.favorites f JOIN seed.customers c ON c.id = f.customer_id JOIN "
                      "seed.products p ON p.sku = f.sku"),
            "1500 1500");
  // A key of a foreign key and a line number 1..5: distinct combinations.
  EXPECT_EQ(db.Scalar("SELECT count(*) || ' ' || count(DISTINCT (s.order_id, s.placed, s.line)) "
                      "|| ' ' || min(s.line) || ' ' || max(s.line) FROM seed.shipments s JOIN "
                      "seed.orders o ON (o.id, o.placed) = (s.order_id, s.placed)"),
            "2000 2000 1 5");
  EXPECT_EQ(db.Scalar("SELECT count(*) FROM loader_jobs"), "7");

  // The same seed: the same rows, whatever the chunks, workers and method.
  ScratchDatabase other("b");
  other.Exec(kSchema);
  LoaderRun again = Seed(other, {"--chunk", "77", "--workers", "3", "--method", "insert"});
  ASSERT_EQ(again.exit_code, 0) << again.all();
  EXPECT_EQ(AllChecksums(other), AllChecksums(db));
  // A re-run loads nothing more.
  LoaderRun rerun = Seed(db, {});
  ASSERT_EQ(rerun.exit_code, 0) << rerun.all();
  EXPECT_TRUE(Contains(rerun.out, "rows:           0\n")) << rerun.out;
  EXPECT_EQ(db.Count("seed.customers"), 2000);
}

TEST(SeedSchema, KilledAndRunAgainLoadsEveryRowOnce) {
  ScratchDatabase reference("ref");
  reference.Exec(kSchema);
  ScratchDatabase db("killed");
  db.Exec(kSchema);
  const std::string rows = "customers=60000";
  LoaderRun whole = RunLoader({"--url", reference.url(), "--schema", "seed", "--rows",
                               std::string(kRows) + "," + rows, "--chunk", "500"});
  ASSERT_EQ(whole.exit_code, 0) << whole.all();
  {
    LoaderProcess loader({"--url", db.url(), "--schema", "seed", "--rows",
                          std::string(kRows) + "," + rows, "--chunk", "500", "--workers", "2"});
    // Kill it once part of the customers are in.
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(60);
    while (loader.Running() && std::chrono::steady_clock::now() < deadline &&
           db.Count("seed.customers") < 5000) {
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    loader.Signal(SIGKILL);
    LoaderRun killed = loader.Wait();
    ASSERT_EQ(killed.term_signal, SIGKILL) << killed.all();
  }
  EXPECT_LT(db.Count("seed.customers"), 60000);
  LoaderRun resumed = RunLoader({"--url", db.url(), "--schema", "seed", "--rows",
                                 std::string(kRows) + "," + rows, "--chunk", "500"});
  ASSERT_EQ(resumed.exit_code, 0) << resumed.all();
  EXPECT_TRUE(Contains(resumed.err, "resuming")) << resumed.err;
  EXPECT_EQ(db.Count("seed.customers"), 60000);
  EXPECT_EQ(AllChecksums(db), AllChecksums(reference));
}

}  // namespace
}  // namespace loader::test_support
