// `finops-crawler forecast` against the in-process simulator: AWS's JSON
// shape, the CSV and the table carry the same figures, the figures match the
// simulator's forecast rule computed here from its ground truth, and every
// bad argument is refused before anything is sent.
#include "forecast_command.hpp"

#include <simdjson.h>

#include "cli_test_support.hpp"
#include "finops_crawler/decimal.hpp"
#include "synthetic_data.hpp"

using namespace cli_test;

namespace {

const calendar_date today = ymd(2026, 11, 26);

// Data whose last day is `today` (the simulator's current date).
sim::options data_to_today() {
  sim::options o;
  o.data.seed = 5;
  o.data.account_count = 3;
  o.data.start_date = "2026-09-28";
  o.data.days = 60;  // .. 2026-11-26
  return o;
}

// The simulator's forecast, independently: the mean daily UnblendedCost of
// the last 14 days of data, times the days of each period.
double mean_per_day(const sim::data_set& ds) {
  sim::query q;
  q.start_day = ds.end_day() - 14;
  q.end_day = ds.end_day();
  q.gran = sim::granularity::monthly;
  q.metrics = {sim::metric::unblended_cost};
  sim::group_def service;
  service.dim = sim::dimension::service;
  q.group_by = {service};
  double sum = 0;
  for (const auto& p : sim::ground_truth(ds, q))
    for (const auto& g : p.groups) sum += std::stod(g.metrics[0].amount.to_string());
  return sum / 14.0;
}

}  // namespace

TEST_CASE("forecast --format json: AWS's shape; the figures follow the simulator's rule") {
  sim::simulator server(data_to_today());
  REQUIRE(server.start());
  auto env = sim_environment();
  auto ctx = test_context(env, today);
  auto r = run({"forecast", "--granularity", "DAILY", "--format", "json", "--endpoint-url", server.endpoint_url()}, ctx);
  REQUIRE_MESSAGE(r.code == 0, r.err);
  simdjson::dom::parser p;
  simdjson::dom::element doc;
  REQUIRE(p.parse(r.out).get(doc) == simdjson::SUCCESS);
  simdjson::dom::array results;
  REQUIRE(doc["ForecastResultsByTime"].get_array().get(results) == simdjson::SUCCESS);
  CHECK(results.size() == 5);  // 2026-11-26 .. 2026-11-30: the rest of the month
  const double per_day = mean_per_day(server.data());
  REQUIRE(per_day > 0);
  decimal sum;
  std::string_view first_start;
  for (auto e : results) {
    std::string_view start, mean, lower, upper;
    REQUIRE(e["TimePeriod"]["Start"].get_string().get(start) == simdjson::SUCCESS);
    if (first_start.empty()) first_start = start;
    REQUIRE(e["MeanValue"].get_string().get(mean) == simdjson::SUCCESS);
    REQUIRE(e["PredictionIntervalLowerBound"].get_string().get(lower) == simdjson::SUCCESS);
    REQUIRE(e["PredictionIntervalUpperBound"].get_string().get(upper) == simdjson::SUCCESS);
    const double m = std::stod(std::string(mean));
    CHECK(m == doctest::Approx(per_day).epsilon(1e-9));
    CHECK(std::stod(std::string(lower)) < m);
    CHECK(std::stod(std::string(upper)) > m);
    REQUIRE(sum.add_assign(*decimal::parse(mean)));
  }
  CHECK(first_start == "2026-11-26");
  std::string_view total, unit;
  REQUIRE(doc["Total"]["Amount"].get_string().get(total) == simdjson::SUCCESS);
  REQUIRE(doc["Total"]["Unit"].get_string().get(unit) == simdjson::SUCCESS);
  CHECK(unit == "USD");
  CHECK(*decimal::parse(total) == sum);  // exact: the total is the sum of the periods
  CHECK(server.stats().billable == 1);
}

TEST_CASE("forecast csv and table carry the same figures; MONTHLY and an 80% interval by default") {
  sim::simulator server(data_to_today());
  REQUIRE(server.start());
  auto env = sim_environment();
  auto ctx = test_context(env, today);
  auto csv = run({"forecast", "--end", "2027-01-01", "--endpoint-url", server.endpoint_url()}, ctx);
  REQUIRE_MESSAGE(csv.code == 0, csv.err);
  std::istringstream lines(csv.out);
  std::string line;
  std::vector<std::string> rows;
  while (std::getline(lines, line)) rows.push_back(line);
  REQUIRE(rows.size() == 4);
  CHECK(rows[0] == "period_start,period_end,kind,mean,lower_bound,upper_bound,unit");
  CHECK(rows[1].rfind("2026-11-26,2026-12-01,period,", 0) == 0);
  CHECK(rows[2].rfind("2026-12-01,2027-01-01,period,", 0) == 0);
  CHECK(rows[3].rfind("2026-11-26,2027-01-01,total,", 0) == 0);
  // December: 31 days of the mean day; the interval is +-30% at 80%.
  const double per_day = mean_per_day(server.data());
  auto field = [](const std::string& row, int n) {
    std::size_t from = 0;
    for (int i = 0; i < n; ++i) from = row.find(',', from) + 1;
    return std::stod(row.substr(from, row.find(',', from) - from));
  };
  CHECK(field(rows[2], 3) == doctest::Approx(31 * per_day).epsilon(1e-9));
  CHECK(field(rows[2], 4) == doctest::Approx(0.7 * 31 * per_day).epsilon(1e-6));
  CHECK(field(rows[2], 5) == doctest::Approx(1.3 * 31 * per_day).epsilon(1e-6));

  auto table = run({"forecast", "--end", "2027-01-01", "--format", "table", "--prediction-interval", "90",
                    "--metric", "UnblendedCost", "--endpoint-url", server.endpoint_url()},
                   ctx);
  REQUIRE_MESSAGE(table.code == 0, table.err);
  CHECK(table.out.find("Forecast UNBLENDED_COST, 2026-11-26 to 2027-01-01") != std::string::npos);
  CHECK(table.out.find("90% interval") != std::string::npos);
  CHECK(table.out.find("2026-12-01") != std::string::npos);
  CHECK(table.out.find("total") != std::string::npos);
}

TEST_CASE("forecast refuses bad arguments before anything is sent") {
  sim::simulator server(data_to_today());
  REQUIRE(server.start());
  auto env = sim_environment();
  auto ctx = test_context(env, today);
  const std::vector<std::pair<std::vector<std::string>, const char*>> cases{
      {{"--start", "2026-11-25"}, "before today"},
      {{"--start", "2026-12-10", "--end", "2026-12-01"}, "must be after"},
      {{"--granularity", "HOURLY"}, "DAILY or MONTHLY"},
      {{"--granularity", "monthly"}, "did you mean MONTHLY?"},
      {{"--prediction-interval", "50"}, "51..99"},
      {{"--metric", "USAGE_QUANTITY"}, "usage metric"},
      {{"--format", "ndjson"}, "use csv, json or table"},
      {{"--filter", "service=AWS Lambda"}, "did you mean SERVICE?"}};
  for (const auto& [flags, why] : cases) {
    std::vector<std::string> a{"forecast", "--endpoint-url", server.endpoint_url()};
    a.insert(a.end(), flags.begin(), flags.end());
    auto r = run(a, ctx);
    CAPTURE(r.err);
    CHECK(r.code == 2);
    CHECK(r.err.find(why) != std::string::npos);
    CHECK(r.out.empty());
  }
  CHECK(server.stats().requests == 0);
}

TEST_CASE("forecast --help names every placeholder") {
  auto env = sim_environment();
  auto ctx = test_context(env, today);
  auto r = run({"forecast", "--help"}, ctx);
  REQUIRE(r.code == 0);
  for (const char* generic : {" TEXT", " INT", " FLOAT", ":TEXT"}) {
    CAPTURE(generic);
    CHECK(r.out.find(generic) == std::string::npos);
  }
  for (const char* s : {"--start DATE", "--end DATE", "--prediction-interval N", "51..99", "--format FORMAT"}) {
    CAPTURE(s);
    CHECK(r.out.find(s) != std::string::npos);
  }
}
