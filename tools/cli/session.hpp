#ifndef FINOPS_CRAWLER_CLI_SESSION_HPP
#define FINOPS_CRAWLER_CLI_SESSION_HPP
/// \file
/// The command line's session: an aws::session (shared config files,
/// profile, credentials, region, endpoints: composed by the library, as for
/// costs_api) made from the connection flags, plus what only the command
/// line adds: the response cache and the rate limiter below it for Cost
/// Explorer clients, the per-attempt hook that draws progress and writes
/// --verbose logs, and the run's counters. Nothing here sends a request.

#include <cstdint>
#include <iosfwd>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "context.hpp"
#include "finops_crawler/aws/json_client.hpp"
#include "finops_crawler/aws/session.hpp"
#include "progress.hpp"

namespace finops_crawler {
inline namespace v0 {
namespace cli {

class caching_transport;
class response_cache;

/// Whether `region` has the form of an AWS region name: lowercase letters,
/// digits and single hyphens, starting with a letter, not ending with a
/// hyphen, at most 63 characters ("us-east-1", "aws-global").
bool is_region_name(std::string_view region) noexcept;

/// Whether `host` (a name, an IPv4 address or an IPv6 address without
/// brackets) is this machine: localhost, 127.0.0.0/8, ::1 (also as
/// ::ffff:127.x.x.x).
bool is_loopback_host(std::string_view host) noexcept;

/// Whether `url` is plain http:// to a host that is not loopback, where the
/// requests (and a session token) would cross the network unencrypted.
bool is_plain_http_to_another_host(std::string_view url) noexcept;

/// Everything the run has counted; filled by the attempt hook.
struct run_counts {
  progress_counts progress;
  std::uint64_t ce_requests = 0;  ///< Cost Explorer attempts handed to a transport (network or cache)
};

/// Settings, credentials and hooks for one command run. Owns the response
/// cache; the clients it makes borrow it and this session's counters, so the
/// session must outlive them. Not thread-safe.
class session {
 public:
  /// Opens the aws::session (loads the shared files, the CA bundle and the
  /// credentials: flags.credentials when set, else the chain) and the cache; warns on `err` when the region is in no
  /// partition this build knows. Errors: errc::no_credentials /
  /// errc::config_file (exit 3) naming every source tried;
  /// errc::invalid_argument (exit 2) for a region that is not a region name,
  /// a CA bundle that cannot be read, or a bad --cache directory.
  static result<std::unique_ptr<session>> open(const connection_flags& flags, const cli_context& ctx,
                                               std::ostream& err);
  ~session();
  session(const session&) = delete;
  session& operator=(const session&) = delete;

  /// A client for `api` (cost_explorer_api, organizations_api, sts_api),
  /// made from aws::session::client_options_for(api). Cost Explorer clients
  /// get the caching transport when --cache is set. A plain http:// endpoint
  /// that is not loopback gets a WARNING on stderr (once per URL). Errors: endpoint
  /// resolution (errc::invalid_argument: bad region or --endpoint-url).
  result<aws::json_client> client(const aws::api_service& api);

  /// Billable Cost Explorer requests actually sent so far (cache hits are
  /// answered locally and cost nothing).
  std::uint64_t billable() const noexcept { return counts_.progress.billable; }
  /// Pages served from the cache so far.
  std::uint64_t cached_pages() const noexcept { return counts_.progress.cached_pages; }
  /// All counters.
  const run_counts& counts() const noexcept { return counts_; }
  /// The cache, or null without --cache.
  response_cache* cache() noexcept { return cache_.get(); }
  /// The progress line (erase it before printing results on stderr).
  progress_line& progress() noexcept { return *progress_; }
  /// The credentials' safe description (never the secret).
  std::string credentials_description() const { return aws_.creds().to_string(); }
  /// The region in force (may be empty: global services use us-east-1).
  const std::string& region() const noexcept { return aws_.region(); }
  /// The library session underneath.
  const aws::session& aws_session() const noexcept { return aws_; }
  /// The end-of-run line, e.g. "3 billable requests (USD 0.03); 2 pages from cache".
  std::string summary() const;

 private:
  session(const connection_flags& flags, const cli_context& ctx, std::ostream& err, aws::session s);
  void on_attempt(const aws::attempt_info& a, caching_transport* caching, bool is_ce);
  void warn_plain_http(const aws::endpoint& target);

  connection_flags flags_;
  const cli_context* ctx_;
  std::ostream* err_;
  aws::session aws_;
  std::unique_ptr<response_cache> cache_;
  std::unique_ptr<progress_line> progress_;
  run_counts counts_;
  std::vector<std::string> warned_urls_;
};

}  // namespace cli
}  // namespace v0
}  // namespace finops_crawler

#endif  // FINOPS_CRAWLER_CLI_SESSION_HPP
