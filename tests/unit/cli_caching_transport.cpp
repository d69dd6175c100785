#include "caching_transport.hpp"

#include <doctest/doctest.h>

#include <string>
#include <vector>

using namespace finops_crawler;
using namespace finops_crawler::cli;

namespace {
/// The day y-m-d (a valid date).
constexpr finops_crawler::calendar_date ymd(std::int64_t y, unsigned m, unsigned d) {
  return finops_crawler::calendar_date::from_days(finops_crawler::detail::days_from_civil(y, m, d));
}
// A scripted inner transport that counts what reaches it.
class counting_transport final : public http::transport {
 public:
  explicit counting_transport(std::string body, long status = 200) : body_(std::move(body)), status_(status) {}
  result<http::http_response> send(const http::http_request&) override {
    ++(*sent);
    http::http_response r;
    r.status = status_;
    r.body = body_;
    return r;
  }
  std::shared_ptr<int> sent = std::make_shared<int>(0);

 private:
  std::string body_;
  long status_;
};

http::http_request request(std::string target, std::string body) {
  http::http_request r;
  r.url = "http://127.0.0.1:9/";
  r.headers.push_back({"X-Amz-Target", std::move(target)});
  r.headers.push_back({"X-Amz-Date", "20261126T000000Z"});  // differs per attempt: not in the key
  r.body = std::move(body);
  return r;
}

const char* final_page =
    R"({"ResultsByTime":[{"TimePeriod":{"Start":"2025-01-01","End":"2025-01-02"},"Total":{},"Groups":[],"Estimated":false}]})";
const char* recent_page =
    R"({"ResultsByTime":[{"TimePeriod":{"Start":"2026-11-01","End":"2026-11-02"},"Total":{},"Groups":[],"Estimated":true}]})";
}  // namespace

TEST_CASE("final Cost Explorer pages are served from the cache on the second request") {
  std::string dir = "/tmp/finops-cli-ct-XXXXXX";
  REQUIRE(::mkdtemp(&dir[0]) != nullptr);
  auto cache = response_cache::open(dir);
  REQUIRE(cache);
  auto* inner = new counting_transport(final_page);
  auto sent = inner->sent;
  caching_transport t(std::unique_ptr<http::transport>(inner), &*cache, ymd(2026, 11, 26));
  auto a = t.send(request("AWSInsightsIndexService.GetCostAndUsage", "{\"p\":1}"));
  REQUIRE(a);
  CHECK_FALSE(t.last_from_cache());
  auto b = t.send(request("AWSInsightsIndexService.GetCostAndUsage", "{\"p\":1}"));
  REQUIRE(b);
  CHECK(t.last_from_cache());
  CHECK(*sent == 1);
  CHECK(b->status == 200);
  CHECK(b->body == final_page);
  CHECK(b->body.capacity() >= b->body.size() + 64);
  CHECK(t.served() == 1);
  // Another body (another NextPageToken) is another entry.
  REQUIRE(t.send(request("AWSInsightsIndexService.GetCostAndUsage", "{\"p\":2}")));
  CHECK(*sent == 2);
}

TEST_CASE("recent pages, errors and other operations always go to the network") {
  std::string dir = "/tmp/finops-cli-ct-XXXXXX";
  REQUIRE(::mkdtemp(&dir[0]) != nullptr);
  auto cache = response_cache::open(dir);
  REQUIRE(cache);
  {
    auto* inner = new counting_transport(recent_page);
    auto sent = inner->sent;
    caching_transport t(std::unique_ptr<http::transport>(inner), &*cache, ymd(2026, 11, 26));
    for (int i = 0; i < 2; ++i) REQUIRE(t.send(request("AWSInsightsIndexService.GetCostAndUsage", "{}")));
    CHECK(*sent == 2);
  }
  {
    auto* inner = new counting_transport(final_page, 400);
    auto sent = inner->sent;
    caching_transport t(std::unique_ptr<http::transport>(inner), &*cache, ymd(2026, 11, 26));
    for (int i = 0; i < 2; ++i) REQUIRE(t.send(request("AWSInsightsIndexService.GetCostAndUsage", "{\"e\":1}")));
    CHECK(*sent == 2);
  }
  {
    auto* inner = new counting_transport(final_page);
    auto sent = inner->sent;
    caching_transport t(std::unique_ptr<http::transport>(inner), &*cache, ymd(2026, 11, 26));
    for (int i = 0; i < 2; ++i) REQUIRE(t.send(request("AWSInsightsIndexService.GetDimensionValues", "{}")));
    for (int i = 0; i < 2; ++i) REQUIRE(t.send(request("AWSOrganizationsV20161128.ListAccounts", "{}")));
    CHECK(*sent == 4);
    CHECK(t.served() == 0);
  }
  CHECK(cache->stats().stored == 0);
}

TEST_CASE("without a cache it is a plain pass-through") {
  auto* inner = new counting_transport(final_page);
  auto sent = inner->sent;
  caching_transport t(std::unique_ptr<http::transport>(inner), nullptr, ymd(2026, 11, 26));
  for (int i = 0; i < 3; ++i) REQUIRE(t.send(request("AWSInsightsIndexService.GetCostAndUsage", "{}")));
  CHECK(*sent == 3);
}
