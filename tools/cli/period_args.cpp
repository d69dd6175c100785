// Bodies of period_args.hpp.
#include "period_args.hpp"

#include <chrono>

namespace finops_crawler {
inline namespace v0 {
namespace cli {

result<calendar_date> parse_date(std::string_view s) {
  auto d = calendar_date::parse(s);
  if (!d) return d.error();
  if (d->year() < 1900) return error(errc::invalid_argument, "the year must be 1900 or later");
  return d;
}

std::optional<calendar_date> parse_month(std::string_view s) noexcept {
  unsigned y = 0, m = 0;
  if (s.size() != 7 || s[4] != '-' || !detail::read_digits(s, 0, 4, y) || !detail::read_digits(s, 5, 2, m))
    return std::nullopt;
  if (y < 1900 || m < 1 || m > 12) return std::nullopt;
  return calendar_date::from_days(detail::days_from_civil(y, m, 1));
}

calendar_date today_utc() noexcept { return calendar_date::from_time(std::chrono::system_clock::now()); }

namespace {

// "--start '2026-02-30': day 30 does not exist in month 2 of year 2026" for
// a well-formed day that is not in the calendar; the form otherwise.
error bad_date(std::string_view flag, const std::string& text, const error& why) {
  bool well_formed = text.size() == 10;
  for (std::size_t i = 0; well_formed && i < text.size(); ++i)
    well_formed = (i == 4 || i == 7) ? text[i] == '-' : text[i] >= '0' && text[i] <= '9';
  if (well_formed) return error(errc::invalid_argument, std::string(flag) + " '" + text + "': " + why.message);
  return error(errc::invalid_argument, std::string(flag) + " '" + text + "' is not a date of the form YYYY-MM-DD");
}

}  // namespace

result<date_range> resolve_period(const period_flags& f, calendar_date today, int default_days) {
  const bool explicit_range = !f.start.empty() || !f.end.empty();
  const int forms = (explicit_range ? 1 : 0) + (f.last.empty() ? 0 : 1) + (f.month.empty() ? 0 : 1);
  if (forms > 1) return error(errc::invalid_argument, "use only one of --start/--end, --last and --month");
  if (forms == 0) {
    if (default_days > 0) return date_range{today.add_days(-default_days), today};
    return error(errc::invalid_argument, "give a period: --start YYYY-MM-DD --end YYYY-MM-DD, --last 30d, or --month YYYY-MM");
  }
  if (explicit_range) {
    if (f.start.empty() || f.end.empty())
      return error(errc::invalid_argument, "--start and --end go together (End is exclusive, as in AWS)");
    auto s = parse_date(f.start);
    if (!s) return bad_date("--start", f.start, s.error());
    auto e = parse_date(f.end);
    if (!e) return bad_date("--end", f.end, e.error());
    if (*e <= *s)
      return error(errc::invalid_argument, "--end " + f.end + " must be after --start " + f.start +
                                               " (End is exclusive: one day is --start D --end D+1)");
    return date_range{*s, *e};
  }
  if (!f.month.empty()) {
    auto m = parse_month(f.month);
    if (!m) return error(errc::invalid_argument, "--month '" + f.month + "' is not of the form YYYY-MM");
    return date_range{*m, add_months_first(*m, 1)};
  }
  // --last N{d,m}
  const std::string& l = f.last;
  unsigned n = 0;
  const char unit = l.empty() ? '\0' : l.back();
  if (l.size() < 2 || l.size() > 6 || (unit != 'd' && unit != 'm') || !detail::read_digits(l, 0, l.size() - 1, n))
    return error(errc::invalid_argument, "--last '" + l + "' must be a number of days or months, e.g. 7d, 30d, 3m");
  if (unit == 'd') {
    if (n < 1 || n > 3650) return error(errc::invalid_argument, "--last " + l + ": days must be 1..3650");
    return date_range{today.add_days(-static_cast<std::int64_t>(n)), today};
  }
  if (n < 1 || n > 120) return error(errc::invalid_argument, "--last " + l + ": months must be 1..120");
  calendar_date start = add_months_first(today, -(static_cast<int>(n) - 1));
  if (today.day() == 1) start = add_months_first(today, -static_cast<int>(n));
  return date_range{start, today};
}

}  // namespace cli
}  // namespace v0
}  // namespace finops_crawler
