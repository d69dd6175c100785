#ifndef FINOPS_CRAWLER_RESULT_HPP
#define FINOPS_CRAWLER_RESULT_HPP
/// \file
/// The error model: every fallible call returns `result<T>`, a value or an
/// `error`. Works with exceptions disabled (`-fno-exceptions`); throttling,
/// bad JSON and missing credentials are expected outcomes, not exceptions.

#include <cstdint>
#include <cstdlib>
#include <new>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>

#include "finops_crawler/config.hpp"

#if FINOPS_CRAWLER_EXCEPTIONS
#include <stdexcept>
#endif

namespace finops_crawler {
inline namespace v0 {

/// What kind of failure an `error` is. Stable; `error_message` names each.
enum class errc : std::uint8_t {
  ok = 0,
  invalid_argument,    ///< the caller's input is wrong (bad date, CR/LF in a header)
  no_credentials,      ///< every credential source was tried and none had keys
  config_file,         ///< a credentials/config file could not be read or parsed
  transport,           ///< libcurl failed before any HTTP status (DNS, refused, TLS, timeout)
  response_too_large,  ///< the body exceeded the configured size cap
  http_status,         ///< non-2xx with no AWS error code that retrying would fix
  throttled,           ///< still throttled after the last retry
  aws_error,           ///< AWS answered with an error code (see error::aws_code)
  bad_json,            ///< a body that is not valid JSON
  unexpected_shape,    ///< valid JSON, but a required field is missing or mistyped
  not_in_organization, ///< AWSOrganizationsNotInUseException: a distinct outcome
  signature_mismatch,  ///< a SigV4 verification failed (server side)
  limit_reached,       ///< a page cap or a repeated NextPageToken stopped a crawl
};

/// The last enumerator, so tests can walk every value.
inline constexpr errc errc_last = errc::limit_reached;

/// A short, fixed description of each kind. Never empty.
inline std::string_view error_message(errc code) noexcept {
  switch (code) {
    case errc::ok: return "success";
    case errc::invalid_argument: return "invalid argument";
    case errc::no_credentials: return "no AWS credentials found";
    case errc::config_file: return "AWS config or credentials file unusable";
    case errc::transport: return "network transfer failed";
    case errc::response_too_large: return "response larger than the configured cap";
    case errc::http_status: return "unexpected HTTP status";
    case errc::throttled: return "request throttled by AWS";
    case errc::aws_error: return "AWS returned an error";
    case errc::bad_json: return "response is not valid JSON";
    case errc::unexpected_shape: return "response JSON lacks a required field";
    case errc::not_in_organization: return "the account is not a member of an AWS Organization";
    case errc::signature_mismatch: return "SigV4 signature does not match";
    case errc::limit_reached: return "crawl stopped by a limit";
  }
  return "unknown error";
}

/// Whether retrying the same request can succeed (throttling, 5xx, dropped
/// connections, a truncated 200). Used by the retry policy.
inline bool is_retryable(errc code) noexcept {
  switch (code) {
    case errc::transport:
    case errc::throttled:
    case errc::bad_json:  // a 200 whose body was cut off must be retried
      return true;
    default:
      return false;
  }
}

/// A failure: its kind, a message a user can act on, and, where relevant,
/// what AWS and libcurl said. Never holds a secret key or session token.
struct error {
  errc code = errc::ok;
  std::string message;     ///< human, actionable; no secrets
  long http_status = 0;    ///< 0 when no HTTP status was received
  std::string aws_code;    ///< AWS error code without namespace, e.g. "ThrottlingException"
  std::string request_id;  ///< x-amzn-RequestId, for AWS support
  int curl_code = 0;       ///< CURLcode when code == errc::transport
  bool retryable = false;  ///< whether the retry policy may try again

  error() = default;
  error(errc c, std::string msg) : code(c), message(std::move(msg)), retryable(is_retryable(c)) {}

  /// One line: message plus the status, AWS code and request id when set.
  std::string describe() const {
    std::string out = message.empty() ? std::string(error_message(code)) : message;
    if (http_status != 0) out += " (HTTP " + std::to_string(http_status) + ")";
    if (!aws_code.empty()) out += " [" + aws_code + "]";
    if (!request_id.empty()) out += " request id " + request_id;
    return out;
  }
};

#if FINOPS_CRAWLER_EXCEPTIONS
/// Thrown only by `result::value()` when exceptions are enabled.
class exception : public std::runtime_error {
 public:
  explicit exception(error e) : std::runtime_error(e.describe()), error_(std::move(e)) {}
  const finops_crawler::error& err() const noexcept { return error_; }

 private:
  finops_crawler::error error_;
};
#endif

namespace detail {
[[noreturn]] inline void fail_on_error(const error& e) {
#if FINOPS_CRAWLER_EXCEPTIONS
  throw exception(e);
#else
  (void)e;
  std::abort();
#endif
}
}  // namespace detail

/// A value or an error, in the spirit of simdjson's `simdjson_result`.
///
///   auto r = load_credentials();
///   if (!r) { std::cerr << r.error().describe() << '\n'; return 1; }
///   use(*r);
///
/// Or without branching on bool: `credentials c; if (auto ec = std::move(r).get(c); ec != errc::ok) ...`.
/// Not thread-safe to mutate; copying copies the value or the error.
template <class T, class E = error>
class [[nodiscard]] result {
  static_assert(!std::is_reference_v<T>, "result holds values");

 public:
  result(T value) : has_value_(true) { new (&storage_.value) T(std::move(value)); }
  result(E err) : has_value_(false) { new (&storage_.err) E(std::move(err)); }
  result(errc code, std::string message) : result(E(code, std::move(message))) {}

  result(const result& o) : has_value_(o.has_value_) {
    if (has_value_) new (&storage_.value) T(o.storage_.value);
    else new (&storage_.err) E(o.storage_.err);
  }
  result(result&& o) noexcept(std::is_nothrow_move_constructible_v<T>) : has_value_(o.has_value_) {
    if (has_value_) new (&storage_.value) T(std::move(o.storage_.value));
    else new (&storage_.err) E(std::move(o.storage_.err));
  }
  result& operator=(result o) noexcept(std::is_nothrow_move_constructible_v<T>) {
    if (this != &o) {
      destroy();
      has_value_ = o.has_value_;
      if (has_value_) new (&storage_.value) T(std::move(o.storage_.value));
      else new (&storage_.err) E(std::move(o.storage_.err));
    }
    return *this;
  }
  ~result() { destroy(); }

  /// True on success.
  explicit operator bool() const noexcept { return has_value_; }
  bool has_value() const noexcept { return has_value_; }

  /// The error; only meaningful when `!has_value()` (returns a static ok error otherwise).
  const E& error() const noexcept {
    if (has_value_) return ok_error();
    return storage_.err;
  }

  /// The error kind, errc::ok on success.
  errc code() const noexcept { return has_value_ ? errc::ok : storage_.err.code; }

  /// Moves the value into `out` on success; returns the error kind either way.
  [[nodiscard]] errc get(T& out) && {
    if (!has_value_) return storage_.err.code;
    out = std::move(storage_.value);
    return errc::ok;
  }

  /// The value. Precondition: has_value(). On error: throws
  /// finops_crawler::exception when exceptions are enabled, aborts otherwise.
  T& value() & {
    if (!has_value_) detail::fail_on_error(storage_.err);
    return storage_.value;
  }
  const T& value() const& {
    if (!has_value_) detail::fail_on_error(storage_.err);
    return storage_.value;
  }
  T&& value() && {
    if (!has_value_) detail::fail_on_error(storage_.err);
    return std::move(storage_.value);
  }
  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }
  T&& operator*() && { return std::move(*this).value(); }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }

 private:
  static const E& ok_error() noexcept {
    static const E ok{};
    return ok;
  }
  void destroy() noexcept {
    if (has_value_) storage_.value.~T();
    else storage_.err.~E();
  }
  union storage {
    storage() {}
    ~storage() {}
    T value;
    E err;
  } storage_;
  bool has_value_;
};

/// Success without a value, or an error.
template <class E>
class [[nodiscard]] result<void, E> {
 public:
  result() = default;
  result(E err) : err_(std::move(err)) {}
  result(errc code, std::string message) : err_(E(code, std::move(message))) {}
  explicit operator bool() const noexcept { return err_.code == errc::ok; }
  bool has_value() const noexcept { return err_.code == errc::ok; }
  const E& error() const noexcept { return err_; }
  errc code() const noexcept { return err_.code; }
  void value() const {
    if (err_.code != errc::ok) detail::fail_on_error(err_);
  }

 private:
  E err_{};
};

/// `result<void>`: success or an error.
using status = result<void>;

}  // namespace v0
}  // namespace finops_crawler

#endif  // FINOPS_CRAWLER_RESULT_HPP
