#ifndef FINOPS_CRAWLER_AWS_SIGV4_CANONICAL_INL_HPP
#define FINOPS_CRAWLER_AWS_SIGV4_CANONICAL_INL_HPP
/// \file
/// Bodies of aws/sigv4_canonical.hpp (included by it in header-only mode,
/// compiled once in src/ otherwise).

#include "finops_crawler/aws/sigv4_canonical.hpp"

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "finops_crawler/aws/sigv4.hpp"
#include "finops_crawler/detail/ascii.hpp"
#include "finops_crawler/detail/crypto.hpp"
#include "finops_crawler/detail/hex.hpp"
#include "finops_crawler/detail/percent_encoding.hpp"
#include "finops_crawler/detail/wipe_on_exit.hpp"

namespace finops_crawler {
inline namespace v0 {
namespace sigv4 {
namespace detail {

FINOPS_CRAWLER_FUNC error invalid(std::string msg) { return error(errc::invalid_argument, std::move(msg)); }

FINOPS_CRAWLER_FUNC error crypto_failure() {
  return invalid("OpenSSL SHA-256/HMAC failed (out of memory or the default provider is unavailable)");
}

FINOPS_CRAWLER_FUNC std::string printable(std::string_view s) {
  std::string out;
  for (char ch : s.substr(0, 64)) {
    const auto c = static_cast<unsigned char>(ch);
    out.push_back(c >= 0x20 && c < 0x7f ? ch : '?');
  }
  if (s.size() > 64) out += "...";
  return out;
}

FINOPS_CRAWLER_FUNC std::string header_label(std::size_t index, std::string_view name) {
  return "header #" + std::to_string(index + 1) + " ('" + printable(name) + "')";
}

FINOPS_CRAWLER_FUNC result<void> check_header_name(std::string_view name, std::size_t index) {
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

FINOPS_CRAWLER_FUNC result<void> append_canonical_value(std::string& out, std::string_view v, std::size_t index,
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
      // RFC 7230 section 3.2.4: a line break is only allowed as obsolete
      // folding, i.e. followed by a space or tab; it canonicalizes to one space.
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

FINOPS_CRAWLER_FUNC result<void> add_header(workspace& ws, std::string_view name, std::string_view value,
                                            std::size_t index) {
  if (auto r = check_header_name(name, index); !r) return r;
  // Offsets are 32-bit to keep header_entry small; a canonical value is at
  // most as long as the wire value, so 3x is a safe bound.
  if (ws.arena.size() + name.size() + 3 * value.size() > 0xffffffffu) {
    return invalid("request headers are larger than 4 GiB");
  }
  header_entry e{};
  e.name_off = static_cast<std::uint32_t>(ws.arena.size());
  ws.arena.resize(ws.arena.size() + name.size());
  char* dst = &ws.arena[e.name_off];
  for (std::size_t i = 0; i < name.size(); ++i) dst[i] = fd::ascii_lower(name[i]);
  e.name_len = static_cast<std::uint32_t>(name.size());
  e.value_off = static_cast<std::uint32_t>(ws.arena.size());
  if (auto r = append_canonical_value(ws.arena, value, index, name); !r) return r;
  e.value_len = static_cast<std::uint32_t>(ws.arena.size() - e.value_off);
  e.index = static_cast<std::uint32_t>(ws.headers.size());
  ws.headers.push_back(e);
  return {};
}

FINOPS_CRAWLER_FUNC void sort_headers(workspace& ws) {
  std::sort(ws.headers.begin(), ws.headers.end(), [&ws](const header_entry& a, const header_entry& b) {
    const int c = ws.name_of(a).compare(ws.name_of(b));
    return c != 0 ? c < 0 : a.index < b.index;
  });
}

FINOPS_CRAWLER_FUNC void append_canonical_headers(const workspace& ws, std::string& out) {
  const std::size_t n = ws.headers.size();
  for (std::size_t i = 0; i < n;) {
    const std::string_view name = ws.name_of(ws.headers[i]);
    out.append(name);
    out.push_back(':');
    std::size_t j = i;
    for (; j < n && ws.name_of(ws.headers[j]) == name; ++j) {
      if (j != i) out.push_back(',');
      out.append(ws.value_of(ws.headers[j]));
    }
    out.push_back('\n');
    i = j;
  }
}

FINOPS_CRAWLER_FUNC void signed_header_names(const workspace& ws, std::string& out) {
  out.clear();
  std::string_view prev;
  for (const header_entry& e : ws.headers) {
    const std::string_view name = ws.name_of(e);
    if (!out.empty() && name == prev) continue;  // sorted: repeats are adjacent
    if (!out.empty()) out.push_back(';');
    out.append(name);
    prev = name;
  }
}

FINOPS_CRAWLER_FUNC void append_canonical_uri(workspace& ws, std::string_view path, bool normalize,
                                              bool double_encode, std::string& out) {
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

FINOPS_CRAWLER_FUNC void add_query_wire(workspace& ws, std::string_view key, std::string_view value) {
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

FINOPS_CRAWLER_FUNC void add_query_plain(workspace& ws, std::string_view key, std::string_view value) {
  query_entry e{};
  e.key_off = static_cast<std::uint32_t>(ws.qarena.size());
  fd::append_uri_encoded(ws.qarena, key);
  e.key_len = static_cast<std::uint32_t>(ws.qarena.size() - e.key_off);
  e.value_off = static_cast<std::uint32_t>(ws.qarena.size());
  fd::append_uri_encoded(ws.qarena, value);
  e.value_len = static_cast<std::uint32_t>(ws.qarena.size() - e.value_off);
  ws.params.push_back(e);
}

FINOPS_CRAWLER_FUNC void add_raw_query(workspace& ws, std::string_view query, bool skip_signature) {
  for_each_query_param(query, [&ws, skip_signature](std::string_view key, std::string_view value) {
    if (!skip_signature || key != "X-Amz-Signature") add_query_wire(ws, key, value);
    return true;
  });
}

FINOPS_CRAWLER_FUNC void append_canonical_query(workspace& ws, std::string& out) {
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

FINOPS_CRAWLER_FUNC void build_canonical_request(workspace& ws, const canonical_request_parts& parts,
                                                 std::string& out, std::string& signed_headers) {
  signed_header_names(ws, signed_headers);
  out.clear();
  out.append(parts.method);
  out.push_back('\n');
  append_canonical_uri(ws, parts.path, parts.normalize_path, parts.double_encode_path, out);
  out.push_back('\n');
  append_canonical_query(ws, out);
  out.push_back('\n');
  append_canonical_headers(ws, out);
  out.push_back('\n');
  out.append(signed_headers);
  out.push_back('\n');
  out.append(parts.payload_hash);
}

FINOPS_CRAWLER_FUNC bool payload_hash(workspace& ws, std::string_view payload, payload_mode mode, std::string& out) {
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

FINOPS_CRAWLER_FUNC bool build_string_to_sign(workspace& ws, std::string_view amz_date, std::string_view scope,
                                              std::string_view canonical_request, std::string& out) {
  fd::sha256_digest d;  // output buffer
  if (!ws.sha.digest(canonical_request, d)) return false;
  char hex[64];
  fd::hex_encode_lower(d.data(), d.size(), hex);
  assign_concat(out, {algorithm, "\n", amz_date, "\n", scope, "\n", std::string_view(hex, 64)});
  return true;
}

FINOPS_CRAWLER_FUNC bool derive_signing_key(workspace& ws, std::string_view secret, std::string_view date8,
                                            std::string_view region, std::string_view service,
                                            fd::sha256_digest& key) {
  ws.key_material.assign("AWS4");
  ws.key_material.append(secret);
  const fd::wipe_on_exit wipe_material(ws.key_material);
  fd::sha256_digest k[3] = {};  // kDate, kRegion, kService
  const fd::wipe_on_exit wipe_k(k, sizeof k);
  return ws.derive_mac.mac(ws.key_material.data(), ws.key_material.size(), date8, k[0]) &&
         ws.derive_mac.mac(k[0].data(), k[0].size(), region, k[1]) &&
         ws.derive_mac.mac(k[1].data(), k[1].size(), service, k[2]) &&
         ws.derive_mac.mac(k[2].data(), k[2].size(), "aws4_request", key);
}

FINOPS_CRAWLER_FUNC result<void> check_scope_part(std::string_view v, const char* what) {
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

FINOPS_CRAWLER_FUNC result<void> check_common(const request_view& req, const credentials_view& creds,
                                              const signing_params& p) {
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

FINOPS_CRAWLER_FUNC result<void> add_request_headers(workspace& ws, const request_view& req, bool signer_adds_date,
                                                     bool signer_adds_token, bool signer_adds_content_sha) {
  bool has_host = false;
  for (std::size_t i = 0; i < req.headers.size(); ++i) {
    const header& h = req.headers[i];
    if (fd::iequals(h.name, "authorization")) {
      return invalid(header_label(i, h.name) + ": the request is already signed; remove Authorization first");
    }
    if (signer_adds_date && fd::iequals(h.name, "x-amz-date")) {
      return invalid(header_label(i, h.name) + ": X-Amz-Date is set by the signer; remove it");
    }
    if (signer_adds_token && fd::iequals(h.name, "x-amz-security-token")) {
      return invalid(header_label(i, h.name) + ": X-Amz-Security-Token is set by the signer; remove it");
    }
    if (signer_adds_content_sha && fd::iequals(h.name, "x-amz-content-sha256")) {
      return invalid(header_label(i, h.name) + ": x-amz-content-sha256 is set by the signer; remove it");
    }
    if (fd::iequals(h.name, "host")) has_host = true;
    if (auto r = add_header(ws, h.name, h.value, i); !r) return r;
  }
  if (!has_host) return invalid("the request has no Host header (SigV4 signs it; add it before signing)");
  return {};
}

}  // namespace detail
}  // namespace sigv4
}  // namespace v0
}  // namespace finops_crawler

#endif  // FINOPS_CRAWLER_AWS_SIGV4_CANONICAL_INL_HPP
