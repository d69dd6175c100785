#include "finops_crawler/http/retry_policy.hpp"

#include <doctest/doctest.h>

#include <chrono>
#include <cstdint>
#include <limits>
#include <vector>

using namespace finops_crawler;
using namespace std::chrono_literals;
using http::retry_options;
using http::retry_policy;

namespace {

http::time_source fake_time(std::vector<std::chrono::nanoseconds>* slept) {
  http::time_source t;
  t.now = [] { return http::time_source::time_point{}; };
  t.sleep = [slept](std::chrono::nanoseconds d) { slept->push_back(d); };
  return t;
}

retry_options opts(int attempts, std::chrono::milliseconds base, std::chrono::milliseconds throttle_base,
                   std::chrono::milliseconds cap) {
  retry_options o;
  o.max_attempts = attempts;
  o.base_delay = base;
  o.throttle_base_delay = throttle_base;
  o.max_delay = cap;
  return o;
}

}  // namespace

TEST_CASE("ceiling doubles from the base and stops at the cap") {
  retry_policy p(opts(10, 100ms, 500ms, 2000ms), {}, [] { return std::uint64_t{0}; });
  CHECK(p.ceiling(1, false) == 100ms);
  CHECK(p.ceiling(2, false) == 200ms);
  CHECK(p.ceiling(3, false) == 400ms);
  CHECK(p.ceiling(4, false) == 800ms);
  CHECK(p.ceiling(5, false) == 1600ms);
  CHECK(p.ceiling(6, false) == 2000ms);
  CHECK(p.ceiling(1000, false) == 2000ms);  // no overflow for huge attempt counts
  CHECK(p.ceiling(1, true) == 500ms);
  CHECK(p.ceiling(2, true) == 1000ms);
  CHECK(p.ceiling(3, true) == 2000ms);
  CHECK(p.ceiling(4, true) == 2000ms);
}

TEST_CASE("full jitter spans exactly [0, ceiling] with a fixed random source") {
  const std::uint64_t values[] = {0, std::numeric_limits<std::uint64_t>::max(), std::uint64_t{1} << 63};
  const std::chrono::nanoseconds expected_fraction_of_400ms[] = {0ns, 400ms, 200ms};
  for (int i = 0; i < 3; ++i) {
    std::uint64_t v = values[i];
    retry_policy p(opts(10, 100ms, 500ms, 20000ms), {}, [v] { return v; });
    auto d = p.backoff(3, false);
    // Half of the range within one part in 2^52 of rounding.
    CHECK(std::chrono::abs(d - expected_fraction_of_400ms[i]) <= 1ns);
    CHECK(d >= 0ns);
    CHECK(d <= p.ceiling(3, false));
  }
}

TEST_CASE("jitter stays within bounds for many draws of the default source") {
  retry_policy p(opts(10, 100ms, 500ms, 3000ms));
  bool saw_low = false;
  bool saw_high = false;
  for (int attempt = 1; attempt <= 8; ++attempt) {
    for (int i = 0; i < 500; ++i) {
      auto d = p.backoff(attempt, false);
      REQUIRE(d >= 0ns);
      REQUIRE(d <= p.ceiling(attempt, false));
      if (d < p.ceiling(attempt, false) / 4) saw_low = true;
      if (d > p.ceiling(attempt, false) * 3 / 4) saw_high = true;
    }
  }
  CHECK(saw_low);   // jitter is spread, not a constant
  CHECK(saw_high);
}

TEST_CASE("should_retry: only retryable errors, only below the attempt limit") {
  retry_policy p(opts(3, 100ms, 500ms, 1000ms));
  error throttled(errc::throttled, "slow down");
  error denied(errc::aws_error, "AccessDenied");
  error transport_fatal(errc::transport, "TLS verification failed");
  transport_fatal.retryable = false;
  CHECK(p.should_retry(throttled, 1));
  CHECK(p.should_retry(throttled, 2));
  CHECK_FALSE(p.should_retry(throttled, 3));
  CHECK_FALSE(p.should_retry(denied, 1));
  CHECK_FALSE(p.should_retry(transport_fatal, 1));
  CHECK(p.max_attempts() == 3);
}

TEST_CASE("max_attempts below 1 means a single attempt") {
  retry_policy p(opts(0, 100ms, 500ms, 1000ms));
  CHECK(p.max_attempts() == 1);
  CHECK_FALSE(p.should_retry(error(errc::throttled, "x"), 1));
}

TEST_CASE("zero base or cap means no wait") {
  retry_policy p(opts(3, 0ms, 0ms, 1000ms), {}, [] { return std::numeric_limits<std::uint64_t>::max(); });
  CHECK(p.backoff(2, false) == 0ns);
  CHECK(p.backoff(2, true) == 0ns);
}

TEST_CASE("sleep goes through the injected sleeper") {
  std::vector<std::chrono::nanoseconds> slept;
  retry_policy p(opts(3, 100ms, 500ms, 1000ms), fake_time(&slept), [] { return std::uint64_t{0}; });
  p.sleep(250ms);
  p.sleep(0ns);
  REQUIRE(slept.size() == 2);
  CHECK(slept[0] == 250ms);
  CHECK(slept[1] == 0ns);
}
