#ifndef FINOPS_CRAWLER_AWS_JSON_CLIENT_HPP
#define FINOPS_CRAWLER_AWS_JSON_CLIENT_HPP
/// \file
/// `aws::json_client`: calls an AWS service over the AWS JSON 1.1 protocol
/// (Cost Explorer, Organizations) or the query protocol (STS), with SigV4
/// signing, a client-side rate limit, retries with capped exponential backoff
/// and full jitter, error decoding, and counters.
///
///   aws::client_options o;
///   o.service = aws::cost_explorer_api;
///   o.endpoint = *aws::resolve_endpoint(aws::service::cost_explorer, ...);
///   o.creds = *aws::resolve_credentials(...);
///   aws::json_client c(std::move(o));
///   auto r = c.call("GetCostAndUsage", R"({"TimePeriod":...})");
///   if (!r) { std::cerr << r.error().describe() << '\n'; return 1; }
///   parse(r->body);  // a validated JSON document
///
/// Uses simdjson (to validate 200 bodies) and libcurl (the default
/// transport); the SigV4 signer includes neither.

#include <simdjson.h>

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "finops_crawler/aws/aws_error.hpp"
#include "finops_crawler/aws/credentials.hpp"
#include "finops_crawler/aws/endpoints.hpp"
#include "finops_crawler/aws/sigv4.hpp"
#include "finops_crawler/detail/percent_encoding.hpp"
#include "finops_crawler/http/curl_transport.hpp"
#include "finops_crawler/http/rate_limiter.hpp"
#include "finops_crawler/http/retry_policy.hpp"
#include "finops_crawler/http/transport.hpp"
#include "finops_crawler/result.hpp"

namespace finops_crawler {
inline namespace v0 {
namespace aws {

/// The protocol-level names of a service the client calls.
struct api_service {
  service id;                      ///< which endpoint rules apply (endpoints.hpp)
  std::string_view display_name;   ///< for messages: "Cost Explorer"
  std::string_view target_prefix;  ///< JSON 1.1 X-Amz-Target prefix; empty for query-protocol services
  std::string_view iam_prefix;     ///< IAM action prefix: "ce" (action "ce:GetCostAndUsage")
  std::string_view api_version;    ///< the query protocol's Version parameter
  /// Whether each successful call is billed (Cost Explorer API: USD 0.01 per
  /// request, https://aws.amazon.com/aws-cost-management/pricing/).
  bool billable;
};

/// Cost Explorer: AWS JSON 1.1, target prefix from the service model
/// (ce-2017-10-25 `targetPrefix`), billed per request.
inline constexpr api_service cost_explorer_api{service::cost_explorer, "Cost Explorer", "AWSInsightsIndexService",
                                               "ce", "2017-10-25", true};
/// Organizations: AWS JSON 1.1 (organizations-2016-11-28 `targetPrefix`), free.
inline constexpr api_service organizations_api{service::organizations, "Organizations",
                                               "AWSOrganizationsV20161128", "organizations", "2016-11-28", false};
/// STS: the query protocol (form-encoded POST, XML reply), free.
inline constexpr api_service sts_api{service::sts, "STS", "", "sts", "2011-06-15", false};

/// Cost of one billable request, in US cents (Cost Explorer API pricing).
inline constexpr std::uint64_t cost_explorer_cents_per_request = 1;

/// What happened in one attempt, passed to `client_options::on_attempt`.
/// Holds no secret: no headers, no body, no credentials. `method` views a
/// string literal; `service` views the api_service's name (static for the
/// predefined services); `operation` and `failure` are valid only during the
/// callback (copy what you keep).
struct attempt_info {
  std::string_view method;     ///< "POST"
  std::string_view service;    ///< "Cost Explorer"
  std::string_view operation;  ///< "GetCostAndUsage"
  int attempt = 0;             ///< 1-based
  int max_attempts = 0;
  long http_status = 0;        ///< 0 when no HTTP status arrived
  /// The attempt's error, or nullptr when it succeeded. Its message is the
  /// same safe text the caller would see.
  const error* failure = nullptr;
  bool will_retry = false;     ///< another attempt follows
  std::chrono::nanoseconds delay{0};    ///< backoff before the next attempt (0 when none follows)
  std::chrono::nanoseconds waited{0};   ///< time spent waiting for the rate limiter before this attempt
};

/// Observer of every attempt (progress display, --verbose logs). Called on
/// the calling thread, after the attempt and before any backoff sleep.
using attempt_hook = std::function<void(const attempt_info&)>;

/// Everything a client needs. Move-only (it may own a transport).
struct client_options {
  /// The service: cost_explorer_api, organizations_api or sts_api.
  api_service service = cost_explorer_api;
  /// Where to send requests and how to sign them (endpoints.hpp). A plain
  /// http URL is accepted only when `endpoint.overridden` is true.
  endpoint target;
  /// The keys to sign with (credentials.hpp). Copied into the client.
  credentials creds;
  /// The transport; when null the client makes a curl_transport from
  /// `curl` (with curl.allow_http set to target.overridden).
  std::unique_ptr<http::transport> transport;
  http::curl_options curl;
  /// Attempt limit and backoff.
  http::retry_options retry;
  /// A rate limiter to share with other clients; when null the client makes
  /// its own from `rate_limit`.
  std::shared_ptr<http::rate_limiter> limiter;
  /// A conservative default of 5 requests per second with a burst of 5:
  /// Cost Explorer throttles bursts (LimitExceededException) and does not
  /// publish its limits, and a crawl is not latency-bound. 0 disables.
  http::rate_limit_options rate_limit{5.0, 5.0};
  /// Clock and sleep for backoff and the rate limiter (tests: fake ones).
  http::time_source time;
  /// Random source for jitter; empty means a seeded std::mt19937_64.
  http::random_source random;
  /// Wall clock for X-Amz-Date; empty means std::chrono::system_clock.
  std::function<std::chrono::system_clock::time_point()> wall_clock;
  /// Called after every attempt; may be empty.
  attempt_hook on_attempt;
};

/// What a client has done. Totals since construction.
struct client_counters {
  std::uint64_t requests_sent = 0;      ///< attempts handed to the transport
  std::uint64_t billable_requests = 0;  ///< successful calls to a billable service (Cost Explorer)
  std::uint64_t retries = 0;            ///< attempts that were a retry
  std::uint64_t throttles = 0;          ///< attempts answered with throttling
  /// Estimated Cost Explorer API charge of those calls, in US cents.
  std::uint64_t estimated_cost_cents() const noexcept {
    return billable_requests * cost_explorer_cents_per_request;
  }
};

/// An AWS API client over one transport.
///
/// Each call: wait for the rate limiter, sign (a fresh X-Amz-Date every
/// attempt, so a retry after a long backoff is not refused as stale), send,
/// decode. A 200 body is validated (complete JSON, or the query protocol's
/// complete XML envelope) before it is returned: a truncated 200 is retried,
/// never trusted. Throttling, 5xx and transient transport failures are
/// retried with capped exponential backoff and full jitter up to
/// retry.max_attempts; other errors (AccessDenied, Validation, ...) return at
/// once. The final error's message says how many attempts were made.
///
/// Signed headers are exactly those the client sets: host, content-type,
/// x-amz-date, x-amz-target (JSON) and x-amz-security-token (with a session
/// token); the transport adds only unsigned ones.
///
/// Thread safety: one thread at a time (its transport, signer and parser are
/// not shared). Separate clients run in parallel threads; they may share a
/// rate_limiter. Move-only.
class json_client {
 public:
  explicit json_client(client_options options);
  json_client(json_client&&) = default;
  json_client& operator=(json_client&&) = default;
  json_client(const json_client&) = delete;
  json_client& operator=(const json_client&) = delete;

  /// Calls JSON 1.1 operation `operation` (e.g. "GetCostAndUsage") with the
  /// JSON request `json_body` ("{}" for none). Returns the 2xx response with a
  /// validated JSON body (padded for in-place simdjson parsing).
  /// Errors: errc::invalid_argument (operation not a plain name, service
  /// without a JSON target prefix, unsigned request), the decoded AWS error
  /// (aws_error.hpp: throttled, not_in_organization, aws_error, http_status),
  /// errc::transport, errc::response_too_large, errc::bad_json (a 200 that
  /// stayed invalid after every attempt). Blocking; may sleep for backoff.
  result<http::http_response> call(std::string_view operation, std::string_view json_body);

  /// A form parameter of a query-protocol call.
  struct form_param {
    std::string name;
    std::string value;
  };

  /// Calls query-protocol action `action` (e.g. STS "GetCallerIdentity"):
  /// POSTs `Action=..&Version=<service api_version>&<params>` form-encoded and
  /// returns the 2xx response whose body is the XML
  /// `<{action}Response>...</{action}Response>` (checked complete, not parsed).
  /// Errors as call(); XML error replies are decoded by decode_query_error.
  result<http::http_response> call_query(std::string_view action, const std::vector<form_param>& params = {});

  /// Totals since construction.
  const client_counters& counters() const noexcept { return counters_; }
  /// The transport's totals (connections opened: keep-alive evidence).
  http::transfer_counters transfer_counters() const noexcept {
    return transport_ ? transport_->counters() : http::transfer_counters{};
  }
  /// The service this client calls.
  const api_service& service() const noexcept { return service_; }
  /// The endpoint this client sends to.
  const endpoint& target() const noexcept { return target_; }

 private:
  enum class protocol { json, query };
  result<http::http_response> execute(protocol p, std::string_view operation, std::string content_type,
                                      std::string target_header, std::string body);
  result<http::http_response> attempt(protocol p, std::string_view operation, const http::http_request& base);
  error validate_ok_body(protocol p, std::string_view operation, http::http_response& r);

  api_service service_;
  endpoint target_;
  credentials creds_;
  std::unique_ptr<http::transport> transport_;
  http::retry_policy retry_;
  std::shared_ptr<http::rate_limiter> limiter_;
  attempt_hook on_attempt_;
  sigv4::signer signer_;
  sigv4::header_signature signature_;
  std::unique_ptr<simdjson::dom::parser> parser_;
  client_counters counters_;
  error setup_error_;
  std::string host_;  // Host header: the endpoint URL's authority, as libcurl would send it
  std::string path_;  // the endpoint URL's path, "/" when it has none
  std::string url_;   // the endpoint URL with that path
};

namespace detail {

/// Whether `name` is a plain API operation name (letters and digits, as in
/// every AWS service model), so it can go into a header and an IAM action.
inline bool is_operation_name(std::string_view name) noexcept {
  if (name.empty() || name.size() > 128) return false;
  for (char c : name)
    if (!((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'))) return false;
  return true;
}

/// Splits an endpoint URL ("https://host[:port][/path]") into the Host header
/// value and the request path ("/" when none). Errors (invalid_argument): no
/// scheme, empty host, user info, a query or fragment.
inline status split_endpoint_url(std::string_view url, std::string& host, std::string& path) {
  auto sep = url.find("://");
  if (sep == std::string_view::npos)
    return error(errc::invalid_argument, "endpoint URL '" + std::string(url) + "' has no scheme (expected https://host)");
  std::string_view rest = url.substr(sep + 3);
  auto slash = rest.find('/');
  std::string_view authority = rest.substr(0, slash);
  if (authority.empty())
    return error(errc::invalid_argument, "endpoint URL '" + std::string(url) + "' has no host");
  if (authority.find('@') != std::string_view::npos)
    return error(errc::invalid_argument, "endpoint URL must not contain user information");
  std::string_view p = slash == std::string_view::npos ? std::string_view("/") : rest.substr(slash);
  if (p.find_first_of("?#") != std::string_view::npos)
    return error(errc::invalid_argument, "endpoint URL '" + std::string(url) + "' must not have a query or fragment");
  host.assign(authority.data(), authority.size());
  path.assign(p.data(), p.size());
  return {};
}

}  // namespace detail

inline json_client::json_client(client_options options)
    : service_(options.service),
      target_(std::move(options.target)),
      creds_(std::move(options.creds)),
      transport_(std::move(options.transport)),
      retry_(options.retry, options.time, std::move(options.random)),
      limiter_(std::move(options.limiter)),
      on_attempt_(std::move(options.on_attempt)),
      signer_(std::move(options.wall_clock)),
      parser_(new simdjson::dom::parser()) {
  if (!transport_) {
    http::curl_options curl = std::move(options.curl);
    // Why: plain http is only for endpoints the user named explicitly (a
    // local simulator); every AWS endpoint is https.
    curl.allow_http = target_.overridden;
    transport_.reset(new http::curl_transport(std::move(curl)));
  }
  if (!limiter_) limiter_ = std::make_shared<http::rate_limiter>(options.rate_limit, options.time);
  url_ = target_.url;
  // The first problem found is the one every call reports.
  if (auto s = detail::split_endpoint_url(target_.url, host_, path_); !s) {
    setup_error_ = s.error();
  } else {
    // A URL without a path is sent with "/" (the path it is signed with).
    if (url_.find('/', url_.find("://") + 3) == std::string::npos) url_ += '/';
    if (target_.signing_region.empty()) {
      setup_error_ = error(errc::invalid_argument, "endpoint has no signing region");
    } else if (creds_.empty()) {
      setup_error_ = error(errc::no_credentials, "the client was given empty credentials");
    }
  }
  if (target_.signing_name.empty()) target_.signing_name = std::string(service_.iam_prefix);
}

inline result<http::http_response> json_client::call(std::string_view operation, std::string_view json_body) {
  if (service_.target_prefix.empty())
    return error(errc::invalid_argument, std::string(service_.display_name) +
                                             " does not speak AWS JSON 1.1; use call_query()");
  if (!detail::is_operation_name(operation))
    return error(errc::invalid_argument, "'" + std::string(operation) + "' is not an AWS operation name");
  std::string target(service_.target_prefix);
  target += '.';
  target += operation;
  return execute(protocol::json, operation, "application/x-amz-json-1.1", std::move(target),
                 std::string(json_body.empty() ? std::string_view("{}") : json_body));
}

inline result<http::http_response> json_client::call_query(std::string_view action,
                                                           const std::vector<form_param>& params) {
  if (!detail::is_operation_name(action))
    return error(errc::invalid_argument, "'" + std::string(action) + "' is not an AWS action name");
  // Query protocol: Action and Version first, then the parameters, each
  // name and value percent-encoded (application/x-www-form-urlencoded).
  std::string body = "Action=";
  body += action;
  body += "&Version=";
  finops_crawler::detail::append_uri_encoded(body, service_.api_version);
  for (const auto& p : params) {
    body += '&';
    finops_crawler::detail::append_uri_encoded(body, p.name);
    body += '=';
    finops_crawler::detail::append_uri_encoded(body, p.value);
  }
  return execute(protocol::query, action, "application/x-www-form-urlencoded; charset=utf-8", std::string(),
                 std::move(body));
}

inline result<http::http_response> json_client::execute(protocol p, std::string_view operation,
                                                        std::string content_type, std::string target_header,
                                                        std::string body) {
  if (setup_error_.code != errc::ok) return setup_error_;
  http::http_request base;
  base.method = "POST";
  base.url = url_;
  base.headers.reserve(8);
  base.headers.push_back({"Host", host_});
  base.headers.push_back({"Content-Type", std::move(content_type)});
  if (!target_header.empty()) base.headers.push_back({"X-Amz-Target", std::move(target_header)});
  base.body = std::move(body);

  const int max_attempts = retry_.max_attempts();
  for (int n = 1;; ++n) {
    attempt_info info;
    info.method = "POST";  // a literal: the hook may keep it
    info.service = service_.display_name;
    info.operation = operation;
    info.attempt = n;
    info.max_attempts = max_attempts;
    info.waited = limiter_->acquire();
    if (n > 1) ++counters_.retries;

    auto r = attempt(p, operation, base);
    if (r) {
      info.http_status = r->status;
      if (on_attempt_) on_attempt_(info);
      if (p == protocol::json && service_.billable) ++counters_.billable_requests;
      return r;
    }
    error e = r.error();
    info.http_status = e.http_status;
    if (e.code == errc::throttled) ++counters_.throttles;
    const bool again = retry_.should_retry(e, n);
    if (again) {
      info.will_retry = true;
      info.delay = retry_.backoff(n, e.code == errc::throttled);
    }
    info.failure = &e;
    if (on_attempt_) on_attempt_(info);
    if (!again) {
      if (n > 1 || e.retryable) {
        e.message += "; gave up after " + std::to_string(n) + (n == 1 ? " attempt" : " attempts");
        if (e.retryable && n >= max_attempts) e.message += " (retry.max_attempts)";
      }
      return e;
    }
    retry_.sleep(info.delay);
  }
}

inline result<http::http_response> json_client::attempt(protocol p, std::string_view operation,
                                                        const http::http_request& base) {
  // SigV4 over exactly the headers we send: Host, Content-Type,
  // X-Amz-Target (JSON); the signer adds X-Amz-Date (fresh each attempt),
  // X-Amz-Security-Token (signed, when present) and Authorization.
  sigv4::header hs[3];
  std::size_t nh = 0;
  for (const auto& h : base.headers)
    if (nh < 3) hs[nh++] = sigv4::header{h.name, h.value};
  sigv4::request_view rv{base.method, path_, "", sigv4::header_span(hs, nh), base.body};
  sigv4::signing_params sp;
  sp.region = target_.signing_region;
  sp.service = target_.signing_name;
  sigv4::credentials_view cv{creds_.access_key_id(), creds_.secret_access_key(), creds_.session_token()};
  if (auto s = signer_.sign_headers(rv, cv, sp, signature_); !s) {
    error e = s.error();
    e.message = "could not sign the " + std::string(operation) + " request: " + e.message;
    e.retryable = false;
    return e;
  }
  http::http_request req;
  req.method = base.method;
  req.url = base.url;
  req.headers.reserve(base.headers.size() + signature_.headers_to_add.size());
  req.headers = base.headers;
  for (const auto& h : signature_.headers_to_add) req.headers.push_back({h.name, h.value});
  // The request holds the Authorization header and maybe the session token;
  // it never leaves this function except into the transport.
  req.body = base.body;

  ++counters_.requests_sent;
  auto sent = transport_->send(req);
  if (!sent) return sent.error();
  http::http_response& resp = *sent;
  if (resp.status >= 200 && resp.status < 300) {
    error bad = validate_ok_body(p, operation, resp);
    if (bad.code != errc::ok) return bad;
    return std::move(resp);
  }
  const error_context ctx{service_.display_name, operation, service_.iam_prefix};
  return p == protocol::json ? decode_json_error(resp, ctx) : decode_query_error(resp, ctx);
}

inline error json_client::validate_ok_body(protocol p, std::string_view operation, http::http_response& r) {
  std::string what;
  if (p == protocol::json) {
    // Why: a 200 can arrive with a cut-off body (a proxy or server closing
    // early with a complete chunked stream); only complete JSON is returned.
    simdjson::dom::element doc;
    auto err = parser_->parse(r.body).get(doc);
    if (!err) return error();
    what = "is not valid JSON (" + std::string(simdjson::error_message(err)) + ")";
  } else {
    std::string open = "<" + std::string(operation) + "Response";
    std::string close = "</" + std::string(operation) + "Response>";
    if (r.body.find(open) != std::string::npos && r.body.find(close) != std::string::npos) return error();
    what = "is not a complete <" + std::string(operation) + "Response> XML document";
  }
  error e(errc::bad_json, std::string(service_.display_name) + " " + std::string(operation) + " returned HTTP " +
                              std::to_string(r.status) + " with a " + std::to_string(r.body.size()) +
                              "-byte body that " + what + "; it was probably cut off in transit");
  if (p == protocol::query) e.code = errc::unexpected_shape;
  e.http_status = r.status;
  if (auto h = r.header("x-amzn-requestid")) e.request_id = std::string(*h);
  e.retryable = true;
  return e;
}

}  // namespace aws
}  // namespace v0
}  // namespace finops_crawler

#endif  // FINOPS_CRAWLER_AWS_JSON_CLIENT_HPP
