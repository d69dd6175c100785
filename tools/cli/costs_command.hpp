#ifndef FINOPS_CRAWLER_CLI_COSTS_COMMAND_HPP
#define FINOPS_CRAWLER_CLI_COSTS_COMMAND_HPP
/// \file
/// `finops-crawler costs`: one Cost Explorer report (GetCostAndUsage, or
/// GetCostAndUsageWithResources with --group-by RESOURCE_ID), streamed page
/// by page into CSV, NDJSON, a table or merged JSON.
///
/// Order of work, so that nothing is spent on a command that cannot succeed:
/// flags are parsed and the request validated (exit 2), the output file is
/// created (exit 2), credentials are found (exit 3); only then is the first
/// request sent.

#include <cstdint>
#include <iosfwd>
#include <string>
#include <vector>

#include "context.hpp"
#include "cost_row.hpp"
#include "crawl_guard.hpp"
#include "exit_codes.hpp"
#include "finops_crawler/aws/ce/requests.hpp"
#include "period_args.hpp"

namespace finops_crawler {
inline namespace v0 {
namespace cli {

/// The flags of `costs` (and of `demo`, which runs the same report).
struct costs_flags {
  period_flags period;
  std::string granularity = "DAILY";
  std::vector<std::string> metrics;   ///< empty = UnblendedCost
  std::vector<std::string> group_by;  ///< at most two
  std::vector<std::string> filters;   ///< DIMENSION=v[,v], combined with And
  std::string filter_json;            ///< a file with one Expression
  std::string format;                 ///< csv|ndjson|json|table; empty = table on a terminal, else csv
  std::string output;                 ///< file written atomically; empty = stdout
  bool account_names = false;
  bool pivot = false;                 ///< --pivot: periods as columns (csv or table; pivot_writer.hpp)
  bool resume = false;                ///< --resume: continue FILE.resume's crawl
  guard_flags guard;                  ///< --max-requests, --max-cost, --dry-run
};

/// The validated query behind a `costs` run.
struct costs_query {
  bool with_resources = false;
  ce::cost_and_usage_request plain;
  ce::cost_and_usage_with_resources_request resources;
  date_range range;
  int account_group = 0;  ///< 1 or 2 when grouped by LINKED_ACCOUNT, else 0
};

/// What a finished (or failed) run reports back (for `demo` and tests).
struct costs_outcome {
  exit_code code = exit_code::ok;
  std::uint64_t rows = 0;
  std::uint64_t billable = 0;
  std::uint64_t cached_pages = 0;
  std::string summary;
};

/// Builds and validates the request from the flags (today's date for the
/// date rules). Errors: errc::invalid_argument (exit 2) naming the flag.
result<costs_query> build_costs_query(const costs_flags& f, calendar_date today);

/// Runs `costs`. Writes the report to `out` (or --output), messages to
/// `err`. `override_sink`, when set, receives the rows instead of the
/// --format writer (the demo aggregates them). Returns the exit status and
/// the counts.
costs_outcome run_costs(const costs_flags& f, const connection_flags& conn, const cli_context& ctx, std::ostream& out,
                        std::ostream& err, row_sink* override_sink = nullptr);

}  // namespace cli
}  // namespace v0
}  // namespace finops_crawler

#endif  // FINOPS_CRAWLER_CLI_COSTS_COMMAND_HPP
