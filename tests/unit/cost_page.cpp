#include "finops_crawler/aws/ce/cost_page.hpp"

#include <doctest/doctest.h>

#include <fstream>
#include <iterator>
#include <map>
#include <sstream>
#include <string>
#include <vector>

using namespace finops_crawler;

namespace {
std::string read_data(const std::string& name) {
  const std::string path = std::string(FINOPS_CRAWLER_TEST_DIR) + "/data/ce/" + name;
  std::ifstream in(path, std::ios::binary);
  REQUIRE_MESSAGE(in.good(), "cannot open " << path);
  return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

ce::cost_page load(const std::string& name) {
  auto r = ce::cost_page::parse(read_data(name));
  REQUIRE_MESSAGE(r, name << ": " << r.error().message);
  return std::move(*r);
}

// Runs both readers of cost_page (the tape reader, the DOM reader) on one
// document. Whenever the tape reader accepts it, the DOM reader must too,
// with identical arrays. Returns whether the tape reader accepted it (the
// fast path was taken).
bool tape_reader_takes(const std::string& json) {
  CAPTURE(json.substr(0, 200));
  finops_crawler::detail::json_document doc;
  auto root = doc.parse(json, "test body");
  REQUIRE_MESSAGE(root, root.error().message);
  ce::detail::page_data fast, slow;
  error err;
  const bool dom_ok = ce::detail::read_cost_page(*root, slow, err);
  if (!ce::detail::read_cost_page_tape(doc.tape(), fast)) return false;
  REQUIRE_MESSAGE(dom_ok, "the tape reader accepted a page the DOM reader refuses: " << err.message);
  CHECK(ce::detail::identical(fast, slow));
  return true;
}
}  // namespace

TEST_CASE("grouped page: periods, groups, keys and metrics in AWS order") {
  const ce::cost_page page = load("cost_grouped_page1.json");
  CHECK(page.has_next_page_token());
  CHECK(page.next_page_token() ==
        "AAMA-EFRSURBSGl4dVNnSU50eHZKblFRNzJyOHNsNlhwVEpBd0VFVUQyRkNGcHcwVnd1UXpJcmZ3Y2hGTTJrcz0=/page2");
  REQUIRE(page.group_definitions().size() == 2);
  CHECK(page.group_definitions()[0].type == "DIMENSION");
  CHECK(page.group_definitions()[0].key == "SERVICE");
  CHECK(page.group_definitions()[1].key == "USAGE_TYPE");
  CHECK(page.dimension_value_attributes().empty());

  auto results = page.results();
  REQUIRE(results.size() == 2);
  CHECK(page.group_count() == 17);
  const ce::result_by_time first = results[0];
  CHECK(first.start() == "2024-03-01");
  CHECK(first.end() == "2024-03-02");
  CHECK_FALSE(first.estimated());
  CHECK(first.total().empty());  // with GroupBy, Total is {}
  REQUIRE(first.groups().size() == 12);
  const ce::group g0 = first.groups()[0];
  REQUIRE(g0.keys().size() == 2);
  CHECK(g0.keys()[0] == "Amazon Elastic Compute Cloud - Compute");
  CHECK(g0.keys()[1] == "USE1-BoxUsage:t3.micro");
  REQUIRE(g0.metrics().size() == 2);
  const ce::metric_value* cost = g0.metrics().find("UnblendedCost");
  REQUIRE(cost != nullptr);
  CHECK(cost->name() == "UnblendedCost");
  CHECK(cost->amount_text() == "83.4831051202");
  CHECK(cost->unit() == "USD");
  CHECK(cost->amount()->to_string() == "83.4831051202");
  CHECK(cost->amount_double() == doctest::Approx(83.4831051202));
  const ce::metric_value* usage = g0.metrics().find("UsageQuantity");
  REQUIRE(usage != nullptr);
  CHECK(usage->unit() == "N/A");
  CHECK(g0.metrics().find("BlendedCost") == nullptr);

  // The second period is cut by the page: only its first 5 groups are here.
  CHECK(results[1].start() == "2024-03-02");
  CHECK(results[1].groups().size() == 5);

  // Range-for and iterator arithmetic agree.
  std::size_t n = 0;
  for (ce::result_by_time r : page.results())
    for (ce::group g : r.groups()) {
      CHECK_FALSE(g.keys().empty());
      ++n;
    }
  CHECK(n == 17);
  CHECK(page.results().end() - page.results().begin() == 2);
}

TEST_CASE("credits are negative amounts and stay exact") {
  const ce::cost_page page = load("cost_grouped_page1.json");
  bool saw_credit = false;
  for (ce::result_by_time r : page.results())
    for (ce::group g : r.groups())
      if (g.keys()[0] == "Credits") {
        const ce::metric_value* m = g.metrics().find("UnblendedCost");
        REQUIRE(m != nullptr);
        CHECK(m->amount_text().substr(0, 1) == "-");
        CHECK(m->amount()->is_negative());
        CHECK(m->amount()->to_string() == m->amount_text());
        saw_credit = true;
      }
  CHECK(saw_credit);
}

TEST_CASE("without GroupBy, Total holds the figures and Groups is empty") {
  const ce::cost_page page = load("cost_ungrouped.json");
  CHECK_FALSE(page.has_next_page_token());
  CHECK(page.next_page_token().empty());
  REQUIRE(page.results().size() == 5);
  for (ce::result_by_time r : page.results()) {
    CHECK(r.groups().empty());
    REQUIRE(r.total().size() == 2);
  }
  // A day without data still has zero totals.
  const ce::result_by_time last = page.results().back();
  CHECK(last.estimated());
  CHECK(last.total().find("UnblendedCost")->amount_text() == "0");
  CHECK(last.total().find("UnblendedCost")->amount()->is_zero());
}

TEST_CASE("summing the groups of each period gives exactly its total") {
  // cost_ungrouped.json holds, per period, the exact sum of the groups that
  // cost_grouped_page1..4.json spread over four pages.
  std::map<std::string, decimal> sum_cost, sum_usage;
  for (const char* name :
       {"cost_grouped_page1.json", "cost_grouped_page2.json", "cost_grouped_page3.json", "cost_grouped_page4.json"}) {
    const ce::cost_page page = load(name);
    for (ce::result_by_time r : page.results())
      for (ce::group g : r.groups()) {
        auto c = g.metrics().find("UnblendedCost")->amount();
        auto u = g.metrics().find("UsageQuantity")->amount();
        REQUIRE(c);
        REQUIRE(u);
        REQUIRE(sum_cost[std::string(r.start())].add_assign(*c));
        REQUIRE(sum_usage[std::string(r.start())].add_assign(*u));
      }
  }
  const ce::cost_page totals = load("cost_ungrouped.json");
  std::size_t checked = 0;
  for (ce::result_by_time r : totals.results()) {
    auto it = sum_cost.find(std::string(r.start()));
    if (it == sum_cost.end()) continue;  // the last, empty day has no groups
    CAPTURE(r.start());
    const decimal expected = *r.total().find("UnblendedCost")->amount();
    CHECK(it->second == expected);
    CHECK(it->second.to_string() == r.total().find("UnblendedCost")->amount_text());
    CHECK(sum_usage[std::string(r.start())] == *r.total().find("UsageQuantity")->amount());
    ++checked;
  }
  CHECK(checked == 4);
}

TEST_CASE("LINKED_ACCOUNT grouping carries account names as attributes") {
  const ce::cost_page page = load("cost_linked_account.json");
  auto attrs = page.dimension_value_attributes();
  REQUIRE(attrs.size() == 3);
  CHECK(attrs[0].value() == "111122223333");
  CHECK(attrs[0].attribute_value("description") == "Production \"main\" \xc3\xa9quipe");  // unescaped
  CHECK(attrs[1].attributes().size() == 2);
  CHECK(attrs[1].attribute_value("status") == "ACTIVE");
  CHECK(attrs[2].attributes().empty());
  CHECK(attrs[2].attribute_value("description").empty());
  auto owned = attrs[1].to_owned();
  CHECK(owned.value == "444455556666");
  REQUIRE(owned.attributes.size() == 2);
  CHECK(owned.attributes[0].first == "description");
  CHECK(owned.attributes[0].second == "Sandbox");
  const ce::group g = page.results()[0].groups()[1];
  CHECK(g.keys().size() == 1);
  CHECK(g.metrics().find("UnblendedCost")->amount_text() == "-12.5");
}

TEST_CASE("GetCostAndUsageWithResources output has the same shape") {
  auto r = ce::cost_with_resources_page::parse(read_data("cost_with_resources.json"));
  REQUIRE(r);
  CHECK(r->results()[0].start() == "2024-03-10T00:00:00Z");
  CHECK(r->results()[0].estimated());
  CHECK(r->results()[0].groups()[1].metrics()[0].amount_text() == "0.0001095890");
}

TEST_CASE("an empty last page parses") {
  const ce::cost_page page = load("cost_empty_last_page.json");
  CHECK(page.results().empty());
  CHECK_FALSE(page.has_next_page_token());
}

TEST_CASE("unknown fields are ignored, also deep ones within the limit") {
  const ce::cost_page page = load("cost_grouped_page2.json");  // has SomeFutureField
  CHECK(page.results().size() == 1);
  const ce::cost_page nested = load("unknown_nested_ok.json");
  CHECK(nested.results().empty());
  auto extra = ce::cost_page::parse(
      R"({"ResultsByTime":[{"TimePeriod":{"Start":"a","End":"b","Zone":"UTC"},"New":1,)"
      R"("Groups":[{"Keys":["k"],"Metrics":{"M":{"Amount":"1","Unit":"USD","Precision":4}},"Tag":{}}]}],"Later":[]})");
  REQUIRE(extra);
  CHECK(extra->results()[0].groups()[0].metrics()[0].amount_text() == "1");
  CHECK_FALSE(extra->results()[0].estimated());  // absent means false
}

TEST_CASE("to_owned copies survive the page") {
  ce::owned_result_by_time kept;
  {
    const ce::cost_page page = load("cost_grouped_page1.json");
    kept = page.results()[1].to_owned();
  }
  CHECK(kept.start == "2024-03-02");
  CHECK(kept.end == "2024-03-03");
  REQUIRE(kept.groups.size() == 5);
  CHECK(kept.groups[0].keys.size() == 2);
  CHECK(kept.groups[0].metrics[0].name == "UnblendedCost");
}

TEST_CASE("views survive moving the page; reparse reuses it") {
  auto r = ce::cost_page::parse(read_data("cost_grouped_page1.json"));
  REQUIRE(r);
  ce::cost_page page = std::move(*r);
  const std::string_view key = page.results()[0].groups()[0].keys()[0];
  ce::cost_page moved = std::move(page);
  CHECK(key == "Amazon Elastic Compute Cloud - Compute");
  CHECK(moved.results()[0].groups()[0].keys()[0].data() == key.data());

  REQUIRE(moved.reparse(read_data("cost_ungrouped.json")));
  CHECK(moved.results().size() == 5);
  CHECK(moved.group_count() == 0);
  // A failed reparse leaves the page empty, not half-filled.
  CHECK(moved.reparse(read_data("bad_missing_amount.json")).code() == errc::unexpected_shape);
  CHECK(moved.results().empty());
  CHECK_FALSE(moved.has_next_page_token());

  // The padded overload parses in place.
  simdjson::padded_string padded(read_data("cost_linked_account.json"));
  REQUIRE(moved.reparse_padded(padded));
  CHECK(moved.dimension_value_attributes().size() == 3);
}

TEST_CASE("malformed files give the right errc and name the field") {
  struct bad_case {
    const char* file;
    errc code;
    const char* message;  // must appear in the error message
  };
  const bad_case cases[] = {
      {"bad_missing_amount.json", errc::unexpected_shape,
       "ResultsByTime[3].Groups[2].Metrics.UnblendedCost.Amount is missing"},
      {"bad_amount_number.json", errc::unexpected_shape,
       "ResultsByTime[1].Groups[0].Metrics.UnblendedCost.Amount is not a string (found a number)"},
      {"bad_missing_unit.json", errc::unexpected_shape,
       "ResultsByTime[0].Groups[1].Metrics.UsageQuantity.Unit is missing"},
      {"bad_missing_results.json", errc::unexpected_shape, "ResultsByTime is missing"},
      {"bad_results_object.json", errc::unexpected_shape, "ResultsByTime is not an array (found an object)"},
      {"bad_missing_start.json", errc::unexpected_shape, "ResultsByTime[0].TimePeriod.Start is missing"},
      {"bad_missing_time_period.json", errc::unexpected_shape, "ResultsByTime[1].TimePeriod is missing"},
      {"bad_key_number.json", errc::unexpected_shape,
       "ResultsByTime[0].Groups[3].Keys[1] is not a string (found a number)"},
      {"bad_missing_keys.json", errc::unexpected_shape, "ResultsByTime[0].Groups[0].Keys is missing"},
      {"bad_metrics_array.json", errc::unexpected_shape,
       "ResultsByTime[0].Groups[0].Metrics is not an object (found an array)"},
      {"bad_estimated_string.json", errc::unexpected_shape,
       "ResultsByTime[0].Estimated is not a boolean (found a string)"},
      {"bad_token_number.json", errc::unexpected_shape, "NextPageToken is not a string (found a number)"},
      {"bad_group_definition.json", errc::unexpected_shape, "GroupDefinitions[1].Key is missing"},
      {"bad_root_array.json", errc::unexpected_shape, "(top level) is not an object (found an array)"},
      {"bad_truncated.json", errc::bad_json, "GetCostAndUsage response is not valid JSON"},
      {"bad_not_json.json", errc::bad_json, "is not valid JSON"},
      {"bad_deep_nesting.json", errc::bad_json, "is not valid JSON"},
      {"bad_invalid_utf8.json", errc::bad_json, "UTF-8"},
      {"bad_huge_number_literal.json", errc::bad_json, "is not valid JSON"},
  };
  for (const bad_case& c : cases) {
    CAPTURE(c.file);
    auto r = ce::cost_page::parse(read_data(c.file));
    REQUIRE_FALSE(r);
    CHECK(r.code() == c.code);
    CHECK_MESSAGE(r.error().message.find(c.message) != std::string::npos, r.error().message);
  }
}

TEST_CASE("empty, whitespace and scalar bodies are errors, not crashes") {
  CHECK(ce::cost_page::parse("").code() == errc::bad_json);
  CHECK(ce::cost_page::parse("   \n").code() == errc::bad_json);
  CHECK(ce::cost_page::parse("null").code() == errc::unexpected_shape);
  CHECK(ce::cost_page::parse("{}").code() == errc::unexpected_shape);
  CHECK(ce::cost_page::parse("{\"ResultsByTime\":null}").code() == errc::unexpected_shape);
  CHECK(ce::cost_page::parse(std::string(100000, '[')).code() == errc::bad_json);
  CHECK(ce::cost_page::parse(std::string("{\"ResultsByTime\":[]}\0garbage", 28)).code() == errc::bad_json);
}

TEST_CASE("huge or non-decimal amounts parse as text and fail only in amount()") {
  const ce::cost_page page = load("huge_amount.json");
  const ce::group g0 = page.results()[0].groups()[0];
  const ce::metric_value* huge = g0.metrics().find("UnblendedCost");
  CHECK(huge->amount_text() == "99999999999999999999999999999999999999.1");
  auto a = huge->amount();
  REQUIRE_FALSE(a);
  CHECK(a.code() == errc::invalid_argument);
  CHECK(a.error().message.find("UnblendedCost") != std::string::npos);
  CHECK(a.error().message.find("127 bits") != std::string::npos);
  CHECK(huge->amount_double() == doctest::Approx(1e38));

  const ce::metric_value* exp = page.results()[0].groups()[1].metrics().find("UnblendedCost");
  CHECK(exp->amount_text() == "1.5e3");
  CHECK(exp->amount().code() == errc::invalid_argument);
  CHECK(exp->amount_double() != exp->amount_double());  // NaN: not a plain decimal

  const ce::metric_value junk("M", "abc", "USD");
  CHECK(junk.amount_double() != junk.amount_double());
  CHECK_FALSE(junk.amount());
}

TEST_CASE("the tape reader reads every recorded page, exactly as the DOM reader does") {
  // Fails on a simdjson whose tape layout nobody checked yet (doc/tape.md):
  // cost_page then reads through the DOM accessors only, at half the speed.
  CHECK(finops_crawler::detail::json_tape::layout_checked);
  for (const char* name : {"cost_grouped_page1.json", "cost_grouped_page2.json", "cost_grouped_page3.json",
                           "cost_grouped_page4.json", "cost_linked_account.json", "cost_ungrouped.json",
                           "cost_with_resources.json", "cost_empty_last_page.json", "huge_amount.json",
                           "unknown_nested_ok.json"}) {
    CAPTURE(name);
    CHECK(tape_reader_takes(read_data(name)));
  }
}

TEST_CASE("a repeated member is refused as damaged (bad_json, retryable), never half-read") {
  // Each file repeats one member a reader uses; either copy alone would
  // drop or double rows. Both readers refuse it; the DOM reader names it.
  struct dup_case {
    const char* file;
    const char* message;  // must appear in the error message
  };
  const dup_case cases[] = {
      {"bad_duplicate_groups.json", "ResultsByTime[0].Groups appears twice"},
      {"bad_duplicate_results_by_time.json", "ResultsByTime appears twice"},
      {"bad_duplicate_total.json", "ResultsByTime[0].Total appears twice"},
      {"bad_duplicate_keys.json", "ResultsByTime[0].Groups[1].Keys appears twice"},
      {"bad_duplicate_metrics.json", "ResultsByTime[0].Groups[0].Metrics appears twice"},
      {"bad_duplicate_metric_name.json", "ResultsByTime[0].Groups[1].Metrics.UnblendedCost appears twice"},
      {"bad_duplicate_amount.json", "ResultsByTime[0].Groups[0].Metrics.UnblendedCost.Amount appears twice"},
      {"bad_duplicate_unit.json", "ResultsByTime[0].Total.UnblendedCost.Unit appears twice"},
      {"bad_duplicate_next_page_token.json", "NextPageToken appears twice"},
      {"bad_duplicate_time_period.json", "ResultsByTime[0].TimePeriod appears twice"},
      {"bad_duplicate_start.json", "ResultsByTime[0].TimePeriod.Start appears twice"},
      {"bad_duplicate_end.json", "ResultsByTime[0].TimePeriod.End appears twice"},
      {"bad_duplicate_estimated.json", "ResultsByTime[0].Estimated appears twice"},
      {"bad_duplicate_group_definitions.json", "GroupDefinitions appears twice"},
  };
  for (const dup_case& c : cases) {
    CAPTURE(c.file);
    const std::string json = read_data(c.file);
    CHECK_FALSE(tape_reader_takes(json));
    auto r = ce::cost_page::parse(json);
    REQUIRE_FALSE(r);
    CHECK(r.code() == errc::bad_json);
    CHECK(r.error().retryable);
    CHECK_MESSAGE(r.error().message.find(c.message) != std::string::npos, r.error().message);
    // A failed parse leaves nothing half-read.
    ce::cost_page page = load("cost_grouped_page1.json");
    CHECK_FALSE(page.reparse(json));
    CHECK(page.results().empty());
    CHECK(page.group_count() == 0);
  }
  // Repeated members inside objects the readers skip, and repeated values
  // (two groups with the same keys), are not this reader's business.
  auto ok = ce::cost_page::parse(
      R"({"ResultsByTime":[{"TimePeriod":{"Start":"s","End":"e"},"X":1,"X":2,"Groups":[)"
      R"({"Keys":["a"],"Metrics":{}},{"Keys":["a"],"Metrics":{},"Y":[],"Y":{}}]}],"Z":{"q":1,"q":2}})");
  REQUIRE_MESSAGE(ok, ok.error().message);
  CHECK(ok->group_count() == 2);
}

TEST_CASE("the tape reader handles member order and unknown members as the DOM reader") {
  const char* const taken[] = {
      // Unit before Amount, extra members in every object, escaped key names.
      R"({"NextPageToken":"t","ResultsByTime":[{"Estimated":true,"Groups":[{"Metrics":{"M":{"Unit":"USD","X":[1,{"a":2}],"Amount":"1.5"}},"Keys":["a","b"],"K2":null}],"Total":{},"TimePeriod":{"End":"e","Start":"s","Z":1.5}}],"Q":{"ResultsByTime":1}})",
      R"({"ResultsByTime":[{"TimePeriod":{"Start":"s","End":"e"},"Groups":[{"Keys":["k"],"Metrics":{"M":{"Am\u006funt":"2","Unit":"U"}}}]}]})",
      // A Total read after Groups starts where it is read.
      R"({"ResultsByTime":[{"TimePeriod":{"Start":"a","End":"b"},"Groups":[{"Keys":["k","l"],"Metrics":{"M":{"Amount":"1","Unit":"U"}}}],"Total":{"T":{"Amount":"3","Unit":"U"}}}],"NextPageToken":"x"})",
      // Totals without groups, groups without totals, empty lists.
      R"({"ResultsByTime":[{"TimePeriod":{"Start":"s","End":"e"},"Total":{"A":{"Amount":"1","Unit":"U"},"B":{"Amount":"-2","Unit":"N/A"}},"Groups":[],"Estimated":false}],"GroupDefinitions":[],"DimensionValueAttributes":[]})",
      R"({"ResultsByTime":[],"GroupDefinitions":[{"Type":"DIMENSION","Key":"SERVICE","Extra":{}}],"DimensionValueAttributes":[{"Value":"1","Attributes":{"description":"d","x":"y"}},{"Attributes":{},"Value":"2"}]})",
      // Numbers of every kind in skipped members (two tape words each).
      R"({"a":1,"b":-1,"c":1.5,"d":18446744073709551615,"ResultsByTime":[{"n":[1,2.5,-3],"TimePeriod":{"Start":"s","End":"e"}}],"z":true})",
  };
  for (const char* json : taken) CHECK(tape_reader_takes(json));

  // A repeated Groups member (found by the page fuzzer) is left to the DOM
  // reader, which refuses it with its path.
  const std::string twice =
      R"({"ResultsByTime":[{"TimePeriod":{"Start":"s","End":"e"},"Groups":[{"Keys":["a"],"Metrics":{}}],)"
      R"("Estimated":false,"Groups":[{"Keys":["b"],"Metrics":{}},{"Keys":["c"],"Metrics":{}}]}]})";
  CHECK_FALSE(tape_reader_takes(twice));
  CHECK(ce::cost_page::parse(twice).error().message.find("ResultsByTime[0].Groups appears twice") == 0);

  // What the tape reader leaves to the DOM reader: nulls where it expects
  // objects, arrays or booleans, and every malformed shape. The page still
  // parses (or fails) exactly as before.
  const char* const passed_on[] = {
      R"({"ResultsByTime":[{"TimePeriod":{"Start":"s","End":"e"},"Total":null,"Groups":null,"Estimated":null}]})",
      R"({"ResultsByTime":[],"GroupDefinitions":null,"DimensionValueAttributes":[{"Value":"v","Attributes":null}]})",
      R"({"ResultsByTime":[{"TimePeriod":{"Start":"s","End":"e"},"Groups":[{"Keys":["k"],"Metrics":{"M":{"Amount":1,"Unit":"U"}}}]}]})",
      R"({"ResultsByTime":[{"TimePeriod":{"Start":"s"}}]})",
      R"({"GroupDefinitions":[]})",
      R"([])",
  };
  for (const char* json : passed_on) CHECK_FALSE(tape_reader_takes(json));
  auto nulls = ce::cost_page::parse(passed_on[0]);
  REQUIRE(nulls);
  CHECK(nulls->results().size() == 1);
  CHECK(nulls->results()[0].total().empty());
  CHECK(ce::cost_page::parse(passed_on[2]).error().message ==
        "ResultsByTime[0].Groups[0].Metrics.M.Amount is not a string (found a number)");
}

TEST_CASE("a page read on the tape gives the values the JSON holds") {
  auto page = ce::cost_page::parse(
      R"({"ResultsByTime":[{"TimePeriod":{"Start":"2024-01-01","End":"2024-01-02"},"Total":{},)"
      R"("Groups":[{"Keys":["Amazon S3","Tax"],"Metrics":{"UnblendedCost":{"Unit":"USD","Amount":"-0.5"},)"
      R"("UsageQuantity":{"Amount":"3","Unit":"N/A"}}}],"Estimated":true}],"NextPageToken":"tok\"en"})");
  REQUIRE(page);
  const ce::result_by_time r = page->results()[0];
  CHECK(r.start() == "2024-01-01");
  CHECK(r.end() == "2024-01-02");
  CHECK(r.estimated());
  CHECK(r.total().empty());
  const ce::group g = r.groups()[0];
  REQUIRE(g.keys().size() == 2);
  CHECK(g.keys()[1] == "Tax");
  REQUIRE(g.metrics().size() == 2);
  CHECK(g.metrics()[0].name() == "UnblendedCost");
  CHECK(g.metrics()[0].amount_text() == "-0.5");
  CHECK(g.metrics()[0].unit() == "USD");
  CHECK(g.metrics().find("UsageQuantity")->amount_text() == "3");
  CHECK(page->next_page_token() == "tok\"en");
}
