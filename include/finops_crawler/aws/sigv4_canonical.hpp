#ifndef FINOPS_CRAWLER_AWS_SIGV4_CANONICAL_HPP
#define FINOPS_CRAWLER_AWS_SIGV4_CANONICAL_HPP
/// \file
/// SigV4 tasks 1 to 3 as building blocks, shared by the signer
/// (aws/sigv4.hpp) and the verifier (aws/sigv4_verifier.hpp): canonical
/// header values, URI and query, the one canonical-request builder, the
/// payload hash, the string to sign and the signing key. Not API (namespace
/// `sigv4::detail`); tests call some of these directly. Depends on the
/// standard library and OpenSSL libcrypto only.
///
/// Everything works in a `workspace`, whose buffers and OpenSSL contexts are
/// reused from one request to the next; none of these functions allocates
/// once the buffers have grown to the size of the requests seen. Functions
/// returning bool return false only when OpenSSL fails.

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <initializer_list>
#include <string>
#include <string_view>
#include <vector>

#include "finops_crawler/config.hpp"
#include "finops_crawler/detail/crypto.hpp"
#include "finops_crawler/result.hpp"

namespace finops_crawler {
inline namespace v0 {
namespace sigv4 {

// Defined in aws/sigv4.hpp. Only declared here, so that this header and the
// signer's can include each other's bodies in either order (header-only mode).
struct request_view;
struct credentials_view;
struct signing_params;
enum class payload_mode : std::uint8_t;

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
/// One per signer (or per stateless call or verification); one thread at a
/// time. Construction allocates the OpenSSL contexts; crypto_ok() says
/// whether that worked.
struct workspace {
  std::string arena;                      ///< canonical header names and values
  std::vector<header_entry> headers;      ///< the headers to sign, into arena
  std::string qarena;                     ///< encoded query keys and values
  std::vector<query_entry> params;        ///< the query parameters, into qarena
  std::string scratch;                    ///< normalized path, decoded query pieces
  std::vector<std::string_view> segments; ///< path segments while normalizing
  std::string key_material;               ///< "AWS4" + secret while deriving; wiped after
  std::string credential;                 ///< "<key id>/<scope>" (query signing)
  fd::sha256 sha;
  fd::hmac_sha256 derive_mac;
  fd::hmac_sha256 sign_mac;

  /// Forgets the headers and query parameters (keeps the capacity).
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

/// An errc::invalid_argument error with `msg`.
error invalid(std::string msg);

/// The error for an OpenSSL failure (out of memory, provider missing).
error crypto_failure();

/// RFC 7230 tchar: the bytes allowed in a header field name (and a method).
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

/// Whether `c` may appear in a header name.
constexpr bool is_tchar(unsigned char c) noexcept { return tchars.v[c]; }

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

/// `s` safe to quote in a message: printable ASCII ('?' for other bytes), at
/// most 64 bytes (then "...").
std::string printable(std::string_view s);

/// "header #<index + 1> ('<printable name>')", for messages.
std::string header_label(std::size_t index, std::string_view name);

/// Checks a header name: a non-empty RFC 7230 token (so no CR, LF, space,
/// colon or non-ASCII byte). `index` (0-based) numbers it in the message.
result<void> check_header_name(std::string_view name, std::size_t index);

/// Appends the SigV4 canonical form of a header value to `out`: leading and
/// trailing whitespace removed, inner runs of spaces/tabs collapsed to one
/// space, and obsolete line folding (CRLF or LF followed by SP/HT, RFC 7230
/// section 3.2.4) joined with a single space ("Trimall" in the SigV4 docs).
/// Any other CR or LF, or a NUL/control byte, is an error. The value itself
/// is never quoted in the message (it may be a token).
result<void> append_canonical_value(std::string& out, std::string_view v, std::size_t index, std::string_view name);

/// Adds one header (name lowercased, value canonicalized) to the workspace.
/// Errors as check_header_name and append_canonical_value.
result<void> add_header(workspace& ws, std::string_view name, std::string_view value, std::size_t index);

/// Sorts the headers by lowercase name; equal names keep their request order
/// (their values are joined in that order, comma-separated).
void sort_headers(workspace& ws);

/// Task 1, canonical headers: "name:v1,v2\n" per distinct name, appended to
/// `out`. Precondition: sort_headers.
void append_canonical_headers(const workspace& ws, std::string& out);

/// Task 1, signed headers: the distinct lowercase names joined with ';'
/// ("host;x-amz-date"), into `out`. Precondition: sort_headers.
void signed_header_names(const workspace& ws, std::string& out);

/// Task 1, canonical URI, appended to `out`. With `normalize`, "." and ".."
/// segments are resolved and empty segments ("//") dropped (RFC 3986 section
/// 5.2.4; S3 alone skips this); a path ending in '/', "." or ".." keeps a
/// trailing slash. Then each byte outside the unreserved set (except '/') is
/// percent-encoded; with `double_encode` (every service but S3) this applies
/// to the wire path as is, so an escape "%2F" becomes "%252F".
void append_canonical_uri(workspace& ws, std::string_view path, bool normalize, bool double_encode, std::string& out);

/// Adds one query parameter given in wire form: percent-decoded, then
/// re-encoded with the SigV4 rules, so "%e1%88%b4", raw UTF-8 and
/// "%E1%88%B4" all canonicalize alike.
void add_query_wire(workspace& ws, std::string_view key, std::string_view value);

/// Adds a parameter from its decoded form (the X-Amz-* values we create).
void add_query_plain(workspace& ws, std::string_view key, std::string_view value);

/// Calls `f(key, value)` for each parameter of a raw query (no '?'): split
/// on '&', each piece at its first '='; empty pieces are skipped and a piece
/// without '=' has an empty value. Key and value are as on the wire (not
/// decoded). `f` returns false to stop; returns false when it did.
template <class F>
bool for_each_query_param(std::string_view query, F&& f) {
  std::size_t pos = 0;
  while (pos < query.size()) {
    std::size_t end = query.find('&', pos);
    if (end == std::string_view::npos) end = query.size();
    const std::string_view piece = query.substr(pos, end - pos);
    pos = end + 1;
    if (piece.empty()) continue;
    const std::size_t eq = piece.find('=');
    if (!f(piece.substr(0, eq), eq == std::string_view::npos ? std::string_view() : piece.substr(eq + 1))) {
      return false;
    }
  }
  return true;
}

/// Adds every parameter of a raw query (see for_each_query_param), so "key"
/// alone canonicalizes as "key=". With `skip_signature`, X-Amz-Signature is
/// left out (presigned verification).
void add_raw_query(workspace& ws, std::string_view query, bool skip_signature);

/// Task 1, canonical query string, appended to `out`: parameters sorted by
/// encoded key, then by encoded value, joined as "k=v" with '&' (an empty
/// value stays "k="). Sorts ws.params in place (so calling again is cheap
/// and gives the same string).
void append_canonical_query(workspace& ws, std::string& out);

/// What task 1 needs besides the headers and query parameters held by the
/// workspace. Borrowed views.
struct canonical_request_parts {
  std::string_view method;        ///< verbatim, e.g. "POST"
  std::string_view path;          ///< the wire path ("" means "/")
  bool normalize_path = true;     ///< see signing_params::normalize_path
  bool double_encode_path = true; ///< see signing_params::double_encode_path
  std::string_view payload_hash;  ///< hex SHA-256 or UNSIGNED-PAYLOAD
};

/// Task 1, the one canonical-request builder (header signing, query signing
/// and verification all use it). Writes into `out`
///
///   <method>\n<canonical URI>\n<canonical query>\n<canonical headers>\n<signed headers>\n<payload hash>
///
/// (the canonical headers end with their own '\n'), and the signed header
/// names into `signed_headers`. Precondition: ws.headers holds every header
/// to sign, sorted (add_header, sort_headers), and ws.params every query
/// parameter (add_raw_query, add_query_plain). Neither is consumed: building
/// again with another payload hash gives the same request with that hash.
/// Cannot fail (the inputs were validated when added).
void build_canonical_request(workspace& ws, const canonical_request_parts& parts, std::string& out,
                             std::string& signed_headers);

/// The payload hash into `out`: the lowercase hex SHA-256 of `payload`, or
/// UNSIGNED-PAYLOAD.
bool payload_hash(workspace& ws, std::string_view payload, payload_mode mode, std::string& out);

/// Task 2: "AWS4-HMAC-SHA256\n<amz date>\n<scope>\n<hex sha256(canonical request)>" into `out`.
bool build_string_to_sign(workspace& ws, std::string_view amz_date, std::string_view scope,
                          std::string_view canonical_request, std::string& out);

/// Task 3, signing key: HMAC chain "AWS4"+secret -> date -> region ->
/// service -> "aws4_request", into `key`. Four HMACs; the intermediate keys
/// and the copy of the secret are wiped.
bool derive_signing_key(workspace& ws, std::string_view secret, std::string_view date8, std::string_view region,
                        std::string_view service, fd::sha256_digest& key);

/// Region, service, access key id: not empty, and no whitespace, control
/// byte, '/', ',' or '=', since they become parts of the credential scope.
/// `what` names the part in the message.
result<void> check_scope_part(std::string_view v, const char* what);

/// Validates everything of a signing request but the headers (credentials,
/// region, service, method, path, query, token); never quotes a secret.
result<void> check_common(const request_view& req, const credentials_view& creds, const signing_params& p);

/// Adds the request's headers to the workspace, rejecting Authorization and
/// the ones the signer sets itself (X-Amz-Date, X-Amz-Security-Token,
/// x-amz-content-sha256, each when the flag says the signer adds it), and
/// requiring a Host header.
result<void> add_request_headers(workspace& ws, const request_view& req, bool signer_adds_date,
                                 bool signer_adds_token, bool signer_adds_content_sha);

}  // namespace detail
}  // namespace sigv4
}  // namespace v0
}  // namespace finops_crawler

#if FINOPS_CRAWLER_HEADER_ONLY
#include "finops_crawler/aws/sigv4_canonical-inl.hpp"
#endif

#endif  // FINOPS_CRAWLER_AWS_SIGV4_CANONICAL_HPP
