#include "finops_crawler/http/rate_limiter.hpp"

#include <doctest/doctest.h>

#include <algorithm>
#include <chrono>
#include <memory>
#include <thread>
#include <vector>

using namespace finops_crawler;
using namespace std::chrono_literals;
using http::rate_limit_options;
using http::rate_limiter;

namespace {

// A fake clock that only moves when someone sleeps or the test advances it.
struct fake_clock {
  std::shared_ptr<std::chrono::nanoseconds> now = std::make_shared<std::chrono::nanoseconds>(0);
  std::shared_ptr<std::vector<std::chrono::nanoseconds>> slept =
      std::make_shared<std::vector<std::chrono::nanoseconds>>();
  http::time_source source() const {
    http::time_source t;
    auto n = now;
    auto s = slept;
    t.now = [n] { return http::time_source::time_point(*n); };
    t.sleep = [n, s](std::chrono::nanoseconds d) {
      s->push_back(d);
      *n += d;
    };
    return t;
  }
  void advance(std::chrono::nanoseconds d) const { *now += d; }
};

rate_limit_options rate(double rps, double burst) {
  rate_limit_options o;
  o.requests_per_second = rps;
  o.burst = burst;
  return o;
}

}  // namespace

TEST_CASE("a full bucket lets `burst` requests through at once, then spaces them at 1/rate") {
  fake_clock clock;
  rate_limiter l(rate(4, 3), clock.source());
  CHECK(l.acquire() == 0ns);
  CHECK(l.acquire() == 0ns);
  CHECK(l.acquire() == 0ns);
  CHECK(clock.slept->empty());
  CHECK(l.acquire() == 250ms);  // bucket empty: wait for one token at 4/s
  CHECK(l.acquire() == 250ms);
  CHECK(*clock.now == 500ms);
}

TEST_CASE("tokens refill with elapsed time, up to the burst") {
  fake_clock clock;
  rate_limiter l(rate(2, 2), clock.source());
  CHECK(l.acquire() == 0ns);
  CHECK(l.acquire() == 0ns);
  CHECK(l.available() == doctest::Approx(0.0));
  clock.advance(250ms);
  CHECK(l.available() == doctest::Approx(0.5));
  CHECK(l.acquire() == 250ms);  // half a token short at 2/s
  clock.advance(10s);           // a long pause refills only to the burst
  CHECK(l.available() == doctest::Approx(2.0));
  CHECK(l.acquire() == 0ns);
  CHECK(l.acquire() == 0ns);
  CHECK(l.acquire() == 500ms);
}

TEST_CASE("reservations queue: each caller waits one interval longer than the previous") {
  fake_clock clock;
  rate_limiter l(rate(10, 1), clock.source());
  CHECK(l.reserve() == 0ns);
  CHECK(l.reserve() == 100ms);
  CHECK(l.reserve() == 200ms);
  CHECK(l.reserve() == 300ms);
  CHECK(l.available() == doctest::Approx(-3.0));
  CHECK(clock.slept->empty());  // reserve() never sleeps
}

TEST_CASE("rate 0 is unlimited; burst below 1 is 1") {
  fake_clock clock;
  rate_limiter unlimited(rate(0, 5), clock.source());
  CHECK(unlimited.unlimited());
  for (int i = 0; i < 100; ++i) REQUIRE(unlimited.acquire() == 0ns);
  CHECK(clock.slept->empty());

  rate_limiter tiny(rate(1, 0.1), clock.source());
  CHECK(tiny.options().burst == 1);
  CHECK(tiny.acquire() == 0ns);
  CHECK(tiny.acquire() == 1s);
}

TEST_CASE("concurrent reservations hand out distinct waits (no token is given twice)") {
  fake_clock clock;  // frozen: nobody sleeps in reserve()
  rate_limiter l(rate(100, 1), clock.source());
  constexpr int per_thread = 200;
  std::vector<std::chrono::nanoseconds> a;
  std::vector<std::chrono::nanoseconds> b;
  std::thread t1([&] {
    for (int i = 0; i < per_thread; ++i) a.push_back(l.reserve());
  });
  std::thread t2([&] {
    for (int i = 0; i < per_thread; ++i) b.push_back(l.reserve());
  });
  t1.join();
  t2.join();
  std::vector<long long> all;
  for (auto d : a) all.push_back((d.count() + 500'000) / 1'000'000);  // in ms: multiples of 10
  for (auto d : b) all.push_back((d.count() + 500'000) / 1'000'000);
  std::sort(all.begin(), all.end());
  REQUIRE(all.size() == 2 * per_thread);
  for (std::size_t i = 0; i < all.size(); ++i) CHECK(all[i] == static_cast<long long>(i) * 10);
}
