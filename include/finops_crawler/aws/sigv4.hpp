#ifndef FINOPS_CRAWLER_AWS_SIGV4_HPP
#define FINOPS_CRAWLER_AWS_SIGV4_HPP
/// \file
/// AWS Signature Version 4, the signing API: header signing and query
/// (presigned URL) signing. Depends only on the standard library and OpenSSL
/// libcrypto; never on libcurl, simdjson or credentials.hpp.
///
/// Quick use (client side):
///
///   sigv4::signer s;                                   // one per thread
///   sigv4::header hs[] = {{"Host", "ce.us-east-1.amazonaws.com"},
///                         {"Content-Type", "application/x-amz-json-1.1"},
///                         {"X-Amz-Target", "AWSInsightsIndexService.GetCostAndUsage"}};
///   sigv4::request_view req{"POST", "/", "", hs, body};
///   sigv4::signing_params p;
///   p.region = "us-east-1"; p.service = "ce";
///   auto r = s.sign_headers(req, {key_id, secret, token}, p);
///   if (!r) return r.error();            // message never contains a secret
///   for (auto& h : r->headers_to_add) add_to_curl(h.name, h.value);
///
/// Terms follow the AWS SigV4 documentation: canonical request (task 1),
/// string to sign (task 2), signing key and signature (task 3), adding the
/// signature to the request (task 4).
///
/// The rest of SigV4 lives beside this header:
///   aws/sigv4_canonical.hpp  tasks 1 to 3 as helpers (canonical headers, URI
///                            and query, the one canonical-request builder,
///                            string to sign, key derivation); not API
///   aws/sigv4_verifier.hpp   server-side verification (`verify`), used by
///                            the simulator, the tests and the fuzzers

#include <array>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "finops_crawler/config.hpp"
#include "finops_crawler/detail/span.hpp"
#include "finops_crawler/result.hpp"

namespace finops_crawler {
inline namespace v0 {
namespace sigv4 {

/// The algorithm name that starts every string to sign and Authorization header.
inline constexpr std::string_view algorithm = "AWS4-HMAC-SHA256";
/// Payload hash placeholder for bodies that are not hashed (S3-style presigning).
inline constexpr std::string_view unsigned_payload = "UNSIGNED-PAYLOAD";
/// Hex SHA-256 of the empty string: the payload hash of a request without body.
inline constexpr std::string_view empty_payload_sha256 =
    "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";
/// Longest presign expiry AWS accepts (7 days), in seconds.
inline constexpr std::chrono::seconds max_presign_expiry{604800};

/// One header as sent: a name and a value, both borrowed.
///
/// A folded (obsolete multi-line) value is accepted in its wire form: line
/// breaks ("\r\n" or "\n") each followed by at least one space or tab; the
/// signer joins the lines with a single space. Any other CR or LF is an error.
struct header {
  std::string_view name;
  std::string_view value;
};

/// A header the signer asks the caller to add; owns its strings.
/// The value of X-Amz-Security-Token is the session token: do not log it.
struct owned_header {
  std::string name;
  std::string value;
};

/// A borrowed, read-only run of headers (detail/span.hpp; C++17 has no std::span).
///
/// Borrows the array or vector it was made from; that storage must outlive
/// the span and not be resized while the span is used. Trivially copyable.
using header_span = ::finops_crawler::detail::span<header>;

/// The request to sign or verify, all borrowed.
///
/// - method: e.g. "POST" (used verbatim; AWS methods are upper case).
/// - path: the path exactly as it goes on the wire, without the query
///   ("/" when empty). Non-ASCII bytes and spaces are allowed: the signer
///   percent-encodes them in the canonical URI.
/// - query: the raw query string as on the wire, without '?' (may be empty).
/// - headers: in the order they are sent; must include Host (the signer does
///   not invent one). Header names are case-insensitive; duplicates allowed.
/// - payload: the body bytes (empty for GET).
///
/// Everything is borrowed: the caller's storage must outlive each call that
/// takes the view; results never point into it.
struct request_view {
  std::string_view method;
  std::string_view path;
  std::string_view query;
  header_span headers;
  std::string_view payload;
};

/// A light view of AWS credentials, so this header needs no credentials.hpp.
/// Borrowed for the duration of one call. session_token is empty for
/// long-term keys. Never printed by this library.
struct credentials_view {
  std::string_view access_key_id;
  std::string_view secret_access_key;
  std::string_view session_token;
};

/// What to do with credentials_view::session_token when it is not empty.
enum class session_token_mode : std::uint8_t {
  /// Add X-Amz-Security-Token (header or query parameter) before signing, so
  /// it is covered by the signature. What most services expect.
  sign,
  /// Add it after signing, outside the signature (the suite's
  /// `omit_session_token` cases; some services, e.g. IoT, require this).
  add_after_signing,
};

/// How the payload is represented in the canonical request.
enum class payload_mode : std::uint8_t {
  /// Lowercase hex SHA-256 of request_view::payload (the default, and what
  /// the test suite expects for both header and query signing).
  sha256,
  /// The literal "UNSIGNED-PAYLOAD" (S3-style presigned URLs); the body is
  /// not hashed.
  unsigned_payload,
};

/// Signing parameters. Plain data; cheap to copy (the string_views borrow).
struct signing_params {
  /// e.g. "us-east-1". Must not be empty.
  std::string_view region;
  /// e.g. "ce". Must not be empty.
  std::string_view service;
  /// The signing time. When unset the signer's clock is read (see
  /// signer::signer(clock_function)); free functions use the system clock.
  /// Sub-second parts are dropped.
  std::optional<std::chrono::system_clock::time_point> time;
  /// Remove "." and ".." segments and collapse "//" in the canonical URI
  /// (every service except S3).
  bool normalize_path = true;
  /// Percent-encode the wire path again, so "%20" becomes "%2520" (the
  /// non-S3 rule). When false the wire path is taken as already encoded:
  /// only bytes outside the unreserved set that are not part of a "%XX"
  /// escape get encoded (the S3 rule).
  bool double_encode_path = true;
  /// Add and sign an `x-amz-content-sha256` header carrying the payload hash
  /// (header signing only; S3 requires it, the suite's `sign_body`).
  bool add_content_sha256 = false;
  /// Where the session token goes, when there is one.
  session_token_mode session_token = session_token_mode::sign;
  /// How the payload is hashed into the canonical request.
  payload_mode payload = payload_mode::sha256;
  /// Presigned URL lifetime (X-Amz-Expires), 1 s to 7 days. Query signing only.
  std::chrono::seconds expires{3600};
};

/// The outcome of header signing: the headers to add plus every intermediate
/// artifact (tests compare each against the suite).
///
/// Owns all its strings; reusing one object across calls to
/// signer::sign_headers(..., header_signature&) reuses their capacity.
/// headers_to_add may contain the session token: do not log them.
struct header_signature {
  /// Headers to add to the request, in this order: X-Amz-Security-Token
  /// (when there is a session token, signed or not), X-Amz-Date,
  /// x-amz-content-sha256 (when asked), Authorization.
  std::vector<owned_header> headers_to_add;
  std::string canonical_request;  ///< task 1 output
  std::string string_to_sign;     ///< task 2 output
  std::string signature;          ///< task 3 output: 64 lowercase hex digits
  std::string signed_headers;     ///< e.g. "host;x-amz-date"
  std::string credential_scope;   ///< e.g. "20150830/us-east-1/service/aws4_request"
  std::string amz_date;           ///< e.g. "20150830T123600Z"
  std::string payload_hash;       ///< hex SHA-256 or "UNSIGNED-PAYLOAD"
  std::string authorization;      ///< the Authorization header value (also in headers_to_add)
};

/// The outcome of query signing (a presigned URL).
///
/// `query` is the final query string without '?': the request's own raw query
/// first, then X-Amz-Algorithm, X-Amz-Credential, X-Amz-Date,
/// X-Amz-SignedHeaders, X-Amz-Expires, [X-Amz-Security-Token],
/// X-Amz-Signature, each value percent-encoded. It contains the session token
/// when there is one: treat the URL as a secret until it expires.
struct query_signature {
  std::string query;
  std::string canonical_request;
  std::string string_to_sign;
  std::string signature;
  std::string signed_headers;
  std::string credential_scope;
  std::string amz_date;
  std::string payload_hash;
};

/// Stateless header signing (derives the signing key every call: five
/// HMACs). Prefer a `signer` for a stream of requests.
///
/// Errors (errc::invalid_argument, message names the offending part but never
/// a secret): empty or non-token header name (CR/LF, space, non-ASCII), CR/LF
/// in a value other than folded continuation lines, a control byte in a
/// value, an Authorization or X-Amz-Date header already present, empty
/// access key id/secret/region/service/method, '/' or whitespace in the key
/// id/region/service, missing Host header, a path not starting with '/' or
/// containing '?', CR/LF in path/query/session token, a signing time outside
/// years 0000..9999.
/// Thread-safe (no shared state). Cost: O(size of request).
result<header_signature> sign_headers(const request_view& request, const credentials_view& credentials,
                                      const signing_params& params);

/// Stateless query (presigned URL) signing. Same errors as sign_headers plus
/// an expiry outside 1 s .. 7 days, or a query already carrying X-Amz-*
/// signature parameters. Thread-safe.
result<query_signature> sign_query(const request_view& request, const credentials_view& credentials,
                                   const signing_params& params);

/// SigV4 signer with a derived-key cache.
///
/// The signing key depends only on (secret, date, region, service); the
/// signer keeps the last four, so a steady stream of requests costs one
/// HMAC-SHA256 for the signature instead of five. Cached secrets are compared
/// in constant time and all key material is wiped (OPENSSL_cleanse) on
/// replacement, clear_cache() and destruction. Work buffers and the OpenSSL
/// contexts are reused between calls, and header signing reuses the last
/// canonical request when method, path, query, headers, token and options
/// are byte-identical (only X-Amz-Date and the payload hash are rewritten);
/// that copy holds the session token and is wiped like the keys.
///
/// Not thread-safe: one signer per thread (or external locking). Movable,
/// not copyable.
class signer {
 public:
  /// Returns the current time; used when signing_params::time is unset.
  using clock_function = std::function<std::chrono::system_clock::time_point()>;

  /// A signer reading std::chrono::system_clock.
  signer();
  /// A signer reading `clock` (tests inject a fixed or stepping clock).
  /// An empty function means the system clock.
  explicit signer(clock_function clock);
  ~signer();
  signer(signer&&) noexcept;
  signer& operator=(signer&&) noexcept;
  signer(const signer&) = delete;
  signer& operator=(const signer&) = delete;

  /// Header signing into `out`, reusing its buffers (the lean hot path).
  /// Errors as the free sign_headers(); on error `out` is unspecified.
  status sign_headers(const request_view& request, const credentials_view& credentials,
                      const signing_params& params, header_signature& out);
  /// Header signing returning a fresh result.
  result<header_signature> sign_headers(const request_view& request, const credentials_view& credentials,
                                        const signing_params& params);

  /// Query (presigned URL) signing into `out`, reusing its buffers.
  status sign_query(const request_view& request, const credentials_view& credentials,
                    const signing_params& params, query_signature& out);
  /// Query signing returning a fresh result.
  result<query_signature> sign_query(const request_view& request, const credentials_view& credentials,
                                     const signing_params& params);

  /// How many signing keys this signer has derived (four HMACs each): a test
  /// hook showing the cache works. Cheap.
  std::uint64_t key_derivations() const noexcept;

  /// Forgets and wipes every cached key and secret.
  void clear_cache() noexcept;

 private:
  struct impl;
  impl* impl_;
};

}  // namespace sigv4
}  // namespace v0
}  // namespace finops_crawler

#if FINOPS_CRAWLER_HEADER_ONLY
#include "finops_crawler/aws/sigv4-inl.hpp"
#endif

#endif  // FINOPS_CRAWLER_AWS_SIGV4_HPP
