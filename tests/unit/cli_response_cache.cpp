#include "response_cache.hpp"

#include <doctest/doctest.h>

#include <sys/stat.h>

#include <fstream>
#include <sstream>
#include <string>

using namespace finops_crawler;
using namespace finops_crawler::cli;

namespace {
/// The day y-m-d (a valid date).
constexpr finops_crawler::calendar_date ymd(std::int64_t y, unsigned m, unsigned d) {
  return finops_crawler::calendar_date::from_days(finops_crawler::detail::days_from_civil(y, m, d));
}
std::string temp_dir() {
  std::string t = "/tmp/finops-cli-cache-XXXXXX";
  REQUIRE(::mkdtemp(&t[0]) != nullptr);
  return t;
}
std::string page(std::string_view start, std::string_view end, bool estimated) {
  return std::string(R"({"GroupDefinitions":[],"ResultsByTime":[{"TimePeriod":{"Start":")") + std::string(start) +
         R"(","End":")" + std::string(end) + R"("},"Total":{"UnblendedCost":{"Amount":"1.25","Unit":"USD"}},"Groups":[],"Estimated":)" +
         (estimated ? "true" : "false") + "}]}";
}
void overwrite(const std::string& p, const std::string& content) {
  std::ofstream o(p, std::ios::binary | std::ios::trunc);
  o << content;
}
std::string slurp(const std::string& p) {
  std::ifstream in(p, std::ios::binary);
  std::ostringstream o;
  o << in.rdbuf();
  return o.str();
}
bool exists(const std::string& p) {
  struct stat st {};
  return ::stat(p.c_str(), &st) == 0;
}
}  // namespace

TEST_CASE("final-page rule: current and previous month are never final") {
  const calendar_date today = ymd(2026, 11, 26);
  CHECK(final_cutoff(today).to_string() == "2026-10-01");
  CHECK(final_cutoff(ymd(2026, 1, 1)).to_string() == "2025-12-01");
  CHECK(is_final_page(page("2026-09-30", "2026-10-01", false), today));
  CHECK_FALSE(is_final_page(page("2026-10-01", "2026-10-02", false), today));
  CHECK_FALSE(is_final_page(page("2026-09-01", "2026-09-02", true), today));  // AWS says estimated
  CHECK(is_final_page(page("2026-09-01T00:00:00Z", "2026-09-01T01:00:00Z", false), today));  // HOURLY
  CHECK_FALSE(is_final_page(R"({"ResultsByTime":[]})", today));
  CHECK_FALSE(is_final_page(R"({"DimensionValues":[]})", today));
  CHECK_FALSE(is_final_page("not json", today));
  CHECK_FALSE(is_final_page(R"({"ResultsByTime":[{"TimePeriod":{"Start":"2020-01-01"}}]})", today));
}

TEST_CASE("key: operation, endpoint and body (token included) all matter") {
  const auto k = response_cache::key("AWSInsightsIndexService.GetCostAndUsage", "https://ce.us-east-1.amazonaws.com/",
                                     R"({"a":1})");
  CHECK(k.size() == 64);
  CHECK(k == response_cache::key("AWSInsightsIndexService.GetCostAndUsage", "https://ce.us-east-1.amazonaws.com/",
                                 R"({"a":1})"));
  CHECK(k != response_cache::key("AWSInsightsIndexService.GetCostAndUsageWithResources",
                                 "https://ce.us-east-1.amazonaws.com/", R"({"a":1})"));
  CHECK(k != response_cache::key("AWSInsightsIndexService.GetCostAndUsage", "http://127.0.0.1:9/", R"({"a":1})"));
  CHECK(k != response_cache::key("AWSInsightsIndexService.GetCostAndUsage", "https://ce.us-east-1.amazonaws.com/",
                                 R"({"a":1,"NextPageToken":"x"})"));
}

TEST_CASE("store then load round-trips the body exactly") {
  const std::string dir = temp_dir() + "/nested/cache";
  auto c = response_cache::open(dir);
  REQUIRE(c);
  const std::string body = page("2020-01-01", "2020-01-02", false);
  const auto k = response_cache::key("op", "url", "body");
  CHECK_FALSE(c->load(k));
  REQUIRE(c->store(k, body));
  auto got = c->load(k);
  REQUIRE(got);
  CHECK(*got == body);
  CHECK(c->stats().hits == 1);
  CHECK(c->stats().misses == 1);
  CHECK(c->stats().stored == 1);
  struct stat st {};
  REQUIRE(::stat(c->path(k).c_str(), &st) == 0);
  CHECK((st.st_mode & 0777) == 0600);
}

TEST_CASE("corrupt entries are discarded, never trusted") {
  const std::string dir = temp_dir();
  auto c = response_cache::open(dir);
  REQUIRE(c);
  const std::string body = page("2020-01-01", "2020-01-02", false);
  const auto k = response_cache::key("op", "url", "body");
  const auto other = response_cache::key("op", "url", "other body");
  const std::string p = c->path(k);

  SUBCASE("truncated body") {
    REQUIRE(c->store(k, body));
    std::string s = slurp(p);
    overwrite(p, s.substr(0, s.size() - 5));
  }
  SUBCASE("one amount changed, same length") {
    REQUIRE(c->store(k, body));
    std::string s = slurp(p);
    auto at = s.find("1.25");
    REQUIRE(at != std::string::npos);
    s[at] = '9';
    overwrite(p, s);
  }
  SUBCASE("entry of another key copied over") {
    REQUIRE(c->store(other, body));
    overwrite(p, slurp(c->path(other)));
  }
  SUBCASE("valid header, body not JSON") {
    // Written through store() so header, length and hash all agree.
    REQUIRE(c->store(k, "{\"ResultsByTime\": [")); 
  }
  SUBCASE("garbage header") { overwrite(p, "hello\n" + body); }
  SUBCASE("empty file") { overwrite(p, ""); }

  CHECK_FALSE(c->load(k));
  CHECK(c->stats().corrupt == 1);
  CHECK_FALSE(exists(p));
  // The next store replaces it and it loads again.
  REQUIRE(c->store(k, body));
  CHECK(c->load(k) == body);
}

TEST_CASE("a cache path that is a file is refused") {
  const std::string dir = temp_dir();
  overwrite(dir + "/file", "x");
  CHECK_FALSE(response_cache::open(dir + "/file"));
  CHECK_FALSE(response_cache::open(""));
}
