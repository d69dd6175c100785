// ODR check, part A: this file and umbrella_b.cpp both include the umbrella
// header and use the same inline functions, templates and function-local
// statics; they are linked into one executable. A non-inline definition in
// any header would fail the link (multiple definition); an inline entity
// that differed between the two files, or a function-local static that got
// two copies, is caught by the comparisons below.
#include "finops_crawler/finops_crawler.hpp"

#include <doctest/doctest.h>

#include <cstdint>
#include <string>

// Defined in umbrella_b.cpp.
namespace umbrella_b {
const finops_crawler::aws::environment* default_env_address();
std::string describe(finops_crawler::errc c);
std::string sum(const char* a, const char* b);
std::uint64_t run_fake_crawl(int pages);
std::string cost_request_json();
}  // namespace umbrella_b

using namespace finops_crawler;

namespace umbrella_a {
const aws::environment* default_env_address() { return &aws::default_environment(); }
std::string describe(errc c) { return std::string(error_message(c)); }
std::string sum(const char* a, const char* b) {
  auto x = decimal::parse(a);
  auto y = decimal::parse(b);
  if (!x || !y) return "bad";
  auto s = decimal::add(*x, *y);
  return s ? s->to_string() : "overflow";
}
std::uint64_t crawl_pages(int n) { return umbrella_b::run_fake_crawl(n); }
}  // namespace umbrella_a

TEST_CASE("both translation units see one copy of every inline entity") {
  CHECK(umbrella_a::default_env_address() == umbrella_b::default_env_address());
  for (int i = 0; i <= static_cast<int>(errc_last); ++i) {
    const auto c = static_cast<errc>(i);
    CHECK(umbrella_a::describe(c) == umbrella_b::describe(c));
  }
  CHECK(umbrella_a::sum("12.3456789012", "-0.0000000012") == umbrella_b::sum("12.3456789012", "-0.0000000012"));
  CHECK(umbrella_a::sum("1.5", "2.25") == "3.75");
  CHECK(umbrella_a::crawl_pages(3) == 3);
  CHECK(umbrella_b::cost_request_json() == umbrella_b::cost_request_json());
  CHECK(umbrella_b::cost_request_json().find("\"Granularity\":\"DAILY\"") != std::string::npos);
}

TEST_CASE("the umbrella exposes the whole API") {
  ce::cost_and_usage_request r;
  r.time_period = {"2024-01-01", "2024-01-02"};
  r.granularity = ce::granularity::daily;
  r.metrics = {"UnblendedCost"};
  CHECK(r.validate());
  CHECK(ce::cents_per_page == 1);
  CHECK(aws::cost_explorer_api.billable);
  CHECK_FALSE(aws::organizations_api.billable);
  costs_api_options o;
  CHECK_FALSE(o.endpoint_url.has_value());
  CHECK(calendar_date::parse("2024-02-29"));
}
