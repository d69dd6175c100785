// Bodies of period_args.hpp.
#include "period_args.hpp"

#include <chrono>
#include <cstdio>

namespace finops_crawler {
inline namespace v0 {
namespace cli {

namespace {
bool parse_digits(std::string_view s, int& out) noexcept {
  if (s.empty()) return false;
  int v = 0;
  for (char c : s) {
    if (c < '0' || c > '9') return false;
    v = v * 10 + (c - '0');
  }
  out = v;
  return true;
}
}  // namespace

std::string format_date(civil_date d) {
  char buf[48];  // room for any int, so the compiler can prove no truncation
  std::snprintf(buf, sizeof buf, "%04d-%02d-%02d", d.year, d.month, d.day);
  return buf;
}

std::optional<civil_date> parse_date(std::string_view s) noexcept {
  if (s.size() != 10 || s[4] != '-' || s[7] != '-') return std::nullopt;
  civil_date d;
  if (!parse_digits(s.substr(0, 4), d.year) || !parse_digits(s.substr(5, 2), d.month) ||
      !parse_digits(s.substr(8, 2), d.day))
    return std::nullopt;
  if (d.year < 1900 || d.month < 1 || d.month > 12 || d.day < 1 || d.day > days_in_month(d.year, d.month))
    return std::nullopt;
  return d;
}

std::optional<civil_date> parse_month(std::string_view s) noexcept {
  if (s.size() != 7 || s[4] != '-') return std::nullopt;
  civil_date d;
  if (!parse_digits(s.substr(0, 4), d.year) || !parse_digits(s.substr(5, 2), d.month))
    return std::nullopt;
  if (d.year < 1900 || d.month < 1 || d.month > 12) return std::nullopt;
  return d;
}

civil_date today_utc() noexcept {
  const auto now = std::chrono::system_clock::now();
  const auto secs = std::chrono::duration_cast<std::chrono::seconds>(now.time_since_epoch()).count();
  return from_days(secs >= 0 ? secs / 86400 : (secs - 86399) / 86400);
}

result<date_range> resolve_period(const period_flags& f, civil_date today, int default_days) {
  const bool explicit_range = !f.start.empty() || !f.end.empty();
  const int forms = (explicit_range ? 1 : 0) + (f.last.empty() ? 0 : 1) + (f.month.empty() ? 0 : 1);
  if (forms > 1) return error(errc::invalid_argument, "use only one of --start/--end, --last and --month");
  if (forms == 0) {
    if (default_days > 0) return date_range{add_days(today, -default_days), today};
    return error(errc::invalid_argument, "give a period: --start YYYY-MM-DD --end YYYY-MM-DD, --last 30d, or --month YYYY-MM");
  }
  if (explicit_range) {
    if (f.start.empty() || f.end.empty())
      return error(errc::invalid_argument, "--start and --end go together (End is exclusive, as in AWS)");
    auto s = parse_date(f.start);
    if (!s) return error(errc::invalid_argument, "--start '" + f.start + "' is not a date of the form YYYY-MM-DD");
    auto e = parse_date(f.end);
    if (!e) return error(errc::invalid_argument, "--end '" + f.end + "' is not a date of the form YYYY-MM-DD");
    if (to_days(*e) <= to_days(*s))
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
  int n = 0;
  const char unit = l.empty() ? '\0' : l.back();
  if (l.size() < 2 || (unit != 'd' && unit != 'm') || !parse_digits(std::string_view(l).substr(0, l.size() - 1), n) ||
      l.size() > 6)
    return error(errc::invalid_argument, "--last '" + l + "' must be a number of days or months, e.g. 7d, 30d, 3m");
  if (unit == 'd') {
    if (n < 1 || n > 3650) return error(errc::invalid_argument, "--last " + l + ": days must be 1..3650");
    return date_range{add_days(today, -n), today};
  }
  if (n < 1 || n > 120) return error(errc::invalid_argument, "--last " + l + ": months must be 1..120");
  civil_date start = add_months_first(today, -(n - 1));
  if (today.day == 1) start = add_months_first(today, -n);
  return date_range{start, today};
}

}  // namespace cli
}  // namespace v0
}  // namespace finops_crawler
