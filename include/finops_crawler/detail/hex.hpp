#ifndef FINOPS_CRAWLER_DETAIL_HEX_HPP
#define FINOPS_CRAWLER_DETAIL_HEX_HPP
/// \file
/// Hexadecimal encoding and decoding (not API: used by SigV4 and tests).
/// Pure functions, no allocation except the std::string helpers; thread-safe.

#include <cstddef>
#include <cstring>
#include <string>
#include <string_view>

namespace finops_crawler {
inline namespace v0 {
namespace detail {

/// Lowercase hex digits; SigV4 hashes and signatures are lowercase hex.
inline constexpr char hex_lower[] = "0123456789abcdef";
/// Uppercase hex digits; RFC 3986 percent-encoding uses these.
inline constexpr char hex_upper[] = "0123456789ABCDEF";

/// The two lowercase hex digits of every byte value, so encoding is one
/// table load per byte (signing encodes three digests per request).
struct hex_pair_table {
  char v[512] = {};
  constexpr hex_pair_table() {
    for (int i = 0; i < 256; ++i) {
      v[2 * i] = hex_lower[i >> 4];
      v[2 * i + 1] = hex_lower[i & 0x0f];
    }
  }
};
inline constexpr hex_pair_table hex_pairs_lower{};

/// Writes 2*n lowercase hex digits of `in[0..n)` to `out` (no terminator).
/// `out` must have room for 2*n chars. Cannot fail.
inline void hex_encode_lower(const unsigned char* in, std::size_t n, char* out) noexcept {
  for (std::size_t i = 0; i < n; ++i) {
    const unsigned b = in[i];
    std::memcpy(out + 2 * i, &hex_pairs_lower.v[2 * b], 2);
  }
}

/// Appends 2*n lowercase hex digits of `in[0..n)` to `out`.
inline void append_hex_lower(std::string& out, const unsigned char* in, std::size_t n) {
  const std::size_t old = out.size();
  out.resize(old + 2 * n);
  hex_encode_lower(in, n, &out[old]);
}

/// Lowercase hex of `in[0..n)` as a new string.
inline std::string to_hex_lower(const unsigned char* in, std::size_t n) {
  std::string out;
  append_hex_lower(out, in, n);
  return out;
}

/// Lowercase hex of the bytes of `in` as a new string.
inline std::string to_hex_lower(std::string_view in) {
  return to_hex_lower(reinterpret_cast<const unsigned char*>(in.data()), in.size());
}

/// The value of one hex digit (either case), or -1 when `c` is not one.
constexpr int hex_digit_value(char c) noexcept {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

/// Decodes exactly `out_size` bytes from `in`, which must be 2*out_size hex
/// digits (either case). Returns false, leaving `out` partly written, on a
/// wrong length or a non-hex character.
inline bool hex_decode(std::string_view in, unsigned char* out, std::size_t out_size) noexcept {
  if (in.size() != 2 * out_size) return false;
  for (std::size_t i = 0; i < out_size; ++i) {
    const int hi = hex_digit_value(in[2 * i]);
    const int lo = hex_digit_value(in[2 * i + 1]);
    if (hi < 0 || lo < 0) return false;
    out[i] = static_cast<unsigned char>((hi << 4) | lo);
  }
  return true;
}

}  // namespace detail
}  // namespace v0
}  // namespace finops_crawler

#endif  // FINOPS_CRAWLER_DETAIL_HEX_HPP
