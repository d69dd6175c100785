// ODR check, part B (see umbrella_a.cpp).
#include "finops_crawler/finops_crawler.hpp"

#include <string>


using namespace finops_crawler;

namespace umbrella_b {  // used by umbrella_a.cpp
const aws::environment* default_env_address();
std::string describe(errc c);
std::string sum(const char* a, const char* b);
std::uint64_t run_fake_crawl(int pages);
std::string cost_request_json();
}  // namespace umbrella_b

namespace {
struct page {
  int left = 0;
  std::string token;
  bool has_next_page_token() const noexcept { return left > 0; }
  std::string_view next_page_token() const noexcept { return token; }
};
struct source {
  int pages;
  int fetched = 0;
  status fetch_page(std::string_view, page& p) {
    ++fetched;
    p.left = pages - fetched;
    p.token = "t" + std::to_string(fetched);
    return {};
  }
  std::size_t last_body_bytes() const noexcept { return 1; }
  ce::source_counters counters() const noexcept {
    return ce::source_counters{static_cast<std::uint64_t>(fetched), static_cast<std::uint64_t>(fetched), 0, 0};
  }
};
}  // namespace

namespace umbrella_b {
const aws::environment* default_env_address() { return &aws::default_environment(); }
std::string describe(errc c) { return std::string(error_message(c)); }
std::string sum(const char* a, const char* b) {
  auto x = decimal::parse(a);
  auto y = decimal::parse(b);
  if (!x || !y) return "bad";
  auto s = decimal::add(*x, *y);
  return s ? s->to_string() : "overflow";
}
std::uint64_t run_fake_crawl(int pages) {
  source src{pages};
  page p;
  auto r = ce::crawl(src, p, [](const page&, const ce::page_info&) {});
  return r ? r->billable_requests : 0;
}
std::string cost_request_json() {
  ce::cost_and_usage_request r;
  r.time_period = {"2024-01-01", "2024-01-02"};
  r.granularity = ce::granularity::daily;
  r.metrics = {"UnblendedCost"};
  auto j = r.to_json();
  return j ? *j : j.error().message;
}
}  // namespace umbrella_b
