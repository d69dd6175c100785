#ifndef FINOPS_CRAWLER_AWS_PROVIDERS_CONTAINER_PROVIDER_INL_HPP
#define FINOPS_CRAWLER_AWS_PROVIDERS_CONTAINER_PROVIDER_INL_HPP
/// \file
/// The bodies of aws/providers/container_provider.hpp: included by that
/// header in header-only mode, compiled once in src/ otherwise (config.hpp).
/// Not for direct inclusion.

#include <simdjson.h>

#include <algorithm>
#include <thread>
#include <utility>

#include "finops_crawler/aws/aws_error.hpp"
#include "finops_crawler/aws/providers/container_provider.hpp"
#include "finops_crawler/aws/providers/sts_providers.hpp"
#include "finops_crawler/detail/ascii.hpp"
#include "finops_crawler/detail/time.hpp"

namespace finops_crawler {
inline namespace v0 {
namespace aws {

FINOPS_CRAWLER_FUNC result<credentials> parse_metadata_credentials(std::string_view json, std::string_view what,
                                                                  std::string source, bool imds) {
  simdjson::dom::parser parser;
  simdjson::dom::element doc;
  const std::string w(what);
  if (auto err = parser.parse(json.data(), json.size()).get(doc))
    return error(errc::bad_json, w + " is not valid JSON (" + std::string(simdjson::error_message(err)) + ")");
  simdjson::dom::object o;
  if (doc.get_object().get(o)) return error(errc::unexpected_shape, w + " is not a JSON object");
  auto member = [&](const char* key, std::string_view& out) -> status {
    simdjson::dom::element e;
    if (o[key].get(e)) return error(errc::unexpected_shape, w + ": " + key + " is missing");
    if (e.get_string().get(out)) return error(errc::unexpected_shape, w + ": " + key + " is not a string");
    return {};
  };
  std::string_view id, secret, token, expiration;
  if (imds) {
    std::string_view code;
    if (auto s = member("Code", code); !s) return s.error();
    if (code != "Success")
      return error(errc::no_credentials, w + ": Code is \"" + detail::clean_message(code, 60) + "\", not \"Success\"");
  }
  for (auto [key, out] : {std::pair<const char*, std::string_view*>{"AccessKeyId", &id},
                          {"SecretAccessKey", &secret}, {"Token", &token}, {"Expiration", &expiration}})
    if (auto s = member(key, *out); !s) return s.error();
  auto when = finops_crawler::detail::parse_iso8601(expiration);
  if (!when) return error(errc::unexpected_shape, w + ": Expiration is not an ISO 8601 timestamp");
  auto made = credentials::make(std::string(id), std::string(secret), std::string(token), *when, std::move(source));
  if (!made) {
    error e = made.error();
    e.code = errc::unexpected_shape;
    e.message = w + ": " + e.message;
    return e;
  }
  return made;
}

namespace detail {

FINOPS_CRAWLER_FUNC bool is_allowed_container_http_host(std::string_view host) noexcept {
  using finops_crawler::detail::iequals;
  if (iequals(host, "localhost") || host == "::1" || host == "169.254.170.2" || host == "169.254.170.23" ||
      iequals(host, "fd00:ec2::23"))
    return true;
  // 127.0.0.0/8: four decimal octets, the first 127.
  if (host.substr(0, 4) != "127.") return false;
  int dots = 0, digits = 0, value = 0;
  for (char c : host) {
    if (c == '.') {
      if (digits == 0) return false;
      ++dots;
      digits = value = 0;
    } else if (c >= '0' && c <= '9') {
      value = value * 10 + (c - '0');
      if (++digits > 3 || value > 255) return false;
    } else {
      return false;
    }
  }
  return dots == 3 && digits > 0;
}

FINOPS_CRAWLER_FUNC std::string url_host(std::string_view url) {
  const std::size_t sep = url.find("://");
  if (sep == std::string_view::npos) return {};
  std::string_view rest = url.substr(sep + 3);
  rest = rest.substr(0, rest.find_first_of("/?#"));
  if (const std::size_t at = rest.rfind('@'); at != std::string_view::npos) rest.remove_prefix(at + 1);
  if (!rest.empty() && rest.front() == '[') {
    const std::size_t close = rest.find(']');
    return close == std::string_view::npos ? std::string() : std::string(rest.substr(1, close - 1));
  }
  return std::string(rest.substr(0, rest.find(':')));
}

FINOPS_CRAWLER_FUNC result<container_settings> container_settings_from(const environment& env,
                                                                      std::string_view relative_base) {
  using finops_crawler::detail::iequals;
  container_settings s;
  if (auto rel = env.get_non_empty("AWS_CONTAINER_CREDENTIALS_RELATIVE_URI")) {
    if (rel->front() != '/')
      return error(errc::invalid_argument, "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI must start with '/'");
    s.url = std::string(relative_base) + *rel;
    s.via = "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI";
  } else if (auto full = env.get_non_empty("AWS_CONTAINER_CREDENTIALS_FULL_URI")) {
    const bool http = full->size() > 7 && iequals(std::string_view(*full).substr(0, 7), "http://");
    const bool https = full->size() > 8 && iequals(std::string_view(*full).substr(0, 8), "https://");
    const std::string host = url_host(*full);
    if ((!http && !https) || host.empty() || full->find_first_of(" \t\r\n") != std::string::npos)
      return error(errc::invalid_argument, "AWS_CONTAINER_CREDENTIALS_FULL_URI '" + clean_message(*full, 200) +
                                               "' is not an http:// or https:// URL with a host");
    // The SDKs' rule: credentials travel in clear only on this machine or
    // to the ECS / EKS agents' link-local addresses.
    if (http && !is_allowed_container_http_host(host))
      return error(errc::invalid_argument,
                   "AWS_CONTAINER_CREDENTIALS_FULL_URI: plain http is allowed only to a loopback address or to "
                   "169.254.170.2, 169.254.170.23 or fd00:ec2::23, not to '" +
                       clean_message(host, 100) + "'; use https");
    s.url = *full;
    s.via = "AWS_CONTAINER_CREDENTIALS_FULL_URI";
    if (auto file = env.get_non_empty("AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE")) {
      s.authorization_token_file = *file;
    } else if (auto token = env.get_non_empty("AWS_CONTAINER_AUTHORIZATION_TOKEN")) {
      if (token->find_first_of("\r\n") != std::string::npos) {
        cleanse_string(*token);
        return error(errc::invalid_argument, "AWS_CONTAINER_AUTHORIZATION_TOKEN contains a line break");
      }
      s.authorization_token = std::move(*token);
    }
  }
  return s;
}

}  // namespace detail

FINOPS_CRAWLER_FUNC container_provider::container_provider(container_settings settings)
    : settings_(std::move(settings)) {
  name_ = "container (" + settings_.url + (settings_.via.empty() ? "" : " from " + settings_.via) + ")";
  if (!settings_.transport) {
    http::curl_options c = settings_.curl;
    c.allow_http = true;  // checked by container_settings_from: loopback or link-local only
    settings_.transport.reset(new http::curl_transport(std::move(c)));
  }
}

FINOPS_CRAWLER_FUNC result<credentials> container_provider::fetch(credentials::time_point) {
  http::http_request req;
  req.method = "GET";
  req.url = settings_.url;
  std::string token = settings_.authorization_token;
  if (!settings_.authorization_token_file.empty()) {
    auto t = detail::read_token_file(settings_.authorization_token_file, "AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE");
    if (!t) {
      error e = t.error();
      e.message = name_ + ": " + e.message;
      return e;
    }
    token = std::move(*t);
    if (token.find_first_of("\r\n") != std::string::npos) {
      detail::cleanse_string(token);
      return error(errc::no_credentials, name_ + ": the authorization token file holds a line break");
    }
  }
  if (!token.empty()) req.headers.push_back({"Authorization", token});
  detail::cleanse_string(token);
  req.timeout = std::chrono::milliseconds(settings_.curl.request_timeout_ms);

  error last(errc::transport, name_ + ": not sent");
  const int attempts = std::max(1, settings_.max_attempts);
  for (int n = 1; n <= attempts; ++n) {
    auto sent = settings_.transport->send(req);
    if (!sent) {
      last = sent.error();
      last.message = name_ + ": " + last.message;
      if (!last.retryable) break;
    } else if (sent->status == 200) {
      for (auto& h : req.headers) detail::cleanse_string(h.value);
      auto c = parse_metadata_credentials(sent->body, "container credentials reply", name_);
      detail::cleanse_string(sent->body);
      if (!c) {
        error e = c.error();
        e.message = name_ + ": " + e.message;
        return e;
      }
      return c;
    } else {
      // The agent's refusal text names the problem, never a secret of ours.
      const std::string excerpt = detail::clean_message(sent->body, 200);
      const bool refused = sent->status >= 400 && sent->status < 500;
      last = error(refused ? errc::no_credentials : errc::http_status,
                   name_ + ": HTTP " + std::to_string(sent->status) +
                       (refused ? " (refused; check AWS_CONTAINER_AUTHORIZATION_TOKEN or its _FILE)" : "") +
                       (excerpt.empty() ? "" : ": " + excerpt));
      last.http_status = sent->status;
      last.retryable = !refused;
      if (refused) break;
    }
    if (n < attempts) std::this_thread::sleep_for(std::chrono::milliseconds(50 << n));
  }
  for (auto& h : req.headers) detail::cleanse_string(h.value);
  return last;
}

FINOPS_CRAWLER_FUNC result<provider_lookup> container_factory(const provider_context& ctx) {
  auto s = detail::container_settings_from(ctx.env ? *ctx.env : default_environment());
  if (!s) return s.error();
  if (s->url.empty())
    return provider_lookup::decline(
        "neither AWS_CONTAINER_CREDENTIALS_RELATIVE_URI nor AWS_CONTAINER_CREDENTIALS_FULL_URI is set");
  if (ctx.make_transport) {
    endpoint e;
    e.url = s->url;
    e.overridden = true;  // plain http was checked above
    e.source = s->via;
    s->transport = ctx.make_transport(e);
  }
  return provider_lookup::found(std::unique_ptr<credentials_provider>(new container_provider(std::move(*s))));
}

}  // namespace aws
}  // namespace v0
}  // namespace finops_crawler

#endif  // FINOPS_CRAWLER_AWS_PROVIDERS_CONTAINER_PROVIDER_INL_HPP
