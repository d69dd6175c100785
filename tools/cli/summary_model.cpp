// Bodies of summary_model.hpp.
#include "summary_model.hpp"

#include <algorithm>
#include <cmath>
#include <utility>

#include "response_cache.hpp"

namespace finops_crawler {
inline namespace v0 {
namespace cli {

std::array<window_pair, summary_window_count> summary_windows(calendar_date today) {
  std::array<window_pair, summary_window_count> w{};
  const calendar_date this_month = add_months_first(today, 0);
  const calendar_date last_month = add_months_first(today, -1);
  const calendar_date month_before = add_months_first(today, -2);
  // Month to date: the same number of days at the start of last month,
  // clipped to that month (its shorter end is still "the same days").
  const calendar_date same_days_end = std::min(last_month.add_days(today - this_month), this_month);
  w[0] = {{this_month, today}, {last_month, same_days_end}};
  w[1] = {{last_month, this_month}, {month_before, last_month}};
  w[2] = {{today.add_days(-7), today}, {today.add_days(-14), today.add_days(-7)}};
  w[3] = {{today.add_days(-1), today}, {today.add_days(-2), today.add_days(-1)}};
  return w;
}

date_range summary_fetch_range(calendar_date today) {
  // The month before last starts at least 28 days before today, so it
  // also covers the 14 days of the weekly comparison.
  return {add_months_first(today, -2), today};
}

std::vector<date_range> summary_crawl_ranges(calendar_date today, bool with_cache) {
  const date_range range = summary_fetch_range(today);
  // Periods ending by the cutoff are final (response_cache.hpp); the fetch
  // range starts a month before it.
  const calendar_date cutoff = final_cutoff(today);
  if (with_cache && range.start < cutoff && cutoff < range.end) return {{range.start, cutoff}, {cutoff, range.end}};
  return {range};
}

std::optional<double> comparison::percent() const {
  if (previous.is_zero()) return std::nullopt;
  auto c = change();
  if (!c) return std::nullopt;
  // Relative to the size of `previous`, so the sign is the change's: credits
  // going from -10 to -5 are a rise of 50 %, not a fall.
  return 100.0 * c->to_double() / std::fabs(previous.to_double());
}

summary_builder::summary_builder(calendar_date today)
    : today_(today), windows_(summary_windows(today)), range_(summary_fetch_range(today)) {}

status summary_builder::add(calendar_date day, std::string_view key, const decimal& amount, bool estimated) {
  if (day < range_.start || !(day < range_.end)) return {};
  auto it = groups_.find(key);
  if (it == groups_.end()) it = groups_.emplace(std::string(key), std::map<calendar_date, decimal>{}).first;
  if (estimated) estimated_days_.insert(day);
  return it->second[day].add_assign(amount);
}

result<comparison> summary_builder::sum(const std::map<calendar_date, decimal>& days, const window_pair& w) const {
  comparison c;
  auto add_range = [&](const date_range& r, decimal& to, bool& est) -> status {
    for (auto it = days.lower_bound(r.start); it != days.end() && it->first < r.end; ++it)
      if (auto st = to.add_assign(it->second); !st) return st;
    // Estimated when any of its days is, whether or not this group had costs that day.
    auto e = estimated_days_.lower_bound(r.start);
    est = e != estimated_days_.end() && *e < r.end;
    return {};
  };
  if (auto st = add_range(w.current, c.current, c.current_estimated); !st) return st.error();
  if (auto st = add_range(w.previous, c.previous, c.previous_estimated); !st) return st.error();
  return c;
}

namespace {

status add_line(summary_group& to, const summary_group& from) {
  for (std::size_t i = 0; i < summary_window_count; ++i) {
    comparison& a = to.windows[i];
    const comparison& b = from.windows[i];
    if (auto st = a.current.add_assign(b.current); !st) return st;
    if (auto st = a.previous.add_assign(b.previous); !st) return st;
    a.current_estimated = a.current_estimated || b.current_estimated;
    a.previous_estimated = a.previous_estimated || b.previous_estimated;
  }
  return {};
}

}  // namespace

result<summary_report> summary_builder::finish(std::size_t top) const {
  summary_report r;
  r.today = today_;
  r.windows = windows_;
  std::vector<summary_group> lines;
  lines.reserve(groups_.size());
  for (const auto& g : groups_) {
    summary_group l;
    l.key = g.first;
    for (std::size_t i = 0; i < summary_window_count; ++i) {
      auto c = sum(g.second, windows_[i]);
      if (!c) return c.error();
      l.windows[i] = std::move(*c);
    }
    lines.push_back(std::move(l));
  }
  const auto mtd = static_cast<std::size_t>(summary_window::month_to_date);
  const auto lm = static_cast<std::size_t>(summary_window::last_month);
  std::stable_sort(lines.begin(), lines.end(), [&](const summary_group& a, const summary_group& b) {
    if (a.windows[mtd].current != b.windows[mtd].current) return a.windows[mtd].current > b.windows[mtd].current;
    if (a.windows[lm].current != b.windows[lm].current) return a.windows[lm].current > b.windows[lm].current;
    return a.key < b.key;
  });
  r.group_count = lines.size();
  r.total.key = "total";
  r.total.members = lines.size();
  // The flags of a window with no group at all still come from its days.
  for (std::size_t i = 0; i < summary_window_count; ++i) {
    auto c = sum({}, windows_[i]);
    if (!c) return c.error();
    r.total.windows[i] = std::move(*c);
  }
  if (top == 0) top = 1;
  for (std::size_t i = 0; i < lines.size(); ++i) {
    if (auto st = add_line(r.total, lines[i]); !st) return st.error();
    if (i < top) continue;
    if (!r.other) {
      r.other.emplace();
      r.other->key = "other";
      r.other->members = 0;
    }
    if (auto st = add_line(*r.other, lines[i]); !st) return st.error();
    ++r.other->members;
  }
  if (lines.size() > top) lines.resize(top);
  r.top = std::move(lines);
  return r;
}

status summary_builder::set_forecast(summary_report& r, const decimal& mean, std::optional<decimal> lower,
                                     std::optional<decimal> upper, int interval_level) {
  summary_forecast f;
  f.period = {r.today, add_months_first(r.today, 1)};
  f.mean = mean;
  f.lower = std::move(lower);
  f.upper = std::move(upper);
  f.interval_level = interval_level;
  const comparison& mtd = r.total.windows[static_cast<std::size_t>(summary_window::month_to_date)];
  const comparison& lm = r.total.windows[static_cast<std::size_t>(summary_window::last_month)];
  auto month = decimal::add(mtd.current, mean);
  if (!month) return month.error();
  f.month.current = *month;
  f.month.current_estimated = true;
  f.month.previous = lm.current;
  f.month.previous_estimated = lm.current_estimated;
  r.forecast = std::move(f);
  r.forecast_note.clear();
  return {};
}

}  // namespace cli
}  // namespace v0
}  // namespace finops_crawler
