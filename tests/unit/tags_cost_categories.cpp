// GetTags and GetCostCategories end to end: ce::cost_explorer through real
// libcurl against the in-process simulator. Pagination across pages, the
// billable count (one per page, the simulator's and the client's), the
// values equal to what GetCostAndUsage's TAG and COST_CATEGORY grouping
// serves (the simulator's ground truth), the validation that blocks the
// send, and a damaged (repeated-member) reply retried.
#include "finops_crawler/aws/ce/cost_explorer.hpp"

#include "sim_test_support.hpp"
#include "synthetic_data.hpp"

#include <doctest/doctest.h>

#include <set>
#include <string>
#include <vector>

using namespace finops_crawler;

namespace {

struct listing_fixture : sim_test::running_simulator {
  explicit listing_fixture(std::size_t page = 1000) : running_simulator(make_options(page)) {}
  static sim::options make_options(std::size_t page) {
    sim::options o;
    o.data.seed = 11;
    o.data.days = 5;  // start_date empty: the window ends today
    o.data.account_count = 6;
    o.page_size_tags = page;
    o.page_size_cost_categories = page;
    o.threads = 2;
    o.keep_alive_timeout_s = 2;
    return o;
  }
  ce::cost_explorer explorer() {
    return ce::cost_explorer(aws::json_client(sim_test::client_options(aws::cost_explorer_api, sim.endpoint_url())));
  }
  ce::date_interval period() const {
    return {sim::format_date(sim.data().first_day()), sim::format_date(sim.data().end_day())};
  }
  // The group keys GetCostAndUsage serves for one GroupBy over the window,
  // without their "Key$" prefix.
  std::set<std::string> grouped_values(const sim::group_def& g) const {
    sim::query q;
    q.start_day = sim.data().first_day();
    q.end_day = sim.data().end_day();
    q.gran = sim::granularity::monthly;
    q.metrics = {sim::metric::unblended_cost};
    q.group_by = {g};
    std::set<std::string> out;
    for (const auto& p : sim::ground_truth(sim.data(), q))
      for (const auto& gr : p.groups) out.insert(gr.keys[0].substr(gr.keys[0].find('$') + 1));
    return out;
  }
};

sim::group_def tag_group(std::string key) {
  sim::group_def g;
  g.is_tag = true;
  g.tag_key = std::move(key);
  return g;
}

}  // namespace

TEST_CASE("GetTags: the keys across pages, one billable request per page") {
  listing_fixture f(1);
  auto ce = f.explorer();
  ce::tags_request r;
  r.time_period = f.period();
  std::vector<std::string> keys;
  std::uint64_t last_index = 0;
  auto stats = ce.crawl_tags(r, [&](const ce::tags_page& p, const ce::page_info& info) {
    CHECK(p.tags().size() == 1);
    CHECK(p.return_size() == 1);
    CHECK(p.total_size() == sim::tag_keys.size());
    for (std::string_view t : p.tags()) keys.emplace_back(t);
    last_index = info.index;
  });
  REQUIRE_MESSAGE(stats, stats.error().describe());
  // The keys GetCostAndUsage's TAG grouping knows, each once.
  CHECK(keys == std::vector<std::string>(sim::tag_keys.begin(), sim::tag_keys.end()));
  CHECK(stats->pages == sim::tag_keys.size());
  CHECK(last_index + 1 == stats->pages);
  CHECK(stats->complete);
  CHECK(stats->billable_requests == stats->pages);
  CHECK(ce.counters().billable_requests == stats->pages);
  CHECK(f.sim.stats().billable == stats->pages);
  CHECK(f.sim.stats().requests == stats->pages);
}

TEST_CASE("GetTags with a TagKey: exactly the values TAG grouping serves, untagged as \"\"") {
  listing_fixture f(2);
  auto ce = f.explorer();
  for (std::string_view key : sim::tag_keys) {
    CAPTURE(std::string(key));
    ce::tags_request r;
    r.time_period = f.period();
    r.tag_key = std::string(key);
    std::set<std::string> values;
    auto stats = ce.crawl_tags(r, [&](const ce::tags_page& p, const ce::page_info&) {
      for (std::string_view t : p.tags()) CHECK(values.insert(std::string(t)).second);
    });
    REQUIRE_MESSAGE(stats, stats.error().describe());
    const std::set<std::string> truth = f.grouped_values(tag_group(std::string(key)));
    CHECK(values == truth);
    CHECK(values.count("") == 1);  // the synthetic data has untagged resources
    CHECK(stats->pages == (truth.size() + 1) / 2);
  }
  // A key in the wrong case is another key: no values.
  ce::tags_request r;
  r.time_period = f.period();
  r.tag_key = "team";
  ce::tags_page page;
  REQUIRE(ce.get_tags(r, page));
  CHECK(page.tags().empty());
  CHECK(page.total_size() == 0);
  // SearchString narrows the values (case-insensitively, as AWS).
  r.tag_key = "Team";
  r.search_string = "PLAT";
  REQUIRE(ce.get_tags(r, page));
  REQUIRE(page.tags().size() == 1);
  CHECK(page.tags()[0] == "platform");
}

TEST_CASE("GetCostCategories: names, then one category's values across pages") {
  listing_fixture f(1);
  auto ce = f.explorer();
  ce::cost_categories_request r;
  r.time_period = f.period();
  ce::cost_categories_page page;
  REQUIRE(ce.get_cost_categories(r, page));
  REQUIRE(page.names().size() == 1);
  CHECK(page.names()[0] == sim::cost_category_name);
  CHECK_FALSE(page.has_values());
  CHECK_FALSE(page.has_next_page_token());

  r.cost_category_name = std::string(sim::cost_category_name);
  std::set<std::string> values;
  auto stats = ce.crawl_cost_categories(r, [&](const ce::cost_categories_page& p, const ce::page_info&) {
    CHECK(p.has_values());
    for (std::string_view v : p.values()) CHECK(values.insert(std::string(v)).second);
  });
  REQUIRE_MESSAGE(stats, stats.error().describe());
  sim::group_def g;
  g.is_cost_category = true;
  const std::set<std::string> truth = f.grouped_values(g);
  CHECK(values == truth);
  CHECK(stats->pages == truth.size());
  CHECK(stats->billable_requests == truth.size());
  CHECK(f.sim.stats().billable == 1 + truth.size());

  // GetCostAndUsage groups by the category the listing named.
  ce::cost_and_usage_request c;
  c.time_period = f.period();
  c.granularity = ce::granularity::monthly;
  c.metrics = {"UnblendedCost"};
  c.group_by = {ce::group_by::cost_category(std::string(sim::cost_category_name))};
  ce::cost_page cp;
  REQUIRE(ce.get_cost_and_usage(c, cp));
  std::set<std::string> keys;
  for (ce::result_by_time rt : cp.results())
    for (ce::group gr : rt.groups()) keys.insert(std::string(gr.keys()[0]));
  std::set<std::string> want;
  for (const auto& v : truth) want.insert(std::string(sim::cost_category_name) + "$" + v);
  CHECK(keys == want);

  // A category without costs has no values.
  r.cost_category_name = "Nothing";
  REQUIRE(ce.get_cost_categories(r, page));
  CHECK(page.values().empty());
}

TEST_CASE("GetTags and GetCostCategories: a refused request sends nothing; a damaged reply is retried") {
  listing_fixture f;
  auto ce = f.explorer();
  ce::tags_request t;
  t.time_period = f.period();
  t.max_results = 5;  // without SortBy
  ce::tags_page tp;
  CHECK(ce.get_tags(t, tp).code() == errc::invalid_argument);
  CHECK(ce.crawl_tags(t, [](const ce::tags_page&, const ce::page_info&) {}).code() == errc::invalid_argument);
  ce::cost_categories_request c;
  c.time_period = f.period();
  c.cost_category_name = "has/slash";
  ce::cost_categories_page cp;
  CHECK(ce.get_cost_categories(c, cp).code() == errc::invalid_argument);
  c.cost_category_name.reset();
  c.time_period.end = c.time_period.start;
  CHECK(ce.crawl_cost_categories(c, [](const ce::cost_categories_page&, const ce::page_info&) {}).code() ==
        errc::invalid_argument);
  CHECK(f.sim.stats().requests == 0);
  CHECK(ce.counters().billable_requests == 0);

  t.max_results.reset();
  f.sim.script_faults(sim::fault::duplicate_key, 1);
  auto st = ce.get_tags(t, tp);
  REQUIRE_MESSAGE(st, st.error().describe());
  CHECK(tp.tags().size() == sim::tag_keys.size());
  CHECK(ce.counters().retries == 1);
  f.sim.script_faults(sim::fault::duplicate_key, 8);
  c.time_period = f.period();
  st = ce.get_cost_categories(c, cp);
  REQUIRE_FALSE(st);
  CHECK(st.code() == errc::bad_json);
  CHECK_MESSAGE(st.error().message.rfind("Cost Explorer GetCostCategories: ", 0) == 0, st.error().message);
  CHECK_MESSAGE(st.error().message.find("appears twice") != std::string::npos, st.error().message);
  f.sim.clear_script();
}
