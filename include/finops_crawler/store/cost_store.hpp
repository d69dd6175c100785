#ifndef FINOPS_CRAWLER_STORE_COST_STORE_HPP
#define FINOPS_CRAWLER_STORE_COST_STORE_HPP
/// \file
/// `store::cost_store`: the sink a sync writes Cost Explorer rows into, and
/// reads its plan from. Two implementations, each an optional header with its
/// own Meson dependency object: `store/sqlite_store.hpp` (SQLite C API,
/// `finops_crawler_sqlite_dep`) and `store/postgres_store.hpp` (libpq,
/// `finops_crawler_postgres_dep`). This header includes neither library.
///
///   auto db = store::open_sqlite_store("finops-crawler.db");   // schema checked or created
///   if (!db) { std::cerr << db.error().describe() << '\n'; return 1; }
///   auto lock = (*db)->lock_report("default", /*wait=*/true);   // one sync per report
///   auto run = (*db)->begin_run("default", "2026-03-01T06:00:00Z");  // the first write
///   ...fetch every page of a chunk, then:
///   auto counts = (*db)->replace_periods("default", periods, rows, "2026-03-01T06:00:07Z");
///   (*db)->finish_run(*run, store::run_status::ok, "2026-03-01T06:00:09Z", requests, total);
///
/// The database schema is a documented contract (README, "Database schema");
/// `schema_version` below is the version this build creates and reads.
///
/// Text formats, the same on both databases:
/// - days: `YYYY-MM-DD` (period_end exclusive, as Cost Explorer sends it);
/// - timestamps: ISO 8601 UTC, `YYYY-MM-DDTHH:MM:SSZ`, given by the caller
///   (so "now" can be injected) and read back in the same form;
/// - amounts: the decimal string AWS sent, `-?[0-9]+(\.[0-9]+)?`, read back
///   byte for byte (PostgreSQL `numeric` keeps the scale: "12.3400" stays
///   "12.3400"; the one form it cannot keep is a negative zero, "-0.00"
///   reads back "0.00", the same value).
///
/// Errors (error::code), chosen so the CLI's exit statuses fit:
/// - errc::invalid_argument: the caller's values (a malformed day, a row
///   outside the given periods, an unknown run id) or the database the user
///   named (a directory, a file that is not a database, a read-only file on
///   the first write, a schema newer than this build, a URI libpq refuses);
/// - errc::transport: the server cannot be reached or the connection was lost
///   (retryable: reconnecting may work);
/// - errc::no_credentials: the server refused the user or password;
/// - store::errc_database (errc::unexpected_shape): any other database
///   failure (disk full, a timeout waiting for another writer, SQL errors).
/// Messages name the database by description() and never hold a password.
///
/// Thread safety: one cost_store is used by one thread at a time; open one
/// store per thread. Separate stores (threads or processes) on one database
/// are safe: writes are transactions, and lock_report() serializes syncs.

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "finops_crawler/detail/span.hpp"
#include "finops_crawler/result.hpp"

namespace finops_crawler {
inline namespace v0 {
namespace store {

/// The schema version this build creates, migrates to and reads. Opening a
/// database whose `schema_version` is higher fails with errc::invalid_argument.
inline constexpr int schema_version = 1;

/// The error kind of a database failure that is neither the caller's input,
/// the network, nor authentication (see the file comment).
inline constexpr errc errc_database = errc::unexpected_shape;

/// A named report definition (table `reports`). `definition_json` is stored
/// verbatim (the caller's canonical JSON: granularity, metrics, group-bys,
/// filter); `payer_account_id` is the STS account of the first sync.
struct report_record {
  std::string name;
  std::string payer_account_id;
  std::string definition_json;
  std::string created_at;  ///< timestamp
};

/// One period (a day, or a month for MONTHLY reports) as fetched from Cost
/// Explorer (table `fetched_periods`). A period fetched with zero groups is
/// still a stored period: the planner knows it was fetched.
///
/// In replace_periods() it says what was fetched (fetched_at is ignored:
/// the call's own timestamp is written); stored_periods() fills every field.
struct stored_period {
  std::string period_start;  ///< YYYY-MM-DD
  std::string period_end;    ///< YYYY-MM-DD, exclusive
  bool estimated = false;    ///< Cost Explorer's `Estimated` for the period
  std::uint32_t pages = 0;   ///< pages the period's request sequence took (0: unknown)
  std::string fetched_at;    ///< timestamp of the last fetch
};

/// One cost row to write: a (period, group keys, metric) amount.
/// `group_1` / `group_2` are the empty string when the report has fewer
/// group-bys. Borrows every string: they must outlive the call it is passed to.
struct store_row {
  std::string_view period_start;
  std::string_view period_end;
  std::string_view group_1;
  std::string_view group_2;
  std::string_view metric;
  std::string_view amount;  ///< exact decimal text as AWS sent it
  std::string_view unit;
  bool estimated = false;
};

/// One cost row read back (table `cost_rows`), owning its strings.
/// `fetched_at` is when the row's current value was first fetched (written
/// when the row is inserted or its amount, unit or estimated flag changes).
struct cost_row_record {
  std::string period_start, period_end, group_1, group_2, metric, amount, unit;
  bool estimated = false;
  std::string fetched_at;
};

/// An account (table `accounts`), from Organizations or, when that is not
/// available, from GetDimensionValues' attributes. An empty field never
/// overwrites a known value (a source that only has names keeps the emails).
struct account_record {
  std::string account_id;
  std::string name;
  std::string email;
  std::string status;
};

/// What a write changed. `updated` counts rows whose amount, unit or
/// estimated flag changed; a row fetched again unchanged counts nowhere.
struct write_counts {
  std::uint64_t inserted = 0;
  std::uint64_t updated = 0;
  std::uint64_t deleted = 0;

  write_counts& operator+=(const write_counts& o) noexcept {
    inserted += o.inserted;
    updated += o.updated;
    deleted += o.deleted;
    return *this;
  }
};

/// The status column of `sync_runs`.
enum class run_status : std::uint8_t { running, ok, partial, failed };

/// "running", "ok", "partial", "failed": the text stored in `sync_runs.status`.
inline constexpr std::string_view to_string(run_status s) noexcept {
  switch (s) {
    case run_status::running: return "running";
    case run_status::ok: return "ok";
    case run_status::partial: return "partial";
    case run_status::failed: return "failed";
  }
  return "failed";
}

/// A held per-report sync lock; releases it when destroyed (or on release()).
/// Move-only. Owns its own resources (a file descriptor for SQLite, a
/// dedicated server session for PostgreSQL), so it may outlive the store that
/// made it. A lock held by a process that dies is released by the OS or the
/// server. Not held (`held() == false`) when lock_report(..., wait=false)
/// found another holder.
class report_lock {
 public:
  /// What an implementation keeps while the lock is held.
  class holder {
   public:
    virtual ~holder() = default;
  };

  report_lock() = default;
  explicit report_lock(std::unique_ptr<holder> h) noexcept : holder_(std::move(h)) {}

  /// Whether this object holds the lock.
  bool held() const noexcept { return holder_ != nullptr; }
  /// Releases the lock now (no-op when not held).
  void release() noexcept { holder_.reset(); }

 private:
  std::unique_ptr<holder> holder_;
};

/// The storage a sync needs. Every call is one transaction or one read;
/// none leaves a partial write behind when it fails.
class cost_store {
 public:
  virtual ~cost_store() = default;

  /// Names the database for messages: "SQLite database /abs/path" or
  /// "PostgreSQL database NAME on HOST:PORT as USER". Never a password.
  virtual std::string description() const = 0;

  /// The report named `name`, or nullopt when it was never created.
  virtual result<std::optional<report_record>> find_report(std::string_view name) = 0;

  /// Creates a report. errc::invalid_argument when one with that name exists
  /// (two syncs racing to create it: the loser sees this and reads it).
  virtual status create_report(const report_record& report) = 0;

  /// The stored periods of `report` whose period_start is in [from, to)
  /// (days, `to` exclusive), ordered by period_start.
  virtual result<std::vector<stored_period>> stored_periods(std::string_view report,
                                                            std::string_view from,
                                                            std::string_view to) = 0;

  /// The stored rows of `report` whose period_start is in [from, to),
  /// ordered by (period_start, group_1, group_2, metric). For tests, exports
  /// and checks; a whole report can be large.
  virtual result<std::vector<cost_row_record>> read_rows(std::string_view report,
                                                         std::string_view from,
                                                         std::string_view to) = 0;

  /// Starts a run: inserts a `sync_runs` row with status `running` and
  /// returns its id. This is the real write that proves the database
  /// writable before anything billable is sent (a read-only SQLite file fails
  /// here, not at open).
  virtual result<std::int64_t> begin_run(std::string_view report, std::string_view started_at) = 0;

  /// Ends a run: sets finished_at, status, billable_requests and the row
  /// counts. errc::invalid_argument for an unknown id.
  virtual status finish_run(std::int64_t run_id, run_status s, std::string_view finished_at,
                            std::uint64_t billable_requests, const write_counts& counts) = 0;

  /// In ONE transaction: for each of `periods`, makes the report's stored
  /// rows of that period exactly `rows` of that period (rows of vanished
  /// groups deleted, changed rows updated, new rows inserted, unchanged rows
  /// untouched) and records the period in `fetched_periods` (estimated,
  /// pages, fetched_at). A period in `periods` with no row in `rows` ends up
  /// with no rows, recorded as fetched.
  ///
  /// Checked before anything is written (errc::invalid_argument): days are
  /// YYYY-MM-DD, each period appears once, every row's period_start is one
  /// of `periods` with the same period_end, amounts are plain decimals, no
  /// two rows share a key (period_start, group_1, group_2, metric). On any
  /// failure nothing is changed. Cost: one read of the periods' stored rows,
  /// then bulk writes of what differs.
  virtual result<write_counts> replace_periods(std::string_view report,
                                               detail::span<stored_period> periods,
                                               detail::span<store_row> rows,
                                               std::string_view fetched_at) = 0;

  /// Inserts or updates accounts by account_id, in one transaction; returns
  /// how many were inserted or changed. Empty fields keep stored values.
  virtual result<std::uint64_t> upsert_accounts(detail::span<account_record> accounts,
                                                std::string_view updated_at) = 0;

  /// Takes the per-report sync lock (PostgreSQL: an advisory lock on a
  /// dedicated session; SQLite: an OS lock on the file `DB.lock` beside the
  /// database). `wait`: block until it is free; otherwise return at once, a
  /// report_lock with held() == false when another holder has it.
  virtual result<report_lock> lock_report(std::string_view report, bool wait) = 0;
};

}  // namespace store
}  // namespace v0
}  // namespace finops_crawler

#endif  // FINOPS_CRAWLER_STORE_COST_STORE_HPP
