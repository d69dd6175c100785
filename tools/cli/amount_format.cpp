// Bodies of amount_format.hpp.
#include "amount_format.hpp"

namespace finops_crawler {
inline namespace v0 {
namespace cli {

std::optional<std::string> format_amount(std::string_view exact, int decimals, bool grouping) {
  if (decimals < 0 || decimals > 18) return std::nullopt;
  std::size_t i = 0;
  bool negative = false;
  if (i < exact.size() && (exact[i] == '-' || exact[i] == '+')) negative = exact[i++] == '-';
  std::string digits;  // all significant digits, the point removed
  long point = -1;     // digits before the point
  bool any = false;
  for (; i < exact.size(); ++i) {
    const char c = exact[i];
    if (c >= '0' && c <= '9') {
      digits.push_back(c);
      any = true;
    } else if (c == '.' && point < 0) {
      point = static_cast<long>(digits.size());
    } else {
      break;
    }
  }
  if (!any) return std::nullopt;
  if (point < 0) point = static_cast<long>(digits.size());
  if (i < exact.size()) {
    if (exact[i] != 'e' && exact[i] != 'E') return std::nullopt;
    ++i;
    bool eneg = false;
    if (i < exact.size() && (exact[i] == '-' || exact[i] == '+')) eneg = exact[i++] == '-';
    long e = 0;
    bool edigit = false;
    for (; i < exact.size() && exact[i] >= '0' && exact[i] <= '9'; ++i) {
      if (e < 100000) e = e * 10 + (exact[i] - '0');
      edigit = true;
    }
    if (!edigit || i != exact.size()) return std::nullopt;
    point += eneg ? -e : e;
  }
  // Make the integer part at least one digit and the fraction at least
  // `decimals + 1` digits, so rounding reads a single digit.
  if (point <= 0) {
    digits.insert(0, static_cast<std::size_t>(1 - point), '0');
    point = 1;
  }
  const std::size_t want = static_cast<std::size_t>(point) + static_cast<std::size_t>(decimals) + 1;
  if (digits.size() < want) digits.append(want - digits.size(), '0');
  const bool round_up = digits[want - 1] >= '5';
  digits.resize(want - 1);
  if (round_up) {
    std::size_t k = digits.size();
    while (k > 0) {
      --k;
      if (digits[k] == '9') {
        digits[k] = '0';
      } else {
        ++digits[k];
        break;
      }
      if (k == 0) {
        digits.insert(digits.begin(), '1');
        ++point;
      }
    }
  }
  std::string int_part = digits.substr(0, static_cast<std::size_t>(point));
  std::string frac_part = digits.substr(static_cast<std::size_t>(point));
  std::size_t nz = int_part.find_first_not_of('0');
  int_part = nz == std::string::npos ? "0" : int_part.substr(nz);
  const bool zero = int_part == "0" && frac_part.find_first_not_of('0') == std::string::npos;
  std::string out;
  if (negative && !zero) out.push_back('-');
  if (grouping) {
    const std::size_t n = int_part.size();
    for (std::size_t k = 0; k < n; ++k) {
      if (k > 0 && (n - k) % 3 == 0) out.push_back(',');
      out.push_back(int_part[k]);
    }
  } else {
    out += int_part;
  }
  if (decimals > 0) {
    out.push_back('.');
    out += frac_part;
  }
  return out;
}

std::string display_amount(std::string_view exact, int decimals) {
  auto f = format_amount(exact, decimals);
  return f ? *f : std::string(exact);
}

decimal rounded(const decimal& exact, int decimals) {
  auto text = format_amount(exact.to_string(), decimals, false);
  if (!text) return exact;
  auto d = decimal::parse(*text);
  return d ? *d : exact;
}

bool rounded_rows_add_up(const std::vector<decimal>& rows, const decimal& total, int decimals) {
  decimal sum;
  for (const decimal& r : rows)
    if (!sum.add_assign(rounded(r, decimals))) return false;
  return sum == rounded(total, decimals);
}

}  // namespace cli
}  // namespace v0
}  // namespace finops_crawler
