#ifndef FINOPS_CRAWLER_CLI_CONTEXT_HPP
#define FINOPS_CRAWLER_CLI_CONTEXT_HPP
/// \file
/// What every command gets: the process context (environment, clock,
/// terminals, retry settings) and the connection flags. Plain values, cheap
/// to include: main() and the argument parser need nothing more.

#include <cstddef>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "finops_crawler/aws/environment.hpp"
#include "finops_crawler/http/retry_policy.hpp"
#include "period_args.hpp"

namespace finops_crawler {
inline namespace v0 {
namespace aws {
class refreshing_credentials;
}  // namespace aws
namespace cli {

/// What the process provides: environment, clock, terminals. Tests fill it
/// with a map_environment and a fixed date; main() with the real ones.
/// Borrowed pointers must outlive the run.
struct cli_context {
  /// Environment variables (credentials, AWS_PROFILE, AWS_REGION, ...).
  const aws::environment* env = nullptr;  ///< null = the process environment
  /// Today's UTC date; nullopt = the system clock.
  std::optional<calendar_date> today;
  bool stdout_is_terminal = false;
  bool stderr_is_terminal = false;
  /// Columns for tables and charts.
  std::size_t terminal_width = 80;
  /// Retry settings for every client (tests shorten the backoff).
  http::retry_options retry;
  /// Cost Explorer requests per second (0 = unlimited).
  double rate_limit_per_s = 5.0;

  const aws::environment& environment() const { return env ? *env : aws::default_environment(); }
  calendar_date date() const { return today ? *today : today_utc(); }
};

/// The day a command treats as today: `flag` (e.g. --today) when given,
/// else FINOPS_CRAWLER_TODAY from the environment, else ctx.date(). Lets
/// tests and reruns pin the date so the figures are deterministic.
/// Errors: errc::invalid_argument naming both sources for a bad date.
inline result<calendar_date> resolve_today(const std::string& flag, const cli_context& ctx) {
  std::string text = flag;
  if (text.empty())
    if (auto v = ctx.environment().get_non_empty("FINOPS_CRAWLER_TODAY")) text = *v;
  if (text.empty()) return ctx.date();
  auto t = parse_date(text);
  if (!t) return error(errc::invalid_argument, "--today / FINOPS_CRAWLER_TODAY " + text + ": " + t.error().message);
  return *t;
}

/// The connection flags shared by every command.
struct connection_flags {
  std::string profile;  ///< the one profile of the run (--profile given once)
  /// Every --profile given (commands that run for several: multi_profile.hpp).
  std::vector<std::string> profiles;
  std::string profiles_file;  ///< --profiles-file FILE: one profile per line
  /// Credentials already resolved for `profile` (set by the per-profile
  /// driver, so a command's session::open reuses them instead of running
  /// the chain again); null = resolve them.
  std::shared_ptr<aws::refreshing_credentials> credentials;
  std::string region;
  std::string endpoint_url;
  std::string ca_bundle;  ///< --ca-bundle FILE (else AWS_CA_BUNDLE, else the profile's ca_bundle)
  std::string cache_dir;
  bool progress = false;
  bool verbose = false;
};

}  // namespace cli
}  // namespace v0
}  // namespace finops_crawler

#endif  // FINOPS_CRAWLER_CLI_CONTEXT_HPP
