// aws::refreshing_credentials and the client's per-attempt credential check:
// the static path, refresh inside the margin, a failing refresh, expiry, and
// several threads sharing one source across refreshes. Injected clocks only,
// no sleeping; every loop bounded.
#include "finops_crawler/aws/credential_provider.hpp"
#include "finops_crawler/aws/json_client.hpp"
#include "finops_crawler/aws/sigv4_verifier.hpp"
#include "finops_crawler/detail/time.hpp"

#include <doctest/doctest.h>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

using namespace finops_crawler;
using namespace std::chrono_literals;

namespace {

using time_point = aws::credentials::time_point;
const time_point t0 = time_point(std::chrono::seconds(1767225600));  // 2026-01-01T00:00:00Z

std::string nth_key_id(unsigned n) {
  std::string s = std::to_string(n);
  return "ASIATEMPKEY" + std::string(9 - s.size(), '0') + s;  // 20 characters
}
std::string nth_secret(unsigned n) { return "tempSecret/" + std::to_string(n) + "/xyzzyPLUGHxyzzyPLUGH"; }
std::string nth_token(unsigned n) { return "tempSessionToken" + std::to_string(n) + "QUUXquuxQUUXquux"; }

// A provider that issues numbered credentials valid for `lifetime` from the
// `now` it is given, or fails while `fail` is set.
class counting_provider final : public aws::credentials_provider {
 public:
  explicit counting_provider(std::chrono::seconds lifetime) : lifetime_(lifetime) {}
  result<aws::credentials> fetch(time_point now) override {
    const unsigned n = ++calls;
    if (fail) return error(errc::transport, "the test source is down (attempt " + std::to_string(n) + ")");
    return aws::credentials::make(nth_key_id(n), nth_secret(n), nth_token(n), now + lifetime_, "counting test source");
  }
  std::string_view name() const noexcept override { return "counting (test)"; }
  std::atomic<unsigned> calls{0};
  std::atomic<bool> fail{false};

 private:
  std::chrono::seconds lifetime_;
};

std::shared_ptr<aws::refreshing_credentials> wrap(std::unique_ptr<aws::credentials_provider> p,
                                                  aws::refresh_options o = {}) {
  auto r = aws::refreshing_credentials::make(std::move(p), std::move(o));
  REQUIRE(r);
  return *r;
}

std::string key_of(result<aws::credentials_lease>& r) {
  REQUIRE(r);
  return std::string(r->get().access_key_id());
}

}  // namespace

TEST_CASE("static credentials: the same keys, no provider, no clock") {
  auto c = aws::credentials::make("AKIDEXAMPLEKEY123456", "staticSecretValue/abc", "", std::nullopt, "explicit option");
  REQUIRE(c);
  auto s = aws::refreshing_credentials::make_static(*c);
  REQUIRE(s);
  CHECK((*s)->is_static());
  CHECK_FALSE((*s)->needs_clock());
  CHECK((*s)->provider_name() == "explicit option");
  auto a = (*s)->current(time_point{});
  auto b = (*s)->current(t0 + 100000h);
  REQUIRE(a);
  REQUIRE(b);
  CHECK(&a->get() == &b->get());  // the same object: nothing copied per request
  CHECK(a->get().secret_access_key() == "staticSecretValue/abc");
  CHECK((*s)->fetch_count() == 0);
  CHECK(aws::refreshing_credentials::make_static(aws::credentials()).code() == errc::no_credentials);
}

TEST_CASE("static credentials with an expiry are refused once expired, naming their source") {
  auto c = aws::credentials::make("ASIAEXAMPLEKEY123456", "staticSecretValue/abc", "someSessionTokenValue", t0 + 1h,
                                  "environment");
  REQUIRE(c);
  auto s = *aws::refreshing_credentials::make_static(*c);
  CHECK(s->needs_clock());
  CHECK(s->current(t0 + 59min));
  auto r = s->current(t0 + 1h);
  REQUIRE_FALSE(r);
  CHECK(r.code() == errc::no_credentials);
  CHECK(r.error().message.find("from environment expired at 2026-01-01T01:00:00Z") != std::string::npos);
  CHECK(r.error().message.find("staticSecretValue") == std::string::npos);
  CHECK(r.error().message.find("someSessionTokenValue") == std::string::npos);
}

TEST_CASE("a provider is fetched once, then again inside the 5-minute margin") {
  auto* p = new counting_provider(1h);
  auto src = wrap(std::unique_ptr<aws::credentials_provider>(p));
  CHECK_FALSE(src->is_static());
  CHECK(src->provider_name() == "counting (test)");
  CHECK(src->peek() == nullptr);
  auto a = src->current(t0);
  CHECK(key_of(a) == nth_key_id(1));
  auto b = src->current(t0 + 54min);  // 6 minutes left: still fresh
  CHECK(key_of(b) == nth_key_id(1));
  CHECK(p->calls == 1);
  auto c = src->current(t0 + 55min + 1s);  // inside the margin: refreshed
  CHECK(key_of(c) == nth_key_id(2));
  CHECK(p->calls == 2);
  CHECK(a->get().access_key_id() == nth_key_id(1));  // an older lease stays valid
  REQUIRE(src->peek());
  CHECK(src->peek()->access_key_id() == nth_key_id(2));
  CHECK(src->last_error().code == errc::ok);
}

TEST_CASE("a failing refresh keeps still-valid credentials, reports, retries later; expired fails naming the provider") {
  auto* p = new counting_provider(1h);
  std::vector<std::string> reported;
  aws::refresh_options o;
  o.on_refresh_failure = [&](const error& e) { reported.push_back(e.message); };
  auto src = wrap(std::unique_ptr<aws::credentials_provider>(p), o);
  CHECK(src->prime(t0));
  CHECK(p->calls == 1);
  CHECK(src->prime(t0));  // already fetched: no second call
  CHECK(p->calls == 1);
  p->fail = true;
  auto a = src->current(t0 + 56min);
  CHECK(key_of(a) == nth_key_id(1));  // kept
  CHECK(p->calls == 2);
  REQUIRE(reported.size() == 1);
  CHECK(reported[0].find("the test source is down") != std::string::npos);
  CHECK(src->last_error().code == errc::transport);
  // Within retry_interval (30 s): no new attempt.
  auto b = src->current(t0 + 56min + 10s);
  CHECK(key_of(b) == nth_key_id(1));
  CHECK(p->calls == 2);
  // After it: another attempt, still failing, still valid.
  auto c = src->current(t0 + 56min + 31s);
  CHECK(key_of(c) == nth_key_id(1));
  CHECK(p->calls == 3);
  // Expired: the call fails, naming the provider, the expiry and the cause.
  auto d = src->current(t0 + 1h);
  REQUIRE_FALSE(d);
  CHECK(d.code() == errc::no_credentials);
  const std::string& m = d.error().message;
  CHECK(m.find("the credentials from counting (test) expired at 2026-01-01T01:00:00Z") != std::string::npos);
  CHECK(m.find("the refresh failed: the test source is down") != std::string::npos);
  CHECK(m.find(nth_secret(1)) == std::string::npos);
  CHECK(m.find(nth_token(1)) == std::string::npos);
  // The source comes back: the next call refreshes.
  p->fail = false;
  auto e = src->current(t0 + 1h + 1s);
  CHECK(key_of(e) == nth_key_id(p->calls));
  CHECK(src->last_error().code == errc::ok);
}

TEST_CASE("the first fetch's own error is returned as it is") {
  auto* p = new counting_provider(1h);
  p->fail = true;
  auto src = wrap(std::unique_ptr<aws::credentials_provider>(p));
  auto r = src->current(t0);
  REQUIRE_FALSE(r);
  CHECK(r.code() == errc::transport);
  CHECK(r.error().message.find("the test source is down") != std::string::npos);
  CHECK(aws::refreshing_credentials::make(nullptr).code() == errc::invalid_argument);
}

TEST_CASE("on_refresh_failure fires only when still-valid credentials are kept") {
  auto* p = new counting_provider(1h);
  std::vector<std::string> reported;
  aws::refresh_options o;
  o.on_refresh_failure = [&](const error& e) { reported.push_back(e.message); };
  auto src = wrap(std::unique_ptr<aws::credentials_provider>(p), o);
  // The first fetch fails: nothing was kept, so no "still valid" report;
  // the failure is the call's own error.
  p->fail = true;
  auto first = src->current(t0);
  REQUIRE_FALSE(first);
  CHECK(first.code() == errc::transport);
  CHECK(reported.empty());
  CHECK(src->last_error().code == errc::transport);
  // A retry after retry_interval succeeds.
  p->fail = false;
  auto a = src->current(t0 + 31s);
  CHECK(key_of(a) == nth_key_id(2));
  CHECK(reported.empty());
  // Inside the margin the refresh fails with the keys still valid: kept and reported.
  p->fail = true;
  auto kept = src->current(t0 + 31s + 56min);
  CHECK(key_of(kept) == nth_key_id(2));
  REQUIRE(reported.size() == 1);
  CHECK(reported[0].find("the test source is down (attempt 3)") != std::string::npos);
  // Expired and the refresh fails: the call's error, not a report.
  auto gone = src->current(t0 + 31s + 1h);
  REQUIRE_FALSE(gone);
  CHECK(gone.code() == errc::no_credentials);
  CHECK(p->calls == 4);
  CHECK(reported.size() == 1);
}

TEST_CASE("a provider handing out expired or short-lived credentials") {
  SUBCASE("expired on arrival: an error, never signed with") {
    auto src = wrap(std::make_unique<counting_provider>(-1s));
    auto r = src->current(t0);
    REQUIRE_FALSE(r);
    CHECK(r.error().message.find("counting (test) returned credentials that expired at") != std::string::npos);
  }
  SUBCASE("inside the margin on arrival: used, and not refetched per request") {
    auto* p = new counting_provider(2min);
    auto src = wrap(std::unique_ptr<aws::credentials_provider>(p));
    auto a = src->current(t0);
    CHECK(key_of(a) == nth_key_id(1));
    auto b = src->current(t0 + 10s);
    CHECK(key_of(b) == nth_key_id(1));
    CHECK(p->calls == 1);
    auto c = src->current(t0 + 31s);  // retry_interval passed: refreshed
    CHECK(key_of(c) == nth_key_id(2));
  }
}

namespace {

// A provider whose fetch blocks until the test opens the gate, so threads
// pile up behind one refresh. Bounded waits only.
class gated_provider final : public aws::credentials_provider {
 public:
  result<aws::credentials> fetch(time_point now) override {
    const unsigned n = ++calls;
    if (n > 1) {
      std::unique_lock<std::mutex> l(mu);
      entered = true;
      cv.notify_all();
      cv.wait_for(l, 10s, [this] { return open; });
    }
    return aws::credentials::make(nth_key_id(n), nth_secret(n), nth_token(n), now + 1h, "gated");
  }
  std::string_view name() const noexcept override { return "gated (test)"; }
  std::atomic<unsigned> calls{0};
  std::mutex mu;
  std::condition_variable cv;
  bool entered = false;
  bool open = false;
};

}  // namespace

TEST_CASE("threads inside the margin: one refreshes, the others sign with the still-valid keys") {
  auto* p = new gated_provider();
  auto src = wrap(std::unique_ptr<aws::credentials_provider>(p));
  REQUIRE(src->prime(t0));
  std::string refresher_key;
  std::thread refresher([&] {
    auto r = src->current(t0 + 56min);
    if (r) refresher_key = std::string(r->get().access_key_id());
  });
  {
    std::unique_lock<std::mutex> l(p->mu);
    REQUIRE(p->cv.wait_for(l, 10s, [&] { return p->entered; }));
  }
  // The refresh is in progress: others do not wait for it, nor start another.
  std::vector<std::string> seen(4);
  std::vector<std::thread> others;
  for (int i = 0; i < 4; ++i)
    others.emplace_back([&, i] {
      auto r = src->current(t0 + 56min);
      if (r) seen[static_cast<std::size_t>(i)] = std::string(r->get().access_key_id());
    });
  for (auto& t : others) t.join();
  for (const auto& k : seen) CHECK(k == nth_key_id(1));
  {
    std::lock_guard<std::mutex> l(p->mu);
    p->open = true;
  }
  p->cv.notify_all();
  refresher.join();
  CHECK(refresher_key == nth_key_id(2));
  CHECK(p->calls == 2);
}

TEST_CASE("threads past expiry wait for the one refresh") {
  auto* p = new gated_provider();
  auto src = wrap(std::unique_ptr<aws::credentials_provider>(p));
  REQUIRE(src->prime(t0));
  std::vector<std::string> seen(5);
  std::vector<std::thread> threads;
  threads.emplace_back([&] {
    auto r = src->current(t0 + 2h);
    if (r) seen[0] = std::string(r->get().access_key_id());
  });
  {
    std::unique_lock<std::mutex> l(p->mu);
    REQUIRE(p->cv.wait_for(l, 10s, [&] { return p->entered; }));
  }
  for (std::size_t i = 1; i < seen.size(); ++i)
    threads.emplace_back([&, i] {
      auto r = src->current(t0 + 2h);
      if (r) seen[i] = std::string(r->get().access_key_id());
    });
  {
    std::lock_guard<std::mutex> l(p->mu);
    p->open = true;
  }
  p->cv.notify_all();
  for (auto& t : threads) t.join();
  for (const auto& k : seen) CHECK(k == nth_key_id(2));  // never the expired ones
  CHECK(p->calls == 2);
}

namespace {

// Records every request and answers 200; thread-safe, one per client.
class recording_transport final : public http::transport {
 public:
  struct shared {
    std::mutex mu;
    std::vector<http::http_request> sent;
  };
  explicit recording_transport(std::shared_ptr<shared> s) : s_(std::move(s)) {}
  result<http::http_response> send(const http::http_request& request) override {
    {
      std::lock_guard<std::mutex> g(s_->mu);
      s_->sent.push_back(request);
    }
    http::http_response r;
    r.status = 200;
    r.body = R"({"ResultsByTime":[]})";
    return r;
  }

 private:
  std::shared_ptr<shared> s_;
};

aws::client_options test_client(std::shared_ptr<aws::refreshing_credentials> src,
                                std::shared_ptr<recording_transport::shared> rec,
                                std::function<time_point()> wall) {
  aws::client_options o;
  o.service = aws::cost_explorer_api;
  o.target.url = "https://ce.us-east-1.amazonaws.com";
  o.target.signing_region = "us-east-1";
  o.target.signing_name = "ce";
  o.credential_source = std::move(src);
  o.transport = std::make_unique<recording_transport>(std::move(rec));
  o.rate_limit = {0, 1};
  o.wall_clock = std::move(wall);
  return o;
}

std::string credential_key_id(const http::http_request& r) {
  auto h = r.header("Authorization");
  if (!h) return {};
  std::string_view v = *h;
  auto at = v.find("Credential=");
  if (at == std::string_view::npos) return {};
  v.remove_prefix(at + 11);
  return std::string(v.substr(0, v.find('/')));
}

}  // namespace

TEST_CASE("json_client signs each attempt with the source's current keys") {
  auto* p = new counting_provider(1h);
  auto src = wrap(std::unique_ptr<aws::credentials_provider>(p));
  auto rec = std::make_shared<recording_transport::shared>();
  auto now = std::make_shared<time_point>(t0);
  aws::json_client c(test_client(src, rec, [now] { return *now; }));
  REQUIRE(c.call("GetCostAndUsage", "{}"));
  *now = t0 + 56min;
  REQUIRE(c.call("GetCostAndUsage", "{}"));
  REQUIRE(rec->sent.size() == 2);
  CHECK(credential_key_id(rec->sent[0]) == nth_key_id(1));
  CHECK(credential_key_id(rec->sent[1]) == nth_key_id(2));
  CHECK(rec->sent[1].header("X-Amz-Security-Token").value_or("") == nth_token(2));
  // Each verifies with the secret of the keys it names.
  for (std::size_t i = 0; i < 2; ++i) {
    const auto& r = rec->sent[i];
    std::vector<sigv4::header> hs;
    for (const auto& h : r.headers) hs.push_back({h.name, h.value});
    sigv4::request_view rv{r.method, "/", "", hs, r.body};
    sigv4::verify_options vo;
    vo.now = i == 0 ? t0 : t0 + 56min;
    auto v = sigv4::verify(
        rv,
        [&](std::string_view id, std::string& out) {
          for (unsigned n = 1; n <= 2; ++n)
            if (id == nth_key_id(n)) {
              out = nth_secret(n);
              return true;
            }
          return false;
        },
        vo);
    CHECK(v);
  }
  // Expired and failing: the call fails before anything is sent.
  p->fail = true;
  *now = t0 + 56min + 1h;
  auto r = c.call("GetCostAndUsage", "{}");
  REQUIRE_FALSE(r);
  CHECK(r.code() == errc::no_credentials);
  CHECK(r.error().message.find("no usable credentials for Cost Explorer GetCostAndUsage") != std::string::npos);
  CHECK(r.error().message.find("counting (test)") != std::string::npos);
  CHECK(rec->sent.size() == 2);
}

TEST_CASE("a credentials value is still accepted: the client makes it static") {
  auto rec = std::make_shared<recording_transport::shared>();
  aws::client_options o = test_client(nullptr, rec, [] { return t0; });
  auto c = aws::credentials::make("AKIDEXAMPLEKEY123456", "staticSecretValue/abc");
  REQUIRE(c);
  o.creds = *c;
  aws::json_client client(std::move(o));
  REQUIRE(client.credential_source());
  CHECK(client.credential_source()->is_static());
  REQUIRE(client.call("GetCostAndUsage", "{}"));
  CHECK(credential_key_id(rec->sent.at(0)) == "AKIDEXAMPLEKEY123456");
  aws::json_client empty(test_client(nullptr, rec, [] { return t0; }));
  CHECK(empty.call("GetCostAndUsage", "{}").code() == errc::no_credentials);
}

TEST_CASE("several threads, one client each, one shared source, across refreshes: never an expired key") {
  // Credentials live 10 minutes; each request advances the shared wall
  // clock by 7 s, so 4 threads x 60 requests cross several refreshes and
  // expiries. Every request's key must be valid at its own X-Amz-Date.
  class timed_provider final : public aws::credentials_provider {
   public:
    result<aws::credentials> fetch(time_point now) override {
      std::lock_guard<std::mutex> g(mu);
      const unsigned n = static_cast<unsigned>(expiries.size()) + 1;
      expiries[nth_key_id(n)] = now + 10min;
      if (busy.exchange(true)) overlapping = true;
      auto c = aws::credentials::make(nth_key_id(n), nth_secret(n), nth_token(n), now + 10min, "timed");
      busy = false;
      return c;
    }
    std::string_view name() const noexcept override { return "timed (test)"; }
    std::mutex mu;
    std::map<std::string, time_point> expiries;
    std::atomic<bool> busy{false};
    std::atomic<bool> overlapping{false};
  };
  auto* p = new timed_provider();
  auto src = wrap(std::unique_ptr<aws::credentials_provider>(p));
  auto rec = std::make_shared<recording_transport::shared>();
  auto ticks = std::make_shared<std::atomic<long long>>(0);
  auto wall = [ticks] { return t0 + std::chrono::seconds(7 * ticks->fetch_add(1)); };
  constexpr int threads = 4;
  constexpr int per_thread = 60;
  std::atomic<int> failures{0};
  std::vector<std::thread> pool;
  for (int i = 0; i < threads; ++i)
    pool.emplace_back([&] {
      aws::json_client c(test_client(src, rec, wall));
      for (int k = 0; k < per_thread; ++k)
        if (!c.call("GetCostAndUsage", "{}")) ++failures;
    });
  for (auto& t : pool) t.join();
  CHECK(failures == 0);
  CHECK_FALSE(p->overlapping.load());
  REQUIRE(rec->sent.size() == threads * per_thread);
  CHECK(p->expiries.size() >= 3);  // it did refresh, more than once
  int checked = 0;
  for (const auto& r : rec->sent) {
    const std::string id = credential_key_id(r);
    auto it = p->expiries.find(id);
    REQUIRE(it != p->expiries.end());
    auto date = finops_crawler::detail::parse_amz_date(r.header("X-Amz-Date").value_or(""));
    REQUIRE(date);
    CHECK(*date < it->second);
    ++checked;
  }
  CHECK(checked == threads * per_thread);
}
