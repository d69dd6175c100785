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

}  // namespace v0
}  // namespace finops_crawler

#if FINOPS_CRAWLER_HEADER_ONLY
#include "finops_crawler/decimal-inl.hpp"
#endif

#endif  // FINOPS_CRAWLER_DECIMAL_HPP
