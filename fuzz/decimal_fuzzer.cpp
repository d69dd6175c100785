// libFuzzer target: `decimal` (decimal.hpp) over whole inputs.
//
// Input: the whole input is one candidate number; when it holds a '|', the
// two sides are also parsed as a pair for add / sub / compare.
//
// Invariants (a violation traps):
//  - parse accepts exactly what a reference reader accepts: the grammar
//    `-?[0-9]+(\.[0-9]+)?`, at most 38 fractional digits, |coefficient| at
//    most 2^127 - 1 (the digits without the point, compared as text);
//  - to_string is the reference's canonical text (no leading zeros, no
//    "-0", the scale kept); parse -> to_string -> parse is identical;
//  - with_scale(scale + k) is identical to the text with k zeros appended;
//  - compare agrees with a reference comparison of the digit strings;
//    add / sub are exact where they succeed ((a + b) - b == a, a - a == 0).
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "finops_crawler/decimal.hpp"
#include "fuzz_support.hpp"

namespace fc = finops_crawler;
using fuzz_support::require;

namespace {

/// What the reference reader sees in a valid number.
struct ref_number {
  bool negative = false;      ///< a '-' was given (even on zero)
  std::string int_digits;     ///< without leading zeros ("" for zero)
  std::string frac_digits;    ///< as given
};

constexpr std::string_view max_coefficient = "170141183460469231731687303715884105727";  // 2^127 - 1

std::optional<ref_number> ref_parse(std::string_view s) {
  ref_number r;
  std::size_t i = 0;
  if (i < s.size() && s[i] == '-') {
    r.negative = true;
    ++i;
  }
  const std::size_t int_begin = i;
  while (i < s.size() && s[i] >= '0' && s[i] <= '9') ++i;
  if (i == int_begin) return std::nullopt;
  std::string_view int_part = s.substr(int_begin, i - int_begin);
  std::string_view frac_part;
  if (i < s.size() && s[i] == '.') {
    const std::size_t frac_begin = ++i;
    while (i < s.size() && s[i] >= '0' && s[i] <= '9') ++i;
    if (i == frac_begin) return std::nullopt;
    frac_part = s.substr(frac_begin, i - frac_begin);
  }
  if (i != s.size()) return std::nullopt;
  if (frac_part.size() > 38) return std::nullopt;
  while (!int_part.empty() && int_part.front() == '0') int_part.remove_prefix(1);
  std::string coefficient = std::string(int_part) + std::string(frac_part);
  std::size_t z = 0;
  while (z < coefficient.size() && coefficient[z] == '0') ++z;
  coefficient.erase(0, z);
  if (coefficient.size() > max_coefficient.size()) return std::nullopt;
  if (coefficient.size() == max_coefficient.size() && coefficient > max_coefficient) return std::nullopt;
  r.int_digits = std::string(int_part);
  r.frac_digits = std::string(frac_part);
  return r;
}

bool ref_is_zero(const ref_number& r) {
  return r.int_digits.empty() && r.frac_digits.find_first_not_of('0') == std::string::npos;
}

std::string ref_canonical(const ref_number& r) {
  std::string out;
  if (r.negative && !ref_is_zero(r)) out += '-';
  out += r.int_digits.empty() ? std::string("0") : r.int_digits;
  if (!r.frac_digits.empty()) out += "." + r.frac_digits;
  return out;
}

/// Compares magnitudes: -1, 0, 1.
int ref_compare_abs(const ref_number& a, const ref_number& b) {
  if (a.int_digits.size() != b.int_digits.size()) return a.int_digits.size() < b.int_digits.size() ? -1 : 1;
  if (a.int_digits != b.int_digits) return a.int_digits < b.int_digits ? -1 : 1;
  std::string fa = a.frac_digits, fb = b.frac_digits;
  if (fa.size() < fb.size()) fa.append(fb.size() - fa.size(), '0');
  if (fb.size() < fa.size()) fb.append(fa.size() - fb.size(), '0');
  if (fa != fb) return fa < fb ? -1 : 1;
  return 0;
}

int ref_compare(const ref_number& a, const ref_number& b) {
  const bool za = ref_is_zero(a), zb = ref_is_zero(b);
  const int sa = za ? 0 : (a.negative ? -1 : 1);
  const int sb = zb ? 0 : (b.negative ? -1 : 1);
  if (sa != sb) return sa < sb ? -1 : 1;
  if (sa == 0) return 0;
  const int m = ref_compare_abs(a, b);
  return sa > 0 ? m : -m;
}

int sign(int x) { return (x > 0) - (x < 0); }

/// Parses `text` and checks it against the reference; the value when valid.
std::optional<fc::decimal> check_one(std::string_view text) {
  auto d = fc::decimal::parse(text);
  auto ref = ref_parse(text);
  require(static_cast<bool>(d) == ref.has_value());
  if (!d) {
    require(d.code() == fc::errc::invalid_argument && !d.error().message.empty());
    return std::nullopt;
  }
  const std::string printed = d->to_string();
  require(printed == ref_canonical(*ref));
  require(d->scale() == ref->frac_digits.size());
  require(d->is_zero() == ref_is_zero(*ref));
  require(d->is_negative() == (ref->negative && !ref_is_zero(*ref)));
  auto again = fc::decimal::parse(printed);
  require(static_cast<bool>(again) && again->identical(*d) && again->to_string() == printed);

  // Growing the scale appends zeros.
  const unsigned k = static_cast<unsigned>(text.size() % 5);
  if (auto wider = d->with_scale(d->scale() + k)) {
    std::string padded = printed;
    if (k != 0 && d->scale() == 0) padded += '.';
    padded.append(k, '0');
    auto p = fc::decimal::parse(padded);
    require(static_cast<bool>(p) && p->identical(*wider) && *wider == *d);
  }
  if (d->scale() > 0) require(!d->with_scale(d->scale() - 1));
  (void)d->to_double();
  return *d;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size > 4096) return 0;
  const std::string_view text = fuzz_support::as_text(data, size);
  (void)check_one(text);

  const std::size_t bar = text.find('|');
  if (bar == std::string_view::npos) return 0;
  const std::string_view ta = text.substr(0, bar), tb = text.substr(bar + 1);
  auto a = check_one(ta);
  auto b = check_one(tb);
  if (!a || !b) return 0;
  const int c = fc::decimal::compare(*a, *b);
  require(sign(c) == ref_compare(*ref_parse(ta), *ref_parse(tb)));
  require((*a == *b) == (c == 0) && (*a < *b) == (c < 0));
  require(sign(fc::decimal::compare(*b, *a)) == -sign(c));

  auto self = fc::decimal::sub(*a, *a);
  require(static_cast<bool>(self) && self->is_zero());
  auto sum = fc::decimal::add(*a, *b);
  if (sum) {
    require(sum->scale() == (a->scale() > b->scale() ? a->scale() : b->scale()));
    auto back = fc::decimal::sub(*sum, *b);
    if (back) require(*back == *a);
    // a + b compared with a has the sign of b.
    require(sign(fc::decimal::compare(*sum, *a)) == (b->is_zero() ? 0 : (b->is_negative() ? -1 : 1)));
    fc::decimal acc = *a;
    require(static_cast<bool>(acc.add_assign(*b)) && acc.identical(*sum));
  } else {
    require(sum.code() == fc::errc::invalid_argument);
    fc::decimal acc = *a;
    require(!acc.add_assign(*b) && acc.identical(*a));
  }
  auto diff = fc::decimal::sub(*a, *b);
  if (diff) require(sign(diff->is_zero() ? 0 : (diff->is_negative() ? -1 : 1)) == sign(c));
  return 0;
}
