#ifndef FINOPS_CRAWLER_CLI_DEMO_COMMAND_HPP
#define FINOPS_CRAWLER_CLI_DEMO_COMMAND_HPP
/// \file
/// `finops-crawler demo`: the whole tool without an AWS account. Starts the
/// bundled Cost Explorer simulator in-process on a free 127.0.0.1 port with
/// throw-away credentials, runs the `costs` report (90 days, DAILY, grouped
/// by SERVICE, an organization of 5 accounts) through the real library,
/// libcurl and SigV4 signing, prints the top services, the most recent days
/// and an ASCII chart of daily cost, stops the simulator and prints the
/// billable-request summary. `--format csv|ndjson|json` prints the same
/// report as `costs` would instead of the tables. `--db FILE` also runs
/// `sync` into that SQLite file (the default report) and prints two SQL
/// queries to paste into sqlite3.

#include <cstdint>
#include <iosfwd>
#include <string>

#include "context.hpp"
#include "exit_codes.hpp"

namespace finops_crawler {
inline namespace v0 {
namespace cli {

/// Flags of `demo`.
struct demo_flags {
  std::string format;       ///< empty/table: tables and chart; csv|ndjson|json: the raw report
  int days = 90;            ///< days of data (and of the report)
  int accounts = 5;         ///< accounts in the simulated organization
  std::uint64_t seed = 42;  ///< data seed (same seed, same figures)
  double fault_rate = 0;    ///< share of requests the simulator fails (retried by the client)
  int top = 5;              ///< services shown in the chart
  std::string db;           ///< when set: also `sync` the organization into this SQLite file
};

/// Runs the demo. Writes the report to `out`, the simulator's address and
/// the summary to `out` (table) or `err` (other formats). Exit statuses as
/// `costs`; 1 when the simulator cannot start.
exit_code run_demo(const demo_flags& f, const cli_context& base_ctx, std::ostream& out, std::ostream& err);

}  // namespace cli
}  // namespace v0
}  // namespace finops_crawler

#endif  // FINOPS_CRAWLER_CLI_DEMO_COMMAND_HPP
