#ifndef FINOPS_CRAWLER_AWS_CE_FORECAST_PAGE_INL_HPP
#define FINOPS_CRAWLER_AWS_CE_FORECAST_PAGE_INL_HPP
/// \file
/// The bodies of aws/ce/forecast_page.hpp: included by that header in
/// header-only mode, compiled once in src/ otherwise (config.hpp). Not for
/// direct inclusion.

#include "finops_crawler/aws/ce/forecast_page.hpp"

namespace finops_crawler {
inline namespace v0 {
namespace ce {

FINOPS_CRAWLER_FUNC bool forecast_page::read(simdjson::dom::element root, error& err) {
  namespace fd = finops_crawler::detail;
  fd::json_path path;
  simdjson::dom::object obj;
  if (!fd::read_object(root, path, {}, obj, err)) return false;
  bool has_results = false;
  // Each member once: a repeated one is refused (detail::duplicate_field).
  enum : std::uint32_t { total_member, results_member };
  fd::seen_members seen;
  for (simdjson::dom::key_value_pair kv : obj) {
    if (kv.key == "Total") {
      if (!seen.first(total_member, path, "Total", err)) return false;
      if (kv.value.is_null()) continue;
      // Reuse the metric reader: it appends to a page_data's metrics.
      detail::page_data tmp;
      if (!detail::read_metric_value(kv.value, "Total", path, tmp, err)) return false;
      total_ = tmp.metrics.front();
      has_total_ = true;
    } else if (kv.key == "ForecastResultsByTime") {
      if (!seen.first(results_member, path, "ForecastResultsByTime", err)) return false;
      simdjson::dom::array list;
      if (!fd::read_array(kv.value, path, "ForecastResultsByTime", list, err)) return false;
      path.push("ForecastResultsByTime");
      std::size_t i = 0;
      for (simdjson::dom::element item : list) {
        path.push(i);
        simdjson::dom::object o;
        if (!fd::read_object(item, path, {}, o, err)) return false;
        forecast_result fr;
        enum : std::uint32_t { period_member, mean_member, lower_member, upper_member };
        fd::seen_members item_seen;
        for (simdjson::dom::key_value_pair m : o) {
          if (m.key == "TimePeriod") {
            if (!item_seen.first(period_member, path, m.key, err)) return false;
            if (!detail::read_time_period(m.value, path, fr.start, fr.end, err)) return false;
          } else if (m.key == "MeanValue") {
            if (!item_seen.first(mean_member, path, m.key, err)) return false;
            if (!fd::read_string(m.value, path, "MeanValue", fr.mean_text, err)) return false;
          } else if (m.key == "PredictionIntervalLowerBound") {
            if (!item_seen.first(lower_member, path, m.key, err)) return false;
            if (!m.value.is_null() && !fd::read_string(m.value, path, m.key, fr.lower_text, err)) return false;
          } else if (m.key == "PredictionIntervalUpperBound") {
            if (!item_seen.first(upper_member, path, m.key, err)) return false;
            if (!m.value.is_null() && !fd::read_string(m.value, path, m.key, fr.upper_text, err)) return false;
          }
        }
        const bool has_period = item_seen.has(period_member), has_mean = item_seen.has(mean_member);
        if (!has_period || !has_mean) {
          err = fd::missing_field(path, has_period ? "MeanValue" : "TimePeriod");
          return false;
        }
        results_.push_back(fr);
        path.pop();
        ++i;
      }
      path.pop();
      has_results = true;
    }
  }
  if (!has_results) {
    err = fd::missing_field(path, "ForecastResultsByTime");
    return false;
  }
  return true;
}

FINOPS_CRAWLER_FUNC status forecast_page::reparse(std::string_view json) & {
  return finops_crawler::detail::page_access::reparse(*this, json);
}

FINOPS_CRAWLER_FUNC result<forecast_page> forecast_page::parse(std::string_view json) {
  return finops_crawler::detail::page_access::parse<forecast_page>(json);
}

}  // namespace ce
}  // namespace v0
}  // namespace finops_crawler

#endif  // FINOPS_CRAWLER_AWS_CE_FORECAST_PAGE_INL_HPP
