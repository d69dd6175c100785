#ifndef FINOPS_CRAWLER_DETAIL_PERCENT_ENCODING_HPP
#define FINOPS_CRAWLER_DETAIL_PERCENT_ENCODING_HPP
/// \file
/// RFC 3986 percent-encoding as SigV4 uses it (not API). Pure functions;
/// thread-safe. Encoding keeps only the unreserved set A-Z a-z 0-9 - . _ ~
/// and writes escapes with uppercase hex, as SigV4 requires.

#include <cstddef>
#include <string>
#include <string_view>

#include "finops_crawler/detail/hex.hpp"
#include "finops_crawler/result.hpp"

namespace finops_crawler {
inline namespace v0 {
namespace detail {

/// RFC 3986 section 2.3 unreserved characters: ALPHA DIGIT - . _ ~
constexpr bool is_unreserved(unsigned char c) noexcept {
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' ||
         c == '.' || c == '_' || c == '~';
}

/// Appends `in` to `out`, percent-encoding every byte outside the unreserved
/// set (and keeping '/' literal when `keep_slash`, for URI paths). A space is
/// "%20", never '+'. Cost: O(n), at most 3n bytes appended.
inline void append_uri_encoded(std::string& out, std::string_view in, bool keep_slash = false) {
  for (char ch : in) {
    const auto c = static_cast<unsigned char>(ch);
    if (is_unreserved(c) || (keep_slash && c == '/')) {
      out.push_back(ch);
    } else {
      const char esc[3] = {'%', hex_upper[c >> 4], hex_upper[c & 0x0f]};
      out.append(esc, 3);
    }
  }
}

/// Like append_uri_encoded, but treats `in` as already encoded: a valid
/// "%XX" escape is kept (its hex made uppercase) instead of becoming "%25XX".
/// Used for the S3 rule (no double encoding of the path).
inline void append_uri_encoded_keep_escapes(std::string& out, std::string_view in, bool keep_slash = true) {
  for (std::size_t i = 0; i < in.size(); ++i) {
    const auto c = static_cast<unsigned char>(in[i]);
    if (c == '%' && in.size() - i >= 3 && hex_digit_value(in[i + 1]) >= 0 && hex_digit_value(in[i + 2]) >= 0) {
      const int v = (hex_digit_value(in[i + 1]) << 4) | hex_digit_value(in[i + 2]);
      const char esc[3] = {'%', hex_upper[v >> 4], hex_upper[v & 0x0f]};
      out.append(esc, 3);
      i += 2;
    } else if (is_unreserved(c) || (keep_slash && c == '/')) {
      out.push_back(static_cast<char>(c));
    } else {
      const char esc[3] = {'%', hex_upper[c >> 4], hex_upper[c & 0x0f]};
      out.append(esc, 3);
    }
  }
}

/// `in` percent-encoded (see append_uri_encoded) as a new string.
inline std::string uri_encode(std::string_view in, bool keep_slash = false) {
  std::string out;
  out.reserve(in.size());
  append_uri_encoded(out, in, keep_slash);
  return out;
}

/// Appends `in` to `out` with each valid "%XX" escape decoded. Lenient, as
/// servers are: a '%' not followed by two hex digits is kept literally, and
/// '+' stays '+' (SigV4 does not use form encoding). Cannot fail.
inline void append_percent_decoded(std::string& out, std::string_view in) {
  for (std::size_t i = 0; i < in.size(); ++i) {
    if (in[i] == '%' && in.size() - i >= 3) {
      const int hi = hex_digit_value(in[i + 1]);
      const int lo = hex_digit_value(in[i + 2]);
      if (hi >= 0 && lo >= 0) {
        out.push_back(static_cast<char>((hi << 4) | lo));
        i += 2;
        continue;
      }
    }
    out.push_back(in[i]);
  }
}

/// `in` leniently decoded (see append_percent_decoded) as a new string.
inline std::string percent_decode(std::string_view in) {
  std::string out;
  out.reserve(in.size());
  append_percent_decoded(out, in);
  return out;
}

/// Strict RFC 3986 decoding: errc::invalid_argument when a '%' is not
/// followed by two hex digits (the message gives the offset).
inline result<std::string> percent_decode_strict(std::string_view in) {
  std::string out;
  out.reserve(in.size());
  for (std::size_t i = 0; i < in.size(); ++i) {
    if (in[i] != '%') {
      out.push_back(in[i]);
      continue;
    }
    if (in.size() - i < 3 || hex_digit_value(in[i + 1]) < 0 || hex_digit_value(in[i + 2]) < 0) {
      return error(errc::invalid_argument,
                   "invalid percent-escape at offset " + std::to_string(i) + ": '%' must be followed by two hex digits");
    }
    out.push_back(static_cast<char>((hex_digit_value(in[i + 1]) << 4) | hex_digit_value(in[i + 2])));
    i += 2;
  }
  return out;
}

}  // namespace detail
}  // namespace v0
}  // namespace finops_crawler

#endif  // FINOPS_CRAWLER_DETAIL_PERCENT_ENCODING_HPP
