#ifndef FINOPS_CRAWLER_CLI_SESSION_HPP
#define FINOPS_CRAWLER_CLI_SESSION_HPP
/// \file
/// Turns the connection flags (--profile, --region, --endpoint-url, --cache,
/// --verbose, --progress) into configured aws::json_client objects: the
/// shared config files, the credential chain, endpoint resolution, the
/// response cache below Cost Explorer clients, and the per-attempt hook that
/// draws progress and writes --verbose logs. Nothing here sends a request.

#include <chrono>
#include <cstdint>
#include <functional>
#include <iomanip>
#include <memory>
#include <optional>
#include <ostream>
#include <sstream>
#include <string>
#include <utility>

#include "caching_transport.hpp"
#include "finops_crawler/aws/credentials.hpp"
#include "finops_crawler/aws/endpoints.hpp"
#include "finops_crawler/aws/environment.hpp"
#include "finops_crawler/aws/json_client.hpp"
#include "finops_crawler/aws/shared_config.hpp"
#include "finops_crawler/http/curl_transport.hpp"
#include "progress.hpp"
#include "rate_limited_transport.hpp"
#include "response_cache.hpp"

namespace finops_crawler {
inline namespace v0 {
namespace cli {

/// What the process provides: environment, clock, terminals. Tests fill it
/// with a map_environment and a fixed date; main() with the real ones.
/// Borrowed pointers must outlive the run.
struct cli_context {
  /// Environment variables (credentials, AWS_PROFILE, AWS_REGION, ...).
  const aws::environment* env = nullptr;  ///< null = the process environment
  /// Today's UTC date; nullopt = the system clock.
  std::optional<civil_date> today;
  bool stdout_is_terminal = false;
  bool stderr_is_terminal = false;
  /// Columns for tables and charts.
  std::size_t terminal_width = 80;
  /// Retry settings for every client (tests shorten the backoff).
  http::retry_options retry;
  /// Cost Explorer requests per second (0 = unlimited).
  double rate_limit_per_s = 5.0;

  const aws::environment& environment() const { return env ? *env : aws::default_environment(); }
  civil_date date() const { return today ? *today : today_utc(); }
};

/// The connection flags shared by every command.
struct connection_flags {
  std::string profile;
  std::string region;
  std::string endpoint_url;
  std::string cache_dir;
  bool progress = false;
  bool verbose = false;
};

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
  /// Loads the shared files and credentials. Errors: errc::no_credentials /
  /// errc::config_file (exit 3) naming every source tried;
  /// errc::invalid_argument for a bad --cache directory (exit 2).
  static result<std::unique_ptr<session>> open(const connection_flags& flags, const cli_context& ctx,
                                               std::ostream& err) {
    std::unique_ptr<session> s(new session(flags, ctx, err));
    const aws::environment& env = ctx.environment();
    auto profile = aws::resolve_profile(flags.profile.empty() ? std::nullopt : std::optional<std::string_view>(flags.profile), env);
    s->profile_ = profile.name;
    auto files = aws::shared_config::load(aws::default_shared_config_paths(env));
    if (!files) return files.error();
    s->config_ = std::move(*files);
    aws::credential_options copts;
    if (!flags.profile.empty()) copts.profile = flags.profile;
    auto creds = aws::resolve_credentials(copts, env, s->config_);
    if (!creds) return creds.error();
    s->creds_ = std::move(*creds);
    auto region = aws::resolve_region(flags.region.empty() ? std::nullopt : std::optional<std::string_view>(flags.region),
                                      env, s->config_, s->profile_);
    if (region) s->region_ = region->name;
    if (!flags.cache_dir.empty()) {
      auto c = response_cache::open(flags.cache_dir);
      if (!c) return c.error();
      s->cache_.reset(new response_cache(std::move(*c)));
    }
    s->progress_.reset(new progress_line(err, ctx.stderr_is_terminal || flags.progress, ctx.stderr_is_terminal));
    if (flags.verbose) err << "finops-crawler: credentials " << s->creds_.to_string() << "\n";
    return s;
  }

  /// A client for `api` (cost_explorer_api, organizations_api, sts_api).
  /// Cost Explorer clients get the caching transport when --cache is set.
  /// Errors: endpoint resolution (errc::invalid_argument: bad region or
  /// --endpoint-url).
  result<aws::json_client> client(const aws::api_service& api) {
    const aws::environment& env = ctx_->environment();
    aws::endpoint_options eo;
    if (!flags_.endpoint_url.empty()) eo.endpoint_url = flags_.endpoint_url;
    auto ep = aws::resolve_endpoint(api.id, region_.empty() ? std::nullopt : std::optional<std::string_view>(region_),
                                    eo, env, config_, profile_);
    if (!ep) return ep.error();
    aws::client_options o;
    o.service = api;
    o.target = std::move(*ep);
    o.creds = creds_;
    o.retry = ctx_->retry;
    o.rate_limit = http::rate_limit_options{ctx_->rate_limit_per_s, ctx_->rate_limit_per_s};
    http::curl_options curl;
    curl.allow_http = o.target.overridden;
    std::unique_ptr<http::transport> net(new http::curl_transport(std::move(curl)));
    caching_transport* caching = nullptr;
    if (api.billable && cache_) {
      // Pages served from disk must not wait for the network's request rate:
      // the limiter moves below the cache, the client's own is turned off.
      auto limiter = std::make_shared<http::rate_limiter>(o.rate_limit, o.time);
      net.reset(new rate_limited_transport(std::move(net), std::move(limiter)));
      caching = new caching_transport(std::move(net), cache_.get(), ctx_->date());
      net.reset(caching);
      o.rate_limit = http::rate_limit_options{0, 1};
    }
    o.transport = std::move(net);
    const bool is_ce = api.billable;
    o.on_attempt = [this, caching, is_ce](const aws::attempt_info& a) { on_attempt(a, caching, is_ce); };
    if (flags_.verbose) *err_ << "finops-crawler: " << api.display_name << " endpoint " << o.target.url << "\n";
    return aws::json_client(std::move(o));
  }

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
  std::string credentials_description() const { return creds_.to_string(); }
  /// The region in force (may be empty: global services use us-east-1).
  const std::string& region() const noexcept { return region_; }
  /// The end-of-run line, e.g. "3 billable requests (USD 0.03); 2 pages from cache".
  std::string summary() const { return summary_line(billable(), cache_ != nullptr, cached_pages()); }

 private:
  session(const connection_flags& flags, const cli_context& ctx, std::ostream& err)
      : flags_(flags), ctx_(&ctx), err_(&err) {}

  void on_attempt(const aws::attempt_info& a, caching_transport* caching, bool is_ce) {
    const bool from_cache = caching && caching->last_from_cache();
    if (is_ce) ++counts_.ce_requests;
    if (a.will_retry) ++counts_.progress.retries;
    if (a.failure == nullptr) {
      if (is_ce) {
        ++counts_.progress.pages;
        if (from_cache) ++counts_.progress.cached_pages;
        else ++counts_.progress.billable;
      }
    }
    if (flags_.verbose) {
      progress_->clear();
      std::ostringstream line;
      line << "finops-crawler: " << a.method << ' ' << a.service << ' ' << a.operation << " attempt " << a.attempt
           << '/' << a.max_attempts << " -> ";
      if (from_cache) line << "from cache";
      else if (a.http_status) line << "HTTP " << a.http_status;
      else line << "no response";
      if (a.failure) line << ": " << a.failure->describe();
      if (a.will_retry)
        line << "; retrying in " << std::fixed << std::setprecision(2)
             << std::chrono::duration<double>(a.delay).count() << " s";
      *err_ << line.str() << "\n";
    }
    if (is_ce) progress_->update(counts_.progress);
  }

  connection_flags flags_;
  const cli_context* ctx_;
  std::ostream* err_;
  std::string profile_;
  std::string region_;
  aws::shared_config config_;
  aws::credentials creds_;
  std::unique_ptr<response_cache> cache_;
  std::unique_ptr<progress_line> progress_;
  run_counts counts_;
};

}  // namespace cli
}  // namespace v0
}  // namespace finops_crawler

#endif  // FINOPS_CRAWLER_CLI_SESSION_HPP
