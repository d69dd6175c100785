#include "finops_crawler/aws/ce/requests.hpp"

#include <doctest/doctest.h>

#include <string>
#include <vector>

using namespace finops_crawler;
using ce::expression;

namespace {

ce::cost_and_usage_request base_request() {
  ce::cost_and_usage_request r;
  r.time_period = {"2025-01-01", "2025-02-01"};
  r.granularity = ce::granularity::daily;
  r.metrics = {"UnblendedCost"};
  return r;
}

ce::cost_and_usage_with_resources_request base_resources_request() {
  ce::cost_and_usage_with_resources_request r;
  r.time_period = {"2025-03-02", "2025-03-15"};
  r.granularity = ce::granularity::daily;
  r.metrics = {"UnblendedCost"};
  r.filter = expression::dimension("SERVICE", {"Amazon Elastic Compute Cloud - Compute"});
  r.group_by = {ce::group_by::dimension("RESOURCE_ID")};
  return r;
}

ce::dimension_values_request base_dimension_values() {
  ce::dimension_values_request r;
  r.time_period = {"2025-01-01", "2025-02-01"};
  r.dimension = "SERVICE";
  return r;
}

ce::cost_forecast_request base_forecast() {
  ce::cost_forecast_request r;
  r.time_period = {"2025-06-01", "2025-09-01"};
  r.metric = "UNBLENDED_COST";
  r.granularity = ce::granularity::monthly;
  return r;
}

/// The request is refused with invalid_argument and a message containing `part`.
template <class Request>
void check_rejected(const Request& r, const std::string& part) {
  const status s = r.validate();
  CHECK_FALSE(s);
  CHECK(s.code() == errc::invalid_argument);
  CAPTURE(s.error().message);
  CHECK(s.error().message.find(part) != std::string::npos);
  const auto j = r.to_json();  // to_json must refuse too: nothing is sent
  CHECK_FALSE(j);
  CHECK(j.code() == errc::invalid_argument);
}

template <class Request>
void check_accepted(const Request& r) {
  const status s = r.validate();
  CAPTURE(s.error().message);
  CHECK(s);
  CHECK(r.to_json().has_value());
}

void check_filter_rejected(const expression& f, const std::string& part) {
  auto r = base_request();
  r.filter = f;
  check_rejected(r, part);
}

void check_filter_accepted(const expression& f) {
  auto r = base_request();
  r.filter = f;
  check_accepted(r);
}

expression nested_nots(std::size_t levels) {
  expression e = expression::dimension("SERVICE", {"x"});
  for (std::size_t i = 1; i < levels; ++i) e = expression::not_(std::move(e));
  return e;
}

}  // namespace

// ---------------------------------------------------------------------------
// Dates

TEST_CASE("YearMonthDay parsing: real calendar dates and date-times only") {
  CHECK(ce::parse_year_month_day("2025-01-31"));
  CHECK(ce::parse_year_month_day("2024-02-29"));  // leap year
  CHECK(ce::parse_year_month_day("2000-02-29"));  // divisible by 400
  CHECK_FALSE(ce::parse_year_month_day("1900-02-29"));
  CHECK_FALSE(ce::parse_year_month_day("2023-02-29"));
  CHECK_FALSE(ce::parse_year_month_day("2025-02-30"));
  CHECK_FALSE(ce::parse_year_month_day("2025-04-31"));
  CHECK_FALSE(ce::parse_year_month_day("2025-13-01"));
  CHECK_FALSE(ce::parse_year_month_day("2025-00-10"));
  CHECK_FALSE(ce::parse_year_month_day("2025-01-00"));
  CHECK_FALSE(ce::parse_year_month_day("2025-1-01"));
  CHECK_FALSE(ce::parse_year_month_day("2025/01/01"));
  CHECK_FALSE(ce::parse_year_month_day(" 2025-01-01"));
  CHECK_FALSE(ce::parse_year_month_day(""));
  const auto t = ce::parse_year_month_day("2025-01-01T13:05:09Z");
  REQUIRE(t);
  CHECK(t->has_time);
  CHECK(t->second_of_day == 13 * 3600 + 5 * 60 + 9);
  CHECK(t->days == 20089);
  CHECK(ce::parse_year_month_day("1970-01-01")->days == 0);
  CHECK_FALSE(ce::parse_year_month_day("2025-01-01T24:00:00Z"));
  CHECK_FALSE(ce::parse_year_month_day("2025-01-01T10:60:00Z"));
  CHECK_FALSE(ce::parse_year_month_day("2025-01-01T10:00:60Z"));
  CHECK_FALSE(ce::parse_year_month_day("2025-01-01T10:00:00"));
  CHECK_FALSE(ce::parse_year_month_day("2025-01-01T10:00:00+01:00"));
  CHECK_FALSE(ce::parse_year_month_day("2025-01-01 10:00:00Z"));
  const auto today = ce::utc_today();
  CHECK(ce::parse_year_month_day(today));
}

TEST_CASE("TimePeriod rules") {
  SUBCASE("required ends") {
    auto r = base_request();
    r.time_period.start.clear();
    check_rejected(r, "TimePeriod.Start is required");
    r = base_request();
    r.time_period.end.clear();
    check_rejected(r, "TimePeriod.End is required");
  }
  SUBCASE("real dates") {
    auto r = base_request();
    r.time_period = {"2025-02-01", "2025-02-30"};
    check_rejected(r, "TimePeriod.End \"2025-02-30\" is not a real date");
    r.time_period = {"2025-2-01", "2025-03-01"};
    check_rejected(r, "TimePeriod.Start \"2025-2-01\" is not a real date");
    r.time_period = {"2024-02-29", "2024-03-01"};
    check_accepted(r);
  }
  SUBCASE("End after Start, End exclusive") {
    auto r = base_request();
    r.time_period = {"2025-01-02", "2025-01-02"};
    check_rejected(r, "must be after TimePeriod.Start");
    r.time_period = {"2025-01-03", "2025-01-02"};
    check_rejected(r, "must be after TimePeriod.Start");
    r.time_period = {"2025-01-02", "2025-01-03"};
    check_accepted(r);
  }
  SUBCASE("HOURLY needs date-times, DAILY and MONTHLY need dates") {
    auto r = base_request();
    r.granularity = ce::granularity::hourly;
    check_rejected(r, "HOURLY granularity needs date-times");
    r.time_period = {"2025-01-01T00:00:00Z", "2025-01-01T06:00:00Z"};
    check_accepted(r);
    r.time_period = {"2025-01-01T06:00:00Z", "2025-01-01T06:00:00Z"};
    check_rejected(r, "must be after");
    r.time_period = {"2025-01-01T00:00:00Z", "2025-01-02T00:00:00Z"};
    r.granularity = ce::granularity::monthly;
    check_rejected(r, "must use dates YYYY-MM-DD");
    r.time_period = {"2025-01-01", "2025-01-02T00:00:00Z"};
    check_rejected(r, "both be dates or both be date-times");
  }
  SUBCASE("with today: Start not in the future, HOURLY only 14 days back") {
    auto r = base_request();
    ce::validation_context ctx;
    ctx.today = "2025-01-15";
    r.time_period = {"2025-01-16", "2025-01-20"};
    CHECK(r.validate());  // no clock without a context
    auto s = r.validate(ctx);
    CHECK(s.code() == errc::invalid_argument);
    CHECK(s.error().message.find("is after today (2025-01-15)") != std::string::npos);
    CHECK_FALSE(r.to_json(ctx));
    r.time_period = {"2025-01-15", "2025-01-16"};
    CHECK(r.validate(ctx));

    r.granularity = ce::granularity::hourly;
    r.time_period = {"2024-12-31T23:00:00Z", "2025-01-02T00:00:00Z"};
    s = r.validate(ctx);
    CHECK_FALSE(s);
    CHECK(s.error().message.find("the earliest Start is 2025-01-01") != std::string::npos);
    r.time_period = {"2025-01-01T00:00:00Z", "2025-01-02T00:00:00Z"};  // exactly 14 days ago
    CHECK(r.validate(ctx));

    ctx.today = "15/01/2025";
    s = r.validate(ctx);
    CHECK(s.error().message.find("validation_context.today") != std::string::npos);
  }
}

// ---------------------------------------------------------------------------
// Granularity and metrics

TEST_CASE("Granularity is required") {
  auto r = base_request();
  r.granularity.reset();
  check_rejected(r, "Granularity is required");
}

TEST_CASE("Metrics: the seven documented names, at least one, no duplicates") {
  auto r = base_request();
  r.metrics = {"AmortizedCost", "BlendedCost", "NetAmortizedCost", "NetUnblendedCost", "NormalizedUsageAmount",
               "UnblendedCost", "UsageQuantity"};
  check_accepted(r);
  r.metrics.clear();
  check_rejected(r, "Metrics is required by GetCostAndUsage");
  r.metrics = {"UnblendedCost", "BlendedCost", "UnblendedCost"};
  check_rejected(r, "Metrics[2] UnblendedCost is listed twice");
  r.metrics = {"unblendedcost"};
  check_rejected(r, "Metrics[0] \"unblendedcost\" is not a metric name; did you mean UnblendedCost?");
  r.metrics = {"UNBLENDED_COST"};
  check_rejected(r, "did you mean UnblendedCost?");
  r.metrics = {"BlendedCosts"};
  check_rejected(r, "did you mean BlendedCost?");
  r.metrics = {"amortized-cost"};
  check_rejected(r, "did you mean AmortizedCost?");
  r.metrics = {"Dollars"};
  check_rejected(r, "\"Dollars\" is not a metric name (valid: AmortizedCost,");
}

TEST_CASE("spelling hints") {
  CHECK(ce::spelling_hint("unblendedcost", ce::metric_names) == "UnblendedCost");
  CHECK(ce::spelling_hint("UnblendedCost", ce::forecast_metric_names) == "UNBLENDED_COST");
  CHECK(ce::spelling_hint("linked_account", ce::dimension_names) == "LINKED_ACCOUNT");
  CHECK(ce::spelling_hint("REGON", ce::dimension_names) == "REGION");
  CHECK(ce::spelling_hint("xyzzy", ce::dimension_names).empty());
  CHECK(ce::spelling_hint("UnblendedCost", ce::metric_names).empty());  // already right
  CHECK(ce::spelling_hint("", ce::metric_names).empty());
}

// ---------------------------------------------------------------------------
// GroupBy

TEST_CASE("GroupBy rules") {
  auto r = base_request();
  r.group_by = {ce::group_by::dimension("SERVICE"), ce::group_by::tag("team")};
  check_accepted(r);
  r.group_by = {ce::group_by::dimension("REGION"), ce::group_by::cost_category("Team-Cost_1")};
  check_accepted(r);
  r.group_by = {ce::group_by::dimension("SERVICE"), ce::group_by::dimension("REGION"),
                ce::group_by::dimension("AZ")};
  check_rejected(r, "GroupBy has 3 groups; AWS groups by at most 2");
  r.group_by = {ce::group_by::tag("team"), ce::group_by::tag("team")};
  check_rejected(r, "GroupBy[1] repeats GroupBy[0]");
  r.group_by = {ce::group_by::tag("team"), ce::group_by::tag("Team")};  // tag keys are case-sensitive
  check_accepted(r);
  r.group_by = {ce::group_by::tag("")};
  check_rejected(r, "GroupBy[0].Key is empty");
  r.group_by = {ce::group_by::dimension("service")};
  check_rejected(r, "GroupBy[0].Key \"service\" is not a Cost Explorer dimension (shape Dimension); did you mean "
                    "SERVICE?");
  r.group_by = {ce::group_by::dimension("RESOURCE_ID")};
  check_rejected(r, "only GetCostAndUsageWithResources groups by RESOURCE_ID");
  r.group_by = {ce::group_by::dimension("RIGHTSIZING_TYPE")};
  check_rejected(r, "RIGHTSIZING_TYPE cannot be grouped by in GetCostAndUsage");
  r.group_by = {ce::group_by::tag(std::string(1025, 'k'))};
  check_rejected(r, "GroupBy[0].Key must be 1..1024 characters long");
  r.group_by = {ce::group_by::tag(std::string(1024, 'k'))};
  check_accepted(r);
  r.group_by = {ce::group_by::tag("\xFF")};
  check_rejected(r, "GroupBy[0].Key is not valid UTF-8");
}

TEST_CASE("GroupBy dimension tables") {
  for (auto d : ce::group_by_documented_dimensions) {
    CAPTURE(ce::to_string(d));
    CHECK(ce::group_by_dimension_allowed(ce::operation::get_cost_and_usage, d));
  }
  CHECK(ce::group_by_dimension_allowed(ce::operation::get_cost_and_usage, ce::dimension::region));
  CHECK_FALSE(ce::group_by_dimension_allowed(ce::operation::get_cost_and_usage, ce::dimension::resource_id));
  CHECK(ce::group_by_dimension_allowed(ce::operation::get_cost_and_usage_with_resources, ce::dimension::resource_id));
  CHECK_FALSE(ce::group_by_dimension_allowed(ce::operation::get_cost_forecast, ce::dimension::service));
}

TEST_CASE("CostCategoryName rules") {
  CHECK(ce::validate_cost_category_name("Team", "k"));
  CHECK(ce::validate_cost_category_name("Business Unit-2_x", "k"));
  CHECK(ce::validate_cost_category_name("\xC3\x89quipe", "k"));  // non-ASCII letter
  CHECK(ce::validate_cost_category_name(std::string(50, 'a'), "k"));
  CHECK_FALSE(ce::validate_cost_category_name(std::string(51, 'a'), "k"));
  CHECK_FALSE(ce::validate_cost_category_name("", "k"));
  CHECK(ce::validate_cost_category_name(" Team", "k").error().message.find("start or end with a space") !=
        std::string::npos);
  CHECK_FALSE(ce::validate_cost_category_name("Team ", "k"));
  CHECK(ce::validate_cost_category_name("Team!", "k").error().message.find("contains \"!\"") != std::string::npos);
  CHECK_FALSE(ce::validate_cost_category_name("a/b", "k"));
  auto r = base_request();
  r.group_by = {ce::group_by::cost_category("Bad:Name")};
  check_rejected(r, "GroupBy[0].Key \"Bad:Name\" contains \":\"");
}

// ---------------------------------------------------------------------------
// Filter

TEST_CASE("Filter: exactly one operator per node") {
  expression two = expression::dimension("SERVICE", {"a"});
  two.tags = ce::key_values{std::string("team"), std::vector<std::string>{"x"}, {}};
  check_filter_rejected(two, "Filter: an Expression sets 2 operators");
  check_filter_rejected(expression{}, "Filter: an Expression must set one operator");
  auto nested = expression::and_({expression::dimension("SERVICE", {"a"}), expression{}});
  check_filter_rejected(nested, "Filter.And[1]: an Expression must set one operator");
  check_filter_accepted(expression::dimension("SERVICE", {"a"}));
}

TEST_CASE("Filter: And and Or need at least two operands") {
  check_filter_rejected(expression::and_({}), "Filter.And has 0 expressions; AWS requires at least 2 operands");
  check_filter_rejected(expression::or_({}), "Filter.Or has 0 expressions");
  check_filter_rejected(expression::and_({expression::dimension("SERVICE", {"a"})}),
                        "Filter.And has 1 expression; AWS requires at least 2 operands (use the single expression "
                        "directly)");
  check_filter_rejected(expression::or_({expression::tag("t", {"v"})}), "Filter.Or has 1 expression");
  check_filter_accepted(expression::or_({expression::tag("t", {"v"}), expression::tag("u", {"w"})}));
  check_filter_accepted(
      expression::and_({expression::dimension("SERVICE", {"a"}), expression::not_(expression::tag("t", {"v"})),
                        expression::or_({expression::cost_category("Team", {"x"}),
                                         expression::dimension("REGION", {"us-east-1"})})}));
}

TEST_CASE("Filter: nesting depth limit") {
  check_filter_accepted(nested_nots(ce::max_expression_depth));
  check_filter_rejected(nested_nots(ce::max_expression_depth + 1), "Filter nested deeper than 32 levels");
  // The writer has its own guard, for callers that skip validation.
  finops_crawler::detail::json_writer w;
  ce::write_expression(w, nested_nots(ce::max_expression_depth + 1));
  CHECK(std::move(w).finish().code() == errc::invalid_argument);
}

TEST_CASE("Filter: Dimensions key, values and operation rules") {
  check_filter_rejected(expression::dimension("", {"a"}), "Filter.Dimensions.Key is required");
  expression no_key;
  no_key.dimensions = ce::key_values{std::nullopt, std::vector<std::string>{"a"}, {}};
  check_filter_rejected(no_key, "Filter.Dimensions.Key is required");
  check_filter_rejected(expression::dimension("LINKED_ACOUNT", {"1"}),
                        "\"LINKED_ACOUNT\" is not a Cost Explorer dimension (shape Dimension); did you mean "
                        "LINKED_ACCOUNT?");
  check_filter_rejected(expression::dimension("RESOURCE_ID", {"i-1"}),
                        "Filter.Dimensions.Key RESOURCE_ID is only accepted by GetCostAndUsageWithResources");
  check_filter_rejected(expression::dimension("LINKED_ACCOUNT_NAME", {"a"}), "can only be used in CostCategoryRule");
  check_filter_rejected(expression::dimension("ANOMALY_TOTAL_IMPACT_ABSOLUTE", {"1"}),
                        "can only be used in AnomalySubscriptions");
  expression no_values;
  no_values.dimensions = ce::key_values{std::string("SERVICE"), std::nullopt, {}};
  check_filter_rejected(no_values, "Filter.Dimensions.Values is required");
  check_filter_rejected(expression::dimension("SERVICE", {}), "Filter.Dimensions.Values is empty");
  check_filter_rejected(expression::dimension("SERVICE", {std::string(1025, 'v')}),
                        "Filter.Dimensions.Values[0] must be 0..1024 characters long");
  check_filter_accepted(expression::dimension("SERVICE", {std::string(1024, 'v')}));
  // 1024 characters of a 2-byte letter: the limit counts characters, not bytes.
  std::string wide;
  for (int i = 0; i < 1024; ++i) wide += "\xC3\xA9";
  check_filter_accepted(expression::dimension("SERVICE", {wide}));
  check_filter_rejected(expression::dimension("SERVICE", {"ok", "\xE0\x80\xAF"}),
                        "Filter.Dimensions.Values[1] is not valid UTF-8: overlong encoding");
  check_filter_accepted(expression::dimension("SERVICE", {""}));  // shape Value allows 0 characters
  check_filter_accepted(expression::dimension("INVOICING_ENTITY", {"Amazon Web Services, Inc."}));
  check_filter_accepted(expression::dimension("SUBSCRIPTION_ID", {"123"}));  // listed for forecast filters
}

TEST_CASE("Filter: MatchOptions per node kind") {
  using mo = ce::match_option;
  check_filter_accepted(expression::dimension("SERVICE", {"a"}, {mo::equals, mo::case_sensitive}));
  check_filter_rejected(expression::dimension("SERVICE", {"a"}, {mo::absent}),
                        "Filter.Dimensions.MatchOptions[0] ABSENT is not accepted here: valid values are EQUALS and "
                        "CASE_SENSITIVE for Dimensions");
  check_filter_rejected(expression::dimension("LINKED_ACCOUNT", {"a"}, {mo::starts_with}),
                        "STARTS_WITH is not accepted here");
  check_filter_rejected(expression::dimension("SERVICE", {"a"}, {mo::equals, mo::equals}),
                        "Filter.Dimensions.MatchOptions lists EQUALS twice");
  check_filter_accepted(expression::tag("team", {"a"}, {mo::equals, mo::case_sensitive}));
  check_filter_accepted(expression::tag_absent("team"));
  check_filter_accepted(expression::cost_category_absent("Team"));
  check_filter_rejected(expression::tag("team", {"a"}, {mo::contains}),
                        "Filter.Tags.MatchOptions[0] CONTAINS is not accepted here: valid values are EQUALS, ABSENT "
                        "and CASE_SENSITIVE for Tags and CostCategories");
  check_filter_rejected(expression::cost_category("Team", {"a"}, {mo::case_insensitive}),
                        "Filter.CostCategories.MatchOptions[0] CASE_INSENSITIVE");
  check_filter_rejected(expression::tag("team", {"a"}, {mo::greater_than_or_equal}), "GREATER_THAN_OR_EQUAL");
  check_filter_rejected(expression::tag("team", {"a"}, {static_cast<mo>(99)}), "is not a MatchOption value");
}

TEST_CASE("Filter: Tags and CostCategories keys and values") {
  check_filter_rejected(expression::tag("team", {}), "Filter.Tags.Values is empty; list at least one value, or leave "
                                                     "Values out to match a missing key (ABSENT)");
  check_filter_rejected(expression::tag(std::string(1025, 't'), {"a"}), "Filter.Tags.Key must be 0..1024");
  check_filter_rejected(expression::tag("team", {std::string(1025, 'v')}), "Filter.Tags.Values[0] must be 0..1024");
  check_filter_rejected(expression::cost_category(" Team", {"a"}), "Filter.CostCategories.Key");
  check_filter_rejected(expression::cost_category(std::string(51, 'c'), {"a"}),
                        "Filter.CostCategories.Key must be 1..50 characters long (shape CostCategoryName)");
  expression all_untagged;
  all_untagged.tags = ce::key_values{std::nullopt, std::nullopt, {ce::match_option::absent}};
  check_filter_accepted(all_untagged);  // TagValues docs: no Key and no Values = resources with no tags
}

TEST_CASE("Filter dimension tables per operation") {
  using ce::dimension;
  using ce::operation;
  CHECK(ce::filter_dimension_allowed(operation::get_cost_and_usage, dimension::service));
  CHECK_FALSE(ce::filter_dimension_allowed(operation::get_cost_and_usage, dimension::resource_id));
  CHECK(ce::filter_dimension_allowed(operation::get_cost_and_usage_with_resources, dimension::resource_id));
  CHECK_FALSE(ce::filter_dimension_allowed(operation::get_cost_forecast, dimension::invoicing_entity));
  CHECK(ce::filter_dimension_allowed(operation::get_cost_forecast, dimension::savings_plan_arn));
  CHECK(ce::filter_dimension_allowed(operation::get_dimension_values, dimension::payment_option));
  CHECK_FALSE(ce::filter_dimension_allowed(operation::get_dimension_values, dimension::service_code));
  for (auto d : ce::cost_forecast_filter_dimensions) {
    CHECK(ce::filter_dimension_allowed(operation::get_cost_and_usage, d));
  }
  // Without an operation only the shape rules apply.
  CHECK(ce::validate_expression(expression::dimension("RESOURCE_ID", {"i-1"})));
  CHECK_FALSE(ce::validate_expression(expression::dimension("RESOURCE_ID", {"i-1"}), ce::operation::get_cost_and_usage));
}

// ---------------------------------------------------------------------------
// BillingViewArn and NextPageToken

TEST_CASE("BillingViewArn pattern") {
  CHECK(ce::validate_billing_view_arn("arn:aws:billing::123456789012:billingview/primary"));
  CHECK(ce::validate_billing_view_arn("arn:aws-cn:billing::123456789012:billingview/custom-1a2b3c4d"));
  CHECK(ce::validate_billing_view_arn("arn:aws:billing::123456789012:billingview/billing-transfer-abc@x.y:z=+_"));
  CHECK(ce::validate_billing_view_arn("arn:aws:billing::123456789012:billingview/" + std::string(43, 'a')));
  CHECK_FALSE(ce::validate_billing_view_arn("arn:aws:billing::123456789012:billingview/" + std::string(44, 'a')));
  CHECK_FALSE(ce::validate_billing_view_arn("arn:aws:billing::123456789012:billingview/"));
  CHECK_FALSE(ce::validate_billing_view_arn("arn:aws:ce::123456789012:billingview/primary"));
  CHECK_FALSE(ce::validate_billing_view_arn("arn:aws:billing:us-east-1:123456789012:billingview/primary"));
  CHECK_FALSE(ce::validate_billing_view_arn("arn:aws:billing::12345678901:billingview/primary"));
  CHECK_FALSE(ce::validate_billing_view_arn("arn:aws:billing::12345678901x:billingview/primary"));
  CHECK_FALSE(ce::validate_billing_view_arn("arn:aws:billing::123456789012:billingview/pri#mary"));
  CHECK_FALSE(ce::validate_billing_view_arn("arn:AWS:billing::123456789012:billingview/primary"));
  CHECK_FALSE(ce::validate_billing_view_arn("arn:aws:billing::1"));  // shorter than 20
  auto r = base_request();
  r.billing_view_arn = "arn:aws:billing::123456789012:view/primary";
  check_rejected(r, "BillingViewArn \"arn:aws:billing::123456789012:view/primary\" is not a billing view ARN");
  r.billing_view_arn = "arn:aws:billing::123456789012:billingview/primary";
  check_accepted(r);
}

TEST_CASE("NextPageToken length and pagination helpers") {
  auto r = base_request();
  r.next_page_token = "";
  check_rejected(r, "NextPageToken is empty");
  r.next_page_token = std::string(8193, 't');
  check_rejected(r, "NextPageToken must be 1..8192 characters long");
  r.next_page_token = std::string(8192, 't');
  check_accepted(r);
  r.set_next_page_token(std::string("page-2"));
  const auto j = r.to_json();
  REQUIRE(j);
  CHECK(j->find(R"("NextPageToken":"page-2")") != std::string::npos);
  r.set_next_page_token(std::nullopt);
  const auto page3 = r.to_json_for_page("page-3");
  REQUIRE(page3);
  CHECK(*page3 ==
        R"({"TimePeriod":{"Start":"2025-01-01","End":"2025-02-01"},"Granularity":"DAILY","Metrics":["UnblendedCost"],"NextPageToken":"page-3"})");
  CHECK_FALSE(r.next_page_token.has_value());  // to_json_for_page does not modify the request
  CHECK(r.to_json_for_page("").code() == errc::invalid_argument);
  r.metrics.clear();
  CHECK(r.to_json_for_page("page-3").code() == errc::invalid_argument);  // still validates the rest
}

// ---------------------------------------------------------------------------
// Golden bodies

TEST_CASE("GetCostAndUsage golden body") {
  ce::cost_and_usage_request r;
  r.time_period = {"2025-01-01", "2025-02-01"};
  r.granularity = ce::granularity::monthly;
  r.metrics = {"UnblendedCost", "UsageQuantity"};
  r.group_by = {ce::group_by::dimension("SERVICE"), ce::group_by::tag("team")};
  r.filter = expression::and_(
      {expression::dimension("LINKED_ACCOUNT", {"123456789012", "210987654321"}),
       expression::not_(expression::dimension("RECORD_TYPE", {"Credit", "Refund"})),
       expression::or_({expression::tag("cost-center", {"R&D \"core\"", "caf\xC3\xA9\ttab"},
                                        {ce::match_option::equals, ce::match_option::case_sensitive}),
                        expression::tag_absent("cost-center")})});
  r.billing_view_arn = "arn:aws:billing::123456789012:billingview/primary";
  r.next_page_token = "tok\\en";
  const auto j = r.to_json();
  REQUIRE(j);
  CHECK(*j ==
        "{\"TimePeriod\":{\"Start\":\"2025-01-01\",\"End\":\"2025-02-01\"},\"Granularity\":\"MONTHLY\","
        "\"Filter\":{\"And\":[{\"Dimensions\":{\"Key\":\"LINKED_ACCOUNT\",\"Values\":[\"123456789012\","
        "\"210987654321\"]}},{\"Not\":{\"Dimensions\":{\"Key\":\"RECORD_TYPE\",\"Values\":[\"Credit\",\"Refund\"]}}},"
        "{\"Or\":[{\"Tags\":{\"Key\":\"cost-center\",\"Values\":[\"R&D \\\"core\\\"\",\"caf\xC3\xA9\\ttab\"],"
        "\"MatchOptions\":[\"EQUALS\",\"CASE_SENSITIVE\"]}},{\"Tags\":{\"Key\":\"cost-center\",\"MatchOptions\":"
        "[\"ABSENT\"]}}]}]},\"Metrics\":[\"UnblendedCost\",\"UsageQuantity\"],\"GroupBy\":[{\"Type\":\"DIMENSION\","
        "\"Key\":\"SERVICE\"},{\"Type\":\"TAG\",\"Key\":\"team\"}],\"BillingViewArn\":\"arn:aws:billing::"
        "123456789012:billingview/primary\",\"NextPageToken\":\"tok\\\\en\"}");
  CHECK(r.target == "AWSInsightsIndexService.GetCostAndUsage");
}

TEST_CASE("GetCostAndUsage minimal golden body and the brief's builder example") {
  auto r = base_request();
  r.group_by = {ce::group_by::dimension("SERVICE"), ce::group_by::dimension("USAGE_TYPE")};
  const auto j = r.to_json();
  REQUIRE(j);
  CHECK(*j ==
        R"({"TimePeriod":{"Start":"2025-01-01","End":"2025-02-01"},"Granularity":"DAILY","Metrics":["UnblendedCost"],"GroupBy":[{"Type":"DIMENSION","Key":"SERVICE"},{"Type":"DIMENSION","Key":"USAGE_TYPE"}]})");
  auto h = base_request();
  h.granularity = ce::granularity::hourly;
  h.time_period = {"2025-01-01T00:00:00Z", "2025-01-01T12:00:00Z"};
  const auto hj = h.to_json();
  REQUIRE(hj);
  CHECK(*hj ==
        R"({"TimePeriod":{"Start":"2025-01-01T00:00:00Z","End":"2025-01-01T12:00:00Z"},"Granularity":"HOURLY","Metrics":["UnblendedCost"]})");
}

// ---------------------------------------------------------------------------
// GetCostAndUsageWithResources

TEST_CASE("GetCostAndUsageWithResources rules") {
  check_accepted(base_resources_request());
  auto r = base_resources_request();
  r.filter.reset();
  check_rejected(r, "GetCostAndUsageWithResources: Filter is required");
  r = base_resources_request();
  r.filter = expression::dimension("SERVICE", {"Amazon Simple Storage Service"});
  check_rejected(r, "Filter must require SERVICE = \"Amazon Elastic Compute Cloud - Compute\"");
  r.filter = expression::or_({expression::dimension("SERVICE", {"Amazon Elastic Compute Cloud - Compute"}),
                              expression::tag("team", {"a"})});
  check_rejected(r, "Filter must require SERVICE");  // an Or does not restrict the service
  r.filter = expression::and_({expression::tag("team", {"a"}),
                               expression::dimension("SERVICE", {"Amazon Elastic Compute Cloud - Compute"})});
  check_accepted(r);
  r.group_by = {ce::group_by::dimension("SERVICE")};
  check_rejected(r, "requires that you either group by or filter by a ResourceId");
  r.filter = expression::and_({expression::dimension("RESOURCE_ID", {"i-0123456789abcdef0"}),
                               expression::dimension("SERVICE", {"Amazon Elastic Compute Cloud - Compute"})});
  check_accepted(r);
  r = base_resources_request();
  r.metrics.clear();
  check_rejected(r, "Metrics is required by GetCostAndUsageWithResources");
  r = base_resources_request();
  r.group_by = {ce::group_by::dimension("RESOURCE_ID"), ce::group_by::dimension("RIGHTSIZING_TYPE")};
  check_rejected(r, "GroupBy[1].Key RIGHTSIZING_TYPE cannot be grouped by in GetCostAndUsageWithResources");

  ce::validation_context ctx;
  ctx.today = "2025-03-16";
  r = base_resources_request();
  CHECK(r.validate(ctx));  // 2025-03-02 is exactly 14 days back
  r.time_period.start = "2025-03-01";
  const auto s = r.validate(ctx);
  CHECK(s.code() == errc::invalid_argument);
  CHECK(s.error().message.find("resource-level data covers only the last 14 days; the earliest Start is 2025-03-02") !=
        std::string::npos);
  CHECK_FALSE(r.to_json(ctx));
}

TEST_CASE("GetCostAndUsageWithResources golden body") {
  auto r = base_resources_request();
  r.granularity = ce::granularity::hourly;
  r.time_period = {"2025-03-10T00:00:00Z", "2025-03-11T00:00:00Z"};
  r.metrics = {"UnblendedCost", "UsageQuantity"};
  const auto j = r.to_json_for_page("NEXT");
  REQUIRE(j);
  CHECK(*j ==
        R"({"TimePeriod":{"Start":"2025-03-10T00:00:00Z","End":"2025-03-11T00:00:00Z"},"Granularity":"HOURLY","Filter":{"Dimensions":{"Key":"SERVICE","Values":["Amazon Elastic Compute Cloud - Compute"]}},"Metrics":["UnblendedCost","UsageQuantity"],"GroupBy":[{"Type":"DIMENSION","Key":"RESOURCE_ID"}],"NextPageToken":"NEXT"})");
  CHECK(r.target == "AWSInsightsIndexService.GetCostAndUsageWithResources");
}

// ---------------------------------------------------------------------------
// GetDimensionValues

TEST_CASE("GetDimensionValues rules") {
  check_accepted(base_dimension_values());
  auto r = base_dimension_values();
  r.dimension.clear();
  check_rejected(r, "GetDimensionValues: Dimension is required");
  r.dimension = "Service";
  check_rejected(r, "Dimension \"Service\" is not a Cost Explorer dimension (shape Dimension); did you mean SERVICE?");
  r.dimension = "SCOPE";
  check_rejected(r, "Dimension SCOPE is not available in Context COST_AND_USAGE");
  r.context = ce::context::reservations;
  check_accepted(r);
  r.dimension = "PAYMENT_OPTION";
  check_rejected(r, "not available in Context RESERVATIONS");
  r.context = ce::context::savings_plans;
  check_accepted(r);
  r.context.reset();
  r.dimension = "LINKED_ACCOUNT_NAME";
  check_rejected(r, "it can only be used in CostCategoryRule");
  r.dimension = "RESOURCE_ID";  // listed for COST_AND_USAGE
  check_accepted(r);

  r = base_dimension_values();
  r.time_period = {"2025-01-01T00:00:00Z", "2025-01-02T00:00:00Z"};
  check_accepted(r);  // no granularity: either form, consistently
  r.time_period = {"2025-01-02", "2025-01-01"};
  check_rejected(r, "must be after");

  r = base_dimension_values();
  r.search_string = std::string(1025, 's');
  check_rejected(r, "SearchString must be 0..1024 characters long");
  r.search_string = "Amazon";
  check_accepted(r);

  r = base_dimension_values();
  r.filter = expression::dimension("ANOMALY_TOTAL_IMPACT_PERCENTAGE", {"1"});
  check_rejected(r, "Filter.Dimensions.Key ANOMALY_TOTAL_IMPACT_PERCENTAGE can only be used in AnomalySubscriptions");
  r.filter = expression::dimension("REGION", {"us-east-1"});
  check_accepted(r);
}

TEST_CASE("GetDimensionValues SortBy and MaxResults") {
  auto r = base_dimension_values();
  r.sort_by = {{"BlendedCost", ce::sort_order::descending}};
  r.max_results = 1000;
  check_accepted(r);
  r.max_results = 1001;
  check_rejected(r, "MaxResults must be 1..1000");
  r.max_results = 0;
  check_rejected(r, "MaxResults must be 1..1000");
  r.max_results.reset();
  r.sort_by = {{"blended_cost", std::nullopt}};
  check_rejected(r, "SortBy[0].Key \"blended_cost\" is not a sortable metric; did you mean BlendedCost?");
  r.sort_by = {{"BlendedCost", std::nullopt}, {"BlendedCost", ce::sort_order::ascending}};
  check_rejected(r, "SortBy[1].Key BlendedCost is listed twice");
  r.sort_by = {{"BlendedCost", std::nullopt}};
  r.context = ce::context::reservations;
  r.dimension = "REGION";
  check_rejected(r, "SortBy needs Context COST_AND_USAGE");
  r.context = ce::context::cost_and_usage;
  r.next_page_token = "abc";
  check_rejected(r, "NextPageToken is not supported together with SortBy");
  CHECK_FALSE(r.to_json_for_page("x"));
  r.next_page_token.reset();
  r.search_string = "Amazon";
  check_rejected(r, "SearchString is not supported together with SortBy");
  r.search_string.reset();
  check_accepted(r);
  r.sort_by.clear();
  r.max_results = 10;
  check_rejected(r, "MaxResults is only used together with SortBy");
}

TEST_CASE("GetDimensionValues golden bodies") {
  auto r = base_dimension_values();
  r.search_string = "Amazon";
  r.context = ce::context::cost_and_usage;
  r.filter = expression::dimension("REGION", {"us-east-1"});
  r.next_page_token = "p2";
  auto j = r.to_json();
  REQUIRE(j);
  CHECK(*j ==
        R"({"SearchString":"Amazon","TimePeriod":{"Start":"2025-01-01","End":"2025-02-01"},"Dimension":"SERVICE","Context":"COST_AND_USAGE","Filter":{"Dimensions":{"Key":"REGION","Values":["us-east-1"]}},"NextPageToken":"p2"})");
  auto s = base_dimension_values();
  s.sort_by = {{"UnblendedCost", ce::sort_order::descending}, {"UsageQuantity", std::nullopt}};
  s.max_results = 25;
  s.billing_view_arn = "arn:aws:billing::123456789012:billingview/primary";
  j = s.to_json();
  REQUIRE(j);
  CHECK(*j ==
        R"({"TimePeriod":{"Start":"2025-01-01","End":"2025-02-01"},"Dimension":"SERVICE","SortBy":[{"Key":"UnblendedCost","SortOrder":"DESCENDING"},{"Key":"UsageQuantity"}],"BillingViewArn":"arn:aws:billing::123456789012:billingview/primary","MaxResults":25})");
}

// ---------------------------------------------------------------------------
// GetCostForecast

TEST_CASE("GetCostForecast rules") {
  check_accepted(base_forecast());
  auto r = base_forecast();
  r.metric.clear();
  check_rejected(r, "GetCostForecast: Metric is required");
  r.metric = "UnblendedCost";
  check_rejected(r, "Metric \"UnblendedCost\" is not a forecast Metric (shape Metric is SCREAMING_CASE, unlike "
                    "GetCostAndUsage's Metrics); did you mean UNBLENDED_COST?");
  r.metric = "USAGE_QUANTITY";
  check_rejected(r, "is a usage metric; GetCostForecast forecasts costs");
  r.metric = "NORMALIZED_USAGE_AMOUNT";
  check_rejected(r, "is a usage metric");
  for (auto m : ce::cost_forecast_metrics) {
    r.metric = std::string(ce::to_forecast_string(m));
    check_accepted(r);
  }
  r = base_forecast();
  r.granularity = ce::granularity::hourly;
  check_rejected(r, "Granularity must be DAILY or MONTHLY");
  r.granularity.reset();
  check_rejected(r, "Granularity is required: DAILY or MONTHLY");
  r = base_forecast();
  r.time_period = {"2025-06-01T00:00:00Z", "2025-06-02T00:00:00Z"};
  check_rejected(r, "TimePeriod must use dates YYYY-MM-DD: GetCostForecast takes dates");
  r = base_forecast();
  r.prediction_interval_level = 50;
  check_rejected(r, "PredictionIntervalLevel must be 51..99 (shape PredictionIntervalLevel), got 50");
  r.prediction_interval_level = 100;
  check_rejected(r, "got 100");
  r.prediction_interval_level = 51;
  check_accepted(r);
  r.prediction_interval_level = 99;
  check_accepted(r);
  r.filter = expression::dimension("INVOICING_ENTITY", {"x"});
  check_rejected(r, "Filter.Dimensions.Key INVOICING_ENTITY is not supported in GetCostForecast filters");
  r.filter = expression::dimension("SAVINGS_PLAN_ARN", {"x"});
  check_accepted(r);
}

TEST_CASE("GetCostForecast golden body") {
  auto r = base_forecast();
  r.granularity = ce::granularity::daily;
  r.prediction_interval_level = 80;
  r.filter = expression::dimension("SERVICE", {"Amazon Simple Storage Service"});
  const auto j = r.to_json();
  REQUIRE(j);
  CHECK(*j ==
        R"({"TimePeriod":{"Start":"2025-06-01","End":"2025-09-01"},"Metric":"UNBLENDED_COST","Granularity":"DAILY","Filter":{"Dimensions":{"Key":"SERVICE","Values":["Amazon Simple Storage Service"]}},"PredictionIntervalLevel":80})");
  CHECK(r.target == "AWSInsightsIndexService.GetCostForecast");
}

// ---------------------------------------------------------------------------
// Values and enums

TEST_CASE("expressions are regular values: deep copies") {
  expression a = expression::not_(expression::dimension("SERVICE", {"a"}));
  expression b = a;
  b.not_operand->dimensions->values->at(0) = "changed";
  CHECK(a.not_operand->dimensions->values->at(0) == "a");
  a = b;
  CHECK(a.not_operand->dimensions->values->at(0) == "changed");
  expression c = std::move(b);
  CHECK(c.operator_count() == 1);
  const auto j = c.to_json();
  REQUIRE(j);
  CHECK(*j == R"({"Not":{"Dimensions":{"Key":"SERVICE","Values":["changed"]}}})");
  CHECK(expression{}.to_json().code() == errc::invalid_argument);
}

TEST_CASE("enum names round-trip through their parsers") {
  for (std::size_t i = 0; i < ce::dimension_names.size(); ++i) {
    CHECK(ce::parse_dimension(ce::dimension_names[i]) == static_cast<ce::dimension>(i));
  }
  for (std::size_t i = 0; i < ce::metric_names.size(); ++i) {
    CHECK(ce::parse_metric(ce::metric_names[i]) == static_cast<ce::metric>(i));
    CHECK(ce::parse_forecast_metric(ce::forecast_metric_names[i]) == static_cast<ce::metric>(i));
    // Both spellings name the same metric.
    CHECK(finops_crawler::detail::fold_spelling(ce::metric_names[i]) ==
          finops_crawler::detail::fold_spelling(ce::forecast_metric_names[i]));
  }
  for (std::size_t i = 0; i < ce::match_option_names.size(); ++i) {
    CHECK(ce::parse_match_option(ce::match_option_names[i]) == static_cast<ce::match_option>(i));
  }
  CHECK(ce::parse_granularity("DAILY") == ce::granularity::daily);
  CHECK_FALSE(ce::parse_granularity("daily"));
  CHECK(ce::parse_context("SAVINGS_PLANS") == ce::context::savings_plans);
  CHECK(ce::parse_sort_order("DESCENDING") == ce::sort_order::descending);
  CHECK(ce::parse_group_definition_type("COST_CATEGORY") == ce::group_definition_type::cost_category);
  CHECK_FALSE(ce::parse_group_definition_type("RESOURCE_ID"));
  CHECK(ce::to_string(ce::operation::get_cost_forecast) == "GetCostForecast");
}

// ---------------------------------------------------------------------------
// GetTags and GetCostCategories

namespace {
ce::tags_request base_tags() {
  ce::tags_request r;
  r.time_period = {"2025-01-01", "2025-02-01"};
  return r;
}
ce::cost_categories_request base_cost_categories() {
  ce::cost_categories_request r;
  r.time_period = {"2025-01-01", "2025-02-01"};
  return r;
}

// The rules both operations share, run on either request type.
template <class Request>
void check_key_listing_rules(Request base, const char* op) {
  CAPTURE(op);
  check_accepted(base);
  Request r = base;
  r.time_period = {};
  check_rejected(r, std::string(op) + ": TimePeriod.Start is required");
  r.time_period = {"2025-01-02", "2025-01-01"};
  check_rejected(r, "must be after");
  r.time_period = {"2025-01-01T00:00:00Z", "2025-01-02T00:00:00Z"};
  check_accepted(r);  // either form, consistently
  r.time_period = {"2025-01-01", "2025-01-02T00:00:00Z"};
  check_rejected(r, "both be dates or both be date-times");

  r = base;
  r.search_string = std::string(1025, 's');
  check_rejected(r, "SearchString must be 0..1024 characters long");
  r.search_string = std::string(1024, 's');
  check_accepted(r);
  r.search_string = std::string("\xff");
  check_rejected(r, "SearchString");

  r = base;
  r.filter = expression::dimension("LINKED_ACCOUNT_NAME", {"x"});
  check_rejected(r, "Filter.Dimensions.Key LINKED_ACCOUNT_NAME can only be used in CostCategoryRule");
  r.filter = expression::dimension("Service", {"x"});
  check_rejected(r, "did you mean SERVICE?");
  r.filter = expression::and_({expression::dimension("REGION", {"us-east-1"}), expression::tag("Team", {"web"})});
  check_accepted(r);

  r = base;
  r.sort_by = {{"UnblendedCost", ce::sort_order::descending}};
  r.max_results = 1000;
  check_accepted(r);
  r.max_results = 1001;
  check_rejected(r, "MaxResults must be 1..1000 (" + std::string(op) + "Request.MaxResults)");
  r.max_results = 0;
  check_rejected(r, "MaxResults must be 1..1000");
  r.max_results.reset();
  r.next_page_token = "abc";
  check_rejected(r, "NextPageToken is not supported together with SortBy");
  CHECK_FALSE(r.to_json_for_page("abc"));
  r.next_page_token.reset();
  r.search_string = "a";
  check_rejected(r, "SearchString is not supported together with SortBy");
  r.search_string.reset();
  r.sort_by = {{"unblendedcost", std::nullopt}};
  check_rejected(r, "did you mean UnblendedCost?");
  r.sort_by = {{"UsageQuantity", std::nullopt}, {"UsageQuantity", std::nullopt}};
  check_rejected(r, "listed twice in SortBy");
  r.sort_by.clear();
  r.max_results = 10;
  check_rejected(r, "MaxResults is only used together with SortBy");

  r = base;
  r.next_page_token = std::string();
  check_rejected(r, "NextPageToken is empty");
  r.next_page_token = std::string(8193, 't');
  check_rejected(r, "NextPageToken must be 1..8192");
  r.next_page_token.reset();
  r.billing_view_arn = "arn:aws:billing::12345:billingview/x";
  check_rejected(r, "is not a billing view ARN");
  CHECK(r.to_json_for_page("p2").code() == errc::invalid_argument);
}
}  // namespace

TEST_CASE("GetTags and GetCostCategories share the listing rules") {
  check_key_listing_rules(base_tags(), "GetTags");
  check_key_listing_rules(base_cost_categories(), "GetCostCategories");
}

TEST_CASE("GetTags TagKey and the date rule") {
  auto r = base_tags();
  r.tag_key = std::string(1024, 'k');
  check_accepted(r);
  r.tag_key = std::string(1025, 'k');
  check_rejected(r, "GetTags: TagKey must be 0..1024 characters long (shape TagKey)");
  r.tag_key = "team name/with:any$chars";  // shape TagKey: [\S\s]*
  check_accepted(r);
  ce::validation_context ctx;
  ctx.today = "2025-01-15";
  r.time_period = {"2025-01-16", "2025-01-17"};
  CHECK(r.validate());
  const status s = r.validate(ctx);
  REQUIRE_FALSE(s);
  CHECK(s.error().message.find("is after today (2025-01-15)") != std::string::npos);
}

TEST_CASE("GetCostCategories CostCategoryName is a CostCategoryName") {
  auto r = base_cost_categories();
  r.cost_category_name = "Business Unit";
  check_accepted(r);
  r.cost_category_name = std::string();
  check_rejected(r, "CostCategoryName must be 1..50 characters long");
  r.cost_category_name = std::string(51, 'c');
  check_rejected(r, "CostCategoryName must be 1..50 characters long");
  r.cost_category_name = " BU";
  check_rejected(r, "must not start or end with a space");
  r.cost_category_name = "BU/2";
  check_rejected(r, "contains \"/\"");
}

TEST_CASE("GetTags and GetCostCategories golden bodies") {
  auto t = base_tags();
  t.search_string = "te";
  t.tag_key = "Team";
  t.filter = expression::dimension("REGION", {"us-east-1"});
  t.next_page_token = "p2";
  auto j = t.to_json();
  REQUIRE(j);
  CHECK(*j ==
        R"({"SearchString":"te","TimePeriod":{"Start":"2025-01-01","End":"2025-02-01"},"TagKey":"Team","Filter":{"Dimensions":{"Key":"REGION","Values":["us-east-1"]}},"NextPageToken":"p2"})");
  j = base_tags().to_json();
  REQUIRE(j);
  CHECK(*j == R"({"TimePeriod":{"Start":"2025-01-01","End":"2025-02-01"}})");
  j = t.to_json_for_page("p3");
  REQUIRE(j);
  CHECK(j->find(R"("NextPageToken":"p3")") != std::string::npos);
  CHECK(t.next_page_token == "p2");  // the request is not modified

  auto c = base_cost_categories();
  c.cost_category_name = "BusinessUnit";
  c.sort_by = {{"UnblendedCost", ce::sort_order::descending}};
  c.max_results = 25;
  c.billing_view_arn = "arn:aws:billing::123456789012:billingview/primary";
  j = c.to_json();
  REQUIRE(j);
  CHECK(*j ==
        R"({"TimePeriod":{"Start":"2025-01-01","End":"2025-02-01"},"CostCategoryName":"BusinessUnit","SortBy":[{"Key":"UnblendedCost","SortOrder":"DESCENDING"}],"BillingViewArn":"arn:aws:billing::123456789012:billingview/primary","MaxResults":25})");
  CHECK(ce::to_string(ce::operation::get_tags) == "GetTags");
  CHECK(ce::to_string(ce::operation::get_cost_categories) == "GetCostCategories");
  CHECK(ce::tags_request::target == "AWSInsightsIndexService.GetTags");
  CHECK(ce::cost_categories_request::target == "AWSInsightsIndexService.GetCostCategories");
}
