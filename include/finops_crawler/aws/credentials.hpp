#ifndef FINOPS_CRAWLER_AWS_CREDENTIALS_HPP
#define FINOPS_CRAWLER_AWS_CREDENTIALS_HPP
/// \file
/// AWS credentials, and the static part of the credential chain:
///
///  1. explicit values in `credential_options`;
///  2. environment: AWS_ACCESS_KEY_ID + AWS_SECRET_ACCESS_KEY
///     (+ AWS_SESSION_TOKEN);
///  3. the shared credentials file (AWS_SHARED_CREDENTIALS_FILE, else
///     ~/.aws/credentials), section `[PROFILE]`;
///  4. the config file (AWS_CONFIG_FILE, else ~/.aws/config), section
///     `[default]` / `[profile PROFILE]`.
///
/// PROFILE is the `profile` option, else AWS_PROFILE, else "default".
/// resolve_credentials() looks only at these static sources. The whole
/// chain (assume-role, web identity, SSO, login_session, credential_process,
/// container, IMDS, refreshed before expiry) is credential_provider_chain.hpp,
/// which aws::session runs; it reads the environment and the profiles'
/// keys through the functions below.
///
/// Depends on the standard library and libcrypto (OPENSSL_cleanse) only.

#include <chrono>
#include <cstddef>
#include <memory>
#include <optional>
#include <ostream>
#include <string>
#include <string_view>
#include <utility>

#include <openssl/crypto.h>

#include "finops_crawler/aws/environment.hpp"
#include "finops_crawler/aws/shared_config.hpp"
#include "finops_crawler/config.hpp"
#include "finops_crawler/detail/time.hpp"
#include "finops_crawler/result.hpp"

namespace finops_crawler {
inline namespace v0 {
namespace aws {

namespace detail {

/// Heap bytes that are overwritten (OPENSSL_cleanse) before they are freed:
/// on destruction, on assignment over them, and when moved from (a move
/// steals the pointer, so no copy is left behind). Copying allocates a second
/// buffer that is wiped independently.
class secret_buffer {
 public:
  secret_buffer() = default;
  explicit secret_buffer(std::string_view s) { assign(s); }
  secret_buffer(const secret_buffer& o) { assign(o.view()); }
  secret_buffer(secret_buffer&& o) noexcept : data_(std::move(o.data_)), size_(o.size_) { o.size_ = 0; }
  secret_buffer& operator=(const secret_buffer& o) {
    if (this != &o) assign(o.view());
    return *this;
  }
  secret_buffer& operator=(secret_buffer&& o) noexcept {
    if (this != &o) {
      release();
      data_ = std::move(o.data_);
      size_ = o.size_;
      o.size_ = 0;
    }
    return *this;
  }
  ~secret_buffer() { release(); }

  std::string_view view() const noexcept { return data_ ? std::string_view(data_.get(), size_) : std::string_view(); }
  bool empty() const noexcept { return size_ == 0; }

  /// Wipes and frees the bytes.
  void release() noexcept {
    if (data_ && size_ != 0) OPENSSL_cleanse(data_.get(), size_);
    data_.reset();
    size_ = 0;
  }

 private:
  void assign(std::string_view s) {
    release();
    if (s.empty()) return;
    data_.reset(new char[s.size()]);
    for (std::size_t i = 0; i < s.size(); ++i) data_[i] = s[i];
    size_ = s.size();
  }
  std::unique_ptr<char[]> data_;
  std::size_t size_ = 0;
};

/// Wipes a std::string's whole buffer (capacity, not just size) and empties it.
inline void cleanse_string(std::string& s) noexcept {
  s.resize(s.capacity());  // never reallocates
  if (!s.empty()) OPENSSL_cleanse(&s[0], s.size());
  s.clear();
}

}  // namespace detail

/// A set of AWS credentials: access key id, secret access key, optional
/// session token and expiry, and a description of where they came from.
///
/// The secret and the token live in buffers that are wiped when released
/// (destruction, move-from, assignment). They are never printed: to_string()
/// and operator<< show e.g. "AKIA…MPLE (secret redacted) from environment".
/// Copyable (each copy is wiped on its own) and movable. Immutable after
/// construction; concurrent reads are safe.
class credentials {
 public:
  /// The clock of expiry().
  using time_point = std::chrono::system_clock::time_point;

  /// Empty credentials (empty() is true). Useful as a target for result::get.
  credentials() = default;

  /// Validated construction. Errors (errc::invalid_argument, message never
  /// contains the secret or token): empty access key id, empty secret, an
  /// access key id or secret containing blanks or control characters.
  /// `secret_access_key` and `session_token` are wiped after being copied.
  static result<credentials> make(std::string access_key_id, std::string secret_access_key,
                                  std::string session_token = {}, std::optional<time_point> expiry = std::nullopt,
                                  std::string source = "explicit option");

  /// The access key id (not a secret; printed abbreviated anyway).
  std::string_view access_key_id() const noexcept FINOPS_CRAWLER_LIFETIMEBOUND { return access_key_id_; }
  /// The secret access key. Borrowed from *this; never log it.
  std::string_view secret_access_key() const noexcept FINOPS_CRAWLER_LIFETIMEBOUND { return secret_.view(); }
  /// The session token, empty for long-term keys. Borrowed; never log it.
  std::string_view session_token() const noexcept FINOPS_CRAWLER_LIFETIMEBOUND { return token_.view(); }
  /// True for temporary credentials (a session token is present).
  bool has_session_token() const noexcept { return !token_.empty(); }
  /// When temporary credentials stop working, if known.
  const std::optional<time_point>& expiry() const noexcept { return expiry_; }
  /// True when an expiry is known and `now` is at or past it.
  bool expired(time_point now = std::chrono::system_clock::now()) const noexcept {
    return expiry_.has_value() && now >= *expiry_;
  }
  /// Where they came from, e.g. "environment" or
  /// "shared credentials file /home/u/.aws/credentials profile default".
  const std::string& source() const noexcept { return source_; }
  /// True for default-constructed credentials.
  bool empty() const noexcept { return access_key_id_.empty(); }

  /// Safe to print: abbreviated key id, "(secret redacted)", whether a token
  /// is present (its value redacted), and the source.
  std::string to_string() const;

 private:
  std::string access_key_id_;
  detail::secret_buffer secret_;
  detail::secret_buffer token_;
  std::optional<time_point> expiry_;
  std::string source_;
};

/// Prints credentials::to_string(); never the secret or the token.
inline std::ostream& operator<<(std::ostream& os, const credentials& c) { return os << c.to_string(); }

/// Inputs of the credential chain. Explicit keys given here are used as they
/// are (both or neither of access_key_id and secret_access_key). The caller
/// owns these strings and should wipe them after use if they hold secrets.
struct credential_options {
  std::optional<std::string> access_key_id;      ///< explicit access key id
  std::optional<std::string> secret_access_key;  ///< explicit secret; required with access_key_id
  std::optional<std::string> session_token;      ///< explicit session token (optional)
  std::optional<credentials::time_point> expiry; ///< expiry of explicit temporary credentials
  std::optional<std::string> profile;            ///< wins over AWS_PROFILE
  std::optional<std::string> config_file;        ///< wins over AWS_CONFIG_FILE and ~/.aws/config
  std::optional<std::string> credentials_file;   ///< wins over AWS_SHARED_CREDENTIALS_FILE
};

/// Credentials from AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY and
/// AWS_SESSION_TOKEN (AWS_SECURITY_TOKEN, botocore's legacy name, when the
/// former is unset), with the expiry from AWS_CREDENTIAL_EXPIRATION (ISO 8601,
/// as written by `aws configure export-credentials`) when set. Empty values
/// count as unset.
/// Returns std::nullopt when neither key variable is set. Errors
/// (errc::no_credentials): only one of the two is set; the message names the
/// missing one ("Missing environment variable(s) for: AWS_SECRET_ACCESS_KEY");
/// errc::invalid_argument when AWS_CREDENTIAL_EXPIRATION is not a timestamp.
result<std::optional<credentials>> credentials_from_environment(const environment& env);

/// Credentials from one profile section (aws_access_key_id,
/// aws_secret_access_key, aws_session_token / aws_security_token).
/// Returns std::nullopt when the section has no key properties. Errors
/// (errc::config_file, "FILE:LINE: ..."): a key id without a secret or the
/// reverse, an empty key id or secret, blanks inside them.
/// `source` is stored as credentials::source().
result<std::optional<credentials>> credentials_from_section(const ini_section& section, std::string_view file,
                                                            std::string source);

/// The chain over already-loaded files (see the file comment for the order).
/// Errors: errc::invalid_argument for bad explicit values;
/// errc::no_credentials when only one key variable is set, or when nothing
/// was found (the message lists every variable, file and profile tried);
/// errc::config_file for a malformed profile. Cost: a few lookups.
result<credentials> resolve_credentials(const credential_options& options, const environment& env,
                                        const shared_config& files);

/// The full chain: like the overload above, but loads the shared files
/// (paths from `options`, the environment and HOME) only when the explicit
/// options and the environment had no credentials, so a broken file does not
/// matter when the environment is set. Additional errors: errc::config_file
/// for a file that is a directory, unreadable or malformed (naming file and
/// line). Cost: up to two small file reads.
result<credentials> resolve_credentials(const credential_options& options = {},
                                        const environment& env = default_environment());

}  // namespace aws
}  // namespace v0
}  // namespace finops_crawler

#if FINOPS_CRAWLER_HEADER_ONLY
#include "finops_crawler/aws/credentials-inl.hpp"
#endif

#endif  // FINOPS_CRAWLER_AWS_CREDENTIALS_HPP
