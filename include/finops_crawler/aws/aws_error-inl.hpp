#ifndef FINOPS_CRAWLER_AWS_AWS_ERROR_INL_HPP
#define FINOPS_CRAWLER_AWS_AWS_ERROR_INL_HPP
/// \file
/// The bodies of aws/aws_error.hpp: included by that header in header-only
/// mode, compiled once in src/ otherwise (config.hpp). Not for direct inclusion.

#include "finops_crawler/aws/aws_error.hpp"

namespace finops_crawler {
inline namespace v0 {
namespace aws {

namespace detail {

FINOPS_CRAWLER_FUNC std::string clean_message(std::string_view s, std::size_t cap) {
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

FINOPS_CRAWLER_FUNC bool contains(std::string_view hay, std::string_view needle) noexcept {
  return hay.find(needle) != std::string_view::npos;
}

/// The text between `<tag>` and `</tag>` in `xml` (first occurrence), with
/// the five predefined XML entities decoded; nullopt if absent.
FINOPS_CRAWLER_FUNC std::optional<std::string> xml_element(std::string_view xml, std::string_view tag) {
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
FINOPS_CRAWLER_FUNC std::string call_prefix(const error_context& ctx) {
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
FINOPS_CRAWLER_FUNC std::string iam_action(const error_context& ctx) {
  if (ctx.iam_prefix.empty() || ctx.operation.empty()) return "the action this call needs";
  return std::string(ctx.iam_prefix) + ":" + std::string(ctx.operation);
}

/// A short description of a non-AWS error body (an HTML page from a proxy or
/// a load balancer): its <title> when it has one.
FINOPS_CRAWLER_FUNC std::string describe_foreign_body(const http::http_response& r) {
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

FINOPS_CRAWLER_FUNC error make_aws_error(long status, std::string_view raw_code, std::string_view aws_message,
                            std::string_view request_id, const error_context& ctx) {
  // The code is server text like the message: a hostile body must not put
  // control characters into the one-line message or into aws_code.
  const std::string code_text = detail::clean_message(raw_code, 200);
  const std::string_view code = normalize_error_code(code_text);
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

FINOPS_CRAWLER_FUNC error decode_json_error(const http::http_response& r, const error_context& ctx) {
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

FINOPS_CRAWLER_FUNC error decode_query_error(const http::http_response& r, const error_context& ctx) {
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

#endif  // FINOPS_CRAWLER_AWS_AWS_ERROR_INL_HPP
