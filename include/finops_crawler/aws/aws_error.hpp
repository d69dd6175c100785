#ifndef FINOPS_CRAWLER_AWS_AWS_ERROR_HPP
#define FINOPS_CRAWLER_AWS_AWS_ERROR_HPP
/// \file
/// Decoding an AWS error reply (AWS JSON 1.1 or the query protocol's XML) into
/// an `error` whose message says what to do. Uses simdjson's DOM API, so it
/// must stay out of the SigV4 signer's includes.

#include <simdjson.h>

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

#include "finops_crawler/http/transport.hpp"
#include "finops_crawler/result.hpp"

namespace finops_crawler {
inline namespace v0 {
namespace aws {

/// What the client knew about the failed call; used only to word the
/// message. All views are borrowed for the duration of the decode call.
struct error_context {
  std::string_view service;     ///< display name, e.g. "Cost Explorer"
  std::string_view operation;   ///< e.g. "GetCostAndUsage"
  std::string_view iam_prefix;  ///< IAM service prefix, e.g. "ce" (action "ce:GetCostAndUsage")
};

/// Where to turn Cost Explorer on (quoted in DataUnavailableException errors).
inline constexpr std::string_view cost_explorer_enable_url =
    "https://docs.aws.amazon.com/cost-management/latest/userguide/ce-enable.html";

/// An AWS error code as sent, reduced to its bare name: a `namespace#`
/// prefix ("com.amazon.coral.service#ThrottlingException", awsJson __type) and
/// a `:` suffix ("ValidationException:http://internal.amazon.com/...",
/// the x-amzn-ErrorType header) are removed, as is surrounding whitespace.
/// The view borrows from `raw`. Pure.
inline std::string_view normalize_error_code(std::string_view raw) noexcept {
  auto colon = raw.find(':');
  if (colon != std::string_view::npos) raw = raw.substr(0, colon);
  auto hash = raw.rfind('#');
  if (hash != std::string_view::npos) raw = raw.substr(hash + 1);
  while (!raw.empty() && (raw.front() == ' ' || raw.front() == '\t')) raw.remove_prefix(1);
  while (!raw.empty() && (raw.back() == ' ' || raw.back() == '\t')) raw.remove_suffix(1);
  return raw;
}

/// AWS error codes that mean "slow down" across services and protocols
/// (Cost Explorer sends LimitExceededException for its request rate).
inline constexpr std::string_view throttling_codes[] = {
    "ThrottlingException",      "Throttling",           "ThrottledException",
    "RequestThrottledException", "RequestThrottled",     "TooManyRequestsException",
    "LimitExceededException",   "RequestLimitExceeded", "ProvisionedThroughputExceededException",
    "SlowDown",                 "BandwidthLimitExceeded", "EC2ThrottledException",
    "PriorRequestNotComplete",
};

/// Whether a bare error code (see normalize_error_code) is a throttling code.
inline bool is_throttling_code(std::string_view code) noexcept {
  for (auto c : throttling_codes)
    if (c == code) return true;
  return false;
}

/// Builds the error for an AWS reply with HTTP status `status` (non-2xx),
/// bare error code `code` (may be empty), AWS's own `aws_message` (may be
/// empty) and request id. The kind and retry flag:
///   - a throttling code or HTTP 429: errc::throttled, retryable;
///   - AWSOrganizationsNotInUseException: errc::not_in_organization;
///   - HTTP 5xx (or a RequestTimeout code): retryable, errc::aws_error with a
///     code, errc::http_status without;
///   - any other code: errc::aws_error, not retryable; no code: errc::http_status.
/// The message names the call and says what to check for the codes users
/// meet when setting up: DataUnavailableException, AccessDenied(Exception),
/// UnrecognizedClientException, InvalidClientTokenId,
/// InvalidSignatureException, SignatureDoesNotMatch, ExpiredToken(Exception),
/// ValidationException. Never contains a secret (AWS messages do not echo them).
error make_aws_error(long status, std::string_view code, std::string_view aws_message,
                            std::string_view request_id, const error_context& ctx);

/// Decodes an AWS JSON 1.1 (or REST-JSON) error reply: the code from the
/// x-amzn-ErrorType header, else the body's `code` or `__type`; the message
/// from `message` or `Message`; the request id from x-amzn-RequestId. A body
/// that is not JSON (a load balancer's HTML 503 page) still yields a clear
/// error naming the status. Precondition: `r.status` is not 2xx.
error decode_json_error(const http::http_response& r, const error_context& ctx);

/// Decodes a query-protocol error reply (STS): XML
/// `<ErrorResponse><Error><Code>..</Code><Message>..</Message></Error><RequestId>..`.
/// Non-XML bodies are handled as in decode_json_error.
error decode_query_error(const http::http_response& r, const error_context& ctx);

namespace detail {

/// Server text made safe for one log line: control characters become
/// spaces, trailing blanks go and the length is capped at `cap` (then "...")
/// so a hostile body cannot flood a terminal. Used for AWS messages and for
/// anything else a server sent (a redirect's Location).
std::string clean_message(std::string_view s, std::size_t cap = 1000);

}  // namespace detail

}  // namespace aws
}  // namespace v0
}  // namespace finops_crawler

#if FINOPS_CRAWLER_HEADER_ONLY
#include "finops_crawler/aws/aws_error-inl.hpp"
#endif

#endif  // FINOPS_CRAWLER_AWS_AWS_ERROR_HPP
