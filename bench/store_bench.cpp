// store_bench: rows per second written through the cost stores, each beside
// its bare limit measured in the same run on the same table (same schema and
// indexes, created by the store):
//   SQLite      store::replace_periods (read the periods' stored rows, diff,
//               prepared inserts in one BEGIN IMMEDIATE transaction)
//               vs a bare prepared-statement INSERT loop in one transaction;
//   PostgreSQL  the same call (COPY into cost_rows) vs a bare COPY of the
//               same rows, when a server is configured (PGHOST...):
//                 tests/with_postgres.sh build/bench/store_bench --json
// Plus the refresh of unchanged rows (the same periods written again: the
// read and the diff, no row written), which is what a daily sync mostly does.
//
//   store_bench [--rows N] [--json]
//
// Each figure is the best of 3 runs, each on a fresh database; the rows
// (100 days x 250 groups x 4 metrics = 100k by default) are built once.
#include "finops_crawler/store/postgres_store.hpp"
#include "finops_crawler/store/sqlite_store.hpp"

#include <libpq-fe.h>
#include <sqlite3.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <functional>
#include <string>
#include <vector>

using namespace finops_crawler;

namespace {

using clock_type = std::chrono::steady_clock;

struct dataset {
  std::vector<store::stored_period> periods;
  std::vector<std::vector<std::string>> text;  // start, end, group_1, group_2, metric, amount, unit
  std::vector<store::store_row> rows;
};

std::string day(int n) {  // n days after 2025-01-01, within 2025 (n < 365)
  static const int month_days[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  int m = 0;
  while (n >= month_days[m]) n -= month_days[m++];
  char buf[32];
  std::snprintf(buf, sizeof buf, "2025-%02d-%02d", m + 1, n + 1);
  return buf;
}

dataset make_rows(std::size_t wanted) {
  dataset d;
  const char* metrics[] = {"UnblendedCost", "BlendedCost", "AmortizedCost", "UsageQuantity"};
  const int groups = 250;
  const int days = static_cast<int>((wanted + groups * 4 - 1) / (groups * 4));
  for (int i = 0; i < days && i < 364; ++i) d.periods.push_back({day(i), day(i + 1), false, 2, ""});
  for (const auto& p : d.periods)
    for (int g = 0; g < groups && d.text.size() < wanted; ++g)
      for (const char* m : metrics) {
        if (d.text.size() >= wanted) break;
        char amount[48];
        std::snprintf(amount, sizeof amount, "%d.%010d", (g * 37 + static_cast<int>(d.text.size())) % 5000,
                      static_cast<int>((d.text.size() * 2654435761u) % 1000000000u));
        d.text.push_back({p.period_start, p.period_end, "Amazon Service Number " + std::to_string(g % 50),
                          std::to_string(100000000000 + g / 50), m, amount, m[0] == 'U' && m[1] == 's' ? "Hrs" : "USD"});
      }
  for (const auto& t : d.text) d.rows.push_back({t[0], t[1], t[2], t[3], t[4], t[5], t[6], false});
  return d;
}

double seconds_since(clock_type::time_point t0) {
  return std::chrono::duration<double>(clock_type::now() - t0).count();
}

[[noreturn]] void die(const std::string& msg) {
  std::fprintf(stderr, "store_bench: %s\n", msg.c_str());
  std::exit(1);
}

std::unique_ptr<store::cost_store> must(result<std::unique_ptr<store::cost_store>> r) {
  if (!r) die(r.error().describe());
  return std::move(*r);
}

void create_report(store::cost_store& s) {
  if (auto st = s.create_report({"bench", "111111111111", "{}", "2025-06-01T00:00:00Z"}); !st) die(st.error().message);
}

struct figures {
  double store_s = 1e9, refresh_s = 1e9, bare_s = 1e9;
};

/// Each figure's best (smallest) over `n` runs of `run(rep)`, rep = 0..n-1.
template <class Run>
figures best_of(int n, Run run) {
  figures best;
  for (int rep = 0; rep < n; ++rep) {
    const figures f = run(rep);
    best.store_s = std::min(best.store_s, f.store_s);
    best.refresh_s = std::min(best.refresh_s, f.refresh_s);
    best.bare_s = std::min(best.bare_s, f.bare_s);
  }
  return best;
}

/// The store's figures on a fresh database: the first write of every row,
/// then the same periods again (nothing changed). bare_s is left unset.
figures store_run(store::cost_store& s, const dataset& d) {
  figures f;
  create_report(s);
  auto t0 = clock_type::now();
  auto c = s.replace_periods("bench", d.periods, d.rows, "2025-06-01T00:00:00Z");
  f.store_s = seconds_since(t0);
  if (!c || c->inserted != d.rows.size()) die("store write: " + (c ? std::string("row count") : c.error().message));
  t0 = clock_type::now();
  auto again = s.replace_periods("bench", d.periods, d.rows, "2025-06-02T00:00:00Z");
  f.refresh_s = seconds_since(t0);
  if (!again || again->inserted + again->updated + again->deleted != 0) die("store refresh");
  return f;
}

// --- SQLite ---------------------------------------------------------------

void sqlite_bare(const std::string& path, const dataset& d) {
  sqlite3* db = nullptr;
  if (sqlite3_open(path.c_str(), &db) != SQLITE_OK) die("sqlite3_open");
  sqlite3_stmt* s = nullptr;
  const char* sql =
      "INSERT INTO cost_rows (report, period_start, group_1, group_2, metric, period_end, amount, unit, estimated, "
      "fetched_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)";
  if (sqlite3_exec(db, "BEGIN IMMEDIATE", nullptr, nullptr, nullptr) != SQLITE_OK ||
      sqlite3_prepare_v2(db, sql, -1, &s, nullptr) != SQLITE_OK)
    die(sqlite3_errmsg(db));
  auto text = [&](int i, std::string_view v) {
    sqlite3_bind_text(s, i, v.data(), static_cast<int>(v.size()), SQLITE_STATIC);
  };
  for (const auto& r : d.rows) {
    text(1, "bench");
    text(2, r.period_start);
    text(3, r.group_1);
    text(4, r.group_2);
    text(5, r.metric);
    text(6, r.period_end);
    text(7, r.amount);
    text(8, r.unit);
    sqlite3_bind_int(s, 9, r.estimated ? 1 : 0);
    text(10, "2025-06-01T00:00:00Z");
    if (sqlite3_step(s) != SQLITE_DONE) die(sqlite3_errmsg(db));
    sqlite3_reset(s);
  }
  sqlite3_finalize(s);
  if (sqlite3_exec(db, "COMMIT", nullptr, nullptr, nullptr) != SQLITE_OK) die(sqlite3_errmsg(db));
  sqlite3_close(db);
}

figures bench_sqlite(const dataset& d) {
  char templ[] = "/tmp/store-bench.XXXXXX";
  if (!::mkdtemp(templ)) die("mkdtemp");
  const std::string dir = templ;
  const figures f = best_of(3, [&](int rep) {
    const std::string a = dir + "/store" + std::to_string(rep) + ".db", b = dir + "/bare" + std::to_string(rep) + ".db";
    figures r = store_run(*must(store::open_sqlite_store(a)), d);
    create_report(*must(store::open_sqlite_store(b)));  // the same schema and indexes
    const auto t0 = clock_type::now();
    sqlite_bare(b, d);
    r.bare_s = seconds_since(t0);
    return r;
  });
  std::filesystem::remove_all(dir);
  return f;
}

// --- PostgreSQL -----------------------------------------------------------

void pg_run(PGconn* c, const std::string& sql) {
  PGresult* r = PQexec(c, sql.c_str());
  const auto st = PQresultStatus(r);
  if (st != PGRES_COMMAND_OK && st != PGRES_TUPLES_OK) die(PQresultErrorMessage(r));
  PQclear(r);
}

void escape(std::string& out, std::string_view v) {
  for (char ch : v) {
    if (ch == '\\' || ch == '\t' || ch == '\n' || ch == '\r') {
      out += '\\';
      out += ch == '\t' ? 't' : ch == '\n' ? 'n' : ch == '\r' ? 'r' : '\\';
    } else {
      out += ch;
    }
  }
}

void pg_bare_copy(const std::string& conninfo, const dataset& d) {
  PGconn* c = PQconnectdb(conninfo.c_str());
  if (PQstatus(c) != CONNECTION_OK) die(PQerrorMessage(c));
  pg_run(c, "BEGIN");
  PGresult* r = PQexec(c, "COPY cost_rows (report, period_start, group_1, group_2, metric, period_end, amount, unit, "
                          "estimated, fetched_at) FROM STDIN");
  if (PQresultStatus(r) != PGRES_COPY_IN) die(PQresultErrorMessage(r));
  PQclear(r);
  std::string buf;
  for (const auto& row : d.rows) {
    buf += "bench\t";
    for (std::string_view v : {row.period_start, row.group_1, row.group_2, row.metric, row.period_end, row.amount,
                               row.unit}) {
      escape(buf, v);
      buf += '\t';
    }
    buf += row.estimated ? "t\t" : "f\t";
    buf += "2025-06-01T00:00:00Z\n";
    if (buf.size() > (1u << 20)) {
      if (PQputCopyData(c, buf.data(), static_cast<int>(buf.size())) != 1) die(PQerrorMessage(c));
      buf.clear();
    }
  }
  if (PQputCopyData(c, buf.data(), static_cast<int>(buf.size())) != 1 || PQputCopyEnd(c, nullptr) != 1)
    die(PQerrorMessage(c));
  while (PGresult* e = PQgetResult(c)) {
    if (PQresultStatus(e) != PGRES_COMMAND_OK) die(PQresultErrorMessage(e));
    PQclear(e);
  }
  pg_run(c, "COMMIT");
  PQfinish(c);
}

figures bench_postgres(const dataset& d) {
  PGconn* admin = PQconnectdb("dbname=postgres");
  if (PQstatus(admin) != CONNECTION_OK) die(PQerrorMessage(admin));
  PQsetNoticeProcessor(admin, [](void*, const char*) {}, nullptr);
  const std::string base = "store_bench_" + std::to_string(::getpid());
  const figures f = best_of(3, [&](int) {
    const std::string a = base + "_store", b = base + "_bare";
    for (const auto& n : {a, b}) {
      pg_run(admin, "DROP DATABASE IF EXISTS " + n + " WITH (FORCE)");
      pg_run(admin, "CREATE DATABASE " + n);
    }
    figures r = store_run(*must(store::open_postgres_store("dbname=" + a)), d);
    create_report(*must(store::open_postgres_store("dbname=" + b)));  // the same schema and indexes
    const auto t0 = clock_type::now();
    pg_bare_copy("dbname=" + b, d);
    r.bare_s = seconds_since(t0);
    for (const auto& n : {a, b}) pg_run(admin, "DROP DATABASE " + n + " WITH (FORCE)");
    return r;
  });
  PQfinish(admin);
  return f;
}

}  // namespace

int main(int argc, char** argv) {
  std::size_t rows = 100000;
  bool json = false;
  for (int i = 1; i < argc; ++i) {
    if (std::strcmp(argv[i], "--json") == 0) json = true;
    else if (std::strcmp(argv[i], "--rows") == 0 && i + 1 < argc) rows = std::strtoul(argv[++i], nullptr, 10);
    else {
      std::fprintf(stderr, "usage: %s [--rows N] [--json]\n", argv[0]);
      return 2;
    }
  }
  if (rows == 0 || rows > 364 * 1000) die("--rows must be 1..364000");
  const dataset d = make_rows(rows);
  const figures sq = bench_sqlite(d);
  const char* host = std::getenv("PGHOST");
  const bool with_pg = host && *host;
  figures pg;
  if (with_pg) pg = bench_postgres(d);
  const double n = static_cast<double>(d.rows.size());
  if (json) {
    std::printf("{\"rows\":%zu,\"periods\":%zu,\"sqlite_version\":\"%s\",\"rows_per_s_store_sqlite\":%.0f,"
                "\"rows_per_s_bare_sqlite\":%.0f,\"ratio_sqlite\":%.3f,\"rows_per_s_refresh_unchanged_sqlite\":%.0f",
                d.rows.size(), d.periods.size(), sqlite3_libversion(), n / sq.store_s, n / sq.bare_s,
                sq.bare_s / sq.store_s, n / sq.refresh_s);
    if (with_pg)
      std::printf(",\"libpq_version\":%d,\"rows_per_s_store_postgres\":%.0f,\"rows_per_s_bare_copy_postgres\":%.0f,"
                  "\"ratio_postgres\":%.3f,\"rows_per_s_refresh_unchanged_postgres\":%.0f",
                  PQlibVersion(), n / pg.store_s, n / pg.bare_s, pg.bare_s / pg.store_s, n / pg.refresh_s);
    else
      std::printf(",\"postgres\":\"not measured: PGHOST unset (run under tests/with_postgres.sh)\"");
    std::printf("}\n");
    return 0;
  }
  std::printf("%zu rows in %zu daily periods, best of 3, each on a fresh database\n", d.rows.size(), d.periods.size());
  std::printf("SQLite %s\n", sqlite3_libversion());
  std::printf("  store replace_periods      %10.0f rows/s  (%.3f s)\n", n / sq.store_s, sq.store_s);
  std::printf("  bare prepared INSERT loop  %10.0f rows/s  (%.3f s)  store/bare = %.2f\n", n / sq.bare_s, sq.bare_s,
              sq.bare_s / sq.store_s);
  std::printf("  refresh, nothing changed   %10.0f rows/s  (%.3f s)\n", n / sq.refresh_s, sq.refresh_s);
  if (with_pg) {
    std::printf("PostgreSQL (libpq %d)\n", PQlibVersion());
    std::printf("  store replace_periods      %10.0f rows/s  (%.3f s)\n", n / pg.store_s, pg.store_s);
    std::printf("  bare COPY                  %10.0f rows/s  (%.3f s)  store/bare = %.2f\n", n / pg.bare_s, pg.bare_s,
                pg.bare_s / pg.store_s);
    std::printf("  refresh, nothing changed   %10.0f rows/s  (%.3f s)\n", n / pg.refresh_s, pg.refresh_s);
  } else {
    std::printf("PostgreSQL: not measured (PGHOST unset; run under tests/with_postgres.sh)\n");
  }
  return 0;
}
