// Any Cost Explorer report, page by page: last month's daily unblended cost by
// linked account and `team` tag, usage only, summed exactly per account.
//
//   export AWS_ACCESS_KEY_ID=...  AWS_SECRET_ACCESS_KEY=...
//   ./monthly_by_account
//
// Each page is visited through views that borrow from it (no copies) and then
// replaced by the next one, so memory stays at one page however long the crawl.
#include <chrono>
#include <iostream>
#include <map>
#include <string>

#include "finops_crawler/finops_crawler.hpp"

int main() {
  namespace fc = finops_crawler;
  fc::http::curl_global_guard curl;

  auto api = fc::costs_api::from_default_chain();  // environment, then ~/.aws files
  if (!api) {
    std::cerr << "monthly_by_account: " << api.error().describe() << '\n';
    return 1;
  }

  const auto today = fc::calendar_date::from_time(std::chrono::system_clock::now());
  const auto this_month = today.add_days(1 - static_cast<std::int64_t>(today.day()));
  const auto last_month_end = this_month.add_days(-1);
  const auto last_month_start = last_month_end.add_days(1 - static_cast<std::int64_t>(last_month_end.day()));

  fc::ce::cost_and_usage_request r;
  r.time_period = {last_month_start.to_string(), this_month.to_string()};  // End is exclusive
  r.granularity = fc::ce::granularity::daily;
  r.metrics = {"UnblendedCost"};
  r.group_by = {fc::ce::group_by::dimension("LINKED_ACCOUNT"), fc::ce::group_by::tag("Team")};
  r.filter = fc::ce::expression::dimension("RECORD_TYPE", {"Usage"});

  std::map<std::string, fc::decimal> by_account;  // exact sums: no double anywhere
  auto stats = api->cost_explorer().crawl_cost_and_usage(
      r, [&](const fc::ce::cost_page& page, const fc::ce::page_info&) -> fc::status {
        for (const auto& period : page.results())
          for (const auto& group : period.groups()) {
            const fc::ce::metric_value* cost = group.metrics().find("UnblendedCost");
            if (cost == nullptr) continue;
            auto amount = cost->amount();               // result<decimal>
            if (!amount) return amount.error();
            if (auto added = by_account[std::string(group.keys()[0])].add_assign(*amount); !added) return added;
          }
        return {};
      });
  if (!stats) {
    std::cerr << "monthly_by_account: " << stats.error().describe() << '\n';
    return 1;
  }
  for (const auto& [account, total] : by_account) std::cout << account << ' ' << total.to_string() << " USD\n";
  std::cout << stats->billable_requests << " billable requests (USD 0.01 each)\n";
  return 0;
}
