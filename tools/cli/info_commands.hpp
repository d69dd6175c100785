#ifndef FINOPS_CRAWLER_CLI_INFO_COMMANDS_HPP
#define FINOPS_CRAWLER_CLI_INFO_COMMANDS_HPP
/// \file
/// The small commands: `whoami` (STS GetCallerIdentity, free), `accounts`
/// (Organizations ListAccounts, free) and `dimensions KEY` (Cost Explorer
/// GetDimensionValues, USD 0.01 per page). Each prints a table on a terminal
/// and CSV otherwise, or as --format says: csv, table, or json (the AWS
/// response's shape and member names; see listing_output.hpp).

#include <iosfwd>
#include <string>

#include "context.hpp"
#include "crawl_guard.hpp"
#include "exit_codes.hpp"
#include "period_args.hpp"

namespace finops_crawler {
inline namespace v0 {
namespace cli {

/// `whoami`: the account, ARN and user id of the credentials (STS).
exit_code run_whoami(const connection_flags& conn, const std::string& format_flag, const cli_context& ctx,
                     std::ostream& out, std::ostream& err);

/// `accounts`: every account of the organization: id, name, email, status.
/// Not in an organization: says so and exits 4.
exit_code run_accounts(const connection_flags& conn, const std::string& format_flag, const cli_context& ctx,
                       std::ostream& out, std::ostream& err);

/// `dimensions KEY`: the values of a dimension in the period
/// (GetDimensionValues, every page), with their attributes.
/// --max-requests/--max-cost/--dry-run as every crawl (crawl_guard.hpp).
exit_code run_dimensions(const std::string& key, const period_flags& period, const guard_flags& guard,
                         const connection_flags& conn,
                         const std::string& format_flag, const cli_context& ctx, std::ostream& out, std::ostream& err);

}  // namespace cli
}  // namespace v0
}  // namespace finops_crawler

#endif  // FINOPS_CRAWLER_CLI_INFO_COMMANDS_HPP
