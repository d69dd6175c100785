// Bodies of value_suggestions.hpp.
#include "value_suggestions.hpp"

#include <algorithm>

#include "finops_crawler/detail/ascii.hpp"

namespace finops_crawler {
inline namespace v0 {
namespace cli {

namespace {

char lower(char c) noexcept { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c; }
bool is_alpha(char c) noexcept { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }
bool is_digit(char c) noexcept { return c >= '0' && c <= '9'; }

std::string lowered(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = lower(c);
  return out;
}

// The first letter of each word, lower case: words are split at anything
// that is not a letter or digit, and before an upper-case letter that
// follows a lower-case one ("AmazonCloudWatch" -> "acw").
std::string initials(std::string_view s) {
  std::string out;
  bool in_word = false;
  char prev = '\0';
  for (char c : s) {
    const bool word_char = is_alpha(c) || is_digit(c);
    const bool camel = in_word && c >= 'A' && c <= 'Z' && prev >= 'a' && prev <= 'z';
    if (word_char && (!in_word || camel) && is_alpha(c)) out.push_back(lower(c));
    in_word = word_char;
    prev = c;
  }
  return out;
}

// "EC2" -> "ecc", "S3" -> "sss": a digit repeats the letter before it.
std::string expanded_abbreviation(std::string_view s) {
  std::string out;
  for (char c : s) {
    if (is_alpha(c)) out.push_back(lower(c));
    else if (is_digit(c) && !out.empty() && c >= '2')
      out.append(static_cast<std::size_t>(c - '1'), out.back());
  }
  return out;
}

bool is_subsequence(const std::string& needle, const std::string& hay) {
  std::size_t i = 0;
  for (char c : hay)
    if (i < needle.size() && c == needle[i]) ++i;
  return i == needle.size();
}

std::size_t edit_distance(const std::string& a, const std::string& b) {
  std::vector<std::size_t> row(b.size() + 1);
  for (std::size_t j = 0; j <= b.size(); ++j) row[j] = j;
  for (std::size_t i = 1; i <= a.size(); ++i) {
    std::size_t diag = row[0];
    row[0] = i;
    for (std::size_t j = 1; j <= b.size(); ++j) {
      const std::size_t up = row[j];
      row[j] = std::min({row[j] + 1, row[j - 1] + 1, diag + (a[i - 1] == b[j - 1] ? 0 : 1)});
      diag = up;
    }
  }
  return row[b.size()];
}

}  // namespace

std::optional<std::string> same_but_case(std::string_view typed, const std::vector<std::string>& names) {
  for (const auto& n : names)
    if (n == typed) return std::nullopt;
  for (const auto& n : names)
    if (finops_crawler::detail::iequals(n, typed)) return n;
  return std::nullopt;
}

std::vector<std::string> nearest_values(std::string_view typed, const std::vector<std::string>& values,
                                        std::size_t max) {
  const std::string t = lowered(typed);
  const std::string abbreviation = expanded_abbreviation(typed);
  struct scored {
    std::size_t rank;
    std::size_t distance;
    const std::string* value;
  };
  std::vector<scored> hits;
  for (const auto& v : values) {
    const std::string lv = lowered(v);
    const std::size_t d = edit_distance(t, lv);
    if (lv == t) hits.push_back({0, d, &v});
    else if (!t.empty() && lv.find(t) != std::string::npos) hits.push_back({1, d, &v});
    else if (abbreviation.size() >= 2 && is_subsequence(abbreviation, initials(v))) hits.push_back({2, d, &v});
    else if (d * 3 <= std::max(t.size(), lv.size())) hits.push_back({3, d, &v});
  }
  std::stable_sort(hits.begin(), hits.end(), [](const scored& a, const scored& b) {
    return a.rank != b.rank ? a.rank < b.rank : a.distance < b.distance;
  });
  std::vector<std::string> out;
  for (const auto& h : hits) {
    if (out.size() == max) break;
    out.push_back(*h.value);
  }
  return out;
}

}  // namespace cli
}  // namespace v0
}  // namespace finops_crawler
