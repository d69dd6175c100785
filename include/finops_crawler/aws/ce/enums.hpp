#ifndef FINOPS_CRAWLER_AWS_CE_ENUMS_HPP
#define FINOPS_CRAWLER_AWS_CE_ENUMS_HPP
/// \file
/// Cost Explorer enumerations, transcribed from the service model
/// (`ce-2017-10-25.service-2.json`, shapes named in each comment), with their
/// wire spellings, parsers and spelling hints. Pure tables: no I/O, no
/// allocation except in `spelling_hint`, thread-safe.

#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace finops_crawler {
inline namespace v0 {
namespace ce {

/// Shape `Granularity`: the length of each result period.
enum class granularity : std::uint8_t { daily, monthly, hourly };
/// Wire names of `granularity`, indexed by its value.
inline constexpr std::array<std::string_view, 3> granularity_names = {"DAILY", "MONTHLY", "HOURLY"};

/// The seven cost-and-usage metrics. Shape `MetricName` is a free string,
/// but GetCostAndUsageRequest.Metrics documents exactly these names; shape
/// `Metric` (GetCostForecast) spells the same metrics in SCREAMING_CASE.
enum class metric : std::uint8_t {
  amortized_cost,
  blended_cost,
  net_amortized_cost,
  net_unblended_cost,
  normalized_usage_amount,
  unblended_cost,
  usage_quantity,
};
/// GetCostAndUsage spellings (`Metrics`, also `SortDefinition.Key`), indexed by `metric`.
inline constexpr std::array<std::string_view, 7> metric_names = {
    "AmortizedCost",    "BlendedCost",   "NetAmortizedCost", "NetUnblendedCost",
    "NormalizedUsageAmount", "UnblendedCost", "UsageQuantity"};
/// Shape `Metric` spellings (GetCostForecast.Metric), indexed by `metric`.
inline constexpr std::array<std::string_view, 7> forecast_metric_names = {
    "AMORTIZED_COST",          "BLENDED_COST",   "NET_AMORTIZED_COST", "NET_UNBLENDED_COST",
    "NORMALIZED_USAGE_AMOUNT", "UNBLENDED_COST", "USAGE_QUANTITY"};
/// The subset of shape `Metric` that GetCostForecastRequest.Metric documents
/// as valid for GetCostForecast (the usage ones belong to GetUsageForecast).
inline constexpr std::array<metric, 5> cost_forecast_metrics = {
    metric::amortized_cost, metric::blended_cost, metric::net_amortized_cost,
    metric::net_unblended_cost, metric::unblended_cost};

/// Shape `Dimension`, in the model's order.
enum class dimension : std::uint8_t {
  az,
  instance_type,
  linked_account,
  payer_account,
  linked_account_name,
  operation,
  purchase_type,
  region,
  service,
  service_code,
  usage_type,
  usage_type_group,
  record_type,
  operating_system,
  tenancy,
  scope,
  platform,
  subscription_id,
  legal_entity_name,
  deployment_option,
  database_engine,
  cache_engine,
  instance_type_family,
  billing_entity,
  reservation_id,
  resource_id,
  rightsizing_type,
  savings_plans_type,
  savings_plan_arn,
  payment_option,
  agreement_end_date_time_after,
  agreement_end_date_time_before,
  invoicing_entity,
  anomaly_total_impact_absolute,
  anomaly_total_impact_percentage,
};
/// Wire names of `dimension`, indexed by its value.
inline constexpr std::array<std::string_view, 35> dimension_names = {
    "AZ",
    "INSTANCE_TYPE",
    "LINKED_ACCOUNT",
    "PAYER_ACCOUNT",
    "LINKED_ACCOUNT_NAME",
    "OPERATION",
    "PURCHASE_TYPE",
    "REGION",
    "SERVICE",
    "SERVICE_CODE",
    "USAGE_TYPE",
    "USAGE_TYPE_GROUP",
    "RECORD_TYPE",
    "OPERATING_SYSTEM",
    "TENANCY",
    "SCOPE",
    "PLATFORM",
    "SUBSCRIPTION_ID",
    "LEGAL_ENTITY_NAME",
    "DEPLOYMENT_OPTION",
    "DATABASE_ENGINE",
    "CACHE_ENGINE",
    "INSTANCE_TYPE_FAMILY",
    "BILLING_ENTITY",
    "RESERVATION_ID",
    "RESOURCE_ID",
    "RIGHTSIZING_TYPE",
    "SAVINGS_PLANS_TYPE",
    "SAVINGS_PLAN_ARN",
    "PAYMENT_OPTION",
    "AGREEMENT_END_DATE_TIME_AFTER",
    "AGREEMENT_END_DATE_TIME_BEFORE",
    "INVOICING_ENTITY",
    "ANOMALY_TOTAL_IMPACT_ABSOLUTE",
    "ANOMALY_TOTAL_IMPACT_PERCENTAGE",
};

/// Dimensions that GetDimensionValuesRequest.Context documents for the
/// COST_AND_USAGE context: the dimensions of cost-and-usage data.
inline constexpr std::array<dimension, 24> cost_and_usage_context_dimensions = {
    dimension::az,           dimension::billing_entity,     dimension::cache_engine,
    dimension::deployment_option, dimension::database_engine, dimension::instance_type,
    dimension::instance_type_family, dimension::invoicing_entity, dimension::legal_entity_name,
    dimension::linked_account, dimension::operating_system, dimension::operation,
    dimension::platform,     dimension::purchase_type,      dimension::reservation_id,
    dimension::savings_plan_arn, dimension::savings_plans_type, dimension::service,
    dimension::tenancy,      dimension::usage_type,         dimension::usage_type_group,
    dimension::region,       dimension::record_type,        dimension::resource_id};
/// Dimensions documented for the RESERVATIONS context (its "TAG (Coverage
/// only)" entry is not a `Dimension` value and is left out).
inline constexpr std::array<dimension, 9> reservations_context_dimensions = {
    dimension::az,       dimension::cache_engine, dimension::deployment_option,
    dimension::instance_type, dimension::linked_account, dimension::platform,
    dimension::region,   dimension::scope,        dimension::tenancy};
/// Dimensions documented for the SAVINGS_PLANS context.
inline constexpr std::array<dimension, 6> savings_plans_context_dimensions = {
    dimension::savings_plans_type, dimension::payment_option, dimension::region,
    dimension::instance_type_family, dimension::linked_account, dimension::savings_plan_arn};
/// Dimensions GetCostForecastRequest.Filter documents as supported.
inline constexpr std::array<dimension, 22> cost_forecast_filter_dimensions = {
    dimension::az,           dimension::instance_type,    dimension::linked_account,
    dimension::operation,    dimension::purchase_type,    dimension::region,
    dimension::service,      dimension::usage_type,       dimension::usage_type_group,
    dimension::record_type,  dimension::operating_system, dimension::tenancy,
    dimension::scope,        dimension::platform,         dimension::subscription_id,
    dimension::legal_entity_name, dimension::deployment_option, dimension::database_engine,
    dimension::instance_type_family, dimension::billing_entity, dimension::reservation_id,
    dimension::savings_plan_arn};
/// The twelve dimensions GetCostAndUsageRequest.GroupBy lists by name. The
/// validator accepts the wider COST_AND_USAGE context set (see requests.hpp);
/// this table is kept for documentation and for the CLI's help text.
inline constexpr std::array<dimension, 12> group_by_documented_dimensions = {
    dimension::az,       dimension::instance_type, dimension::legal_entity_name,
    dimension::invoicing_entity, dimension::linked_account, dimension::operation,
    dimension::platform, dimension::purchase_type, dimension::service,
    dimension::tenancy,  dimension::record_type,   dimension::usage_type};

/// Shape `GroupDefinitionType`. The model has no RESOURCE_ID group type:
/// GetCostAndUsageWithResources groups by resource with
/// `{Type: DIMENSION, Key: RESOURCE_ID}`.
enum class group_definition_type : std::uint8_t { dimension, tag, cost_category };
/// Wire names of `group_definition_type`, indexed by its value.
inline constexpr std::array<std::string_view, 3> group_definition_type_names = {"DIMENSION", "TAG",
                                                                                "COST_CATEGORY"};

/// Shape `MatchOption`.
enum class match_option : std::uint8_t {
  equals,
  absent,
  starts_with,
  ends_with,
  contains,
  case_sensitive,
  case_insensitive,
  greater_than_or_equal,
};
/// Wire names of `match_option`, indexed by its value.
inline constexpr std::array<std::string_view, 8> match_option_names = {
    "EQUALS",         "ABSENT",           "STARTS_WITH",          "ENDS_WITH",
    "CONTAINS",       "CASE_SENSITIVE",   "CASE_INSENSITIVE",     "GREATER_THAN_OR_EQUAL"};

/// Shape `Context` (GetDimensionValues).
enum class context : std::uint8_t { cost_and_usage, reservations, savings_plans };
/// Wire names of `context`, indexed by its value.
inline constexpr std::array<std::string_view, 3> context_names = {"COST_AND_USAGE", "RESERVATIONS",
                                                                  "SAVINGS_PLANS"};

/// Shape `SortOrder`.
enum class sort_order : std::uint8_t { ascending, descending };
/// Wire names of `sort_order`, indexed by its value.
inline constexpr std::array<std::string_view, 2> sort_order_names = {"ASCENDING", "DESCENDING"};

/// The wire name of each enumerator. Never empty; noexcept; the views point
/// at static storage.
inline std::string_view to_string(granularity v) noexcept { return granularity_names[static_cast<std::size_t>(v)]; }
/// GetCostAndUsage spelling, e.g. "UnblendedCost".
inline std::string_view to_string(metric v) noexcept { return metric_names[static_cast<std::size_t>(v)]; }
/// GetCostForecast spelling, e.g. "UNBLENDED_COST".
inline std::string_view to_forecast_string(metric v) noexcept {
  return forecast_metric_names[static_cast<std::size_t>(v)];
}
/// e.g. "LINKED_ACCOUNT".
inline std::string_view to_string(dimension v) noexcept { return dimension_names[static_cast<std::size_t>(v)]; }
/// e.g. "COST_CATEGORY".
inline std::string_view to_string(group_definition_type v) noexcept {
  return group_definition_type_names[static_cast<std::size_t>(v)];
}
/// e.g. "CASE_SENSITIVE".
inline std::string_view to_string(match_option v) noexcept {
  return match_option_names[static_cast<std::size_t>(v)];
}
/// e.g. "COST_AND_USAGE".
inline std::string_view to_string(context v) noexcept { return context_names[static_cast<std::size_t>(v)]; }
/// e.g. "DESCENDING".
inline std::string_view to_string(sort_order v) noexcept { return sort_order_names[static_cast<std::size_t>(v)]; }

}  // namespace ce

namespace detail {
template <class E, std::size_t N>
constexpr std::optional<E> parse_exact(const std::array<std::string_view, N>& names, std::string_view s) noexcept {
  for (std::size_t i = 0; i < N; ++i) {
    if (names[i] == s) return static_cast<E>(i);
  }
  return std::nullopt;
}
}  // namespace detail

namespace ce {

/// Exact, case-sensitive parsers of wire names (AWS enums are case-sensitive):
/// the enumerator, or nullopt. Pair with `spelling_hint` for messages.
inline std::optional<granularity> parse_granularity(std::string_view s) noexcept {
  return finops_crawler::detail::parse_exact<granularity>(granularity_names, s);
}
/// "UnblendedCost" -> metric::unblended_cost.
inline std::optional<metric> parse_metric(std::string_view s) noexcept {
  return finops_crawler::detail::parse_exact<metric>(metric_names, s);
}
/// "UNBLENDED_COST" -> metric::unblended_cost.
inline std::optional<metric> parse_forecast_metric(std::string_view s) noexcept {
  return finops_crawler::detail::parse_exact<metric>(forecast_metric_names, s);
}
/// "LINKED_ACCOUNT" -> dimension::linked_account.
inline std::optional<dimension> parse_dimension(std::string_view s) noexcept {
  return finops_crawler::detail::parse_exact<dimension>(dimension_names, s);
}
/// "TAG" -> group_definition_type::tag.
inline std::optional<group_definition_type> parse_group_definition_type(std::string_view s) noexcept {
  return finops_crawler::detail::parse_exact<group_definition_type>(group_definition_type_names, s);
}
/// "ABSENT" -> match_option::absent.
inline std::optional<match_option> parse_match_option(std::string_view s) noexcept {
  return finops_crawler::detail::parse_exact<match_option>(match_option_names, s);
}
/// "RESERVATIONS" -> context::reservations.
inline std::optional<context> parse_context(std::string_view s) noexcept {
  return finops_crawler::detail::parse_exact<context>(context_names, s);
}
/// "ASCENDING" -> sort_order::ascending.
inline std::optional<sort_order> parse_sort_order(std::string_view s) noexcept {
  return finops_crawler::detail::parse_exact<sort_order>(sort_order_names, s);
}

}  // namespace ce

namespace detail {
/// Lower-cases ASCII letters and drops '_', '-', ' ' and '.', so that
/// "unblended_cost", "UNBLENDED-COST" and "UnblendedCost" compare equal.
inline std::string fold_spelling(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (char c : s) {
    if (c == '_' || c == '-' || c == ' ' || c == '.') continue;
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    out += c;
  }
  return out;
}

/// Levenshtein distance, giving up (returning limit + 1) once it must exceed
/// `limit`. Strings longer than 64 bytes are not compared (returns limit + 1).
inline std::size_t bounded_edit_distance(std::string_view a, std::string_view b, std::size_t limit) {
  if (a.size() > 64 || b.size() > 64) return limit + 1;
  const std::size_t diff = a.size() > b.size() ? a.size() - b.size() : b.size() - a.size();
  if (diff > limit) return limit + 1;
  std::array<std::size_t, 65> prev{};
  std::array<std::size_t, 65> cur{};
  for (std::size_t j = 0; j <= b.size(); ++j) prev[j] = j;
  for (std::size_t i = 1; i <= a.size(); ++i) {
    cur[0] = i;
    std::size_t row_min = cur[0];
    for (std::size_t j = 1; j <= b.size(); ++j) {
      const std::size_t sub = prev[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1);
      const std::size_t del = prev[j] + 1;
      const std::size_t ins = cur[j - 1] + 1;
      std::size_t best = sub < del ? sub : del;
      best = best < ins ? best : ins;
      cur[j] = best;
      if (best < row_min) row_min = best;
    }
    if (row_min > limit) return limit + 1;
    prev = cur;
  }
  return prev[b.size()] <= limit ? prev[b.size()] : limit + 1;
}
}  // namespace detail

namespace ce {

/// The name in `names` that `input` most plausibly meant, or an empty view:
/// first a match ignoring case and the separators `_ - . space` (so
/// "unblendedcost" and "UNBLENDED_COST" both suggest "UnblendedCost"), then
/// the single closest name within two edits of the folded spelling (typos
/// such as "UnblendedCosts"). Never returns `input` itself. Allocates; O(N).
template <std::size_t N>
std::string_view spelling_hint(std::string_view input, const std::array<std::string_view, N>& names) {
  const std::string folded = finops_crawler::detail::fold_spelling(input);
  if (folded.empty()) return {};
  for (std::string_view n : names) {
    if (n != input && finops_crawler::detail::fold_spelling(n) == folded) return n;
  }
  std::string_view best;
  std::size_t best_distance = 3;
  bool tie = false;
  for (std::string_view n : names) {
    const std::size_t d = finops_crawler::detail::bounded_edit_distance(folded, finops_crawler::detail::fold_spelling(n), 2);
    if (d < best_distance) {
      best = n;
      best_distance = d;
      tie = false;
    } else if (d == best_distance) {
      tie = true;
    }
  }
  if (tie || best == input) return {};
  return best;
}

}  // namespace ce
}  // namespace v0
}  // namespace finops_crawler

#endif  // FINOPS_CRAWLER_AWS_CE_ENUMS_HPP
