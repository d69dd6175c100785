#ifndef FINOPS_CRAWLER_STORE_SQLITE_STORE_INL_HPP
#define FINOPS_CRAWLER_STORE_SQLITE_STORE_INL_HPP
/// \file
/// The bodies of sqlite_store.hpp: included by that header in header-only
/// mode, compiled once in src/sqlite_store.cpp otherwise (config.hpp). The
/// only file with <sqlite3.h>. Not for direct inclusion.

#include <fcntl.h>
#include <sqlite3.h>
#include <sys/file.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <system_error>

#include "finops_crawler/detail/json_writer.hpp"
#include "finops_crawler/store/replace_plan.hpp"
#include "finops_crawler/store/sqlite_store.hpp"

namespace finops_crawler {
inline namespace v0 {
namespace store {
namespace sqlite_impl {

/// The schema, one script per version step: migrations[i] takes a database
/// from version i to version i + 1 (so a new database runs them all). Forward
/// only; a released script is never edited, a change is a new step.
inline constexpr std::string_view migrations[] = {
    // 0 -> 1: the first schema (README, "Database schema").
    R"sql(
CREATE TABLE schema_version (version INTEGER NOT NULL);
CREATE TABLE reports (
  name TEXT PRIMARY KEY,
  payer_account_id TEXT NOT NULL,
  definition_json TEXT NOT NULL,
  created_at TEXT NOT NULL);
CREATE TABLE cost_rows (
  report TEXT NOT NULL REFERENCES reports(name),
  period_start TEXT NOT NULL,
  period_end TEXT NOT NULL,
  group_1 TEXT NOT NULL DEFAULT '',
  group_2 TEXT NOT NULL DEFAULT '',
  metric TEXT NOT NULL,
  amount TEXT NOT NULL,
  unit TEXT NOT NULL,
  estimated INTEGER NOT NULL CHECK (estimated IN (0, 1)),
  fetched_at TEXT NOT NULL,
  PRIMARY KEY (report, period_start, group_1, group_2, metric)) WITHOUT ROWID;
CREATE INDEX cost_rows_by_group_1 ON cost_rows (report, metric, group_1, period_start);
CREATE INDEX cost_rows_by_group_2 ON cost_rows (report, metric, group_2, period_start);
CREATE TABLE fetched_periods (
  report TEXT NOT NULL REFERENCES reports(name),
  period_start TEXT NOT NULL,
  period_end TEXT NOT NULL,
  estimated INTEGER NOT NULL CHECK (estimated IN (0, 1)),
  pages INTEGER NOT NULL,
  fetched_at TEXT NOT NULL,
  PRIMARY KEY (report, period_start)) WITHOUT ROWID;
CREATE TABLE accounts (
  account_id TEXT PRIMARY KEY,
  name TEXT NOT NULL DEFAULT '',
  email TEXT NOT NULL DEFAULT '',
  status TEXT NOT NULL DEFAULT '',
  updated_at TEXT NOT NULL);
CREATE TABLE sync_runs (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  report TEXT NOT NULL,
  started_at TEXT NOT NULL,
  finished_at TEXT,
  status TEXT NOT NULL CHECK (status IN ('running', 'ok', 'partial', 'failed')),
  billable_requests INTEGER NOT NULL DEFAULT 0,
  rows_inserted INTEGER NOT NULL DEFAULT 0,
  rows_updated INTEGER NOT NULL DEFAULT 0,
  rows_deleted INTEGER NOT NULL DEFAULT 0);
CREATE INDEX sync_runs_by_report ON sync_runs (report, started_at);
)sql",
};
static_assert(sizeof(migrations) / sizeof(migrations[0]) == static_cast<std::size_t>(schema_version),
              "one migration per schema version");

/// How long a write waits for another connection's write transaction.
inline constexpr int busy_timeout_ms = 30000;

/// One prepared statement, finalized on destruction.
class statement {
 public:
  statement() = default;
  statement(const statement&) = delete;
  statement& operator=(const statement&) = delete;
  ~statement() { sqlite3_finalize(stmt_); }
  sqlite3_stmt*& out() noexcept { return stmt_; }
  sqlite3_stmt* get() const noexcept { return stmt_; }

  /// Binds text (SQLITE_STATIC: `v` must outlive the next step). An empty
  /// view binds '' (a null data pointer would bind NULL).
  int text(int i, std::string_view v) noexcept {
    return sqlite3_bind_text(stmt_, i, v.empty() ? "" : v.data(), static_cast<int>(v.size()), SQLITE_STATIC);
  }
  int integer(int i, std::int64_t v) noexcept { return sqlite3_bind_int64(stmt_, i, v); }
  std::string column(int i) const {
    const auto* p = reinterpret_cast<const char*>(sqlite3_column_text(stmt_, i));
    return p ? std::string(p, static_cast<std::size_t>(sqlite3_column_bytes(stmt_, i))) : std::string();
  }
  std::int64_t column_int(int i) const noexcept { return sqlite3_column_int64(stmt_, i); }
  void reset() noexcept {
    sqlite3_reset(stmt_);
    sqlite3_clear_bindings(stmt_);
  }

 private:
  sqlite3_stmt* stmt_ = nullptr;
};

/// The lock_report() lock: an open file description holding a write lock on
/// one byte of the lock file; closing the descriptor releases it.
class file_lock_holder final : public report_lock::holder {
 public:
  explicit file_lock_holder(int fd) noexcept : fd_(fd) {}
  ~file_lock_holder() override { ::close(fd_); }

 private:
  int fd_;
};

class sqlite_cost_store final : public cost_store {
 public:
  sqlite_cost_store(sqlite3* db, std::string path) : db_(db), path_(std::move(path)) {}
  sqlite_cost_store(const sqlite_cost_store&) = delete;
  sqlite_cost_store& operator=(const sqlite_cost_store&) = delete;
  ~sqlite_cost_store() override { sqlite3_close_v2(db_); }

  std::string description() const override { return "SQLite database " + path_; }

  /// The error for the last failed call on the connection, classified.
  error db_error(std::string_view doing) const {
    const int rc = sqlite3_extended_errcode(db_);
    std::string msg = description() + ": " + std::string(doing) + ": " + sqlite3_errmsg(db_);
    switch (rc & 0xff) {
      case SQLITE_READONLY:
        return error(errc::invalid_argument,
                     msg + " (the file, or the directory that holds it and its journal, is not writable)");
      case SQLITE_NOTADB:
        return error(errc::invalid_argument, description() + " is not an SQLite database (" + sqlite3_errmsg(db_) +
                                                 "): give another file");
      case SQLITE_CANTOPEN:
      case SQLITE_PERM:
      case SQLITE_AUTH: return error(errc::invalid_argument, msg);
      case SQLITE_BUSY:
      case SQLITE_LOCKED:
        return error(errc_database, msg + " (another connection kept the database locked for more than " +
                                        std::to_string(busy_timeout_ms / 1000) + " s)");
      case SQLITE_FULL: return error(errc_database, msg + " (the disk is full)");
      default: return error(errc_database, msg);
    }
  }

  status exec(const char* sql, std::string_view doing) {
    if (sqlite3_exec(db_, sql, nullptr, nullptr, nullptr) != SQLITE_OK) return db_error(doing);
    return {};
  }

  status prepare(statement& s, std::string_view sql) {
    if (sqlite3_prepare_v2(db_, sql.data(), static_cast<int>(sql.size()), &s.out(), nullptr) != SQLITE_OK)
      return db_error("preparing a statement");
    return {};
  }

  /// Steps a statement that returns no rows (or whose rows are ignored).
  status run(statement& s, std::string_view doing) {
    int rc = sqlite3_step(s.get());
    while (rc == SQLITE_ROW) rc = sqlite3_step(s.get());
    if (rc != SQLITE_DONE) {
      auto e = db_error(doing);
      sqlite3_reset(s.get());
      return e;
    }
    s.reset();
    return {};
  }

  /// A write transaction: BEGIN IMMEDIATE takes the write lock at once (with
  /// the busy timeout), so two writers never deadlock upgrading a read lock;
  /// rolled back unless commit() succeeded.
  class transaction {
   public:
    explicit transaction(sqlite_cost_store& s) : s_(s) {}
    transaction(const transaction&) = delete;
    transaction& operator=(const transaction&) = delete;
    status begin(std::string_view doing) {
      if (auto st = s_.exec("BEGIN IMMEDIATE", doing); !st) return st;
      open_ = true;
      return {};
    }
    status commit(std::string_view doing) {
      if (auto st = s_.exec("COMMIT", doing); !st) return st;
      open_ = false;
      return {};
    }
    ~transaction() {
      if (open_) sqlite3_exec(s_.db_, "ROLLBACK", nullptr, nullptr, nullptr);
    }

   private:
    sqlite_cost_store& s_;
    bool open_ = false;
  };

  /// Creates or migrates the schema; refuses a newer version or a foreign database.
  status check_schema() {
    auto version = read_schema_version();
    if (!version) return version.error();
    if (*version == schema_version) return {};
    if (*version > schema_version)
      return status(errc::invalid_argument,
                    description() + " has schema version " + std::to_string(*version) +
                        ", newer than this finops-crawler reads (" + std::to_string(schema_version) +
                        "): use a newer finops-crawler or another database");
    transaction tx(*this);
    if (auto st = tx.begin(*version == 0 ? "creating the schema" : "migrating the schema"); !st) return st;
    // Another process may have created or migrated it while we waited.
    auto again = read_schema_version();
    if (!again) return again.error();
    for (int v = *again; v < schema_version; ++v)
      if (auto st = exec(std::string(migrations[v]).c_str(), "applying schema migration to version " +
                                                                   std::to_string(v + 1));
          !st)
        return st;
    if (*again < schema_version) {
      const std::string set = *again == 0 ? "INSERT INTO schema_version (version) VALUES (" +
                                                std::to_string(schema_version) + ")"
                                          : "UPDATE schema_version SET version = " + std::to_string(schema_version);
      if (auto st = exec(set.c_str(), "recording the schema version"); !st) return st;
    }
    return tx.commit("committing the schema");
  }

  /// 0 for an empty database; the stored version otherwise.
  result<int> read_schema_version() {
    statement tables;
    if (auto st = prepare(tables, "SELECT name FROM sqlite_master WHERE type = 'table'"); !st) return st.error();
    bool has_version = false, has_other = false;
    int rc;
    while ((rc = sqlite3_step(tables.get())) == SQLITE_ROW) {
      const auto name = tables.column(0);
      if (name == "schema_version") has_version = true;
      else if (name.rfind("sqlite_", 0) != 0) has_other = true;
    }
    if (rc != SQLITE_DONE) return db_error("reading the list of tables");
    if (!has_version) {
      if (has_other)
        return result<int>(errc::invalid_argument, description() +
                                                       " holds tables but no schema_version table: not a "
                                                       "finops-crawler database, give another file");
      return 0;
    }
    statement v;
    if (auto st = prepare(v, "SELECT version FROM schema_version"); !st) return st.error();
    int rows = 0, version = 0;
    while ((rc = sqlite3_step(v.get())) == SQLITE_ROW) {
      ++rows;
      version = static_cast<int>(v.column_int(0));
    }
    if (rc != SQLITE_DONE) return db_error("reading the schema version");
    if (rows != 1 || version < 1)
      return result<int>(errc::invalid_argument,
                         description() + ": the schema_version table must hold one version >= 1, it holds " +
                             std::to_string(rows) + " rows");
    return version;
  }

  result<std::optional<report_record>> find_report(std::string_view name) override {
    statement s;
    if (auto st = prepare(s, "SELECT name, payer_account_id, definition_json, created_at FROM reports WHERE name = ?");
        !st)
      return st.error();
    s.text(1, name);
    const int rc = sqlite3_step(s.get());
    if (rc == SQLITE_DONE) return std::optional<report_record>();
    if (rc != SQLITE_ROW) return db_error("reading report " + std::string(name));
    return std::optional<report_record>(report_record{s.column(0), s.column(1), s.column(2), s.column(3)});
  }

  status create_report(const report_record& r) override {
    if (auto st = detail::check_report_name(r.name); !st) return st;
    if (auto st = detail::check_timestamp("created_at", r.created_at); !st) return st;
    statement s;
    if (auto st = prepare(s, "INSERT INTO reports (name, payer_account_id, definition_json, created_at) "
                             "VALUES (?, ?, ?, ?)");
        !st)
      return st;
    s.text(1, r.name);
    s.text(2, r.payer_account_id);
    s.text(3, r.definition_json);
    s.text(4, r.created_at);
    if (sqlite3_step(s.get()) != SQLITE_DONE) {
      if (sqlite3_extended_errcode(db_) == SQLITE_CONSTRAINT_PRIMARYKEY)
        return status(errc::invalid_argument, description() + ": report " +
                                                  finops_crawler::detail::quoted_excerpt(r.name, 60) +
                                                  " already exists");
      return db_error("creating report " + r.name);
    }
    return {};
  }

  result<std::vector<stored_period>> stored_periods(std::string_view report, std::string_view from,
                                                    std::string_view to) override {
    if (auto st = check_range(from, to); !st) return st.error();
    statement s;
    if (auto st = prepare(s, "SELECT period_start, period_end, estimated, pages, fetched_at FROM fetched_periods "
                             "WHERE report = ? AND period_start >= ? AND period_start < ? ORDER BY period_start");
        !st)
      return st.error();
    s.text(1, report);
    s.text(2, from);
    s.text(3, to);
    std::vector<stored_period> out;
    int rc;
    while ((rc = sqlite3_step(s.get())) == SQLITE_ROW)
      out.push_back({s.column(0), s.column(1), s.column_int(2) != 0, static_cast<std::uint32_t>(s.column_int(3)),
                     s.column(4)});
    if (rc != SQLITE_DONE) return db_error("reading the stored periods of " + std::string(report));
    return out;
  }

  result<std::vector<cost_row_record>> read_rows(std::string_view report, std::string_view from,
                                                 std::string_view to) override {
    if (auto st = check_range(from, to); !st) return st.error();
    statement s;
    if (auto st = prepare(s, "SELECT period_start, period_end, group_1, group_2, metric, amount, unit, estimated, "
                             "fetched_at FROM cost_rows WHERE report = ? AND period_start >= ? AND period_start < ? "
                             "ORDER BY period_start, group_1, group_2, metric");
        !st)
      return st.error();
    s.text(1, report);
    s.text(2, from);
    s.text(3, to);
    std::vector<cost_row_record> out;
    int rc;
    while ((rc = sqlite3_step(s.get())) == SQLITE_ROW)
      out.push_back({s.column(0), s.column(1), s.column(2), s.column(3), s.column(4), s.column(5), s.column(6),
                     s.column_int(7) != 0, s.column(8)});
    if (rc != SQLITE_DONE) return db_error("reading the rows of " + std::string(report));
    return out;
  }

  result<std::int64_t> begin_run(std::string_view report, std::string_view started_at) override {
    if (auto st = detail::check_report_name(report); !st) return st.error();
    if (auto st = detail::check_timestamp("started_at", started_at); !st) return st.error();
    statement s;
    if (auto st = prepare(s, "INSERT INTO sync_runs (report, started_at, status) VALUES (?, ?, 'running')"); !st)
      return st.error();
    s.text(1, report);
    s.text(2, started_at);
    if (auto st = run(s, "recording the start of the run"); !st) return st.error();
    return static_cast<std::int64_t>(sqlite3_last_insert_rowid(db_));
  }

  status finish_run(std::int64_t run_id, run_status rs, std::string_view finished_at,
                    std::uint64_t billable_requests, const write_counts& c) override {
    if (auto st = detail::check_timestamp("finished_at", finished_at); !st) return st;
    statement s;
    if (auto st = prepare(s, "UPDATE sync_runs SET finished_at = ?, status = ?, billable_requests = ?, "
                             "rows_inserted = ?, rows_updated = ?, rows_deleted = ? WHERE id = ?");
        !st)
      return st;
    s.text(1, finished_at);
    s.text(2, to_string(rs));
    s.integer(3, static_cast<std::int64_t>(billable_requests));
    s.integer(4, static_cast<std::int64_t>(c.inserted));
    s.integer(5, static_cast<std::int64_t>(c.updated));
    s.integer(6, static_cast<std::int64_t>(c.deleted));
    s.integer(7, run_id);
    if (auto st = run(s, "recording the end of the run"); !st) return st;
    if (sqlite3_changes(db_) != 1)
      return status(errc::invalid_argument, description() + ": no sync run with id " + std::to_string(run_id));
    return {};
  }

  result<write_counts> replace_periods(std::string_view report, finops_crawler::detail::span<stored_period> periods,
                                       finops_crawler::detail::span<store_row> rows,
                                       std::string_view fetched_at) override {
    if (auto st = detail::check_report_name(report); !st) return st.error();
    if (auto st = detail::check_timestamp("fetched_at", fetched_at); !st) return st.error();
    if (auto st = detail::check_replace_input(periods, rows); !st) return st.error();
    if (periods.empty()) return write_counts{};
    transaction tx(*this);
    if (auto st = tx.begin("starting the write of " + std::to_string(periods.size()) + " periods"); !st)
      return st.error();
    if (auto st = require_report(report); !st) return st.error();

    // The stored rows of the periods, read inside the write transaction.
    std::vector<detail::existing_row> existing;
    {
      statement s;
      if (auto st = prepare(s, "SELECT period_start, period_end, group_1, group_2, metric, amount, unit, estimated "
                               "FROM cost_rows WHERE report = ? AND period_start = ?");
          !st)
        return st.error();
      for (const auto& p : periods) {
        s.text(1, report);
        s.text(2, p.period_start);
        int rc;
        while ((rc = sqlite3_step(s.get())) == SQLITE_ROW)
          existing.push_back({s.column(0), s.column(1), s.column(2), s.column(3), s.column(4), s.column(5),
                              s.column(6), s.column_int(7) != 0});
        if (rc != SQLITE_DONE) return db_error("reading the stored rows of " + p.period_start);
        s.reset();
      }
    }
    const auto changes = detail::diff_rows(rows, existing);

    statement del, upd, ins, per;
    if (auto st = prepare(del, "DELETE FROM cost_rows WHERE report = ?1 AND period_start = ?2 AND group_1 = ?3 "
                               "AND group_2 = ?4 AND metric = ?5");
        !st)
      return st.error();
    for (const auto* e : changes.deletes) {
      del.text(1, report);
      del.text(2, e->period_start);
      del.text(3, e->group_1);
      del.text(4, e->group_2);
      del.text(5, e->metric);
      if (auto st = run(del, "deleting a vanished row"); !st) return st.error();
    }
    if (auto st = prepare(upd, "UPDATE cost_rows SET period_end = ?6, amount = ?7, unit = ?8, estimated = ?9, "
                               "fetched_at = ?10 WHERE report = ?1 AND period_start = ?2 AND group_1 = ?3 AND "
                               "group_2 = ?4 AND metric = ?5");
        !st)
      return st.error();
    if (auto st = write_rows(upd, report, changes.updates, fetched_at, "updating a changed row"); !st)
      return st.error();
    if (auto st = prepare(ins, "INSERT INTO cost_rows (report, period_start, group_1, group_2, metric, period_end, "
                               "amount, unit, estimated, fetched_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)");
        !st)
      return st.error();
    if (auto st = write_rows(ins, report, changes.inserts, fetched_at, "inserting a row"); !st) return st.error();
    if (auto st = prepare(per, "INSERT INTO fetched_periods (report, period_start, period_end, estimated, pages, "
                               "fetched_at) VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (report, period_start) DO UPDATE "
                               "SET period_end = excluded.period_end, estimated = excluded.estimated, "
                               "pages = excluded.pages, fetched_at = excluded.fetched_at");
        !st)
      return st.error();
    for (const auto& p : periods) {
      per.text(1, report);
      per.text(2, p.period_start);
      per.text(3, p.period_end);
      per.integer(4, p.estimated ? 1 : 0);
      per.integer(5, p.pages);
      per.text(6, fetched_at);
      if (auto st = run(per, "recording a fetched period"); !st) return st.error();
    }
    if (auto st = tx.commit("committing the periods"); !st) return st.error();
    return changes.counts();
  }

  result<std::uint64_t> upsert_accounts(finops_crawler::detail::span<account_record> accounts,
                                        std::string_view updated_at) override {
    if (auto st = detail::check_timestamp("updated_at", updated_at); !st) return st.error();
    for (const auto& a : accounts)
      if (a.account_id.empty()) return result<std::uint64_t>(errc::invalid_argument, "an account has no account_id");
    if (accounts.empty()) return std::uint64_t{0};
    transaction tx(*this);
    if (auto st = tx.begin("starting the write of accounts"); !st) return st.error();
    statement s;
    // An empty field keeps what is stored: a source with names only (the
    // dimension values' attributes) does not erase Organizations' emails.
    if (auto st = prepare(
            s, "INSERT INTO accounts (account_id, name, email, status, updated_at) VALUES (?1, ?2, ?3, ?4, ?5) "
               "ON CONFLICT (account_id) DO UPDATE SET "
               "name = CASE WHEN excluded.name <> '' THEN excluded.name ELSE accounts.name END, "
               "email = CASE WHEN excluded.email <> '' THEN excluded.email ELSE accounts.email END, "
               "status = CASE WHEN excluded.status <> '' THEN excluded.status ELSE accounts.status END, "
               "updated_at = excluded.updated_at "
               "WHERE (excluded.name <> '' AND excluded.name <> accounts.name) "
               "OR (excluded.email <> '' AND excluded.email <> accounts.email) "
               "OR (excluded.status <> '' AND excluded.status <> accounts.status)");
        !st)
      return st.error();
    std::uint64_t changed = 0;
    for (const auto& a : accounts) {
      s.text(1, a.account_id);
      s.text(2, a.name);
      s.text(3, a.email);
      s.text(4, a.status);
      s.text(5, updated_at);
      if (auto st = run(s, "writing account " + a.account_id); !st) return st.error();
      changed += static_cast<std::uint64_t>(sqlite3_changes(db_));
    }
    if (auto st = tx.commit("committing the accounts"); !st) return st.error();
    return changed;
  }

  result<report_lock> lock_report(std::string_view report, bool wait) override {
    if (auto st = detail::check_report_name(report); !st) return st.error();
    const std::string lock_path = path_ + ".lock";
    const int fd = ::open(lock_path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0666);
    if (fd < 0)
      return result<report_lock>(errc::invalid_argument, "cannot open the lock file " + lock_path + " beside " +
                                                             description() + ": " + std::strerror(errno));
#ifdef F_OFD_SETLK
    // An open-file-description lock (Linux): unlike a classic fcntl lock it
    // belongs to this descriptor, so two stores in one process exclude each
    // other too, and closing another descriptor of the file releases nothing.
    // One byte per report, at an offset from the name's hash.
    struct flock fl;
    std::memset(&fl, 0, sizeof fl);
    fl.l_type = F_WRLCK;
    fl.l_whence = SEEK_SET;
    fl.l_start = static_cast<off_t>(detail::report_hash(report) & ((std::uint64_t{1} << 62) - 1));
    fl.l_len = 1;
    int rc;
    do rc = ::fcntl(fd, wait ? F_OFD_SETLKW : F_OFD_SETLK, &fl);
    while (rc != 0 && errno == EINTR);
    const bool busy = rc != 0 && (errno == EAGAIN || errno == EACCES);
#else
    // Elsewhere: flock() is per open file description as well; it locks the
    // whole file, so syncs of different reports also wait for each other.
    int rc;
    do rc = ::flock(fd, LOCK_EX | (wait ? 0 : LOCK_NB));
    while (rc != 0 && errno == EINTR);
    const bool busy = rc != 0 && errno == EWOULDBLOCK;
#endif
    if (rc != 0) {
      const int err = errno;
      ::close(fd);
      if (busy) return report_lock();
      return result<report_lock>(errc_database, "cannot lock " + lock_path + " for report " +
                                                    finops_crawler::detail::quoted_excerpt(report, 60) + ": " +
                                                    std::strerror(err));
    }
    return report_lock(std::make_unique<file_lock_holder>(fd));
  }

 private:
  status check_range(std::string_view from, std::string_view to) const {
    if (detail::is_day(from) && detail::is_day(to)) return {};
    return status(errc::invalid_argument, "the range " + finops_crawler::detail::quoted_excerpt(from, 20) + " to " +
                                              finops_crawler::detail::quoted_excerpt(to, 20) +
                                              " must be two days YYYY-MM-DD");
  }

  status require_report(std::string_view report) {
    statement s;
    if (auto st = prepare(s, "SELECT 1 FROM reports WHERE name = ?"); !st) return st;
    s.text(1, report);
    const int rc = sqlite3_step(s.get());
    if (rc == SQLITE_ROW) return {};
    if (rc != SQLITE_DONE) return db_error("reading report " + std::string(report));
    return status(errc::invalid_argument, description() + ": report " +
                                              finops_crawler::detail::quoted_excerpt(report, 60) +
                                              " does not exist (create_report first)");
  }

  /// Binds and runs the insert or update statement for each row (the same
  /// parameter numbers in both).
  status write_rows(statement& s, std::string_view report, const std::vector<const store_row*>& rows,
                    std::string_view fetched_at, std::string_view doing) {
    for (const auto* r : rows) {
      s.text(1, report);
      s.text(2, r->period_start);
      s.text(3, r->group_1);
      s.text(4, r->group_2);
      s.text(5, r->metric);
      s.text(6, r->period_end);
      s.text(7, r->amount);
      s.text(8, r->unit);
      s.integer(9, r->estimated ? 1 : 0);
      s.text(10, fetched_at);
      if (auto st = run(s, doing); !st) return st;
    }
    return {};
  }

  sqlite3* db_;
  std::string path_;
};

}  // namespace sqlite_impl

FINOPS_CRAWLER_FUNC result<std::unique_ptr<cost_store>> open_sqlite_store(std::string_view path) {
  namespace fs = std::filesystem;
  using R = result<std::unique_ptr<cost_store>>;
  if (path.empty()) return R(errc::invalid_argument, "the SQLite database path is empty");
  if (path == ":memory:" || path.find('\0') != std::string_view::npos)
    return R(errc::invalid_argument, "the SQLite database must be a file path, not " +
                                         finops_crawler::detail::quoted_excerpt(path, 40));
  std::error_code ec;
  fs::path p = fs::absolute(fs::path(std::string(path)), ec);
  if (ec) return R(errc::invalid_argument, "SQLite database path " + std::string(path) + ": " + ec.message());
  p = p.lexically_normal();
  const std::string abs = p.string();
  const auto st = fs::status(p, ec);
  if (fs::is_directory(st))
    return R(errc::invalid_argument, "SQLite database " + abs + " is a directory, not a database file: give a file "
                                     "path such as " + (p / "finops-crawler.db").string());
  if (!fs::exists(st)) {
    const auto parent = p.parent_path();
    if (!fs::is_directory(parent, ec))
      return R(errc::invalid_argument, "SQLite database " + abs + ": the directory " + parent.string() +
                                           " does not exist");
  } else if (!fs::is_regular_file(st)) {
    return R(errc::invalid_argument, "SQLite database " + abs + " is not a regular file");
  }
  sqlite3* db = nullptr;
  // NOMUTEX: one store is used by one thread at a time (cost_store.hpp).
  const int rc = sqlite3_open_v2(abs.c_str(), &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX,
                                 nullptr);
  if (rc != SQLITE_OK) {
    std::string msg = "SQLite database " + abs + ": cannot open: " + (db ? sqlite3_errmsg(db) : sqlite3_errstr(rc));
    sqlite3_close_v2(db);
    return R(errc::invalid_argument, std::move(msg));
  }
  auto store = std::make_unique<sqlite_impl::sqlite_cost_store>(db, abs);
  sqlite3_extended_result_codes(db, 1);
  sqlite3_busy_timeout(db, sqlite_impl::busy_timeout_ms);
  if (auto s = store->exec("PRAGMA foreign_keys = ON", "enabling foreign keys"); !s) return s.error();
  if (auto s = store->check_schema(); !s) return s.error();
  return std::unique_ptr<cost_store>(std::move(store));
}

}  // namespace store
}  // namespace v0
}  // namespace finops_crawler

#endif  // FINOPS_CRAWLER_STORE_SQLITE_STORE_INL_HPP
