#ifndef FINOPS_CRAWLER_HTTP_RATE_LIMITER_HPP
#define FINOPS_CRAWLER_HTTP_RATE_LIMITER_HPP
/// \file
/// `rate_limiter`: a client-side token bucket, so a crawl stays under the
/// service's request rate instead of discovering it through throttling.

#include <chrono>
#include <mutex>
#include <utility>

#include "finops_crawler/http/transport.hpp"

namespace finops_crawler {
inline namespace v0 {
namespace http {

/// Settings of a `rate_limiter`.
struct rate_limit_options {
  /// Sustained rate in requests per second; 0 or less means unlimited.
  double requests_per_second = 0;
  /// Bucket size: how many requests may go at once after a quiet period.
  /// Values below 1 are treated as 1.
  double burst = 1;
};

/// A token bucket holding up to `burst` tokens, refilled at
/// `requests_per_second`; each request takes one token, waiting for it if the
/// bucket is empty. The bucket starts full.
///
/// Waiting works by reservation: `reserve()` takes a token at once (the count
/// may go negative) and returns how long the caller must wait for it, so
/// concurrent callers queue fairly and never sleep holding the lock.
///
/// Thread safety: all members may be called from any thread; one limiter may
/// be shared by several clients (through std::shared_ptr) to keep their sum
/// under one account-wide rate. Cost: O(1), one mutex.
class rate_limiter {
 public:
  explicit rate_limiter(rate_limit_options options = {}, time_source time = {})
      : options_(options), time_(std::move(time)) {
    if (!time_.now || !time_.sleep) time_ = time_source{};
    if (options_.burst < 1) options_.burst = 1;
    tokens_ = options_.burst;
    last_ = time_.now();
  }

  /// Whether this limiter ever waits.
  bool unlimited() const noexcept { return !(options_.requests_per_second > 0); }

  /// Takes one token and returns how long to wait before using it (zero when
  /// one was available). Does not sleep.
  std::chrono::nanoseconds reserve() {
    if (unlimited()) return std::chrono::nanoseconds::zero();
    std::lock_guard<std::mutex> lock(mutex_);
    refill_locked();
    tokens_ -= 1;
    if (tokens_ >= 0) return std::chrono::nanoseconds::zero();
    const double wait_s = -tokens_ / options_.requests_per_second;
    return std::chrono::nanoseconds(static_cast<std::chrono::nanoseconds::rep>(wait_s * 1e9 + 0.5));
  }

  /// reserve(), then sleeps (with the injected sleeper) for the wait it
  /// returned. Returns the time waited.
  std::chrono::nanoseconds acquire() {
    auto wait = reserve();
    if (wait > std::chrono::nanoseconds::zero()) time_.sleep(wait);
    return wait;
  }

  /// Tokens in the bucket now (negative while reservations are pending).
  double available() {
    if (unlimited()) return options_.burst;
    std::lock_guard<std::mutex> lock(mutex_);
    refill_locked();
    return tokens_;
  }

  /// The settings in force (burst at least 1).
  const rate_limit_options& options() const noexcept { return options_; }

 private:
  void refill_locked() {
    const auto now = time_.now();
    if (now > last_) {
      const double elapsed_s = std::chrono::duration<double>(now - last_).count();
      tokens_ += elapsed_s * options_.requests_per_second;
      if (tokens_ > options_.burst) tokens_ = options_.burst;
      last_ = now;
    }
  }

  rate_limit_options options_;
  time_source time_;
  std::mutex mutex_;
  double tokens_ = 0;
  time_source::time_point last_{};
};

}  // namespace http
}  // namespace v0
}  // namespace finops_crawler

#endif  // FINOPS_CRAWLER_HTTP_RATE_LIMITER_HPP
