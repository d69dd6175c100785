#ifndef FINOPS_CRAWLER_AWS_SIGV4_VERIFIER_INL_HPP
#define FINOPS_CRAWLER_AWS_SIGV4_VERIFIER_INL_HPP
/// \file
/// Bodies of aws/sigv4_verifier.hpp (included by it in header-only mode,
/// compiled once in src/ otherwise).

#include "finops_crawler/aws/sigv4_verifier.hpp"

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "finops_crawler/aws/sigv4_canonical.hpp"
#include "finops_crawler/detail/ascii.hpp"
#include "finops_crawler/detail/crypto.hpp"
#include "finops_crawler/detail/hex.hpp"
#include "finops_crawler/detail/percent_encoding.hpp"
#include "finops_crawler/detail/time.hpp"
#include "finops_crawler/detail/wipe_on_exit.hpp"

namespace finops_crawler {
inline namespace v0 {
namespace sigv4 {

FINOPS_CRAWLER_FUNC std::string_view to_string(verify_failure f) noexcept {
  switch (f) {
    case verify_failure::none: return "verified";
    case verify_failure::malformed: return "malformed Authorization";
    case verify_failure::unknown_access_key: return "unknown access key";
    case verify_failure::clock_skew: return "clock skew too large";
    case verify_failure::expired: return "presigned URL expired";
    case verify_failure::scope_mismatch: return "credential scope mismatch";
    case verify_failure::payload_mismatch: return "payload hash mismatch";
    case verify_failure::signature_mismatch: return "signature mismatch";
    case verify_failure::invalid_request: return "request cannot be canonicalized";
  }
  return "unknown verify failure";
}

namespace detail {

/// Builds a verify_error with the HTTP status and AWS error code AWS uses.
FINOPS_CRAWLER_FUNC verify_error verify_fail(verify_failure f, const std::string& detail_msg) {
  long http = 403;
  const char* aws = "InvalidSignatureException";
  errc code = errc::signature_mismatch;
  switch (f) {
    case verify_failure::malformed: http = 400; aws = "IncompleteSignatureException"; break;
    case verify_failure::unknown_access_key: aws = "UnrecognizedClientException"; break;
    case verify_failure::payload_mismatch: http = 400; aws = "XAmzContentSHA256Mismatch"; break;
    case verify_failure::invalid_request: http = 400; aws = "IncompleteSignatureException"; code = errc::invalid_argument; break;
    default: break;
  }
  return verify_error(f, code, http, aws, std::string(to_string(f)) + ": " + detail_msg);
}

/// The signature parameters of a received request, from either form.
struct received_auth {
  std::string credential;      // "<id>/<date>/<region>/<service>/aws4_request", decoded
  std::string signed_headers;  // "host;x-amz-date"
  std::string signature;       // hex
  std::string amz_date;
  std::int64_t expires = 0;    // presigned only
  bool presigned = false;
};

/// One signature field of a received request: its name, where its value
/// goes, and whether it was seen (each may appear once).
struct auth_field {
  std::string_view name;
  std::string* value;
  bool seen = false;
};

/// The field called `name`, or nullptr.
template <std::size_t N>
auth_field* find_field(auth_field (&fields)[N], std::string_view name) noexcept {
  for (auth_field& f : fields) {
    if (f.name == name) return &f;
  }
  return nullptr;
}

/// Parses "AWS4-HMAC-SHA256 Credential=..., SignedHeaders=..., Signature=...".
FINOPS_CRAWLER_FUNC result<void, verify_error> parse_authorization(std::string_view v, received_auth& out) {
  v = fd::trim(v);
  if (v.size() <= algorithm.size() || v.substr(0, algorithm.size()) != algorithm ||
      (v[algorithm.size()] != ' ' && v[algorithm.size()] != '\t')) {
    return verify_fail(verify_failure::malformed, "Authorization must start with 'AWS4-HMAC-SHA256 '");
  }
  v.remove_prefix(algorithm.size());
  auth_field fields[] = {{"Credential", &out.credential}, {"SignedHeaders", &out.signed_headers},
                         {"Signature", &out.signature}};
  std::size_t pos = 0;
  std::size_t parts = 0;
  while (pos <= v.size() && parts < 16) {
    ++parts;
    std::size_t end = v.find(',', pos);
    if (end == std::string_view::npos) end = v.size();
    const std::string_view item = fd::trim(v.substr(pos, end - pos));
    pos = end + 1;
    const std::size_t eq = item.find('=');
    if (eq == std::string_view::npos) {
      return verify_fail(verify_failure::malformed, "Authorization component without '=' (expected Key=Value)");
    }
    const std::string_view key = item.substr(0, eq);
    auth_field* f = find_field(fields, key);
    if (f == nullptr) {
      return verify_fail(verify_failure::malformed,
                         "Authorization has an unknown component '" + printable(key) + "'");
    }
    if (f->seen) return verify_fail(verify_failure::malformed, "Authorization repeats " + std::string(key));
    f->seen = true;
    f->value->assign(item.substr(eq + 1));
  }
  for (const auth_field& f : fields) {
    if (!f.seen) return verify_fail(verify_failure::malformed, "Authorization lacks " + std::string(f.name) + "=");
  }
  return {};
}

/// Reads the X-Amz-* parameters of a presigned URL (values percent-decoded).
FINOPS_CRAWLER_FUNC result<void, verify_error> parse_presigned_query(std::string_view query, received_auth& out,
                                                                     bool& has_token) {
  std::string alg, expires;
  auth_field fields[] = {{"X-Amz-Algorithm", &alg},
                         {"X-Amz-Credential", &out.credential},
                         {"X-Amz-Date", &out.amz_date},
                         {"X-Amz-SignedHeaders", &out.signed_headers},
                         {"X-Amz-Expires", &expires},
                         {"X-Amz-Signature", &out.signature}};
  std::string_view repeated;
  for_each_query_param(query, [&](std::string_view key, std::string_view raw) {
    if (key == "X-Amz-Security-Token") has_token = true;
    auth_field* f = find_field(fields, key);
    if (f == nullptr) return true;  // the request's own parameters
    if (f->seen) {
      repeated = key;
      return false;
    }
    f->seen = true;
    f->value->clear();
    fd::append_percent_decoded(*f->value, raw);
    return true;
  });
  if (!repeated.empty()) return verify_fail(verify_failure::malformed, "query repeats " + std::string(repeated));
  if (fields[0].seen && alg != algorithm) {
    return verify_fail(verify_failure::malformed, "X-Amz-Algorithm must be AWS4-HMAC-SHA256");
  }
  for (const auth_field& f : fields) {
    if (!f.seen) {
      return verify_fail(verify_failure::malformed,
                         "presigned URL lacks one of X-Amz-Algorithm, X-Amz-Credential, X-Amz-Date, "
                         "X-Amz-SignedHeaders, X-Amz-Expires, X-Amz-Signature");
    }
  }
  if (expires.empty() || expires.size() > 7 ||
      expires.find_first_not_of("0123456789") != std::string::npos) {
    return verify_fail(verify_failure::malformed, "X-Amz-Expires must be a number of seconds");
  }
  out.expires = 0;
  for (char c : expires) out.expires = out.expires * 10 + (c - '0');
  if (out.expires < 1 || out.expires > max_presign_expiry.count()) {
    return verify_fail(verify_failure::malformed, "X-Amz-Expires must be 1 to 604800 seconds");
  }
  out.presigned = true;
  return {};
}

/// Checks SignedHeaders: lowercase tokens, ascending, no duplicates,
/// including host (and x-amz-date for header-signed requests).
FINOPS_CRAWLER_FUNC result<void, verify_error> check_signed_headers(std::string_view list, bool need_date) {
  if (list.empty()) return verify_fail(verify_failure::malformed, "SignedHeaders is empty");
  std::string_view prev;
  bool host = false, date = false;
  std::size_t pos = 0;
  while (pos <= list.size()) {
    std::size_t end = list.find(';', pos);
    if (end == std::string_view::npos) end = list.size();
    const std::string_view name = list.substr(pos, end - pos);
    pos = end + 1;
    if (name.empty()) return verify_fail(verify_failure::malformed, "SignedHeaders has an empty name");
    for (char c : name) {
      if (!is_tchar(static_cast<unsigned char>(c)) || (c >= 'A' && c <= 'Z')) {
        return verify_fail(verify_failure::malformed, "SignedHeaders names must be lowercase header names");
      }
    }
    if (!prev.empty() && !(prev < name)) {
      return verify_fail(verify_failure::malformed, "SignedHeaders must be sorted and without duplicates");
    }
    prev = name;
    host = host || name == "host";
    date = date || name == "x-amz-date";
  }
  if (!host) return verify_fail(verify_failure::malformed, "SignedHeaders must include host");
  if (need_date && !date) return verify_fail(verify_failure::malformed, "SignedHeaders must include x-amz-date");
  return {};
}

}  // namespace detail

FINOPS_CRAWLER_FUNC result<verified_request, verify_error> verify(const request_view& request,
                                                                  const secret_lookup& lookup,
                                                                  const verify_options& options) {
  namespace fd = ::finops_crawler::detail;
  using detail::verify_fail;
  detail::received_auth auth;
  std::string_view auth_header, date_header, content_sha;
  std::size_t auth_count = 0, date_count = 0, sha_count = 0;
  bool has_token = false;
  for (const header& h : request.headers) {
    if (fd::iequals(h.name, "authorization")) {
      auth_header = h.value;
      ++auth_count;
    } else if (fd::iequals(h.name, "x-amz-date")) {
      date_header = h.value;
      ++date_count;
    } else if (fd::iequals(h.name, "x-amz-content-sha256")) {
      content_sha = fd::trim(h.value);
      ++sha_count;
    } else if (fd::iequals(h.name, "x-amz-security-token")) {
      has_token = true;
    }
  }
  if (auth_count > 1) return verify_fail(verify_failure::malformed, "more than one Authorization header");
  if (sha_count > 1) return verify_fail(verify_failure::malformed, "more than one x-amz-content-sha256 header");
  if (auth_count == 1) {
    if (auto r = detail::parse_authorization(auth_header, auth); !r) return r.error();
    if (date_count != 1) {
      return verify_fail(verify_failure::malformed, "exactly one X-Amz-Date header is required");
    }
    auth.amz_date.assign(fd::trim(date_header));
  } else if (request.query.find("X-Amz-Signature=") != std::string_view::npos ||
             request.query.find("X-Amz-Algorithm=") != std::string_view::npos) {
    if (auto r = detail::parse_presigned_query(request.query, auth, has_token); !r) return r.error();
  } else {
    verify_error e = verify_fail(verify_failure::malformed, "no Authorization header and no presigned query");
    e.aws_code = "MissingAuthenticationTokenException";
    e.http_status = 403;
    return e;
  }

  // Credential = <access key id>/<date>/<region>/<service>/aws4_request
  std::string_view parts[5];
  {
    std::string_view c = auth.credential;
    std::size_t n = 0;
    while (n < 5) {
      const std::size_t slash = c.find('/');
      parts[n++] = c.substr(0, slash);
      if (slash == std::string_view::npos) break;
      c.remove_prefix(slash + 1);
      if (n == 5) return verify_fail(verify_failure::malformed, "Credential has more than five '/'-separated parts");
    }
    if (n != 5) return verify_fail(verify_failure::malformed, "Credential must be <key id>/<date>/<region>/<service>/aws4_request");
    for (const auto& part : parts) {
      if (part.empty()) return verify_fail(verify_failure::malformed, "Credential has an empty part");
    }
  }
  const std::string_view key_id = parts[0];
  if (auto r = detail::check_signed_headers(auth.signed_headers, !auth.presigned); !r) return r.error();
  fd::sha256_digest received_sig{};
  if (!fd::hex_decode(auth.signature, received_sig.data(), received_sig.size())) {
    return verify_fail(verify_failure::malformed, "Signature must be 64 hex digits");
  }
  auto amz_time = fd::parse_amz_date(auth.amz_date);
  if (!amz_time) return verify_fail(verify_failure::malformed, "X-Amz-Date must look like 20150830T123600Z");

  // Scope: its date must be X-Amz-Date's day; region/service as configured.
  if (parts[1] != std::string_view(auth.amz_date).substr(0, 8)) {
    return verify_fail(verify_failure::scope_mismatch, "credential date " + detail::printable(parts[1]) +
                                                           " differs from X-Amz-Date " + auth.amz_date.substr(0, 8));
  }
  if (!options.region.empty() && parts[2] != options.region) {
    return verify_fail(verify_failure::scope_mismatch, "credential region '" + detail::printable(parts[2]) +
                                                           "' but this endpoint is '" + std::string(options.region) + "'");
  }
  if (!options.service.empty() && parts[3] != options.service) {
    return verify_fail(verify_failure::scope_mismatch, "credential service '" + detail::printable(parts[3]) +
                                                           "' but this endpoint is '" +
                                                           std::string(options.service) + "'");
  }
  if (parts[4] != "aws4_request") {
    return verify_fail(verify_failure::scope_mismatch, "credential scope must end with aws4_request");
  }

  // Clock: AWS rejects requests whose X-Amz-Date is more than 15 minutes
  // from its clock; presigned URLs are valid until date + X-Amz-Expires.
  const auto now = options.now ? *options.now : std::chrono::system_clock::now();
  const std::int64_t t_req = fd::unix_seconds(*amz_time);
  const std::int64_t t_now = fd::unix_seconds(now);
  const std::int64_t skew = options.max_skew.count();
  if (t_req - t_now > skew || (!auth.presigned && t_now - t_req > skew)) {
    return verify_fail(verify_failure::clock_skew,
                       "X-Amz-Date " + auth.amz_date + " is more than " + std::to_string(skew) +
                           " s away from the server time; check the client clock");
  }
  if (auth.presigned && t_now - t_req > auth.expires) {
    return verify_fail(verify_failure::expired, "signed at " + auth.amz_date + " for " +
                                                    std::to_string(auth.expires) + " s");
  }

  // The secret (and below, the key derived from it) is wiped on every
  // return from here on.
  std::string secret;
  const fd::wipe_on_exit wipe_secret(secret);
  if (!lookup || !lookup(key_id, secret) || secret.empty()) {
    return verify_fail(verify_failure::unknown_access_key,
                       "access key id '" + detail::printable(key_id) + "' is not known");
  }

  detail::workspace ws;
  if (!ws.crypto_ok()) return verify_fail(verify_failure::invalid_request, "OpenSSL is unavailable");

  // Payload: x-amz-content-sha256, when sent, must match the body received.
  std::string body_hash;
  if (!detail::payload_hash(ws, request.payload, payload_mode::sha256, body_hash)) {
    return verify_fail(verify_failure::invalid_request, "OpenSSL SHA-256 failed");
  }
  std::string_view payload_hash = body_hash;
  if (sha_count == 1) {
    if (content_sha == unsigned_payload) {
      payload_hash = unsigned_payload;
    } else if (!fd::iequals(content_sha, body_hash)) {
      return verify_fail(verify_failure::payload_mismatch, "x-amz-content-sha256 does not match the body received");
    }
  }

  // Task 1 over exactly the signed headers, in the request's order.
  std::string_view list = auth.signed_headers;
  std::size_t pos = 0;
  while (pos <= list.size()) {
    std::size_t end = list.find(';', pos);
    if (end == std::string_view::npos) end = list.size();
    const std::string_view name = list.substr(pos, end - pos);
    pos = end + 1;
    bool found = false;
    for (std::size_t i = 0; i < request.headers.size(); ++i) {
      if (!fd::iequals(request.headers[i].name, name)) continue;
      found = true;
      if (auto r = detail::add_header(ws, request.headers[i].name, request.headers[i].value, i); !r) {
        return verify_fail(verify_failure::invalid_request, r.error().message);
      }
    }
    if (!found) {
      return verify_fail(verify_failure::malformed, "signed header '" + std::string(name) + "' is not in the request");
    }
  }
  detail::sort_headers(ws);
  // Presigned: every query parameter but X-Amz-Signature is signed.
  detail::add_raw_query(ws, request.query, auth.presigned);

  fd::sha256_digest key{};
  const fd::wipe_on_exit wipe_key(key);
  if (!detail::derive_signing_key(ws, secret, parts[1], parts[2], parts[3], key)) {
    return verify_fail(verify_failure::invalid_request, "OpenSSL HMAC-SHA256 failed");
  }
  std::string canonical, signed_names, string_to_sign;
  const std::string_view scope = std::string_view(auth.credential).substr(parts[0].size() + 1);
  const auto signature_matches = [&](std::string_view hash) -> bool {
    detail::build_canonical_request(
        ws, {request.method, request.path, options.normalize_path, options.double_encode_path, hash}, canonical,
        signed_names);
    fd::sha256_digest mac{};
    const fd::wipe_on_exit wipe_mac(mac);  // the expected signature: never revealed
    return detail::build_string_to_sign(ws, auth.amz_date, scope, canonical, string_to_sign) &&
           ws.sign_mac.mac(key.data(), key.size(), string_to_sign, mac) &&
           fd::constant_time_equal(mac.data(), received_sig.data(), mac.size());
  };
  bool ok = signature_matches(payload_hash);
  // Presigned URLs may sign UNSIGNED-PAYLOAD instead of the body hash (S3
  // style); accept either when no x-amz-content-sha256 header says which.
  if (!ok && auth.presigned && sha_count == 0) ok = signature_matches(unsigned_payload);
  if (!ok) {
    return verify_fail(verify_failure::signature_mismatch,
                       "the signature does not match the one computed for this request with the secret of '" +
                           detail::printable(key_id) + "'; check the secret, the canonicalization and the body");
  }
  verified_request v;
  v.access_key_id.assign(key_id);
  v.region.assign(parts[2]);
  v.service.assign(parts[3]);
  v.signed_headers = auth.signed_headers;
  v.signed_at = *amz_time;
  v.presigned = auth.presigned;
  v.has_session_token = has_token;
  return v;
}


}  // namespace sigv4
}  // namespace v0
}  // namespace finops_crawler

#endif  // FINOPS_CRAWLER_AWS_SIGV4_VERIFIER_INL_HPP
