#include "loader/cli/option_table.h"

namespace po = boost::program_options;

namespace loader {
namespace {

// Shared by the load and `loader journal`.
const OptionSpec kCertsDir = {
    .name = "certs-dir",
    .value_name = "DIR",
    .default_words = "$COCKROACH_CERTS_DIR, else none",
    .help =
        "CockroachDB's certificate directory, as `cockroach cert` makes it: DIR/ca.crt "
        "verifies the server (sslmode=verify-full), DIR/client.USER.crt and "
        "DIR/client.USER.key log in the URL's user (else $PGUSER, else root); sslmode, "
        "sslrootcert, sslcert or sslkey in the URL win over the directory's"};
const OptionSpec kInsecure = {
    .name = "insecure",
    .help =
        "connect without TLS (sslmode=disable), as cockroach --insecure does; refused with "
        "--certs-dir or a URL that asks for another sslmode, but wins over "
        "$COCKROACH_CERTS_DIR"};
const OptionSpec kStatementTimeout = {
    .name = "statement-timeout",
    .value_name = "SECONDS",
    // No Boost default: ConnectSettings holds it (kDefaultStatementTimeout).
    .default_words = "120, two minutes",
    .help =
        "how long a statement (a chunk's COPY or INSERT, a COMMIT, a journal read) may wait "
        "for the server; then it is cancelled, its connection dropped, and the chunk "
        "retried as after a lost connection. 0: no bound"};
const OptionSpec kHelp = {.name = "help,h", .action = true, .help = "show this help and exit"};

std::vector<OptionGroup> MakeLoadGroups() {
  return {
      {"Connection",
       {
           // Not composing: repeats on one command line accumulate, but a --url
           // given there replaces LOADER_URL instead of adding to it.
           {.name = "url",
            .value_name = "URL",
            .default_words = "$DATABASE_URL, else $COCKROACH_URL, else libpq's PG* variables",
            .list = true,
            .help = "server to load into: a URL, "
                    "postgresql://USER:PASSWORD@HOST:PORT/DB?sslmode=verify-full, or key=value "
                    "conninfo, 'host=HOST user=USER dbname=DB'. Repeat it, or list hosts in one "
                    "URL (postgresql://USER@H1:26257,H2:26257/DB), to spread workers "
                    "round-robin over them; a host that is down leaves its workers to the "
                    "others"},
           kCertsDir,
           kInsecure,
           {.name = "set",
            .value_name = "SETTING",
            .list = true,
            .help = "NAME=VALUE, a session setting for every connection, after the loader's own: "
                    "synchronous_commit=off, maintenance_work_mem=1GB, search_path=a,b "
                    "(commas separate a list's items); repeat it for more. The first "
                    "connection applies it, and one the server refuses stops the load before "
                    "any row"},
           {.name = "qos",
            .value_name = "LEVEL",
            .help = "CockroachDB's transaction quality of service for the load's sessions: "
                    "background (yields to the cluster's other work), regular or critical"},
           {.name = "server",
            .value_name = "KIND",
            .default_value = "auto",
            .help = "transaction protocol: auto (ask the server), postgres, or cockroach, the "
                    "SAVEPOINT cockroach_restart protocol"},
       }},
      {"Rows and input",
       {
           {.name = "table",
            .value_name = "NAME",
            .default_value = "accounts",
            .help = "table to load: accounts (id UUID, balance INT8) or points (id INT8, x, y, "
                    "z FLOAT8), generated; any other existing table gets synthetic rows made "
                    "from its catalog (valid keys, references, checks), or with --input the "
                    "files' rows"},
           {.name = "schema",
            .value_name = "NAME",
            .help = "seed every table of this schema with synthetic rows, referenced tables "
                    "first, each table a job of its own in the journal"},
           {.name = "rows",
            .value_name = "N",
            .default_value = "10000",
            .help = "rows to generate and load; per table: orders=1000000,customers=50000 "
                    "(with a plain N among them for the tables not named)"},
           {.name = "seed",
            .value_name = "N",
            .default_value = "1",
            .help = "generator seed; the same seed and --rows give the same rows whatever "
                    "--chunk, --workers and --method are"},
           {.name = "id-order",
            .value_name = "ORDER",
            .default_value = "sequential",
            .help = "sequential, or scattered: points' ids as a keyed permutation of "
                    "0..rows-1, so consecutive rows do not all go to the last range of a "
                    "CockroachDB table"},
           {.name = "gen",
            .value_name = "RULE",
            .list = true,
            .help = "how a column of synthetic rows is filled: [TABLE.]COLUMN=SPEC, SPEC one of "
                    "seq[:START[,STEP]], uniform:LOW..HIGH, normal:MEAN,SD, zipf:LOW..HIGH[,S], "
                    "choice:A,B*3, const:V, null, default (the server's), text:MIN..MAX, "
                    "pattern:user{row}@example.com or ref:TABLE.COLUMN, then ;null=SHARE"},
           {.name = "gen-file",
            .value_name = "FILE",
            .help = "a YAML file of --gen specs, rows per table and the seed (see the README)"},
           {.name = "null-share",
            .value_name = "SHARE",
            .default_value = "0.05",
            .help = "of synthetic rows, the share of NULLs in a nullable column, 0 to 1"},
           {.name = "ref-sample",
            .value_name = "N",
            .default_value = "100000",
            .help = "the most rows of a referenced table read (a seeded sample) for the values "
                    "of a foreign key"},
           {.name = "create", .help = "create the table if it is missing"},
           {.name = "drop",
            .help = "drop the table and create it again before loading (starts "
                    "over)"},
           {.name = "truncate",
            .help = "empty the table (TRUNCATE) and forget its journal jobs, in one "
                    "transaction, before loading; any table, unlike --drop"},
           {.name = "on-conflict",
            .value_name = "ACTION",
            .default_value = "error",
            .help = "a row whose key is in the table already: error stops the load (the "
                    "server's duplicate-key error), skip leaves the row in the table as it is "
                    "(ON CONFLICT DO NOTHING), update sets its other loaded columns to the new "
                    "values (ON CONFLICT DO UPDATE; UPSERT on CockroachDB); the summary counts "
                    "the rows inserted, skipped and updated"},
           {.name = "conflict-key",
            .value_name = "COLUMNS",
            .default_words = "the primary key",
            .help = "with --on-conflict skip or update: the columns of the unique key that "
                    "finds a row's twin, a,b"},
           {.name = "build-indexes-after",
            .help = "for a table empty at the start: drop its indexes (on PostgreSQL its "
                    "primary key and unique constraints too), load, then build them again "
                    "over all the rows, in parallel; their definitions wait in "
                    "loader_deferred_indexes, so a re-run after a kill builds them"},
           {.name = "analyze",
            .help = "ANALYZE the table after a load that ends well, so the planner knows "
                    "the new rows; its time is in the summary"},
           {.name = "input",
            .value_name = "FILE",
            .list = true,
            .help = "load rows from this CSV file instead of generating them; repeat it or give "
                    "a glob ('data/*.csv') for several files, read in order; - reads standard "
                    "input"},
           {.name = "columns",
            .value_name = "NAMES",
            .default_words = "all of the table's, in order",
            .help = "the files' fields, as table columns: a,b,c"},
           {.name = "header",
            .help = "each file starts with a header line. Without --columns its fields go to "
                    "the table's columns by name, in any order; columns it leaves out get "
                    "their defaults. With --columns it must name those columns"},
           {.name = "map",
            .value_name = "RENAME",
            .list = true,
            .help = "with --header, FIELD=COLUMN: the header's FIELD fills COLUMN; repeat it for "
                    "more"},
           {.name = "skip-field",
            .value_name = "NAMES",
            .list = true,
            .help = "with --header: leave out these fields of the header (a,b)"},
           {.name = "skip-unknown-fields",
            .help = "with --header: leave out the fields that match no column, instead of "
                    "refusing the file"},
           {.name = "delimiter",
            .value_name = "CHAR",
            .default_words = "a comma",
            .help = "field delimiter; \\t for a tab"},
           {.name = "quote",
            .value_name = "CHAR",
            .default_words = "a double quote",
            .help = "quote character"},
           {.name = "null",
            .value_name = "TEXT",
            .default_words = "an empty unquoted field",
            .help = "an unquoted field equal to TEXT is NULL; a quoted field never is"},
           {.name = "decompress",
            .value_name = "FORMAT",
            .default_value = "auto",
            .help = "what the files (and standard input) hold: gzip, zstd, bzip2, none, or "
                    "auto: by the name's extension (.gz, .zst, .bz2), else gzip or zstd by "
                    "their first bytes; lines, errors and resume are those of the "
                    "decompressed text"},
           {.name = "max-rejects",
            .value_name = "N",
            .default_value = "0",
            .help = "set aside up to N bad rows (a field that does not fit its column, or a row "
                    "the server refuses) and load the rest; one more stops the load. 0: the "
                    "first bad row stops it"},
           {.name = "reject-file",
            .value_name = "FILE",
            .default_words = "JOB.reject.csv",
            .help = "where rejected rows go, as they were in the input; the reason for each "
                    "goes to the same name with .log"},
       }},
      {"Chunking and workers",
       {
           {.name = "chunk",
            .value_name = "ROWS",
            .default_value = "1000",
            .help = "rows per chunk; each chunk is committed in its own transaction"},
           {.name = "chunk-bytes",
            .value_name = "SIZE",
            .default_value = "8MiB",
            .help = "payload cap per chunk (e.g. 512KiB, 8MiB; at most 15MiB); a chunk closes "
                    "at whichever of --chunk and --chunk-bytes comes first"},
           {.name = "workers",
            .value_name = "N",
            .default_value = "auto",
            .help = "parallel connections, or auto: start with 2 and double them while "
                    "that raises the rows/s, up to 16 and half the server's free connection "
                    "slots, going back when a doubling lowered them; the plan and the log say "
                    "how many and why"},
           {.name = "method",
            .value_name = "METHOD",
            .default_value = "auto",
            .help = "copy (COPY FROM STDIN, fastest near the server), insert (multi-row "
                    "INSERT with bound parameters, several chunks in flight a connection: "
                    "fastest across a network), or auto: insert on CockroachDB, and on "
                    "PostgreSQL copy under a 1 ms round trip, else insert; the plan says "
                    "which and why"},
           {.name = "in-flight",
            .value_name = "N",
            .default_words = "from the round trip",
            .help = "for INSERT: chunks each connection sends before it waits for "
                    "the first one's commit (libpq's pipeline mode), so a distant server is "
                    "kept busy; by default enough to cover the measured round trip, at most "
                    "32 and 64 MiB of chunks"},
           {.name = "max-rate",
            .value_name = "RATE",
            .default_words = "none",
            .list = true,
            .help =
                "a budget all workers share, whatever --workers is: rows per second "
                "(50000rows/s), payload bytes per second (8MiB/s), or both (50000rows/s,8MiB/s, "
                "or the option twice); each chunk waits for its share before it is sent, so "
                "any second stays within about a tenth of the budget; --workers auto adds no "
                "workers while it holds chunks back"},
           {.name = "presplit",
            .value_name = "N",
            .help = "CockroachDB, with --create: split the new table into N ranges at even key "
                    "boundaries (ALTER TABLE ... SPLIT AT), then SCATTER them, so the load "
                    "writes to every node from the start"},
           {.name = "shard",
            .value_name = "K/N",
            .default_words = "the whole job",
            .help = "of the job's blocks of --chunk rows, numbered from 0, load only those "
                    "whose number mod N is K, so N processes (one for each K, same other "
                    "options) load the job together, each resumable on its own"},
       }},
      {"Faults and journal",
       {
           {.name = "max-retries",
            .value_name = "N",
            .default_value = "10",
            .help = "retries per chunk of serialization failures (40001, 40P01), with "
                    "exponential backoff and jitter"},
           {.name = "reconnect-timeout",
            .value_name = "SECONDS",
            .default_value = "60",
            .help = "how long a chunk keeps reconnecting (with backoff) while the server is "
                    "unreachable or restarting, before the load stops"},
           kStatementTimeout,
           {.name = "job",
            .value_name = "NAME",
            .default_words = "a digest of table, seed and rows",
            .help = "the journal's name for this load; a re-run with the same job loads only "
                    "what is not committed yet"},
           {.name = "no-journal",
            .help = "do not record committed chunks in loader_journal: slightly faster, but a "
                    "re-run loads every row again and an unknown commit outcome stops the load "
                    "(exit 9)"},
           {.name = "fallback-dir",
            .value_name = "DIR",
            .help = "write a chunk that cannot be committed (retries exhausted, too large, "
                    "server gone past --reconnect-timeout) to DIR as CSV with its import "
                    "scripts, and go on; the load then ends with exit 11"},
       }},
      {"Import files",
       {
           {.name = "emit-import",
            .value_name = "DIR",
            .help = "do not load: write the rows (generated, or read from --input) as CSV files "
                    "in DIR, with import.sql (IMPORT INTO, CockroachDB), upload.sh, "
                    "load-postgres.sql (psql) and manifest.json; needs no server"},
           {.name = "import-url",
            .value_name = "URL",
            .default_words = "nodelocal://1/ and DIR's last name",
            .help = "where the server reads the files import.sql names: nodelocal://1/dir, "
                    "userfile:///dir, s3://bucket/dir?AUTH=..., gs://, azure://, http(s)://"},
           {.name = "import-files",
            .value_name = "N",
            .default_words = "files of about 256MiB, at least one per worker",
            .help = "spread the rows of --emit-import over N files"},
           {.name = "import-file-bytes",
            .value_name = "SIZE",
            .help = "start a new file of --emit-import after SIZE bytes (e.g. 64MiB)"},
           {.name = "compress",
            .value_name = "FORMAT",
            .default_value = "none",
            .help = "gzip: write the files of --emit-import as NAME.csv.gz, which IMPORT INTO "
                    "and load-postgres.sql decompress; --import-file-bytes still counts the "
                    "CSV bytes before compression"},
       }},
      {"Output",
       {
           {.name = "stats-json",
            .value_name = "FILE",
            .help = "also write the summary as JSON to FILE; - writes the JSON to standard "
                    "output, and the text summary then goes to standard error"},
           {.name = "progress-every",
            .value_name = "SECONDS",
            .default_value = "10",
            .help = "when standard error is not a terminal, log progress every SECONDS seconds "
                    "(0: never); on a terminal a status line shows it live"},
           {.name = "quiet", .help = "no progress line or progress log lines"},
           {.name = "log-level",
            .value_name = "LEVEL",
            .default_value = "info",
            .help = "trace, debug, info, warn, error or off; logs go to standard error"},
           {.name = "dry-run",
            .help = "print the plan (server kind, chunk rows and bytes, intent budget) and write "
                    "nothing"},
           kHelp,
           {.name = "version", .action = true, .help = "print the version and exit"},
       }},
  };
}

std::vector<OptionGroup> MakeJournalGroups() {
  return {
      {"Connection",
       {
           {.name = "url",
            .value_name = "URL",
            .default_words = "$DATABASE_URL, else $COCKROACH_URL, else libpq's PG* variables",
            .list = true,
            .help = "server whose journal to read: a URL or key=value conninfo, as for a load"},
           kCertsDir,
           kInsecure,
           kStatementTimeout,
       }},
      {"Output",
       {
           {.name = "log-level",
            .value_name = "LEVEL",
            .default_value = "info",
            .help = "trace, debug, info, warn, error or off"},
           kHelp,
           // The positional arguments: `loader journal forget JOB`.
           {.name = "action", .value_name = "ACTION", .default_value = "list", .hidden = true},
           {.name = "job", .value_name = "JOB", .hidden = true},
       }},
  };
}

}  // namespace

const std::vector<OptionGroup>& LoadOptionGroups() {
  static const std::vector<OptionGroup> groups = MakeLoadGroups();
  return groups;
}

const std::vector<OptionGroup>& JournalOptionGroups() {
  static const std::vector<OptionGroup> groups = MakeJournalGroups();
  return groups;
}

po::options_description Describe(const std::vector<OptionGroup>& groups) {
  po::options_description desc;
  for (const OptionGroup& group : groups) {
    for (const OptionSpec& spec : group.options) {
      if (spec.action) {
        desc.add_options()(spec.name, spec.help);
      } else if (spec.value_name == nullptr) {
        // LOADER_CREATE=1 still works: the environment parser hands a
        // switch its value, and Boost reads 1, true, yes, on (or 0, false,
        // no, off) as a bool.
        desc.add_options()(spec.name, po::bool_switch(), spec.help);
      } else if (spec.list) {
        desc.add_options()(spec.name,
                           po::value<std::vector<std::string>>()->value_name(spec.value_name),
                           spec.help);
      } else {
        // Numbers are read as text and checked by ParseCount: Boost's own
        // conversion accepts "-1" for an unsigned value and wraps it around.
        auto* value = po::value<std::string>()->value_name(spec.value_name);
        if (spec.default_value != nullptr) value->default_value(spec.default_value);
        desc.add_options()(spec.name, value, spec.help);
      }
    }
  }
  return desc;
}

}  // namespace loader
