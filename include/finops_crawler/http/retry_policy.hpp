#ifndef FINOPS_CRAWLER_HTTP_RETRY_POLICY_HPP
#define FINOPS_CRAWLER_HTTP_RETRY_POLICY_HPP
/// \file
/// `retry_policy`: when to try a failed request again and how long to wait
/// first (capped exponential backoff with full jitter), with the clock,
/// sleep and random source injectable so tests run instantly.

#include <chrono>
#include <cstdint>
#include <functional>
#include <random>
#include <utility>

#include "finops_crawler/http/transport.hpp"
#include "finops_crawler/result.hpp"

namespace finops_crawler {
inline namespace v0 {
namespace http {

/// Settings of a `retry_policy`.
struct retry_options {
  /// Attempts in total, the first included; 1 disables retries. Values below
  /// 1 are treated as 1.
  int max_attempts = 5;
  /// Backoff base for transient failures (5xx, dropped connections, bad
  /// bodies): the n-th retry waits up to base * 2^(n-1), capped.
  std::chrono::milliseconds base_delay{100};
  /// Backoff base after a throttling reply: larger, because the service asked
  /// us to slow down (the AWS SDKs use the same split).
  std::chrono::milliseconds throttle_base_delay{500};
  /// Upper bound of any single wait.
  std::chrono::milliseconds max_delay{20'000};
};

/// A source of uniformly distributed 64-bit values. Tests pass a constant.
using random_source = std::function<std::uint64_t()>;

/// The default random source: a std::mt19937_64 seeded from
/// std::random_device, owned by the returned function (each copy advances
/// its own state). Not shared between threads.
inline random_source default_random_source() {
  std::random_device rd;
  std::uint64_t seed = (static_cast<std::uint64_t>(rd()) << 32) ^ rd();
  return [engine = std::mt19937_64(seed)]() mutable { return engine(); };
}

/// Capped exponential backoff with full jitter ("Exponential Backoff And
/// Jitter", AWS Architecture Blog): after the n-th failed attempt, wait a
/// uniformly random time in [0, min(max_delay, base * 2^(n-1))], then retry,
/// until `max_attempts` attempts were made. Only errors with
/// `error::retryable` set are retried (throttling, 5xx, transient transport
/// failures, a truncated body); AccessDenied, Validation and the like surface
/// at once.
///
/// Thread safety: one thread at a time (the random source has state).
/// Cost: a few arithmetic operations per decision; waiting is the sleeper's.
class retry_policy {
 public:
  /// `random` defaults to default_random_source() when empty.
  explicit retry_policy(retry_options options = {}, time_source time = {}, random_source random = {})
      : options_(options), time_(std::move(time)), random_(std::move(random)) {
    if (options_.max_attempts < 1) options_.max_attempts = 1;
    if (!random_) random_ = default_random_source();
    if (!time_.now || !time_.sleep) time_ = time_source{};
  }

  /// The settings in force (max_attempts at least 1).
  const retry_options& options() const noexcept { return options_; }
  int max_attempts() const noexcept { return options_.max_attempts; }

  /// Whether to try again after `attempts_made` attempts, the last of which
  /// failed with `e`: e is retryable and the attempt limit is not reached.
  bool should_retry(const error& e, int attempts_made) const noexcept {
    return e.retryable && attempts_made < options_.max_attempts;
  }

  /// The largest wait after `attempts_made` failed attempts (>= 1):
  /// min(max_delay, base * 2^(attempts_made - 1)), base depending on whether
  /// the failure was throttling. Never overflows.
  std::chrono::nanoseconds ceiling(int attempts_made, bool throttled) const noexcept {
    using std::chrono::nanoseconds;
    const nanoseconds cap = options_.max_delay;
    nanoseconds d = throttled ? nanoseconds(options_.throttle_base_delay) : nanoseconds(options_.base_delay);
    if (d <= nanoseconds::zero() || cap <= nanoseconds::zero()) return nanoseconds::zero();
    for (int i = 1; i < attempts_made && d < cap; ++i) d *= 2;  // at most ~64 doublings before d >= cap
    return d < cap ? d : cap;
  }

  /// Full jitter: a uniformly random wait in [0, ceiling(attempts_made,
  /// throttled)], drawn from the random source. A source returning 0 gives 0;
  /// one returning UINT64_MAX gives the ceiling.
  std::chrono::nanoseconds backoff(int attempts_made, bool throttled) {
    const auto top = ceiling(attempts_made, throttled);
    if (top <= std::chrono::nanoseconds::zero()) return std::chrono::nanoseconds::zero();
    // 53 random bits as a fraction in [0, 1]; inclusive at the top so the
    // bounds are exactly reachable with a fixed source.
    const double u = static_cast<double>(random_() >> 11) / static_cast<double>((std::uint64_t{1} << 53) - 1);
    const double ns = u * static_cast<double>(top.count());
    auto d = std::chrono::nanoseconds(static_cast<std::chrono::nanoseconds::rep>(ns));
    return d < top ? d : top;
  }

  /// Waits `d` with the injected sleeper.
  void sleep(std::chrono::nanoseconds d) { time_.sleep(d); }

  /// The injected clock and sleeper.
  const time_source& time() const noexcept { return time_; }

 private:
  retry_options options_;
  time_source time_;
  random_source random_;
};

}  // namespace http
}  // namespace v0
}  // namespace finops_crawler

#endif  // FINOPS_CRAWLER_HTTP_RETRY_POLICY_HPP
