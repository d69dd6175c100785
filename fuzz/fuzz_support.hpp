// Small helpers shared by the fuzz targets (fuzz/ only; not part of the
// library). Header-only, so each target stays one translation unit.
#ifndef FINOPS_CRAWLER_FUZZ_SUPPORT_HPP
#define FINOPS_CRAWLER_FUZZ_SUPPORT_HPP

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace fuzz_support {

/// A violated invariant: stop here, so libFuzzer saves the input as a crash.
inline void require(bool ok) {
  if (!ok) __builtin_trap();
}

/// The input as text.
inline std::string_view as_text(const std::uint8_t* data, std::size_t size) {
  return std::string_view(reinterpret_cast<const char*>(data), size);
}

/// `text` split at every `sep` into at least `min_fields` fields (missing
/// ones empty) and at most `max_fields` (the last keeps the rest).
inline std::vector<std::string_view> split(std::string_view text, char sep, std::size_t min_fields,
                                           std::size_t max_fields) {
  std::vector<std::string_view> out;
  std::size_t pos = 0;
  while (out.size() + 1 < max_fields) {
    const std::size_t end = text.find(sep, pos);
    if (end == std::string_view::npos) break;
    out.push_back(text.substr(pos, end - pos));
    pos = end + 1;
  }
  out.push_back(text.substr(pos));
  while (out.size() < min_fields) out.emplace_back();
  return out;
}

/// True when `s` holds no ASCII control character (what a one-line message must not carry).
inline bool one_line(std::string_view s) {
  for (unsigned char c : s)
    if (c < 0x20 || c == 0x7f) return false;
  return true;
}

}  // namespace fuzz_support

#endif  // FINOPS_CRAWLER_FUZZ_SUPPORT_HPP
