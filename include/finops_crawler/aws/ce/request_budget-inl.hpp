#ifndef FINOPS_CRAWLER_AWS_CE_REQUEST_BUDGET_INL_HPP
#define FINOPS_CRAWLER_AWS_CE_REQUEST_BUDGET_INL_HPP
// Bodies of request_budget.hpp.
#include "finops_crawler/aws/ce/request_budget.hpp"

namespace finops_crawler {
inline namespace v0 {
namespace ce {

FINOPS_CRAWLER_FUNC std::uint64_t period_count(calendar_date start, calendar_date end, ce::granularity g) noexcept {
  if (!(start < end)) return 0;
  const auto days = static_cast<std::uint64_t>(end - start);
  switch (g) {
    case ce::granularity::daily: return days;
    case ce::granularity::hourly: return days * 24;
    case ce::granularity::monthly: {
      const calendar_date last = end.add_days(-1);
      const std::int64_t months = (last.year() - start.year()) * 12 + static_cast<std::int64_t>(last.month()) -
                                  static_cast<std::int64_t>(start.month());
      return static_cast<std::uint64_t>(months) + 1;
    }
  }
  return days;
}

FINOPS_CRAWLER_FUNC std::uint64_t estimate_requests(const request_shape& s) noexcept {
  const std::uint64_t periods = period_count(s.start, s.end, s.granularity);
  if (periods == 0) return 0;
  if (s.known_pages != 0 && s.known_periods != 0) {
    // Pages scale with periods when the groups per period stay alike, which
    // they do for one report from one month to the next.
    const std::uint64_t est = (periods * s.known_pages + s.known_periods - 1) / s.known_periods;
    return est == 0 ? 1 : est;
  }
  // Why: without GroupBy each period is one small total; AWS sends every
  // period on the first page.
  if (s.group_by_count == 0) return 1;
  std::uint64_t groups = s.groups_per_period;
  if (groups == 0) groups = s.group_by_count == 1 ? 25 : 150;
  const std::uint64_t per_page = s.page_groups == 0 ? default_page_groups : s.page_groups;
  const std::uint64_t total = periods * groups;
  const std::uint64_t est = (total + per_page - 1) / per_page;
  return est == 0 ? 1 : est;
}

FINOPS_CRAWLER_FUNC std::string usd_for_requests(std::uint64_t requests) {
  // cents_per_page is 1: the count is the number of cents.
  std::string cents = std::to_string(requests % 100);
  if (cents.size() < 2) cents.insert(0, 1, '0');
  return std::to_string(requests / 100) + "." + cents;
}

}  // namespace ce
}  // namespace v0
}  // namespace finops_crawler

#endif  // FINOPS_CRAWLER_AWS_CE_REQUEST_BUDGET_INL_HPP
