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
  for (simdjson::dom::key_value_pair kv : obj) {
    if (kv.key == "Total") {
      if (kv.value.is_null()) continue;
      // Reuse the metric reader: it appends to a page_data's metrics.
      detail::page_data tmp;
      if (!detail::read_metric_value(kv.value, "Total", path, tmp, err)) return false;
      total_ = tmp.metrics.front();
      has_total_ = true;
    } else if (kv.key == "ForecastResultsByTime") {
      simdjson::dom::array list;
      if (!fd::read_array(kv.value, path, "ForecastResultsByTime", list, err)) return false;
      path.push("ForecastResultsByTime");
      std::size_t i = 0;
      for (simdjson::dom::element item : list) {
        path.push(i);
        simdjson::dom::object o;
        if (!fd::read_object(item, path, {}, o, err)) return false;
        forecast_result fr;
        bool has_period = false, has_mean = false;
        for (simdjson::dom::key_value_pair m : o) {
          if (m.key == "TimePeriod") {
            if (!detail::read_time_period(m.value, path, fr.start, fr.end, err)) return false;
            has_period = true;
          } else if (m.key == "MeanValue") {
            if (!fd::read_string(m.value, path, "MeanValue", fr.mean_text, err)) return false;
            has_mean = true;
          } else if (m.key == "PredictionIntervalLowerBound") {
            if (!m.value.is_null() && !fd::read_string(m.value, path, m.key, fr.lower_text, err)) return false;
          } else if (m.key == "PredictionIntervalUpperBound") {
            if (!m.value.is_null() && !fd::read_string(m.value, path, m.key, fr.upper_text, err)) return false;
          }
        }
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
