// The C++ twin of the Python package's example.py: the AWS costs of the last
// seven days, with the credentials from the environment.
//
//   export AWS_ACCESS_KEY_ID=...  AWS_SECRET_ACCESS_KEY=...
//   ./example
//
// AWS_ENDPOINT_URL, when set, sends every call there instead of AWS (for
// example to the local simulator: finops-crawler-sim prints the values to
// export). Cost Explorer bills USD 0.01 per page of results; the last line
// says how many pages this run fetched.
//
// Like example.py it asks for [today - 7 days, today): Cost Explorer's End is
// exclusive, so today's (still incomplete) figures are not included.
#include <chrono>
#include <iostream>

#include "finops_crawler/finops_crawler.hpp"

int main() {
  namespace fc = finops_crawler;
  fc::http::curl_global_guard curl;  // libcurl's global set-up, once, first

  const fc::calendar_date today = fc::calendar_date::from_time(std::chrono::system_clock::now());
  const fc::calendar_date seven_days_ago = today.add_days(-7);

  // AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY (and AWS_SESSION_TOKEN); a
  // missing one is named in the error.
  auto api = fc::costs_api::from_environment();
  if (!api) {
    std::cerr << "example: " << api.error().describe() << '\n';
    return 1;
  }

  auto cost = api->get_cost(seven_days_ago, today);
  if (!cost) {
    std::cerr << "example: " << cost.error().describe() << '\n';
    return 1;
  }

  // ResultsByTime, one entry per day, each with its (service, usage type) groups.
  for (const auto& day : cost->results_by_time) {
    fc::decimal day_total;
    std::string unit;
    for (const auto& g : day.groups)
      for (const auto& m : g.metrics) {
        auto amount = fc::decimal::parse(m.amount);
        if (amount && day_total.add_assign(*amount)) unit = m.unit;
      }
    std::cout << day.start << " .. " << day.end << (day.estimated ? " (estimated)" : "") << ": "
              << day_total.to_string() << (unit.empty() ? "" : " " + unit) << '\n';
    for (const auto& g : day.groups) {
      std::cout << "  ";
      for (std::size_t k = 0; k < g.keys.size(); ++k) std::cout << (k ? " / " : "") << g.keys[k];
      for (const auto& m : g.metrics) std::cout << "  " << m.name << ' ' << m.amount << ' ' << m.unit;
      std::cout << '\n';
    }
  }
  std::cout << cost->stats.pages << (cost->stats.pages == 1 ? " page" : " pages") << " from Cost Explorer (USD "
            << cost->stats.estimated_cost_usd().to_string() << " in API charges)\n";
  return 0;
}
