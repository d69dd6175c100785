#ifndef FINOPS_CRAWLER_DETAIL_TIME_HPP
#define FINOPS_CRAWLER_DETAIL_TIME_HPP
/// \file
/// UTC calendar arithmetic without libc time functions (not API, but used
/// across the library): SigV4's X-Amz-Date "YYYYMMDDTHHMMSSZ" and date stamp
/// "YYYYMMDD", ISO-8601 timestamp parsing, and `calendar_date` for the
/// "YYYY-MM-DD" dates Cost Explorer uses.
///
/// Everything is computed from days since 1970-01-01 with the proleptic
/// Gregorian calendar (civil-from-days arithmetic): no locale, no time zone
/// database, no gmtime/strftime/mktime, so every function is pure and
/// thread-safe. Leap seconds do not exist here (as in POSIX time).

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "finops_crawler/result.hpp"

namespace finops_crawler {
inline namespace v0 {
namespace detail {

/// A proleptic Gregorian date; month 1..12, day 1..31.
struct civil_date {
  std::int64_t year = 1970;
  unsigned month = 1;
  unsigned day = 1;
};

/// Whether `y` is a Gregorian leap year.
constexpr bool is_leap_year(std::int64_t y) noexcept { return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0; }

/// Days in month `m` (1..12) of year `y`; 0 for an invalid month.
constexpr unsigned days_in_month(std::int64_t y, unsigned m) noexcept {
  constexpr unsigned table[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  if (m < 1 || m > 12) return 0;
  return (m == 2 && is_leap_year(y)) ? 29u : table[m - 1];
}

/// Days from 1970-01-01 to y-m-d (negative before). Precondition: a valid
/// date. Works by shifting the year to start in March (so the leap day is
/// last) and counting whole 400-year eras of 146097 days.
constexpr std::int64_t days_from_civil(std::int64_t y, unsigned m, unsigned d) noexcept {
  y -= (m <= 2) ? 1 : 0;
  const std::int64_t era = (y >= 0 ? y : y - 399) / 400;
  const std::int64_t year_of_era = y - era * 400;                             // [0, 399]
  const std::int64_t month_from_march = (m > 2) ? m - 3 : m + 9;              // [0, 11]
  const std::int64_t day_of_year = (153 * month_from_march + 2) / 5 + d - 1;  // [0, 365]
  const std::int64_t day_of_era = year_of_era * 365 + year_of_era / 4 - year_of_era / 100 + day_of_year;
  return era * 146097 + day_of_era - 719468;  // 719468: days from 0000-03-01 to 1970-01-01
}

/// The date `days` after 1970-01-01 (inverse of days_from_civil).
constexpr civil_date civil_from_days(std::int64_t days) noexcept {
  const std::int64_t z = days + 719468;
  const std::int64_t era = (z >= 0 ? z : z - 146096) / 146097;
  const std::int64_t day_of_era = z - era * 146097;  // [0, 146096]
  const std::int64_t year_of_era =
      (day_of_era - day_of_era / 1460 + day_of_era / 36524 - day_of_era / 146096) / 365;  // [0, 399]
  const std::int64_t day_of_year = day_of_era - (365 * year_of_era + year_of_era / 4 - year_of_era / 100);
  const std::int64_t month_from_march = (5 * day_of_year + 2) / 153;  // [0, 11]
  civil_date out;
  out.day = static_cast<unsigned>(day_of_year - (153 * month_from_march + 2) / 5 + 1);
  out.month = static_cast<unsigned>(month_from_march < 10 ? month_from_march + 3 : month_from_march - 9);
  out.year = year_of_era + era * 400 + (out.month <= 2 ? 1 : 0);
  return out;
}

/// A UTC instant broken into fields (second precision).
struct utc_fields {
  std::int64_t year = 1970;
  unsigned month = 1, day = 1, hour = 0, minute = 0, second = 0;
};

/// Whole seconds since the epoch, rounded toward negative infinity.
inline std::int64_t unix_seconds(std::chrono::system_clock::time_point t) noexcept {
  return std::chrono::floor<std::chrono::seconds>(t.time_since_epoch()).count();
}

/// Splits seconds since the epoch into UTC fields.
constexpr utc_fields utc_from_unix_seconds(std::int64_t s) noexcept {
  std::int64_t days = s / 86400;
  std::int64_t rem = s % 86400;
  if (rem < 0) {
    rem += 86400;
    days -= 1;
  }
  const civil_date d = civil_from_days(days);
  utc_fields f;
  f.year = d.year;
  f.month = d.month;
  f.day = d.day;
  f.hour = static_cast<unsigned>(rem / 3600);
  f.minute = static_cast<unsigned>(rem / 60 % 60);
  f.second = static_cast<unsigned>(rem % 60);
  return f;
}

/// Splits a time point into UTC fields (sub-second part dropped).
inline utc_fields to_utc_fields(std::chrono::system_clock::time_point t) noexcept {
  return utc_from_unix_seconds(unix_seconds(t));
}

/// Writes `v` as exactly `width` decimal digits (zero-padded) at `out`.
inline void write_digits(char* out, std::uint64_t v, int width) noexcept {
  for (int i = width - 1; i >= 0; --i) {
    out[i] = static_cast<char>('0' + v % 10);
    v /= 10;
  }
}

/// Length of an X-Amz-Date string.
inline constexpr std::size_t amz_date_length = 16;
/// Length of a SigV4 date stamp.
inline constexpr std::size_t date_stamp_length = 8;

/// Writes the SigV4 X-Amz-Date "YYYYMMDDTHHMMSSZ" (16 chars, no terminator).
/// Returns false, writing nothing, when the year is outside 0000..9999.
inline bool format_amz_date(std::chrono::system_clock::time_point t, char* out) noexcept {
  const utc_fields f = to_utc_fields(t);
  if (f.year < 0 || f.year > 9999) return false;
  write_digits(out, static_cast<std::uint64_t>(f.year), 4);
  write_digits(out + 4, f.month, 2);
  write_digits(out + 6, f.day, 2);
  out[8] = 'T';
  write_digits(out + 9, f.hour, 2);
  write_digits(out + 11, f.minute, 2);
  write_digits(out + 13, f.second, 2);
  out[15] = 'Z';
  return true;
}

/// X-Amz-Date as a string; errc::invalid_argument outside years 0000..9999.
inline result<std::string> amz_date(std::chrono::system_clock::time_point t) {
  std::string s(amz_date_length, '\0');
  if (!format_amz_date(t, &s[0])) return error(errc::invalid_argument, "time is outside years 0000..9999");
  return s;
}

/// The SigV4 date stamp "YYYYMMDD" (the first 8 chars of X-Amz-Date);
/// errc::invalid_argument outside years 0000..9999.
inline result<std::string> date_stamp(std::chrono::system_clock::time_point t) {
  std::string s(amz_date_length, '\0');
  if (!format_amz_date(t, &s[0])) return error(errc::invalid_argument, "time is outside years 0000..9999");
  s.resize(date_stamp_length);
  return s;
}

/// Reads exactly `n` decimal digits at `s[pos]`; false if any is not a digit.
inline bool read_digits(std::string_view s, std::size_t pos, std::size_t n, unsigned& out) noexcept {
  if (pos > s.size() || s.size() - pos < n) return false;
  unsigned v = 0;
  for (std::size_t i = 0; i < n; ++i) {
    const char c = s[pos + i];
    if (c < '0' || c > '9') return false;
    v = v * 10 + static_cast<unsigned>(c - '0');
  }
  out = v;
  return true;
}

/// A time point from seconds since the epoch; errc::invalid_argument when
/// system_clock cannot represent it (e.g. beyond 2262 with nanosecond ticks).
inline result<std::chrono::system_clock::time_point> time_from_unix_seconds(std::int64_t s) {
  using tp = std::chrono::system_clock::time_point;
  const std::int64_t max_s = std::chrono::duration_cast<std::chrono::seconds>(tp::max().time_since_epoch()).count();
  const std::int64_t min_s = std::chrono::duration_cast<std::chrono::seconds>(tp::min().time_since_epoch()).count();
  if (s > max_s - 1 || s < min_s + 1) {
    return error(errc::invalid_argument, "time is outside the range std::chrono::system_clock can represent");
  }
  return tp(std::chrono::duration_cast<tp::duration>(std::chrono::seconds(s)));
}

/// Validates fields and converts to seconds since the epoch.
inline bool unix_seconds_from_fields(const utc_fields& f, std::int64_t& out) noexcept {
  if (f.month < 1 || f.month > 12 || f.day < 1 || f.day > days_in_month(f.year, f.month)) return false;
  if (f.hour > 23 || f.minute > 59 || f.second > 59) return false;
  out = days_from_civil(f.year, f.month, f.day) * 86400 + f.hour * 3600 + f.minute * 60 + f.second;
  return true;
}

/// Parses a SigV4 X-Amz-Date "YYYYMMDDTHHMMSSZ" exactly (no other forms).
/// errc::invalid_argument with the reason on any deviation or invalid date.
inline result<std::chrono::system_clock::time_point> parse_amz_date(std::string_view s) {
  unsigned y = 0;
  utc_fields f;
  if (s.size() != amz_date_length || s[8] != 'T' || s[15] != 'Z' || !read_digits(s, 0, 4, y) ||
      !read_digits(s, 4, 2, f.month) || !read_digits(s, 6, 2, f.day) || !read_digits(s, 9, 2, f.hour) ||
      !read_digits(s, 11, 2, f.minute) || !read_digits(s, 13, 2, f.second)) {
    return error(errc::invalid_argument, "X-Amz-Date must look like 20150830T123600Z");
  }
  f.year = y;
  std::int64_t secs = 0;
  if (!unix_seconds_from_fields(f, secs)) return error(errc::invalid_argument, "X-Amz-Date is not a valid UTC time");
  return time_from_unix_seconds(secs);
}

/// Parses an ISO-8601 / RFC 3339 timestamp as AWS writes them:
/// "YYYY-MM-DDTHH:MM:SS" with an optional fraction ".ddd" (dropped), then
/// "Z" or an offset "+HH:MM" / "-HH:MM" / "+HHMM"; 't' and 'z' may be lower
/// case. The basic form "YYYYMMDDTHHMMSSZ" is also accepted. A missing zone
/// is an error (local time is never assumed). errc::invalid_argument with
/// the reason on anything else.
inline result<std::chrono::system_clock::time_point> parse_iso8601(std::string_view s) {
  if (s.size() == amz_date_length && s.find('-') == std::string_view::npos) return parse_amz_date(s);
  const auto bad = [](const char* why) {
    return error(errc::invalid_argument, std::string("timestamp is not ISO-8601 (e.g. 2015-08-30T12:36:00Z): ") + why);
  };
  unsigned y = 0;
  utc_fields f;
  if (!read_digits(s, 0, 4, y) || s.size() < 19 || s[4] != '-' || !read_digits(s, 5, 2, f.month) || s[7] != '-' ||
      !read_digits(s, 8, 2, f.day)) {
    return bad("bad date part");
  }
  if (s[10] != 'T' && s[10] != 't') return bad("missing 'T' between date and time");
  if (!read_digits(s, 11, 2, f.hour) || s[13] != ':' || !read_digits(s, 14, 2, f.minute) || s[16] != ':' ||
      !read_digits(s, 17, 2, f.second)) {
    return bad("bad time part");
  }
  f.year = y;
  std::size_t pos = 19;
  if (pos < s.size() && s[pos] == '.') {
    ++pos;
    const std::size_t start = pos;
    while (pos < s.size() && s[pos] >= '0' && s[pos] <= '9') ++pos;
    if (pos == start) return bad("empty fraction of a second");
  }
  std::int64_t offset = 0;
  if (pos < s.size() && (s[pos] == 'Z' || s[pos] == 'z')) {
    ++pos;
  } else if (pos < s.size() && (s[pos] == '+' || s[pos] == '-')) {
    const bool minus = s[pos] == '-';
    unsigned oh = 0, om = 0;
    ++pos;
    if (!read_digits(s, pos, 2, oh)) return bad("bad UTC offset");
    pos += 2;
    if (pos < s.size() && s[pos] == ':') ++pos;
    if (!read_digits(s, pos, 2, om)) return bad("bad UTC offset");
    pos += 2;
    if (oh > 23 || om > 59) return bad("UTC offset out of range");
    offset = (static_cast<std::int64_t>(oh) * 3600 + om * 60) * (minus ? -1 : 1);
  } else {
    return bad("missing time zone ('Z' or an offset)");
  }
  if (pos != s.size()) return bad("trailing characters");
  std::int64_t secs = 0;
  if (!unix_seconds_from_fields(f, secs)) return bad("no such date or time");
  return time_from_unix_seconds(secs - offset);
}

/// A calendar day (UTC), e.g. a Cost Explorer TimePeriod bound.
///
/// Stored as days since 1970-01-01, so adding days and comparing are O(1).
/// parse() accepts years 0000..9999; add_days may go outside that range, and
/// to_string() then still prints the year (with a '-' sign when negative).
/// A plain value: trivially copyable, thread-safe to share.
class calendar_date {
 public:
  /// 1970-01-01.
  constexpr calendar_date() noexcept = default;

  /// The day `days` after 1970-01-01.
  static constexpr calendar_date from_days(std::int64_t days) noexcept { return calendar_date(days); }

  /// A validated date; errc::invalid_argument for e.g. month 13 or Feb 30.
  static result<calendar_date> from_ymd(std::int64_t year, unsigned month, unsigned day) {
    if (month < 1 || month > 12) return error(errc::invalid_argument, "month must be 1..12");
    if (day < 1 || day > days_in_month(year, month)) {
      return error(errc::invalid_argument, "day " + std::to_string(day) + " does not exist in month " +
                                               std::to_string(month) + " of year " + std::to_string(year));
    }
    return calendar_date(days_from_civil(year, month, day));
  }

  /// Parses exactly "YYYY-MM-DD"; errc::invalid_argument with the reason.
  static result<calendar_date> parse(std::string_view s) {
    unsigned y = 0, m = 0, d = 0;
    if (s.size() != 10 || s[4] != '-' || s[7] != '-' || !read_digits(s, 0, 4, y) || !read_digits(s, 5, 2, m) ||
        !read_digits(s, 8, 2, d)) {
      return error(errc::invalid_argument, "date must be YYYY-MM-DD, got '" + std::string(s.substr(0, 40)) + "'");
    }
    return from_ymd(y, m, d);
  }

  /// The UTC day containing `t`.
  static calendar_date from_time(std::chrono::system_clock::time_point t) noexcept {
    std::int64_t s = unix_seconds(t);
    std::int64_t days = s / 86400;
    if (s % 86400 < 0) --days;
    return calendar_date(days);
  }

  /// Days since 1970-01-01 (negative before).
  constexpr std::int64_t days_since_epoch() const noexcept { return days_; }
  /// Calendar fields.
  constexpr civil_date fields() const noexcept { return civil_from_days(days_); }
  constexpr std::int64_t year() const noexcept { return fields().year; }
  constexpr unsigned month() const noexcept { return fields().month; }
  constexpr unsigned day() const noexcept { return fields().day; }

  /// This date moved by `n` days (n may be negative).
  constexpr calendar_date add_days(std::int64_t n) const noexcept { return calendar_date(days_ + n); }

  /// "YYYY-MM-DD" (years beyond 0000..9999 print more digits or a sign).
  std::string to_string() const {
    const civil_date c = fields();
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
    write_digits(md + 1, c.month, 2);
    write_digits(md + 4, c.day, 2);
    out.append(md, 6);
    return out;
  }

  /// Midnight UTC at the start of this day; errc::invalid_argument when
  /// system_clock cannot represent it.
  result<std::chrono::system_clock::time_point> to_time() const { return time_from_unix_seconds(days_ * 86400); }

  /// Days from `b` to `a` (a - b).
  friend constexpr std::int64_t operator-(calendar_date a, calendar_date b) noexcept { return a.days_ - b.days_; }
  friend constexpr bool operator==(calendar_date a, calendar_date b) noexcept { return a.days_ == b.days_; }
  friend constexpr bool operator!=(calendar_date a, calendar_date b) noexcept { return a.days_ != b.days_; }
  friend constexpr bool operator<(calendar_date a, calendar_date b) noexcept { return a.days_ < b.days_; }
  friend constexpr bool operator<=(calendar_date a, calendar_date b) noexcept { return a.days_ <= b.days_; }
  friend constexpr bool operator>(calendar_date a, calendar_date b) noexcept { return a.days_ > b.days_; }
  friend constexpr bool operator>=(calendar_date a, calendar_date b) noexcept { return a.days_ >= b.days_; }

 private:
  constexpr explicit calendar_date(std::int64_t days) noexcept : days_(days) {}
  std::int64_t days_ = 0;
};

}  // namespace detail
}  // namespace v0
}  // namespace finops_crawler

#endif  // FINOPS_CRAWLER_DETAIL_TIME_HPP
