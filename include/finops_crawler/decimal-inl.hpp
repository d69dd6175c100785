#ifndef FINOPS_CRAWLER_DECIMAL_INL_HPP
#define FINOPS_CRAWLER_DECIMAL_INL_HPP
/// \file
/// The bodies of decimal.hpp: included by that header in header-only
/// mode, compiled once in src/ otherwise (config.hpp). Not for direct inclusion.

#include "finops_crawler/decimal.hpp"
#include "finops_crawler/detail/json_writer.hpp"

namespace finops_crawler {
inline namespace v0 {

FINOPS_CRAWLER_FUNC result<decimal> decimal::parse(std::string_view text) {
  using detail::int128;
  using detail::uint128;
  auto fail = [&](const char* why) {
    return result<decimal>(errc::invalid_argument,
                           "not a plain decimal number " + detail::quoted_excerpt(text, 48) + ": " + why);
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

FINOPS_CRAWLER_FUNC bool decimal::rescale(detail::int128 c, unsigned from, unsigned to, detail::int128& out) noexcept {
  if (to < from || to > max_scale) return false;
  const detail::int128 factor = detail::pow10_i128(to - from);
  // Checked without __builtin_mul_overflow: clang lowers the signed 128-bit
  // form to __muloti4, which libgcc does not provide.
  const detail::int128 bound = detail::int128_max / factor;
  if (c > bound || c < -bound) return false;
  out = c * factor;
  return true;
}

FINOPS_CRAWLER_FUNC bool decimal::align(const decimal& a, const decimal& b, detail::int128& ca, detail::int128& cb,
                           unsigned& s) noexcept {
  s = a.scale_ > b.scale_ ? a.scale_ : b.scale_;
  return rescale(a.coefficient_, a.scale_, s, ca) && rescale(b.coefficient_, b.scale_, s, cb);
}

FINOPS_CRAWLER_FUNC result<decimal> decimal::add(const decimal& a, const decimal& b) {
  detail::int128 ca = 0, cb = 0, sum = 0;
  unsigned s = 0;
  if (!align(a, b, ca, cb, s) || __builtin_add_overflow(ca, cb, &sum) || sum < -detail::int128_max)
    return result<decimal>(errc::invalid_argument,
                           "decimal overflow adding " + a.to_string() + " and " + b.to_string());
  return decimal(sum, s);
}

FINOPS_CRAWLER_FUNC result<decimal> decimal::sub(const decimal& a, const decimal& b) {
  detail::int128 ca = 0, cb = 0, diff = 0;
  unsigned s = 0;
  if (!align(a, b, ca, cb, s) || __builtin_sub_overflow(ca, cb, &diff) || diff < -detail::int128_max)
    return result<decimal>(errc::invalid_argument,
                           "decimal overflow subtracting " + b.to_string() + " from " + a.to_string());
  return decimal(diff, s);
}

FINOPS_CRAWLER_FUNC status decimal::add_assign(const decimal& other) {
  auto r = add(*this, other);
  if (!r) return status(r.error());
  *this = *r;
  return {};
}

FINOPS_CRAWLER_FUNC result<decimal> decimal::with_scale(unsigned new_scale) const {
  detail::int128 c = 0;
  if (new_scale < scale_)
    return result<decimal>(errc::invalid_argument,
                           "reducing the scale of " + to_string() + " would round; decimal never rounds");
  if (!rescale(coefficient_, scale_, new_scale, c))
    return result<decimal>(errc::invalid_argument,
                           to_string() + " does not fit with " + std::to_string(new_scale) + " fractional digits");
  return decimal(c, new_scale);
}

FINOPS_CRAWLER_FUNC std::string decimal::to_string() const {
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

FINOPS_CRAWLER_FUNC double decimal::to_double() const noexcept {
  const std::string text = to_string();
  double out = 0;
  // from_chars rounds correctly; the text is always a valid number.
  (void)std::from_chars(text.data(), text.data() + text.size(), out);
  return out;
}

FINOPS_CRAWLER_FUNC int decimal::compare(const decimal& a, const decimal& b) noexcept {
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

#endif  // FINOPS_CRAWLER_DECIMAL_INL_HPP
