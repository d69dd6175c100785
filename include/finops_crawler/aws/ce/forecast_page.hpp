#ifndef FINOPS_CRAWLER_AWS_CE_FORECAST_PAGE_HPP
#define FINOPS_CRAWLER_AWS_CE_FORECAST_PAGE_HPP
/// \file
/// Cost Explorer GetCostForecast / GetUsageForecast output:
/// `{"Total": {"Amount", "Unit"}, "ForecastResultsByTime": [{"TimePeriod",
/// "MeanValue", "PredictionIntervalLowerBound", "PredictionIntervalUpperBound"}]}`.

#include <cstdint>
#include <memory>
#include <string_view>
#include <vector>

#include "finops_crawler/aws/ce/cost_page.hpp"
#include "finops_crawler/config.hpp"
#include "finops_crawler/decimal.hpp"
#include "finops_crawler/detail/json_body.hpp"
#include "finops_crawler/result.hpp"

namespace finops_crawler {
inline namespace v0 {
namespace ce {

/// One ForecastResultsByTime entry. Values are the exact strings AWS sent
/// (e.g. "123.4567890123"); `mean()` etc. convert exactly.
///
/// Lifetime: borrows from its forecast_page (valid until the page is
/// destroyed or reparsed; moving the page keeps it valid). To keep the
/// data, copy the strings. Plain, trivially copyable value.
struct forecast_result {
  std::string_view start;        ///< TimePeriod.Start, inclusive
  std::string_view end;          ///< TimePeriod.End, exclusive
  std::string_view mean_text;    ///< MeanValue (required)
  std::string_view lower_text;   ///< PredictionIntervalLowerBound; empty when absent
  std::string_view upper_text;   ///< PredictionIntervalUpperBound; empty when absent

  /// MeanValue as an exact decimal; errc::invalid_argument when not a plain decimal.
  result<decimal> mean() const { return decimal::parse(mean_text); }
  /// The lower bound; errc::invalid_argument when absent or not a plain decimal.
  result<decimal> lower_bound() const { return decimal::parse(lower_text); }
  /// The upper bound; errc::invalid_argument when absent or not a plain decimal.
  result<decimal> upper_bound() const { return decimal::parse(upper_text); }
};

/// One GetCostForecast or GetUsageForecast response.
///
/// Owns the parser state (the body is copied while parsing). Lifetime rule:
/// forecast_result values, the total metric_value and every string_view
/// from the page are valid until the page is destroyed or reparse()d;
/// moving keeps them valid. Accessors are `&`-qualified.
///
/// Required (errc::unexpected_shape naming the path): ForecastResultsByTime,
/// each entry's TimePeriod.Start/End and MeanValue; Total, when present,
/// needs Amount and Unit. Unknown fields ignored; bad JSON is errc::bad_json.
/// Move-only; const access thread-safe. Cost: one pass.
class forecast_page {
 public:
  forecast_page() = default;
  forecast_page(forecast_page&&) noexcept = default;
  forecast_page& operator=(forecast_page&&) noexcept = default;
  forecast_page(const forecast_page&) = delete;
  forecast_page& operator=(const forecast_page&) = delete;

  /// Parses a body (copied). Errors: see the class comment.
  static result<forecast_page> parse(std::string_view json);
  /// Parses into this page reusing buffers; invalidates earlier views; empty on error.
  status reparse(std::string_view json) &;

  /// Whether Total was present.
  bool has_total() const noexcept { return has_total_; }
  /// Total (name "Total"); amount_text() empty when absent.
  metric_value total() const& FINOPS_CRAWLER_LIFETIMEBOUND { return total_; }
  metric_value total() const&& = delete;

  /// The forecast periods in AWS order.
  span_view<forecast_result> results() const& FINOPS_CRAWLER_LIFETIMEBOUND {
    return {results_.data(), results_.size()};
  }
  span_view<forecast_result> results() const&& = delete;

 private:
  bool read(simdjson::dom::element root, error& err);
  finops_crawler::detail::json_document doc_;
  // A vector's heap buffer survives moves, so views into it stay valid.
  std::vector<forecast_result> results_;
  metric_value total_;
  bool has_total_ = false;
};

// ---------------------------------------------------------------------------
// Definitions

inline bool forecast_page::read(simdjson::dom::element root, error& err) {
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

inline status forecast_page::reparse(std::string_view json) & {
  results_.clear();
  total_ = metric_value();
  has_total_ = false;
  auto root = doc_.parse(json, "GetCostForecast response");
  if (!root) return status(root.error());
  error err;
  if (!read(*root, err)) {
    results_.clear();
    total_ = metric_value();
    has_total_ = false;
    return status(std::move(err));
  }
  return {};
}

inline result<forecast_page> forecast_page::parse(std::string_view json) {
  forecast_page page;
  if (auto st = page.reparse(json); !st) return result<forecast_page>(st.error());
  return result<forecast_page>(std::move(page));
}

}  // namespace ce
}  // namespace v0
}  // namespace finops_crawler

#endif  // FINOPS_CRAWLER_AWS_CE_FORECAST_PAGE_HPP
