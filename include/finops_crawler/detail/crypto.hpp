#ifndef FINOPS_CRAWLER_DETAIL_CRYPTO_HPP
#define FINOPS_CRAWLER_DETAIL_CRYPTO_HPP
/// \file
/// SHA-256 and HMAC-SHA256 over OpenSSL 3 libcrypto (EVP_MD / EVP_MAC; no
/// deprecated calls), constant-time comparison and secure wiping. Not API.
///
/// The classes own one OpenSSL context each and reuse it across calls, which
/// is what makes repeated hashing cheap. Each object: one thread at a time;
/// distinct objects are independent. Functions return false only when
/// OpenSSL fails (out of memory, provider missing); callers turn that into
/// an error value.

#include <array>
#include <cstddef>
#include <string>
#include <string_view>
#include <utility>

#include <openssl/crypto.h>
#include <openssl/core_names.h>
#include <openssl/evp.h>
#include <openssl/params.h>

namespace finops_crawler {
inline namespace v0 {
namespace detail {

/// A SHA-256 (or HMAC-SHA256) output: 32 bytes.
using sha256_digest = std::array<unsigned char, 32>;

/// True when `a[0..n)` equals `b[0..n)`; time depends only on n.
inline bool constant_time_equal(const void* a, const void* b, std::size_t n) noexcept {
  return CRYPTO_memcmp(a, b, n) == 0;
}

/// Overwrites `n` bytes at `p` in a way the compiler cannot elide.
inline void secure_wipe(void* p, std::size_t n) noexcept {
  if (p != nullptr && n != 0) OPENSSL_cleanse(p, n);
}

/// Wipes the whole buffer of `s` (its capacity, not just its size) and
/// empties it; the capacity is kept.
inline void secure_wipe(std::string& s) noexcept {
  s.resize(s.capacity());  // never reallocates: size <= capacity
  secure_wipe(&s[0], s.size());
  s.clear();
}

/// One-shot SHA-256 of `data` into `out`. Thread-safe. Returns false if
/// OpenSSL fails.
inline bool sha256_oneshot(std::string_view data, sha256_digest& out) noexcept {
  unsigned int len = 0;
  return EVP_Digest(data.data(), data.size(), out.data(), &len, EVP_sha256(), nullptr) == 1 &&
         len == out.size();
}

/// Incremental SHA-256 reusing one EVP_MD_CTX and one fetched EVP_MD.
///
/// Move-only. Construction allocates; ok() reports whether it succeeded.
/// Cost per digest: the hash itself plus a few hundred nanoseconds of EVP
/// bookkeeping; no allocation after construction.
class sha256 {
 public:
  sha256() noexcept : md_(EVP_MD_fetch(nullptr, "SHA256", nullptr)), ctx_(EVP_MD_CTX_new()) {}
  ~sha256() {
    EVP_MD_CTX_free(ctx_);
    EVP_MD_free(md_);
  }
  sha256(sha256&& o) noexcept : md_(std::exchange(o.md_, nullptr)), ctx_(std::exchange(o.ctx_, nullptr)) {}
  sha256& operator=(sha256&& o) noexcept {
    std::swap(md_, o.md_);
    std::swap(ctx_, o.ctx_);
    return *this;
  }
  sha256(const sha256&) = delete;
  sha256& operator=(const sha256&) = delete;

  /// Whether the OpenSSL objects were created.
  bool ok() const noexcept { return md_ != nullptr && ctx_ != nullptr; }

  /// Starts a new digest.
  bool init() noexcept { return ok() && EVP_DigestInit_ex2(ctx_, md_, nullptr) == 1; }
  /// Feeds bytes.
  bool update(const void* data, std::size_t n) noexcept { return EVP_DigestUpdate(ctx_, data, n) == 1; }
  bool update(std::string_view s) noexcept { return update(s.data(), s.size()); }
  /// Finishes into `out`; init() again before reuse.
  bool finish(sha256_digest& out) noexcept {
    unsigned int len = 0;
    return EVP_DigestFinal_ex(ctx_, out.data(), &len) == 1 && len == out.size();
  }
  /// init + update + finish.
  bool digest(std::string_view data, sha256_digest& out) noexcept {
    return init() && update(data) && finish(out);
  }

 private:
  EVP_MD* md_;
  EVP_MD_CTX* ctx_;
};

/// HMAC-SHA256 reusing one EVP_MAC_CTX.
///
/// set_key() derives the inner/outer pad state for a key; reinit() restarts
/// with the key already loaded, skipping that work (two SHA-256 blocks), which
/// the SigV4 signer uses when the signing key has not changed. Move-only;
/// the context holds key-derived state, and EVP_MAC_CTX_free wipes it.
class hmac_sha256 {
 public:
  hmac_sha256() noexcept : mac_(EVP_MAC_fetch(nullptr, "HMAC", nullptr)) {
    if (mac_ == nullptr) return;
    ctx_ = EVP_MAC_CTX_new(mac_);
    if (ctx_ == nullptr) return;
    char digest_name[] = "SHA256";
    const OSSL_PARAM params[] = {OSSL_PARAM_construct_utf8_string(OSSL_MAC_PARAM_DIGEST, digest_name, 0),
                                 OSSL_PARAM_construct_end()};
    if (EVP_MAC_CTX_set_params(ctx_, params) != 1) {
      EVP_MAC_CTX_free(ctx_);
      ctx_ = nullptr;
    }
  }
  ~hmac_sha256() {
    EVP_MAC_CTX_free(ctx_);
    EVP_MAC_free(mac_);
  }
  hmac_sha256(hmac_sha256&& o) noexcept
      : mac_(std::exchange(o.mac_, nullptr)), ctx_(std::exchange(o.ctx_, nullptr)) {}
  hmac_sha256& operator=(hmac_sha256&& o) noexcept {
    std::swap(mac_, o.mac_);
    std::swap(ctx_, o.ctx_);
    return *this;
  }
  hmac_sha256(const hmac_sha256&) = delete;
  hmac_sha256& operator=(const hmac_sha256&) = delete;

  /// Whether the OpenSSL objects were created.
  bool ok() const noexcept { return ctx_ != nullptr; }

  /// Starts a MAC under a new key (the key bytes are not retained by us).
  bool set_key(const void* key, std::size_t n) noexcept {
    // EVP_MAC_init rejects a NULL key pointer even with length 0.
    static const unsigned char empty = 0;
    return ok() && EVP_MAC_init(ctx_, n == 0 ? &empty : static_cast<const unsigned char*>(key), n, nullptr) == 1;
  }
  /// Starts a MAC under the key given to the last set_key().
  bool reinit() noexcept { return ok() && EVP_MAC_init(ctx_, nullptr, 0, nullptr) == 1; }
  /// Feeds bytes.
  bool update(const void* data, std::size_t n) noexcept {
    return EVP_MAC_update(ctx_, static_cast<const unsigned char*>(data), n) == 1;
  }
  bool update(std::string_view s) noexcept { return update(s.data(), s.size()); }
  /// Finishes into `out`.
  bool finish(sha256_digest& out) noexcept {
    std::size_t len = 0;
    return EVP_MAC_final(ctx_, out.data(), &len, out.size()) == 1 && len == out.size();
  }
  /// set_key + update + finish.
  bool mac(const void* key, std::size_t key_len, std::string_view data, sha256_digest& out) noexcept {
    return set_key(key, key_len) && update(data) && finish(out);
  }

 private:
  EVP_MAC* mac_ = nullptr;
  EVP_MAC_CTX* ctx_ = nullptr;
};

}  // namespace detail
}  // namespace v0
}  // namespace finops_crawler

#endif  // FINOPS_CRAWLER_DETAIL_CRYPTO_HPP
