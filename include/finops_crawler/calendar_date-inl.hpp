#ifndef FINOPS_CRAWLER_CALENDAR_DATE_INL_HPP
#define FINOPS_CRAWLER_CALENDAR_DATE_INL_HPP
/// \file
/// The bodies of calendar_date.hpp: included by that header in header-only
/// mode, compiled once in src/ otherwise (config.hpp). Not for direct inclusion.

#include "finops_crawler/calendar_date.hpp"

namespace finops_crawler {
inline namespace v0 {

FINOPS_CRAWLER_FUNC result<calendar_date> calendar_date::from_ymd(std::int64_t year, unsigned month, unsigned day) {
  if (month < 1 || month > 12) return error(errc::invalid_argument, "month must be 1..12");
  if (day < 1 || day > detail::days_in_month(year, month)) {
    return error(errc::invalid_argument, "day " + std::to_string(day) + " does not exist in month " +
                                             std::to_string(month) + " of year " + std::to_string(year));
  }
  return calendar_date(detail::days_from_civil(year, month, day));
}

FINOPS_CRAWLER_FUNC result<calendar_date> calendar_date::parse(std::string_view s) {
  unsigned y = 0, m = 0, d = 0;
  if (s.size() != 10 || s[4] != '-' || s[7] != '-' || !detail::read_digits(s, 0, 4, y) || !detail::read_digits(s, 5, 2, m) ||
      !detail::read_digits(s, 8, 2, d)) {
    return error(errc::invalid_argument, "date must be YYYY-MM-DD, got '" + std::string(s.substr(0, 40)) + "'");
  }
  return from_ymd(y, m, d);
}

FINOPS_CRAWLER_FUNC calendar_date calendar_date::from_time(std::chrono::system_clock::time_point t) noexcept {
  std::int64_t s = detail::unix_seconds(t);
  std::int64_t days = s / 86400;
  if (s % 86400 < 0) --days;
  return calendar_date(days);
}

FINOPS_CRAWLER_FUNC std::string calendar_date::to_string() const {
  const detail::civil_date c = fields();
  std::string out;
  std::int64_t y = c.year;
  if (y < 0) {
    out.push_back('-');
    y = -y;
  }
  std::string ys = std::to_string(y);
  if (ys.size() < 4) out.append(4 - ys.size(), '0');
  out += ys;
  char md[6] = {'-', '0', '0', '-', '0', '0'};
  detail::write_digits(md + 1, c.month, 2);
  detail::write_digits(md + 4, c.day, 2);
  out.append(md, 6);
  return out;
}

FINOPS_CRAWLER_FUNC result<std::chrono::system_clock::time_point> calendar_date::to_time() const { return detail::time_from_unix_seconds(days_ * 86400); }

}  // namespace v0
}  // namespace finops_crawler

#endif  // FINOPS_CRAWLER_CALENDAR_DATE_INL_HPP
