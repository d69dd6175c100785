// Bodies of session.hpp.
#include "session.hpp"

#include <chrono>
#include <iomanip>
#include <ostream>
#include <sstream>
#include <utility>

#include "caching_transport.hpp"
#include "finops_crawler/http/curl_transport.hpp"
#include "finops_crawler/http/rate_limiter.hpp"
#include "rate_limited_transport.hpp"
#include "response_cache.hpp"

namespace finops_crawler {
inline namespace v0 {
namespace cli {

session::session(const connection_flags& flags, const cli_context& ctx, std::ostream& err, aws::session s)
    : flags_(flags), ctx_(&ctx), err_(&err), aws_(std::move(s)) {}

session::~session() = default;

result<std::unique_ptr<session>> session::open(const connection_flags& flags, const cli_context& ctx,
                                               std::ostream& err) {
  aws::session_options o;
  if (!flags.profile.empty()) o.profile = flags.profile;
  if (!flags.region.empty()) o.region = flags.region;
  if (!flags.endpoint_url.empty()) o.endpoint_url = flags.endpoint_url;
  o.env = &ctx.environment();
  o.retry = ctx.retry;
  o.rate_limit = http::rate_limit_options{ctx.rate_limit_per_s, ctx.rate_limit_per_s};
  auto opened = aws::session::open(std::move(o));
  if (!opened) return opened.error();
  std::unique_ptr<session> s(new session(flags, ctx, err, std::move(*opened)));
  if (!flags.cache_dir.empty()) {
    auto c = response_cache::open(flags.cache_dir);
    if (!c) return c.error();
    s->cache_.reset(new response_cache(std::move(*c)));
  }
  s->progress_.reset(new progress_line(err, ctx.stderr_is_terminal || flags.progress, ctx.stderr_is_terminal));
  if (flags.verbose) err << "finops-crawler: credentials " << s->credentials_description() << "\n";
  return s;
}

result<aws::json_client> session::client(const aws::api_service& api) {
  auto options = aws_.client_options_for(api);
  if (!options) return options.error();
  aws::client_options o = std::move(*options);
  caching_transport* caching = nullptr;
  if (api.billable && cache_) {
    // Pages served from disk must not wait for the network's request rate:
    // the limiter moves below the cache, the client's own is turned off.
    http::curl_options curl = o.curl;
    curl.allow_http = o.target.overridden;
    std::unique_ptr<http::transport> net(new http::curl_transport(std::move(curl)));
    auto limiter = std::make_shared<http::rate_limiter>(o.rate_limit, o.time);
    net.reset(new rate_limited_transport(std::move(net), std::move(limiter)));
    caching = new caching_transport(std::move(net), cache_.get(), ctx_->date());
    net.reset(caching);
    o.transport = std::move(net);
    o.rate_limit = http::rate_limit_options{0, 1};
  }
  // Without the cache the client makes its curl_transport from o.curl.
  const bool is_ce = api.billable;
  o.on_attempt = [this, caching, is_ce](const aws::attempt_info& a) { on_attempt(a, caching, is_ce); };
  if (flags_.verbose) *err_ << "finops-crawler: " << api.display_name << " endpoint " << o.target.url << "\n";
  return aws::json_client(std::move(o));
}

std::string session::summary() const { return summary_line(billable(), cache_ != nullptr, cached_pages()); }

void session::on_attempt(const aws::attempt_info& a, caching_transport* caching, bool is_ce) {
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

}  // namespace cli
}  // namespace v0
}  // namespace finops_crawler
