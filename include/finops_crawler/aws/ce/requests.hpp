#ifndef FINOPS_CRAWLER_AWS_CE_REQUESTS_HPP
#define FINOPS_CRAWLER_AWS_CE_REQUESTS_HPP
/// \file
/// Cost Explorer request model: GetCostAndUsage, GetCostAndUsageWithResources,
/// GetDimensionValues and GetCostForecast, validated before anything is sent.
///
/// Every Cost Explorer call is billed (USD 0.01 per page), so each request
/// type checks what AWS would reject (the rules of the service model
/// `ce-2017-10-25.service-2.json`, whose shape names each rule cites) and
/// `to_json()` refuses to serialize a request that breaks one. Errors are
/// errc::invalid_argument with a message naming the field and the rule.
///
///   ce::cost_and_usage_request r;
///   r.time_period = {"2025-01-01", "2025-02-01"};
///   r.granularity = ce::granularity::daily;
///   r.metrics = {"UnblendedCost"};
///   r.group_by = {ce::group_by::dimension("SERVICE"), ce::group_by::tag("team")};
///   r.filter = ce::expression::and_({
///       ce::expression::dimension("LINKED_ACCOUNT", {"123456789012"}),
///       ce::expression::not_(ce::expression::dimension("RECORD_TYPE", {"Credit"}))});
///   result<std::string> body = r.to_json();
///
/// Plain value types: copyable, no shared state; concurrent const use is safe.
/// Depends only on the standard library (no simdjson, no libcurl).

#include <cstddef>
#include <cstdint>
#include <chrono>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "finops_crawler/aws/ce/enums.hpp"
#include "finops_crawler/detail/json_writer.hpp"
#include "finops_crawler/detail/time.hpp"
#include "finops_crawler/result.hpp"

namespace finops_crawler {
inline namespace v0 {
namespace ce {

// ---------------------------------------------------------------------------
// Limits and dates

/// Deepest Filter nesting accepted (the root counts as 1; each And, Or or
/// Not adds a level). Neither the model nor the API reference documents a
/// depth limit, so this is our own bound: validation, serialization and the
/// JSON parser recurse, and a hostile `--filter-json` file must not exhaust
/// the stack. 32 levels is far beyond any filter a person writes.
inline constexpr std::size_t max_expression_depth = 32;

/// GroupBy holds at most two groups (GetCostAndUsageRequest.GroupBy docs:
/// "up to two different groups").
inline constexpr std::size_t max_group_by = 2;

/// How far back GetCostAndUsageWithResources (and HOURLY GetCostAndUsage)
/// reach: "The range must be within the last 14 days (the start date cannot
/// be earlier than 14 days ago)" (GetCostAndUsageWithResourcesRequest.TimePeriod).
inline constexpr int resource_level_days = 14;

/// A parsed shape `YearMonthDay` value: `YYYY-MM-DD` or `YYYY-MM-DDThh:mm:ssZ`.
struct year_month_day {
  std::int64_t days = 0;        ///< days since 1970-01-01 (proleptic Gregorian)
  std::int32_t second_of_day = 0;  ///< 0 for a plain date
  bool has_time = false;        ///< true for the date-time form
  /// Seconds since 1970-01-01T00:00:00Z, for ordering.
  std::int64_t epoch_seconds() const noexcept { return days * 86400 + second_of_day; }
};

/// Parses shape `YearMonthDay` (pattern `(\d{4}-\d{2}-\d{2})(T\d{2}:\d{2}:\d{2}Z)?`)
/// and checks it is a real calendar date and time (2025-02-30, month 13,
/// 24:00:00 are rejected; leap years honoured). nullopt when malformed.
/// Pure, noexcept, thread-safe.
inline std::optional<year_month_day> parse_year_month_day(std::string_view text) noexcept;

/// Today's UTC date as `YYYY-MM-DD`, from the system clock. For
/// `validation_context::today`; tests inject a fixed date instead.
inline std::string utc_today();

/// Inputs that some rules need beyond the request itself.
struct validation_context {
  /// Today's UTC date, `YYYY-MM-DD`. Empty (the default): rules that depend
  /// on the current date are skipped (DateInterval.Start "must be equal to
  /// or no later than the current date"; the 14-day window of
  /// GetCostAndUsageWithResources and of HOURLY data). A malformed value is
  /// itself an invalid_argument error.
  std::string today;
};

// ---------------------------------------------------------------------------
// Building blocks

}  // namespace ce

namespace detail {
/// A nullable owning pointer that copies its pointee (a deep copy), so that
/// `expression` stays a regular value type though it contains itself.
template <class T>
class deep_ptr {
 public:
  deep_ptr() = default;
  explicit deep_ptr(T value) : p_(new T(std::move(value))) {}
  deep_ptr(const deep_ptr& o) : p_(o.p_ ? new T(*o.p_) : nullptr) {}
  deep_ptr(deep_ptr&&) noexcept = default;
  deep_ptr& operator=(const deep_ptr& o) {
    if (this != &o) p_.reset(o.p_ ? new T(*o.p_) : nullptr);
    return *this;
  }
  deep_ptr& operator=(deep_ptr&&) noexcept = default;
  deep_ptr& operator=(T value) {
    p_.reset(new T(std::move(value)));
    return *this;
  }
  ~deep_ptr() = default;
  explicit operator bool() const noexcept { return p_ != nullptr; }
  T& operator*() const noexcept { return *p_; }
  T* operator->() const noexcept { return p_.get(); }
  T* get() const noexcept { return p_.get(); }
  void reset() noexcept { p_.reset(); }

 private:
  std::unique_ptr<T> p_;
};
}  // namespace detail

namespace ce {

/// Shape `DateInterval`: Start inclusive, End exclusive, both shape
/// `YearMonthDay`. Aggregate: `r.time_period = {"2025-01-01", "2025-02-01"};`.
struct date_interval {
  std::string start;  ///< "Start"
  std::string end;    ///< "End"
};

/// Shape `GroupDefinition` as a request's GroupBy entry. Use the factories:
/// `ce::group_by::dimension("SERVICE")`. (The GroupDefinitions of a
/// response are `ce::group_definition` views in cost_page.hpp.)
struct group_by {
  group_definition_type type = group_definition_type::dimension;  ///< "Type"
  std::string key;                                                  ///< "Key"

  /// `{Type: DIMENSION, Key: key}`; key is a `Dimension` name such as "SERVICE".
  static group_by dimension(std::string key) { return group_by{group_definition_type::dimension, std::move(key)}; }
  /// `{Type: TAG, Key: key}`; key is a cost allocation tag key.
  static group_by tag(std::string key) { return group_by{group_definition_type::tag, std::move(key)}; }
  /// `{Type: COST_CATEGORY, Key: name}`; name is a cost category name.
  static group_by cost_category(std::string name) {
    return group_by{group_definition_type::cost_category, std::move(name)};
  }
};

/// Shape `SortDefinition` (GetDimensionValues.SortBy).
struct sort_definition {
  std::string key;                            ///< "Key": a metric name, e.g. "UnblendedCost"
  std::optional<ce::sort_order> sort_order;   ///< "SortOrder"
};

/// Shapes `DimensionValues`, `TagValues` and `CostCategoryValues`: a key,
/// its values (OR-ed together) and match options. An unset `values` is
/// omitted from the JSON (for tags and cost categories AWS then applies
/// ABSENT); an empty but set one is rejected.
struct key_values {
  std::optional<std::string> key;                  ///< "Key"
  std::optional<std::vector<std::string>> values;  ///< "Values"
  std::vector<match_option> match_options;         ///< "MatchOptions" (omitted when empty)
};


/// Shape `Expression`: a Filter tree. A valid node sets exactly one of its
/// six operators (AWS: "Only one root operator is allowed for each
/// expression"); the fields are public so that a parser can represent any
/// JSON input, including a wrong one, and `validate_expression` report it.
/// Build with the factories:
///
///   auto f = expression::and_({expression::dimension("SERVICE", {"Amazon Simple Storage Service"}),
///                              expression::not_(expression::tag("env", {"dev"}))});
///
/// A regular value (deep copies). Memory: one allocation per node and string.
struct expression {
  std::optional<std::vector<expression>> or_operands;   ///< "Or"
  std::optional<std::vector<expression>> and_operands;  ///< "And"
  finops_crawler::detail::deep_ptr<expression> not_operand;             ///< "Not"
  std::optional<key_values> dimensions;                 ///< "Dimensions"
  std::optional<key_values> tags;                       ///< "Tags"
  std::optional<key_values> cost_categories;            ///< "CostCategories"

  /// `{"And": operands}`: all must match. AWS needs at least two operands.
  static expression and_(std::vector<expression> operands) {
    expression e;
    e.and_operands = std::move(operands);
    return e;
  }
  /// `{"Or": operands}`: any may match. AWS needs at least two operands.
  static expression or_(std::vector<expression> operands) {
    expression e;
    e.or_operands = std::move(operands);
    return e;
  }
  /// `{"Not": operand}`.
  static expression not_(expression operand) {
    expression e;
    e.not_operand = std::move(operand);
    return e;
  }
  /// `{"Dimensions": {"Key": key, "Values": values, "MatchOptions": options}}`;
  /// key is a `Dimension` name such as "LINKED_ACCOUNT".
  static expression dimension(std::string key, std::vector<std::string> values,
                              std::vector<match_option> options = {}) {
    expression e;
    e.dimensions = key_values{std::move(key), std::move(values), std::move(options)};
    return e;
  }
  /// `{"Tags": {"Key": key, "Values": values, ...}}`.
  static expression tag(std::string key, std::vector<std::string> values, std::vector<match_option> options = {}) {
    expression e;
    e.tags = key_values{std::move(key), std::move(values), std::move(options)};
    return e;
  }
  /// `{"Tags": {"Key": key, "MatchOptions": ["ABSENT"]}}`: resources without the tag.
  static expression tag_absent(std::string key) {
    expression e;
    e.tags = key_values{std::move(key), std::nullopt, {match_option::absent}};
    return e;
  }
  /// `{"CostCategories": {"Key": name, "Values": values, ...}}`.
  static expression cost_category(std::string name, std::vector<std::string> values,
                                  std::vector<match_option> options = {}) {
    expression e;
    e.cost_categories = key_values{std::move(name), std::move(values), std::move(options)};
    return e;
  }
  /// `{"CostCategories": {"Key": name, "MatchOptions": ["ABSENT"]}}`.
  static expression cost_category_absent(std::string name) {
    expression e;
    e.cost_categories = key_values{std::move(name), std::nullopt, {match_option::absent}};
    return e;
  }

  /// How many of the six operators are set (1 in a valid node).
  std::size_t operator_count() const noexcept {
    return static_cast<std::size_t>(or_operands.has_value()) + static_cast<std::size_t>(and_operands.has_value()) +
           static_cast<std::size_t>(static_cast<bool>(not_operand)) + static_cast<std::size_t>(dimensions.has_value()) +
           static_cast<std::size_t>(tags.has_value()) + static_cast<std::size_t>(cost_categories.has_value());
  }

  /// Validates with the operation-independent rules (`validate_expression`
  /// without an operation) and returns the compact JSON of the tree.
  result<std::string> to_json() const;
};

/// The Cost Explorer operations this header models; each restricts Filter
/// dimensions and other fields differently.
enum class operation : std::uint8_t {
  get_cost_and_usage,
  get_cost_and_usage_with_resources,
  get_dimension_values,
  get_cost_forecast,
};

/// The operation's wire name, e.g. "GetCostAndUsage".
inline std::string_view to_string(operation op) noexcept;

/// Whether a Filter's `Dimensions.Key` may name `d` in `op`:
/// - GetCostAndUsage: the COST_AND_USAGE context dimensions
///   (GetDimensionValuesRequest.Context) plus those GetCostForecastRequest.Filter
///   lists (same cost data), except RESOURCE_ID, which AWS refuses outside
///   GetCostAndUsageWithResources ("Dimension RESOURCE_ID is not allowed").
/// - GetCostAndUsageWithResources: the same plus RESOURCE_ID.
/// - GetCostForecast: exactly the list in GetCostForecastRequest.Filter.
/// - GetDimensionValues: every dimension except LINKED_ACCOUNT_NAME and
///   SERVICE_CODE (CostCategoryRule only) and ANOMALY_TOTAL_IMPACT_*
///   (AnomalySubscriptions only), as shape `DimensionValues` documents.
inline bool filter_dimension_allowed(operation op, dimension d) noexcept;

/// Whether GroupBy `{Type: DIMENSION, Key: d}` is accepted by `op` (only
/// GetCostAndUsage and GetCostAndUsageWithResources have GroupBy).
/// GetCostAndUsageRequest.GroupBy names twelve dimensions, but AWS groups
/// by others of the COST_AND_USAGE context (REGION is grouped on routinely),
/// so the rule is: the COST_AND_USAGE context dimensions, with RESOURCE_ID
/// only for GetCostAndUsageWithResources.
inline bool group_by_dimension_allowed(operation op, dimension d) noexcept;

/// Checks a Filter tree; `path` prefixes messages ("Filter.And[1].Not...").
/// Rules always applied:
/// - each node sets exactly one operator (Expression docs);
/// - And / Or hold at least two expressions (AWS: "And expression must have
///   at least 2 operands");
/// - depth at most `max_expression_depth`;
/// - Dimensions: Key set and a `Dimension` name (exact case), at least one
///   value; Tags: Key (shape TagKey) at most 1024 characters; CostCategories:
///   Key a valid shape `CostCategoryName`; Values set only if non-empty, each
///   shape `Value` (at most 1024 characters); every string valid UTF-8;
/// - MatchOptions are `MatchOption` values without duplicates.
/// With `op` set, also:
/// - Dimensions keys must pass `filter_dimension_allowed`;
/// - MatchOptions (GetCostAndUsage[WithResources].Filter docs, applied to all
///   four operations since the others document none) only EQUALS or
///   CASE_SENSITIVE for Dimensions, only EQUALS, ABSENT or CASE_SENSITIVE for
///   Tags and CostCategories. STARTS_WITH and the like belong to
///   CostCategoryRule and AnomalySubscriptions.
/// Pure; recursion bounded by `max_expression_depth`.
inline status validate_expression(const expression& e, std::optional<operation> op = std::nullopt,
                                  std::string_view path = "Filter");

/// Appends `e` as JSON to `w` without validating (members in model order:
/// Or, And, Not, Dimensions, Tags, CostCategories). Recursion stops with an
/// error past `max_expression_depth`. For request writers.
inline void write_expression(finops_crawler::detail::json_writer& w, const expression& e);

/// Checks shape `CostCategoryName`: 1..50 characters matching
/// `^(?! )[\p{L}\p{N}\p{Z}-_]*(?<! )$`. Read as intended, the class is
/// letters, numbers, separators, '-' and '_'; ASCII is checked exactly,
/// non-ASCII characters are accepted without classification (we carry no
/// Unicode tables; AWS decides). No leading or trailing space.
inline status validate_cost_category_name(std::string_view name, std::string_view field);

/// Checks shape `BillingViewArn`: 20..2048 characters matching
/// `^arn:aws[a-z-]*:(billing)::[0-9]{12}:billingview/[-a-zA-Z0-9/:_+=.-@]{1,43}$`
/// (the `.-@` in the class is a range, '.' to '@', as the regex engine reads it).
inline status validate_billing_view_arn(std::string_view arn, std::string_view field = "BillingViewArn");

// ---------------------------------------------------------------------------
// Requests

/// GetCostAndUsage (shape `GetCostAndUsageRequest`). Required: time_period,
/// granularity, metrics. Rules, beyond those of the parts:
/// - TimePeriod: `YYYY-MM-DD` dates, or `YYYY-MM-DDThh:mm:ssZ` date-times
///   exactly when granularity is HOURLY, both in the same form, End after
///   Start (End is exclusive); with `validation_context::today`: Start not
///   after today, and for HOURLY not earlier than 14 days ago.
/// - Metrics: at least one, no duplicates, each one of `metric_names`
///   spelled exactly (the response keys echo the spelling sent, so we insist
///   on the documented one and suggest it: "did you mean UnblendedCost?").
/// - GroupBy: at most two, no duplicates, keys non-empty (AWS: "Both type and
///   key need to be set to a non-empty value"); DIMENSION keys per
///   `group_by_dimension_allowed`; TAG keys at most 1024 characters;
///   COST_CATEGORY keys a `CostCategoryName`.
/// - Filter: `validate_expression(filter, operation::get_cost_and_usage)`.
/// - BillingViewArn: `validate_billing_view_arn`.
/// - NextPageToken: shape `NextPageToken`, 1..8192 characters (an empty
///   token is refused: it is always a pagination bug).
struct cost_and_usage_request {
  /// "GetCostAndUsage".
  static constexpr std::string_view operation_name = "GetCostAndUsage";
  /// The X-Amz-Target header value.
  static constexpr std::string_view target = "AWSInsightsIndexService.GetCostAndUsage";

  date_interval time_period;                    ///< "TimePeriod" (required)
  std::optional<ce::granularity> granularity;   ///< "Granularity" (required)
  std::optional<expression> filter;             ///< "Filter"
  std::vector<std::string> metrics;             ///< "Metrics" (required), e.g. {"UnblendedCost"}
  std::vector<ce::group_by> group_by;          ///< "GroupBy"
  std::optional<std::string> billing_view_arn;  ///< "BillingViewArn"
  std::optional<std::string> next_page_token;   ///< "NextPageToken"

  /// Checks every rule above; the first failure as errc::invalid_argument.
  status validate() const { return validate(validation_context{}); }
  /// As `validate()`, plus the rules that need today's date.
  status validate(const validation_context& ctx) const;
  /// Validates, then serializes the body (members in model order).
  result<std::string> to_json() const { return to_json(validation_context{}); }
  /// As `to_json()` with a context.
  result<std::string> to_json(const validation_context& ctx) const;
  /// The body for the page after `token` (a NextPageToken from the last
  /// response), as `to_json` would write it with next_page_token = token,
  /// without copying or modifying the request. Validates.
  result<std::string> to_json_for_page(std::string_view token, const validation_context& ctx = {}) const;
  /// Sets (or, with nullopt, clears) the NextPageToken in place, for
  /// pagination loops that reuse one request object.
  void set_next_page_token(std::optional<std::string> token) { next_page_token = std::move(token); }
};

/// GetCostAndUsageWithResources (shape `GetCostAndUsageWithResourcesRequest`).
/// Same fields and rules as `cost_and_usage_request`, and:
/// - Filter is required, and must restrict SERVICE to "Amazon Elastic
///   Compute Cloud - Compute" (a Dimensions SERVICE node with that value at
///   the root or among the root's And operands, recursively): the Filter docs
///   say the operation "requires the Expression SERVICE = Amazon Elastic
///   Compute Cloud - Compute in the filter";
/// - the request must "either group by or filter by a ResourceId": GroupBy
///   `{DIMENSION, RESOURCE_ID}` or a Dimensions RESOURCE_ID node anywhere in
///   the Filter;
/// - Metrics is required (its docs: "Metrics is required for
///   GetCostAndUsageWithResources requests");
/// - Granularity DAILY, MONTHLY or HOURLY (as the member docs list);
/// - with `validation_context::today`, Start not earlier than 14 days ago.
struct cost_and_usage_with_resources_request {
  /// "GetCostAndUsageWithResources".
  static constexpr std::string_view operation_name = "GetCostAndUsageWithResources";
  /// The X-Amz-Target header value.
  static constexpr std::string_view target = "AWSInsightsIndexService.GetCostAndUsageWithResources";

  date_interval time_period;                    ///< "TimePeriod" (required)
  std::optional<ce::granularity> granularity;   ///< "Granularity" (required)
  std::optional<expression> filter;             ///< "Filter" (required)
  std::vector<std::string> metrics;             ///< "Metrics" (required)
  std::vector<ce::group_by> group_by;          ///< "GroupBy"
  std::optional<std::string> billing_view_arn;  ///< "BillingViewArn"
  std::optional<std::string> next_page_token;   ///< "NextPageToken"

  /// Checks every rule; the first failure as errc::invalid_argument.
  status validate() const { return validate(validation_context{}); }
  /// As `validate()`, plus the 14-day window when `ctx.today` is set.
  status validate(const validation_context& ctx) const;
  /// Validates, then serializes the body.
  result<std::string> to_json() const { return to_json(validation_context{}); }
  /// As `to_json()` with a context.
  result<std::string> to_json(const validation_context& ctx) const;
  /// The body for the page after `token`, without copying the request.
  result<std::string> to_json_for_page(std::string_view token, const validation_context& ctx = {}) const;
  /// Sets or clears the NextPageToken in place.
  void set_next_page_token(std::optional<std::string> token) { next_page_token = std::move(token); }
};

/// GetDimensionValues (shape `GetDimensionValuesRequest`). Required:
/// time_period, dimension. Rules:
/// - TimePeriod: dates or date-times (same form), End after Start; with
///   `ctx.today`, Start not after today;
/// - Dimension: a `Dimension` name available in the Context (the lists in
///   GetDimensionValuesRequest.Context; COST_AND_USAGE when unset);
/// - SearchString: shape `SearchString`, at most 1024 characters;
/// - Filter: `validate_expression(filter, operation::get_dimension_values)`;
/// - SortBy: keys are metric names (`metric_names`), no duplicates; with
///   SortBy the Context must be COST_AND_USAGE and NextPageToken and
///   SearchString must be unset (SortBy docs);
/// - MaxResults: 1..1000, and only together with SortBy (MaxResults docs:
///   "only used when SortBy is provided"; we refuse rather than let it be
///   silently ignored);
/// - BillingViewArn, NextPageToken as for GetCostAndUsage.
struct dimension_values_request {
  /// "GetDimensionValues".
  static constexpr std::string_view operation_name = "GetDimensionValues";
  /// The X-Amz-Target header value.
  static constexpr std::string_view target = "AWSInsightsIndexService.GetDimensionValues";

  std::optional<std::string> search_string;     ///< "SearchString"
  date_interval time_period;                    ///< "TimePeriod" (required)
  std::string dimension;                        ///< "Dimension" (required), e.g. "SERVICE"
  std::optional<ce::context> context;           ///< "Context" (AWS default COST_AND_USAGE)
  std::optional<expression> filter;             ///< "Filter"
  std::vector<sort_definition> sort_by;         ///< "SortBy"
  std::optional<std::string> billing_view_arn;  ///< "BillingViewArn"
  std::optional<std::int64_t> max_results;      ///< "MaxResults"
  std::optional<std::string> next_page_token;   ///< "NextPageToken"

  /// Checks every rule; the first failure as errc::invalid_argument.
  status validate() const { return validate(validation_context{}); }
  /// As `validate()`, plus the date rule when `ctx.today` is set.
  status validate(const validation_context& ctx) const;
  /// Validates, then serializes the body.
  result<std::string> to_json() const { return to_json(validation_context{}); }
  /// As `to_json()` with a context.
  result<std::string> to_json(const validation_context& ctx) const;
  /// The body for the page after `token`, without copying the request.
  result<std::string> to_json_for_page(std::string_view token, const validation_context& ctx = {}) const;
  /// Sets or clears the NextPageToken in place.
  void set_next_page_token(std::optional<std::string> token) { next_page_token = std::move(token); }
};

/// GetCostForecast (shape `GetCostForecastRequest`). Required: time_period,
/// metric, granularity. Rules:
/// - TimePeriod: `YYYY-MM-DD` dates, End after Start;
/// - Metric: shape `Metric`, SCREAMING_CASE ("UNBLENDED_COST", unlike
///   GetCostAndUsage's "UnblendedCost"), one of `cost_forecast_metrics`;
///   GetCostAndUsage spellings get a hint;
/// - Granularity: DAILY or MONTHLY ("supports only DAILY and MONTHLY");
/// - Filter: `validate_expression(filter, operation::get_cost_forecast)`;
/// - PredictionIntervalLevel: shape `PredictionIntervalLevel`, 51..99.
/// Not checked: the horizon limits (3 months DAILY, 18 months MONTHLY),
/// which AWS counts from its own clock.
/// The operation has no NextPageToken.
struct cost_forecast_request {
  /// "GetCostForecast".
  static constexpr std::string_view operation_name = "GetCostForecast";
  /// The X-Amz-Target header value.
  static constexpr std::string_view target = "AWSInsightsIndexService.GetCostForecast";

  date_interval time_period;                        ///< "TimePeriod" (required)
  std::string metric;                               ///< "Metric" (required), e.g. "UNBLENDED_COST"
  std::optional<ce::granularity> granularity;       ///< "Granularity" (required)
  std::optional<expression> filter;                 ///< "Filter"
  std::optional<std::string> billing_view_arn;      ///< "BillingViewArn"
  std::optional<std::int64_t> prediction_interval_level;  ///< "PredictionIntervalLevel"

  /// Checks every rule; the first failure as errc::invalid_argument.
  status validate() const;
  /// Validates, then serializes the body.
  result<std::string> to_json() const;
};

// ===========================================================================
// Definitions

inline std::optional<year_month_day> parse_year_month_day(std::string_view s) noexcept {
  if (s.size() != 10 && s.size() != 20) return std::nullopt;
  const auto digits = [&](std::size_t pos, std::size_t n, int& out) {
    int v = 0;
    for (std::size_t i = pos; i < pos + n; ++i) {
      if (s[i] < '0' || s[i] > '9') return false;
      v = v * 10 + (s[i] - '0');
    }
    out = v;
    return true;
  };
  int year = 0, month = 0, day = 0;
  if (!digits(0, 4, year) || s[4] != '-' || !digits(5, 2, month) || s[7] != '-' || !digits(8, 2, day)) {
    return std::nullopt;
  }
  if (month < 1 || month > 12 || day < 1) return std::nullopt;
  if (static_cast<unsigned>(day) > finops_crawler::detail::days_in_month(year, static_cast<unsigned>(month))) {
    return std::nullopt;
  }
  year_month_day out;
  out.days = finops_crawler::detail::days_from_civil(year, static_cast<unsigned>(month), static_cast<unsigned>(day));
  if (s.size() == 10) return out;
  int hh = 0, mm = 0, ss = 0;
  if (s[10] != 'T' || !digits(11, 2, hh) || s[13] != ':' || !digits(14, 2, mm) || s[16] != ':' ||
      !digits(17, 2, ss) || s[19] != 'Z') {
    return std::nullopt;
  }
  if (hh > 23 || mm > 59 || ss > 59) return std::nullopt;
  out.has_time = true;
  out.second_of_day = hh * 3600 + mm * 60 + ss;
  return out;
}

inline std::string utc_today() {
  return finops_crawler::detail::calendar_date::from_time(std::chrono::system_clock::now()).to_string();
}

inline std::string_view to_string(operation op) noexcept {
  switch (op) {
    case operation::get_cost_and_usage: return "GetCostAndUsage";
    case operation::get_cost_and_usage_with_resources: return "GetCostAndUsageWithResources";
    case operation::get_dimension_values: return "GetDimensionValues";
    case operation::get_cost_forecast: return "GetCostForecast";
  }
  return "CostExplorer";
}

}  // namespace ce

namespace detail {

template <class T, std::size_t N>
constexpr bool ce_contains(const std::array<T, N>& table, T v) noexcept {
  for (const T& x : table) {
    if (x == v) return true;
  }
  return false;
}

/// `text` JSON-quoted for an error message, cut after about 80 bytes on a
/// character boundary; invalid UTF-8 is described, not echoed.
inline std::string ce_quote(std::string_view text) {
  if (!check_utf8(text)) return "(invalid UTF-8)";
  std::string_view shown = text;
  bool cut = false;
  if (shown.size() > 80) {
    std::size_t n = 80;
    while (n > 0 && (static_cast<unsigned char>(shown[n]) & 0xC0u) == 0x80u) --n;
    shown = shown.substr(0, n);
    cut = true;
  }
  std::string out;
  (void)append_json_string(out, shown);
  if (cut) out += "...";
  return out;
}

inline status ce_fail(std::string message) { return status(errc::invalid_argument, std::move(message)); }

template <std::size_t N>
std::string ce_join(const std::array<std::string_view, N>& names) {
  std::string out;
  for (std::size_t i = 0; i < N; ++i) {
    if (i) out += ", ";
    out += names[i];
  }
  return out;
}

/// A string field with model length bounds (code points) that must be valid UTF-8.
inline status ce_check_string(std::string_view value, std::string_view field, std::size_t min_len,
                              std::size_t max_len, std::string_view shape) {
  if (status s = validate_utf8(value, field); !s) return s;
  const std::size_t n = utf8_length(value);
  if (n < min_len || n > max_len) {
    return ce_fail(std::string(field) + " must be " + std::to_string(min_len) + ".." + std::to_string(max_len) +
                   " characters long (shape " + std::string(shape) + "), got " + std::to_string(n));
  }
  return {};
}

/// Looks up a dimension name exactly, with a hint when it is misspelled.
inline status ce_parse_dimension(std::string_view key, std::string_view field, ce::dimension& out) {
  if (auto d = ce::parse_dimension(key)) {
    out = *d;
    return {};
  }
  std::string msg = std::string(field) + " " + ce_quote(key) + " is not a Cost Explorer dimension (shape Dimension)";
  std::string_view hint = ce::spelling_hint(key, ce::dimension_names);
  if (!hint.empty()) msg += "; did you mean " + std::string(hint) + "?";
  return ce_fail(std::move(msg));
}

/// The reason a dimension is refused by a filter, from the shape docs.
inline std::string ce_dimension_refusal(ce::operation op, ce::dimension d) {
  switch (d) {
    case ce::dimension::linked_account_name:
    case ce::dimension::service_code:
      return "can only be used in CostCategoryRule (shape DimensionValues)";
    case ce::dimension::anomaly_total_impact_absolute:
    case ce::dimension::anomaly_total_impact_percentage:
      return "can only be used in AnomalySubscriptions (shape DimensionValues)";
    case ce::dimension::resource_id:
      if (op != ce::operation::get_cost_and_usage_with_resources) {
        return "is only accepted by GetCostAndUsageWithResources (AWS answers \"Dimension RESOURCE_ID is not "
               "allowed\")";
      }
      break;
    default: break;
  }
  return "is not supported in " + std::string(ce::to_string(op)) + " filters";
}

inline status ce_check_match_options(const std::vector<ce::match_option>& options, bool is_dimension,
                                     bool restrict_to_cost_and_usage, const std::string& path) {
  for (std::size_t i = 0; i < options.size(); ++i) {
    const auto o = options[i];
    if (static_cast<std::size_t>(o) >= ce::match_option_names.size()) {
      return ce_fail(path + ".MatchOptions[" + std::to_string(i) + "] is not a MatchOption value");
    }
    for (std::size_t j = 0; j < i; ++j) {
      if (options[j] == o) {
        return ce_fail(path + ".MatchOptions lists " + std::string(ce::to_string(o)) + " twice");
      }
    }
    // GetCostAndUsageRequest.Filter: "Valid values for MatchOptions for
    // Dimensions are EQUALS and CASE_SENSITIVE. Valid values for MatchOptions
    // for CostCategories and Tags are EQUALS, ABSENT, and CASE_SENSITIVE."
    const bool ok = !restrict_to_cost_and_usage || o == ce::match_option::equals || o == ce::match_option::case_sensitive ||
                    (!is_dimension && o == ce::match_option::absent);
    if (!ok) {
      return ce_fail(path + ".MatchOptions[" + std::to_string(i) + "] " + std::string(ce::to_string(o)) +
                     " is not accepted here: valid values are " +
                     (is_dimension ? "EQUALS and CASE_SENSITIVE for Dimensions"
                                   : "EQUALS, ABSENT and CASE_SENSITIVE for Tags and CostCategories"));
    }
  }
  return {};
}

inline status ce_check_values(const std::optional<std::vector<std::string>>& values, const std::string& path,
                              bool required) {
  if (!values) {
    if (required) return ce_fail(path + ".Values is required and must list at least one value");
    return {};
  }
  if (values->empty()) {
    return ce_fail(path + ".Values is empty" +
                   std::string(required ? "; list at least one value"
                                        : "; list at least one value, or leave Values out to match a missing key "
                                          "(ABSENT)"));
  }
  for (std::size_t i = 0; i < values->size(); ++i) {
    if (status s = ce_check_string((*values)[i], path + ".Values[" + std::to_string(i) + "]", 0, 1024, "Value");
        !s) {
      return s;
    }
  }
  return {};
}

inline status ce_validate_expression(const ce::expression& e, const std::optional<ce::operation>& op,
                                     const std::string& path, std::size_t depth) {
  if (depth > ce::max_expression_depth) {
    return ce_fail(path + ": Filter nested deeper than " + std::to_string(ce::max_expression_depth) +
                   " levels (our limit, see ce::max_expression_depth)");
  }
  const std::size_t count = e.operator_count();
  if (count != 1) {
    return ce_fail(path + (count == 0 ? ": an Expression must set one operator" : ": an Expression sets " +
                                                                                      std::to_string(count) +
                                                                                      " operators") +
                   "; only one of And, Or, Not, Dimensions, Tags, CostCategories is allowed per node (shape "
                   "Expression)");
  }
  const auto check_list = [&](const std::vector<ce::expression>& list, const char* name) -> status {
    if (list.size() < 2) {
      return ce_fail(path + "." + name + " has " + std::to_string(list.size()) + " expression" +
                     (list.size() == 1 ? "" : "s") + "; AWS requires at least 2 operands" +
                     (list.size() == 1 ? " (use the single expression directly)" : ""));
    }
    for (std::size_t i = 0; i < list.size(); ++i) {
      if (status s = ce_validate_expression(list[i], op, path + "." + name + "[" + std::to_string(i) + "]",
                                            depth + 1);
          !s) {
        return s;
      }
    }
    return {};
  };
  if (e.and_operands) return check_list(*e.and_operands, "And");
  if (e.or_operands) return check_list(*e.or_operands, "Or");
  if (e.not_operand) return ce_validate_expression(*e.not_operand, op, path + ".Not", depth + 1);
  if (e.dimensions) {
    const std::string p = path + ".Dimensions";
    const ce::key_values& kv = *e.dimensions;
    if (!kv.key || kv.key->empty()) return ce_fail(p + ".Key is required: a dimension name such as SERVICE");
    ce::dimension d{};
    if (status s = ce_parse_dimension(*kv.key, p + ".Key", d); !s) return s;
    if (op && !ce::filter_dimension_allowed(*op, d)) {
      return ce_fail(p + ".Key " + std::string(ce::to_string(d)) + " " + ce_dimension_refusal(*op, d));
    }
    if (status s = ce_check_values(kv.values, p, true); !s) return s;
    return ce_check_match_options(kv.match_options, true, op.has_value(), p);
  }
  const bool is_tags = e.tags.has_value();
  const ce::key_values& kv = is_tags ? *e.tags : *e.cost_categories;
  const std::string p = path + (is_tags ? ".Tags" : ".CostCategories");
  if (kv.key) {
    if (is_tags) {
      if (status s = ce_check_string(*kv.key, p + ".Key", 0, 1024, "TagKey"); !s) return s;
    } else {
      if (status s = ce::validate_cost_category_name(*kv.key, p + ".Key"); !s) return s;
    }
  }
  if (status s = ce_check_values(kv.values, p, false); !s) return s;
  return ce_check_match_options(kv.match_options, false, op.has_value(), p);
}

inline void ce_write_key_values(json_writer& w, const ce::key_values& kv) {
  w.begin_object();
  if (kv.key) w.key("Key").string(*kv.key);
  if (kv.values) {
    w.key("Values").begin_array();
    for (const auto& v : *kv.values) w.string(v);
    w.end_array();
  }
  if (!kv.match_options.empty()) {
    w.key("MatchOptions").begin_array();
    for (auto o : kv.match_options) {
      if (static_cast<std::size_t>(o) >= ce::match_option_names.size()) {
        w.fail(error(errc::invalid_argument, "MatchOptions holds a value outside shape MatchOption"));
        return;
      }
      w.string(ce::to_string(o));
    }
    w.end_array();
  }
  w.end_object();
}

inline void ce_write_expression(json_writer& w, const ce::expression& e, std::size_t depth) {
  if (depth > ce::max_expression_depth) {
    w.fail(error(errc::invalid_argument, "Filter nested deeper than " + std::to_string(ce::max_expression_depth) +
                                             " levels (our limit, see ce::max_expression_depth)"));
    return;
  }
  w.begin_object();
  const auto list = [&](const char* name, const std::vector<ce::expression>& v) {
    w.key(name).begin_array();
    for (const auto& x : v) ce_write_expression(w, x, depth + 1);
    w.end_array();
  };
  if (e.or_operands) list("Or", *e.or_operands);
  if (e.and_operands) list("And", *e.and_operands);
  if (e.not_operand) {
    w.key("Not");
    ce_write_expression(w, *e.not_operand, depth + 1);
  }
  if (e.dimensions) {
    w.key("Dimensions");
    ce_write_key_values(w, *e.dimensions);
  }
  if (e.tags) {
    w.key("Tags");
    ce_write_key_values(w, *e.tags);
  }
  if (e.cost_categories) {
    w.key("CostCategories");
    ce_write_key_values(w, *e.cost_categories);
  }
  w.end_object();
}

inline status ce_check_metrics(const std::vector<std::string>& metrics, std::string_view op_name) {
  if (metrics.empty()) {
    return ce_fail("Metrics is required by " + std::string(op_name) +
                   ": list at least one of " + ce_join(ce::metric_names));
  }
  for (std::size_t i = 0; i < metrics.size(); ++i) {
    const std::string field = "Metrics[" + std::to_string(i) + "]";
    if (!ce::parse_metric(metrics[i])) {
      std::string msg = field + " " + ce_quote(metrics[i]) + " is not a metric name";
      std::string_view hint = ce::spelling_hint(metrics[i], ce::metric_names);
      if (hint.empty()) hint = [&]() -> std::string_view {
        // A forecast spelling ("UNBLENDED_COST") folds to the same letters.
        const std::string_view h = ce::spelling_hint(metrics[i], ce::forecast_metric_names);
        if (h.empty()) return {};
        return ce::to_string(*ce::parse_forecast_metric(h));
      }();
      if (!hint.empty()) msg += "; did you mean " + std::string(hint) + "?";
      msg += " (valid: " + ce_join(ce::metric_names) + ")";
      return ce_fail(std::move(msg));
    }
    for (std::size_t j = 0; j < i; ++j) {
      if (metrics[j] == metrics[i]) return ce_fail(field + " " + metrics[i] + " is listed twice in Metrics");
    }
  }
  return {};
}

inline status ce_check_group_by(const std::vector<ce::group_by>& groups, ce::operation op) {
  if (groups.size() > ce::max_group_by) {
    return ce_fail("GroupBy has " + std::to_string(groups.size()) +
                   " groups; AWS groups by at most 2 (GetCostAndUsageRequest.GroupBy)");
  }
  for (std::size_t i = 0; i < groups.size(); ++i) {
    const auto& g = groups[i];
    const std::string field = "GroupBy[" + std::to_string(i) + "]";
    if (static_cast<std::size_t>(g.type) >= ce::group_definition_type_names.size()) {
      return ce_fail(field + ".Type is not a GroupDefinitionType (DIMENSION, TAG, COST_CATEGORY)");
    }
    if (g.key.empty()) {
      return ce_fail(field + ".Key is empty; AWS needs both Type and Key set to non-empty values");
    }
    switch (g.type) {
      case ce::group_definition_type::dimension: {
        ce::dimension d{};
        if (status s = ce_parse_dimension(g.key, field + ".Key", d); !s) return s;
        if (!ce::group_by_dimension_allowed(op, d)) {
          std::string msg = field + ".Key " + std::string(ce::to_string(d)) + " cannot be grouped by in " +
                            std::string(ce::to_string(op));
          if (d == ce::dimension::resource_id) msg += "; only GetCostAndUsageWithResources groups by RESOURCE_ID";
          msg += " (group by one of the COST_AND_USAGE context dimensions, e.g. SERVICE, LINKED_ACCOUNT, REGION)";
          return ce_fail(std::move(msg));
        }
        break;
      }
      case ce::group_definition_type::tag:
        if (status s = ce_check_string(g.key, field + ".Key", 1, 1024, "GroupDefinitionKey"); !s) return s;
        break;
      case ce::group_definition_type::cost_category:
        if (status s = ce::validate_cost_category_name(g.key, field + ".Key"); !s) return s;
        break;
    }
    for (std::size_t j = 0; j < i; ++j) {
      if (groups[j].type == g.type && groups[j].key == g.key) {
        return ce_fail(field + " repeats GroupBy[" + std::to_string(j) + "] (" +
                       std::string(ce::to_string(g.type)) + " " + ce_quote(g.key) + ")");
      }
    }
  }
  return {};
}

inline status ce_check_page_token(const std::optional<std::string_view>& token,
                                  std::string_view field = "NextPageToken") {
  if (!token) return {};
  if (token->empty()) {
    return ce_fail(std::string(field) + " is empty; leave it unset for the first page and set it to the token "
                                        "of the previous response after that");
  }
  return ce_check_string(*token, field, 1, 8192, "NextPageToken");
}

inline std::optional<std::string_view> ce_token_view(const std::optional<std::string>& t) {
  if (!t) return std::nullopt;
  return std::string_view(*t);
}

/// Checks a DateInterval. `times`: 1 requires date-times, 0 requires dates,
/// -1 accepts either (same form for both ends).
inline status ce_check_time_period(const ce::date_interval& tp, int times, std::string_view why_times,
                                   const ce::validation_context& ctx, int max_age_days, std::string_view why_age,
                                   std::optional<ce::year_month_day>* start_out = nullptr) {
  if (tp.start.empty()) return ce_fail("TimePeriod.Start is required (YYYY-MM-DD)");
  if (tp.end.empty()) return ce_fail("TimePeriod.End is required (YYYY-MM-DD); End is exclusive");
  const auto parse = [](std::string_view v, const char* field, std::optional<ce::year_month_day>& out) -> status {
    out = ce::parse_year_month_day(v);
    if (!out) {
      return ce_fail(std::string("TimePeriod.") + field + " " + ce_quote(v) +
                     " is not a real date YYYY-MM-DD or date-time YYYY-MM-DDThh:mm:ssZ (shape YearMonthDay)");
    }
    return {};
  };
  std::optional<ce::year_month_day> start, end;
  if (status s = parse(tp.start, "Start", start); !s) return s;
  if (status s = parse(tp.end, "End", end); !s) return s;
  if (start->has_time != end->has_time) {
    return ce_fail("TimePeriod.Start and TimePeriod.End must both be dates or both be date-times");
  }
  if (times == 1 && !start->has_time) {
    return ce_fail("TimePeriod must use date-times YYYY-MM-DDThh:mm:ssZ: " + std::string(why_times));
  }
  if (times == 0 && start->has_time) {
    return ce_fail("TimePeriod must use dates YYYY-MM-DD: " + std::string(why_times));
  }
  if (end->epoch_seconds() <= start->epoch_seconds()) {
    return ce_fail("TimePeriod.End " + ce_quote(tp.end) + " must be after TimePeriod.Start " + ce_quote(tp.start) +
                   " (End is exclusive: Start 2025-01-01, End 2025-01-02 covers one day)");
  }
  if (!ctx.today.empty()) {
    const auto today = ce::parse_year_month_day(ctx.today);
    if (!today || today->has_time) {
      return ce_fail("validation_context.today " + ce_quote(ctx.today) + " is not a date YYYY-MM-DD");
    }
    if (start->days > today->days) {
      return ce_fail("TimePeriod.Start " + ce_quote(tp.start) + " is after today (" + ctx.today +
                     "); the start date must be no later than the current date (DateInterval.Start)");
    }
    if (max_age_days > 0 && start->days < today->days - max_age_days) {
      return ce_fail("TimePeriod.Start " + ce_quote(tp.start) + " is more than " + std::to_string(max_age_days) +
                     " days before today (" + ctx.today + "): " + std::string(why_age) +
                     "; the earliest Start is " + calendar_date::from_days(today->days - max_age_days).to_string());
    }
  }
  if (start_out) *start_out = start;
  return {};
}

inline bool ce_is_ec2_service_filter(const ce::expression& e, std::size_t depth) {
  if (depth > ce::max_expression_depth) return false;
  if (e.operator_count() != 1) return false;
  if (e.dimensions && e.dimensions->key && *e.dimensions->key == "SERVICE" && e.dimensions->values) {
    for (const auto& v : *e.dimensions->values) {
      if (v == "Amazon Elastic Compute Cloud - Compute") return true;
    }
    return false;
  }
  if (e.and_operands) {
    for (const auto& x : *e.and_operands) {
      if (ce_is_ec2_service_filter(x, depth + 1)) return true;
    }
  }
  return false;
}

inline bool ce_mentions_resource_id(const ce::expression& e, std::size_t depth) {
  if (depth > ce::max_expression_depth) return false;
  if (e.dimensions && e.dimensions->key && *e.dimensions->key == "RESOURCE_ID") return true;
  const auto any = [&](const std::optional<std::vector<ce::expression>>& v) {
    if (!v) return false;
    for (const auto& x : *v) {
      if (ce_mentions_resource_id(x, depth + 1)) return true;
    }
    return false;
  };
  if (any(e.and_operands) || any(e.or_operands)) return true;
  return e.not_operand && ce_mentions_resource_id(*e.not_operand, depth + 1);
}

/// Prefixes a failure with the operation name so messages say where they come from.
inline status ce_in(std::string_view op_name, status s) {
  if (s) return s;
  return ce_fail(std::string(op_name) + ": " + s.error().message);
}

template <class Request>
void ce_write_cost_and_usage_body(json_writer& w, const Request& r, const std::optional<std::string_view>& token) {
  w.begin_object();
  w.key("TimePeriod").begin_object().key("Start").string(r.time_period.start).key("End").string(r.time_period.end)
      .end_object();
  if (r.granularity) w.key("Granularity").string(ce::to_string(*r.granularity));
  if (r.filter) {
    w.key("Filter");
    ce_write_expression(w, *r.filter, 1);
  }
  if (!r.metrics.empty()) {
    w.key("Metrics").begin_array();
    for (const auto& m : r.metrics) w.string(m);
    w.end_array();
  }
  if (!r.group_by.empty()) {
    w.key("GroupBy").begin_array();
    for (const auto& g : r.group_by) {
      w.begin_object().key("Type").string(ce::to_string(g.type)).key("Key").string(g.key).end_object();
    }
    w.end_array();
  }
  if (r.billing_view_arn) w.key("BillingViewArn").string(*r.billing_view_arn);
  if (token) w.key("NextPageToken").string(*token);
  w.end_object();
}

}  // namespace detail

namespace ce {

inline bool filter_dimension_allowed(operation op, dimension d) noexcept {
  using finops_crawler::detail::ce_contains;
  switch (op) {
    case operation::get_cost_and_usage:
      if (d == dimension::resource_id) return false;
      return ce_contains(cost_and_usage_context_dimensions, d) || ce_contains(cost_forecast_filter_dimensions, d);
    case operation::get_cost_and_usage_with_resources:
      return ce_contains(cost_and_usage_context_dimensions, d) || ce_contains(cost_forecast_filter_dimensions, d);
    case operation::get_cost_forecast:
      return ce_contains(cost_forecast_filter_dimensions, d);
    case operation::get_dimension_values:
      return d != dimension::linked_account_name && d != dimension::service_code &&
             d != dimension::anomaly_total_impact_absolute && d != dimension::anomaly_total_impact_percentage;
  }
  return false;
}

inline bool group_by_dimension_allowed(operation op, dimension d) noexcept {
  using finops_crawler::detail::ce_contains;
  switch (op) {
    case operation::get_cost_and_usage:
      return d != dimension::resource_id && ce_contains(cost_and_usage_context_dimensions, d);
    case operation::get_cost_and_usage_with_resources:
      return ce_contains(cost_and_usage_context_dimensions, d);
    default:
      return false;
  }
}

inline status validate_expression(const expression& e, std::optional<operation> op, std::string_view path) {
  return finops_crawler::detail::ce_validate_expression(e, op, std::string(path), 1);
}

inline void write_expression(finops_crawler::detail::json_writer& w, const expression& e) {
  finops_crawler::detail::ce_write_expression(w, e, 1);
}

inline result<std::string> expression::to_json() const {
  if (status s = validate_expression(*this); !s) return s.error();
  finops_crawler::detail::json_writer w;
  write_expression(w, *this);
  return std::move(w).finish();
}

inline status validate_cost_category_name(std::string_view name, std::string_view field) {
  using finops_crawler::detail::ce_fail;
  using finops_crawler::detail::ce_quote;
  if (status s = finops_crawler::detail::ce_check_string(name, field, 1, 50, "CostCategoryName"); !s) return s;
  if (name.front() == ' ' || name.back() == ' ') {
    return ce_fail(std::string(field) + " " + ce_quote(name) +
                   " must not start or end with a space (shape CostCategoryName)");
  }
  for (char c : name) {
    const auto u = static_cast<unsigned char>(c);
    if (u >= 0x80) continue;  // non-ASCII: letters, numbers or separators are not classified here
    const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == ' ' ||
                    c == '-' || c == '_';
    if (!ok) {
      return ce_fail(std::string(field) + " " + ce_quote(name) + " contains " + ce_quote(std::string_view(&c, 1)) +
                     "; a cost category name holds letters, numbers, spaces, '-' and '_' (shape CostCategoryName)");
    }
  }
  return {};
}

inline status validate_billing_view_arn(std::string_view arn, std::string_view field) {
  using finops_crawler::detail::ce_fail;
  using finops_crawler::detail::ce_quote;
  if (status s = finops_crawler::detail::ce_check_string(arn, field, 20, 2048, "BillingViewArn"); !s) return s;
  const std::string bad = std::string(field) + " " + ce_quote(arn) +
                          " is not a billing view ARN: expected arn:aws:billing::123456789012:billingview/<name> "
                          "(shape BillingViewArn)";
  std::string_view s = arn;
  if (s.substr(0, 7) != "arn:aws") return ce_fail(bad);
  s.remove_prefix(7);
  while (!s.empty() && ((s.front() >= 'a' && s.front() <= 'z') || s.front() == '-')) s.remove_prefix(1);
  if (s.substr(0, 10) != ":billing::") return ce_fail(bad);
  s.remove_prefix(10);
  if (s.size() < 12) return ce_fail(bad);
  for (std::size_t i = 0; i < 12; ++i) {
    if (s[i] < '0' || s[i] > '9') return ce_fail(bad);
  }
  s.remove_prefix(12);
  if (s.substr(0, 13) != ":billingview/") return ce_fail(bad);
  s.remove_prefix(13);
  if (s.empty() || s.size() > 43) return ce_fail(bad);
  for (char c : s) {
    const bool ok = c == '-' || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                    c == '/' || c == ':' || c == '_' || c == '+' || c == '=' || (c >= '.' && c <= '@');
    if (!ok) return ce_fail(bad);
  }
  return {};
}

}  // namespace ce

namespace detail {

/// The rules GetCostAndUsage and GetCostAndUsageWithResources share, with
/// `token` standing for the NextPageToken to send.
template <class Request>
status ce_validate_cost_and_usage_like(const Request& r, ce::operation op, const ce::validation_context& ctx,
                                       const std::optional<std::string_view>& token) {
  const bool with_resources = op == ce::operation::get_cost_and_usage_with_resources;
  if (!r.granularity) return ce_fail("Granularity is required: DAILY, MONTHLY or HOURLY");
  if (static_cast<std::size_t>(*r.granularity) >= ce::granularity_names.size()) {
    return ce_fail("Granularity is not a Granularity value (DAILY, MONTHLY, HOURLY)");
  }
  const bool hourly = *r.granularity == ce::granularity::hourly;
  // HOURLY periods are date-times; resource-level and hourly data reach back
  // only 14 days (GetCostAndUsageWithResourcesRequest.TimePeriod).
  if (status s = ce_check_time_period(
          r.time_period, hourly ? 1 : 0,
          hourly ? "HOURLY granularity needs date-times" : "DAILY and MONTHLY granularity take dates", ctx,
          (hourly || with_resources) ? ce::resource_level_days : 0,
          with_resources ? "resource-level data covers only the last 14 days"
                         : "hourly data covers only the last 14 days");
      !s) {
    return s;
  }
  if (status s = ce_check_metrics(r.metrics, ce::to_string(op)); !s) return s;
  if (status s = ce_check_group_by(r.group_by, op); !s) return s;
  if (r.filter) {
    if (status s = ce::validate_expression(*r.filter, op); !s) return s;
  } else if (with_resources) {
    return ce_fail(
        "Filter is required: GetCostAndUsageWithResources needs at least {\"Dimensions\": {\"Key\": \"SERVICE\", "
        "\"Values\": [\"Amazon Elastic Compute Cloud - Compute\"]}}");
  }
  if (with_resources) {
    if (!ce_is_ec2_service_filter(*r.filter, 1)) {
      return ce_fail(
          "Filter must require SERVICE = \"Amazon Elastic Compute Cloud - Compute\" (as the Filter itself or one of "
          "its And operands): GetCostAndUsageWithResources only covers EC2 compute resources");
    }
    bool groups_by_resource = false;
    for (const auto& g : r.group_by) {
      if (g.type == ce::group_definition_type::dimension && g.key == "RESOURCE_ID") groups_by_resource = true;
    }
    if (!groups_by_resource && !ce_mentions_resource_id(*r.filter, 1)) {
      return ce_fail(
          "GetCostAndUsageWithResources requires that you either group by or filter by a ResourceId: add "
          "ce::group_by::dimension(\"RESOURCE_ID\") or a RESOURCE_ID Dimensions filter");
    }
  }
  if (r.billing_view_arn) {
    if (status s = ce::validate_billing_view_arn(*r.billing_view_arn); !s) return s;
  }
  return ce_check_page_token(token);
}

template <class Request>
result<std::string> ce_cost_and_usage_json(const Request& r, ce::operation op, const ce::validation_context& ctx,
                                           const std::optional<std::string_view>& token) {
  if (status s = ce_in(ce::to_string(op), ce_validate_cost_and_usage_like(r, op, ctx, token)); !s) {
    return s.error();
  }
  json_writer w;
  ce_write_cost_and_usage_body(w, r, token);
  return std::move(w).finish();
}

inline status ce_validate_dimension_values(const ce::dimension_values_request& r, const ce::validation_context& ctx,
                                           const std::optional<std::string_view>& token) {
  if (status s = ce_check_time_period(r.time_period, -1, "", ctx, 0, ""); !s) return s;
  if (r.dimension.empty()) return ce_fail("Dimension is required: a dimension name such as SERVICE");
  ce::dimension d{};
  if (status s = ce_parse_dimension(r.dimension, "Dimension", d); !s) return s;
  const ce::context c = r.context.value_or(ce::context::cost_and_usage);
  if (static_cast<std::size_t>(c) >= ce::context_names.size()) {
    return ce_fail("Context is not a Context value (COST_AND_USAGE, RESERVATIONS, SAVINGS_PLANS)");
  }
  bool available = false;
  switch (c) {
    case ce::context::cost_and_usage: available = ce_contains(ce::cost_and_usage_context_dimensions, d); break;
    case ce::context::reservations: available = ce_contains(ce::reservations_context_dimensions, d); break;
    case ce::context::savings_plans: available = ce_contains(ce::savings_plans_context_dimensions, d); break;
  }
  if (!available) {
    std::string msg = "Dimension " + std::string(ce::to_string(d)) + " is not available in Context " +
                      std::string(ce::to_string(c)) + " (GetDimensionValuesRequest.Context lists each context's "
                      "dimensions)";
    if (d == ce::dimension::linked_account_name || d == ce::dimension::service_code) {
      msg += "; it can only be used in CostCategoryRule";
    }
    return ce_fail(std::move(msg));
  }
  if (r.search_string) {
    if (status s = ce_check_string(*r.search_string, "SearchString", 0, 1024, "SearchString"); !s) return s;
  }
  if (r.filter) {
    if (status s = ce::validate_expression(*r.filter, ce::operation::get_dimension_values); !s) return s;
  }
  for (std::size_t i = 0; i < r.sort_by.size(); ++i) {
    const auto& sd = r.sort_by[i];
    const std::string field = "SortBy[" + std::to_string(i) + "]";
    if (!ce::parse_metric(sd.key)) {
      std::string msg = field + ".Key " + ce_quote(sd.key) + " is not a sortable metric";
      const std::string_view hint = ce::spelling_hint(sd.key, ce::metric_names);
      if (!hint.empty()) msg += "; did you mean " + std::string(hint) + "?";
      msg += " (valid: " + ce_join(ce::metric_names) + ")";
      return ce_fail(std::move(msg));
    }
    if (sd.sort_order && static_cast<std::size_t>(*sd.sort_order) >= ce::sort_order_names.size()) {
      return ce_fail(field + ".SortOrder is not ASCENDING or DESCENDING");
    }
    for (std::size_t j = 0; j < i; ++j) {
      if (r.sort_by[j].key == sd.key) return ce_fail(field + ".Key " + sd.key + " is listed twice in SortBy");
    }
  }
  if (!r.sort_by.empty()) {
    // SortBy docs: "When you specify a SortBy paramater, the context must be
    // COST_AND_USAGE. Further, when using SortBy, NextPageToken and
    // SearchString aren't supported."
    if (c != ce::context::cost_and_usage) return ce_fail("SortBy needs Context COST_AND_USAGE");
    if (token) return ce_fail("NextPageToken is not supported together with SortBy");
    if (r.search_string) return ce_fail("SearchString is not supported together with SortBy");
  }
  if (r.max_results) {
    if (r.sort_by.empty()) {
      return ce_fail("MaxResults is only used together with SortBy (GetDimensionValuesRequest.MaxResults); "
                     "remove it or add SortBy");
    }
    if (*r.max_results < 1 || *r.max_results > 1000) {
      return ce_fail("MaxResults must be 1..1000 for GetDimensionValues, got " + std::to_string(*r.max_results));
    }
  }
  if (r.billing_view_arn) {
    if (status s = ce::validate_billing_view_arn(*r.billing_view_arn); !s) return s;
  }
  return ce_check_page_token(token);
}

inline result<std::string> ce_dimension_values_json(const ce::dimension_values_request& r,
                                                    const ce::validation_context& ctx,
                                                    const std::optional<std::string_view>& token) {
  if (status s = ce_in(r.operation_name, ce_validate_dimension_values(r, ctx, token)); !s) return s.error();
  json_writer w;
  w.begin_object();
  if (r.search_string) w.key("SearchString").string(*r.search_string);
  w.key("TimePeriod").begin_object().key("Start").string(r.time_period.start).key("End").string(r.time_period.end)
      .end_object();
  w.key("Dimension").string(r.dimension);
  if (r.context) w.key("Context").string(ce::to_string(*r.context));
  if (r.filter) {
    w.key("Filter");
    ce_write_expression(w, *r.filter, 1);
  }
  if (!r.sort_by.empty()) {
    w.key("SortBy").begin_array();
    for (const auto& sd : r.sort_by) {
      w.begin_object().key("Key").string(sd.key);
      if (sd.sort_order) w.key("SortOrder").string(ce::to_string(*sd.sort_order));
      w.end_object();
    }
    w.end_array();
  }
  if (r.billing_view_arn) w.key("BillingViewArn").string(*r.billing_view_arn);
  if (r.max_results) w.key("MaxResults").integer(*r.max_results);
  if (token) w.key("NextPageToken").string(*token);
  w.end_object();
  return std::move(w).finish();
}

}  // namespace detail

namespace ce {

// --- GetCostAndUsage / GetCostAndUsageWithResources --------------------------

inline status cost_and_usage_request::validate(const validation_context& ctx) const {
  namespace d = finops_crawler::detail;
  return d::ce_in(operation_name, d::ce_validate_cost_and_usage_like(*this, operation::get_cost_and_usage, ctx,
                                                                     d::ce_token_view(next_page_token)));
}

inline result<std::string> cost_and_usage_request::to_json(const validation_context& ctx) const {
  namespace d = finops_crawler::detail;
  return d::ce_cost_and_usage_json(*this, operation::get_cost_and_usage, ctx, d::ce_token_view(next_page_token));
}

inline result<std::string> cost_and_usage_request::to_json_for_page(std::string_view token,
                                                                    const validation_context& ctx) const {
  return finops_crawler::detail::ce_cost_and_usage_json(*this, operation::get_cost_and_usage, ctx,
                                                        std::optional<std::string_view>(token));
}

inline status cost_and_usage_with_resources_request::validate(const validation_context& ctx) const {
  namespace d = finops_crawler::detail;
  return d::ce_in(operation_name,
                  d::ce_validate_cost_and_usage_like(*this, operation::get_cost_and_usage_with_resources, ctx,
                                                     d::ce_token_view(next_page_token)));
}

inline result<std::string> cost_and_usage_with_resources_request::to_json(const validation_context& ctx) const {
  namespace d = finops_crawler::detail;
  return d::ce_cost_and_usage_json(*this, operation::get_cost_and_usage_with_resources, ctx,
                                   d::ce_token_view(next_page_token));
}

inline result<std::string> cost_and_usage_with_resources_request::to_json_for_page(
    std::string_view token, const validation_context& ctx) const {
  return finops_crawler::detail::ce_cost_and_usage_json(*this, operation::get_cost_and_usage_with_resources, ctx,
                                                        std::optional<std::string_view>(token));
}

// --- GetDimensionValues -----------------------------------------------------

inline status dimension_values_request::validate(const validation_context& ctx) const {
  namespace d = finops_crawler::detail;
  return d::ce_in(operation_name, d::ce_validate_dimension_values(*this, ctx, d::ce_token_view(next_page_token)));
}

inline result<std::string> dimension_values_request::to_json(const validation_context& ctx) const {
  namespace d = finops_crawler::detail;
  return d::ce_dimension_values_json(*this, ctx, d::ce_token_view(next_page_token));
}

inline result<std::string> dimension_values_request::to_json_for_page(std::string_view token,
                                                                      const validation_context& ctx) const {
  return finops_crawler::detail::ce_dimension_values_json(*this, ctx, std::optional<std::string_view>(token));
}

// --- GetCostForecast --------------------------------------------------------

inline status cost_forecast_request::validate() const {
  namespace d = finops_crawler::detail;
  const auto run = [&]() -> status {
    if (status s = d::ce_check_time_period(time_period, 0, "GetCostForecast takes dates", validation_context{}, 0, "");
        !s) {
      return s;
    }
    if (metric.empty()) {
      return d::ce_fail("Metric is required: one of AMORTIZED_COST, BLENDED_COST, NET_AMORTIZED_COST, "
                        "NET_UNBLENDED_COST, UNBLENDED_COST");
    }
    const auto m = parse_forecast_metric(metric);
    if (!m || !d::ce_contains(cost_forecast_metrics, *m)) {
      std::string msg = "Metric " + d::ce_quote(metric);
      if (m) {
        msg += " is a usage metric; GetCostForecast forecasts costs (use GetUsageForecast for usage)";
      } else {
        msg += " is not a forecast Metric (shape Metric is SCREAMING_CASE, unlike GetCostAndUsage's Metrics)";
        std::string_view hint = spelling_hint(metric, forecast_metric_names);
        if (!hint.empty()) msg += "; did you mean " + std::string(hint) + "?";
      }
      msg += " (valid: AMORTIZED_COST, BLENDED_COST, NET_AMORTIZED_COST, NET_UNBLENDED_COST, UNBLENDED_COST)";
      return d::ce_fail(std::move(msg));
    }
    if (!granularity) return d::ce_fail("Granularity is required: DAILY or MONTHLY");
    if (*granularity != ce::granularity::daily && *granularity != ce::granularity::monthly) {
      return d::ce_fail("Granularity must be DAILY or MONTHLY: \"The GetCostForecast operation supports only DAILY "
                        "and MONTHLY granularities\"");
    }
    if (filter) {
      if (status s = validate_expression(*filter, operation::get_cost_forecast); !s) return s;
    }
    if (billing_view_arn) {
      if (status s = validate_billing_view_arn(*billing_view_arn); !s) return s;
    }
    if (prediction_interval_level && (*prediction_interval_level < 51 || *prediction_interval_level > 99)) {
      return d::ce_fail("PredictionIntervalLevel must be 51..99 (shape PredictionIntervalLevel), got " +
                        std::to_string(*prediction_interval_level));
    }
    return {};
  };
  return d::ce_in(operation_name, run());
}

inline result<std::string> cost_forecast_request::to_json() const {
  if (status s = validate(); !s) return s.error();
  finops_crawler::detail::json_writer w;
  w.begin_object();
  w.key("TimePeriod").begin_object().key("Start").string(time_period.start).key("End").string(time_period.end)
      .end_object();
  w.key("Metric").string(metric);
  w.key("Granularity").string(to_string(*granularity));
  if (filter) {
    w.key("Filter");
    write_expression(w, *filter);
  }
  if (billing_view_arn) w.key("BillingViewArn").string(*billing_view_arn);
  if (prediction_interval_level) w.key("PredictionIntervalLevel").integer(*prediction_interval_level);
  w.end_object();
  return std::move(w).finish();
}

}  // namespace ce
}  // namespace v0
}  // namespace finops_crawler

#endif  // FINOPS_CRAWLER_AWS_CE_REQUESTS_HPP
