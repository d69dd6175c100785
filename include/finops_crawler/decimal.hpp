#ifndef FINOPS_CRAWLER_DECIMAL_HPP
#define FINOPS_CRAWLER_DECIMAL_HPP
/// \file
/// `decimal`: exact money. Cost Explorer sends amounts as decimal strings
/// ("12.3456789012", "-3.5"); summing them through `double` loses cents on
/// large bills, so sums go through this type, which adds and subtracts
/// without any rounding and reports overflow as an error.

#include <charconv>
#include <cstdint>
#include <string>
#include <string_view>
#include <system_error>

#include "finops_crawler/result.hpp"

#if !defined(__SIZEOF_INT128__)
#error "finops_crawler/decimal.hpp needs a compiler with a 128-bit integer (__int128: GCC, Clang)"
#endif

namespace finops_crawler {
inline namespace v0 {

namespace detail {
// __extension__ keeps -Wpedantic quiet about the GNU 128-bit integer.
__extension__ typedef __int128 int128;
__extension__ typedef unsigned __int128 uint128;

/// 10^n for n in [0, 38]; 10^38 is the largest power of ten an int128 holds.
inline constexpr int128 pow10_i128(unsigned n) noexcept {
  int128 p = 1;
  for (unsigned i = 0; i < n; ++i) p *= 10;
  return p;
}

inline constexpr int128 int128_max = static_cast<int128>(~static_cast<uint128>(0) >> 1);
}  // namespace detail

/// An exact signed decimal number: an integer coefficient and a scale (the
/// number of digits after the point), value = coefficient / 10^scale.
///
/// Range: |coefficient| <= 2^127 - 1 (about 1.7e38), scale 0..38; at 10
/// fractional digits that is about 1.7e28 currency units, far beyond any bill.
///
/// Normalization (documented choice):
/// - `parse` keeps the scale it reads: "1.50" has scale 2 and prints "1.50";
///   canonical input (no '+', no redundant leading zeros, not "-0") prints
///   back byte for byte, e.g. "12.3456789012".
/// - `add` / `sub` give the larger scale of the operands ("1.5" + "2.25" is
///   "3.75", "1.50" + "1" is "2.50"); nothing is ever rounded.
/// - Comparison is by value: "1.5" == "1.50"; a zero is never negative, so
///   "-0.00" prints "0.00".
///
/// A plain value type: copyable, trivially destructible, no allocation except
/// in `to_string`. Thread safety: like an int.
class decimal {
 public:
  /// Largest accepted scale (fractional digits).
  static constexpr unsigned max_scale = 38;

  /// Zero with scale 0.
  constexpr decimal() noexcept = default;

  /// Parses a plain decimal number: `-?[0-9]+(\.[0-9]+)?`. Rejected, with
  /// errc::invalid_argument and a message quoting (a prefix of) the text:
  /// empty text, whitespace, '+', exponents ("1e5"), "1.2.3", "--1", ".5",
  /// "5.", "NaN"/"Infinity", more than 38 fractional digits, and values
  /// whose coefficient does not fit in 127 bits. Cost: linear in the text.
  static result<decimal> parse(std::string_view text);

  /// Exact integer value `units` (scale 0). Cannot fail.
  static constexpr decimal from_integer(std::int64_t units) noexcept { return decimal(units, 0); }

  /// Exact sum; scale = max of the operand scales. errc::invalid_argument
  /// when the result (or an operand brought to the common scale) overflows.
  static result<decimal> add(const decimal& a, const decimal& b);
  /// Exact difference a - b; same rules as add().
  static result<decimal> sub(const decimal& a, const decimal& b);

  /// In-place `*this += other`; on overflow leaves *this unchanged and returns the error.
  status add_assign(const decimal& other);

  /// The same value with `new_scale` fractional digits (only growing the
  /// scale is exact; a smaller scale than scale() is errc::invalid_argument,
  /// as is an overflow or new_scale > max_scale).
  result<decimal> with_scale(unsigned new_scale) const;

  /// Exact text: optional '-', digits, and `scale()` fractional digits.
  std::string to_string() const;

  /// Nearest double (correctly rounded from the exact text). A convenience
  /// for display and charts, never for sums.
  double to_double() const noexcept;

  /// Number of fractional digits kept.
  constexpr unsigned scale() const noexcept { return scale_; }
  /// True when the value is negative (zero is never negative).
  constexpr bool is_negative() const noexcept { return coefficient_ < 0; }
  /// True when the value is zero, whatever the scale.
  constexpr bool is_zero() const noexcept { return coefficient_ == 0; }

  /// Three-way comparison by value: negative, zero or positive. Exact for
  /// every pair of values, whatever their scales; cannot overflow.
  static int compare(const decimal& a, const decimal& b) noexcept;

  friend bool operator==(const decimal& a, const decimal& b) noexcept { return compare(a, b) == 0; }
  friend bool operator!=(const decimal& a, const decimal& b) noexcept { return compare(a, b) != 0; }
  friend bool operator<(const decimal& a, const decimal& b) noexcept { return compare(a, b) < 0; }
  friend bool operator<=(const decimal& a, const decimal& b) noexcept { return compare(a, b) <= 0; }
  friend bool operator>(const decimal& a, const decimal& b) noexcept { return compare(a, b) > 0; }
  friend bool operator>=(const decimal& a, const decimal& b) noexcept { return compare(a, b) >= 0; }

  /// True when both the value and the scale are equal ("1.5" vs "1.50" is false).
  bool identical(const decimal& o) const noexcept { return coefficient_ == o.coefficient_ && scale_ == o.scale_; }

 private:
  constexpr decimal(detail::int128 c, unsigned s) noexcept : coefficient_(c), scale_(s) {}
  // Brings both operands to the larger scale; false on overflow.
  static bool align(const decimal& a, const decimal& b, detail::int128& ca, detail::int128& cb, unsigned& s) noexcept;
  static bool rescale(detail::int128 c, unsigned from, unsigned to, detail::int128& out) noexcept;

  detail::int128 coefficient_ = 0;
  unsigned scale_ = 0;
};

// ---------------------------------------------------------------------------
// Definitions

namespace detail {
inline std::string quote_prefix(std::string_view text) {
  // Bounded so a multi-megabyte garbage string cannot flood a log line.
  constexpr std::size_t limit = 48;
  std::string out = "\"";
  out.append(text.substr(0, limit));
  if (text.size() > limit) out += "...";
  out += '"';
  return out;
}
}  // namespace detail

inline result<decimal> decimal::parse(std::string_view text) {
  using detail::int128;
  using detail::uint128;
  auto fail = [&](const char* why) {
    return result<decimal>(errc::invalid_argument,
                           "not a plain decimal number " + detail::quote_prefix(text) + ": " + why);
  };
  if (text.empty()) return fail("empty");
  std::size_t i = 0;
  bool negative = false;
  if (text[0] == '-') {
    negative = true;
    i = 1;
  }
  // The magnitude is accumulated unsigned; 2^127 - 1 is the limit for both signs
  // (one asymmetric value, -2^127, is deliberately not representable).
  const uint128 limit = static_cast<uint128>(detail::int128_max);
  uint128 mag = 0;
  std::size_t int_digits = 0;
  std::size_t frac_digits = 0;
  bool seen_point = false;
  for (; i < text.size(); ++i) {
    const char ch = text[i];
    if (ch == '.') {
      if (seen_point) return fail("more than one '.'");
      if (int_digits == 0) return fail("no digit before '.'");
      seen_point = true;
      continue;
    }
    if (ch < '0' || ch > '9') {
      if (ch == 'e' || ch == 'E') return fail("exponents are not accepted");
      if (ch == '-' || ch == '+') return fail("misplaced sign");
      if (ch == ' ' || ch == '\t' || ch == '\n' || ch == '\r') return fail("whitespace");
      return fail("unexpected character");
    }
    const unsigned d = static_cast<unsigned>(ch - '0');
    if (mag > (limit - d) / 10) return fail("too many digits: the value does not fit in 127 bits");
    mag = mag * 10 + d;
    if (seen_point) {
      if (++frac_digits > max_scale) return fail("more than 38 fractional digits");
    } else {
      ++int_digits;
    }
  }
  if (int_digits == 0) return fail("no digits");
  if (seen_point && frac_digits == 0) return fail("no digit after '.'");
  int128 c = static_cast<int128>(mag);
  return decimal(negative ? -c : c, static_cast<unsigned>(frac_digits));
}

inline bool decimal::rescale(detail::int128 c, unsigned from, unsigned to, detail::int128& out) noexcept {
  if (to < from || to > max_scale) return false;
  const detail::int128 factor = detail::pow10_i128(to - from);
  // Checked without __builtin_mul_overflow: clang lowers the signed 128-bit
  // form to __muloti4, which libgcc does not provide.
  const detail::int128 bound = detail::int128_max / factor;
  if (c > bound || c < -bound) return false;
  out = c * factor;
  return true;
}

inline bool decimal::align(const decimal& a, const decimal& b, detail::int128& ca, detail::int128& cb,
                           unsigned& s) noexcept {
  s = a.scale_ > b.scale_ ? a.scale_ : b.scale_;
  return rescale(a.coefficient_, a.scale_, s, ca) && rescale(b.coefficient_, b.scale_, s, cb);
}

inline result<decimal> decimal::add(const decimal& a, const decimal& b) {
  detail::int128 ca = 0, cb = 0, sum = 0;
  unsigned s = 0;
  if (!align(a, b, ca, cb, s) || __builtin_add_overflow(ca, cb, &sum) || sum < -detail::int128_max)
    return result<decimal>(errc::invalid_argument,
                           "decimal overflow adding " + a.to_string() + " and " + b.to_string());
  return decimal(sum, s);
}

inline result<decimal> decimal::sub(const decimal& a, const decimal& b) {
  detail::int128 ca = 0, cb = 0, diff = 0;
  unsigned s = 0;
  if (!align(a, b, ca, cb, s) || __builtin_sub_overflow(ca, cb, &diff) || diff < -detail::int128_max)
    return result<decimal>(errc::invalid_argument,
                           "decimal overflow subtracting " + b.to_string() + " from " + a.to_string());
  return decimal(diff, s);
}

inline status decimal::add_assign(const decimal& other) {
  auto r = add(*this, other);
  if (!r) return status(r.error());
  *this = *r;
  return {};
}

inline result<decimal> decimal::with_scale(unsigned new_scale) const {
  detail::int128 c = 0;
  if (new_scale < scale_)
    return result<decimal>(errc::invalid_argument,
                           "reducing the scale of " + to_string() + " would round; decimal never rounds");
  if (!rescale(coefficient_, scale_, new_scale, c))
    return result<decimal>(errc::invalid_argument,
                           to_string() + " does not fit with " + std::to_string(new_scale) + " fractional digits");
  return decimal(c, new_scale);
}

inline std::string decimal::to_string() const {
  // 39 digits at most, plus sign, point and leading zeros up to the scale.
  char buf[96];
  std::size_t pos = sizeof buf;
  detail::uint128 mag = coefficient_ < 0 ? static_cast<detail::uint128>(-coefficient_)
                                         : static_cast<detail::uint128>(coefficient_);
  unsigned written = 0;
  do {
    buf[--pos] = static_cast<char>('0' + static_cast<unsigned>(mag % 10));
    mag /= 10;
    ++written;
    if (written == scale_) buf[--pos] = '.';
  } while (mag != 0 || written < scale_);
  // A value below one gets its leading "0" before the point ("0.05").
  if (buf[pos] == '.') buf[--pos] = '0';
  if (coefficient_ < 0) buf[--pos] = '-';
  return std::string(buf + pos, sizeof buf - pos);
}

inline double decimal::to_double() const noexcept {
  const std::string text = to_string();
  double out = 0;
  // from_chars rounds correctly; the text is always a valid number.
  (void)std::from_chars(text.data(), text.data() + text.size(), out);
  return out;
}

inline int decimal::compare(const decimal& a, const decimal& b) noexcept {
  using detail::int128;
  if ((a.coefficient_ < 0) != (b.coefficient_ < 0)) return a.coefficient_ < 0 ? -1 : 1;
  // Same sign: compare integer parts, then the fractions at the common scale
  // (a fraction is below 10^scale <= 10^38, so scaling it cannot overflow).
  const int128 pa = detail::pow10_i128(a.scale_), pb = detail::pow10_i128(b.scale_);
  const int128 ia = a.coefficient_ / pa, ib = b.coefficient_ / pb;
  if (ia != ib) return ia < ib ? -1 : 1;
  const unsigned s = a.scale_ > b.scale_ ? a.scale_ : b.scale_;
  const int128 fa = (a.coefficient_ % pa) * detail::pow10_i128(s - a.scale_);
  const int128 fb = (b.coefficient_ % pb) * detail::pow10_i128(s - b.scale_);
  if (fa != fb) return fa < fb ? -1 : 1;
  return 0;
}

}  // namespace v0
}  // namespace finops_crawler

#endif  // FINOPS_CRAWLER_DECIMAL_HPP
