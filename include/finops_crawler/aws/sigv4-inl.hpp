#ifndef FINOPS_CRAWLER_AWS_SIGV4_INL_HPP
#define FINOPS_CRAWLER_AWS_SIGV4_INL_HPP
/// \file
/// Bodies of aws/sigv4.hpp, the signer (included by it in header-only mode,
/// compiled once in src/ otherwise). Canonicalization, the string to sign
/// and key derivation are in aws/sigv4_canonical.hpp.

#include "finops_crawler/aws/sigv4.hpp"

#include <algorithm>
#include <chrono>
#include <climits>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "finops_crawler/aws/sigv4_canonical.hpp"
#include "finops_crawler/detail/crypto.hpp"
#include "finops_crawler/detail/hex.hpp"
#include "finops_crawler/detail/percent_encoding.hpp"
#include "finops_crawler/detail/time.hpp"

namespace finops_crawler {
inline namespace v0 {
namespace sigv4 {
namespace detail {

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

/// How many derived keys a signer keeps (replaced round-robin, oldest first).
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
    detail::add_raw_query(ws, req.query, false);
    const detail::canonical_request_parts parts{req.method, req.path, p.normalize_path, p.double_encode_path,
                                                out.payload_hash};
    detail::build_canonical_request(ws, parts, out.canonical_request, out.signed_headers);
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

    // X-Amz-SignedHeaders is itself a signed query parameter.
    detail::signed_header_names(ws, out.signed_headers);
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
    const detail::canonical_request_parts parts{req.method, req.path, p.normalize_path, p.double_encode_path,
                                                out.payload_hash};
    detail::build_canonical_request(ws, parts, cr, out.signed_headers);

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

FINOPS_CRAWLER_FUNC signer::signer() : impl_(new impl{}) {}
FINOPS_CRAWLER_FUNC signer::signer(clock_function clock) : impl_(new impl{}) { impl_->clock = std::move(clock); }
FINOPS_CRAWLER_FUNC signer::~signer() { delete impl_; }
FINOPS_CRAWLER_FUNC signer::signer(signer&& o) noexcept : impl_(std::exchange(o.impl_, nullptr)) {}
FINOPS_CRAWLER_FUNC signer& signer::operator=(signer&& o) noexcept {
  std::swap(impl_, o.impl_);
  return *this;
}

FINOPS_CRAWLER_FUNC status signer::sign_headers(const request_view& request, const credentials_view& credentials,
                                                const signing_params& params, header_signature& out) {
  if (impl_ == nullptr) return detail::invalid("sigv4::signer used after being moved from");
  return impl_->sign_headers(request, credentials, params, out);
}

FINOPS_CRAWLER_FUNC result<header_signature> signer::sign_headers(const request_view& request,
                                                                  const credentials_view& credentials,
                                                                  const signing_params& params) {
  header_signature out;
  if (auto r = sign_headers(request, credentials, params, out); !r) return r.error();
  return out;
}

FINOPS_CRAWLER_FUNC status signer::sign_query(const request_view& request, const credentials_view& credentials,
                                              const signing_params& params, query_signature& out) {
  if (impl_ == nullptr) return detail::invalid("sigv4::signer used after being moved from");
  return impl_->sign_query(request, credentials, params, out);
}

FINOPS_CRAWLER_FUNC result<query_signature> signer::sign_query(const request_view& request,
                                                               const credentials_view& credentials,
                                                               const signing_params& params) {
  query_signature out;
  if (auto r = sign_query(request, credentials, params, out); !r) return r.error();
  return out;
}

FINOPS_CRAWLER_FUNC std::uint64_t signer::key_derivations() const noexcept { return impl_ ? impl_->derivations : 0; }

FINOPS_CRAWLER_FUNC void signer::clear_cache() noexcept {
  if (impl_ == nullptr) return;
  for (auto& e : impl_->cache) e.wipe();
  impl_->tmpl.wipe();
  impl_->loaded_slot = -1;
}

FINOPS_CRAWLER_FUNC result<header_signature> sign_headers(const request_view& request,
                                                          const credentials_view& credentials,
                                                          const signing_params& params) {
  signer s;
  return s.sign_headers(request, credentials, params);
}

FINOPS_CRAWLER_FUNC result<query_signature> sign_query(const request_view& request, const credentials_view& credentials,
                                                       const signing_params& params) {
  signer s;
  return s.sign_query(request, credentials, params);
}

}  // namespace sigv4
}  // namespace v0
}  // namespace finops_crawler

#endif  // FINOPS_CRAWLER_AWS_SIGV4_INL_HPP
