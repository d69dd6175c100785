#ifndef FINOPS_CRAWLER_STORE_POSTGRES_STORE_INL_HPP
#define FINOPS_CRAWLER_STORE_POSTGRES_STORE_INL_HPP
/// \file
/// The bodies of postgres_store.hpp: included by that header in header-only
/// mode, compiled once in src/postgres_store.cpp otherwise (config.hpp). The
/// only file with <libpq-fe.h>. Not for direct inclusion.

#include <libpq-fe.h>

#include <algorithm>
#include <cctype>
#include <cstdlib>
#include <cstring>

#include "finops_crawler/detail/json_writer.hpp"
#include "finops_crawler/store/postgres_store.hpp"
#include "finops_crawler/store/replace_plan.hpp"

namespace finops_crawler {
inline namespace v0 {
namespace store {
namespace postgres_impl {

/// The schema, one script per version step (as in sqlite_store-inl.hpp):
/// migrations[i] takes a database from version i to i + 1. Forward only.
inline constexpr std::string_view migrations[] = {
    // 0 -> 1: the first schema (README, "Database schema").
    R"sql(
CREATE TABLE schema_version (version integer NOT NULL);
CREATE TABLE reports (
  name text PRIMARY KEY,
  payer_account_id text NOT NULL,
  definition_json text NOT NULL,
  created_at timestamptz NOT NULL);
CREATE TABLE cost_rows (
  report text NOT NULL REFERENCES reports(name),
  period_start date NOT NULL,
  period_end date NOT NULL,
  group_1 text NOT NULL DEFAULT '',
  group_2 text NOT NULL DEFAULT '',
  metric text NOT NULL,
  amount numeric NOT NULL,
  unit text NOT NULL,
  estimated boolean NOT NULL,
  fetched_at timestamptz NOT NULL,
  PRIMARY KEY (report, period_start, group_1, group_2, metric));
CREATE INDEX cost_rows_by_group_1 ON cost_rows (report, metric, group_1, period_start);
CREATE INDEX cost_rows_by_group_2 ON cost_rows (report, metric, group_2, period_start);
CREATE TABLE fetched_periods (
  report text NOT NULL REFERENCES reports(name),
  period_start date NOT NULL,
  period_end date NOT NULL,
  estimated boolean NOT NULL,
  pages integer NOT NULL,
  fetched_at timestamptz NOT NULL,
  PRIMARY KEY (report, period_start));
CREATE TABLE accounts (
  account_id text PRIMARY KEY,
  name text NOT NULL DEFAULT '',
  email text NOT NULL DEFAULT '',
  status text NOT NULL DEFAULT '',
  updated_at timestamptz NOT NULL);
CREATE TABLE sync_runs (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  report text NOT NULL,
  started_at timestamptz NOT NULL,
  finished_at timestamptz,
  status text NOT NULL CHECK (status IN ('running', 'ok', 'partial', 'failed')),
  billable_requests bigint NOT NULL DEFAULT 0,
  rows_inserted bigint NOT NULL DEFAULT 0,
  rows_updated bigint NOT NULL DEFAULT 0,
  rows_deleted bigint NOT NULL DEFAULT 0);
CREATE INDEX sync_runs_by_report ON sync_runs (report, started_at);
)sql",
};
static_assert(sizeof(migrations) / sizeof(migrations[0]) == static_cast<std::size_t>(schema_version),
              "one migration per schema version");

/// Advisory lock keys. lock_report() uses the one-bigint form (the report
/// hash); writes use the two-int form, a separate key space in PostgreSQL
/// (so a session never waits for its own sync lock held on the lock session).
inline constexpr int write_lock_class = 0x46434b31;   // writes of one report
inline constexpr int schema_lock_class = 0x46434b30;  // schema creation

/// Timestamps read back in the form they were written.
#define FINOPS_CRAWLER_PG_TS(col) "to_char(" col " AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"')"
#define FINOPS_CRAWLER_PG_DAY(col) "to_char(" col ", 'YYYY-MM-DD')"

/// One PGresult, cleared on destruction.
class pg_result {
 public:
  explicit pg_result(PGresult* r = nullptr) noexcept : r_(r) {}
  pg_result(pg_result&& o) noexcept : r_(o.r_) { o.r_ = nullptr; }
  pg_result& operator=(pg_result&& o) noexcept {
    if (this != &o) {
      PQclear(r_);
      r_ = o.r_;
      o.r_ = nullptr;
    }
    return *this;
  }
  pg_result(const pg_result&) = delete;
  pg_result& operator=(const pg_result&) = delete;
  ~pg_result() { PQclear(r_); }
  PGresult* get() const noexcept { return r_; }
  int rows() const noexcept { return PQntuples(r_); }
  std::string text(int row, int col) const {
    return std::string(PQgetvalue(r_, row, col), static_cast<std::size_t>(PQgetlength(r_, row, col)));
  }
  bool boolean(int row, int col) const noexcept { return PQgetvalue(r_, row, col)[0] == 't'; }
  std::int64_t integer(int row, int col) const noexcept { return std::strtoll(PQgetvalue(r_, row, col), nullptr, 10); }
  std::uint64_t affected() const noexcept { return std::strtoull(PQcmdTuples(r_), nullptr, 10); }

 private:
  PGresult* r_;
};

/// What may appear in libpq's messages and must not be shown: the password
/// as written in a URI (raw and percent-decoded), as parsed, and PGPASSWORD.
inline std::vector<std::string> secrets_of(std::string_view conninfo) {
  std::vector<std::string> out;
  const auto scheme = conninfo.find("://");
  if (scheme != std::string_view::npos) {
    const auto rest = conninfo.substr(scheme + 3);
    const auto at = rest.rfind('@', rest.find_first_of("/?"));
    if (at != std::string_view::npos) {
      const auto userinfo = rest.substr(0, at);
      const auto colon = userinfo.find(':');
      if (colon != std::string_view::npos) {
        const std::string raw(userinfo.substr(colon + 1));
        out.push_back(raw);
        std::string decoded;
        for (std::size_t i = 0; i < raw.size(); ++i) {
          if (raw[i] == '%' && i + 2 < raw.size() && std::isxdigit(static_cast<unsigned char>(raw[i + 1])) &&
              std::isxdigit(static_cast<unsigned char>(raw[i + 2]))) {
            decoded += static_cast<char>(std::strtol(raw.substr(i + 1, 2).c_str(), nullptr, 16));
            i += 2;
          } else {
            decoded += raw[i];
          }
        }
        out.push_back(decoded);
      }
    }
  }
  const std::string copy(conninfo);
  char* err = nullptr;
  if (PQconninfoOption* opts = PQconninfoParse(copy.c_str(), &err)) {
    for (auto* o = opts; o->keyword; ++o)
      if (std::strcmp(o->keyword, "password") == 0 && o->val && *o->val) out.emplace_back(o->val);
    PQconninfoFree(opts);
  }
  PQfreemem(err);
  if (const char* env = std::getenv("PGPASSWORD"); env && *env) out.emplace_back(env);
  return out;
}

/// Connects with libpq's rules, a 10 s connect timeout unless the
/// connection string sets one, and no notices on stderr.
inline PGconn* connect(const std::string& conninfo) {
  // expand_dbname: `conninfo` (a URI or key=value string) is expanded and
  // overrides the keywords before it; an empty one leaves libpq's defaults.
  const char* keys[] = {"connect_timeout", "fallback_application_name", "dbname", nullptr};
  const char* values[] = {"10", "finops-crawler", conninfo.empty() ? nullptr : conninfo.c_str(), nullptr};
  PGconn* c = PQconnectdbParams(keys, values, 1);
  if (c) PQsetNoticeProcessor(c, [](void*, const char*) {}, nullptr);
  return c;
}

/// The lock_report() lock: a session of its own holding pg_advisory_lock.
class advisory_lock_holder final : public report_lock::holder {
 public:
  advisory_lock_holder(PGconn* c, std::string key) noexcept : conn_(c), key_(std::move(key)) {}
  ~advisory_lock_holder() override {
    // Unlocked explicitly so the lock is free when this returns (a closed
    // session is noticed by the server a moment later).
    const char* params[] = {key_.c_str()};
    PQclear(PQexecParams(conn_, "SELECT pg_advisory_unlock($1::bigint)", 1, nullptr, params, nullptr, nullptr, 0));
    PQfinish(conn_);
  }

 private:
  PGconn* conn_;
  std::string key_;
};

class postgres_cost_store final : public cost_store {
 public:
  postgres_cost_store(PGconn* c, std::string conninfo, std::vector<std::string> secrets)
      : conn_(c), conninfo_(std::move(conninfo)), secrets_(std::move(secrets)) {
    description_ = describe(c);
  }
  postgres_cost_store(const postgres_cost_store&) = delete;
  postgres_cost_store& operator=(const postgres_cost_store&) = delete;
  ~postgres_cost_store() override { PQfinish(conn_); }

  std::string description() const override { return description_; }

  /// "PostgreSQL database D on HOST:PORT as USER", from the live connection.
  static std::string describe(PGconn* c) {
    auto s = [](const char* p) { return std::string(p ? p : ""); };
    const std::string host = s(PQhost(c));
    return "PostgreSQL database " + s(PQdb(c)) + " on " + (host.empty() || host[0] == '/' ? "socket " : "") +
           (host.empty() ? std::string("(default)") : host) + ":" + s(PQport(c)) + " as " + s(PQuser(c));
  }

  std::string clean(std::string msg) const {
    while (!msg.empty() && (msg.back() == '\n' || msg.back() == ' ')) msg.pop_back();
    for (auto& ch : msg)
      if (ch == '\n') ch = ' ';
    return detail::scrub(std::move(msg), secrets_);
  }

  /// The error of a failed command, classified by SQLSTATE class.
  error pg_error(const PGresult* r, std::string_view doing) const {
    const char* state = r ? PQresultErrorField(r, PG_DIAG_SQLSTATE) : nullptr;
    const std::string sqlstate = state ? state : "";
    std::string text = r && *PQresultErrorMessage(r) ? PQresultErrorMessage(r) : PQerrorMessage(conn_);
    std::string msg = description_ + ": " + std::string(doing) + ": " + clean(std::move(text));
    if (!sqlstate.empty()) msg += " [SQLSTATE " + sqlstate + "]";
    if (PQstatus(conn_) == CONNECTION_BAD || sqlstate.rfind("08", 0) == 0)
      return error(errc::transport, msg + " (the connection to the server was lost)");
    if (sqlstate.rfind("28", 0) == 0) return error(errc::no_credentials, msg);
    if (sqlstate == "42501" || sqlstate == "25006" || sqlstate.rfind("3D", 0) == 0)
      return error(errc::invalid_argument, msg);  // permissions, read-only transaction, no such database
    if (sqlstate == "53100") return error(errc_database, msg + " (the server's disk is full)");
    return error(errc_database, msg);
  }

  /// Runs a command with text parameters; `expect` is the success status.
  result<pg_result> query(const char* sql, const std::vector<std::string>& params, std::string_view doing,
                          ExecStatusType expect = PGRES_TUPLES_OK) {
    std::vector<const char*> values;
    values.reserve(params.size());
    for (const auto& p : params) values.push_back(p.c_str());
    pg_result r(PQexecParams(conn_, sql, static_cast<int>(values.size()), nullptr, values.data(), nullptr, nullptr,
                             0));
    if (PQresultStatus(r.get()) != expect) return pg_error(r.get(), doing);
    return r;
  }
  status command(const char* sql, const std::vector<std::string>& params, std::string_view doing) {
    auto r = query(sql, params, doing, PGRES_COMMAND_OK);
    if (!r) return r.error();
    return {};
  }

  /// COPY ... FROM STDIN with rows already in COPY text format.
  status copy_in(const char* copy_sql, const std::string& data, std::string_view doing) {
    pg_result start(PQexec(conn_, copy_sql));
    if (PQresultStatus(start.get()) != PGRES_COPY_IN) return pg_error(start.get(), doing);
    // Sent in 1 MiB pieces: PQputCopyData buffers, and a huge single call
    // would only double the memory.
    constexpr std::size_t piece = std::size_t{1} << 20;
    for (std::size_t at = 0; at < data.size(); at += piece) {
      const auto n = std::min(piece, data.size() - at);
      if (PQputCopyData(conn_, data.data() + at, static_cast<int>(n)) != 1) return pg_error(nullptr, doing);
    }
    if (PQputCopyEnd(conn_, nullptr) != 1) return pg_error(nullptr, doing);
    status st;
    while (PGresult* raw = PQgetResult(conn_)) {
      pg_result r(raw);
      if (st && PQresultStatus(raw) != PGRES_COMMAND_OK) st = pg_error(raw, doing);
    }
    return st;
  }

  /// A transaction, rolled back unless commit() succeeded.
  class transaction {
   public:
    explicit transaction(postgres_cost_store& s) : s_(s) {}
    transaction(const transaction&) = delete;
    transaction& operator=(const transaction&) = delete;
    status begin(std::string_view doing) {
      if (auto st = s_.command("BEGIN", {}, doing); !st) return st;
      open_ = true;
      return {};
    }
    status commit(std::string_view doing) {
      open_ = false;  // a failed COMMIT ends the transaction too
      return s_.command("COMMIT", {}, doing);
    }
    ~transaction() {
      if (open_ && PQstatus(s_.conn_) == CONNECTION_OK) PQclear(PQexec(s_.conn_, "ROLLBACK"));
    }

   private:
    postgres_cost_store& s_;
    bool open_ = false;
  };

  /// A session lost earlier (a server restart, a dropped network) is opened
  /// again before the next call, with its settings and staging tables; the
  /// server rolled back whatever transaction the loss interrupted, so the
  /// caller can retry the write that failed with errc::transport.
  status reconnect_if_lost() {
    if (PQstatus(conn_) == CONNECTION_OK) return {};
    PQreset(conn_);
    if (PQstatus(conn_) != CONNECTION_OK)
      return status(errc::transport, description_ + ": reconnecting: " + clean(PQerrorMessage(conn_)));
    return prepare_session();
  }

  /// Session settings, the schema check, the session's staging tables.
  status prepare_session() {
    if (PQsetClientEncoding(conn_, "UTF8") != 0) return pg_error(nullptr, "setting the client encoding");
    if (auto st = command("SET TimeZone = 'UTC'", {}, "setting the time zone"); !st) return st;
    if (auto st = check_schema(); !st) return st;
    // Rows to update and keys to delete go through COPY into these, then one
    // statement each; they live as long as the session, emptied at commit.
    if (auto st = command("CREATE TEMP TABLE finops_stage_rows (LIKE cost_rows INCLUDING DEFAULTS) "
                          "ON COMMIT DELETE ROWS",
                          {}, "creating a staging table");
        !st)
      return st;
    return command("CREATE TEMP TABLE finops_stage_keys (period_start date, group_1 text, group_2 text, "
                   "metric text) ON COMMIT DELETE ROWS",
                   {}, "creating a staging table");
  }

  status check_schema() {
    auto version = read_schema_version();
    if (!version) return version.error();
    if (*version == schema_version) return {};
    if (*version > schema_version) return newer_schema(*version);
    // Two programs creating the schema at once: the second waits for the
    // first on a session-level lock taken BEFORE its transaction. Why not a
    // transaction-level lock: catalog lookups (to_regclass) inside a
    // transaction that began before the other one committed can still miss
    // the new tables (the catalog cache is refreshed at transaction start
    // and when a table is locked, not when an advisory lock is granted), and
    // the second CREATE TABLE then fails with "already exists".
    if (auto st = query("SELECT pg_advisory_lock($1::integer, 0)", {std::to_string(schema_lock_class)},
                        "waiting for another schema creation");
        !st)
      return st.error();
    auto st = create_or_migrate_schema();
    // Released whatever happened (a lost session releases it by itself).
    (void)query("SELECT pg_advisory_unlock($1::integer, 0)", {std::to_string(schema_lock_class)},
                "releasing the schema lock");
    return st;
  }

  /// check_schema()'s write, under its lock: reads the version again (the
  /// other program may have just created or migrated it) and applies what is
  /// missing in one transaction.
  status create_or_migrate_schema() {
    transaction tx(*this);
    if (auto st = tx.begin("creating the schema"); !st) return st;
    auto again = read_schema_version();
    if (!again) return again.error();
    if (*again == schema_version) return tx.commit("ending the schema check");
    if (*again > schema_version) return newer_schema(*again);
    for (int v = *again; v < schema_version; ++v) {
      pg_result r(PQexec(conn_, std::string(migrations[v]).c_str()));
      if (PQresultStatus(r.get()) != PGRES_COMMAND_OK)
        return pg_error(r.get(), "applying schema migration to version " + std::to_string(v + 1));
    }
    const std::string set = *again == 0 ? "INSERT INTO schema_version (version) VALUES (" +
                                              std::to_string(schema_version) + ")"
                                        : "UPDATE schema_version SET version = " + std::to_string(schema_version);
    if (auto st = command(set.c_str(), {}, "recording the schema version"); !st) return st;
    return tx.commit("committing the schema");
  }

  status newer_schema(int version) const {
    return status(errc::invalid_argument, description_ + " has schema version " + std::to_string(version) +
                                              ", newer than this finops-crawler reads (" +
                                              std::to_string(schema_version) +
                                              "): use a newer finops-crawler or another database");
  }

  result<int> read_schema_version() {
    auto exists = query("SELECT to_regclass('schema_version') IS NOT NULL", {}, "looking for the schema");
    if (!exists) return exists.error();
    if (!exists->boolean(0, 0)) return 0;
    auto v = query("SELECT version FROM schema_version", {}, "reading the schema version");
    if (!v) return v.error();
    if (v->rows() != 1 || v->integer(0, 0) < 1)
      return result<int>(errc::invalid_argument,
                         description_ + ": the schema_version table must hold one version >= 1, it holds " +
                             std::to_string(v->rows()) + " rows");
    return static_cast<int>(v->integer(0, 0));
  }

  result<std::optional<report_record>> find_report(std::string_view name) override {
    if (auto st = reconnect_if_lost(); !st) return st.error();
    auto r = query("SELECT name, payer_account_id, definition_json, " FINOPS_CRAWLER_PG_TS("created_at")
                   " FROM reports WHERE name = $1",
                   {std::string(name)}, "reading report " + std::string(name));
    if (!r) return r.error();
    if (r->rows() == 0) return std::optional<report_record>();
    return std::optional<report_record>(report_record{r->text(0, 0), r->text(0, 1), r->text(0, 2), r->text(0, 3)});
  }

  status create_report(const report_record& rec) override {
    if (auto st = reconnect_if_lost(); !st) return st.error();
    if (auto st = detail::check_report_name(rec.name); !st) return st;
    if (auto st = detail::check_timestamp("created_at", rec.created_at); !st) return st;
    auto r = query("INSERT INTO reports (name, payer_account_id, definition_json, created_at) "
                   "VALUES ($1, $2, $3, $4) ON CONFLICT (name) DO NOTHING",
                   {rec.name, rec.payer_account_id, rec.definition_json, rec.created_at},
                   "creating report " + rec.name, PGRES_COMMAND_OK);
    if (!r) return r.error();
    if (r->affected() != 1)
      return status(errc::invalid_argument, description_ + ": report " +
                                                finops_crawler::detail::quoted_excerpt(rec.name, 60) +
                                                " already exists");
    return {};
  }

  result<std::vector<stored_period>> stored_periods(std::string_view report, std::string_view from,
                                                    std::string_view to) override {
    if (auto st = reconnect_if_lost(); !st) return st.error();
    if (auto st = check_range(from, to); !st) return st.error();
    auto r = query("SELECT " FINOPS_CRAWLER_PG_DAY("period_start") ", " FINOPS_CRAWLER_PG_DAY("period_end")
                   ", estimated, pages, " FINOPS_CRAWLER_PG_TS("fetched_at")
                   " FROM fetched_periods WHERE report = $1 AND period_start >= $2 AND period_start < $3 "
                   "ORDER BY period_start",
                   {std::string(report), std::string(from), std::string(to)},
                   "reading the stored periods of " + std::string(report));
    if (!r) return r.error();
    std::vector<stored_period> out;
    out.reserve(static_cast<std::size_t>(r->rows()));
    for (int i = 0; i < r->rows(); ++i)
      out.push_back({r->text(i, 0), r->text(i, 1), r->boolean(i, 2), static_cast<std::uint32_t>(r->integer(i, 3)),
                     r->text(i, 4)});
    return out;
  }

  result<std::vector<cost_row_record>> read_rows(std::string_view report, std::string_view from,
                                                 std::string_view to) override {
    if (auto st = reconnect_if_lost(); !st) return st.error();
    if (auto st = check_range(from, to); !st) return st.error();
    // ORDER BY with COLLATE "C": the byte order SQLite uses, so both stores
    // list rows alike whatever the database's collation.
    auto r = query("SELECT " FINOPS_CRAWLER_PG_DAY("period_start") ", " FINOPS_CRAWLER_PG_DAY("period_end")
                   ", group_1, group_2, metric, amount::text, unit, estimated, " FINOPS_CRAWLER_PG_TS("fetched_at")
                   " FROM cost_rows WHERE report = $1 AND period_start >= $2 AND period_start < $3 "
                   "ORDER BY period_start, group_1 COLLATE \"C\", group_2 COLLATE \"C\", metric COLLATE \"C\"",
                   {std::string(report), std::string(from), std::string(to)},
                   "reading the rows of " + std::string(report));
    if (!r) return r.error();
    std::vector<cost_row_record> out;
    out.reserve(static_cast<std::size_t>(r->rows()));
    for (int i = 0; i < r->rows(); ++i)
      out.push_back({r->text(i, 0), r->text(i, 1), r->text(i, 2), r->text(i, 3), r->text(i, 4), r->text(i, 5),
                     r->text(i, 6), r->boolean(i, 7), r->text(i, 8)});
    return out;
  }

  result<std::int64_t> begin_run(std::string_view report, std::string_view started_at) override {
    if (auto st = reconnect_if_lost(); !st) return st.error();
    if (auto st = detail::check_report_name(report); !st) return st.error();
    if (auto st = detail::check_timestamp("started_at", started_at); !st) return st.error();
    auto r = query("INSERT INTO sync_runs (report, started_at, status) VALUES ($1, $2, 'running') RETURNING id",
                   {std::string(report), std::string(started_at)}, "recording the start of the run");
    if (!r) return r.error();
    return r->integer(0, 0);
  }

  status finish_run(std::int64_t run_id, run_status rs, std::string_view finished_at,
                    std::uint64_t billable_requests, const write_counts& c) override {
    if (auto st = reconnect_if_lost(); !st) return st.error();
    if (auto st = detail::check_timestamp("finished_at", finished_at); !st) return st;
    auto r = query("UPDATE sync_runs SET finished_at = $1, status = $2, billable_requests = $3, rows_inserted = $4, "
                   "rows_updated = $5, rows_deleted = $6 WHERE id = $7",
                   {std::string(finished_at), std::string(to_string(rs)), std::to_string(billable_requests),
                    std::to_string(c.inserted), std::to_string(c.updated), std::to_string(c.deleted),
                    std::to_string(run_id)},
                   "recording the end of the run", PGRES_COMMAND_OK);
    if (!r) return r.error();
    if (r->affected() != 1)
      return status(errc::invalid_argument, description_ + ": no sync run with id " + std::to_string(run_id));
    return {};
  }

  result<write_counts> replace_periods(std::string_view report, finops_crawler::detail::span<stored_period> periods,
                                       finops_crawler::detail::span<store_row> rows,
                                       std::string_view fetched_at) override {
    if (auto st = reconnect_if_lost(); !st) return st.error();
    if (auto st = detail::check_report_name(report); !st) return st.error();
    if (auto st = detail::check_timestamp("fetched_at", fetched_at); !st) return st.error();
    if (auto st = detail::check_replace_input(periods, rows); !st) return st.error();
    if (periods.empty()) return write_counts{};
    const std::string rep(report), ts(fetched_at);
    std::string days = "{", ends = "{", estimated = "{", pages = "{";
    for (const auto& p : periods) {
      const char* sep = days.size() > 1 ? "," : "";
      days += sep + p.period_start;
      ends += sep + p.period_end;
      estimated += std::string(sep) + (p.estimated ? "t" : "f");
      pages += sep + std::to_string(p.pages);
    }
    days += '}', ends += '}', estimated += '}', pages += '}';

    transaction tx(*this);
    if (auto st = tx.begin("starting the write of " + std::to_string(periods.size()) + " periods"); !st)
      return st.error();
    // Writers of one report take turns, so the stored rows read below stay
    // what the diff assumes until commit.
    if (auto st = query("SELECT pg_advisory_xact_lock($1::integer, $2::integer)",
                        {std::to_string(write_lock_class),
                         std::to_string(static_cast<std::int32_t>(detail::report_hash(report) & 0x7fffffff))},
                        "waiting for another write of the report");
        !st)
      return st.error();
    auto known = query("SELECT 1 FROM reports WHERE name = $1", {rep}, "reading report " + rep);
    if (!known) return known.error();
    if (known->rows() == 0)
      return result<write_counts>(errc::invalid_argument,
                                  description_ + ": report " + finops_crawler::detail::quoted_excerpt(report, 60) +
                                      " does not exist (create_report first)");
    auto stored = query("SELECT " FINOPS_CRAWLER_PG_DAY("period_start") ", " FINOPS_CRAWLER_PG_DAY("period_end")
                        ", group_1, group_2, metric, amount::text, unit, estimated FROM cost_rows "
                        "WHERE report = $1 AND period_start = ANY ($2::date[])",
                        {rep, days}, "reading the stored rows of the periods");
    if (!stored) return stored.error();
    std::vector<detail::existing_row> existing;
    existing.reserve(static_cast<std::size_t>(stored->rows()));
    for (int i = 0; i < stored->rows(); ++i)
      existing.push_back({stored->text(i, 0), stored->text(i, 1), stored->text(i, 2), stored->text(i, 3),
                          stored->text(i, 4), stored->text(i, 5), stored->text(i, 6), stored->boolean(i, 7)});
    const auto changes = detail::diff_rows(rows, existing, /*signless_zero=*/true);

    if (!changes.deletes.empty()) {
      std::string data;
      for (const auto* e : changes.deletes) {
        data += e->period_start;
        field(data, e->group_1);
        field(data, e->group_2);
        field(data, e->metric);
        data += '\n';
      }
      if (auto st = copy_in("COPY finops_stage_keys FROM STDIN", data, "staging vanished rows"); !st)
        return st.error();
      auto r = query("DELETE FROM cost_rows c USING finops_stage_keys k WHERE c.report = $1 AND "
                     "c.period_start = k.period_start AND c.group_1 = k.group_1 AND c.group_2 = k.group_2 AND "
                     "c.metric = k.metric",
                     {rep}, "deleting vanished rows", PGRES_COMMAND_OK);
      if (!r) return r.error();
    }
    if (!changes.updates.empty()) {
      if (auto st = copy_in("COPY finops_stage_rows (report, period_start, group_1, group_2, metric, period_end, "
                            "amount, unit, estimated, fetched_at) FROM STDIN",
                            copy_rows(rep, changes.updates, ts), "staging changed rows");
          !st)
        return st.error();
      auto r = query("UPDATE cost_rows c SET period_end = s.period_end, amount = s.amount, unit = s.unit, "
                     "estimated = s.estimated, fetched_at = s.fetched_at FROM finops_stage_rows s WHERE "
                     "c.report = s.report AND c.period_start = s.period_start AND c.group_1 = s.group_1 AND "
                     "c.group_2 = s.group_2 AND c.metric = s.metric",
                     {}, "updating changed rows", PGRES_COMMAND_OK);
      if (!r) return r.error();
    }
    if (!changes.inserts.empty())
      if (auto st = copy_in("COPY cost_rows (report, period_start, group_1, group_2, metric, period_end, amount, "
                            "unit, estimated, fetched_at) FROM STDIN",
                            copy_rows(rep, changes.inserts, ts), "inserting rows");
          !st)
        return st.error();
    if (auto st = command("INSERT INTO fetched_periods (report, period_start, period_end, estimated, pages, "
                          "fetched_at) SELECT $1, s, e, est, pg, $6::timestamptz FROM unnest($2::date[], "
                          "$3::date[], $4::boolean[], $5::integer[]) AS t(s, e, est, pg) "
                          "ON CONFLICT (report, period_start) DO UPDATE SET period_end = excluded.period_end, "
                          "estimated = excluded.estimated, pages = excluded.pages, fetched_at = excluded.fetched_at",
                          {rep, days, ends, estimated, pages, ts}, "recording the fetched periods");
        !st)
      return st.error();
    if (auto st = tx.commit("committing the periods"); !st) return st.error();
    return changes.counts();
  }

  result<std::uint64_t> upsert_accounts(finops_crawler::detail::span<account_record> accounts,
                                        std::string_view updated_at) override {
    if (auto st = reconnect_if_lost(); !st) return st.error();
    if (auto st = detail::check_timestamp("updated_at", updated_at); !st) return st.error();
    for (const auto& a : accounts)
      if (a.account_id.empty()) return result<std::uint64_t>(errc::invalid_argument, "an account has no account_id");
    if (accounts.empty()) return std::uint64_t{0};
    transaction tx(*this);
    if (auto st = tx.begin("starting the write of accounts"); !st) return st.error();
    std::uint64_t changed = 0;
    for (const auto& a : accounts) {
      // An empty field keeps what is stored (as in sqlite_store-inl.hpp).
      auto r = query("INSERT INTO accounts AS a (account_id, name, email, status, updated_at) "
                     "VALUES ($1, $2, $3, $4, $5) ON CONFLICT (account_id) DO UPDATE SET "
                     "name = CASE WHEN excluded.name <> '' THEN excluded.name ELSE a.name END, "
                     "email = CASE WHEN excluded.email <> '' THEN excluded.email ELSE a.email END, "
                     "status = CASE WHEN excluded.status <> '' THEN excluded.status ELSE a.status END, "
                     "updated_at = excluded.updated_at "
                     "WHERE (excluded.name <> '' AND excluded.name <> a.name) "
                     "OR (excluded.email <> '' AND excluded.email <> a.email) "
                     "OR (excluded.status <> '' AND excluded.status <> a.status)",
                     {a.account_id, a.name, a.email, a.status, std::string(updated_at)},
                     "writing account " + a.account_id, PGRES_COMMAND_OK);
      if (!r) return r.error();
      changed += r->affected();
    }
    if (auto st = tx.commit("committing the accounts"); !st) return st.error();
    return changed;
  }

  result<report_lock> lock_report(std::string_view report, bool wait) override {
    if (auto st = detail::check_report_name(report); !st) return st.error();
    PGconn* c = connect(conninfo_);
    if (!c || PQstatus(c) != CONNECTION_OK) {
      std::string msg = description_ + ": opening the lock session: " + clean(c ? PQerrorMessage(c) : "out of memory");
      PQfinish(c);
      return result<report_lock>(errc::transport, std::move(msg));
    }
    const std::string key = std::to_string(static_cast<std::int64_t>(detail::report_hash(report)));
    const char* params[] = {key.c_str()};
    pg_result r(PQexecParams(c,
                             wait ? "SELECT pg_advisory_lock($1::bigint), true" : "SELECT pg_try_advisory_lock($1::bigint)",
                             1, nullptr, params, nullptr, nullptr, 0));
    if (PQresultStatus(r.get()) != PGRES_TUPLES_OK) {
      std::string msg = description_ + ": locking report " + finops_crawler::detail::quoted_excerpt(report, 60) +
                        ": " + clean(PQresultErrorMessage(r.get()));
      PQfinish(c);
      return result<report_lock>(errc_database, std::move(msg));
    }
    const bool got = r.boolean(0, wait ? 1 : 0);
    if (!got) {
      PQfinish(c);
      return report_lock();
    }
    return report_lock(std::make_unique<advisory_lock_holder>(c, key));
  }

 private:
  status check_range(std::string_view from, std::string_view to) const {
    if (detail::is_day(from) && detail::is_day(to)) return {};
    return status(errc::invalid_argument, "the range " + finops_crawler::detail::quoted_excerpt(from, 20) + " to " +
                                              finops_crawler::detail::quoted_excerpt(to, 20) +
                                              " must be two days YYYY-MM-DD");
  }

  /// `v` escaped for COPY's text format (backslash, tab, newline and
  /// carriage return are the characters it gives meaning to).
  static void escape(std::string& out, std::string_view v) {
    for (char ch : v) {
      switch (ch) {
        case '\\': out += "\\\\"; break;
        case '\t': out += "\\t"; break;
        case '\n': out += "\\n"; break;
        case '\r': out += "\\r"; break;
        default: out += ch;
      }
    }
  }
  /// A tab, then the escaped field.
  static void field(std::string& out, std::string_view v) {
    out += '\t';
    escape(out, v);
  }

  static std::string copy_rows(const std::string& report, const std::vector<const store_row*>& rows,
                               const std::string& fetched_at) {
    std::string data;
    data.reserve(rows.size() * 96);
    for (const auto* r : rows) {
      escape(data, report);
      field(data, r->period_start);
      field(data, r->group_1);
      field(data, r->group_2);
      field(data, r->metric);
      field(data, r->period_end);
      field(data, r->amount);
      field(data, r->unit);
      data += r->estimated ? "\tt" : "\tf";
      field(data, fetched_at);
      data += '\n';
    }
    return data;
  }

  PGconn* conn_;
  std::string conninfo_;
  std::vector<std::string> secrets_;
  std::string description_;
};

#undef FINOPS_CRAWLER_PG_TS
#undef FINOPS_CRAWLER_PG_DAY

}  // namespace postgres_impl

FINOPS_CRAWLER_FUNC result<std::unique_ptr<cost_store>> open_postgres_store(std::string_view conninfo) {
  using R = result<std::unique_ptr<cost_store>>;
  const std::string info(conninfo);
  auto secrets = postgres_impl::secrets_of(conninfo);
  auto clean = [&](std::string msg) {
    while (!msg.empty() && (msg.back() == '\n' || msg.back() == ' ')) msg.pop_back();
    for (auto& ch : msg)
      if (ch == '\n') ch = ' ';
    return detail::scrub(std::move(msg), secrets);
  };
  if (!info.empty()) {
    char* err = nullptr;
    PQconninfoOption* opts = PQconninfoParse(info.c_str(), &err);
    if (!opts) {
      std::string msg = "PostgreSQL connection string not understood: " + clean(err ? err : "out of memory");
      PQfreemem(err);
      return R(errc::invalid_argument, std::move(msg));
    }
    PQconninfoFree(opts);
  }
  PGconn* c = postgres_impl::connect(info);
  if (!c) return R(errc::transport, "PostgreSQL: out of memory creating the connection");
  if (PQstatus(c) != CONNECTION_OK) {
    const std::string text = clean(PQerrorMessage(c));
    std::string where = "PostgreSQL database";
    if (const char* db = PQdb(c); db && *db) where += std::string(" ") + db;
    if (const char* h = PQhost(c); h && *h) where += std::string(" on ") + h + ":" + (PQport(c) ? PQport(c) : "");
    if (const char* u = PQuser(c); u && *u) where += std::string(" as ") + u;
    PQfinish(c);
    // libpq reports failures as text only; these phrases are its messages
    // for a refused login (fe-auth.c, auth.c) and a missing database.
    const bool auth = text.find("authentication failed") != std::string::npos ||
                      text.find("no password supplied") != std::string::npos ||
                      text.find("password authentication") != std::string::npos ||
                      text.find("no pg_hba.conf entry") != std::string::npos;
    const bool no_db = text.find("does not exist") != std::string::npos;
    const errc code = auth ? errc::no_credentials : no_db ? errc::invalid_argument : errc::transport;
    return R(code, where + ": cannot connect: " + text);
  }
  auto store = std::make_unique<postgres_impl::postgres_cost_store>(c, info, std::move(secrets));
  if (auto st = store->prepare_session(); !st) return st.error();
  return std::unique_ptr<cost_store>(std::move(store));
}

}  // namespace store
}  // namespace v0
}  // namespace finops_crawler

#endif  // FINOPS_CRAWLER_STORE_POSTGRES_STORE_INL_HPP
