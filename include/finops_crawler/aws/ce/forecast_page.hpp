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
  friend struct finops_crawler::detail::page_access;  // parse, reparse, hand-over
  static constexpr std::string_view response_name = "GetCostForecast response";
  bool read(simdjson::dom::element root, error& err);
  void clear() noexcept {
    results_.clear();
    total_ = metric_value();
    has_total_ = false;
  }
  finops_crawler::detail::json_document doc_;
  // A vector's heap buffer survives moves, so views into it stay valid.
  std::vector<forecast_result> results_;
  metric_value total_;
  bool has_total_ = false;
};

}  // namespace ce
}  // namespace v0
}  // namespace finops_crawler

#if FINOPS_CRAWLER_HEADER_ONLY
#include "finops_crawler/aws/ce/forecast_page-inl.hpp"
#endif

#endif  // FINOPS_CRAWLER_AWS_CE_FORECAST_PAGE_HPP
