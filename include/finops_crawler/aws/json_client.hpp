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
/// Uses simdjson (to validate 200 bodies: a page can be handed the parsed
/// document instead of parsing the body again, see call(op, body, doc)) and
/// libcurl (the default transport); the SigV4 signer includes neither.

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
#include "finops_crawler/aws/credential_provider.hpp"
#include "finops_crawler/aws/credentials.hpp"
#include "finops_crawler/aws/endpoints.hpp"
#include "finops_crawler/aws/sigv4.hpp"
#include "finops_crawler/config.hpp"
#include "finops_crawler/detail/json_body.hpp"
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
  /// The keys to sign with (credentials.hpp), when `credential_source` is
  /// null: copied into the client as static credentials (no lock, no
  /// allocation per request).
  credentials creds;
  /// Where every attempt gets its keys (credential_provider.hpp): shared by
  /// the clients of a session, refreshed before expiry. Wins over `creds`.
  std::shared_ptr<refreshing_credentials> credential_source;
  /// The transport; when null the client makes a curl_transport from
  /// `curl` (with curl.allow_http set to target.overridden).
  std::unique_ptr<http::transport> transport;
  http::curl_options curl;
  /// Attempt limit and backoff.
  http::retry_options retry;
  /// The longest one call may take, every attempt, rate-limiter wait and
  /// backoff sleep included, measured on `time`. Each attempt gets at most
  /// what remains (http_request::timeout), and no backoff sleeps past it; a
  /// call that runs out fails with errc::transport, not retryable, its
  /// message ending "the call deadline of N ms (client_options::call_deadline)
  /// was reached". With the defaults (5 attempts of at most 120 s, a
  /// low-speed limit of 1 KiB/s over 30 s) a stuck endpoint fails within 3
  /// minutes. Zero or negative: no deadline.
  std::chrono::milliseconds call_deadline{std::chrono::seconds(170)};
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
/// retry.max_attempts and within client_options::call_deadline; other errors
/// (AccessDenied, Validation, ...) return at once. The final error's message
/// says how many attempts were made and, when time ran out, that the call
/// deadline was reached. A redirect (3xx) is not followed: AWS APIs never
/// send one, so it is reported as errc::transport (the server, a proxy or a
/// captive portal is not behaving like AWS), not retried.
///
/// Before signing each attempt the client asks its credential source for
/// keys valid at the wall clock's now (credential_provider.hpp): static keys
/// cost one branch; temporary ones are refreshed before they expire, and
/// expired ones that cannot be refreshed fail the call with
/// errc::no_credentials (not retried) instead of being sent.
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
  /// Errors: errc::no_credentials (the client was given empty credentials),
  /// errc::invalid_argument (operation not a plain name, service without a
  /// JSON target prefix, endpoint URL or signing region unusable, unsigned
  /// request), the decoded AWS error (aws_error.hpp: throttled,
  /// not_in_organization, aws_error, http_status), errc::transport,
  /// errc::response_too_large, errc::bad_json (a 200 that stayed invalid
  /// after every attempt, or nested deeper than detail::max_json_depth, which
  /// is not retried). Blocking; may sleep for backoff.
  result<http::http_response> call(std::string_view operation, std::string_view json_body);

  /// As call(), but validates the 200 body by parsing it into `parsed`
  /// (in place, without a copy) instead of into the client's own document,
  /// so the caller reads the parsed body without parsing it a second time
  /// (how ce::cost_explorer fills its pages; see detail::page_access). On
  /// success `parsed` holds the returned body's document; its views stay
  /// valid after the response is destroyed (simdjson's DOM copies every
  /// string). Every attempt that got a 200 overwrote it, so on error its
  /// content is unspecified. `parsed` must not be used by another thread
  /// during the call.
  result<http::http_response> call(std::string_view operation, std::string_view json_body,
                                   finops_crawler::detail::json_document& parsed);

  /// Reads a 2xx reply inside the call, after the client validated it (a
  /// page reading the document of call(op, body, doc), the STS reply
  /// parser). An error it returns with `retryable` set is handled like a
  /// cut-off 200: retried, and returned with "gave up after N attempts"
  /// when every attempt got one (the page readers do this for a repeated
  /// JSON member, detail::duplicate_field, which AWS never sends: a reply
  /// that could drop or double rows is never half-read). Any other error
  /// returns at once, as it is (the caller's reader writes its message).
  using body_reader = std::function<status(const http::http_response&)>;

  /// As call(op, body, parsed), then `read` on each 2xx body (see
  /// body_reader): a reply counts (and is billed in counters()) only
  /// once `read` accepts it or refuses it for good.
  result<http::http_response> call(std::string_view operation, std::string_view json_body,
                                   finops_crawler::detail::json_document& parsed, const body_reader& read);

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
  /// As call_query(action, params), then `read` on each 2xx body (see body_reader).
  result<http::http_response> call_query(std::string_view action, const std::vector<form_param>& params,
                                         const body_reader& read);

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
  /// Where the client gets its keys (null only when it was given none).
  const std::shared_ptr<refreshing_credentials>& credential_source() const noexcept { return creds_; }

 private:
  enum class protocol { json, query };
  result<http::http_response> execute(protocol p, std::string_view operation, std::string content_type,
                                      std::string target_header, std::string body,
                                      finops_crawler::detail::json_document& parsed, const body_reader* read);
  result<http::http_response> attempt(protocol p, std::string_view operation, const http::http_request& base,
                                      std::chrono::milliseconds time_left,
                                      finops_crawler::detail::json_document& parsed, const body_reader* read);
  error validate_ok_body(protocol p, std::string_view operation, http::http_response& r,
                         finops_crawler::detail::json_document& parsed);

  api_service service_;
  endpoint target_;
  std::shared_ptr<refreshing_credentials> creds_;
  std::function<std::chrono::system_clock::time_point()> wall_clock_;  // empty: the system clock
  std::unique_ptr<http::transport> transport_;
  http::retry_policy retry_;
  std::shared_ptr<http::rate_limiter> limiter_;
  attempt_hook on_attempt_;
  std::chrono::milliseconds call_deadline_;
  sigv4::signer signer_;
  sigv4::header_signature signature_;
  finops_crawler::detail::json_document doc_;  // validates 200 bodies of call() without a document
  client_counters counters_;
  error setup_error_;
  std::string host_;  // Host header: the endpoint URL's authority, as libcurl would send it
  std::string path_;  // the endpoint URL's path, "/" when it has none
  std::string url_;   // the endpoint URL with that path
};

namespace detail {

/// Whether `name` is a plain API operation name (letters and digits, as in
/// every AWS service model, at most 128), so it can go into a header and an
/// IAM action. Pure.
bool is_operation_name(std::string_view name) noexcept;

/// Splits an endpoint URL ("https://host[:port][/path]") into the Host header
/// value and the request path ("/" when none). Errors (invalid_argument): no
/// scheme, empty host, user info, a query or fragment.
status split_endpoint_url(std::string_view url, std::string& host, std::string& path);

}  // namespace detail

}  // namespace aws
}  // namespace v0
}  // namespace finops_crawler

#if FINOPS_CRAWLER_HEADER_ONLY
#include "finops_crawler/aws/json_client-inl.hpp"
#endif

#endif  // FINOPS_CRAWLER_AWS_JSON_CLIENT_HPP
