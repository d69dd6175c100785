#include "finops_crawler/aws/ce/merged_results.hpp"

#include <doctest/doctest.h>

#include <fstream>
#include <iterator>
#include <set>
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

// cost_grouped_page1..4: 2024-03-01 whole on page 1; 2024-03-02 split over
// pages 1, 2 and 3; 2024-03-03 split over pages 3 and 4; 2024-03-04 whole on page 4.
const char* const grouped_pages[] = {"cost_grouped_page1.json", "cost_grouped_page2.json",
                                     "cost_grouped_page3.json", "cost_grouped_page4.json"};

ce::merged_results merge_all() {
  ce::merged_results merged;
  for (const char* name : grouped_pages) {
    const ce::cost_page page = load(name);  // destroyed after each iteration: merged keeps copies
    auto st = merged.add_page(page);
    REQUIRE_MESSAGE(st, st.error().message);
  }
  return merged;
}

std::string group_id(const ce::owned_group& g) {
  std::string id;
  for (const std::string& k : g.keys) id += k + '\x1f';
  return id;
}
}  // namespace

TEST_CASE("periods split over two and over three pages come out once, complete") {
  const ce::merged_results merged = merge_all();
  CHECK(merged.page_count() == 4);
  const auto& results = merged.results();
  REQUIRE(results.size() == 4);
  const char* starts[] = {"2024-03-01", "2024-03-02", "2024-03-03", "2024-03-04"};
  for (std::size_t i = 0; i < 4; ++i) {
    CAPTURE(i);
    CHECK(results[i].start == starts[i]);
    CHECK(results[i].groups.size() == 12);  // neither duplicated nor dropped
    std::set<std::string> ids;
    for (const ce::owned_group& g : results[i].groups) ids.insert(group_id(g));
    CHECK(ids.size() == 12);  // no group twice
  }
  // AWS order is kept across the seams: the split period's groups follow the
  // same service order as the whole ones.
  for (std::size_t j = 0; j < 12; ++j) CHECK(results[1].groups[j].keys == results[0].groups[j].keys);
  CHECK(results[3].estimated);
  CHECK_FALSE(results[1].estimated);
  REQUIRE(merged.group_definitions().size() == 2);
  CHECK(merged.group_definitions()[1].key == "USAGE_TYPE");
}

TEST_CASE("merged group amounts add up exactly to the ungrouped totals") {
  const ce::merged_results merged = merge_all();
  const ce::cost_page totals = load("cost_ungrouped.json");
  for (std::size_t i = 0; i < merged.results().size(); ++i) {
    const ce::owned_result_by_time& r = merged.results()[i];
    const ce::result_by_time t = totals.results()[i];
    REQUIRE(r.start == t.start());
    for (const char* metric : {"UnblendedCost", "UsageQuantity"}) {
      CAPTURE(r.start);
      CAPTURE(metric);
      decimal sum;
      for (const ce::owned_group& g : r.groups)
        for (const ce::owned_metric& m : g.metrics)
          if (m.name == metric) REQUIRE(sum.add_assign(*decimal::parse(m.amount)));
      const ce::metric_value* total = t.total().find(metric);
      REQUIRE(total != nullptr);
      CHECK(sum == *total->amount());
      CHECK(sum.to_string() == total->amount_text());  // same text: 10 digits kept
    }
  }
}

TEST_CASE("period_continuity tells a streaming writer which first periods continue") {
  ce::period_continuity cont;
  std::vector<bool> continued;
  std::vector<std::string> rows;  // what a CSV writer would emit: start + keys
  for (const char* name : grouped_pages) {
    const ce::cost_page page = load(name);
    continued.push_back(cont.feed(page));
    for (ce::result_by_time r : page.results())
      for (ce::group g : r.groups()) rows.push_back(std::string(r.start()) + "|" + std::string(g.keys()[0]) + "|" +
                                                    std::string(g.keys()[1]));
  }
  CHECK(continued == std::vector<bool>{false, true, true, true});
  CHECK(rows.size() == 48);
  CHECK(std::set<std::string>(rows.begin(), rows.end()).size() == 48);  // each row once

  // An empty page in between continues nothing and keeps the last period.
  cont.reset();
  CHECK_FALSE(cont.feed(load("cost_grouped_page1.json")));
  CHECK_FALSE(cont.feed(load("cost_empty_last_page.json")));
  CHECK(cont.feed(load("cost_grouped_page2.json")));
  const ce::cost_page page2 = load("cost_grouped_page2.json");  // named: a temporary's results() does not compile
  CHECK(ce::continues_period("2024-03-02", "2024-03-03", page2.results()[0]));
  CHECK_FALSE(ce::continues_period("2024-03-02", "2024-03-04", page2.results()[0]));
}

TEST_CASE("to_json writes AWS's shape with exact amounts and parses back") {
  const ce::merged_results merged = merge_all();
  auto json = merged.to_json();
  REQUIRE_MESSAGE(json, json.error().message);
  CHECK(json->find("\"Amount\":\"83.4831051202\"") != std::string::npos);
  CHECK(json->find("NextPageToken") == std::string::npos);
  auto back = ce::cost_page::parse(*json);
  REQUIRE_MESSAGE(back, back.error().message);
  REQUIRE(back->results().size() == merged.results().size());
  for (std::size_t i = 0; i < merged.results().size(); ++i) {
    const ce::owned_result_by_time again = back->results()[i].to_owned();
    const ce::owned_result_by_time& orig = merged.results()[i];
    CHECK(again.start == orig.start);
    CHECK(again.end == orig.end);
    CHECK(again.estimated == orig.estimated);
    REQUIRE(again.groups.size() == orig.groups.size());
    for (std::size_t j = 0; j < orig.groups.size(); ++j) {
      CHECK(again.groups[j].keys == orig.groups[j].keys);
      CHECK(again.groups[j].metrics == orig.groups[j].metrics);
    }
  }
  REQUIRE(back->group_definitions().size() == 2);
  CHECK(back->group_definitions()[0].key == "SERVICE");
}

TEST_CASE("ungrouped totals and account names survive merge and serialization") {
  ce::merged_results merged;
  REQUIRE(merged.add_page(load("cost_ungrouped.json")));
  REQUIRE(merged.add_page(load("cost_linked_account.json")));
  CHECK(merged.results().size() == 6);
  CHECK(merged.results()[0].total.size() == 2);
  REQUIRE(merged.dimension_value_attributes().size() == 3);
  CHECK(merged.dimension_value_attributes()[0].attributes[0].second == "Production \"main\" \xc3\xa9quipe");
  auto json = merged.to_json();
  REQUIRE(json);
  CHECK(json->find(R"("description":"Production \"main\" )") != std::string::npos);
  auto back = ce::cost_page::parse(*json);
  REQUIRE(back);
  CHECK(back->results()[0].total().find("UnblendedCost")->amount_text() ==
        merged.results()[0].total[0].amount);
  CHECK(back->dimension_value_attributes()[0].attribute_value("description") == "Production \"main\" \xc3\xa9quipe");
}

TEST_CASE("a repeated group, a page fed twice, different totals are errors that change nothing") {
  ce::merged_results merged;
  REQUIRE(merged.add_page(load("cost_grouped_page1.json")));
  // Page 1 again: its first period is not a continuation and was merged already.
  auto again = merged.add_page(load("cost_grouped_page1.json"));
  REQUIRE_FALSE(again);
  CHECK(again.code() == errc::unexpected_shape);
  CHECK(again.error().message.find("already merged") != std::string::npos);
  CHECK(merged.results().size() == 2);
  CHECK(merged.page_count() == 1);

  // A continuation that repeats a group of the first half.
  auto dup = ce::cost_page::parse(
      R"({"ResultsByTime":[{"TimePeriod":{"Start":"2024-03-02","End":"2024-03-03"},"Total":{},)"
      R"("Groups":[{"Keys":["Amazon Elastic Compute Cloud - Compute","USE1-BoxUsage:t3.micro"],)"
      R"("Metrics":{"UnblendedCost":{"Amount":"1","Unit":"USD"}}}],"Estimated":false}]})");
  REQUIRE(dup);
  auto st = merged.add_page(*dup);
  REQUIRE_FALSE(st);
  CHECK(st.error().message.find("repeats group [Amazon Elastic Compute Cloud - Compute, USE1-BoxUsage:t3.micro]") !=
        std::string::npos);
  CHECK(merged.results()[1].groups.size() == 5);

  // Different GroupDefinitions.
  auto other = ce::cost_page::parse(R"({"GroupDefinitions":[{"Type":"TAG","Key":"team"}],"ResultsByTime":[]})");
  REQUIRE(other);
  CHECK(merged.add_page(*other).code() == errc::unexpected_shape);

  // Two halves with different non-empty Totals.
  ce::merged_results totals;
  REQUIRE(totals.add_page(*ce::cost_page::parse(
      R"({"ResultsByTime":[{"TimePeriod":{"Start":"a","End":"b"},"Total":{"M":{"Amount":"1","Unit":"USD"}}}]})")));
  auto conflict = totals.add_page(*ce::cost_page::parse(
      R"({"ResultsByTime":[{"TimePeriod":{"Start":"a","End":"b"},"Total":{"M":{"Amount":"2","Unit":"USD"}}}]})"));
  REQUIRE_FALSE(conflict);
  CHECK(conflict.error().message.find("different Totals") != std::string::npos);
  // The same Total twice is fine (nothing to add), and Estimated is or-ed.
  REQUIRE(totals.add_page(*ce::cost_page::parse(
      R"({"ResultsByTime":[{"TimePeriod":{"Start":"a","End":"b"},"Total":{"M":{"Amount":"1","Unit":"USD"}},"Estimated":true}]})")));
  CHECK(totals.results().size() == 1);
  CHECK(totals.results()[0].estimated);

  // A page repeating a period within itself.
  ce::merged_results self;
  CHECK_FALSE(self.add_page(*ce::cost_page::parse(
      R"({"ResultsByTime":[{"TimePeriod":{"Start":"a","End":"b"}},{"TimePeriod":{"Start":"a","End":"b"}}]})")));
  CHECK(self.results().empty());
}

TEST_CASE("take_results moves the periods out") {
  ce::merged_results merged = merge_all();
  std::vector<ce::owned_result_by_time> taken = std::move(merged).take_results();
  CHECK(taken.size() == 4);
}
