#ifndef FINOPS_CRAWLER_AWS_CE_REQUESTS_HPP
#define FINOPS_CRAWLER_AWS_CE_REQUESTS_HPP
/// \file
/// Cost Explorer request model: GetCostAndUsage, GetCostAndUsageWithResources,
/// GetDimensionValues, GetTags, GetCostCategories and GetCostForecast,
/// validated before anything is sent.
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
#include "finops_crawler/calendar_date.hpp"
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

/// The earliest TimePeriod.Start that GetCostAndUsageWithResources (and
/// HOURLY GetCostAndUsage) accept on UTC day `today`: today - 14 days. "The
/// start date cannot be earlier than 14 days ago" (service model
/// ce-2017-10-25, GetCostAndUsageWithResourcesRequest.TimePeriod; the Cost
/// Management guide's granular data is "for the previous 14 days"). So on
/// 2026-11-26, Start 2026-11-12 is accepted and 2026-11-11 refused. The one
/// rule of the request validation, of the CLI's default period for
/// `--group-by RESOURCE_ID` ([this day, today)) and of the simulator.
constexpr calendar_date resource_level_earliest_start(calendar_date today) noexcept {
  return today.add_days(-resource_level_days);
}

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
std::optional<year_month_day> parse_year_month_day(std::string_view text) noexcept;

/// Today's UTC date as `YYYY-MM-DD`, from the system clock. For
/// `validation_context::today`; tests inject a fixed date instead.
std::string utc_today();

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

/// `text` quoted for a request-validation message (quoted_excerpt, 80 bytes).
inline std::string ce_quote(std::string_view text) { return quoted_excerpt(text, 80); }

/// "A, B, C": a table of names for an error message.
template <std::size_t N>
std::string ce_join(const std::array<std::string_view, N>& names) {
  std::string out;
  for (std::size_t i = 0; i < N; ++i) {
    if (i) out += ", ";
    out += names[i];
  }
  return out;
}
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
  get_tags,
  get_cost_categories,
};

/// The operation's wire name, e.g. "GetCostAndUsage".
std::string_view to_string(operation op) noexcept;

/// Whether a Filter's `Dimensions.Key` may name `d` in `op`:
/// - GetCostAndUsage: the COST_AND_USAGE context dimensions
///   (GetDimensionValuesRequest.Context) plus those GetCostForecastRequest.Filter
///   lists (same cost data), except RESOURCE_ID, which AWS refuses outside
///   GetCostAndUsageWithResources ("Dimension RESOURCE_ID is not allowed").
/// - GetCostAndUsageWithResources: the same plus RESOURCE_ID.
/// - GetCostForecast: exactly the list in GetCostForecastRequest.Filter.
/// - GetDimensionValues, GetTags, GetCostCategories: every dimension except
///   LINKED_ACCOUNT_NAME and SERVICE_CODE (CostCategoryRule only) and
///   ANOMALY_TOTAL_IMPACT_* (AnomalySubscriptions only), as shape
///   `DimensionValues` documents (GetTags' and GetCostCategories' Filter
///   members document no list of their own).
bool filter_dimension_allowed(operation op, dimension d) noexcept;

/// Whether GroupBy `{Type: DIMENSION, Key: d}` is accepted by `op` (only
/// GetCostAndUsage and GetCostAndUsageWithResources have GroupBy).
/// GetCostAndUsageRequest.GroupBy names twelve dimensions, but AWS groups
/// by others of the COST_AND_USAGE context (REGION is grouped on routinely),
/// so the rule is: the COST_AND_USAGE context dimensions, with RESOURCE_ID
/// only for GetCostAndUsageWithResources.
bool group_by_dimension_allowed(operation op, dimension d) noexcept;

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
status validate_expression(const expression& e, std::optional<operation> op = std::nullopt,
                                  std::string_view path = "Filter");

/// Appends `e` as JSON to `w` without validating (members in model order:
/// Or, And, Not, Dimensions, Tags, CostCategories). Recursion stops with an
/// error past `max_expression_depth`. For request writers.
void write_expression(finops_crawler::detail::json_writer& w, const expression& e);

/// Checks shape `CostCategoryName`: 1..50 characters matching
/// `^(?! )[\p{L}\p{N}\p{Z}-_]*(?<! )$`. Read as intended, the class is
/// letters, numbers, separators, '-' and '_'; ASCII is checked exactly,
/// non-ASCII characters are accepted without classification (we carry no
/// Unicode tables; AWS decides). No leading or trailing space.
status validate_cost_category_name(std::string_view name, std::string_view field);

/// Checks shape `BillingViewArn`: 20..2048 characters matching
/// `^arn:aws[a-z-]*:(billing)::[0-9]{12}:billingview/[-a-zA-Z0-9/:_+=.-@]{1,43}$`
/// (the `.-@` in the class is a range, '.' to '@', as the regex engine reads it).
status validate_billing_view_arn(std::string_view arn, std::string_view field = "BillingViewArn");

// ---------------------------------------------------------------------------
// Requests

/// The members GetCostAndUsage and GetCostAndUsageWithResources share (the
/// two request shapes have the same members, in the same order); each
/// request type adds its own rules. Set them by name:
/// `r.time_period = {"2025-01-01", "2025-02-01"}; r.metrics = {"UnblendedCost"};`.
struct cost_and_usage_fields {
  date_interval time_period;                    ///< "TimePeriod" (required)
  std::optional<ce::granularity> granularity;   ///< "Granularity" (required)
  std::optional<expression> filter;             ///< "Filter" (required for ...WithResources)
  std::vector<std::string> metrics;             ///< "Metrics" (required), e.g. {"UnblendedCost"}
  std::vector<ce::group_by> group_by;           ///< "GroupBy"
  std::optional<std::string> billing_view_arn;  ///< "BillingViewArn"
  std::optional<std::string> next_page_token;   ///< "NextPageToken"
};

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
struct cost_and_usage_request : cost_and_usage_fields {
  /// "GetCostAndUsage".
  static constexpr std::string_view operation_name = "GetCostAndUsage";
  /// The X-Amz-Target header value.
  static constexpr std::string_view target = "AWSInsightsIndexService.GetCostAndUsage";

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
struct cost_and_usage_with_resources_request : cost_and_usage_fields {
  /// "GetCostAndUsageWithResources".
  static constexpr std::string_view operation_name = "GetCostAndUsageWithResources";
  /// The X-Amz-Target header value.
  static constexpr std::string_view target = "AWSInsightsIndexService.GetCostAndUsageWithResources";

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

/// GetTags (shape `GetTagsRequest`): the tag keys of a period, or with
/// `tag_key` the values of that key. Required: time_period. Rules:
/// - TimePeriod: dates or date-times (same form), End after Start; with
///   `ctx.today`, Start not after today;
/// - TagKey: shape `TagKey`, at most 1024 characters, valid UTF-8;
/// - SearchString: shape `SearchString`, at most 1024 characters;
/// - Filter: `validate_expression(filter, operation::get_tags)`;
/// - SortBy: keys are metric names (`metric_names`), no duplicates; with
///   SortBy, NextPageToken and SearchString must be unset (SortBy docs:
///   "When you use SortBy, NextPageToken and SearchString aren't supported");
/// - MaxResults: 1..1000 ("For GetTags, MaxResults has an upper quota of
///   1000"), and only together with SortBy ("only used when SortBy is
///   provided"; refused rather than silently ignored);
/// - BillingViewArn, NextPageToken as for GetCostAndUsage.
struct tags_request {
  /// "GetTags".
  static constexpr std::string_view operation_name = "GetTags";
  /// The X-Amz-Target header value.
  static constexpr std::string_view target = "AWSInsightsIndexService.GetTags";

  std::optional<std::string> search_string;     ///< "SearchString"
  date_interval time_period;                    ///< "TimePeriod" (required)
  std::optional<std::string> tag_key;           ///< "TagKey": values of this key instead of the keys
  std::optional<expression> filter;             ///< "Filter"
  std::vector<sort_definition> sort_by;         ///< "SortBy"
  std::optional<std::string> billing_view_arn;  ///< "BillingViewArn"
  std::optional<std::int64_t> max_results;      ///< "MaxResults"
  std::optional<std::string> next_page_token;   ///< "NextPageToken"

  /// Checks every rule; the first failure as errc::invalid_argument.
  status validate() const { return validate(validation_context{}); }
  /// As `validate()`, plus the date rule when `ctx.today` is set.
  status validate(const validation_context& ctx) const;
  /// Validates, then serializes the body (members in model order).
  result<std::string> to_json() const { return to_json(validation_context{}); }
  /// As `to_json()` with a context.
  result<std::string> to_json(const validation_context& ctx) const;
  /// The body for the page after `token`, without copying the request.
  result<std::string> to_json_for_page(std::string_view token, const validation_context& ctx = {}) const;
  /// Sets or clears the NextPageToken in place.
  void set_next_page_token(std::optional<std::string> token) { next_page_token = std::move(token); }
};

/// GetCostCategories (shape `GetCostCategoriesRequest`): the cost category
/// names with costs in a period, or with `cost_category_name` the values of
/// that category. Required: time_period. Rules: as `tags_request`, with
/// CostCategoryName a valid shape `CostCategoryName`
/// (`validate_cost_category_name`) instead of TagKey, the Filter checked for
/// operation::get_cost_categories, and MaxResults' quota of 1000 from
/// GetCostCategoriesRequest.MaxResults.
struct cost_categories_request {
  /// "GetCostCategories".
  static constexpr std::string_view operation_name = "GetCostCategories";
  /// The X-Amz-Target header value.
  static constexpr std::string_view target = "AWSInsightsIndexService.GetCostCategories";

  std::optional<std::string> search_string;       ///< "SearchString": names, or with a name its values
  date_interval time_period;                      ///< "TimePeriod" (required)
  std::optional<std::string> cost_category_name;  ///< "CostCategoryName": values of this category
  std::optional<expression> filter;               ///< "Filter"
  std::vector<sort_definition> sort_by;           ///< "SortBy"
  std::optional<std::string> billing_view_arn;    ///< "BillingViewArn"
  std::optional<std::int64_t> max_results;        ///< "MaxResults"
  std::optional<std::string> next_page_token;     ///< "NextPageToken"

  /// Checks every rule; the first failure as errc::invalid_argument.
  status validate() const { return validate(validation_context{}); }
  /// As `validate()`, plus the date rule when `ctx.today` is set.
  status validate(const validation_context& ctx) const;
  /// Validates, then serializes the body (members in model order).
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

}  // namespace ce
}  // namespace v0
}  // namespace finops_crawler

#if FINOPS_CRAWLER_HEADER_ONLY
#include "finops_crawler/aws/ce/requests-inl.hpp"
#endif

#endif  // FINOPS_CRAWLER_AWS_CE_REQUESTS_HPP
