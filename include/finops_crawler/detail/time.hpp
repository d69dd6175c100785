#ifndef FINOPS_CRAWLER_DETAIL_TIME_HPP
#define FINOPS_CRAWLER_DETAIL_TIME_HPP
/// \file
/// UTC timestamps without libc time functions (not API, but used across the
/// library): SigV4's X-Amz-Date "YYYYMMDDTHHMMSSZ" and date stamp
/// "YYYYMMDD", and ISO-8601 timestamp parsing. The day arithmetic underneath
/// is calendar_date.hpp's. Pure and thread-safe; leap seconds do not exist
/// here (as in POSIX time).

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "finops_crawler/calendar_date.hpp"
#include "finops_crawler/result.hpp"

namespace finops_crawler {
inline namespace v0 {
namespace detail {

/// A UTC instant broken into fields (second precision).
struct utc_fields {
  std::int64_t year = 1970;
  unsigned month = 1, day = 1, hour = 0, minute = 0, second = 0;
};

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

}  // namespace detail
}  // namespace v0
}  // namespace finops_crawler

#endif  // FINOPS_CRAWLER_DETAIL_TIME_HPP
