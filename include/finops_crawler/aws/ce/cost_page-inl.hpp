#ifndef FINOPS_CRAWLER_AWS_CE_COST_PAGE_INL_HPP
#define FINOPS_CRAWLER_AWS_CE_COST_PAGE_INL_HPP
/// \file
/// The bodies of aws/ce/cost_page.hpp (metric conversions and the page
/// readers): included by that header in header-only mode, compiled once in
/// src/ otherwise (config.hpp). Not for direct inclusion.

#include "finops_crawler/aws/ce/cost_page.hpp"

#include <charconv>
#include <cstring>
#include <system_error>

namespace finops_crawler {
inline namespace v0 {
namespace ce {

FINOPS_CRAWLER_FUNC result<decimal> metric_value::amount() const {
  auto r = decimal::parse(amount_);
  if (!r) {
    return result<decimal>(errc::invalid_argument,
                           "Amount of metric " + std::string(name_) + ": " + r.error().message);
  }
  return r;
}

FINOPS_CRAWLER_FUNC double metric_value::amount_double() const noexcept {
  double out = std::numeric_limits<double>::quiet_NaN();
  const char* first = amount_.data();
  const char* last = first + amount_.size();
  auto res = std::from_chars(first, last, out, std::chars_format::fixed);
  if (res.ec != std::errc() || res.ptr != last) return std::numeric_limits<double>::quiet_NaN();
  return out;
}

namespace detail {
using finops_crawler::detail::duplicate_field;
using finops_crawler::detail::json_path;
using finops_crawler::detail::missing_field;
using finops_crawler::detail::read_array;
using finops_crawler::detail::read_bool;
using finops_crawler::detail::read_object;
using finops_crawler::detail::read_string;
using finops_crawler::detail::seen_members;

/// Slow path of read_metric_value: finds what is wrong and says where.
FINOPS_CRAWLER_FUNC bool metric_value_error(simdjson::dom::element value, std::string_view name, json_path& path,
                               error& err) {
  using finops_crawler::detail::wrong_type;
  simdjson::dom::object obj;
  if (!read_object(value, path, name, obj, err)) return false;
  path.push(name);
  enum : std::uint32_t { amount, unit };
  seen_members seen;
  std::string_view ignored;
  for (simdjson::dom::key_value_pair kv : obj) {
    if (kv.key == "Amount") {
      if (!seen.first(amount, path, "Amount", err)) return false;
      if (!read_string(kv.value, path, "Amount", ignored, err)) return false;
    } else if (kv.key == "Unit") {
      if (!seen.first(unit, path, "Unit", err)) return false;
      if (!read_string(kv.value, path, "Unit", ignored, err)) return false;
    }
  }
  err = missing_field(path, seen.has(amount) ? "Unit" : "Amount");
  return false;
}

/// Slow path of read_group for the group's own members (Keys, Metrics).
FINOPS_CRAWLER_FUNC bool group_error(simdjson::dom::element value, std::size_t index, json_path& path, error& err) {
  path.push(index);
  simdjson::dom::object obj;
  if (!read_object(value, path, {}, obj, err)) return false;
  enum : std::uint32_t { keys_member, metrics_member };
  seen_members seen;
  for (simdjson::dom::key_value_pair kv : obj) {
    if (kv.key == "Keys") {
      if (!seen.first(keys_member, path, "Keys", err)) return false;
      simdjson::dom::array keys;
      if (!read_array(kv.value, path, "Keys", keys, err)) return false;
      path.push("Keys");
      std::size_t i = 0;
      for (simdjson::dom::element k : keys) {
        std::string_view key;
        path.push(i);
        if (!read_string(k, path, {}, key, err)) return false;
        path.pop();
        ++i;
      }
      path.pop();
    } else if (kv.key == "Metrics") {
      if (!seen.first(metrics_member, path, "Metrics", err)) return false;
      simdjson::dom::object metrics;
      if (!read_object(kv.value, path, "Metrics", metrics, err)) return false;
    }
  }
  err = missing_field(path, seen.has(keys_member) ? "Metrics" : "Keys");
  return false;
}

// The readers below run once per metric and group of a page, so they touch
// the json_path only when reporting an error (the path then gets the
// segments the caller did not push).

/// Reads one {"Amount": "...", "Unit": "..."} object named `name` (the fast
/// path: false without an error message when anything is off).
FINOPS_CRAWLER_FUNC bool read_metric_value_fast(simdjson::dom::element value, std::string_view name,
                                                      page_data& d) {
  simdjson::dom::object obj;
  std::string_view amount, unit;
  bool has_amount = false, has_unit = false;
  if (value.get_object().get(obj) != simdjson::SUCCESS) return false;
  for (simdjson::dom::key_value_pair kv : obj) {
    if (kv.key == "Amount") {
      if (has_amount || kv.value.get_string().get(amount) != simdjson::SUCCESS) return false;
      has_amount = true;
    } else if (kv.key == "Unit") {
      if (has_unit || kv.value.get_string().get(unit) != simdjson::SUCCESS) return false;
      has_unit = true;
    }
  }
  if (!has_amount || !has_unit) return false;
  d.metrics.emplace_back(name, amount, unit);
  return true;
}

/// Whether the metric just appended to d.metrics has a name that no metric
/// from `first` on has. A map holds a few metrics (a request names at most
/// 7), so the pairwise compare costs less than any set would.
FINOPS_CRAWLER_HOT_INLINE bool metric_name_once(const page_data& d, std::size_t first) noexcept {
  const std::size_t last = d.metrics.size() - 1;
  const std::string_view name = d.metrics[last].name();
  for (std::size_t k = first; k < last; ++k)
    if (d.metrics[k].name() == name) return false;
  return true;
}

/// Reads a Metrics map (name -> MetricValue). `path` ends with the map's
/// own name ("...Groups[2].Metrics", "...Total") only when `path_ready`;
/// otherwise the caller's `push_more` segments are added on error.
/// A metric named twice in one map is refused (duplicate_field): it would
/// be written twice.
template <class PushMore>
bool read_metrics(simdjson::dom::object obj, json_path& path, PushMore push_more,
                                            page_data& d, error& err) {
  const std::size_t first = d.metrics.size();
  for (simdjson::dom::key_value_pair kv : obj) {
    if (!read_metric_value_fast(kv.value, kv.key, d)) {
      push_more(path);
      return metric_value_error(kv.value, kv.key, path, err);
    }
    if (!metric_name_once(d, first)) {
      push_more(path);
      err = duplicate_field(path, kv.key);
      return false;
    }
  }
  return true;
}

/// Reads one MetricValue named `name` with a full error message; `path`
/// ends with the map holding it.
FINOPS_CRAWLER_FUNC bool read_metric_value(simdjson::dom::element value, std::string_view name, json_path& path,
                              page_data& d, error& err) {
  if (read_metric_value_fast(value, name, d)) return true;
  return metric_value_error(value, name, path, err);
}

/// Reads group `index`; `path` ends with "Groups".
FINOPS_CRAWLER_FUNC bool read_group(simdjson::dom::element value, std::size_t index, json_path& path,
                                          page_data& d, error& err) {
  simdjson::dom::object obj;
  if (value.get_object().get(obj) != simdjson::SUCCESS) return group_error(value, index, path, err);
  group_rec g{static_cast<std::uint32_t>(d.keys.size()), 0, static_cast<std::uint32_t>(d.metrics.size()), 0};
  bool has_keys = false, has_metrics = false;
  for (simdjson::dom::key_value_pair kv : obj) {
    if (kv.key == "Keys") {
      simdjson::dom::array keys;
      if (has_keys || kv.value.get_array().get(keys) != simdjson::SUCCESS)
        return group_error(value, index, path, err);
      for (simdjson::dom::element k : keys) {
        std::string_view key;
        if (k.get_string().get(key) != simdjson::SUCCESS) return group_error(value, index, path, err);
        d.keys.push_back(key);
      }
      has_keys = true;
    } else if (kv.key == "Metrics") {
      simdjson::dom::object metrics;
      if (has_metrics || kv.value.get_object().get(metrics) != simdjson::SUCCESS)
        return group_error(value, index, path, err);
      auto push_more = [index](json_path& p) {
        p.push(index);
        p.push("Metrics");
      };
      if (!read_metrics(metrics, path, push_more, d, err)) return false;
      has_metrics = true;
    }
  }
  if (!has_keys || !has_metrics) return group_error(value, index, path, err);
  g.key_count = static_cast<std::uint32_t>(d.keys.size() - g.first_key);
  g.metric_count = static_cast<std::uint32_t>(d.metrics.size() - g.first_metric);
  d.groups.push_back(g);
  return true;
}

/// Reads a DateInterval {"Start", "End"}; both required.
FINOPS_CRAWLER_FUNC bool read_time_period(simdjson::dom::element value, json_path& path, std::string_view& start,
                             std::string_view& end, error& err) {
  simdjson::dom::object obj;
  if (!read_object(value, path, "TimePeriod", obj, err)) return false;
  path.push("TimePeriod");
  enum : std::uint32_t { start_member, end_member };
  seen_members seen;
  for (simdjson::dom::key_value_pair kv : obj) {
    if (kv.key == "Start") {
      if (!seen.first(start_member, path, "Start", err)) return false;
      if (!read_string(kv.value, path, "Start", start, err)) return false;
    } else if (kv.key == "End") {
      if (!seen.first(end_member, path, "End", err)) return false;
      if (!read_string(kv.value, path, "End", end, err)) return false;
    }
  }
  const bool has_start = seen.has(start_member), has_end = seen.has(end_member);
  if (!has_start) {
    err = missing_field(path, "Start");
    return false;
  }
  if (!has_end) {
    err = missing_field(path, "End");
    return false;
  }
  path.pop();
  return true;
}

FINOPS_CRAWLER_FUNC bool read_result_by_time(simdjson::dom::element value, json_path& path, page_data& d, error& err) {
  simdjson::dom::object obj;
  if (!read_object(value, path, {}, obj, err)) return false;
  result_rec r{};
  r.first_total = static_cast<std::uint32_t>(d.metrics.size());
  r.first_group = static_cast<std::uint32_t>(d.groups.size());
  // Total and Groups are read where they appear; their entries land in
  // different arrays, so the order of the members does not matter. Each
  // may appear once (a null counts).
  enum : std::uint32_t { period_member, total_member, groups_member, estimated_member };
  seen_members seen;
  for (simdjson::dom::key_value_pair kv : obj) {
    if (kv.key == "TimePeriod") {
      if (!seen.first(period_member, path, "TimePeriod", err)) return false;
      if (!read_time_period(kv.value, path, r.start, r.end, err)) return false;
    } else if (kv.key == "Total") {
      if (!seen.first(total_member, path, "Total", err)) return false;
      if (kv.value.is_null()) continue;
      simdjson::dom::object total;
      if (!read_object(kv.value, path, "Total", total, err)) return false;
      // Total's metrics must be contiguous; a group read before it would
      // have appended its own metrics, so record where Total starts now.
      r.first_total = static_cast<std::uint32_t>(d.metrics.size());
      if (!read_metrics(total, path, [](json_path& p) { p.push("Total"); }, d, err)) return false;
      r.total_count = static_cast<std::uint32_t>(d.metrics.size() - r.first_total);
    } else if (kv.key == "Groups") {
      if (!seen.first(groups_member, path, "Groups", err)) return false;
      if (kv.value.is_null()) continue;
      simdjson::dom::array groups;
      if (!read_array(kv.value, path, "Groups", groups, err)) return false;
      path.push("Groups");
      std::size_t i = 0;
      for (simdjson::dom::element g : groups)
        if (!read_group(g, i++, path, d, err)) return false;
      path.pop();
      r.group_count = static_cast<std::uint32_t>(d.groups.size() - r.first_group);
    } else if (kv.key == "Estimated") {
      if (!seen.first(estimated_member, path, "Estimated", err)) return false;
      if (kv.value.is_null()) continue;
      if (!read_bool(kv.value, path, "Estimated", r.estimated, err)) return false;
    }
  }
  if (!seen.has(period_member)) {
    err = missing_field(path, "TimePeriod");
    return false;
  }
  d.results.push_back(r);
  return true;
}

/// Whether no attribute from `first` on is named `key` (an Attributes map
/// holds a few entries: a pairwise compare).
FINOPS_CRAWLER_HOT_INLINE bool attribute_once(const page_data& d, std::size_t first, std::string_view key) noexcept {
  for (std::size_t k = first; k < d.attributes.size(); ++k)
    if (d.attributes[k].key == key) return false;
  return true;
}

/// Reads a DimensionValuesWithAttributes list into d.dimension_values.
/// `path` ends with the list's name.
FINOPS_CRAWLER_FUNC bool read_dimension_values(simdjson::dom::array list, json_path& path, page_data& d, error& err) {
  std::size_t i = 0;
  for (simdjson::dom::element item : list) {
    path.push(i);
    simdjson::dom::object obj;
    if (!read_object(item, path, {}, obj, err)) return false;
    dimension_rec r{{}, static_cast<std::uint32_t>(d.attributes.size()), 0};
    enum : std::uint32_t { value_member, attributes_member };
    seen_members seen;
    for (simdjson::dom::key_value_pair kv : obj) {
      if (kv.key == "Value") {
        if (!seen.first(value_member, path, "Value", err)) return false;
        if (!read_string(kv.value, path, "Value", r.value, err)) return false;
      } else if (kv.key == "Attributes") {
        if (!seen.first(attributes_member, path, "Attributes", err)) return false;
        if (kv.value.is_null()) continue;
        simdjson::dom::object attrs;
        if (!read_object(kv.value, path, "Attributes", attrs, err)) return false;
        path.push("Attributes");
        r.first_attribute = static_cast<std::uint32_t>(d.attributes.size());
        for (simdjson::dom::key_value_pair a : attrs) {
          std::string_view v;
          if (!read_string(a.value, path, a.key, v, err)) return false;
          if (!attribute_once(d, r.first_attribute, a.key)) {
            err = duplicate_field(path, a.key);
            return false;
          }
          d.attributes.push_back(attribute{a.key, v});
        }
        path.pop();
        r.attribute_count = static_cast<std::uint32_t>(d.attributes.size() - r.first_attribute);
      }
    }
    if (!seen.has(value_member)) {
      err = missing_field(path, "Value");
      return false;
    }
    d.dimension_values.push_back(r);
    path.pop();
    ++i;
  }
  return true;
}

/// Reads an optional NextPageToken / NextToken string (null = absent).
FINOPS_CRAWLER_FUNC bool read_token(simdjson::dom::element value, const json_path& path, std::string_view field,
                       page_data& d, error& err) {
  if (value.is_null()) return true;
  if (!read_string(value, path, field, d.next_page_token, err)) return false;
  d.has_next_page_token = true;
  return true;
}

FINOPS_CRAWLER_FUNC bool read_cost_page(simdjson::dom::element root, page_data& d, error& err) {
  json_path path;
  simdjson::dom::object obj;
  if (!read_object(root, path, {}, obj, err)) return false;
  bool has_results = false;
  enum : std::uint32_t { results_member, token_member, definitions_member, attributes_member };
  seen_members seen;
  for (simdjson::dom::key_value_pair kv : obj) {
    if (kv.key == "ResultsByTime") {
      if (!seen.first(results_member, path, "ResultsByTime", err)) return false;
      simdjson::dom::array results;
      if (!read_array(kv.value, path, "ResultsByTime", results, err)) return false;
      path.push("ResultsByTime");
      std::size_t i = 0;
      for (simdjson::dom::element r : results) {
        path.push(i);
        if (!read_result_by_time(r, path, d, err)) return false;
        path.pop();
        ++i;
      }
      path.pop();
      has_results = true;
    } else if (kv.key == "NextPageToken") {
      if (!seen.first(token_member, path, "NextPageToken", err)) return false;
      if (!read_token(kv.value, path, "NextPageToken", d, err)) return false;
    } else if (kv.key == "GroupDefinitions") {
      if (!seen.first(definitions_member, path, "GroupDefinitions", err)) return false;
      if (kv.value.is_null()) continue;
      simdjson::dom::array defs;
      if (!read_array(kv.value, path, "GroupDefinitions", defs, err)) return false;
      path.push("GroupDefinitions");
      std::size_t i = 0;
      for (simdjson::dom::element def : defs) {
        path.push(i);
        simdjson::dom::object o;
        if (!read_object(def, path, {}, o, err)) return false;
        group_definition gd;
        bool has_type = false, has_key = false;
        for (simdjson::dom::key_value_pair m : o) {
          if (m.key == "Type") {
            if (has_type) {
              err = duplicate_field(path, "Type");
              return false;
            }
            if (!read_string(m.value, path, "Type", gd.type, err)) return false;
            has_type = true;
          } else if (m.key == "Key") {
            if (has_key) {
              err = duplicate_field(path, "Key");
              return false;
            }
            if (!read_string(m.value, path, "Key", gd.key, err)) return false;
            has_key = true;
          }
        }
        if (!has_type || !has_key) {
          err = missing_field(path, has_type ? "Key" : "Type");
          return false;
        }
        d.group_definitions.push_back(gd);
        path.pop();
        ++i;
      }
      path.pop();
    } else if (kv.key == "DimensionValueAttributes") {
      if (!seen.first(attributes_member, path, "DimensionValueAttributes", err)) return false;
      if (kv.value.is_null()) continue;
      simdjson::dom::array list;
      if (!read_array(kv.value, path, "DimensionValueAttributes", list, err)) return false;
      path.push("DimensionValueAttributes");
      if (!read_dimension_values(list, path, d, err)) return false;
      path.pop();
    }
  }
  if (!has_results) {
    err = missing_field(path, "ResultsByTime");
    return false;
  }
  return true;
}

// The tape reader: the same page read straight from simdjson's tape
// (json_tape), the fast path of fill(). It accepts only the usual shape:
// every required member present with its type, and Total, Groups,
// Estimated, GroupDefinitions, DimensionValueAttributes and Attributes
// present as objects, arrays or booleans rather than null, and no member it
// reads repeated. On anything else it returns false (without a message,
// possibly with part of the page filled) and fill() reads the page again
// with the DOM reader above, which refuses a repeated member with its path
// (duplicate_field) and otherwise gives the same page or the error message.
// Where both accept a page they fill identical arrays (the member loops
// mirror each other; unknown members are skipped alike;
// fuzz/page_parser_fuzzer.cpp and tests/unit/cost_page.cpp check it). The
// repeat checks are flags the loops keep anyway, and a compare against the
// few metric names before in the same map.
using finops_crawler::detail::json_tape;

/// Reads a Metrics or Total map (name -> {"Amount", "Unit"}) whose '{' is at `i`.
FINOPS_CRAWLER_HOT_INLINE bool tape_metrics(json_tape t, std::size_t i, page_data& d) {
  const std::size_t end = t.close(i);
  // A metric takes at least 7 words (name, {, Amount, value, Unit, value, }),
  // so the map holds at most (end - i) / 7 of them.
  d.metrics.reserve_more((end - i) / 7);
  metric_value* const first = d.metrics.tail();
  metric_value* out = first;
  for (std::size_t j = i + 1; j < end;) {
    const std::size_t v = j + 1;
    if (t.type(v) != '{') return false;
    const std::size_t vend = t.close(v);
    std::string_view amount, unit;
    if (vend == v + 5 && t.string_is(v + 1, "Amount") && t.string_is(v + 3, "Unit") && t.type(v + 2) == '"' &&
        t.type(v + 4) == '"') {
      // Exactly {"Amount": "...", "Unit": "..."}, the order AWS writes.
      amount = t.string(v + 2);
      unit = t.string(v + 4);
    } else {
      bool has_amount = false, has_unit = false;
      for (std::size_t k = v + 1; k < vend;) {
        const std::size_t kv = k + 1;
        if (t.string_is(k, "Amount")) {
          if (has_amount || t.type(kv) != '"') return false;
          amount = t.string(kv);
          has_amount = true;
          k = kv + 1;
        } else if (t.string_is(k, "Unit")) {
          if (has_unit || t.type(kv) != '"') return false;
          unit = t.string(kv);
          has_unit = true;
          k = kv + 1;
        } else {
          k = t.next(kv);
        }
      }
      if (!has_amount || !has_unit) return false;
    }
    const std::string_view name = t.string(j);
    for (const metric_value* m = first; m != out; ++m)
      if (m->name() == name) return false;
    ::new (static_cast<void*>(out)) metric_value(name, amount, unit);
    ++out;
    j = vend + 1;
  }
  d.metrics.commit(static_cast<std::size_t>(out - first));
  return true;
}

/// Reads the group whose '{' is at `i`.
FINOPS_CRAWLER_HOT_INLINE bool tape_group(json_tape t, std::size_t i, page_data& d) {
  if (t.type(i) != '{') return false;
  group_rec g{static_cast<std::uint32_t>(d.keys.size()), 0, static_cast<std::uint32_t>(d.metrics.size()), 0};
  bool has_keys = false, has_metrics = false;
  const std::size_t end = t.close(i);
  for (std::size_t j = i + 1; j < end;) {
    const std::size_t v = j + 1;
    if (t.string_is(j, "Keys")) {
      if (has_keys || t.type(v) != '[') return false;
      const std::size_t kend = t.close(v);
      const std::size_t n = kend - v - 1;
      d.keys.reserve_more(n);
      std::string_view* out = d.keys.tail();
      for (std::size_t k = v + 1; k < kend; ++k) {
        if (t.type(k) != '"') return false;
        ::new (static_cast<void*>(out++)) std::string_view(t.string(k));
      }
      d.keys.commit(n);
      has_keys = true;
      j = kend + 1;
    } else if (t.string_is(j, "Metrics")) {
      if (has_metrics || t.type(v) != '{') return false;
      if (!tape_metrics(t, v, d)) return false;
      has_metrics = true;
      j = t.close(v) + 1;
    } else {
      j = t.next(v);
    }
  }
  if (!has_keys || !has_metrics) return false;
  g.key_count = static_cast<std::uint32_t>(d.keys.size() - g.first_key);
  g.metric_count = static_cast<std::uint32_t>(d.metrics.size() - g.first_metric);
  d.groups.push_back(g);
  return true;
}

/// Reads the ResultsByTime entry whose '{' is at `i`.
FINOPS_CRAWLER_FUNC bool tape_result_by_time(json_tape t, std::size_t i, page_data& d) {
  if (t.type(i) != '{') return false;
  result_rec r{};
  r.first_total = static_cast<std::uint32_t>(d.metrics.size());
  r.first_group = static_cast<std::uint32_t>(d.groups.size());
  bool has_period = false, has_total = false, has_groups = false, has_estimated = false;
  const std::size_t end = t.close(i);
  for (std::size_t j = i + 1; j < end; j = t.next(j + 1)) {
    const std::size_t v = j + 1;
    if (t.string_is(j, "TimePeriod")) {
      if (has_period || t.type(v) != '{') return false;
      bool has_start = false, has_end = false;
      const std::size_t pend = t.close(v);
      for (std::size_t k = v + 1; k < pend; k = t.next(k + 1)) {
        if (t.string_is(k, "Start")) {
          if (has_start || t.type(k + 1) != '"') return false;
          r.start = t.string(k + 1);
          has_start = true;
        } else if (t.string_is(k, "End")) {
          if (has_end || t.type(k + 1) != '"') return false;
          r.end = t.string(k + 1);
          has_end = true;
        }
      }
      if (!has_start || !has_end) return false;
      has_period = true;
    } else if (t.string_is(j, "Total")) {
      if (has_total || t.type(v) != '{') return false;
      has_total = true;
      // As the DOM reader: Total's metrics start where Total is read.
      r.first_total = static_cast<std::uint32_t>(d.metrics.size());
      if (!tape_metrics(t, v, d)) return false;
      r.total_count = static_cast<std::uint32_t>(d.metrics.size() - r.first_total);
    } else if (t.string_is(j, "Groups")) {
      if (has_groups || t.type(v) != '[') return false;
      has_groups = true;
      const std::size_t gend = t.close(v);
      for (std::size_t k = v + 1; k < gend; k = t.next(k))
        if (!tape_group(t, k, d)) return false;
      r.group_count = static_cast<std::uint32_t>(d.groups.size() - r.first_group);
    } else if (t.string_is(j, "Estimated")) {
      const char c = t.type(v);
      if (has_estimated || (c != 't' && c != 'f')) return false;
      has_estimated = true;
      r.estimated = c == 't';
    }
  }
  if (!has_period) return false;
  d.results.push_back(r);
  return true;
}

/// Reads a GroupDefinitions list whose '[' is at `i`.
FINOPS_CRAWLER_FUNC bool tape_group_definitions(json_tape t, std::size_t i, page_data& d) {
  const std::size_t end = t.close(i);
  for (std::size_t k = i + 1; k < end; k = t.next(k)) {
    if (t.type(k) != '{') return false;
    group_definition gd;
    bool has_type = false, has_key = false;
    const std::size_t oend = t.close(k);
    for (std::size_t m = k + 1; m < oend; m = t.next(m + 1)) {
      if (t.string_is(m, "Type")) {
        if (has_type || t.type(m + 1) != '"') return false;
        gd.type = t.string(m + 1);
        has_type = true;
      } else if (t.string_is(m, "Key")) {
        if (has_key || t.type(m + 1) != '"') return false;
        gd.key = t.string(m + 1);
        has_key = true;
      }
    }
    if (!has_type || !has_key) return false;
    d.group_definitions.push_back(gd);
  }
  return true;
}

/// Reads a DimensionValuesWithAttributes list whose '[' is at `i`.
FINOPS_CRAWLER_FUNC bool tape_dimension_values(json_tape t, std::size_t i, page_data& d) {
  const std::size_t end = t.close(i);
  for (std::size_t k = i + 1; k < end; k = t.next(k)) {
    if (t.type(k) != '{') return false;
    dimension_rec r{{}, static_cast<std::uint32_t>(d.attributes.size()), 0};
    bool has_value = false, has_attributes = false;
    const std::size_t oend = t.close(k);
    for (std::size_t m = k + 1; m < oend; m = t.next(m + 1)) {
      if (t.string_is(m, "Value")) {
        if (has_value || t.type(m + 1) != '"') return false;
        r.value = t.string(m + 1);
        has_value = true;
      } else if (t.string_is(m, "Attributes")) {
        if (has_attributes || t.type(m + 1) != '{') return false;
        has_attributes = true;
        r.first_attribute = static_cast<std::uint32_t>(d.attributes.size());
        const std::size_t aend = t.close(m + 1);
        for (std::size_t a = m + 2; a < aend; a += 2) {
          if (t.type(a + 1) != '"' || !attribute_once(d, r.first_attribute, t.string(a))) return false;
          d.attributes.push_back(attribute{t.string(a), t.string(a + 1)});
        }
        r.attribute_count = static_cast<std::uint32_t>(d.attributes.size() - r.first_attribute);
      }
    }
    if (!has_value) return false;
    d.dimension_values.push_back(r);
  }
  return true;
}

/// Reads a whole GetCostAndUsage page from the tape into `d` (empty).
FINOPS_CRAWLER_FUNC bool read_cost_page_tape(json_tape t, page_data& d) {
  const std::size_t root = json_tape::root;
  if (t.type(root) != '{') return false;
  bool has_results = false, has_token = false, has_definitions = false, has_attributes = false;
  const std::size_t end = t.close(root);
  for (std::size_t j = root + 1; j < end; j = t.next(j + 1)) {
    const std::size_t v = j + 1;
    if (t.string_is(j, "ResultsByTime")) {
      if (has_results || t.type(v) != '[') return false;
      const std::size_t rend = t.close(v);
      for (std::size_t k = v + 1; k < rend; k = t.next(k))
        if (!tape_result_by_time(t, k, d)) return false;
      has_results = true;
    } else if (t.string_is(j, "NextPageToken")) {
      if (has_token) return false;
      has_token = true;
      if (t.type(v) == '"') {
        d.next_page_token = t.string(v);
        d.has_next_page_token = true;
      } else if (t.type(v) != 'n') {
        return false;
      }
    } else if (t.string_is(j, "GroupDefinitions")) {
      if (has_definitions || t.type(v) != '[' || !tape_group_definitions(t, v, d)) return false;
      has_definitions = true;
    } else if (t.string_is(j, "DimensionValueAttributes")) {
      if (has_attributes || t.type(v) != '[' || !tape_dimension_values(t, v, d)) return false;
      has_attributes = true;
    }
  }
  return has_results;
}
FINOPS_CRAWLER_FUNC bool same_view(std::string_view a, std::string_view b) noexcept {
  return a.data() == b.data() && a.size() == b.size();
}

FINOPS_CRAWLER_FUNC bool identical(const page_data& a, const page_data& b) noexcept {
  auto same_arrays = [](const auto& x, const auto& y, auto&& same) {
    if (x.size() != y.size()) return false;
    for (std::size_t i = 0; i < x.size(); ++i)
      if (!same(x[i], y[i])) return false;
    return true;
  };
  return same_arrays(a.metrics, b.metrics,
                     [](const metric_value& x, const metric_value& y) {
                       return same_view(x.name(), y.name()) && same_view(x.amount_text(), y.amount_text()) &&
                              same_view(x.unit(), y.unit());
                     }) &&
         same_arrays(a.keys, b.keys, same_view) &&
         same_arrays(a.groups, b.groups,
                     [](const group_rec& x, const group_rec& y) {
                       return x.first_key == y.first_key && x.key_count == y.key_count &&
                              x.first_metric == y.first_metric && x.metric_count == y.metric_count;
                     }) &&
         same_arrays(a.results, b.results,
                     [](const result_rec& x, const result_rec& y) {
                       return same_view(x.start, y.start) && same_view(x.end, y.end) &&
                              x.first_total == y.first_total && x.total_count == y.total_count &&
                              x.first_group == y.first_group && x.group_count == y.group_count &&
                              x.estimated == y.estimated;
                     }) &&
         same_arrays(a.group_definitions, b.group_definitions,
                     [](const group_definition& x, const group_definition& y) {
                       return same_view(x.type, y.type) && same_view(x.key, y.key);
                     }) &&
         same_arrays(a.attributes, b.attributes,
                     [](const attribute& x, const attribute& y) {
                       return same_view(x.key, y.key) && same_view(x.value, y.value);
                     }) &&
         same_arrays(a.dimension_values, b.dimension_values,
                     [](const dimension_rec& x, const dimension_rec& y) {
                       return same_view(x.value, y.value) && x.first_attribute == y.first_attribute &&
                              x.attribute_count == y.attribute_count;
                     }) &&
         same_view(a.next_page_token, b.next_page_token) && a.has_next_page_token == b.has_next_page_token &&
         a.return_size == b.return_size && a.total_size == b.total_size;
}

}  // namespace detail

FINOPS_CRAWLER_FUNC bool cost_page::read(simdjson::dom::element root, error& err) {
  if (!data_) data_ = std::make_unique<detail::page_data>();
  // The tape reader takes the usual shape; anything else (an error, a null,
  // an unusual member) is read again from the start by the DOM reader,
  // which gives the same page or the error message.
  if (finops_crawler::detail::json_tape::layout_checked && detail::read_cost_page_tape(doc_.tape(), *data_))
    return true;
  data_->clear();
  return detail::read_cost_page(root, *data_, err);
}

FINOPS_CRAWLER_FUNC status cost_page::reparse(std::string_view json) & {
  return finops_crawler::detail::page_access::reparse(*this, json);
}

FINOPS_CRAWLER_FUNC status cost_page::reparse_padded(simdjson::padded_string_view json) & {
  return finops_crawler::detail::page_access::reparse_padded(*this, json);
}

FINOPS_CRAWLER_FUNC result<cost_page> cost_page::parse(std::string_view json) {
  return finops_crawler::detail::page_access::parse<cost_page>(json);
}

FINOPS_CRAWLER_FUNC result<cost_page> cost_page::parse_padded(simdjson::padded_string_view json) {
  return finops_crawler::detail::page_access::parse_padded<cost_page>(json);
}

}  // namespace ce
}  // namespace v0
}  // namespace finops_crawler

#endif  // FINOPS_CRAWLER_AWS_CE_COST_PAGE_INL_HPP
