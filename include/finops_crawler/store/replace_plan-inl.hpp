#ifndef FINOPS_CRAWLER_STORE_REPLACE_PLAN_INL_HPP
#define FINOPS_CRAWLER_STORE_REPLACE_PLAN_INL_HPP
/// \file
/// The bodies of replace_plan.hpp: included by that header in header-only
/// mode, compiled once in src/ otherwise (config.hpp). Not for direct inclusion.

#include <unordered_map>
#include <unordered_set>

#include "finops_crawler/detail/json_writer.hpp"
#include "finops_crawler/store/replace_plan.hpp"

namespace finops_crawler {
inline namespace v0 {
namespace store {
namespace detail {

namespace replace_plan_impl {
inline bool digits(std::string_view s, std::size_t from, std::size_t n) noexcept {
  for (std::size_t i = from; i < from + n; ++i)
    if (s[i] < '0' || s[i] > '9') return false;
  return true;
}
inline int number(std::string_view s, std::size_t from, std::size_t n) noexcept {
  int v = 0;
  for (std::size_t i = from; i < from + n; ++i) v = v * 10 + (s[i] - '0');
  return v;
}
// Length-prefixed parts, so no group value can make two keys equal.
inline void append_part(std::string& key, std::string_view part) {
  key += std::to_string(part.size());
  key += ':';
  key += part;
}
inline std::string row_key(std::string_view start, std::string_view g1, std::string_view g2,
                           std::string_view metric) {
  std::string key;
  key.reserve(start.size() + g1.size() + g2.size() + metric.size() + 16);
  append_part(key, start);
  append_part(key, g1);
  append_part(key, g2);
  append_part(key, metric);
  return key;
}
inline std::string row_label(const store_row& r) {
  return "row (" + finops_crawler::detail::quoted_excerpt(r.period_start, 20) + ", " + finops_crawler::detail::quoted_excerpt(r.group_1, 60) +
         ", " + finops_crawler::detail::quoted_excerpt(r.group_2, 60) + ", " +
         finops_crawler::detail::quoted_excerpt(r.metric, 60) + ")";
}
}  // namespace replace_plan_impl

FINOPS_CRAWLER_FUNC bool is_day(std::string_view s) noexcept {
  using namespace replace_plan_impl;
  if (s.size() != 10 || s[4] != '-' || s[7] != '-') return false;
  if (!digits(s, 0, 4) || !digits(s, 5, 2) || !digits(s, 8, 2)) return false;
  const int month = number(s, 5, 2), day = number(s, 8, 2);
  return month >= 1 && month <= 12 && day >= 1 && day <= 31;
}

FINOPS_CRAWLER_FUNC bool is_timestamp(std::string_view s) noexcept {
  using namespace replace_plan_impl;
  if (s.size() != 20 || !is_day(s.substr(0, 10)) || s[10] != 'T' || s[13] != ':' || s[16] != ':' ||
      s[19] != 'Z')
    return false;
  if (!digits(s, 11, 2) || !digits(s, 14, 2) || !digits(s, 17, 2)) return false;
  return number(s, 11, 2) <= 23 && number(s, 14, 2) <= 59 && number(s, 17, 2) <= 60;
}

FINOPS_CRAWLER_FUNC bool is_plain_decimal(std::string_view s) noexcept {
  std::size_t i = 0;
  if (i < s.size() && s[i] == '-') ++i;
  const std::size_t int_start = i;
  while (i < s.size() && s[i] >= '0' && s[i] <= '9') ++i;
  if (i == int_start) return false;
  if (i == s.size()) return true;
  if (s[i] != '.') return false;
  const std::size_t frac_start = ++i;
  while (i < s.size() && s[i] >= '0' && s[i] <= '9') ++i;
  return i > frac_start && i == s.size();
}

FINOPS_CRAWLER_FUNC status check_timestamp(std::string_view what, std::string_view s) {
  if (is_timestamp(s)) return {};
  return status(errc::invalid_argument, std::string(what) + " " +
                                            finops_crawler::detail::quoted_excerpt(s, 40) +
                                            " is not a UTC timestamp YYYY-MM-DDTHH:MM:SSZ");
}

FINOPS_CRAWLER_FUNC status check_report_name(std::string_view report) {
  bool control = false;
  for (unsigned char c : report) control = control || c < 0x20 || c == 0x7f;
  if (!report.empty() && report.size() <= 200 && !control) return {};
  return status(errc::invalid_argument, "report name " + finops_crawler::detail::quoted_excerpt(report, 40) +
                                            " must be 1 to 200 bytes without control characters");
}

FINOPS_CRAWLER_FUNC status check_replace_input(finops_crawler::detail::span<stored_period> periods,
                                               finops_crawler::detail::span<store_row> rows) {
  using namespace replace_plan_impl;
  using finops_crawler::detail::quoted_excerpt;
  auto fail = [](std::string msg) { return status(errc::invalid_argument, std::move(msg)); };
  std::unordered_map<std::string_view, std::string_view> end_of;  // period_start -> period_end
  end_of.reserve(periods.size());
  for (const auto& p : periods) {
    if (!is_day(p.period_start) || !is_day(p.period_end))
      return fail("period " + quoted_excerpt(p.period_start, 20) + " to " + quoted_excerpt(p.period_end, 20) +
                  ": days must be YYYY-MM-DD");
    if (p.period_end <= p.period_start)
      return fail("period " + p.period_start + " to " + p.period_end + ": the end must be after the start");
    if (!end_of.emplace(p.period_start, p.period_end).second)
      return fail("period " + p.period_start + " is given twice");
  }
  std::unordered_set<std::string> keys;
  keys.reserve(rows.size());
  for (const auto& r : rows) {
    auto it = end_of.find(r.period_start);
    if (it == end_of.end())
      return fail(row_label(r) + " is not in any of the periods being replaced");
    if (it->second != r.period_end)
      return fail(row_label(r) + " ends " + quoted_excerpt(r.period_end, 20) + " but its period ends " +
                  std::string(it->second));
    if (r.metric.empty()) return fail(row_label(r) + " has no metric");
    if (!is_plain_decimal(r.amount))
      return fail(row_label(r) + " has amount " + quoted_excerpt(r.amount, 40) +
                  ", not a plain decimal -?[0-9]+(.[0-9]+)?");
    if (!keys.insert(row_key(r.period_start, r.group_1, r.group_2, r.metric)).second)
      return fail(row_label(r) + " appears twice");
  }
  return {};
}

FINOPS_CRAWLER_FUNC row_changes diff_rows(finops_crawler::detail::span<store_row> incoming,
                                          const std::vector<existing_row>& existing, bool signless_zero) {
  using namespace replace_plan_impl;
  std::unordered_map<std::string, std::size_t> stored;
  stored.reserve(existing.size());
  for (std::size_t i = 0; i < existing.size(); ++i) {
    const auto& e = existing[i];
    stored.emplace(row_key(e.period_start, e.group_1, e.group_2, e.metric), i);
  }
  std::vector<bool> seen(existing.size(), false);
  row_changes out;
  for (const auto& r : incoming) {
    auto it = stored.find(row_key(r.period_start, r.group_1, r.group_2, r.metric));
    if (it == stored.end()) {
      out.inserts.push_back(&r);
      continue;
    }
    const auto& e = existing[it->second];
    seen[it->second] = true;
    std::string_view amount = r.amount;
    if (signless_zero && amount.size() > 1 && amount[0] == '-' &&
        amount.find_first_not_of("0.", 1) == std::string_view::npos)
      amount.remove_prefix(1);
    if (e.amount != amount || e.unit != r.unit || e.estimated != r.estimated || e.period_end != r.period_end)
      out.updates.push_back(&r);
  }
  for (std::size_t i = 0; i < existing.size(); ++i)
    if (!seen[i]) out.deletes.push_back(&existing[i]);
  return out;
}

FINOPS_CRAWLER_FUNC std::uint64_t report_hash(std::string_view report) noexcept {
  std::uint64_t h = 14695981039346656037ull;  // FNV-1a offset basis
  for (unsigned char c : report) {
    h ^= c;
    h *= 1099511628211ull;  // FNV prime
  }
  return h;
}

FINOPS_CRAWLER_FUNC std::string scrub(std::string text, finops_crawler::detail::span<std::string> secrets) {
  for (const auto& s : secrets) {
    if (s.empty()) continue;
    for (std::size_t at = text.find(s); at != std::string::npos; at = text.find(s, at + 3))
      text.replace(at, s.size(), "***");
  }
  return text;
}

}  // namespace detail
}  // namespace store
}  // namespace v0
}  // namespace finops_crawler

#endif  // FINOPS_CRAWLER_STORE_REPLACE_PLAN_INL_HPP
