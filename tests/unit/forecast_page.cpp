#include "finops_crawler/aws/ce/forecast_page.hpp"

#include <doctest/doctest.h>

#include <fstream>
#include <iterator>
#include <string>

using namespace finops_crawler;

namespace {
std::string read_data(const std::string& name) {
  const std::string path = std::string(FINOPS_CRAWLER_TEST_DIR) + "/data/ce/" + name;
  std::ifstream in(path, std::ios::binary);
  REQUIRE_MESSAGE(in.good(), "cannot open " << path);
  return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}
}  // namespace

TEST_CASE("forecast total and periods keep exact values") {
  auto r = ce::forecast_page::parse(read_data("forecast_monthly.json"));
  REQUIRE_MESSAGE(r, r.error().message);
  const ce::forecast_page& page = *r;
  REQUIRE(page.has_total());
  CHECK(page.total().amount_text() == "4523.8812345678");
  CHECK(page.total().unit() == "USD");
  REQUIRE(page.results().size() == 2);
  const ce::forecast_result& first = page.results()[0];
  CHECK(first.start == "2024-03-20");
  CHECK(first.end == "2024-04-01");
  CHECK(first.mean()->to_string() == "1423.8812345678");
  CHECK(first.lower_bound()->to_string() == "1301.1");
  CHECK(first.upper_bound()->to_string() == "1546.6624691356");
  // The periods' means add up exactly to the total in this file.
  auto sum = decimal::add(*page.results()[0].mean(), *page.results()[1].mean());
  REQUIRE(sum);
  CHECK(*sum == *page.total().amount());
  // Bounds are optional.
  CHECK(page.results()[1].lower_text.empty());
  CHECK(page.results()[1].lower_bound().code() == errc::invalid_argument);
}

TEST_CASE("a repeated member of a forecast is refused as damaged, naming it") {
  struct dup_case {
    const char* file;
    const char* message;
  };
  const dup_case cases[] = {
      {"bad_forecast_duplicate_total.json", "Total appears twice"},
      {"bad_forecast_duplicate_results.json", "ForecastResultsByTime appears twice"},
      {"bad_forecast_duplicate_mean.json", "ForecastResultsByTime[0].MeanValue appears twice"},
      {"bad_forecast_duplicate_amount.json", "Total.Amount appears twice"},
  };
  for (const dup_case& c : cases) {
    CAPTURE(c.file);
    ce::forecast_page page;
    REQUIRE(page.reparse(read_data("forecast_monthly.json")));
    auto st = page.reparse(read_data(c.file));
    REQUIRE_FALSE(st);
    CHECK(st.code() == errc::bad_json);
    CHECK(st.error().retryable);
    CHECK_MESSAGE(st.error().message.find(c.message) == 0, st.error().message);
    CHECK(page.results().empty());
    CHECK_FALSE(page.has_total());
  }
}

TEST_CASE("malformed forecasts name the field") {
  auto a = ce::forecast_page::parse(read_data("bad_forecast_no_mean.json"));
  REQUIRE_FALSE(a);
  CHECK(a.code() == errc::unexpected_shape);
  CHECK(a.error().message == "ForecastResultsByTime[0].MeanValue is missing");
  auto b = ce::forecast_page::parse(read_data("bad_forecast_total_no_unit.json"));
  REQUIRE_FALSE(b);
  CHECK(b.error().message == "Total.Unit is missing");
  CHECK(ce::forecast_page::parse("{}").error().message == "ForecastResultsByTime is missing");
  CHECK(ce::forecast_page::parse("{\"ForecastResultsByTime\":[").code() == errc::bad_json);
  ce::forecast_page page;
  REQUIRE(page.reparse(read_data("forecast_monthly.json")));
  CHECK_FALSE(page.reparse("{\"ForecastResultsByTime\":7}"));
  CHECK(page.results().empty());
  CHECK_FALSE(page.has_total());
}
