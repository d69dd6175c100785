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
inline error make_aws_error(long status, std::string_view code, std::string_view aws_message,
                            std::string_view request_id, const error_context& ctx);

/// Decodes an AWS JSON 1.1 (or REST-JSON) error reply: the code from the
/// x-amzn-ErrorType header, else the body's `code` or `__type`; the message
/// from `message` or `Message`; the request id from x-amzn-RequestId. A body
/// that is not JSON (a load balancer's HTML 503 page) still yields a clear
/// error naming the status. Precondition: `r.status` is not 2xx.
inline error decode_json_error(const http::http_response& r, const error_context& ctx);

/// Decodes a query-protocol error reply (STS): XML
/// `<ErrorResponse><Error><Code>..</Code><Message>..</Message></Error><RequestId>..`.
/// Non-XML bodies are handled as in decode_json_error.
inline error decode_query_error(const http::http_response& r, const error_context& ctx);

namespace detail {

/// AWS's message made safe for one log line: control characters become
/// spaces and the length is capped (a hostile body cannot flood a terminal).
inline std::string clean_message(std::string_view s, std::size_t cap = 1000) {
  std::string out;
  out.reserve(s.size() < cap ? s.size() : cap);
  for (char c : s) {
    if (out.size() >= cap) {
      out += "...";
      break;
    }
    auto u = static_cast<unsigned char>(c);
    out += (u < 0x20 || u == 0x7f) ? ' ' : c;
  }
  while (!out.empty() && out.back() == ' ') out.pop_back();
  return out;
}

inline bool contains(std::string_view hay, std::string_view needle) noexcept {
  return hay.find(needle) != std::string_view::npos;
}

/// The text between `<tag>` and `</tag>` in `xml` (first occurrence), with
/// the five predefined XML entities decoded; nullopt if absent.
inline std::optional<std::string> xml_element(std::string_view xml, std::string_view tag) {
  std::string open = "<" + std::string(tag) + ">";
  std::string close = "</" + std::string(tag) + ">";
  auto b = xml.find(open);
  if (b == std::string_view::npos) return std::nullopt;
  b += open.size();
  auto e = xml.find(close, b);
  if (e == std::string_view::npos) return std::nullopt;
  std::string_view raw = xml.substr(b, e - b);
  std::string out;
  out.reserve(raw.size());
  for (std::size_t i = 0; i < raw.size(); ++i) {
    if (raw[i] == '&') {
      struct entity {
        std::string_view name;
        char ch;
      };
      constexpr entity entities[] = {{"&amp;", '&'}, {"&lt;", '<'}, {"&gt;", '>'}, {"&quot;", '"'}, {"&apos;", '\''}};
      bool matched = false;
      for (const auto& en : entities) {
        if (raw.substr(i, en.name.size()) == en.name) {
          out += en.ch;
          i += en.name.size() - 1;
          matched = true;
          break;
        }
      }
      if (matched) continue;
    }
    out += raw[i];
  }
  return out;
}

/// "<service> <operation> failed: " (or a shorter form when either is empty).
inline std::string call_prefix(const error_context& ctx) {
  std::string p;
  if (!ctx.service.empty()) p += ctx.service;
  if (!ctx.operation.empty()) {
    if (!p.empty()) p += ' ';
    p += ctx.operation;
  }
  if (p.empty()) p = "AWS request";
  return p + " failed: ";
}

/// The IAM action a call needs, e.g. "ce:GetCostAndUsage".
inline std::string iam_action(const error_context& ctx) {
  if (ctx.iam_prefix.empty() || ctx.operation.empty()) return "the action this call needs";
  return std::string(ctx.iam_prefix) + ":" + std::string(ctx.operation);
}

/// A short description of a non-AWS error body (an HTML page from a proxy or
/// a load balancer): its <title> when it has one.
inline std::string describe_foreign_body(const http::http_response& r) {
  std::string what;
  auto ct = r.header("content-type");
  if (r.body.empty()) {
    what = "an empty body";
  } else {
    what = "a body that is not an AWS error";
    if (ct) what += " (" + clean_message(*ct, 80) + ")";
    auto title = xml_element(r.body, "title");
    if (!title) title = xml_element(r.body, "TITLE");
    if (title && !title->empty()) what += ": \"" + clean_message(*title, 120) + "\"";
  }
  return what;
}

}  // namespace detail

inline error make_aws_error(long status, std::string_view code, std::string_view aws_message,
                            std::string_view request_id, const error_context& ctx) {
  const std::string said = detail::clean_message(aws_message);
  const std::string aws_said = said.empty() ? std::string() : " (AWS said: " + said + ")";
  std::string msg = detail::call_prefix(ctx);
  errc kind = code.empty() ? errc::http_status : errc::aws_error;
  bool retryable = false;

  if (status == 429 || is_throttling_code(code)) {
    // Why: a throttled call succeeds later; the retry policy backs off and the
    // rate limiter (client_options::rate_limit) keeps the next ones slower.
    kind = errc::throttled;
    retryable = true;
    msg += "request rate exceeded";
    if (!code.empty()) msg += " (" + std::string(code) + ")";
    msg += "; lower the request rate or retry later" + aws_said;
  } else if (code == "AWSOrganizationsNotInUseException") {
    kind = errc::not_in_organization;
    msg += "this account is not a member of an AWS Organization, so there are no member accounts to list" + aws_said;
  } else if (status >= 500 || code == "RequestTimeout" || code == "RequestTimeoutException") {
    retryable = true;
    msg += "the service is unavailable or failed internally (HTTP " + std::to_string(status) + ")";
    if (!code.empty()) msg += " " + std::string(code);
    msg += "; retry later" + aws_said;
  } else if (code == "DataUnavailableException") {
    msg += "Cost Explorer has no data for this account: it is not enabled, or it was enabled less than 24 "
           "hours ago (data appears about 24 hours after enabling). Enable it once in the Billing and Cost "
           "Management console, then wait; see " +
           std::string(cost_explorer_enable_url) + aws_said;
  } else if (code == "AccessDeniedException" || code == "AccessDenied" || code == "UnauthorizedOperation") {
    msg += "access denied: the IAM identity is not allowed " + detail::iam_action(ctx) +
           "; add that action to its IAM policy (and check service control policies)" + aws_said;
  } else if (code == "UnrecognizedClientException" || code == "InvalidClientTokenId" ||
             code == "InvalidAccessKeyId") {
    msg += "AWS does not recognise the access key id: check AWS_ACCESS_KEY_ID (or aws_access_key_id in the "
           "profile) is an active key of this AWS partition, and that temporary keys come with their "
           "AWS_SESSION_TOKEN" + aws_said;
  } else if (code == "InvalidSignatureException" || code == "SignatureDoesNotMatch" ||
             code == "IncompleteSignature" || code == "RequestExpired" || code == "InvalidSignature") {
    if (code == "RequestExpired" || detail::contains(said, "Signature expired") ||
        detail::contains(said, "expired")) {
      msg += "AWS rejected the request's timestamp: the system clock is off by more than 5 minutes; "
             "correct the clock (e.g. enable NTP) and retry" + aws_said;
    } else {
      msg += "AWS rejected the request signature: check that the secret access key (AWS_SECRET_ACCESS_KEY "
             "or aws_secret_access_key) belongs to the access key id, then that the system clock is correct" +
             aws_said;
    }
  } else if (code == "ExpiredTokenException" || code == "ExpiredToken" || code == "TokenRefreshRequired") {
    msg += "the session token has expired: refresh the temporary credentials (e.g. `aws sso login`, or assume "
           "the role again) and update AWS_SESSION_TOKEN" + aws_said;
  } else if (code == "ValidationException" || code == "ValidationError") {
    msg += "AWS rejected the request as invalid: " + (said.empty() ? std::string("(no detail given)") : said);
  } else if (!code.empty()) {
    msg += std::string(code) + (said.empty() ? std::string() : ": " + said);
  } else {
    msg += "unexpected HTTP status " + std::to_string(status) + aws_said;
  }

  error e(kind, std::move(msg));
  e.http_status = status;
  e.aws_code = std::string(code);
  e.request_id = detail::clean_message(request_id, 200);
  e.retryable = retryable;
  return e;
}

inline error decode_json_error(const http::http_response& r, const error_context& ctx) {
  std::string code;
  std::string message;
  bool parsed = false;
  if (auto h = r.header("x-amzn-errortype")) code = std::string(normalize_error_code(*h));
  if (!r.body.empty()) {
    simdjson::dom::parser parser;
    simdjson::dom::object obj;
    // parse(const std::string&) reads in place when the transport left
    // SIMDJSON_PADDING spare capacity, else copies.
    if (!parser.parse(r.body).get(obj)) {
      parsed = true;
      std::string_view s;
      if (code.empty()) {
        // Why: awsJson1_1 spec: the code is in X-Amzn-Errortype, else `code`, else `__type`.
        if (!obj["code"].get_string().get(s)) code = std::string(normalize_error_code(s));
        else if (!obj["__type"].get_string().get(s)) code = std::string(normalize_error_code(s));
      }
      if (!obj["message"].get_string().get(s)) message = std::string(s);
      else if (!obj["Message"].get_string().get(s)) message = std::string(s);
      else if (!obj["errorMessage"].get_string().get(s)) message = std::string(s);
    }
  }
  std::string_view request_id;
  if (auto h = r.header("x-amzn-requestid")) request_id = *h;
  else if (auto h2 = r.header("x-amz-request-id")) request_id = *h2;

  if (!parsed && code.empty()) {
    // Not an AWS error document: say what arrived instead.
    error e = make_aws_error(r.status, {}, {}, request_id, ctx);
    e.message += "; the reply had " + detail::describe_foreign_body(r);
    return e;
  }
  return make_aws_error(r.status, code, message, request_id, ctx);
}

inline error decode_query_error(const http::http_response& r, const error_context& ctx) {
  auto code = detail::xml_element(r.body, "Code");
  auto message = detail::xml_element(r.body, "Message");
  auto request_id = detail::xml_element(r.body, "RequestId");
  std::string rid = request_id ? *request_id : std::string();
  if (rid.empty()) {
    if (auto h = r.header("x-amzn-requestid")) rid = std::string(*h);
  }
  if (!code) {
    std::string header_code;
    if (auto h = r.header("x-amzn-errortype")) header_code = std::string(normalize_error_code(*h));
    error e = make_aws_error(r.status, header_code, {}, rid, ctx);
    if (header_code.empty()) e.message += "; the reply had " + detail::describe_foreign_body(r);
    return e;
  }
  return make_aws_error(r.status, normalize_error_code(*code), message ? *message : std::string(), rid, ctx);
}

}  // namespace aws
}  // namespace v0
}  // namespace finops_crawler

#endif  // FINOPS_CRAWLER_AWS_AWS_ERROR_HPP
