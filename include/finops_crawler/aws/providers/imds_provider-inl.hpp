#ifndef FINOPS_CRAWLER_AWS_PROVIDERS_IMDS_PROVIDER_INL_HPP
#define FINOPS_CRAWLER_AWS_PROVIDERS_IMDS_PROVIDER_INL_HPP
/// \file
/// The bodies of aws/providers/imds_provider.hpp: included by that header in
/// header-only mode, compiled once in src/ otherwise (config.hpp). Not for
/// direct inclusion.

#include <algorithm>
#include <utility>

#include "finops_crawler/aws/aws_error.hpp"
#include "finops_crawler/aws/providers/container_provider.hpp"
#include "finops_crawler/aws/providers/imds_provider.hpp"
#include "finops_crawler/detail/ascii.hpp"
#include "finops_crawler/http/curl_transport.hpp"

namespace finops_crawler {
inline namespace v0 {
namespace aws {

namespace detail {

/// A setting from the environment, else the profile; empty when neither.
FINOPS_CRAWLER_FUNC std::string env_or_profile(const provider_context& ctx, const char* var, const char* key,
                                               std::string& origin) {
  const environment& env = ctx.env ? *ctx.env : default_environment();
  if (auto v = env.get_non_empty(var)) {
    origin = var;
    return *v;
  }
  if (auto v = ctx.get(key); v && !v->value.empty()) {
    origin = "profile " + ctx.profile + " " + key + " at " + std::string(v->file) + ":" + std::to_string(v->line);
    return std::string(v->value);
  }
  return {};
}

/// A positive whole number of at most 6 digits, else -1.
FINOPS_CRAWLER_FUNC long positive_number(std::string_view s) {
  if (s.empty() || s.size() > 6) return -1;
  long n = 0;
  for (char c : s) {
    if (c < '0' || c > '9') return -1;
    n = n * 10 + (c - '0');
  }
  return n > 0 ? n : -1;
}

FINOPS_CRAWLER_FUNC result<imds_settings> imds_settings_from(const provider_context& ctx) {
  using finops_crawler::detail::iequals;
  const environment& env = ctx.env ? *ctx.env : default_environment();
  if (auto d = env.get_non_empty("AWS_EC2_METADATA_DISABLED"); d && iequals(finops_crawler::detail::trim(*d), "true"))
    return error(errc::no_credentials, "AWS_EC2_METADATA_DISABLED is true");
  imds_settings s;
  std::string origin;
  std::string ep = env_or_profile(ctx, "AWS_EC2_METADATA_SERVICE_ENDPOINT", "ec2_metadata_service_endpoint", origin);
  if (!ep.empty()) {
    while (!ep.empty() && ep.back() == '/') ep.pop_back();
    const bool ok = ((ep.size() > 7 && iequals(std::string_view(ep).substr(0, 7), "http://")) ||
                     (ep.size() > 8 && iequals(std::string_view(ep).substr(0, 8), "https://"))) &&
                    !url_host(ep).empty() && ep.find_first_of(" \t\r\n?#") == std::string::npos;
    if (!ok)
      return error(errc::invalid_argument, origin + ": the instance metadata endpoint '" + clean_message(ep, 200) +
                                               "' is not an http:// or https:// URL with a host");
    s.endpoint = std::move(ep);
    s.via = origin;
  } else {
    std::string mode =
        env_or_profile(ctx, "AWS_EC2_METADATA_SERVICE_ENDPOINT_MODE", "ec2_metadata_service_endpoint_mode", origin);
    if (mode.empty() || iequals(mode, "IPv4")) {
      s.endpoint = "http://169.254.169.254";
    } else if (iequals(mode, "IPv6")) {
      s.endpoint = "http://[fd00:ec2::254]";
    } else {
      return error(errc::invalid_argument, origin + ": the endpoint mode must be IPv4 or IPv6, not '" +
                                               clean_message(mode, 40) + "'");
    }
    s.via = mode.empty() ? std::string("the default") : origin;
  }
  std::string t = env_or_profile(ctx, "AWS_METADATA_SERVICE_TIMEOUT", "metadata_service_timeout", origin);
  if (!t.empty()) {
    const long secs = positive_number(t);
    if (secs < 0 || secs > 600)
      return error(errc::invalid_argument, origin + " must be a whole number of seconds from 1 to 600");
    s.timeout = std::chrono::seconds(secs);
  }
  std::string a = env_or_profile(ctx, "AWS_METADATA_SERVICE_NUM_ATTEMPTS", "metadata_service_num_attempts", origin);
  if (!a.empty()) {
    const long n = positive_number(a);
    if (n < 0 || n > 10) return error(errc::invalid_argument, origin + " must be a whole number from 1 to 10");
    s.max_attempts = static_cast<int>(n);
  }
  return s;
}

FINOPS_CRAWLER_FUNC result<std::unique_ptr<credentials_provider>> make_imds_provider(const provider_context& ctx) {
  auto s = imds_settings_from(ctx);
  if (!s) return s.error();
  return std::unique_ptr<credentials_provider>(new imds_provider(std::move(*s)));
}

}  // namespace detail

FINOPS_CRAWLER_FUNC imds_provider::imds_provider(imds_settings settings) : settings_(std::move(settings)) {
  name_ = "imds (" + settings_.endpoint + ")";
  if (!settings_.transport) {
    http::curl_options c;
    c.allow_http = true;  // the metadata service is plain http on a link-local address
    c.connect_timeout_ms = static_cast<long>(settings_.timeout.count());
    c.request_timeout_ms = static_cast<long>(settings_.timeout.count());
    c.max_response_bytes = 64 * 1024;
    settings_.transport.reset(new http::curl_transport(std::move(c)));
  }
}

FINOPS_CRAWLER_FUNC result<http::http_response> imds_provider::send(http::http_request& req, std::string_view what) {
  req.timeout = settings_.timeout;
  error last(errc::transport, "not sent");
  const int attempts = std::max(1, settings_.max_attempts);
  for (int n = 1; n <= attempts; ++n) {
    auto r = settings_.transport->send(req);
    if (r && r->status == 200) return r;
    if (!r) {
      // IMDS is the chain's last resort: nothing answering usually means
      // "not on EC2", i.e. no credentials anywhere, not a network fault.
      last = r.error();
      last.code = errc::no_credentials;
      last.message = name_ + ": " + std::string(what) + ": " + last.message +
                     " (not on EC2? no instance metadata service answered within " +
                     std::to_string(settings_.timeout.count()) +
                     " ms; set AWS_EC2_METADATA_DISABLED=true to skip it)";
      if (!last.retryable) break;
      continue;
    }
    const long st = r->status;
    std::string why = st == 401   ? " (the IMDSv2 session token was refused)"
                      : st == 403 ? " (IMDS is disabled for this instance, or refused the request)"
                      : st == 404 ? " (no IAM role is attached to the instance)"
                                  : "";
    last = error(st >= 500 ? errc::http_status : errc::no_credentials,
                 name_ + ": " + std::string(what) + " answered HTTP " + std::to_string(st) + why);
    last.http_status = st;
    last.retryable = st >= 500;
    if (!last.retryable) break;
  }
  return last;
}

FINOPS_CRAWLER_FUNC imds_provider::~imds_provider() { drop_token(); }

FINOPS_CRAWLER_FUNC void imds_provider::drop_token() noexcept {
  detail::cleanse_string(token_);
  token_.clear();
  token_expiry_ = credentials::time_point{};
}

FINOPS_CRAWLER_FUNC status imds_provider::new_token(credentials::time_point now) {
  drop_token();
  http::http_request token_req;
  token_req.method = "PUT";
  token_req.url = settings_.endpoint + "/latest/api/token";
  token_req.headers.push_back({"X-aws-ec2-metadata-token-ttl-seconds", std::to_string(settings_.token_ttl_seconds)});
  auto token = send(token_req, "the IMDSv2 token request (PUT /latest/api/token)");
  if (!token) return token.error();
  const std::string_view t = finops_crawler::detail::trim(token->body, " \t\r\n");
  if (t.empty() || t.find_first_of("\r\n") != std::string_view::npos) {
    detail::cleanse_string(token->body);
    return error(errc::unexpected_shape, name_ + ": the IMDSv2 token reply is empty or not one line");
  }
  token_.assign(t.data(), t.size());
  detail::cleanse_string(token->body);
  // The TTL asked for, or the shorter one the server answers with.
  long ttl = settings_.token_ttl_seconds;
  if (auto h = token->header("X-aws-ec2-metadata-token-ttl-seconds")) {
    const long answered = detail::positive_number(finops_crawler::detail::trim(*h, " \t"));
    if (answered > 0 && answered < ttl) ttl = answered;
  }
  token_expiry_ = now + std::chrono::seconds(ttl);
  return {};
}

FINOPS_CRAWLER_FUNC result<credentials> imds_provider::fetch_with_token() {
  http::http_request req;
  req.method = "GET";
  req.url = settings_.endpoint + "/latest/meta-data/iam/security-credentials/";
  req.headers.push_back({"X-aws-ec2-metadata-token", token_});
  auto role = send(req, "the role name request");
  if (!role) {
    detail::cleanse_string(req.headers[0].value);
    return role.error();
  }
  // The first line is the role (an instance profile holds one role).
  std::string_view name = finops_crawler::detail::trim(role->body, " \t\r\n");
  name = name.substr(0, name.find_first_of("\r\n"));
  const bool plain = !name.empty() && name.size() <= 128 &&
                     name.find_first_not_of("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+=,.@_-") ==
                         std::string_view::npos;
  if (!plain) {
    detail::cleanse_string(req.headers[0].value);
    return error(errc::unexpected_shape, name_ + ": the role name reply is not an IAM role name");
  }
  const std::string role_name(name);
  req.url += role_name;
  auto creds = send(req, "the credentials request for role " + role_name);
  detail::cleanse_string(req.headers[0].value);
  if (!creds) return creds.error();
  auto c = parse_metadata_credentials(creds->body, "instance metadata credentials reply",
                                      name_ + " role " + role_name, true);
  detail::cleanse_string(creds->body);
  if (!c) {
    error e = c.error();
    e.message = name_ + ": " + e.message;
    return e;
  }
  return c;
}

FINOPS_CRAWLER_FUNC result<credentials> imds_provider::fetch(credentials::time_point now) {
  // A kept token is used until 120 s before the server forgets it, so it
  // does not expire between the two GETs (the SDKs' buffer).
  constexpr std::chrono::seconds token_buffer{120};
  const bool kept = !token_.empty() && now + token_buffer < token_expiry_;
  if (!kept)
    if (auto st = new_token(now); !st) return st.error();
  auto c = fetch_with_token();
  if (!c && c.error().http_status == 401) {
    if (!kept) {
      drop_token();
      return c;
    }
    // The kept token was refused (the metadata service restarted or
    // forgot it): one new token, then the requests once more.
    if (auto st = new_token(now); !st) return st.error();
    c = fetch_with_token();
    if (!c && c.error().http_status == 401) drop_token();
  }
  return c;
}

FINOPS_CRAWLER_FUNC result<provider_lookup> imds_factory(const provider_context& ctx) {
  using finops_crawler::detail::iequals;
  const environment& env = ctx.env ? *ctx.env : default_environment();
  if (auto d = env.get_non_empty("AWS_EC2_METADATA_DISABLED"); d && iequals(finops_crawler::detail::trim(*d), "true"))
    return provider_lookup::decline("AWS_EC2_METADATA_DISABLED is true");
  auto p = detail::make_imds_provider(ctx);
  if (!p) return p.error();
  return provider_lookup::found(std::move(*p));
}

}  // namespace aws
}  // namespace v0
}  // namespace finops_crawler

#endif  // FINOPS_CRAWLER_AWS_PROVIDERS_IMDS_PROVIDER_INL_HPP
