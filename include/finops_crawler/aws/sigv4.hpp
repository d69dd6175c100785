#ifndef FINOPS_CRAWLER_AWS_SIGV4_HPP
#define FINOPS_CRAWLER_AWS_SIGV4_HPP
/// \file
/// AWS Signature Version 4: header signing, query (presigned URL) signing and
/// server-side verification. Depends only on the standard library and
/// OpenSSL libcrypto (through detail/crypto.hpp); never on libcurl, simdjson
/// or credentials.hpp.
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

#include <algorithm>
#include <array>
#include <chrono>
#include <climits>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <functional>
#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "finops_crawler/config.hpp"
#include "finops_crawler/detail/crypto.hpp"
#include "finops_crawler/detail/hex.hpp"
#include "finops_crawler/detail/percent_encoding.hpp"
#include "finops_crawler/detail/time.hpp"
#include "finops_crawler/result.hpp"

namespace finops_crawler {
inline namespace v0 {
namespace sigv4 {

// ---------------------------------------------------------------------------
// Declarations
// ---------------------------------------------------------------------------

/// The algorithm name that starts every string to sign and Authorization header.
inline constexpr std::string_view algorithm = "AWS4-HMAC-SHA256";
/// Payload hash placeholder for bodies that are not hashed (S3-style presigning).
inline constexpr std::string_view unsigned_payload = "UNSIGNED-PAYLOAD";
/// Hex SHA-256 of the empty string: the payload hash of a request without body.
inline constexpr std::string_view empty_payload_sha256 =
    "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";
/// Longest presign expiry AWS accepts (7 days), in seconds.
inline constexpr std::chrono::seconds max_presign_expiry{604800};
/// AWS's default allowed clock skew between signer and server (15 minutes).
inline constexpr std::chrono::seconds default_max_skew{900};

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

/// A borrowed, read-only run of headers (C++17 has no std::span).
///
/// Borrows the array or vector it was made from; that storage must outlive
/// the span and not be resized while the span is used. Trivially copyable.
class header_span {
 public:
  constexpr header_span() noexcept = default;
  constexpr header_span(const header* data, std::size_t size) noexcept : data_(data), size_(size) {}
  header_span(const std::vector<header>& v) noexcept : data_(v.data()), size_(v.size()) {}
  template <std::size_t N>
  constexpr header_span(const header (&a)[N]) noexcept : data_(a), size_(N) {}
  template <std::size_t N>
  constexpr header_span(const std::array<header, N>& a) noexcept : data_(a.data()), size_(N) {}

  constexpr const header* begin() const noexcept { return data_; }
  constexpr const header* end() const noexcept { return data_ + size_; }
  constexpr std::size_t size() const noexcept { return size_; }
  constexpr bool empty() const noexcept { return size_ == 0; }
  constexpr const header& operator[](std::size_t i) const noexcept { return data_[i]; }

 private:
  const header* data_ = nullptr;
  std::size_t size_ = 0;
};

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
inline result<header_signature> sign_headers(const request_view& request, const credentials_view& credentials,
                                      const signing_params& params);

/// Stateless query (presigned URL) signing. Same errors as sign_headers plus
/// an expiry outside 1 s .. 7 days, or a query already carrying X-Amz-*
/// signature parameters. Thread-safe.
inline result<query_signature> sign_query(const request_view& request, const credentials_view& credentials,
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
inline std::string_view to_string(verify_failure f) noexcept;

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
inline result<verified_request, verify_error> verify(const request_view& request, const secret_lookup& lookup,
                                              const verify_options& options = {});

}  // namespace sigv4
}  // namespace v0
}  // namespace finops_crawler

// ---------------------------------------------------------------------------
// Definitions
// ---------------------------------------------------------------------------


namespace finops_crawler {
inline namespace v0 {
namespace sigv4 {
namespace detail {

namespace fd = ::finops_crawler::detail;

/// A header in canonical form, stored as offsets into workspace::arena so
/// sorting moves only these small records.
struct header_entry {
  std::uint32_t name_off, name_len, value_off, value_len, index;
};

/// A query parameter in canonical (encoded) form, offsets into workspace::qarena.
struct query_entry {
  std::uint32_t key_off, key_len, value_off, value_len;
};

/// Reusable buffers and OpenSSL contexts for canonicalization and hashing.
/// One per signer (or per stateless call); not thread-safe.
struct workspace {
  std::string arena;
  std::vector<header_entry> headers;
  std::string qarena;
  std::vector<query_entry> params;
  std::string scratch;
  std::vector<std::string_view> segments;
  std::string key_material;  // "AWS4" + secret while deriving; wiped after
  std::string canon_headers;
  std::string credential;
  fd::sha256 sha;
  fd::hmac_sha256 derive_mac;
  fd::hmac_sha256 sign_mac;

  void reset() noexcept {
    arena.clear();
    headers.clear();
    qarena.clear();
    params.clear();
  }
  std::string_view name_of(const header_entry& e) const noexcept { return {arena.data() + e.name_off, e.name_len}; }
  std::string_view value_of(const header_entry& e) const noexcept {
    return {arena.data() + e.value_off, e.value_len};
  }
  std::string_view key_of(const query_entry& e) const noexcept { return {qarena.data() + e.key_off, e.key_len}; }
  std::string_view qvalue_of(const query_entry& e) const noexcept {
    return {qarena.data() + e.value_off, e.value_len};
  }
  bool crypto_ok() const noexcept { return sha.ok() && derive_mac.ok() && sign_mac.ok(); }
};

inline error invalid(std::string msg) { return error(errc::invalid_argument, std::move(msg)); }

inline error crypto_failure() {
  return invalid("OpenSSL SHA-256/HMAC failed (out of memory or the default provider is unavailable)");
}

/// RFC 7230 tchar: the bytes allowed in a header field name.
constexpr bool is_tchar_slow(unsigned char c) noexcept {
  if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')) return true;
  switch (c) {
    case '!': case '#': case '$': case '%': case '&': case '\'': case '*': case '+':
    case '-': case '.': case '^': case '_': case '`': case '|': case '~':
      return true;
    default:
      return false;
  }
}

/// 256-entry table of is_tchar_slow, so validating a name is one load per byte.
struct tchar_table {
  bool v[256] = {};
  constexpr tchar_table() {
    for (int i = 0; i < 256; ++i) v[i] = is_tchar_slow(static_cast<unsigned char>(i));
  }
};
inline constexpr tchar_table tchars{};

constexpr bool is_tchar(unsigned char c) noexcept { return tchars.v[c]; }

constexpr char ascii_lower(char c) noexcept { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c + 32) : c; }

inline bool iequals(std::string_view a, std::string_view b) noexcept {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    if (ascii_lower(a[i]) != ascii_lower(b[i])) return false;
  }
  return true;
}

/// Sets `out` to the concatenation of `parts` with one resize and memcpys
/// (the hot path builds several short strings per request).
inline void assign_concat(std::string& out, std::initializer_list<std::string_view> parts) {
  std::size_t n = 0;
  for (const std::string_view part : parts) n += part.size();
  out.resize(n);
  char* dst = &out[0];
  for (const std::string_view part : parts) {
    if (!part.empty()) std::memcpy(dst, part.data(), part.size());
    dst += part.size();
  }
}

/// Overwrites `src.size()` bytes of `s` at `pos` (same length, no shifting).
inline void overwrite(std::string& s, std::size_t pos, std::string_view src) noexcept {
  if (!src.empty()) std::memcpy(&s[pos], src.data(), src.size());
}

/// A header name safe to quote in a message: printable ASCII, at most 64 bytes.
inline std::string printable(std::string_view s) {
  std::string out;
  for (char ch : s.substr(0, 64)) {
    const auto c = static_cast<unsigned char>(ch);
    out.push_back(c >= 0x20 && c < 0x7f ? ch : '?');
  }
  if (s.size() > 64) out += "...";
  return out;
}

inline std::string header_label(std::size_t index, std::string_view name) {
  return "header #" + std::to_string(index + 1) + " ('" + printable(name) + "')";
}

/// Checks a header name: non-empty RFC 7230 token (so no CR, LF, space,
/// colon or non-ASCII byte).
inline result<void> check_header_name(std::string_view name, std::size_t index) {
  if (name.empty()) return invalid("header #" + std::to_string(index + 1) + " has an empty name");
  bool all_tchar = true;
  for (char ch : name) all_tchar &= is_tchar(static_cast<unsigned char>(ch));
  if (all_tchar) return {};
  for (char ch : name) {
    const auto c = static_cast<unsigned char>(ch);
    if (!is_tchar(c)) {
      const char* what = (c == '\r' || c == '\n') ? "contains CR or LF"
                         : c >= 0x80          ? "contains a non-ASCII byte"
                                              : "contains a character not allowed in a header name";
      return invalid(header_label(index, name) + " name " + what);
    }
  }
  return {};
}

/// Appends the SigV4 canonical form of a header value to `out`: leading and
/// trailing whitespace removed, inner runs of spaces/tabs collapsed to one
/// space, and obsolete line folding (CRLF or LF followed by SP/HT, RFC 7230
/// section 3.2.4) joined with a single space ("Trimall" in the SigV4 docs).
/// Any other CR or LF, or a NUL/control byte, is an error. The value itself
/// is never quoted in the message (it may be a token).
inline result<void> append_canonical_value(std::string& out, std::string_view v, std::size_t index,
                                           std::string_view name) {
  // Fast path (almost every header): trim spaces at both ends; if the rest
  // has no control byte, tab or double space it is already canonical.
  std::size_t b = 0, e = v.size();
  while (b < e && v[b] == ' ') ++b;
  while (e > b && v[e - 1] == ' ') --e;
  bool simple = true;
  for (std::size_t i = b; i < e; ++i) {
    const auto c = static_cast<unsigned char>(v[i]);
    simple &= c > 0x20 || (c == ' ' && v[i + 1] != ' ');
    simple &= c != 0x7f;
  }
  if (simple) {
    out.append(v.data() + b, e - b);
    return {};
  }
  bool pending_space = false;
  bool any = false;
  for (std::size_t i = 0; i < v.size(); ++i) {
    const auto c = static_cast<unsigned char>(v[i]);
    if (c == ' ' || c == '\t') {
      pending_space = any;
      continue;
    }
    if (c == '\r' || c == '\n') {
      std::size_t j = i;
      if (c == '\r') {
        if (j + 1 >= v.size() || v[j + 1] != '\n') {
          return invalid(header_label(index, name) + " value contains a CR not followed by LF");
        }
        ++j;
      }
      if (j + 1 >= v.size() || (v[j + 1] != ' ' && v[j + 1] != '\t')) {
        return invalid(header_label(index, name) +
                       " value contains a line break that is not a folded continuation (CRLF + space)");
      }
      i = j;
      pending_space = any;
      continue;
    }
    if (c < 0x20 || c == 0x7f) {
      return invalid(header_label(index, name) + " value contains a control character");
    }
    if (pending_space) out.push_back(' ');
    pending_space = false;
    out.push_back(static_cast<char>(c));
    any = true;
  }
  return {};
}

/// Adds one header (name lowercased, value canonicalized) to the workspace.
inline result<void> add_header(workspace& ws, std::string_view name, std::string_view value, std::size_t index) {
  if (auto r = check_header_name(name, index); !r) return r;
  if (ws.arena.size() + name.size() + 3 * value.size() > 0xffffffffu) {
    return invalid("request headers are larger than 4 GiB");
  }
  header_entry e{};
  e.name_off = static_cast<std::uint32_t>(ws.arena.size());
  ws.arena.resize(ws.arena.size() + name.size());
  char* dst = &ws.arena[e.name_off];
  for (std::size_t i = 0; i < name.size(); ++i) dst[i] = ascii_lower(name[i]);
  e.name_len = static_cast<std::uint32_t>(name.size());
  e.value_off = static_cast<std::uint32_t>(ws.arena.size());
  if (auto r = append_canonical_value(ws.arena, value, index, name); !r) return r;
  e.value_len = static_cast<std::uint32_t>(ws.arena.size() - e.value_off);
  e.index = static_cast<std::uint32_t>(ws.headers.size());
  ws.headers.push_back(e);
  return {};
}

/// Sorts headers by lowercase name; equal names keep their request order
/// (their values are joined in that order, comma-separated).
inline void sort_headers(workspace& ws) {
  std::sort(ws.headers.begin(), ws.headers.end(), [&ws](const header_entry& a, const header_entry& b) {
    const int c = ws.name_of(a).compare(ws.name_of(b));
    return c != 0 ? c < 0 : a.index < b.index;
  });
}

/// Task 1, canonical headers and signed headers: "name:v1,v2\n" per distinct
/// name, and the names joined with ';'.
inline void append_canonical_headers(const workspace& ws, std::string& canonical, std::string& signed_names) {
  signed_names.clear();
  const std::size_t n = ws.headers.size();
  for (std::size_t i = 0; i < n;) {
    const std::string_view name = ws.name_of(ws.headers[i]);
    canonical.append(name);
    canonical.push_back(':');
    if (!signed_names.empty()) signed_names.push_back(';');
    signed_names.append(name);
    std::size_t j = i;
    for (; j < n && ws.name_of(ws.headers[j]) == name; ++j) {
      if (j != i) canonical.push_back(',');
      canonical.append(ws.value_of(ws.headers[j]));
    }
    canonical.push_back('\n');
    i = j;
  }
}

/// Task 1, canonical URI. With `normalize`, "." and ".." segments are
/// resolved and empty segments ("//") dropped (RFC 3986 section 5.2.4; S3
/// alone skips this); a path ending in '/', "." or ".." keeps a trailing
/// slash. Then each byte outside the unreserved set (except '/') is
/// percent-encoded; with `double_encode` (every service but S3) this applies
/// to the wire path as is, so an escape "%2F" becomes "%252F".
inline void append_canonical_uri(workspace& ws, std::string_view path, bool normalize, bool double_encode,
                                 std::string& out) {
  if (path.empty()) path = "/";
  std::string_view p = path;
  if (normalize) {
    ws.segments.clear();
    bool trailing = false;
    std::size_t pos = 0;
    while (pos <= path.size()) {
      std::size_t end = path.find('/', pos);
      if (end == std::string_view::npos) end = path.size();
      const std::string_view seg = path.substr(pos, end - pos);
      const bool last = end == path.size();
      if (seg == "..") {
        if (!ws.segments.empty()) ws.segments.pop_back();
        trailing = last;
      } else if (seg == ".") {
        trailing = last;
      } else if (seg.empty()) {
        trailing = last;
      } else {
        ws.segments.push_back(seg);
        trailing = false;
      }
      pos = end + 1;
    }
    ws.scratch.clear();
    for (const std::string_view seg : ws.segments) {
      ws.scratch.push_back('/');
      ws.scratch.append(seg);
    }
    if (ws.segments.empty() || trailing) ws.scratch.push_back('/');
    p = ws.scratch;
  }
  if (double_encode) {
    fd::append_uri_encoded(out, p, true);
  } else {
    fd::append_uri_encoded_keep_escapes(out, p, true);
  }
}

/// Adds one query parameter given in wire form: percent-decoded, then
/// re-encoded with the SigV4 rules, so "%e1%88%b4", raw UTF-8 and
/// "%E1%88%B4" all canonicalize alike.
inline void add_query_wire(workspace& ws, std::string_view key, std::string_view value) {
  query_entry e{};
  e.key_off = static_cast<std::uint32_t>(ws.qarena.size());
  ws.scratch.clear();
  fd::append_percent_decoded(ws.scratch, key);
  fd::append_uri_encoded(ws.qarena, ws.scratch);
  e.key_len = static_cast<std::uint32_t>(ws.qarena.size() - e.key_off);
  e.value_off = static_cast<std::uint32_t>(ws.qarena.size());
  ws.scratch.clear();
  fd::append_percent_decoded(ws.scratch, value);
  fd::append_uri_encoded(ws.qarena, ws.scratch);
  e.value_len = static_cast<std::uint32_t>(ws.qarena.size() - e.value_off);
  ws.params.push_back(e);
}

/// Adds a parameter from its decoded form (the X-Amz-* values we create).
inline void add_query_plain(workspace& ws, std::string_view key, std::string_view value) {
  query_entry e{};
  e.key_off = static_cast<std::uint32_t>(ws.qarena.size());
  fd::append_uri_encoded(ws.qarena, key);
  e.key_len = static_cast<std::uint32_t>(ws.qarena.size() - e.key_off);
  e.value_off = static_cast<std::uint32_t>(ws.qarena.size());
  fd::append_uri_encoded(ws.qarena, value);
  e.value_len = static_cast<std::uint32_t>(ws.qarena.size() - e.value_off);
  ws.params.push_back(e);
}

/// Splits a raw query on '&' and each piece at its first '='; empty pieces
/// are skipped and a piece without '=' has an empty value ("key="). With
/// `skip_signature`, X-Amz-Signature is left out (presigned verification).
inline void add_raw_query(workspace& ws, std::string_view query, bool skip_signature) {
  std::size_t pos = 0;
  while (pos < query.size()) {
    std::size_t end = query.find('&', pos);
    if (end == std::string_view::npos) end = query.size();
    const std::string_view piece = query.substr(pos, end - pos);
    pos = end + 1;
    if (piece.empty()) continue;
    const std::size_t eq = piece.find('=');
    const std::string_view key = piece.substr(0, eq);
    const std::string_view value = eq == std::string_view::npos ? std::string_view() : piece.substr(eq + 1);
    if (skip_signature && key == "X-Amz-Signature") continue;
    add_query_wire(ws, key, value);
  }
}

/// Task 1, canonical query string: parameters sorted by encoded key, then by
/// encoded value, joined as "k=v" with '&' (an empty value stays "k=").
inline void append_canonical_query(workspace& ws, std::string& out) {
  std::sort(ws.params.begin(), ws.params.end(), [&ws](const query_entry& a, const query_entry& b) {
    const int c = ws.key_of(a).compare(ws.key_of(b));
    return c != 0 ? c < 0 : ws.qvalue_of(a) < ws.qvalue_of(b);
  });
  bool first = true;
  for (const query_entry& e : ws.params) {
    if (!first) out.push_back('&');
    first = false;
    out.append(ws.key_of(e));
    out.push_back('=');
    out.append(ws.qvalue_of(e));
  }
}

/// Hex SHA-256 of the payload, or UNSIGNED-PAYLOAD.
inline bool payload_hash(workspace& ws, std::string_view payload, payload_mode mode, std::string& out) {
  out.clear();
  if (mode == payload_mode::unsigned_payload) {
    out.assign(unsigned_payload);
    return true;
  }
  fd::sha256_digest d;  // output buffer
  if (!ws.sha.digest(payload, d)) return false;
  out.resize(64);
  fd::hex_encode_lower(d.data(), d.size(), &out[0]);
  return true;
}

/// Task 2: "AWS4-HMAC-SHA256\n<amz date>\n<scope>\n<hex sha256(canonical request)>".
inline bool build_string_to_sign(workspace& ws, std::string_view amz_date, std::string_view scope,
                                 std::string_view canonical_request, std::string& out) {
  fd::sha256_digest d;  // output buffer
  if (!ws.sha.digest(canonical_request, d)) return false;
  char hex[64];
  fd::hex_encode_lower(d.data(), d.size(), hex);
  assign_concat(out, {algorithm, "\n", amz_date, "\n", scope, "\n", std::string_view(hex, 64)});
  return true;
}

/// Task 3, signing key: HMAC chain "AWS4"+secret -> date -> region ->
/// service -> "aws4_request". Four HMACs; the intermediate keys are wiped.
inline bool derive_signing_key(workspace& ws, std::string_view secret, std::string_view date8, std::string_view region,
                               std::string_view service, fd::sha256_digest& key) {
  ws.key_material.assign("AWS4");
  ws.key_material.append(secret);
  fd::sha256_digest k1{}, k2{}, k3{};
  const bool ok = ws.derive_mac.mac(ws.key_material.data(), ws.key_material.size(), date8, k1) &&
                  ws.derive_mac.mac(k1.data(), k1.size(), region, k2) &&
                  ws.derive_mac.mac(k2.data(), k2.size(), service, k3) &&
                  ws.derive_mac.mac(k3.data(), k3.size(), "aws4_request", key);
  fd::secure_wipe(ws.key_material);
  fd::secure_wipe(k1.data(), k1.size());
  fd::secure_wipe(k2.data(), k2.size());
  fd::secure_wipe(k3.data(), k3.size());
  return ok;
}

/// Region, service, access key id: no '/', whitespace or control bytes,
/// since they become parts of the credential scope.
inline result<void> check_scope_part(std::string_view v, const char* what) {
  if (v.empty()) return invalid(std::string(what) + " is empty");
  for (char ch : v) {
    const auto c = static_cast<unsigned char>(ch);
    if (c <= 0x20 || c == 0x7f || c == '/' || c == ',' || c == '=') {
      return invalid(std::string(what) + " contains a character not allowed in a credential scope "
                     "(space, control, '/', ',' or '=')");
    }
  }
  return {};
}

/// Validates everything but the headers; never quotes a secret.
inline result<void> check_common(const request_view& req, const credentials_view& creds, const signing_params& p) {
  if (auto r = check_scope_part(creds.access_key_id, "access key id"); !r) return r;
  if (creds.secret_access_key.empty()) return invalid("secret access key is empty");
  if (auto r = check_scope_part(p.region, "region"); !r) return r;
  if (auto r = check_scope_part(p.service, "service"); !r) return r;
  if (req.method.empty()) return invalid("HTTP method is empty");
  for (char ch : req.method) {
    if (!is_tchar(static_cast<unsigned char>(ch))) return invalid("HTTP method contains a non-token character");
  }
  if (!req.path.empty() && req.path.front() != '/') return invalid("path must start with '/'");
  for (char c : req.path) {
    if (c == '\r' || c == '\n' || c == '\0') return invalid("path contains CR, LF or NUL");
    if (c == '?' || c == '#') return invalid("path contains '?' or '#': pass the query separately, without '?'");
  }
  for (char c : req.query) {
    if (c == '\r' || c == '\n' || c == '\0' || c == '#') return invalid("query contains CR, LF, NUL or '#'");
  }
  for (char c : creds.session_token) {
    if (c == '\r' || c == '\n' || c == '\0') return invalid("session token contains CR, LF or NUL");
  }
  return {};
}

/// Adds the request's headers, rejecting the ones the signer sets itself.
/// Returns whether a Host header was seen through `has_host`.
inline result<void> add_request_headers(workspace& ws, const request_view& req, bool signer_adds_date,
                                        bool signer_adds_token, bool signer_adds_content_sha) {
  bool has_host = false;
  for (std::size_t i = 0; i < req.headers.size(); ++i) {
    const header& h = req.headers[i];
    if (iequals(h.name, "authorization")) {
      return invalid(header_label(i, h.name) + ": the request is already signed; remove Authorization first");
    }
    if (signer_adds_date && iequals(h.name, "x-amz-date")) {
      return invalid(header_label(i, h.name) + ": X-Amz-Date is set by the signer; remove it");
    }
    if (signer_adds_token && iequals(h.name, "x-amz-security-token")) {
      return invalid(header_label(i, h.name) + ": X-Amz-Security-Token is set by the signer; remove it");
    }
    if (signer_adds_content_sha && iequals(h.name, "x-amz-content-sha256")) {
      return invalid(header_label(i, h.name) + ": x-amz-content-sha256 is set by the signer; remove it");
    }
    if (iequals(h.name, "host")) has_host = true;
    if (auto r = add_header(ws, h.name, h.value, i); !r) return r;
  }
  if (!has_host) return invalid("the request has no Host header (SigV4 signs it; add it before signing)");
  return {};
}

/// One cached signing key.
struct cache_entry {
  std::string secret;
  std::string region;
  std::string service;
  char date[8] = {};
  fd::sha256_digest key{};
  bool valid = false;

  void wipe() noexcept {
    fd::secure_wipe(secret);
    fd::secure_wipe(key.data(), key.size());
    region.clear();
    service.clear();
    valid = false;
  }
};

inline constexpr std::size_t cache_slots = 4;

}  // namespace detail

struct signer::impl {
  clock_function clock;
  detail::workspace ws;
  detail::cache_entry cache[detail::cache_slots];
  std::size_t next_slot = 0;
  int loaded_slot = -1;  // which cache key is loaded into ws.sign_mac
  std::uint64_t derivations = 0;
  std::int64_t last_day = INT64_MIN;  // the day last_date was formatted for
  char last_date[16] = {};

  ~impl() {
    for (auto& e : cache) e.wipe();
    tmpl.wipe();
  }

  std::chrono::system_clock::time_point now() const {
    return clock ? clock() : std::chrono::system_clock::now();
  }

  /// Finds or derives the key, and loads it into ws.sign_mac. Secrets are
  /// compared with CRYPTO_memcmp (length is not secret).
  bool load_key(std::string_view secret, std::string_view date8, std::string_view region, std::string_view service) {
    for (std::size_t i = 0; i < detail::cache_slots; ++i) {
      const detail::cache_entry& e = cache[i];
      if (!e.valid || e.region != region || e.service != service || std::string_view(e.date, 8) != date8 ||
          e.secret.size() != secret.size() ||
          !::finops_crawler::detail::constant_time_equal(e.secret.data(), secret.data(), secret.size())) {
        continue;
      }
      if (loaded_slot == static_cast<int>(i)) return ws.sign_mac.reinit();
      loaded_slot = static_cast<int>(i);
      return ws.sign_mac.set_key(e.key.data(), e.key.size());
    }
    const std::size_t slot = next_slot;
    next_slot = (next_slot + 1) % detail::cache_slots;
    detail::cache_entry& e = cache[slot];
    e.wipe();
    if (loaded_slot == static_cast<int>(slot)) loaded_slot = -1;
    if (!detail::derive_signing_key(ws, secret, date8, region, service, e.key)) return false;
    ++derivations;
    e.secret.assign(secret);
    e.region.assign(region);
    e.service.assign(service);
    std::copy(date8.begin(), date8.end(), e.date);
    e.valid = true;
    loaded_slot = static_cast<int>(slot);
    return ws.sign_mac.set_key(e.key.data(), e.key.size());
  }

  /// Common start: validation (skipped when `validated`: the inputs equal
  /// ones already checked), time, scope. Writes amz_date (16 chars).
  result<void> begin(const request_view& req, const credentials_view& creds, const signing_params& p,
                     std::string& amz_date, std::string& scope_out, bool validated = false) {
    if (!ws.crypto_ok()) return detail::crypto_failure();
    if (!validated) {
      if (auto r = detail::check_common(req, creds, p); !r) return r;
    } else if (creds.secret_access_key.empty()) {
      return detail::invalid("secret access key is empty");
    }
    const auto t = p.time ? *p.time : now();
    // The calendar part changes once a day: reuse it and rewrite HHMMSS.
    const std::int64_t secs = ::finops_crawler::detail::unix_seconds(t);
    std::int64_t day = secs / 86400, rem = secs % 86400;
    if (rem < 0) {
      rem += 86400;
      --day;
    }
    if (day != last_day) {
      if (!::finops_crawler::detail::format_amz_date(t, last_date)) {
        return detail::invalid("signing time is outside years 0000..9999");
      }
      last_day = day;
    } else {
      ::finops_crawler::detail::write_digits(last_date + 9, static_cast<std::uint64_t>(rem / 3600), 2);
      ::finops_crawler::detail::write_digits(last_date + 11, static_cast<std::uint64_t>(rem / 60 % 60), 2);
      ::finops_crawler::detail::write_digits(last_date + 13, static_cast<std::uint64_t>(rem % 60), 2);
    }
    amz_date.assign(last_date, 16);
    detail::assign_concat(scope_out, {std::string_view(last_date, 8), "/", p.region, "/", p.service, "/aws4_request"});
    return {};
  }

  /// Task 3: the signature over string_to_sign as 64 hex digits.
  bool sign(const credentials_view& creds, const signing_params& p, std::string_view date8,
            std::string_view string_to_sign, std::string& signature) {
    if (!load_key(creds.secret_access_key, date8, p.region, p.service)) return false;
    ::finops_crawler::detail::sha256_digest mac;  // output buffer
    if (!ws.sign_mac.update(string_to_sign) || !ws.sign_mac.finish(mac)) return false;
    signature.resize(64);
    ::finops_crawler::detail::hex_encode_lower(mac.data(), mac.size(), &signature[0]);
    return true;
  }

  /// Task 1 for header signing, from scratch, into out.canonical_request
  /// and out.signed_headers (out.amz_date and out.payload_hash already set).
  result<void> build_header_canonical(const request_view& req, const credentials_view& creds,
                                      const signing_params& p, header_signature& out) {
    ws.reset();
    const bool has_token = !creds.session_token.empty();
    const bool sign_token = has_token && p.session_token == session_token_mode::sign;
    if (auto r = detail::add_request_headers(ws, req, true, has_token, p.add_content_sha256); !r) return r;
    const std::size_t n = req.headers.size();
    if (auto r = detail::add_header(ws, "x-amz-date", out.amz_date, n); !r) return r;
    if (sign_token) {
      if (auto r = detail::add_header(ws, "x-amz-security-token", creds.session_token, n + 1); !r) return r;
    }
    if (p.add_content_sha256) {
      if (auto r = detail::add_header(ws, "x-amz-content-sha256", out.payload_hash, n + 2); !r) return r;
    }
    detail::sort_headers(ws);

    std::string& cr = out.canonical_request;
    cr.clear();
    cr.append(req.method);
    cr.push_back('\n');
    detail::append_canonical_uri(ws, req.path, p.normalize_path, p.double_encode_path, cr);
    cr.push_back('\n');
    detail::add_raw_query(ws, req.query, false);
    detail::append_canonical_query(ws, cr);
    cr.push_back('\n');
    detail::append_canonical_headers(ws, cr, out.signed_headers);
    cr.push_back('\n');
    cr.append(out.signed_headers);
    cr.push_back('\n');
    cr.append(out.payload_hash);
    return {};
  }

  /// The canonical request of the last header signing and the inputs it
  /// came from. A request whose method, path, query, headers, token, key id,
  /// region, service and options are byte-identical (a crawl: same endpoint
  /// and operation, new time and body) reuses it, rewriting only the
  /// X-Amz-Date value and the payload hash; its inputs were validated when
  /// the template was built. Holds the session token: wiped like keys.
  struct header_template {
    bool valid = false;
    std::string method, path, query, token, key_id, region, service;
    std::vector<std::string> names, values;
    bool normalize = false, double_encode = false, add_sha = false, token_signed = false;
    payload_mode payload = payload_mode::sha256;
    std::string canonical;
    std::string signed_headers;
    std::size_t date_pos = 0;
    std::size_t sha_pos = std::string::npos;

    bool matches(const request_view& req, const credentials_view& creds, const signing_params& p) const noexcept {
      if (!valid || normalize != p.normalize_path || double_encode != p.double_encode_path ||
          add_sha != p.add_content_sha256 || payload != p.payload ||
          token_signed != (p.session_token == session_token_mode::sign) || names.size() != req.headers.size() ||
          method != req.method || path != req.path || query != req.query || key_id != creds.access_key_id ||
          region != p.region || service != p.service || token.size() != creds.session_token.size() ||
          (!token.empty() &&
           !::finops_crawler::detail::constant_time_equal(token.data(), creds.session_token.data(), token.size()))) {
        return false;
      }
      for (std::size_t i = 0; i < names.size(); ++i) {
        if (names[i] != req.headers[i].name || values[i] != req.headers[i].value) return false;
      }
      return true;
    }

    void store(const request_view& req, const credentials_view& creds, const signing_params& p,
               const std::string& cr, const std::string& signed_names) {
      method.assign(req.method);
      path.assign(req.path);
      query.assign(req.query);
      token.assign(creds.session_token);
      key_id.assign(creds.access_key_id);
      region.assign(p.region);
      service.assign(p.service);
      names.resize(req.headers.size());
      values.resize(req.headers.size());
      for (std::size_t i = 0; i < req.headers.size(); ++i) {
        names[i].assign(req.headers[i].name);
        values[i].assign(req.headers[i].value);
      }
      normalize = p.normalize_path;
      double_encode = p.double_encode_path;
      add_sha = p.add_content_sha256;
      payload = p.payload;
      token_signed = p.session_token == session_token_mode::sign;
      canonical.assign(cr);
      signed_headers.assign(signed_names);
      // Header values cannot contain '\n' (folding became spaces), so the
      // first "\nx-amz-date:" is that header's line.
      const std::size_t d = canonical.find("\nx-amz-date:");
      const std::size_t h = add_sha ? canonical.find("\nx-amz-content-sha256:") : std::string::npos;
      if (d == std::string::npos || (add_sha && h == std::string::npos)) return;  // not reusable
      date_pos = d + 12;
      sha_pos = h == std::string::npos ? h : h + 22;
      valid = true;
    }

    void wipe() noexcept {
      valid = false;
      ::finops_crawler::detail::secure_wipe(token);
      ::finops_crawler::detail::secure_wipe(canonical);
    }
  };
  header_template tmpl;

  result<void> sign_headers(const request_view& req, const credentials_view& creds, const signing_params& p,
                            header_signature& out) {
    const bool hit = tmpl.matches(req, creds, p);
    if (auto r = begin(req, creds, p, out.amz_date, out.credential_scope, hit); !r) return r;
    const bool has_token = !creds.session_token.empty();
    if (!detail::payload_hash(ws, req.payload, p.payload, out.payload_hash)) return detail::crypto_failure();
    std::string& cr = out.canonical_request;
    if (hit) {
      // Same request shape as last time: only X-Amz-Date and the payload
      // hash (also in x-amz-content-sha256) differ.
      cr.assign(tmpl.canonical);
      detail::overwrite(cr, tmpl.date_pos, out.amz_date);
      if (tmpl.sha_pos != std::string::npos) detail::overwrite(cr, tmpl.sha_pos, out.payload_hash);
      detail::overwrite(cr, cr.size() - out.payload_hash.size(), out.payload_hash);
      out.signed_headers.assign(tmpl.signed_headers);
    } else {
      tmpl.wipe();
      if (auto r = build_header_canonical(req, creds, p, out); !r) return r;
      tmpl.store(req, creds, p, out.canonical_request, out.signed_headers);
    }

    if (!detail::build_string_to_sign(ws, out.amz_date, out.credential_scope, cr, out.string_to_sign) ||
        !sign(creds, p, std::string_view(out.amz_date).substr(0, 8), out.string_to_sign, out.signature)) {
      return detail::crypto_failure();
    }

    // Task 4: Authorization = algorithm Credential=<id>/<scope>, SignedHeaders=..., Signature=...
    std::string& a = out.authorization;
    detail::assign_concat(a, {algorithm, " Credential=", creds.access_key_id, "/", out.credential_scope,
                              ", SignedHeaders=", out.signed_headers, ", Signature=", out.signature});

    std::size_t k = 0;
    const std::size_t count = 2 + (has_token ? 1 : 0) + (p.add_content_sha256 ? 1 : 0);
    out.headers_to_add.resize(count);
    if (has_token) {
      out.headers_to_add[k].name.assign("X-Amz-Security-Token");
      out.headers_to_add[k++].value.assign(creds.session_token);
    }
    out.headers_to_add[k].name.assign("X-Amz-Date");
    out.headers_to_add[k++].value.assign(out.amz_date);
    if (p.add_content_sha256) {
      out.headers_to_add[k].name.assign("x-amz-content-sha256");
      out.headers_to_add[k++].value.assign(out.payload_hash);
    }
    out.headers_to_add[k].name.assign("Authorization");
    out.headers_to_add[k].value.assign(a);
    return {};
  }

  result<void> sign_query(const request_view& req, const credentials_view& creds, const signing_params& p,
                          query_signature& out) {
    if (auto r = begin(req, creds, p, out.amz_date, out.credential_scope); !r) return r;
    ws.reset();
    if (p.expires.count() < 1 || p.expires > max_presign_expiry) {
      return detail::invalid("presign expiry must be 1 to 604800 seconds (7 days)");
    }
    const bool has_token = !creds.session_token.empty();
    const bool sign_token = has_token && p.session_token == session_token_mode::sign;
    if (auto r = detail::add_request_headers(ws, req, false, false, false); !r) return r;
    detail::sort_headers(ws);
    if (!detail::payload_hash(ws, req.payload, p.payload, out.payload_hash)) return detail::crypto_failure();

    detail::add_raw_query(ws, req.query, false);
    for (const detail::query_entry& e : ws.params) {
      const std::string_view key = ws.key_of(e);
      if (key.size() > 6 && key.substr(0, 6) == "X-Amz-" &&
          (key == "X-Amz-Algorithm" || key == "X-Amz-Credential" || key == "X-Amz-Date" ||
           key == "X-Amz-SignedHeaders" || key == "X-Amz-Expires" || key == "X-Amz-Signature" ||
           (has_token && key == "X-Amz-Security-Token"))) {
        return detail::invalid("query already contains " + std::string(key) + ": the URL is already presigned");
      }
    }

    // Canonical headers first: X-Amz-SignedHeaders needs their names.
    ws.canon_headers.clear();
    detail::append_canonical_headers(ws, ws.canon_headers, out.signed_headers);
    ws.credential.assign(creds.access_key_id);
    ws.credential.push_back('/');
    ws.credential.append(out.credential_scope);
    const std::string expires_str = std::to_string(p.expires.count());  // short: no allocation (SSO)
    detail::add_query_plain(ws, "X-Amz-Algorithm", algorithm);
    detail::add_query_plain(ws, "X-Amz-Credential", ws.credential);
    detail::add_query_plain(ws, "X-Amz-Date", out.amz_date);
    detail::add_query_plain(ws, "X-Amz-SignedHeaders", out.signed_headers);
    detail::add_query_plain(ws, "X-Amz-Expires", expires_str);
    if (sign_token) detail::add_query_plain(ws, "X-Amz-Security-Token", creds.session_token);

    std::string& cr = out.canonical_request;
    cr.clear();
    cr.append(req.method);
    cr.push_back('\n');
    detail::append_canonical_uri(ws, req.path, p.normalize_path, p.double_encode_path, cr);
    cr.push_back('\n');
    detail::append_canonical_query(ws, cr);
    cr.push_back('\n');
    cr.append(ws.canon_headers);
    cr.push_back('\n');
    cr.append(out.signed_headers);
    cr.push_back('\n');
    cr.append(out.payload_hash);

    // Final query: the request's own parameters as sent, then ours in the
    // order AWS SDKs emit them; values encoded like the canonical query.
    std::string& q = out.query;
    q.assign(req.query);
    if (!q.empty()) q.push_back('&');
    q.append("X-Amz-Algorithm=");
    q.append(algorithm);
    q.append("&X-Amz-Credential=");
    ::finops_crawler::detail::append_uri_encoded(q, ws.credential);
    q.append("&X-Amz-Date=");
    q.append(out.amz_date);
    q.append("&X-Amz-SignedHeaders=");
    ::finops_crawler::detail::append_uri_encoded(q, out.signed_headers);
    q.append("&X-Amz-Expires=");
    q.append(expires_str);
    if (has_token) {
      q.append("&X-Amz-Security-Token=");
      ::finops_crawler::detail::append_uri_encoded(q, creds.session_token);
    }

    if (!detail::build_string_to_sign(ws, out.amz_date, out.credential_scope, cr, out.string_to_sign) ||
        !sign(creds, p, std::string_view(out.amz_date).substr(0, 8), out.string_to_sign, out.signature)) {
      return detail::crypto_failure();
    }
    q.append("&X-Amz-Signature=");
    q.append(out.signature);
    return {};
  }
};

inline signer::signer() : impl_(new impl{}) {}
inline signer::signer(clock_function clock) : impl_(new impl{}) { impl_->clock = std::move(clock); }
inline signer::~signer() { delete impl_; }
inline signer::signer(signer&& o) noexcept : impl_(std::exchange(o.impl_, nullptr)) {}
inline signer& signer::operator=(signer&& o) noexcept {
  std::swap(impl_, o.impl_);
  return *this;
}

inline status signer::sign_headers(const request_view& request, const credentials_view& credentials,
                                   const signing_params& params, header_signature& out) {
  if (impl_ == nullptr) return detail::invalid("sigv4::signer used after being moved from");
  return impl_->sign_headers(request, credentials, params, out);
}

inline result<header_signature> signer::sign_headers(const request_view& request, const credentials_view& credentials,
                                                     const signing_params& params) {
  header_signature out;
  if (auto r = sign_headers(request, credentials, params, out); !r) return r.error();
  return out;
}

inline status signer::sign_query(const request_view& request, const credentials_view& credentials,
                                 const signing_params& params, query_signature& out) {
  if (impl_ == nullptr) return detail::invalid("sigv4::signer used after being moved from");
  return impl_->sign_query(request, credentials, params, out);
}

inline result<query_signature> signer::sign_query(const request_view& request, const credentials_view& credentials,
                                                  const signing_params& params) {
  query_signature out;
  if (auto r = sign_query(request, credentials, params, out); !r) return r.error();
  return out;
}

inline std::uint64_t signer::key_derivations() const noexcept { return impl_ ? impl_->derivations : 0; }

inline void signer::clear_cache() noexcept {
  if (impl_ == nullptr) return;
  for (auto& e : impl_->cache) e.wipe();
  impl_->tmpl.wipe();
  impl_->loaded_slot = -1;
}

inline result<header_signature> sign_headers(const request_view& request, const credentials_view& credentials,
                                             const signing_params& params) {
  signer s;
  return s.sign_headers(request, credentials, params);
}

inline result<query_signature> sign_query(const request_view& request, const credentials_view& credentials,
                                          const signing_params& params) {
  signer s;
  return s.sign_query(request, credentials, params);
}

inline std::string_view to_string(verify_failure f) noexcept {
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
inline verify_error verify_fail(verify_failure f, const std::string& detail_msg) {
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

inline std::string_view trim_spaces(std::string_view s) noexcept {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
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

/// Parses "AWS4-HMAC-SHA256 Credential=..., SignedHeaders=..., Signature=...".
inline result<void, verify_error> parse_authorization(std::string_view v, received_auth& out) {
  v = trim_spaces(v);
  if (v.size() <= algorithm.size() || v.substr(0, algorithm.size()) != algorithm ||
      (v[algorithm.size()] != ' ' && v[algorithm.size()] != '\t')) {
    return verify_fail(verify_failure::malformed, "Authorization must start with 'AWS4-HMAC-SHA256 '");
  }
  v.remove_prefix(algorithm.size());
  bool seen_cred = false, seen_signed = false, seen_sig = false;
  std::size_t pos = 0;
  std::size_t parts = 0;
  while (pos <= v.size() && parts < 16) {
    ++parts;
    std::size_t end = v.find(',', pos);
    if (end == std::string_view::npos) end = v.size();
    const std::string_view item = trim_spaces(v.substr(pos, end - pos));
    pos = end + 1;
    const std::size_t eq = item.find('=');
    if (eq == std::string_view::npos) {
      return verify_fail(verify_failure::malformed, "Authorization component without '=' (expected Key=Value)");
    }
    const std::string_view key = item.substr(0, eq);
    const std::string_view value = item.substr(eq + 1);
    bool* seen = nullptr;
    std::string* dest = nullptr;
    if (key == "Credential") {
      seen = &seen_cred;
      dest = &out.credential;
    } else if (key == "SignedHeaders") {
      seen = &seen_signed;
      dest = &out.signed_headers;
    } else if (key == "Signature") {
      seen = &seen_sig;
      dest = &out.signature;
    } else {
      return verify_fail(verify_failure::malformed,
                         "Authorization has an unknown component '" + printable(key) + "'");
    }
    if (*seen) return verify_fail(verify_failure::malformed, "Authorization repeats " + std::string(key));
    *seen = true;
    dest->assign(value);
  }
  if (!seen_cred || !seen_signed || !seen_sig) {
    return verify_fail(verify_failure::malformed,
                       std::string("Authorization lacks ") +
                           (!seen_cred ? "Credential=" : !seen_signed ? "SignedHeaders=" : "Signature="));
  }
  return {};
}

/// Reads the X-Amz-* parameters of a presigned URL (values percent-decoded).
inline result<void, verify_error> parse_presigned_query(std::string_view query, received_auth& out,
                                                        bool& has_token) {
  bool seen_alg = false, seen_cred = false, seen_signed = false, seen_sig = false, seen_date = false,
       seen_exp = false;
  std::string expires;
  std::size_t pos = 0;
  while (pos < query.size()) {
    std::size_t end = query.find('&', pos);
    if (end == std::string_view::npos) end = query.size();
    const std::string_view piece = query.substr(pos, end - pos);
    pos = end + 1;
    const std::size_t eq = piece.find('=');
    const std::string_view key = piece.substr(0, eq);
    const std::string_view raw = eq == std::string_view::npos ? std::string_view() : piece.substr(eq + 1);
    std::string* dest = nullptr;
    bool* seen = nullptr;
    std::string alg;
    if (key == "X-Amz-Algorithm") {
      dest = &alg;
      seen = &seen_alg;
    } else if (key == "X-Amz-Credential") {
      dest = &out.credential;
      seen = &seen_cred;
    } else if (key == "X-Amz-SignedHeaders") {
      dest = &out.signed_headers;
      seen = &seen_signed;
    } else if (key == "X-Amz-Signature") {
      dest = &out.signature;
      seen = &seen_sig;
    } else if (key == "X-Amz-Date") {
      dest = &out.amz_date;
      seen = &seen_date;
    } else if (key == "X-Amz-Expires") {
      dest = &expires;
      seen = &seen_exp;
    } else if (key == "X-Amz-Security-Token") {
      has_token = true;
      continue;
    } else {
      continue;
    }
    if (*seen) return verify_fail(verify_failure::malformed, "query repeats " + std::string(key));
    *seen = true;
    dest->clear();
    ::finops_crawler::detail::append_percent_decoded(*dest, raw);
    if (dest == &alg && alg != algorithm) {
      return verify_fail(verify_failure::malformed, "X-Amz-Algorithm must be AWS4-HMAC-SHA256");
    }
  }
  if (!seen_alg || !seen_cred || !seen_signed || !seen_sig || !seen_date || !seen_exp) {
    return verify_fail(verify_failure::malformed,
                       "presigned URL lacks one of X-Amz-Algorithm, X-Amz-Credential, X-Amz-Date, "
                       "X-Amz-SignedHeaders, X-Amz-Expires, X-Amz-Signature");
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
inline result<void, verify_error> check_signed_headers(std::string_view list, bool need_date) {
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

inline result<verified_request, verify_error> verify(const request_view& request, const secret_lookup& lookup,
                                                     const verify_options& options) {
  namespace fd = ::finops_crawler::detail;
  using detail::verify_fail;
  detail::received_auth auth;
  std::string_view auth_header, date_header, content_sha;
  std::size_t auth_count = 0, date_count = 0, sha_count = 0;
  bool has_token = false;
  for (const header& h : request.headers) {
    if (detail::iequals(h.name, "authorization")) {
      auth_header = h.value;
      ++auth_count;
    } else if (detail::iequals(h.name, "x-amz-date")) {
      date_header = h.value;
      ++date_count;
    } else if (detail::iequals(h.name, "x-amz-content-sha256")) {
      content_sha = detail::trim_spaces(h.value);
      ++sha_count;
    } else if (detail::iequals(h.name, "x-amz-security-token")) {
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
    auth.amz_date.assign(detail::trim_spaces(date_header));
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

  std::string secret;
  if (!lookup || !lookup(key_id, secret) || secret.empty()) {
    fd::secure_wipe(secret);
    return verify_fail(verify_failure::unknown_access_key,
                       "access key id '" + detail::printable(key_id) + "' is not known");
  }

  detail::workspace ws;
  if (!ws.crypto_ok()) {
    fd::secure_wipe(secret);
    return verify_fail(verify_failure::invalid_request, "OpenSSL is unavailable");
  }

  // Payload: x-amz-content-sha256, when sent, must match the body received.
  std::string body_hash;
  if (!detail::payload_hash(ws, request.payload, payload_mode::sha256, body_hash)) {
    fd::secure_wipe(secret);
    return verify_fail(verify_failure::invalid_request, "OpenSSL SHA-256 failed");
  }
  std::string_view payload_hash = body_hash;
  if (sha_count == 1) {
    if (content_sha == unsigned_payload) {
      payload_hash = unsigned_payload;
    } else if (!detail::iequals(content_sha, body_hash)) {
      fd::secure_wipe(secret);
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
      if (!detail::iequals(request.headers[i].name, name)) continue;
      found = true;
      if (auto r = detail::add_header(ws, request.headers[i].name, request.headers[i].value, i); !r) {
        fd::secure_wipe(secret);
        return verify_fail(verify_failure::invalid_request, r.error().message);
      }
    }
    if (!found) {
      fd::secure_wipe(secret);
      return verify_fail(verify_failure::malformed, "signed header '" + std::string(name) + "' is not in the request");
    }
  }
  detail::sort_headers(ws);

  std::string canonical, signed_names, string_to_sign;
  std::string scope(auth.credential.substr(parts[0].size() + 1));
  const auto build_and_check = [&](std::string_view hash) -> bool {
    canonical.clear();
    ws.params.clear();
    ws.qarena.clear();
    canonical.append(request.method);
    canonical.push_back('\n');
    detail::append_canonical_uri(ws, request.path, options.normalize_path, options.double_encode_path, canonical);
    canonical.push_back('\n');
    detail::add_raw_query(ws, request.query, auth.presigned);
    detail::append_canonical_query(ws, canonical);
    canonical.push_back('\n');
    detail::append_canonical_headers(ws, canonical, signed_names);
    canonical.push_back('\n');
    canonical.append(signed_names);
    canonical.push_back('\n');
    canonical.append(hash);
    fd::sha256_digest key{}, mac{};
    const bool ok = detail::build_string_to_sign(ws, auth.amz_date, scope, canonical, string_to_sign) &&
                    detail::derive_signing_key(ws, secret, parts[1], parts[2], parts[3], key) &&
                    ws.sign_mac.mac(key.data(), key.size(), string_to_sign, mac) &&
                    fd::constant_time_equal(mac.data(), received_sig.data(), mac.size());
    fd::secure_wipe(key.data(), key.size());
    fd::secure_wipe(mac.data(), mac.size());
    return ok;
  };
  bool ok = build_and_check(payload_hash);
  // Presigned URLs may sign UNSIGNED-PAYLOAD instead of the body hash (S3
  // style); accept either when no x-amz-content-sha256 header says which.
  if (!ok && auth.presigned && sha_count == 0) ok = build_and_check(unsigned_payload);
  fd::secure_wipe(secret);
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

#endif  // FINOPS_CRAWLER_AWS_SIGV4_HPP
