#ifndef FINOPS_CRAWLER_AWS_CE_REQUESTS_INL_HPP
#define FINOPS_CRAWLER_AWS_CE_REQUESTS_INL_HPP
/// \file
/// The bodies of aws/ce/requests.hpp: included by that header in header-only
/// mode, compiled once in src/ otherwise (config.hpp). Not for direct inclusion.

#include "finops_crawler/aws/ce/requests.hpp"

namespace finops_crawler {
inline namespace v0 {
namespace ce {

FINOPS_CRAWLER_FUNC std::optional<year_month_day> parse_year_month_day(std::string_view s) noexcept {
  namespace fd = finops_crawler::detail;
  if (s.size() != 10 && s.size() != 20) return std::nullopt;
  unsigned year = 0, month = 0, day = 0;
  if (!fd::read_digits(s, 0, 4, year) || s[4] != '-' || !fd::read_digits(s, 5, 2, month) || s[7] != '-' ||
      !fd::read_digits(s, 8, 2, day)) {
    return std::nullopt;
  }
  if (month < 1 || month > 12 || day < 1 || day > fd::days_in_month(year, month)) return std::nullopt;
  year_month_day out;
  out.days = fd::days_from_civil(year, month, day);
  if (s.size() == 10) return out;
  unsigned hh = 0, mm = 0, ss = 0;
  if (s[10] != 'T' || !fd::read_digits(s, 11, 2, hh) || s[13] != ':' || !fd::read_digits(s, 14, 2, mm) ||
      s[16] != ':' || !fd::read_digits(s, 17, 2, ss) || s[19] != 'Z') {
    return std::nullopt;
  }
  if (hh > 23 || mm > 59 || ss > 59) return std::nullopt;
  out.has_time = true;
  out.second_of_day = static_cast<std::int32_t>(hh * 3600 + mm * 60 + ss);
  return out;
}

FINOPS_CRAWLER_FUNC std::string utc_today() {
  return calendar_date::from_time(std::chrono::system_clock::now()).to_string();
}

FINOPS_CRAWLER_FUNC std::string_view to_string(operation op) noexcept {
  switch (op) {
    case operation::get_cost_and_usage: return "GetCostAndUsage";
    case operation::get_cost_and_usage_with_resources: return "GetCostAndUsageWithResources";
    case operation::get_dimension_values: return "GetDimensionValues";
    case operation::get_cost_forecast: return "GetCostForecast";
    case operation::get_tags: return "GetTags";
    case operation::get_cost_categories: return "GetCostCategories";
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

FINOPS_CRAWLER_FUNC status ce_fail(std::string message) { return status(errc::invalid_argument, std::move(message)); }

/// A string field with model length bounds (code points) that must be valid UTF-8.
FINOPS_CRAWLER_FUNC status ce_check_string(std::string_view value, std::string_view field, std::size_t min_len,
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
FINOPS_CRAWLER_FUNC status ce_parse_dimension(std::string_view key, std::string_view field, ce::dimension& out) {
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
FINOPS_CRAWLER_FUNC std::string ce_dimension_refusal(ce::operation op, ce::dimension d) {
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

FINOPS_CRAWLER_FUNC status ce_check_match_options(const std::vector<ce::match_option>& options, bool is_dimension,
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

FINOPS_CRAWLER_FUNC status ce_check_values(const std::optional<std::vector<std::string>>& values, const std::string& path,
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

FINOPS_CRAWLER_FUNC status ce_validate_expression(const ce::expression& e, const std::optional<ce::operation>& op,
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

FINOPS_CRAWLER_FUNC void ce_write_key_values(json_writer& w, const ce::key_values& kv) {
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

FINOPS_CRAWLER_FUNC void ce_write_expression(json_writer& w, const ce::expression& e, std::size_t depth) {
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

FINOPS_CRAWLER_FUNC status ce_check_metrics(const std::vector<std::string>& metrics, std::string_view op_name) {
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

FINOPS_CRAWLER_FUNC status ce_check_group_by(const std::vector<ce::group_by>& groups, ce::operation op) {
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

FINOPS_CRAWLER_FUNC status ce_check_page_token(const std::optional<std::string_view>& token,
                                  std::string_view field = "NextPageToken") {
  if (!token) return {};
  if (token->empty()) {
    return ce_fail(std::string(field) + " is empty; leave it unset for the first page and set it to the token "
                                        "of the previous response after that");
  }
  return ce_check_string(*token, field, 1, 8192, "NextPageToken");
}

FINOPS_CRAWLER_FUNC std::optional<std::string_view> ce_token_view(const std::optional<std::string>& t) {
  if (!t) return std::nullopt;
  return std::string_view(*t);
}

/// Checks a DateInterval. `times`: 1 requires date-times, 0 requires dates,
/// -1 accepts either (same form for both ends).
FINOPS_CRAWLER_FUNC status ce_check_time_period(const ce::date_interval& tp, int times, std::string_view why_times,
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
    // The only window is the 14 days of resource-level and hourly data.
    const calendar_date earliest = ce::resource_level_earliest_start(calendar_date::from_days(today->days));
    if (max_age_days > 0 && start->days < earliest.days_since_epoch()) {
      return ce_fail("TimePeriod.Start " + ce_quote(tp.start) + " is more than " + std::to_string(max_age_days) +
                     " days before today (" + ctx.today + "): " + std::string(why_age) +
                     "; the earliest Start is " + earliest.to_string());
    }
  }
  if (start_out) *start_out = start;
  return {};
}

FINOPS_CRAWLER_FUNC bool ce_is_ec2_service_filter(const ce::expression& e, std::size_t depth) {
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

FINOPS_CRAWLER_FUNC bool ce_mentions_resource_id(const ce::expression& e, std::size_t depth) {
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
FINOPS_CRAWLER_FUNC status ce_in(std::string_view op_name, status s) {
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

FINOPS_CRAWLER_FUNC bool filter_dimension_allowed(operation op, dimension d) noexcept {
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
    case operation::get_tags:
    case operation::get_cost_categories:
      return d != dimension::linked_account_name && d != dimension::service_code &&
             d != dimension::anomaly_total_impact_absolute && d != dimension::anomaly_total_impact_percentage;
  }
  return false;
}

FINOPS_CRAWLER_FUNC bool group_by_dimension_allowed(operation op, dimension d) noexcept {
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

FINOPS_CRAWLER_FUNC status validate_expression(const expression& e, std::optional<operation> op, std::string_view path) {
  return finops_crawler::detail::ce_validate_expression(e, op, std::string(path), 1);
}

FINOPS_CRAWLER_FUNC void write_expression(finops_crawler::detail::json_writer& w, const expression& e) {
  finops_crawler::detail::ce_write_expression(w, e, 1);
}

FINOPS_CRAWLER_FUNC result<std::string> expression::to_json() const {
  if (status s = validate_expression(*this); !s) return s.error();
  finops_crawler::detail::json_writer w;
  write_expression(w, *this);
  return std::move(w).finish();
}

FINOPS_CRAWLER_FUNC status validate_cost_category_name(std::string_view name, std::string_view field) {
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

FINOPS_CRAWLER_FUNC status validate_billing_view_arn(std::string_view arn, std::string_view field) {
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

/// The SortBy, MaxResults and NextPageToken rules GetDimensionValues,
/// GetTags and GetCostCategories share (their SortBy docs: the keys are
/// metric names, and "when using SortBy, NextPageToken and SearchString
/// aren't supported"; MaxResults is "only used when SortBy is provided",
/// with "an upper quota of 1000"). `max_results_doc` names the member
/// cited in the message.
FINOPS_CRAWLER_FUNC status ce_check_sort_by(const std::vector<ce::sort_definition>& sort_by, bool has_search_string,
                                            const std::optional<std::string_view>& token,
                                            const std::optional<std::int64_t>& max_results,
                                            std::string_view max_results_doc) {
  for (std::size_t i = 0; i < sort_by.size(); ++i) {
    const auto& sd = sort_by[i];
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
      if (sort_by[j].key == sd.key) return ce_fail(field + ".Key " + sd.key + " is listed twice in SortBy");
    }
  }
  if (!sort_by.empty()) {
    if (token) return ce_fail("NextPageToken is not supported together with SortBy");
    if (has_search_string) return ce_fail("SearchString is not supported together with SortBy");
  }
  if (max_results) {
    if (sort_by.empty()) {
      return ce_fail("MaxResults is only used together with SortBy (" + std::string(max_results_doc) +
                     "); remove it or add SortBy");
    }
    if (*max_results < 1 || *max_results > 1000) {
      return ce_fail("MaxResults must be 1..1000 (" + std::string(max_results_doc) + "), got " +
                     std::to_string(*max_results));
    }
  }
  return {};
}

FINOPS_CRAWLER_FUNC status ce_validate_dimension_values(const ce::dimension_values_request& r, const ce::validation_context& ctx,
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
  if (!r.sort_by.empty() && c != ce::context::cost_and_usage) {
    // SortBy docs: "When you specify a SortBy paramater, the context must be
    // COST_AND_USAGE."
    return ce_fail("SortBy needs Context COST_AND_USAGE");
  }
  if (status s = ce_check_sort_by(r.sort_by, r.search_string.has_value(), token, r.max_results,
                                  "GetDimensionValuesRequest.MaxResults");
      !s) {
    return s;
  }
  if (r.billing_view_arn) {
    if (status s = ce::validate_billing_view_arn(*r.billing_view_arn); !s) return s;
  }
  return ce_check_page_token(token);
}

FINOPS_CRAWLER_FUNC result<std::string> ce_dimension_values_json(const ce::dimension_values_request& r,
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

/// GetTags and GetCostCategories: the same members around a different key
/// (TagKey or CostCategoryName), in the same model order.
template <class Request>
status ce_validate_key_listing(const Request& r, ce::operation op, const std::optional<std::string>& key,
                               const ce::validation_context& ctx, const std::optional<std::string_view>& token) {
  if (status s = ce_check_time_period(r.time_period, -1, "", ctx, 0, ""); !s) return s;
  if (key) {
    if (op == ce::operation::get_tags) {
      if (status s = ce_check_string(*key, "TagKey", 0, 1024, "TagKey"); !s) return s;
    } else if (status s = ce::validate_cost_category_name(*key, "CostCategoryName"); !s) {
      return s;
    }
  }
  if (r.search_string) {
    if (status s = ce_check_string(*r.search_string, "SearchString", 0, 1024, "SearchString"); !s) return s;
  }
  if (r.filter) {
    if (status s = ce::validate_expression(*r.filter, op); !s) return s;
  }
  if (status s = ce_check_sort_by(r.sort_by, r.search_string.has_value(), token, r.max_results,
                                  op == ce::operation::get_tags ? "GetTagsRequest.MaxResults"
                                                                : "GetCostCategoriesRequest.MaxResults");
      !s) {
    return s;
  }
  if (r.billing_view_arn) {
    if (status s = ce::validate_billing_view_arn(*r.billing_view_arn); !s) return s;
  }
  return ce_check_page_token(token);
}

template <class Request>
result<std::string> ce_key_listing_json(const Request& r, ce::operation op, const std::optional<std::string>& key,
                                        const ce::validation_context& ctx,
                                        const std::optional<std::string_view>& token) {
  if (status s = ce_in(r.operation_name, ce_validate_key_listing(r, op, key, ctx, token)); !s) return s.error();
  json_writer w;
  w.begin_object();
  if (r.search_string) w.key("SearchString").string(*r.search_string);
  w.key("TimePeriod").begin_object().key("Start").string(r.time_period.start).key("End").string(r.time_period.end)
      .end_object();
  if (key) w.key(op == ce::operation::get_tags ? "TagKey" : "CostCategoryName").string(*key);
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

FINOPS_CRAWLER_FUNC status cost_and_usage_request::validate(const validation_context& ctx) const {
  namespace d = finops_crawler::detail;
  return d::ce_in(operation_name, d::ce_validate_cost_and_usage_like(*this, operation::get_cost_and_usage, ctx,
                                                                     d::ce_token_view(next_page_token)));
}

FINOPS_CRAWLER_FUNC result<std::string> cost_and_usage_request::to_json(const validation_context& ctx) const {
  namespace d = finops_crawler::detail;
  return d::ce_cost_and_usage_json(*this, operation::get_cost_and_usage, ctx, d::ce_token_view(next_page_token));
}

FINOPS_CRAWLER_FUNC result<std::string> cost_and_usage_request::to_json_for_page(std::string_view token,
                                                                    const validation_context& ctx) const {
  return finops_crawler::detail::ce_cost_and_usage_json(*this, operation::get_cost_and_usage, ctx,
                                                        std::optional<std::string_view>(token));
}

FINOPS_CRAWLER_FUNC status cost_and_usage_with_resources_request::validate(const validation_context& ctx) const {
  namespace d = finops_crawler::detail;
  return d::ce_in(operation_name,
                  d::ce_validate_cost_and_usage_like(*this, operation::get_cost_and_usage_with_resources, ctx,
                                                     d::ce_token_view(next_page_token)));
}

FINOPS_CRAWLER_FUNC result<std::string> cost_and_usage_with_resources_request::to_json(const validation_context& ctx) const {
  namespace d = finops_crawler::detail;
  return d::ce_cost_and_usage_json(*this, operation::get_cost_and_usage_with_resources, ctx,
                                   d::ce_token_view(next_page_token));
}

FINOPS_CRAWLER_FUNC result<std::string> cost_and_usage_with_resources_request::to_json_for_page(
    std::string_view token, const validation_context& ctx) const {
  return finops_crawler::detail::ce_cost_and_usage_json(*this, operation::get_cost_and_usage_with_resources, ctx,
                                                        std::optional<std::string_view>(token));
}

// --- GetDimensionValues -----------------------------------------------------

FINOPS_CRAWLER_FUNC status dimension_values_request::validate(const validation_context& ctx) const {
  namespace d = finops_crawler::detail;
  return d::ce_in(operation_name, d::ce_validate_dimension_values(*this, ctx, d::ce_token_view(next_page_token)));
}

FINOPS_CRAWLER_FUNC result<std::string> dimension_values_request::to_json(const validation_context& ctx) const {
  namespace d = finops_crawler::detail;
  return d::ce_dimension_values_json(*this, ctx, d::ce_token_view(next_page_token));
}

FINOPS_CRAWLER_FUNC result<std::string> dimension_values_request::to_json_for_page(std::string_view token,
                                                                      const validation_context& ctx) const {
  return finops_crawler::detail::ce_dimension_values_json(*this, ctx, std::optional<std::string_view>(token));
}

// --- GetTags / GetCostCategories --------------------------------------------

FINOPS_CRAWLER_FUNC status tags_request::validate(const validation_context& ctx) const {
  namespace d = finops_crawler::detail;
  return d::ce_in(operation_name,
                  d::ce_validate_key_listing(*this, operation::get_tags, tag_key, ctx, d::ce_token_view(next_page_token)));
}

FINOPS_CRAWLER_FUNC result<std::string> tags_request::to_json(const validation_context& ctx) const {
  namespace d = finops_crawler::detail;
  return d::ce_key_listing_json(*this, operation::get_tags, tag_key, ctx, d::ce_token_view(next_page_token));
}

FINOPS_CRAWLER_FUNC result<std::string> tags_request::to_json_for_page(std::string_view token,
                                                          const validation_context& ctx) const {
  return finops_crawler::detail::ce_key_listing_json(*this, operation::get_tags, tag_key, ctx,
                                                     std::optional<std::string_view>(token));
}

FINOPS_CRAWLER_FUNC status cost_categories_request::validate(const validation_context& ctx) const {
  namespace d = finops_crawler::detail;
  return d::ce_in(operation_name, d::ce_validate_key_listing(*this, operation::get_cost_categories, cost_category_name,
                                                             ctx, d::ce_token_view(next_page_token)));
}

FINOPS_CRAWLER_FUNC result<std::string> cost_categories_request::to_json(const validation_context& ctx) const {
  namespace d = finops_crawler::detail;
  return d::ce_key_listing_json(*this, operation::get_cost_categories, cost_category_name, ctx,
                                d::ce_token_view(next_page_token));
}

FINOPS_CRAWLER_FUNC result<std::string> cost_categories_request::to_json_for_page(std::string_view token,
                                                                     const validation_context& ctx) const {
  return finops_crawler::detail::ce_key_listing_json(*this, operation::get_cost_categories, cost_category_name, ctx,
                                                     std::optional<std::string_view>(token));
}

// --- GetCostForecast --------------------------------------------------------

FINOPS_CRAWLER_FUNC status cost_forecast_request::validate() const {
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

FINOPS_CRAWLER_FUNC result<std::string> cost_forecast_request::to_json() const {
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

#endif  // FINOPS_CRAWLER_AWS_CE_REQUESTS_INL_HPP
