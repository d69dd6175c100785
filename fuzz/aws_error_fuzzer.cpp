// libFuzzer target: the AWS error-body decoder (aws/aws_error.hpp),
// decode_json_error (AWS JSON 1.1) and decode_query_error (query XML).
//
// Input: byte 0 picks the HTTP status and the mode, then fields separated by
// '\n'. Raw mode: field 0 is an optional x-amzn-ErrorType header, field 1
// an optional x-amzn-RequestId header, the rest the body as sent. Built
// mode: fields 0..2 are a code, a message and a request id that the target
// writes into a well-formed JSON document and XML document itself.
//
// Invariants (a violation traps):
//  - the result is an error (never errc::ok) with a non-empty message that
//    names the call, keeps the status, and is one line (no control
//    characters) whenever the fuzzed message is ASCII-printable;
//  - classification: errc::throttled exactly for HTTP 429 or a throttling
//    code, retryable for throttling, 5xx and RequestTimeout (except
//    AWSOrganizationsNotInUseException, which is never retried);
//  - built mode: the decoded AWS code and request id equal what was
//    written (after normalize_error_code / the documented clean-up), in
//    both protocols.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "finops_crawler/aws/aws_error.hpp"
#include "fuzz_support.hpp"

namespace aws = finops_crawler::aws;
namespace http = finops_crawler::http;
using finops_crawler::errc;
using fuzz_support::require;

namespace {

constexpr long statuses[] = {400, 403, 404, 429, 500, 502, 503, 504, 301, 418, 599, 451, 401, 408, 409, 413};

const aws::error_context ctx{"Cost Explorer", "GetCostAndUsage", "ce"};

void check_common(const finops_crawler::error& e, long status, bool printable_input) {
  require(e.code != errc::ok);
  require(!e.message.empty());
  require(e.message.rfind("Cost Explorer GetCostAndUsage failed: ", 0) == 0);
  require(e.http_status == status);
  require(fuzz_support::one_line(e.request_id) && e.request_id.size() <= 203);
  // The code is server text too ("__type": "A\u001bB"): never a control
  // character in the message or in aws_code.
  require(fuzz_support::one_line(e.aws_code));
  if (printable_input) require(fuzz_support::one_line(e.message));
  const bool throttling = status == 429 || aws::is_throttling_code(e.aws_code);
  require((e.code == errc::throttled) == throttling);
  // (AWSOrganizationsNotInUseException is decided before the status: never retryable.)
  if (throttling || ((status >= 500 || e.aws_code == "RequestTimeout" || e.aws_code == "RequestTimeoutException") &&
                     e.code != errc::not_in_organization))
    require(e.retryable);
  if (e.code == errc::not_in_organization) require(e.aws_code == "AWSOrganizationsNotInUseException" && !e.retryable);
  if (e.code == errc::aws_error || e.code == errc::throttled || e.code == errc::not_in_organization) {
    // A code-less reply is an HTTP status error (or throttled on 429).
  } else {
    require(e.code == errc::http_status && e.aws_code.empty());
  }
  require(e.aws_code == aws::normalize_error_code(e.aws_code));
}

std::string json_escape(std::string_view s) {
  static constexpr char hex[] = "0123456789abcdef";
  std::string out;
  for (unsigned char c : s) {
    if (c == '"' || c == '\\') {
      out += '\\';
      out += static_cast<char>(c);
    } else if (c < 0x20) {
      out += "\\u00";
      out += hex[c >> 4];
      out += hex[c & 15];
    } else {
      out += static_cast<char>(c);
    }
  }
  return out;
}

std::string xml_escape(std::string_view s) {
  std::string out;
  for (char c : s) {
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      case '\'': out += "&apos;"; break;
      default: out += c;
    }
  }
  return out;
}

bool valid_utf8_ascii_printable(std::string_view s) {
  for (unsigned char c : s)
    if (c < 0x20 || c >= 0x7f) return false;
  return true;
}

/// What make_aws_error stores as request_id: controls to spaces, capped, trailing spaces dropped.
std::string cleaned(std::string_view s, std::size_t cap);

// What the decoder makes of a code it read: the bare code, cleaned of
// control characters and capped like any server text, bare again.
std::string expected_code(std::string_view code) {
  return std::string(aws::normalize_error_code(cleaned(aws::normalize_error_code(code), 200)));
}

std::string cleaned(std::string_view s, std::size_t cap) {
  std::string out;
  for (char c : s) {
    if (out.size() >= cap) {
      out += "...";
      break;
    }
    const auto u = static_cast<unsigned char>(c);
    out += (u < 0x20 || u == 0x7f) ? ' ' : c;
  }
  while (!out.empty() && out.back() == ' ') out.pop_back();
  return out;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0 || size > 65536) return 0;
  const std::uint8_t bits = data[0];
  const long status = statuses[bits & 15];
  const std::string_view in = fuzz_support::as_text(data + 1, size - 1);

  if ((bits & 16) == 0) {
    // Raw mode: arbitrary headers and body.
    auto f = fuzz_support::split(in, '\n', 3, 3);
    http::http_response r;
    r.status = status;
    if (!f[0].empty()) r.headers.push_back({"x-amzn-ErrorType", std::string(f[0])});
    if (!f[1].empty()) r.headers.push_back({"x-amzn-RequestId", std::string(f[1])});
    if (bits & 32) r.headers.push_back({"Content-Type", "text/html"});
    r.body = std::string(f[2]);
    const bool printable =
        valid_utf8_ascii_printable(f[0]) && valid_utf8_ascii_printable(f[1]) && valid_utf8_ascii_printable(f[2]);
    check_common(aws::decode_json_error(r, ctx), status, printable);
    check_common(aws::decode_query_error(r, ctx), status, printable);
    return 0;
  }

  // Built mode: a well-formed document of each protocol around fuzzed fields.
  auto f = fuzz_support::split(in, '\n', 3, 3);
  const std::string_view code = f[0], message = f[1], request_id = f[2];
  const bool printable = valid_utf8_ascii_printable(code) && valid_utf8_ascii_printable(message) &&
                         valid_utf8_ascii_printable(request_id);

  http::http_response j;
  j.status = status;
  j.headers.push_back({"x-amzn-RequestId", std::string(request_id)});
  j.body = std::string("{\"") + ((bits & 32) ? "code" : "__type") + "\":\"" + json_escape(code) +
           "\",\"message\":\"" + json_escape(message) + "\"}";
  const auto je = aws::decode_json_error(j, ctx);
  check_common(je, status, printable);
  // simdjson refuses invalid UTF-8; then the body is not an AWS error document.
  if (printable) {
    require(je.aws_code == expected_code(code));
    if (!request_id.empty()) require(je.request_id == cleaned(request_id, 200));
  }

  http::http_response x;
  x.status = status;
  x.body = "<ErrorResponse xmlns=\"https://sts.amazonaws.com/doc/2011-06-15/\"><Error><Type>Sender</Type><Code>" +
           xml_escape(code) + "</Code><Message>" + xml_escape(message) + "</Message></Error><RequestId>" +
           xml_escape(request_id) + "</RequestId></ErrorResponse>";
  const auto xe = aws::decode_query_error(x, ctx);
  check_common(xe, status, printable);
  require(xe.aws_code == expected_code(code));
  if (!request_id.empty()) require(xe.request_id == cleaned(request_id, 200));
  return 0;
}
