#ifndef FINOPS_CRAWLER_DETAIL_ASCII_HPP
#define FINOPS_CRAWLER_DETAIL_ASCII_HPP
/// \file
/// ASCII-only text helpers: case folding, case-insensitive comparison and
/// trimming. Locale-independent on purpose (header names, config keys and
/// AWS identifiers are ASCII; `std::tolower` would depend on the C locale).
/// Not API. Pure; none can fail.

#include <cstddef>
#include <string>
#include <string_view>

namespace finops_crawler {
inline namespace v0 {
namespace detail {

/// `c` lowered when it is 'A'..'Z', else unchanged.
constexpr char ascii_lower(char c) noexcept { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c; }

/// A lowered copy of `s` (ASCII letters only).
inline std::string to_lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = ascii_lower(c);
  return out;
}

/// ASCII case-insensitive equality.
constexpr bool iequals(std::string_view a, std::string_view b) noexcept {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    if (ascii_lower(a[i]) != ascii_lower(b[i])) return false;
  }
  return true;
}

/// Whether `needle` occurs in `hay`, ASCII case-insensitively. An empty
/// needle is found everywhere.
constexpr bool icontains(std::string_view hay, std::string_view needle) noexcept {
  if (needle.size() > hay.size()) return false;
  for (std::size_t i = 0; i + needle.size() <= hay.size(); ++i) {
    if (iequals(hay.substr(i, needle.size()), needle)) return true;
  }
  return false;
}

/// The space and tab characters (what HTTP calls optional white space).
inline constexpr std::string_view spaces_and_tabs = " \t";

/// `s` without leading and trailing characters from `blanks`.
constexpr std::string_view trim(std::string_view s, std::string_view blanks = spaces_and_tabs) noexcept {
  while (!s.empty() && blanks.find(s.front()) != std::string_view::npos) s.remove_prefix(1);
  while (!s.empty() && blanks.find(s.back()) != std::string_view::npos) s.remove_suffix(1);
  return s;
}

}  // namespace detail
}  // namespace v0
}  // namespace finops_crawler

#endif  // FINOPS_CRAWLER_DETAIL_ASCII_HPP
