// libFuzzer target: the CLI's period flags (tools/cli/period_args.hpp):
// parse_date, parse_month and resolve_period (--start/--end, --last, --month).
//
// Input: fields separated by '\n': --start, --end, --last, --month, then
// today as YYYY-MM-DD (a fixed day when it is not a date); byte 0 of the
// input also picks default_days (0..7).
//
// Invariants (a violation traps): each parser accepts exactly what a naive
// reference accepts (digit positions, years 1900..9999, month 1..12, the
// month's real length; N of 1..3650 days or 1..120 months); an accepted date
// prints back as the text given; resolve_period gives the reference's range
// (or an errc::invalid_argument error when the reference refuses), and every
// range is non-empty.
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "fuzz_support.hpp"
#include "period_args.hpp"

namespace fc = finops_crawler;
namespace cli = finops_crawler::cli;
using fc::calendar_date;
using fuzz_support::require;

namespace {

bool digits(std::string_view s, std::size_t pos, std::size_t n, unsigned& out) {
  out = 0;
  for (std::size_t i = pos; i < pos + n; ++i) {
    if (s[i] < '0' || s[i] > '9') return false;
    out = out * 10 + static_cast<unsigned>(s[i] - '0');
  }
  return true;
}

unsigned month_length(unsigned y, unsigned m) {
  static constexpr unsigned len[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  const bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
  return m == 2 && leap ? 29 : len[m - 1];
}

struct ymd {
  unsigned y, m, d;
};

std::optional<ymd> ref_date(std::string_view s) {
  if (s.size() != 10 || s[4] != '-' || s[7] != '-') return std::nullopt;
  ymd r{};
  if (!digits(s, 0, 4, r.y) || !digits(s, 5, 2, r.m) || !digits(s, 8, 2, r.d)) return std::nullopt;
  if (r.y < 1900 || r.m < 1 || r.m > 12 || r.d < 1 || r.d > month_length(r.y, r.m)) return std::nullopt;
  return r;
}

std::optional<ymd> ref_month(std::string_view s) {
  if (s.size() != 7 || s[4] != '-') return std::nullopt;
  ymd r{0, 0, 1};
  if (!digits(s, 0, 4, r.y) || !digits(s, 5, 2, r.m)) return std::nullopt;
  if (r.y < 1900 || r.m < 1 || r.m > 12) return std::nullopt;
  return r;
}

calendar_date make(ymd v) {
  auto d = calendar_date::from_ymd(v.y, v.m, v.d);
  require(static_cast<bool>(d));
  return *d;
}

/// The first of the month `n` months after (y, m), by stepping.
ymd month_step(ymd v, int n) {
  long idx = static_cast<long>(v.y) * 12 + static_cast<long>(v.m) - 1 + n;
  return ymd{static_cast<unsigned>(idx / 12), static_cast<unsigned>(idx % 12 + 1), 1};
}

struct ref_range {
  calendar_date start, end;
};

std::optional<ref_range> ref_resolve(const cli::period_flags& f, ymd today_ymd, int default_days) {
  const calendar_date today = make(today_ymd);
  const bool explicit_range = !f.start.empty() || !f.end.empty();
  const int forms = (explicit_range ? 1 : 0) + (f.last.empty() ? 0 : 1) + (f.month.empty() ? 0 : 1);
  if (forms > 1) return std::nullopt;
  if (forms == 0) {
    if (default_days <= 0) return std::nullopt;
    return ref_range{today.add_days(-default_days), today};
  }
  if (explicit_range) {
    auto s = ref_date(f.start), e = ref_date(f.end);
    if (!s || !e) return std::nullopt;
    if (make(*e) <= make(*s)) return std::nullopt;
    return ref_range{make(*s), make(*e)};
  }
  if (!f.month.empty()) {
    auto m = ref_month(f.month);
    if (!m) return std::nullopt;
    return ref_range{make(*m), make(month_step(*m, 1))};
  }
  const std::string& l = f.last;
  if (l.size() < 2 || l.size() > 6) return std::nullopt;
  unsigned n = 0;
  if (!digits(l, 0, l.size() - 1, n)) return std::nullopt;
  if (l.back() == 'd') {
    if (n < 1 || n > 3650) return std::nullopt;
    return ref_range{today.add_days(-static_cast<long>(n)), today};
  }
  if (l.back() != 'm' || n < 1 || n > 120) return std::nullopt;
  const int back = today_ymd.d == 1 ? static_cast<int>(n) : static_cast<int>(n) - 1;
  return ref_range{make(month_step(today_ymd, -back)), today};
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0 || size > 1024) return 0;
  const int default_days = data[0] & 7;
  auto f = fuzz_support::split(fuzz_support::as_text(data + 1, size - 1), '\n', 5, 5);

  for (std::string_view s : f) {
    auto d = cli::parse_date(s);
    auto r = ref_date(s);
    require(static_cast<bool>(d) == r.has_value());
    if (d) {
      require(d->to_string() == s);
      require(d->year() == r->y && d->month() == r->m && d->day() == r->d);
    } else {
      require(d.code() == fc::errc::invalid_argument && !d.error().message.empty());
    }
    auto m = cli::parse_month(s);
    auto rm = ref_month(s);
    require(m.has_value() == rm.has_value());
    if (m) require(*m == make(*rm) && m->to_string().substr(0, 7) == s);
  }

  ymd today_ymd{2026, 11, 26};
  if (auto t = ref_date(f[4])) today_ymd = *t;
  const calendar_date today = make(today_ymd);

  cli::period_flags flags{std::string(f[0]), std::string(f[1]), std::string(f[2]), std::string(f[3])};
  auto got = cli::resolve_period(flags, today, default_days);
  auto want = ref_resolve(flags, today_ymd, default_days);
  require(static_cast<bool>(got) == want.has_value());
  if (got) {
    require(got->start == want->start && got->end == want->end);
    require(got->days() >= 1 && got->start < got->end);
  } else {
    require(got.code() == fc::errc::invalid_argument && !got.error().message.empty());
  }
  return 0;
}
