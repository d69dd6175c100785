#include "chart.hpp"
#include "period_args.hpp"
#include "table_writer.hpp"

#include <doctest/doctest.h>

#include <sstream>
#include <string>
#include <vector>

using namespace finops_crawler::cli;

namespace {
/// The day y-m-d (a valid date).
constexpr finops_crawler::calendar_date ymd(std::int64_t y, unsigned m, unsigned d) {
  return finops_crawler::calendar_date::from_days(finops_crawler::detail::days_from_civil(y, m, d));
}
std::vector<std::string> lines(const std::string& s) {
  std::vector<std::string> out;
  std::istringstream in(s);
  std::string l;
  while (std::getline(in, l)) out.push_back(l);
  return out;
}
std::size_t count(const std::string& s, char c) {
  std::size_t n = 0;
  for (char x : s) n += x == c;
  return n;
}
}  // namespace

TEST_CASE("nice ceilings") {
  CHECK(nice_ceiling(0.7) == doctest::Approx(0.8));
  CHECK(nice_ceiling(1.0) == doctest::Approx(1.0));
  CHECK(nice_ceiling(130) == doctest::Approx(150));
  CHECK(nice_ceiling(264) == doctest::Approx(300));
  CHECK(nice_ceiling(2100) == doctest::Approx(2500));
  CHECK(nice_ceiling(7000) == doctest::Approx(8000));
  CHECK(nice_ceiling(4999) == doctest::Approx(5000));
  CHECK(nice_ceiling(0) == doctest::Approx(1.0));
}

TEST_CASE("90 days fit in 80 columns with axis, dates and legend") {
  std::vector<std::string> days;
  for (int i = 0; i < 90; ++i) days.push_back(ymd(2026, 8, 1).add_days(i).to_string());
  std::vector<chart_series> s{{"Amazon Elastic Compute Cloud - Compute", {}}, {"Amazon S3", {}}, {"Other", {}}};
  for (int i = 0; i < 90; ++i) {
    s[0].values.push_back(100 + i);
    s[1].values.push_back(50);
    s[2].values.push_back(i % 7 == 0 ? 30 : 10);
  }
  chart_options opt;
  opt.title = "Daily cost, top services";
  const std::string c = render_stacked_chart(days, s, opt);
  auto l = lines(c);
  for (const auto& x : l) CHECK(display_width(x) <= 80);
  REQUIRE(l.size() == 1 + 1 + 12 + 1 + 1 + 1);
  CHECK(l[0] == "Daily cost, top services");
  CHECK(l[2].find("300 |") != std::string::npos);  // tallest day 184+50+30 = 264, axis top 300
  CHECK(c.find("2026-08-01") != std::string::npos);
  CHECK(c.find(ymd(2026, 8, 1).add_days(89).to_string()) != std::string::npos);
  CHECK(c.find("# Amazon Elastic Compute Cloud - Compute") != std::string::npos);
  CHECK(c.find("= Amazon S3") != std::string::npos);
  CHECK(c.find("+ Other") != std::string::npos);
  // The biggest series fills the most cells.
  CHECK(count(c, '#') > count(c, '='));
  CHECK(count(c, '=') > count(c, '+'));
}

TEST_CASE("few days: each day gets equal whole columns; growth shows as taller bars") {
  std::vector<std::string> days{"d1", "d2", "d3"};
  std::vector<chart_series> s{{"A", {1, 2, 4}}};
  chart_options opt;
  opt.height = 8;
  auto l = lines(render_stacked_chart(days, s, opt));
  // Top row: only the last day (4 of 4) reaches it.
  const std::string& top = l[1];
  const auto first_hash = top.find('#');
  REQUIRE(first_hash != std::string::npos);
  // The bottom row is fully drawn for all three days.
  const std::string& bottom = l[8];
  CHECK(count(bottom, '#') == 3 * count(top, '#'));
}

TEST_CASE("nothing to draw") {
  CHECK(render_stacked_chart({}, {{"A", {}}}).empty());
  CHECK(render_stacked_chart({"d"}, {}).empty());
}
