#ifndef FINOPS_CRAWLER_AWS_SIGV4_VERIFIER_HPP
#define FINOPS_CRAWLER_AWS_SIGV4_VERIFIER_HPP
/// \file
/// AWS Signature Version 4, the server side: `verify` checks a received
/// request signed by an Authorization header or by presigned query
/// parameters, and names the check that failed. Used by the simulator
/// (tools/ce-simulator), the tests and the fuzzers; a client only signs
/// (aws/sigv4.hpp). Depends only on the standard library and OpenSSL
/// libcrypto.
///
///   sigv4::verify_options o;
///   o.region = "us-east-1"; o.service = "ce";
///   auto v = sigv4::verify(received, [](std::string_view id, std::string& secret) {
///     return find_secret(id, secret);   // false: unknown key id
///   }, o);
///   if (!v) reply(v.error().http_status, v.error().aws_code, v.error().message);

#include <chrono>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <utility>

#include "finops_crawler/aws/sigv4.hpp"
#include "finops_crawler/config.hpp"
#include "finops_crawler/result.hpp"

namespace finops_crawler {
inline namespace v0 {
namespace sigv4 {

/// AWS's default allowed clock skew between signer and server (15 minutes).
inline constexpr std::chrono::seconds default_max_skew{900};

/// Which check a verification failed. `to_string` names each.
enum class verify_failure : std::uint8_t {
  none = 0,
  /// Authorization header (or presigned query) missing or unparsable,
  /// wrong algorithm, X-Amz-Date missing or malformed, a signed header absent.
  malformed,
  /// The lookup callback does not know the access key id.
  unknown_access_key,
  /// X-Amz-Date further from the server clock than the allowed skew.
  clock_skew,
  /// A presigned URL past X-Amz-Date + X-Amz-Expires.
  expired,
  /// Credential scope date differs from X-Amz-Date, or the region/service
  /// differ from the expected ones, or the terminator is not aws4_request.
  scope_mismatch,
  /// x-amz-content-sha256 disagrees with the body actually received.
  payload_mismatch,
  /// The recomputed signature differs (wrong secret, tampered request).
  signature_mismatch,
  /// The request itself cannot be canonicalized (e.g. CR/LF in a header).
  invalid_request,
};

/// A short fixed name for each verify_failure ("malformed Authorization", ...).
std::string_view to_string(verify_failure f) noexcept;

/// A verification error: an `error` (code errc::signature_mismatch or
/// errc::invalid_argument, http_status and aws_code as AWS answers them, e.g.
/// 403 "InvalidSignatureException", 403 "UnrecognizedClientException",
/// 400 "IncompleteSignatureException") plus the failed check. The message
/// says what failed and may quote the access key id, dates and scope, never
/// the secret, the session token or the expected signature.
struct verify_error : error {
  verify_failure failure = verify_failure::none;
  verify_error() = default;
  verify_error(errc c, std::string msg) : error(c, std::move(msg)) {}
  verify_error(verify_failure f, errc c, long http, std::string aws, std::string msg)
      : error(c, std::move(msg)), failure(f) {
    http_status = http;
    aws_code = std::move(aws);
  }
};

/// Looks up the secret for an access key id: writes it into `secret` and
/// returns true, or returns false when the key is unknown. The verifier wipes
/// `secret` after use. Called at most once per verification.
using secret_lookup = std::function<bool(std::string_view access_key_id, std::string& secret)>;

/// What the server expects of a request.
struct verify_options {
  /// Expected region and service; empty accepts whatever the scope says.
  std::string_view region;
  std::string_view service;
  /// The server's current time; unset reads the system clock.
  std::optional<std::chrono::system_clock::time_point> now;
  /// Allowed |X-Amz-Date - now| (AWS: 15 minutes).
  std::chrono::seconds max_skew = default_max_skew;
  /// Canonical URI rules used to recompute (see signing_params).
  bool normalize_path = true;
  bool double_encode_path = true;
};

/// What a successful verification learned. Owns its strings.
struct verified_request {
  std::string access_key_id;
  std::string region;
  std::string service;
  std::string signed_headers;
  std::chrono::system_clock::time_point signed_at;
  bool presigned = false;      ///< authenticated by query parameters
  bool has_session_token = false;  ///< X-Amz-Security-Token was present
};

/// Server-side check of a received request, signed either by an
/// Authorization header or by presigned query parameters (X-Amz-Signature).
///
/// Steps: parse the Authorization header (or X-Amz-* parameters), read
/// X-Amz-Date, check the scope (date matches, region/service as expected,
/// "aws4_request"), check clock skew (and expiry for presigned URLs), look
/// up the secret, check x-amz-content-sha256 against the body when present,
/// recompute the canonical request over the listed signed headers, and
/// compare signatures in constant time (CRYPTO_memcmp).
///
/// Thread-safe (no shared state); `lookup` is called at most once.
/// Cost: one signing (five HMACs plus two hashes).
result<verified_request, verify_error> verify(const request_view& request, const secret_lookup& lookup,
                                              const verify_options& options = {});

}  // namespace sigv4
}  // namespace v0
}  // namespace finops_crawler

#if FINOPS_CRAWLER_HEADER_ONLY
#include "finops_crawler/aws/sigv4_verifier-inl.hpp"
#endif

#endif  // FINOPS_CRAWLER_AWS_SIGV4_VERIFIER_HPP
