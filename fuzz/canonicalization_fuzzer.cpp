// libFuzzer target: SigV4 canonicalization, signing and verification on
// arbitrary requests, plus the percent-encoding and time parsers.
//
// Input layout: byte 0 = option bits, then fields separated by '\n':
//   method, path, query, session token (unless bit 6), payload, then header
//   lines "name:value"
// ("\r" inside a field stays, so CR/LF-injection paths are reached through
// header values containing '\r' and folded forms).
//
// Properties checked (abort on violation):
//  - nothing crashes; errors are values with a non-empty message that never
//    contains the secret or the session token;
//  - the caching signer and the stateless function agree byte for byte;
//  - a successful signature is 64 lowercase hex digits and verify() accepts
//    the signed request (header and presigned forms) where the options make
//    that well-defined;
//  - percent-decoding inverts encoding; X-Amz-Date parse/format round-trips.
#include "finops_crawler/aws/sigv4.hpp"
#include "finops_crawler/aws/sigv4_verifier.hpp"
#include "finops_crawler/detail/ascii.hpp"
#include "finops_crawler/detail/percent_encoding.hpp"
#include "finops_crawler/detail/time.hpp"

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>
#include <vector>

namespace fc = finops_crawler;
namespace sigv4 = finops_crawler::sigv4;

namespace {

constexpr std::string_view secret = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY";

void require(bool ok) {
  if (!ok) std::abort();
}

/// Whether the fuzzed input itself contains the secret or the marker token
/// (libFuzzer finds constants by tracing comparisons): then a message that
/// quotes, say, a header name may legitimately contain them.
bool input_has_secrets = false;

void check_message(const fc::error& e, std::string_view token) {
  require(!e.message.empty());
  if (input_has_secrets) return;
  require(e.message.find(secret) == std::string::npos);
  if (!token.empty()) require(e.message.find(token) == std::string::npos);
}

bool lower_hex64(std::string_view s) {
  if (s.size() != 64) return false;
  for (char c : s) {
    if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) return false;
  }
  return true;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  const std::uint8_t bits = data[0];
  const std::string_view in(reinterpret_cast<const char*>(data + 1), size - 1);

  // Encoding round trip and parsers on the raw input.
  require(fc::detail::percent_decode(fc::detail::uri_encode(in)) == in);
  if (auto t = fc::detail::parse_amz_date(in.substr(0, 16)); t) {
    char buf[16];
    require(fc::detail::format_amz_date(*t, buf));
    require(std::string_view(buf, 16) == in.substr(0, 16));
  }
  (void)fc::detail::parse_iso8601(in.substr(0, 40));
  (void)fc::detail::calendar_date::parse(in.substr(0, 10));

  std::vector<std::string_view> fields;
  std::size_t pos = 0;
  while (pos <= in.size() && fields.size() < 64) {
    std::size_t end = in.find('\n', pos);
    if (end == std::string_view::npos) end = in.size();
    fields.push_back(in.substr(pos, end - pos));
    pos = end + 1;
  }
  while (fields.size() < 5) fields.emplace_back();
  std::vector<sigv4::header> headers;
  for (std::size_t i = 5; i < fields.size(); ++i) {
    const std::size_t colon = fields[i].find(':');
    headers.push_back({fields[i].substr(0, colon), colon == std::string_view::npos ? "" : fields[i].substr(colon + 1)});
  }
  const sigv4::request_view req{fields[0], fields[1], fields[2], headers, fields[4]};
  // Bit 6 selects a fixed token that is checked for leaks; otherwise the
  // fuzzed field is the token (reaching CR/LF and encoding paths), and is not
  // leak-checked since fuzzed text may legitimately also be a header name or
  // a fragment of a fixed message.
  constexpr std::string_view marker_token = "FQoGZXIvYXdzEJr//////////wEaDMARKERTOKEN+/=";
  const std::string_view token = (bits & 64) != 0 ? marker_token : fields[3];
  const std::string_view secret_token = (bits & 64) != 0 ? marker_token : std::string_view();
  input_has_secrets = in.find(secret) != std::string_view::npos || in.find(marker_token) != std::string_view::npos;

  sigv4::signing_params p;
  p.region = "us-east-1";
  p.service = "ce";
  p.time = std::chrono::system_clock::time_point(std::chrono::seconds(1440938160));
  p.normalize_path = (bits & 1) != 0;
  p.double_encode_path = (bits & 2) != 0;
  p.add_content_sha256 = (bits & 4) != 0;
  p.session_token = (bits & 8) != 0 ? sigv4::session_token_mode::add_after_signing : sigv4::session_token_mode::sign;
  p.payload = (bits & 16) != 0 ? sigv4::payload_mode::unsigned_payload : sigv4::payload_mode::sha256;
  p.expires = std::chrono::seconds((bits & 32) != 0 ? 604800 : 60);
  const sigv4::credentials_view creds{"AKIDEXAMPLE", secret, token};

  sigv4::verify_options vo;
  vo.region = p.region;
  vo.service = p.service;
  vo.now = p.time;
  vo.normalize_path = p.normalize_path;
  vo.double_encode_path = p.double_encode_path;
  const auto lookup = [](std::string_view id, std::string& out) {
    if (id != "AKIDEXAMPLE") return false;
    out.assign(secret);
    return true;
  };
  bool user_content_sha = false;
  for (const auto& h : headers) {
    if (h.name.size() == 20 && fc::detail::iequals(h.name, "x-amz-content-sha256")) user_content_sha = true;
  }

  static sigv4::signer cached;  // persists across inputs: exercises the caches
  sigv4::header_signature out;
  const auto c = cached.sign_headers(req, creds, p, out);
  const auto fresh = sigv4::sign_headers(req, creds, p);
  require(static_cast<bool>(c) == static_cast<bool>(fresh));
  if (!c) {
    check_message(c.error(), secret_token);
    check_message(fresh.error(), secret_token);
  } else {
    require(out.canonical_request == fresh->canonical_request);
    require(out.signature == fresh->signature);
    require(out.authorization == fresh->authorization);
    require(lower_hex64(out.signature));
    // Round trip through the verifier when the body hash is well-defined on
    // both sides (a caller-supplied x-amz-content-sha256 or an unsigned
    // payload without the header are legitimately rejected or ambiguous).
    if (!user_content_sha && (p.payload == sigv4::payload_mode::sha256 || p.add_content_sha256)) {
      std::vector<sigv4::header> all(headers);
      for (const auto& h : out.headers_to_add) all.push_back({h.name, h.value});
      const sigv4::request_view received{req.method, req.path, req.query, all, req.payload};
      const auto v = sigv4::verify(received, lookup, vo);
      if (!v) check_message(v.error(), secret_token);
      require(static_cast<bool>(v));
    }
  }

  const auto q = cached.sign_query(req, creds, p);
  const auto qf = sigv4::sign_query(req, creds, p);
  require(static_cast<bool>(q) == static_cast<bool>(qf));
  if (!q) {
    check_message(q.error(), secret_token);
  } else {
    require(q->query == qf->query);
    require(lower_hex64(q->signature));
    // A token added after signing is part of the URL but not of the
    // signature, which verify() (like AWS) rejects by design.
    if (!user_content_sha && (token.empty() || p.session_token == sigv4::session_token_mode::sign)) {
      const sigv4::request_view url{req.method, req.path, q->query, headers, req.payload};
      const auto v = sigv4::verify(url, lookup, vo);
      if (!v) check_message(v.error(), secret_token);
      require(static_cast<bool>(v));
    }
  }
  return 0;
}
