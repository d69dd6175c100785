#ifndef FINOPS_CRAWLER_CLI_SYNC_COMMAND_HPP
#define FINOPS_CRAWLER_CLI_SYNC_COMMAND_HPP
/// \file
/// `finops-crawler sync`: keeps a cost database current (store/sync.hpp
/// does the work; this file turns flags into sync_options, opens the
/// database, prints the plan and the summary).
///
/// Order of work, so that a bad input costs nothing: flags checked (exit 2),
/// the database opened and its schema checked or created (exit 2: a
/// directory, a read-only file, a newer schema; 5: PostgreSQL unreachable;
/// 3: its password refused; --dry-run creates no SQLite file), credentials found (exit 3), the lock taken, the
/// payer compared (STS, free), the plan printed, the run's sync_runs row
/// written; only then the first Cost Explorer request.
///
/// Exit statuses: 0 done; 6 partial (--max-requests reached: complete
/// chunks committed, run again to continue); others as `costs`.
///
/// Test hooks (environment, for the crash tests; never needed otherwise):
/// FINOPS_CRAWLER_TEST_KILL_AT=page:N|commit:N sends SIGKILL to the process
/// itself after the N-th page arrived / chunk was committed (1-based);
/// FINOPS_CRAWLER_TEST_LOCK_HOLD_MS=N sleeps N ms after taking the lock.

#include <cstdint>
#include <iosfwd>
#include <memory>
#include <string>
#include <vector>

#include "context.hpp"
#include "exit_codes.hpp"
#include "finops_crawler/result.hpp"
#include "finops_crawler/store/cost_store.hpp"
#include "period_args.hpp"

namespace finops_crawler {
inline namespace v0 {
namespace cli {

/// The database `finops-crawler sync` uses when --db is not given.
inline constexpr const char* default_sync_db = "./finops-crawler.db";

/// The flags of `sync`.
struct sync_flags {
  std::string db;      ///< path, sqlite:PATH, postgresql://..., postgres://...; empty: default_sync_db
  std::string report;  ///< empty: "default"
  period_flags period;
  std::string granularity;            ///< empty: the stored definition, else DAILY
  std::vector<std::string> metrics;   ///< empty: stored, else UnblendedCost + UsageQuantity
  std::vector<std::string> group_by;  ///< empty: stored, else SERVICE + LINKED_ACCOUNT
  std::vector<std::string> filters;
  std::string filter_json;
  std::string today;  ///< YYYY-MM-DD; empty: FINOPS_CRAWLER_TODAY, else the clock (UTC)
  bool dry_run = false;
  std::string max_requests;  ///< --max-requests N (N >= 1); empty: no cap
  bool refresh_final = false;
};

/// Opens the database named by `db` (see sync_flags::db); the schema is
/// checked or created. With `dry_run`, an SQLite file that does not exist
/// is not created: an empty store stands in (absent_database.hpp). Errors:
/// errc::invalid_argument for a form this build cannot open (PostgreSQL
/// without libpq), and the store's errors.
result<std::unique_ptr<store::cost_store>> open_database(const std::string& db, bool dry_run = false);

/// Runs `sync`. Plan, messages and the summary go to `err`.
exit_code run_sync_command(const sync_flags& f, const connection_flags& conn, const cli_context& ctx,
                           std::ostream& out, std::ostream& err);

}  // namespace cli
}  // namespace v0
}  // namespace finops_crawler

#endif  // FINOPS_CRAWLER_CLI_SYNC_COMMAND_HPP
