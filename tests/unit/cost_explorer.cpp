// ce::cost_explorer: every operation through real libcurl against the
// in-process simulator (one page and whole crawls), every validation rule of
// the request model blocking the send (the simulator's request counter stays
// 0), and a scripted transport for replies no real service sends (a
// repeated NextPageToken, a wrong shape).
#include "finops_crawler/aws/ce/cost_explorer.hpp"

#include "finops_crawler/aws/ce/merged_results.hpp"
#include "sim_test_support.hpp"
#include "synthetic_data.hpp"

#include <doctest/doctest.h>

#include <chrono>
#include <cstdlib>
#include <functional>
#include <memory>
#include <set>
#include <string>
#include <vector>

using namespace finops_crawler;
using namespace std::chrono_literals;

namespace {

using sim_test::has;

aws::client_options options_for(std::string url) {
  return sim_test::client_options(aws::cost_explorer_api, std::move(url));
}

// The simulator with data ending today (so GetCostAndUsageWithResources'
// 14-day window and GetCostForecast's "start not before today" hold).
struct sim_fixture : sim_test::running_simulator {
  explicit sim_fixture(std::size_t page_groups = 1000, std::size_t page_values = 1000)
      : running_simulator(make_options(page_groups, page_values)) {}
  static sim::options make_options(std::size_t page_groups, std::size_t page_values) {
    sim::options o;
    o.data.seed = 5;
    o.data.days = 6;  // start_date empty: the window ends today
    o.page_size_groups = page_groups;
    o.page_size_dimension_values = page_values;
    o.threads = 2;
    o.keep_alive_timeout_s = 2;
    return o;
  }
  ce::cost_explorer explorer() { return ce::cost_explorer(aws::json_client(options_for(sim.endpoint_url()))); }
  std::string first() const { return sim::format_date(sim.data().first_day()); }
  std::string end() const { return sim::format_date(sim.data().end_day()); }
  std::string today() const { return sim::format_date(sim.data().end_day() - 1); }
};

ce::cost_and_usage_request cost_request(const sim_fixture& f) {
  ce::cost_and_usage_request r;
  r.time_period = {f.first(), f.end()};
  r.granularity = ce::granularity::daily;
  r.metrics = {"UnblendedCost"};
  r.group_by = {ce::group_by::dimension("SERVICE"), ce::group_by::dimension("USAGE_TYPE")};
  return r;
}

const char* const ec2 = "Amazon Elastic Compute Cloud - Compute";

ce::cost_and_usage_with_resources_request resources_request(const sim_fixture& f) {
  ce::cost_and_usage_with_resources_request r;
  r.time_period = {f.first(), f.end()};
  r.granularity = ce::granularity::daily;
  r.metrics = {"UnblendedCost"};
  r.filter = ce::expression::dimension("SERVICE", {ec2});
  r.group_by = {ce::group_by::dimension("RESOURCE_ID")};
  return r;
}

ce::dimension_values_request dimension_request(const sim_fixture& f) {
  ce::dimension_values_request r;
  r.time_period = {f.first(), f.end()};
  r.dimension = "SERVICE";
  return r;
}

ce::cost_forecast_request forecast_request(const sim_fixture& f) {
  ce::cost_forecast_request r;
  const std::int64_t today = f.sim.data().end_day() - 1;
  r.time_period = {sim::format_date(today), sim::format_date(today + 10)};
  r.metric = "UNBLENDED_COST";
  r.granularity = ce::granularity::daily;
  return r;
}

decimal dec(std::string_view s) {
  auto d = decimal::parse(s);
  REQUIRE_MESSAGE(d, std::string(s));
  return *d;
}

}  // namespace

TEST_CASE("GetCostAndUsage: one page, then the next from its token") {
  sim_fixture f(5);
  auto ce = f.explorer();
  ce::cost_and_usage_request req = cost_request(f);
  ce::cost_page page;
  REQUIRE(ce.get_cost_and_usage(req, page));
  CHECK(page.group_count() == 5);
  REQUIRE(page.has_next_page_token());
  CHECK(page.results().size() >= 1);
  CHECK(page.results()[0].start() == f.first());
  const std::string first_key = std::string(page.results()[0].groups()[0].keys()[0]);
  req.next_page_token = std::string(page.next_page_token());
  REQUIRE(ce.get_cost_and_usage(req, page));
  CHECK(page.group_count() >= 1);
  CHECK(ce.counters().billable_requests == 2);
  CHECK(f.sim.stats().billable == 2);
  CHECK_FALSE(first_key.empty());
}

TEST_CASE("GetCostAndUsage without GroupBy: totals per day equal the ground truth exactly") {
  sim_fixture f;
  auto ce = f.explorer();
  ce::cost_and_usage_request req = cost_request(f);
  req.group_by.clear();
  req.metrics = {"UnblendedCost", "UsageQuantity"};
  ce::cost_page page;
  REQUIRE(ce.get_cost_and_usage(req, page));
  CHECK_FALSE(page.has_next_page_token());
  sim::query q;
  q.start_day = f.sim.data().first_day();
  q.end_day = f.sim.data().end_day();
  q.metrics = {sim::metric::unblended_cost, sim::metric::usage_quantity};
  const auto truth = sim::ground_truth(f.sim.data(), q);
  REQUIRE(page.results().size() == truth.size());
  for (std::size_t i = 0; i < truth.size(); ++i) {
    const auto r = page.results()[i];
    const ce::metric_value* m = r.total().find("UnblendedCost");
    REQUIRE(m);
    CHECK(dec(m->amount_text()) == dec(truth[i].total[0].amount.to_string()));
    CHECK(m->unit() == "USD");
  }
}

TEST_CASE("GetCostAndUsageWithResources: every page of EC2 resources") {
  sim_fixture f(3);
  auto ce = f.explorer();
  std::set<std::string> resources;
  ce::merged_results merged;
  auto stats = ce.crawl_cost_and_usage_with_resources(resources_request(f), [&](const ce::cost_page& p,
                                                                                const ce::page_info&) {
    for (ce::result_by_time r : p.results())
      for (ce::group g : r.groups()) resources.insert(std::string(g.keys()[0]));
    return merged.add_page(p);
  });
  REQUIRE_MESSAGE(stats, stats.error().describe());
  CHECK(stats->pages > 1);
  CHECK(stats->billable_requests == stats->pages);
  CHECK_FALSE(resources.empty());
  // EC2 instances, and "NoResourceId" for EC2 usage without a resource.
  for (const auto& id : resources) CHECK_MESSAGE((id.rfind("i-", 0) == 0 || id == "NoResourceId"), id);
  CHECK(resources.size() > 1);

  // Ground truth: the same query on the synthetic data.
  sim::query q;
  q.start_day = f.sim.data().first_day();
  q.end_day = f.sim.data().end_day();
  q.metrics = {sim::metric::unblended_cost};
  q.group_by = {sim::group_def{false, sim::dimension::resource_id, {}}};
  sim::expression flt;
  flt.dim = sim::dimension::service;
  flt.values = {ec2};
  q.filter = flt;
  const auto truth = sim::ground_truth(f.sim.data(), q);
  REQUIRE(merged.results().size() == truth.size());
  for (std::size_t i = 0; i < truth.size(); ++i) {
    REQUIRE(merged.results()[i].groups.size() == truth[i].groups.size());
    decimal a, b;
    for (const auto& g : merged.results()[i].groups) REQUIRE(a.add_assign(dec(g.metrics[0].amount)));
    for (const auto& g : truth[i].groups) REQUIRE(b.add_assign(dec(g.metrics[0].amount.to_string())));
    CHECK(a == b);
  }
}

TEST_CASE("GetDimensionValues: one page and the whole crawl") {
  sim_fixture f(1000, 2);
  auto ce = f.explorer();
  ce::dimension_values_page page;
  REQUIRE(ce.get_dimension_values(dimension_request(f), page));
  CHECK(page.values().size() == 2);
  CHECK(page.has_next_page_token());
  const std::uint64_t total = page.total_size();

  std::set<std::string> values;
  auto stats = ce.crawl_dimension_values(dimension_request(f), [&](const ce::dimension_values_page& p,
                                                                   const ce::page_info&) {
    for (ce::dimension_value v : p.values()) CHECK(values.insert(std::string(v.value())).second);
  });
  REQUIRE_MESSAGE(stats, stats.error().describe());
  CHECK(values.size() == total);
  CHECK(stats->pages == (total + 1) / 2);
  // Every service of the synthetic catalog with usage in the window.
  sim::query q;
  q.start_day = f.sim.data().first_day();
  q.end_day = f.sim.data().end_day();
  q.gran = sim::granularity::monthly;
  q.metrics = {sim::metric::unblended_cost};
  q.group_by = {sim::group_def{false, sim::dimension::service, {}}};
  std::set<std::string> truth;
  for (const auto& p : sim::ground_truth(f.sim.data(), q))
    for (const auto& g : p.groups) truth.insert(g.keys[0]);
  CHECK(values == truth);
}

TEST_CASE("GetCostForecast") {
  sim_fixture f;
  auto ce = f.explorer();
  ce::forecast_page page;
  REQUIRE_MESSAGE(ce.get_cost_forecast(forecast_request(f), page), "forecast");
  CHECK(page.results().size() == 10);
  REQUIRE(page.has_total());
  decimal sum;
  for (const auto& r : page.results()) REQUIRE(sum.add_assign(*r.mean()));
  CHECK(sum == *page.total().amount());
  // Forecasts are billed like every Cost Explorer request.
  CHECK(ce.counters().billable_requests == 1);
}

TEST_CASE("every validation rule blocks the send: nothing leaves the process") {
  sim_fixture f;
  auto ce = f.explorer();
  ce::cost_page cost;
  ce::dimension_values_page dims;
  ce::forecast_page forecast;
  using cr = ce::cost_and_usage_request;
  using rr = ce::cost_and_usage_with_resources_request;
  using dr = ce::dimension_values_request;
  using fr = ce::cost_forecast_request;
  const std::string future = sim::format_date(f.sim.data().end_day() + 30);
  const std::string old = sim::format_date(f.sim.data().end_day() - 40);

  struct cost_case {
    const char* name;
    std::function<void(cr&)> mutate;
  };
  const std::vector<cost_case> cost_cases = {
      {"missing granularity", [](cr& r) { r.granularity.reset(); }},
      {"no metrics", [](cr& r) { r.metrics.clear(); }},
      {"duplicate metric", [](cr& r) { r.metrics = {"UnblendedCost", "UnblendedCost"}; }},
      {"misspelled metric", [](cr& r) { r.metrics = {"unblendedcost"}; }},
      {"unknown metric", [](cr& r) { r.metrics = {"Dollars"}; }},
      {"end before start", [](cr& r) { std::swap(r.time_period.start, r.time_period.end); }},
      {"end equal to start", [](cr& r) { r.time_period.end = r.time_period.start; }},
      {"malformed start", [](cr& r) { r.time_period.start = "2024-1-01"; }},
      {"impossible date", [](cr& r) { r.time_period.end = "2024-02-30"; }},
      {"missing start", [](cr& r) { r.time_period.start.clear(); }},
      {"date-time without HOURLY", [](cr& r) { r.time_period.start += "T00:00:00Z"; }},
      {"HOURLY with plain dates", [](cr& r) { r.granularity = ce::granularity::hourly; }},
      {"start in the future", [&](cr& r) { r.time_period = {future, sim::format_date(f.sim.data().end_day() + 40)}; }},
      {"three group-bys",
       [](cr& r) { r.group_by.push_back(ce::group_by::dimension("REGION")); }},
      {"duplicate group-by",
       [](cr& r) { r.group_by = {ce::group_by::dimension("SERVICE"), ce::group_by::dimension("SERVICE")}; }},
      {"empty group key", [](cr& r) { r.group_by = {ce::group_by::tag("")}; }},
      {"RESOURCE_ID outside WithResources", [](cr& r) { r.group_by = {ce::group_by::dimension("RESOURCE_ID")}; }},
      {"unknown dimension", [](cr& r) { r.group_by = {ce::group_by::dimension("Service")}; }},
      {"tag key too long", [](cr& r) { r.group_by = {ce::group_by::tag(std::string(1025, 'k'))}; }},
      {"bad cost category name", [](cr& r) { r.group_by = {ce::group_by::cost_category(" lead")}; }},
      {"filter with two operators",
       [](cr& r) {
         ce::expression e = ce::expression::dimension("SERVICE", {"AWS Lambda"});
         e.tags = ce::key_values{std::string("team"), std::vector<std::string>{"web"}, {}};
         r.filter = e;
       }},
      {"filter with no operator", [](cr& r) { r.filter = ce::expression(); }},
      {"And with one operand",
       [](cr& r) { r.filter = ce::expression::and_({ce::expression::dimension("SERVICE", {"AWS Lambda"})}); }},
      {"Or with none", [](cr& r) { r.filter = ce::expression::or_({}); }},
      {"filter nested too deep",
       [](cr& r) {
         ce::expression e = ce::expression::dimension("SERVICE", {"AWS Lambda"});
         for (int i = 0; i < 40; ++i) e = ce::expression::not_(e);
         r.filter = e;
       }},
      {"filter dimension without values", [](cr& r) { r.filter = ce::expression::dimension("SERVICE", {}); }},
      {"filter dimension unknown", [](cr& r) { r.filter = ce::expression::dimension("NOPE", {"x"}); }},
      {"filter match option not allowed",
       [](cr& r) { r.filter = ce::expression::dimension("SERVICE", {"x"}, {ce::match_option::absent}); }},
      {"filter RESOURCE_ID outside WithResources",
       [](cr& r) { r.filter = ce::expression::dimension("RESOURCE_ID", {"i-1"}); }},
      {"filter value not UTF-8", [](cr& r) { r.filter = ce::expression::dimension("SERVICE", {"\xff\xfe"}); }},
      {"billing view ARN malformed", [](cr& r) { r.billing_view_arn = "arn:aws:billing::1:billingview/x"; }},
      {"empty next page token", [](cr& r) { r.next_page_token = std::string(); }},
      {"next page token too long", [](cr& r) { r.next_page_token = std::string(8193, 'a'); }},
  };
  for (const auto& c : cost_cases) {
    CAPTURE(c.name);
    cr r = cost_request(f);
    c.mutate(r);
    status st = ce.get_cost_and_usage(r, cost);
    CHECK(st.code() == errc::invalid_argument);
    CHECK_FALSE(st.error().message.empty());
    // The crawl refuses the same request before its first send.
    auto crawl = ce.crawl_cost_and_usage(r, [](const ce::cost_page&, const ce::page_info&) {});
    CHECK(crawl.code() == errc::invalid_argument);
  }

  struct resources_case {
    const char* name;
    std::function<void(rr&)> mutate;
  };
  const std::vector<resources_case> resources_cases = {
      {"no filter", [](rr& r) { r.filter.reset(); }},
      {"filter without the EC2 service", [](rr& r) { r.filter = ce::expression::dimension("SERVICE", {"AWS Lambda"}); }},
      {"neither grouped nor filtered by resource", [](rr& r) { r.group_by = {ce::group_by::dimension("SERVICE")}; }},
      {"no metrics", [](rr& r) { r.metrics.clear(); }},
      {"older than 14 days", [&](rr& r) { r.time_period.start = old; }},
      {"missing granularity", [](rr& r) { r.granularity.reset(); }},
  };
  for (const auto& c : resources_cases) {
    CAPTURE(c.name);
    rr r = resources_request(f);
    c.mutate(r);
    CHECK(ce.get_cost_and_usage_with_resources(r, cost).code() == errc::invalid_argument);
    auto crawl = ce.crawl_cost_and_usage_with_resources(r, [](const ce::cost_page&, const ce::page_info&) {});
    CHECK(crawl.code() == errc::invalid_argument);
  }

  struct dimension_case {
    const char* name;
    std::function<void(dr&)> mutate;
  };
  const std::vector<dimension_case> dimension_cases = {
      {"no dimension", [](dr& r) { r.dimension.clear(); }},
      {"unknown dimension", [](dr& r) { r.dimension = "SERVICES"; }},
      {"dimension not in the context",
       [](dr& r) {
         r.dimension = "SAVINGS_PLANS_TYPE";
         r.context = ce::context::reservations;
       }},
      {"search string too long", [](dr& r) { r.search_string = std::string(1025, 's'); }},
      {"MaxResults without SortBy", [](dr& r) { r.max_results = 10; }},
      {"MaxResults out of range",
       [](dr& r) {
         r.sort_by = {ce::sort_definition{"UnblendedCost", ce::sort_order::descending}};
         r.max_results = 1001;
       }},
      {"SortBy with a next page token",
       [](dr& r) {
         r.sort_by = {ce::sort_definition{"UnblendedCost", std::nullopt}};
         r.next_page_token = "abc";
       }},
      {"SortBy key not a metric", [](dr& r) { r.sort_by = {ce::sort_definition{"Cost", std::nullopt}}; }},
      {"end before start", [](dr& r) { std::swap(r.time_period.start, r.time_period.end); }},
      {"empty next page token", [](dr& r) { r.next_page_token = std::string(); }},
  };
  for (const auto& c : dimension_cases) {
    CAPTURE(c.name);
    dr r = dimension_request(f);
    c.mutate(r);
    CHECK(ce.get_dimension_values(r, dims).code() == errc::invalid_argument);
    auto crawl = ce.crawl_dimension_values(r, [](const ce::dimension_values_page&, const ce::page_info&) {});
    CHECK(crawl.code() == errc::invalid_argument);
  }

  struct forecast_case {
    const char* name;
    std::function<void(fr&)> mutate;
  };
  const std::vector<forecast_case> forecast_cases = {
      {"GetCostAndUsage metric spelling", [](fr& r) { r.metric = "UnblendedCost"; }},
      {"no metric", [](fr& r) { r.metric.clear(); }},
      {"HOURLY", [](fr& r) { r.granularity = ce::granularity::hourly; }},
      {"no granularity", [](fr& r) { r.granularity.reset(); }},
      {"prediction interval 50", [](fr& r) { r.prediction_interval_level = 50; }},
      {"prediction interval 100", [](fr& r) { r.prediction_interval_level = 100; }},
      {"end before start", [](fr& r) { std::swap(r.time_period.start, r.time_period.end); }},
  };
  for (const auto& c : forecast_cases) {
    CAPTURE(c.name);
    fr r = forecast_request(f);
    c.mutate(r);
    CHECK(ce.get_cost_forecast(r, forecast).code() == errc::invalid_argument);
  }

  // Nothing reached the simulator, nothing was counted or billed.
  CHECK(f.sim.stats().requests == 0);
  CHECK(f.sim.stats().connections == 0);
  CHECK(ce.counters().requests_sent == 0);
  CHECK(ce.counters().billable_requests == 0);

  // The same client does send a valid request (so the zeros above mean something).
  REQUIRE(ce.get_cost_and_usage(cost_request(f), cost));
  CHECK(f.sim.stats().requests == 1);
}

TEST_CASE("a client made for another service is refused before sending") {
  sim_fixture f;
  aws::client_options o = options_for(f.sim.endpoint_url());
  o.service = aws::organizations_api;
  ce::cost_explorer ce{aws::json_client(std::move(o))};
  ce::cost_page page;
  CHECK(ce.get_cost_and_usage(cost_request(f), page).code() == errc::invalid_argument);
  CHECK(f.sim.stats().requests == 0);
}

TEST_CASE("AWS errors come back as they are: an expired-token error is not retried") {
  sim::options o = sim_fixture::make_options(1000, 1000);
  sim::credential bad;
  bad.access_key_id = "AKIAEXPIREDEXAMPLE01";
  bad.secret_access_key = "expiredSecretKey000000000000000000000000";
  bad.expired = true;
  o.credentials = {bad};
  sim_test::prepare_process();
  sim::simulator s(o);
  REQUIRE(s.start());
  aws::client_options co = options_for(s.endpoint_url());
  co.creds = *aws::credentials::make(bad.access_key_id, bad.secret_access_key);
  ce::cost_explorer ce{aws::json_client(std::move(co))};
  ce::cost_page page;
  ce::cost_and_usage_request r;
  r.time_period = {sim::format_date(s.data().first_day()), sim::format_date(s.data().end_day())};
  r.granularity = ce::granularity::daily;
  r.metrics = {"UnblendedCost"};
  status st = ce.get_cost_and_usage(r, page);
  CHECK(st.code() == errc::aws_error);
  CHECK(st.error().aws_code == "ExpiredTokenException");
  CHECK(s.stats().requests == 1);
  CHECK(ce.counters().billable_requests == 0);
  CHECK_FALSE(has(st.error().describe(), bad.secret_access_key));
}

// ---------------------------------------------------------------------------
// Scripted replies through a fake transport.

namespace {

class scripted_transport : public http::transport {
 public:
  explicit scripted_transport(std::function<std::string(const http::http_request&)> reply, int* count)
      : reply_(std::move(reply)), count_(count) {}
  result<http::http_response> send(const http::http_request& request) override {
    ++*count_;
    http::http_response r;
    r.status = 200;
    r.headers.push_back({"x-amzn-RequestId", "req-" + std::to_string(*count_)});
    r.body = reply_(request);
    return r;
  }

 private:
  std::function<std::string(const http::http_request&)> reply_;
  int* count_;
};

ce::cost_explorer scripted(std::function<std::string(const http::http_request&)> reply, int* count) {
  aws::client_options o = options_for("https://ce.us-east-1.amazonaws.com");
  o.transport = std::make_unique<scripted_transport>(std::move(reply), count);
  ce::cost_explorer_options eo;
  eo.today = "2024-06-01";
  return ce::cost_explorer(aws::json_client(std::move(o)), eo);
}

ce::cost_and_usage_request fixed_request() {
  ce::cost_and_usage_request r;
  r.time_period = {"2024-05-01", "2024-05-03"};
  r.granularity = ce::granularity::daily;
  r.metrics = {"UnblendedCost"};
  return r;
}

const char* const day_page =
    R"({"ResultsByTime":[{"TimePeriod":{"Start":"2024-05-01","End":"2024-05-02"},)"
    R"("Total":{"UnblendedCost":{"Amount":"1.5","Unit":"USD"}},"Groups":[],"Estimated":false}])";

}  // namespace

TEST_CASE("a service that repeats its NextPageToken cannot make the crawl loop") {
  int sent = 0;
  auto ce = scripted([](const http::http_request&) { return std::string(day_page) + R"(,"NextPageToken":"AAA"})"; },
                     &sent);
  int pages = 0;
  auto r = ce.crawl_cost_and_usage(fixed_request(), [&](const ce::cost_page&, const ce::page_info&) { ++pages; });
  REQUIRE_FALSE(r);
  CHECK(r.code() == errc::limit_reached);
  CHECK(has(r.error().message, "repeated"));
  CHECK(sent == 2);
  CHECK(pages == 2);
  CHECK(ce.counters().billable_requests == 2);
}

TEST_CASE("the page after a token is requested with exactly that token") {
  int sent = 0;
  std::vector<std::string> bodies;
  auto ce = scripted(
      [&](const http::http_request& req) {
        bodies.push_back(req.body);
        if (bodies.size() == 1) return std::string(day_page) + R"(,"NextPageToken":"tok\/1"})";
        return std::string(day_page) + "}";
      },
      &sent);
  auto r = ce.crawl_cost_and_usage(fixed_request(), [](const ce::cost_page&, const ce::page_info&) {});
  REQUIRE_MESSAGE(r, r.error().describe());
  REQUIRE(bodies.size() == 2);
  CHECK_FALSE(has(bodies[0], "NextPageToken"));
  CHECK(has(bodies[1], R"("NextPageToken":"tok/1")"));
  CHECK(r->pages == 2);
  CHECK(r->complete);
}

TEST_CASE("a page with the wrong shape stops the crawl with the field named") {
  int sent = 0;
  auto ce = scripted(
      [&](const http::http_request&) {
        if (sent == 1) return std::string(day_page) + R"(,"NextPageToken":"p2"})";
        return std::string(R"({"ResultsByTime":[{"TimePeriod":{"Start":"2024-05-02"}}]})");
      },
      &sent);
  int pages = 0;
  auto r = ce.crawl_cost_and_usage(fixed_request(), [&](const ce::cost_page&, const ce::page_info&) { ++pages; });
  REQUIRE_FALSE(r);
  CHECK(r.code() == errc::unexpected_shape);
  CHECK(has(r.error().message, "page 2: "));
  CHECK(has(r.error().message, "TimePeriod.End"));
  CHECK(r.error().request_id == "req-2");
  CHECK(pages == 1);
  CHECK(sent == 2);  // a shape error is not retried: the same bytes would come back
}

TEST_CASE("a 200 with cut-off JSON is retried by the client, then the crawl goes on") {
  int sent = 0;
  auto ce = scripted(
      [&](const http::http_request&) {
        if (sent == 1) return std::string(day_page).substr(0, 40);
        return std::string(day_page) + "}";
      },
      &sent);
  auto r = ce.crawl_cost_and_usage(fixed_request(), [](const ce::cost_page&, const ce::page_info&) {});
  REQUIRE_MESSAGE(r, r.error().describe());
  CHECK(sent == 2);
  CHECK(r->retries == 1);
  CHECK(r->pages == 1);
  CHECK(r->billable_requests == 1);
}

TEST_CASE("a 200 with every member twice is retried like a cut-off one, never half-read") {
  sim_fixture f(5);
  auto ce = f.explorer();  // 4 attempts
  const ce::cost_and_usage_request req = cost_request(f);
  ce::cost_page clean;
  REQUIRE(ce.get_cost_and_usage(req, clean));
  const std::size_t groups = clean.group_count();
  REQUIRE(groups == 5);
  const auto dup = static_cast<std::size_t>(sim::fault::duplicate_key);

  // Twice damaged, then whole: the page read is the whole one, once.
  f.sim.script_faults(sim::fault::duplicate_key, 2);
  ce::cost_page page;
  auto st = ce.get_cost_and_usage(req, page);
  REQUIRE_MESSAGE(st, st.error().describe());
  CHECK(page.group_count() == groups);
  CHECK(page.results().size() == clean.results().size());
  CHECK(ce.counters().retries == 2);
  CHECK(f.sim.stats().faults[dup] == 2);
  // A damaged reply is not counted as billed, like the simulator.
  CHECK(ce.counters().billable_requests == 2);
  CHECK(f.sim.stats().billable == 2);

  // Damaged on every attempt: an error naming the repeated member, the page empty.
  f.sim.script_faults(sim::fault::duplicate_key, 4);
  st = ce.get_cost_and_usage(req, page);
  REQUIRE_FALSE(st);
  CHECK(st.code() == errc::bad_json);
  CHECK_MESSAGE(st.error().message.rfind("Cost Explorer GetCostAndUsage: ", 0) == 0, st.error().message);
  CHECK_MESSAGE(has(st.error().message, " appears twice (a repeated JSON member"), st.error().message);
  CHECK_MESSAGE(has(st.error().message, "gave up after 4 attempts"), st.error().message);
  CHECK_FALSE(st.error().request_id.empty());
  CHECK(page.results().empty());
  CHECK(page.group_count() == 0);
  CHECK(f.sim.stats().faults[dup] == 6);

  // The other Cost Explorer pages are read inside the call too.
  ce::dimension_values_page values;
  f.sim.script_faults(sim::fault::duplicate_key, 1);
  st = ce.get_dimension_values(dimension_request(f), values);
  REQUIRE_MESSAGE(st, st.error().describe());
  CHECK_FALSE(values.values().empty());
  f.sim.script_faults(sim::fault::duplicate_key, 4);
  st = ce.get_dimension_values(dimension_request(f), values);
  REQUIRE_FALSE(st);
  CHECK_MESSAGE(has(st.error().message, "appears twice"), st.error().message);
  ce::forecast_page forecast;
  f.sim.script_faults(sim::fault::duplicate_key, 4);
  st = ce.get_cost_forecast(forecast_request(f), forecast);
  REQUIRE_FALSE(st);
  CHECK_MESSAGE(has(st.error().message, "Cost Explorer GetCostForecast: "), st.error().message);
  CHECK_MESSAGE(has(st.error().message, "appears twice"), st.error().message);
}
