#include "finops_crawler/aws/ce/expression_json.hpp"

#include <doctest/doctest.h>
#include <simdjson.h>  // the test reads the botocore model itself

#include <algorithm>
#include <set>
#include <string>
#include <string_view>
#include <vector>

using namespace finops_crawler;
using ce::expression;

namespace {

/// parse -> to_json gives back `canonical` exactly.
void check_round_trip(const std::string& canonical) {
  CAPTURE(canonical);
  auto e = ce::parse_expression_json(canonical);
  CAPTURE(e.error().message);
  REQUIRE(e);
  const auto j = e->to_json();
  CAPTURE(j.error().message);
  REQUIRE(j);
  CHECK(*j == canonical);
  // And a second trip is stable.
  auto again = ce::parse_expression_json(*j);
  REQUIRE(again);
  CHECK(*again->to_json() == canonical);
}

void check_parse_error(std::string_view json, const std::string& part) {
  CAPTURE(json);
  const auto e = ce::parse_expression_json(json);
  CHECK_FALSE(e);
  CHECK(e.code() == errc::invalid_argument);
  CAPTURE(e.error().message);
  CHECK(e.error().message.find(part) != std::string::npos);
}

std::string model_path(const char* file) {
  return std::string(FINOPS_CRAWLER_TEST_DIR) + "/vectors/aws-models/" + file;
}

struct model {
  simdjson::dom::parser parser;
  simdjson::dom::element shapes;
  explicit model(const char* file) {
    simdjson::dom::element root;
    REQUIRE(parser.load(model_path(file)).get(root) == simdjson::SUCCESS);
    REQUIRE(root["shapes"].get(shapes) == simdjson::SUCCESS);
  }
  std::vector<std::string> enum_values(const char* shape) {
    std::vector<std::string> out;
    simdjson::dom::array arr;
    REQUIRE(shapes[shape]["enum"].get(arr) == simdjson::SUCCESS);
    for (auto v : arr) out.emplace_back(std::string_view(v.get_string().value_unsafe()));
    return out;
  }
  std::int64_t number(const char* shape, const char* field) {
    std::int64_t v = -1;
    REQUIRE(shapes[shape][field].get(v) == simdjson::SUCCESS);
    return v;
  }
  std::string text(const char* shape, const char* field) {
    std::string_view v;
    REQUIRE(shapes[shape][field].get(v) == simdjson::SUCCESS);
    return std::string(v);
  }
  std::vector<std::string> members(const char* shape) {
    std::vector<std::string> out;
    simdjson::dom::object obj;
    REQUIRE(shapes[shape]["members"].get(obj) == simdjson::SUCCESS);
    for (auto kv : obj) out.emplace_back(kv.key);
    return out;
  }
  std::vector<std::string> required(const char* shape) {
    std::vector<std::string> out;
    simdjson::dom::array arr;
    if (shapes[shape]["required"].get(arr) != simdjson::SUCCESS) return out;
    for (auto v : arr) out.emplace_back(std::string_view(v.get_string().value_unsafe()));
    return out;
  }
  std::string member_doc(const char* shape, const char* member) {
    std::string_view v;
    REQUIRE(shapes[shape]["members"][member]["documentation"].get(v) == simdjson::SUCCESS);
    return std::string(v);
  }
};

template <std::size_t N>
std::vector<std::string> names(const std::array<std::string_view, N>& a) {
  return std::vector<std::string>(a.begin(), a.end());
}

/// The object keys of `json`, recursively checked to appear in the order of
/// the model shape's members.
void check_member_order(model& m, std::string_view json, const char* shape) {
  simdjson::dom::parser p;
  simdjson::dom::object obj;
  REQUIRE(p.parse(json.data(), json.size()).get(obj) == simdjson::SUCCESS);
  const auto order = m.members(shape);
  std::size_t last = 0;
  bool first = true;
  for (auto kv : obj) {
    const auto it = std::find(order.begin(), order.end(), std::string(kv.key));
    CAPTURE(std::string(kv.key));
    REQUIRE(it != order.end());  // every key we write is a member of the shape
    const auto pos = static_cast<std::size_t>(it - order.begin());
    if (!first) CHECK(pos > last);  // and in the model's member order
    last = pos;
    first = false;
  }
}

}  // namespace

// ---------------------------------------------------------------------------
// Round trips

TEST_CASE("round trip: each operator and member in canonical form") {
  check_round_trip(R"({"Dimensions":{"Key":"SERVICE","Values":["Amazon Simple Storage Service"]}})");
  check_round_trip(R"({"Dimensions":{"Key":"LINKED_ACCOUNT","Values":["123456789012","210987654321"],"MatchOptions":["EQUALS","CASE_SENSITIVE"]}})");
  check_round_trip(R"({"Tags":{"Key":"team","Values":["a","b"]}})");
  check_round_trip(R"({"Tags":{"Key":"team","MatchOptions":["ABSENT"]}})");
  check_round_trip(R"({"Tags":{"MatchOptions":["ABSENT"]}})");
  check_round_trip(R"({"CostCategories":{"Key":"Business Unit","Values":["Retail"],"MatchOptions":["EQUALS"]}})");
  check_round_trip(R"({"Not":{"Dimensions":{"Key":"RECORD_TYPE","Values":["Credit","Refund"]}}})");
  check_round_trip(
      R"({"Or":[{"Dimensions":{"Key":"REGION","Values":["us-east-1"]}},{"Tags":{"Key":"TagName","Values":["Value1"]}}]})");
  check_round_trip(
      R"({"And":[{"Or":[{"Dimensions":{"Key":"REGION","Values":["us-east-1","us-west-1"]}},{"Tags":{"Key":"TagName","Values":["Value1"]}}]},{"Not":{"Dimensions":{"Key":"USAGE_TYPE","Values":["DataTransfer"]}}}]})");
  // Escapes and non-ASCII survive.
  check_round_trip("{\"Tags\":{\"Key\":\"c\\\"q\\\\b\",\"Values\":[\"caf\xC3\xA9\",\"\\n\\t\\u0001\",\"\xF0\x9F\x92\xB0\"]}}");
}

TEST_CASE("parse normalizes whitespace, member order and \\u escapes") {
  const auto e = ce::parse_expression_json(R"(
    { "Dimensions" : { "Values" : [ "a\u00e9", "\ud83d\udcb0" ], "MatchOptions": ["EQUALS"], "Key" : "SERVICE" } }
  )");
  REQUIRE(e);
  CHECK(*e->to_json() ==
        "{\"Dimensions\":{\"Key\":\"SERVICE\",\"Values\":[\"a\xC3\xA9\",\"\xF0\x9F\x92\xB0\"],\"MatchOptions\":"
        "[\"EQUALS\"]}}");
}

TEST_CASE("the Expression examples of the API reference") {
  // From the Expression shape's documentation in the model.
  const char* compound =
      R"({ "And": [ {"Or": [ {"Dimensions": { "Key": "REGION", "Values": [ "us-east-1", "us-west-1" ] }}, {"Tags": { "Key": "TagName", "Values": ["Value1"] } } ]}, {"Not": {"Dimensions": { "Key": "USAGE_TYPE", "Values": ["DataTransfer"] }}} ] })";
  auto e = ce::parse_expression_json(compound);
  REQUIRE(e);
  CHECK(ce::validate_expression(*e, ce::operation::get_cost_and_usage));
  CHECK(e->and_operands->size() == 2);
  CHECK(e->and_operands->at(0).or_operands->at(1).tags->key == "TagName");

  // "The following example shows an Expression object that creates an error".
  const char* two_roots =
      R"({ "And": [ {"Dimensions": {"Key": "SERVICE", "Values": ["a"]}}, {"Dimensions": {"Key": "AZ", "Values": ["b"]}} ], "Dimensions": { "Key": "USAGE_TYPE", "Values": [ "DataTransfer" ] } })";
  e = ce::parse_expression_json(two_roots);
  REQUIRE(e);  // the parser mirrors the input...
  const auto s = ce::validate_expression(*e, ce::operation::get_cost_and_usage);
  CHECK_FALSE(s);  // ...and validation refuses it before anything is sent
  CHECK(s.error().message.find("Filter: an Expression sets 2 operators") != std::string::npos);
  CHECK(e->to_json().code() == errc::invalid_argument);

  // STARTS_WITH on LINKED_ACCOUNT_NAME is for CostCategoryRule, not for GetCostAndUsage.
  e = ce::parse_expression_json(
      R"({ "Dimensions": { "Key": "LINKED_ACCOUNT_NAME", "MatchOptions": [ "STARTS_WITH" ], "Values": [ "a" ] } })");
  REQUIRE(e);
  CHECK(ce::validate_expression(*e));  // shape-valid
  CHECK_FALSE(ce::validate_expression(*e, ce::operation::get_cost_and_usage));
}

// ---------------------------------------------------------------------------
// Errors

TEST_CASE("parse errors name the path and the problem") {
  check_parse_error("", "Filter: not valid JSON");
  check_parse_error("{\"Dimensions\":", "Filter: not valid JSON");
  check_parse_error("[]", "Filter: expected an Expression object, got an array");
  check_parse_error("\"SERVICE\"", "got a string");
  check_parse_error(R"({"Dimension":{"Key":"SERVICE","Values":["a"]}})",
                    "Filter: unknown member \"Dimension\"; did you mean Dimensions?");
  check_parse_error(R"({"and":[]})", "unknown member \"and\"; did you mean And?");
  check_parse_error(R"({"Filter":{"Dimensions":{"Key":"SERVICE","Values":["a"]}}})",
                    "give the Expression itself, without the outer {\"Filter\": ...}");
  check_parse_error(R"({"Not":{"Tags":{"Key":"a"}},"Not":{"Tags":{"Key":"b"}}})", "Filter.Not: appears twice");
  check_parse_error(R"({"Dimensions":{"Key":"SERVICE","Key":"AZ","Values":["a"]}})",
                    "Filter.Dimensions.Key: appears twice");
  check_parse_error(R"({"Dimensions":{"Key":"SERVICE","Values":"a"}})",
                    "Filter.Dimensions.Values: expected an array of strings, got a string");
  check_parse_error(R"({"Dimensions":{"Key":"SERVICE","Values":["a",1]}})",
                    "Filter.Dimensions.Values[1]: expected a string, got a number");
  check_parse_error(R"({"Dimensions":{"Key":null,"Values":["a"]}})", "Filter.Dimensions.Key: expected a string, got null");
  check_parse_error(R"({"Dimensions":["SERVICE"]})", "Filter.Dimensions: expected an object");
  check_parse_error(R"({"Tags":{"Key":"t","Values":["a"],"MatchOptions":["equals"]}})",
                    "Filter.Tags.MatchOptions[0]: \"equals\" is not a MatchOption; did you mean EQUALS?");
  check_parse_error(R"({"Tags":{"Key":"t","Value":["a"]}})", "unknown member \"Value\"; did you mean Values?");
  check_parse_error(R"({"And":{"Tags":{"Key":"t"}}})", "Filter.And: expected an array of Expressions, got an object");
  check_parse_error(R"({"Or":[{"Tags":{"Key":"t"}},true]})", "Filter.Or[1]: expected an Expression object, got a boolean");
  check_parse_error(R"({"And":[{"Not":{"Dimensions":{"Key":"SERVICE","Values":[{}]}}}, {}]})",
                    "Filter.And[0].Not.Dimensions.Values[0]: expected a string, got an object");
}

TEST_CASE("parse keeps shape-level problems for validate_expression") {
  auto e = ce::parse_expression_json("{}");
  REQUIRE(e);
  CHECK(e->operator_count() == 0);
  CHECK(ce::validate_expression(*e).error().message.find("must set one operator") != std::string::npos);
  e = ce::parse_expression_json(R"({"And":[{"Dimensions":{"Key":"SERVICE","Values":["a"]}}]})");
  REQUIRE(e);
  CHECK(ce::validate_expression(*e).error().message.find("Filter.And has 1 expression") != std::string::npos);
  e = ce::parse_expression_json(R"({"Dimensions":{"Key":"SERVCE","Values":["a"]}})");
  REQUIRE(e);
  CHECK(ce::validate_expression(*e).error().message.find("did you mean SERVICE?") != std::string::npos);
}

TEST_CASE("nesting is bounded in the parser") {
  std::string ok_json, deep_json;
  const std::string leaf = R"({"Dimensions":{"Key":"SERVICE","Values":["a"]}})";
  ok_json = leaf;
  for (std::size_t i = 1; i < ce::max_expression_depth; ++i) ok_json = "{\"Not\":" + ok_json + "}";
  deep_json = "{\"Not\":" + ok_json + "}";
  const auto ok = ce::parse_expression_json(ok_json);
  REQUIRE(ok);
  CHECK(ce::validate_expression(*ok, ce::operation::get_cost_and_usage));
  check_parse_error(deep_json, "Filter nested deeper than 32 levels");
  // A hostile file: far deeper than anyone writes; must fail cleanly, not overflow the stack.
  std::string hostile;
  for (int i = 0; i < 100000; ++i) hostile += "{\"Not\":";
  hostile += leaf;
  for (int i = 0; i < 100000; ++i) hostile += "}";
  CHECK_FALSE(ce::parse_expression_json(hostile));
  std::string arrays(200000, '[');
  CHECK_FALSE(ce::parse_expression_json(arrays));
}

TEST_CASE("a lone surrogate escape never reaches the wire") {
  // Either simdjson refuses the escape, or it decodes to bytes that are not
  // UTF-8 and validation refuses them.
  const auto e = ce::parse_expression_json(R"({"Tags":{"Key":"t","Values":["\ud800"]}})");
  if (e) {
    CHECK_FALSE(ce::validate_expression(*e));
    CHECK_FALSE(e->to_json());
  } else {
    CHECK(e.code() == errc::invalid_argument);
  }
}

// ---------------------------------------------------------------------------
// The tables against the service model (tests/vectors/aws-models, Apache-2.0)

TEST_CASE("enum tables match the Cost Explorer model exactly") {
  model m("ce-2017-10-25.service-2.json");
  CHECK(m.enum_values("Granularity") == names(ce::granularity_names));
  CHECK(m.enum_values("Dimension") == names(ce::dimension_names));
  CHECK(m.enum_values("MatchOption") == names(ce::match_option_names));
  CHECK(m.enum_values("Context") == names(ce::context_names));
  CHECK(m.enum_values("SortOrder") == names(ce::sort_order_names));
  CHECK(m.enum_values("GroupDefinitionType") == names(ce::group_definition_type_names));
  auto metric_enum = m.enum_values("Metric");
  auto ours = names(ce::forecast_metric_names);
  std::sort(metric_enum.begin(), metric_enum.end());
  std::sort(ours.begin(), ours.end());
  CHECK(metric_enum == ours);
  // The seven MetricName spellings are the ones the Metrics docs list.
  const std::string doc = m.member_doc("GetCostAndUsageRequest", "Metrics");
  for (auto n : ce::metric_names) {
    CAPTURE(n);
    CHECK(doc.find("<code>" + std::string(n) + "</code>") != std::string::npos);
  }
  // The forecast subset is the one GetCostForecastRequest.Metric documents.
  const std::string fdoc = m.member_doc("GetCostForecastRequest", "Metric");
  for (auto mm : ce::cost_forecast_metrics) {
    CHECK(fdoc.find("<p>" + std::string(ce::to_forecast_string(mm)) + "</p>") != std::string::npos);
  }
  CHECK(fdoc.find("USAGE_QUANTITY") == std::string::npos);
  // Forecast filter dimensions are the ones its Filter docs list.
  const std::string filter_doc = m.member_doc("GetCostForecastRequest", "Filter");
  for (auto d : ce::cost_forecast_filter_dimensions) {
    CHECK(filter_doc.find("<code>" + std::string(ce::to_string(d)) + "</code>") != std::string::npos);
  }
  // GroupBy's documented dimensions.
  const std::string group_doc = m.member_doc("GetCostAndUsageRequest", "GroupBy");
  for (auto d : ce::group_by_documented_dimensions) {
    CHECK(group_doc.find("<code>" + std::string(ce::to_string(d)) + "</code>") != std::string::npos);
  }
  // Context lists.
  const std::string context_doc = m.member_doc("GetDimensionValuesRequest", "Context");
  const auto sp = context_doc.find("If you set the context to <code>SAVINGS_PLANS</code>");
  const auto ri = context_doc.find("If you set the context to <code>RESERVATIONS</code>");
  REQUIRE(sp != std::string::npos);
  REQUIRE(ri != std::string::npos);
  for (auto d : ce::cost_and_usage_context_dimensions) {
    CHECK(context_doc.substr(0, ri).find("<p>" + std::string(ce::to_string(d)) + " - ") != std::string::npos);
  }
  for (auto d : ce::reservations_context_dimensions) {
    const auto section = context_doc.substr(ri, sp - ri);
    CHECK(section.find("<p>" + std::string(ce::to_string(d))) != std::string::npos);
  }
  for (auto d : ce::savings_plans_context_dimensions) {
    CHECK(context_doc.substr(sp).find("<p>" + std::string(ce::to_string(d)) + " - ") != std::string::npos);
  }
}

TEST_CASE("length limits and patterns match the Cost Explorer model") {
  model m("ce-2017-10-25.service-2.json");
  CHECK(m.number("Value", "max") == 1024);
  CHECK(m.number("TagKey", "max") == 1024);
  CHECK(m.number("GroupDefinitionKey", "max") == 1024);
  CHECK(m.number("SearchString", "max") == 1024);
  CHECK(m.number("NextPageToken", "max") == 8192);
  CHECK(m.number("CostCategoryName", "min") == 1);
  CHECK(m.number("CostCategoryName", "max") == 50);
  CHECK(m.number("BillingViewArn", "min") == 20);
  CHECK(m.number("BillingViewArn", "max") == 2048);
  CHECK(m.number("PredictionIntervalLevel", "min") == 51);
  CHECK(m.number("PredictionIntervalLevel", "max") == 99);
  CHECK(m.number("MaxResults", "min") == 1);
  // The patterns our hand-written checkers implement.
  CHECK(m.text("BillingViewArn", "pattern") ==
        "^arn:aws[a-z-]*:(billing)::[0-9]{12}:billingview/[-a-zA-Z0-9/:_+=.-@]{1,43}$");
  CHECK(m.text("CostCategoryName", "pattern") == "^(?! )[\\p{L}\\p{N}\\p{Z}-_]*(?<! )$");
  CHECK(m.text("YearMonthDay", "pattern") == "(\\d{4}-\\d{2}-\\d{2})(T\\d{2}:\\d{2}:\\d{2}Z)?");
  // Required members.
  CHECK(m.required("GetCostAndUsageRequest") == std::vector<std::string>{"TimePeriod", "Granularity", "Metrics"});
  CHECK(m.required("GetCostAndUsageWithResourcesRequest") ==
        std::vector<std::string>{"TimePeriod", "Granularity", "Filter"});
  CHECK(m.required("GetDimensionValuesRequest") == std::vector<std::string>{"TimePeriod", "Dimension"});
  CHECK(m.required("GetCostForecastRequest") == std::vector<std::string>{"TimePeriod", "Metric", "Granularity"});
  CHECK(m.required("GetTagsRequest") == std::vector<std::string>{"TimePeriod"});
  CHECK(m.required("GetCostCategoriesRequest") == std::vector<std::string>{"TimePeriod"});
  // What the page readers require.
  CHECK(m.required("GetTagsResponse") == std::vector<std::string>{"Tags", "ReturnSize", "TotalSize"});
  CHECK(m.required("GetCostCategoriesResponse") == std::vector<std::string>{"ReturnSize", "TotalSize"});
  CHECK(m.required("DateInterval") == std::vector<std::string>{"Start", "End"});
}

TEST_CASE("request bodies use only model members, in model order") {
  model m("ce-2017-10-25.service-2.json");
  ce::cost_and_usage_request r;
  r.time_period = {"2025-01-01", "2025-02-01"};
  r.granularity = ce::granularity::daily;
  r.metrics = {"UnblendedCost"};
  r.group_by = {ce::group_by::dimension("SERVICE")};
  r.filter = expression::and_({expression::dimension("SERVICE", {"a"}), expression::tag("t", {"v"})});
  r.billing_view_arn = "arn:aws:billing::123456789012:billingview/primary";
  r.next_page_token = "n";
  auto j = r.to_json();
  REQUIRE(j);
  check_member_order(m, *j, "GetCostAndUsageRequest");

  ce::cost_and_usage_with_resources_request w;
  w.time_period = {"2025-01-01", "2025-01-02"};
  w.granularity = ce::granularity::daily;
  w.metrics = {"UnblendedCost"};
  w.filter = expression::dimension("SERVICE", {"Amazon Elastic Compute Cloud - Compute"});
  w.group_by = {ce::group_by::dimension("RESOURCE_ID")};
  w.billing_view_arn = r.billing_view_arn;
  w.next_page_token = "n";
  j = w.to_json();
  REQUIRE(j);
  check_member_order(m, *j, "GetCostAndUsageWithResourcesRequest");

  ce::dimension_values_request d;
  d.time_period = {"2025-01-01", "2025-02-01"};
  d.dimension = "SERVICE";
  d.context = ce::context::cost_and_usage;
  d.filter = expression::dimension("REGION", {"us-east-1"});
  d.sort_by = {{"UnblendedCost", ce::sort_order::ascending}};
  d.max_results = 5;
  d.billing_view_arn = r.billing_view_arn;
  j = d.to_json();
  REQUIRE(j);
  check_member_order(m, *j, "GetDimensionValuesRequest");
  d.sort_by.clear();
  d.max_results.reset();
  d.search_string = "x";
  d.next_page_token = "n";
  j = d.to_json();
  REQUIRE(j);
  check_member_order(m, *j, "GetDimensionValuesRequest");

  ce::cost_forecast_request f;
  f.time_period = {"2025-06-01", "2025-07-01"};
  f.metric = "BLENDED_COST";
  f.granularity = ce::granularity::monthly;
  f.filter = expression::dimension("SERVICE", {"a"});
  f.billing_view_arn = r.billing_view_arn;
  f.prediction_interval_level = 90;
  j = f.to_json();
  REQUIRE(j);
  check_member_order(m, *j, "GetCostForecastRequest");

  ce::tags_request t;
  t.time_period = {"2025-01-01", "2025-02-01"};
  t.tag_key = "Team";
  t.filter = expression::dimension("REGION", {"us-east-1"});
  t.sort_by = {{"UnblendedCost", ce::sort_order::ascending}};
  t.max_results = 5;
  t.billing_view_arn = r.billing_view_arn;
  j = t.to_json();
  REQUIRE(j);
  check_member_order(m, *j, "GetTagsRequest");
  t.sort_by.clear();
  t.max_results.reset();
  t.search_string = "x";
  t.next_page_token = "n";
  j = t.to_json();
  REQUIRE(j);
  check_member_order(m, *j, "GetTagsRequest");

  ce::cost_categories_request c;
  c.time_period = {"2025-01-01", "2025-02-01"};
  c.cost_category_name = "BusinessUnit";
  c.filter = expression::dimension("REGION", {"us-east-1"});
  c.sort_by = {{"UnblendedCost", ce::sort_order::ascending}};
  c.max_results = 5;
  c.billing_view_arn = r.billing_view_arn;
  j = c.to_json();
  REQUIRE(j);
  check_member_order(m, *j, "GetCostCategoriesRequest");
  c.sort_by.clear();
  c.max_results.reset();
  c.search_string = "x";
  c.next_page_token = "n";
  j = c.to_json();
  REQUIRE(j);
  check_member_order(m, *j, "GetCostCategoriesRequest");

  auto e = ce::parse_expression_json(R"({"Tags":{"Key":"k","Values":["v"],"MatchOptions":["EQUALS"]}})");
  REQUIRE(e);
  const auto ej = e->to_json();
  REQUIRE(ej);
  check_member_order(m, *ej, "Expression");
  check_member_order(m, R"({"Key":"k","Values":["v"],"MatchOptions":["EQUALS"]})", "TagValues");
}
