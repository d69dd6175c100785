#ifndef FINOPS_CRAWLER_AWS_CE_MERGED_RESULTS_INL_HPP
#define FINOPS_CRAWLER_AWS_CE_MERGED_RESULTS_INL_HPP
/// \file
/// The bodies of aws/ce/merged_results.hpp: included by that header in
/// header-only mode, compiled once in src/ otherwise (config.hpp). Not for
/// direct inclusion.

#include "finops_crawler/aws/ce/merged_results.hpp"

namespace finops_crawler {
inline namespace v0 {
namespace ce {

FINOPS_CRAWLER_FUNC bool continues_period(std::string_view prev_start, std::string_view prev_end,
                                          const result_by_time& first) noexcept {
  return first.start() == prev_start && first.end() == prev_end;
}

FINOPS_CRAWLER_FUNC bool period_continuity::feed(const cost_page& page) {
  const results_range results = page.results();
  if (results.empty()) return false;
  const bool continued = has_last_ && continues_period(last_start_, last_end_, results.front());
  const result_by_time last = results.back();
  last_start_.assign(last.start().data(), last.start().size());
  last_end_.assign(last.end().data(), last.end().size());
  has_last_ = true;
  return continued;
}

namespace detail {
FINOPS_CRAWLER_FUNC std::string period_key(std::string_view start, std::string_view end) {
  std::string k(start);
  k += '\n';
  k += end;
  return k;
}

/// Length-prefixed so distinct key lists never collide.
template <class Keys>
std::string group_identity(const Keys& keys) {
  std::string id;
  for (const auto& k : keys) {
    id += std::to_string(k.size());
    id += ':';
    id.append(k.data(), k.size());
  }
  return id;
}

FINOPS_CRAWLER_FUNC bool same_metrics(const std::vector<owned_metric>& a, const metrics_view& b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i)
    if (a[i].name != b[i].name() || a[i].amount != b[i].amount_text() || a[i].unit != b[i].unit()) return false;
  return true;
}

FINOPS_CRAWLER_FUNC void write_metrics_json(finops_crawler::detail::json_writer& w, const std::vector<owned_metric>& metrics) {
  w.begin_object();
  for (const owned_metric& m : metrics) {
    w.key(m.name).begin_object();
    w.key("Amount").string(m.amount);
    w.key("Unit").string(m.unit);
    w.end_object();
  }
  w.end_object();
}
}  // namespace detail

FINOPS_CRAWLER_FUNC void write_results_json(finops_crawler::detail::json_writer& w,
                               const std::vector<owned_result_by_time>& results) {
  w.begin_array();
  for (const owned_result_by_time& r : results) {
    w.begin_object();
    w.key("TimePeriod").begin_object().key("Start").string(r.start).key("End").string(r.end).end_object();
    w.key("Total");
    detail::write_metrics_json(w, r.total);
    w.key("Groups").begin_array();
    for (const owned_group& g : r.groups) {
      w.begin_object().key("Keys").begin_array();
      for (const std::string& k : g.keys) w.string(k);
      w.end_array().key("Metrics");
      detail::write_metrics_json(w, g.metrics);
      w.end_object();
    }
    w.end_array();
    w.key("Estimated").boolean(r.estimated);
    w.end_object();
  }
  w.end_array();
}

FINOPS_CRAWLER_FUNC status merged_results::add_page(const cost_page& page) {
  const results_range results = page.results();
  // 1. Check everything before changing anything.
  const span_view<group_definition> defs = page.group_definitions();
  if (!group_definitions_.empty() && !defs.empty()) {
    bool same = defs.size() == group_definitions_.size();
    for (std::size_t i = 0; same && i < defs.size(); ++i)
      same = defs[i].type == group_definitions_[i].type && defs[i].key == group_definitions_[i].key;
    if (!same)
      return status(error(errc::unexpected_shape,
                          "GroupDefinitions on page " + std::to_string(pages_ + 1) + " differ from the first page's"));
  }
  bool continuation = false;
  if (!results.empty() && !results_.empty()) {
    const owned_result_by_time& last = results_.back();
    const result_by_time first = results.front();
    continuation = continues_period(last.start, last.end, first);
    if (continuation) {
      std::set<std::string> seen;
      for (const owned_group& g : last.groups) seen.insert(detail::group_identity(g.keys));
      for (group g : first.groups()) {
        if (seen.count(detail::group_identity(g.keys())) != 0) {
          std::string keys;
          for (std::string_view k : g.keys()) keys += (keys.empty() ? "" : ", ") + std::string(k);
          return status(error(errc::unexpected_shape,
                              "ResultsByTime[0] on page " + std::to_string(pages_ + 1) + " repeats group [" + keys +
                                  "] of period " + last.start + ".." + last.end +
                                  " already merged from an earlier page"));
        }
      }
      if (!last.total.empty() && !first.total().empty() && !detail::same_metrics(last.total, first.total()))
        return status(error(errc::unexpected_shape, "period " + last.start + ".." + last.end +
                                                        " has different Totals on consecutive pages"));
    }
  }
  {
    std::set<std::string> on_page;
    for (std::size_t i = continuation ? 1 : 0; i < results.size(); ++i) {
      const result_by_time r = results[i];
      std::string key = detail::period_key(r.start(), r.end());
      if (periods_.count(key) != 0 || !on_page.insert(key).second)
        return status(error(errc::unexpected_shape,
                            "ResultsByTime[" + std::to_string(i) + "] on page " + std::to_string(pages_ + 1) +
                                ": period " + std::string(r.start()) + ".." + std::string(r.end()) +
                                " was already merged and does not continue the previous page"));
    }
  }

  // 2. Apply.
  if (group_definitions_.empty())
    for (const group_definition& d : defs) group_definitions_.push_back(d.to_owned());
  for (dimension_value v : page.dimension_value_attributes())
    if (dimension_value_names_.insert(std::string(v.value())).second) dimension_values_.push_back(v.to_owned());
  for (std::size_t i = 0; i < results.size(); ++i) {
    const result_by_time r = results[i];
    if (i == 0 && continuation) {
      owned_result_by_time& last = results_.back();
      last.estimated = last.estimated || r.estimated();
      if (last.total.empty()) last.total = r.total().to_owned();
      last.groups.reserve(last.groups.size() + r.groups().size());
      for (group g : r.groups()) last.groups.push_back(g.to_owned());
      continue;
    }
    periods_.insert(detail::period_key(r.start(), r.end()));
    results_.push_back(r.to_owned());
  }
  ++pages_;
  return {};
}

FINOPS_CRAWLER_FUNC result<std::string> merged_results::to_json() const {
  finops_crawler::detail::json_writer w;
  w.begin_object();
  w.key("GroupDefinitions").begin_array();
  for (const owned_group_definition& d : group_definitions_)
    w.begin_object().key("Type").string(d.type).key("Key").string(d.key).end_object();
  w.end_array();
  w.key("ResultsByTime");
  write_results_json(w, results_);
  w.key("DimensionValueAttributes").begin_array();
  for (const owned_dimension_value& v : dimension_values_) {
    w.begin_object().key("Value").string(v.value).key("Attributes").begin_object();
    for (const auto& a : v.attributes) w.key(a.first).string(a.second);
    w.end_object().end_object();
  }
  w.end_array();
  w.end_object();
  return std::move(w).finish();
}

}  // namespace ce
}  // namespace v0
}  // namespace finops_crawler

#endif  // FINOPS_CRAWLER_AWS_CE_MERGED_RESULTS_INL_HPP
