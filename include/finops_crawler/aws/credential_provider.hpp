#ifndef FINOPS_CRAWLER_AWS_CREDENTIAL_PROVIDER_HPP
#define FINOPS_CRAWLER_AWS_CREDENTIAL_PROVIDER_HPP
/// \file
/// Where a client gets the keys it signs each attempt with.
///
///  - `credentials_provider`: one source of credentials (environment, a
///    profile's keys, credential_process, SSO, STS, container, IMDS...).
///    `fetch(now)` makes one attempt and may do I/O; it is called only by
///    `refreshing_credentials`, one call at a time.
///  - `refreshing_credentials`: what clients hold (through a shared_ptr, one
///    object shared by every client of a session). It keeps the current
///    credentials and asks its provider for new ones when they are within
///    `refresh_margin` (5 minutes, as the AWS SDKs) of their expiry. Made
///    from a plain `credentials` value it is *static*: `current()` is one
///    branch, no lock, no allocation, no clock read.
///
/// Interface for provider authors (the HTTP providers in aws/providers/:
/// sts_providers.hpp, container_provider.hpp, imds_provider.hpp):
///
///   class my_provider final : public aws::credentials_provider {
///    public:
///     // One attempt, may block on I/O (bounded by the provider's own
///     // timeouts). Returns credentials whose expiry() is set when they are
///     // temporary, so they get refreshed. Errors: an actionable message
///     // that never holds a secret; errc::no_credentials when the source is
///     // configured but refuses (403, wrong token), errc::transport for a
///     // network failure, errc::unexpected_shape / bad_json for a bad reply.
///     result<credentials> fetch(credentials::time_point now) override;
///     // Stable for the provider's lifetime, shown by `whoami` and in every
///     // error: "sso (profile dev, session my-sso)",
///     // "assume-role arn:aws:iam::111122223333:role/R via profile payer".
///     std::string_view name() const noexcept override;
///   };
///
/// The chain (credential_chain.hpp) decides which provider applies and
/// wraps it: `refreshing_credentials::make(std::move(provider), options)`.
///
/// Depends on the standard library and credentials.hpp only.

#include <chrono>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <utility>

#include "finops_crawler/aws/credentials.hpp"
#include "finops_crawler/config.hpp"
#include "finops_crawler/result.hpp"

namespace finops_crawler {
inline namespace v0 {
namespace aws {

/// One source of AWS credentials. See the file comment for the contract.
/// Implementations need not be thread-safe: refreshing_credentials calls
/// fetch() under its refresh lock.
class credentials_provider {
 public:
  virtual ~credentials_provider() = default;
  /// One attempt to get credentials; may do I/O. `now` is the caller's wall
  /// clock (injectable in tests), for expiry decisions such as an SSO token's.
  virtual result<credentials> fetch(credentials::time_point now) = 0;
  /// A description for messages, e.g. "environment" or
  /// "credential_process (profile ci)". Never holds a secret.
  virtual std::string_view name() const noexcept = 0;
  /// True when fetch() always returns the same long-term keys (environment,
  /// a profile's keys): the chain then fetches once and uses the zero-cost
  /// static path. Default false.
  virtual bool is_static() const noexcept { return false; }
};

/// A provider that always returns the same credentials (explicit keys, the
/// environment, a profile's static keys).
class static_credentials_provider final : public credentials_provider {
 public:
  /// `name` defaults to the credentials' source().
  explicit static_credentials_provider(credentials c, std::string name = {})
      : creds_(std::move(c)), name_(name.empty() ? creds_.source() : std::move(name)) {}
  result<credentials> fetch(credentials::time_point) override { return creds_; }
  std::string_view name() const noexcept override { return name_; }
  bool is_static() const noexcept override { return true; }

 private:
  credentials creds_;
  std::string name_;
};

/// Settings of refreshing_credentials.
struct refresh_options {
  /// Credentials that expire within this margin are refreshed before use
  /// (botocore and the AWS SDKs use 5 to 15 minutes; 5 keeps a refresh rare
  /// for one-hour credentials and still leaves a long call time to finish).
  std::chrono::seconds refresh_margin{std::chrono::minutes(5)};
  /// After a refresh fails while the current credentials are still valid, or
  /// succeeds with credentials that are already inside the margin, the next
  /// attempt waits this long, so a broken source is not hit by every request.
  /// Expired credentials are refreshed on every call regardless.
  std::chrono::seconds retry_interval{std::chrono::seconds(30)};
  /// Called (outside any lock, on the calling thread) when a refresh fails
  /// and still-valid credentials are kept, i.e. the call goes on with them.
  /// Not called when nothing valid is left (the first fetch, or expired
  /// credentials): that failure is the call's own error. last_error()
  /// records every failure either way. May be empty.
  std::function<void(const error&)> on_refresh_failure;
};

/// The credentials one attempt signs with. Keeps them alive for the
/// attempt even if another thread refreshes meanwhile. On the static path it
/// is a bare pointer into the refreshing_credentials (which must outlive the
/// lease: the client holds it).
class credentials_lease {
 public:
  credentials_lease() = default;
  const credentials& get() const noexcept { return *ptr_; }
  const credentials* operator->() const noexcept { return ptr_; }

 private:
  friend class refreshing_credentials;
  explicit credentials_lease(const credentials* p) noexcept : ptr_(p) {}
  explicit credentials_lease(std::shared_ptr<const credentials> keep) noexcept
      : ptr_(keep.get()), keep_(std::move(keep)) {}
  const credentials* ptr_ = nullptr;
  std::shared_ptr<const credentials> keep_;  // empty on the static path
};

/// Current credentials of one provider, refreshed before they expire.
///
/// current(now):
///  - static (made from a `credentials` value): returns them; one branch,
///    no lock, no allocation, no clock read, unless they carry an expiry
///    (explicit temporary keys, AWS_CREDENTIAL_EXPIRATION), which is then
///    checked: expired static credentials are an error, never signed with;
///  - otherwise, credentials valid beyond the margin are returned under a
///    short lock (a shared_ptr copy); inside the margin one thread refreshes
///    (provider->fetch) while the others keep using the still-valid ones;
///    when they are expired (or there are none yet), callers wait for that
///    one refresh instead of starting their own.
///  - a failing refresh keeps still-valid credentials, records the error
///    (last_error(); on_refresh_failure, called only when valid keys were
///    kept) and retries after retry_interval;
///    once they are expired, the call fails with errc::no_credentials naming
///    the provider, when they expired and why the refresh failed.
///
/// Thread safety: every member may be called from any thread. Not movable
/// (clients point at it); share it through std::shared_ptr.
class refreshing_credentials {
 public:
  using time_point = credentials::time_point;

  /// Static credentials: the zero-cost path. Errors: errc::no_credentials
  /// for empty credentials.
  static result<std::shared_ptr<refreshing_credentials>> make_static(credentials c);
  /// Credentials from `provider`, fetched on first use (or by prime()).
  /// Errors: errc::invalid_argument for a null provider.
  static result<std::shared_ptr<refreshing_credentials>> make(std::unique_ptr<credentials_provider> provider,
                                                              refresh_options options = {});

  refreshing_credentials(const refreshing_credentials&) = delete;
  refreshing_credentials& operator=(const refreshing_credentials&) = delete;

  /// Credentials valid at `now`, refreshed first when needed (see the class
  /// comment). Errors: errc::no_credentials (expired and not refreshable,
  /// naming the provider), or the provider's own error on the first fetch.
  result<credentials_lease> current(time_point now) {
    if (static_ && !static_creds_.expiry()) return credentials_lease(&static_creds_);
    return current_slow(now);
  }
  /// Whether current() looks at `now` at all: false on the static path
  /// without an expiry, so a caller can skip reading its clock.
  bool needs_clock() const noexcept { return !static_ || static_creds_.expiry().has_value(); }

  /// Fetches now if nothing was fetched yet (the chain does this at session
  /// open, so a failure is reported before anything billable is sent).
  status prime(time_point now);

  /// Whether this is the static (no provider, never refreshed) kind.
  bool is_static() const noexcept { return static_; }
  /// The provider's name ("environment", "sso (profile dev, session s)").
  std::string_view provider_name() const noexcept { return name_; }
  /// The most recent refresh failure since the last success; code ok if none.
  error last_error() const;
  /// The credentials held now (possibly null before the first fetch), for
  /// display (whoami) without triggering a refresh.
  std::shared_ptr<const credentials> peek() const;
  /// How many times the provider was asked (tests, diagnostics).
  unsigned long fetch_count() const;

 private:
  refreshing_credentials() = default;
  result<credentials_lease> current_slow(time_point now);
  result<credentials_lease> refresh_and_get(time_point now);
  error expired_error(const credentials* cur, const error& failure) const;
  bool fresh(const credentials& c, time_point now) const noexcept {
    return !c.expiry() || now + options_.refresh_margin < *c.expiry();
  }

  bool static_ = false;
  credentials static_creds_;  // the static path's credentials
  std::unique_ptr<credentials_provider> provider_;
  refresh_options options_;
  std::string name_;

  mutable std::mutex state_mu_;  // guards the members below
  std::shared_ptr<const credentials> current_;
  time_point next_attempt_{};    // no refresh attempt before this while current_ is valid
  error last_error_;
  unsigned long fetches_ = 0;

  std::mutex refresh_mu_;  // held while provider_->fetch runs: one refresh at a time
};

namespace detail {
/// "2026-01-02T03:04:05Z" (UTC, seconds), for messages.
std::string iso8601_utc(credentials::time_point t);
/// `text` made safe for a message: at most `limit` bytes (then "..."),
/// control characters as '?', trailing blanks dropped.
std::string safe_excerpt(std::string_view text, std::size_t limit);
}  // namespace detail

}  // namespace aws
}  // namespace v0
}  // namespace finops_crawler

#if FINOPS_CRAWLER_HEADER_ONLY
#include "finops_crawler/aws/credential_provider-inl.hpp"
#endif

#endif  // FINOPS_CRAWLER_AWS_CREDENTIAL_PROVIDER_HPP
