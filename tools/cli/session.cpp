// Bodies of session.hpp.
#include "session.hpp"

#include <chrono>
#include <string_view>
#include <iomanip>
#include <ostream>
#include <sstream>
#include <utility>

#include <arpa/inet.h>
#include <netinet/in.h>

#include "caching_transport.hpp"
#include "finops_crawler/detail/ascii.hpp"
#include "finops_crawler/aws/providers/http_providers.hpp"
#include "finops_crawler/aws/sts/sts.hpp"
#include "finops_crawler/detail/json_writer.hpp"
#include "finops_crawler/http/curl_transport.hpp"
#include "finops_crawler/http/rate_limiter.hpp"
#include "rate_limited_transport.hpp"
#include "response_cache.hpp"

namespace finops_crawler {
inline namespace v0 {
namespace cli {

namespace {

constexpr bool is_region_char(char c) noexcept { return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'); }

// Is `region` in the partition table (endpoints.hpp): a global alias, or
// matching a partition's region pattern?
bool is_known_region(std::string_view region) noexcept {
  for (const aws::partition& p : aws::partitions)
    if ((!p.global_region_alias.empty() && region == p.global_region_alias) || aws::detail::region_matches(p, region))
      return true;
  return false;
}

// The region in force, wherever it was set, before anything is signed with it.
status check_region(const aws::session& s, std::ostream& err) {
  const std::string& r = s.region();
  if (r.empty()) return {};
  const std::string where = s.region_origin() == "option" ? std::string("--region") : "region (" + s.region_origin() + ")";
  if (!is_region_name(r))
    return error(errc::invalid_argument, where + " " + finops_crawler::detail::quoted_excerpt(r, 64) +
                                             " is not a region name: lowercase letters, digits and hyphens, e.g. us-east-1");
  if (!is_known_region(r))
    err << "finops-crawler: warning: " << where << " '" << r
        << "' is in no AWS partition this build knows (us-, eu-, ap-, cn-, us-gov-, ...); sending anyway\n";
  return {};
}

}  // namespace

bool is_region_name(std::string_view r) noexcept {
  if (r.empty() || r.size() > 63 || !(r.front() >= 'a' && r.front() <= 'z') || r.back() == '-') return false;
  char prev = '\0';
  for (char c : r) {
    if (!is_region_char(c) && c != '-') return false;
    if (c == '-' && prev == '-') return false;
    prev = c;
  }
  return true;
}

bool is_loopback_host(std::string_view host) noexcept {
  const std::string h = finops_crawler::detail::to_lower(host);
  if (h == "localhost" || h == "localhost.") return true;
  in_addr v4{};
  if (::inet_pton(AF_INET, h.c_str(), &v4) == 1) return (ntohl(v4.s_addr) >> 24) == 127;
  in6_addr v6{};
  if (::inet_pton(AF_INET6, h.c_str(), &v6) == 1) {
    if (IN6_IS_ADDR_LOOPBACK(&v6)) return true;
    return IN6_IS_ADDR_V4MAPPED(&v6) && v6.s6_addr[12] == 127;
  }
  return false;
}

bool is_plain_http_to_another_host(std::string_view url) noexcept {
  constexpr std::string_view scheme = "http://";
  if (url.size() < scheme.size() || !finops_crawler::detail::iequals(url.substr(0, scheme.size()), scheme)) return false;
  std::string_view rest = url.substr(scheme.size());
  rest = rest.substr(0, rest.find_first_of("/?#"));
  if (auto at = rest.rfind('@'); at != std::string_view::npos) rest.remove_prefix(at + 1);
  std::string_view host;
  if (!rest.empty() && rest.front() == '[') {
    const auto close = rest.find(']');
    host = rest.substr(1, close == std::string_view::npos ? std::string_view::npos : close - 1);
  } else {
    host = rest.substr(0, rest.find(':'));
  }
  return !is_loopback_host(host);
}

session::session(const connection_flags& flags, const cli_context& ctx, std::ostream& err, aws::session s)
    : flags_(flags), ctx_(&ctx), err_(&err), aws_(std::move(s)) {}

session::~session() = default;

result<std::unique_ptr<session>> session::open(const connection_flags& flags, const cli_context& ctx,
                                               std::ostream& err) {
  aws::session_options o;
  if (!flags.profile.empty()) o.profile = flags.profile;
  if (!flags.region.empty()) o.region = flags.region;
  if (!flags.endpoint_url.empty()) o.endpoint_url = flags.endpoint_url;
  if (!flags.ca_bundle.empty()) o.ca_bundle = flags.ca_bundle;
  if (flags.credentials) o.credential_source = flags.credentials;
  o.env = &ctx.environment();
  o.retry = ctx.retry;
  o.rate_limit = http::rate_limit_options{ctx.rate_limit_per_s, ctx.rate_limit_per_s};
  // The whole chain: the HTTP kinds too (assume-role, web identity,
  // container, IMDS), so the command line runs on AWS compute with a role.
  o.credential_hooks = aws::http_provider_hooks();
  // A refresh that fails while the credentials are still valid does not
  // stop the run; say so, since the run will fail once they expire.
  std::ostream* warn = &err;
  o.credential_refresh.on_refresh_failure = [warn](const error& e) {
    *warn << "finops-crawler: WARNING: refreshing the credentials failed (the current ones are still valid): "
          << e.describe() << "\n";
  };
  auto opened = aws::session::open(std::move(o));
  if (!opened) {
    error e = opened.error();
    constexpr std::string_view from_option = "(from option)";
    if (auto at = e.message.find(from_option); at != std::string::npos && !flags.ca_bundle.empty())
      e.message.replace(at, from_option.size(), "(from --ca-bundle)");
    return e;
  }
  if (auto st = check_region(*opened, err); !st) return st.error();
  std::unique_ptr<session> s(new session(flags, ctx, err, std::move(*opened)));
  if (!flags.cache_dir.empty()) {
    // A cache entry's key is the request, which names no account: each
    // account's pages are kept in DIR/<account id>, or the same report for
    // another payer would be served the first one's pages. The account is
    // the credentials' (STS GetCallerIdentity: free, needs no permission).
    if (auto c = response_cache::open(flags.cache_dir); !c) return c.error();
    auto sts_client = s->client(aws::sts_api);
    if (!sts_client) return sts_client.error();
    auto who = sts::sts_client(std::move(*sts_client)).get_caller_identity();
    if (!who) {
      error e = who.error();
      e.message = "--cache: finding the account of the credentials (sts:GetCallerIdentity) failed: " + e.message;
      return e;
    }
    auto c = response_cache::open(flags.cache_dir + "/" + who->account);
    if (!c) return c.error();
    s->cache_.reset(new response_cache(std::move(*c)));
  }
  s->progress_.reset(new progress_line(err, ctx.stderr_is_terminal || flags.progress, ctx.stderr_is_terminal));
  if (flags.verbose) {
    err << "finops-crawler: credentials " << s->credentials_description() << " (provider "
        << s->aws_.credential_source()->provider_name() << ")\n";
    const aws::session& a = s->aws_;
    if (!a.ca_bundle().empty())
      err << "finops-crawler: CA bundle " << a.ca_bundle() << " (from "
          << (a.ca_bundle_origin() == "option" ? std::string("--ca-bundle") : a.ca_bundle_origin()) << ")\n";
  }
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
  warn_plain_http(o.target);
  const bool is_ce = api.billable;
  o.on_attempt = [this, caching, is_ce](const aws::attempt_info& a) { on_attempt(a, caching, is_ce); };
  if (flags_.verbose) *err_ << "finops-crawler: " << api.display_name << " endpoint " << o.target.url << "\n";
  return aws::json_client(std::move(o));
}

void session::warn_plain_http(const aws::endpoint& target) {
  if (!is_plain_http_to_another_host(target.url)) return;
  for (const auto& u : warned_urls_)
    if (u == target.url) return;
  warned_urls_.push_back(target.url);
  progress_->clear();
  *err_ << "finops-crawler: WARNING: " << target.url << " (" << target.source
        << ") is plain HTTP to another machine: every request, its signature"
        << (aws_.creds().has_session_token() ? " and the session token" : "")
        << " and the cost data cross the network unencrypted. Use https://, or plain http only to this machine "
           "(127.0.0.1, ::1, localhost).\n";
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
