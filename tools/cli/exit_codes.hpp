#ifndef FINOPS_CRAWLER_CLI_EXIT_CODES_HPP
#define FINOPS_CRAWLER_CLI_EXIT_CODES_HPP
/// \file
/// The finops-crawler command's exit statuses and how a library `error` maps
/// onto them. Pure functions; thread-safe; no allocation.

#include <string_view>

#include "finops_crawler/result.hpp"

namespace finops_crawler {
inline namespace v0 {
namespace cli {

/// Process exit statuses. Stable: scripts test them.
enum class exit_code : int {
  ok = 0,           ///< the report was written completely
  failure = 1,      ///< anything else (e.g. the output file could not be written)
  usage = 2,        ///< bad command line; refused before any request was sent
  credentials = 3,  ///< no usable credentials, or AWS rejected them as invalid/expired
  aws_refused = 4,  ///< AWS refused: access denied, validation, Cost Explorer not enabled
  network = 5,      ///< network failure, 5xx or throttling still failing after the retries
  partial = 6,      ///< some rows were already written to stdout when a later page failed, a cap stopped the crawl, or some profiles of several failed
  /// The reader of the output went away (a closed pipe: `| head`): the run
  /// stops quietly, and main() ends the process by SIGPIPE, as other Unix
  /// tools end, so a shell reports 141 (128 + SIGPIPE) either way.
  closed_pipe = 141,
};

/// The exit status as an int for `main`.
inline constexpr int to_int(exit_code c) noexcept { return static_cast<int>(c); }

/// The text `--help` prints for the exit statuses.
inline constexpr std::string_view exit_codes_help =
    "Exit status:\n"
    "  0  ok\n"
    "  1  other failure (e.g. the output file could not be written)\n"
    "  2  usage error (nothing was sent to AWS)\n"
    "  3  credentials missing, invalid or expired\n"
    "  4  AWS refused the request (access denied, validation, Cost Explorer not enabled)\n"
    "  5  network failure, timeout or call deadline, a reply that is not AWS's\n"
    "     (redirect, invalid or over-cap body), or throttling after all retries\n"
    "  6  partial output: rows were written to stdout before a later page failed, or\n"
    "     --max-requests/--max-cost stopped the crawl (complete records only), or\n"
    "     some of several profiles failed (the output holds the others, whole)\n"
    "  141  the reader went away (a closed pipe, e.g. | head): nothing more is sent or\n"
    "     printed, and the process ends by SIGPIPE like other Unix tools (128 + 13)\n";

/// Whether an AWS error code says the credentials themselves are wrong
/// (as opposed to valid credentials lacking a permission).
bool is_credential_aws_code(std::string_view aws_code) noexcept;

/// Whether an AWS error code is a throttling code (retried by the client;
/// when it still arrives here the retries ran out).
bool is_throttling_aws_code(std::string_view aws_code) noexcept;

/// Maps a failed call to the exit status. Errors that happen before any
/// request (errc::invalid_argument raised by argument checks) are usage
/// errors; the caller passes `rows_written` so a failure after output began
/// becomes exit_code::partial.
exit_code exit_code_for(const error& e, bool rows_written = false) noexcept;

}  // namespace cli
}  // namespace v0
}  // namespace finops_crawler

#endif  // FINOPS_CRAWLER_CLI_EXIT_CODES_HPP
