// costs_api, the Python original's API, through real libcurl against the
// in-process simulator: the three factories (keys, environment, default
// chain), get_cost with strings and dates (merged over pages, exact against
// the synthetic ground truth, also under faults), bad date strings refused
// before sending, get_all_accounts and its not-in-organization outcome,
// get_account_info, and the transport option.
#include "finops_crawler/costs_api.hpp"

#include "sim_test_support.hpp"
#include "synthetic_data.hpp"

#include <doctest/doctest.h>

#include <atomic>
#include <chrono>
#include <cstdlib>
#include <map>
#include <memory>
#include <string>
#include <vector>

using namespace finops_crawler;
using namespace std::chrono_literals;

namespace {

using sim_test::has;

const std::string key_id(sim::default_access_key_id);
const std::string secret(sim::default_secret_access_key);

struct sim_fixture : sim_test::running_simulator {
  aws::map_environment env;  // no HOME: no shared files are read
  sim_fixture() : sim_fixture(make_options(7)) {}
  explicit sim_fixture(sim::options o) : running_simulator(std::move(o)) {}
  static sim::options make_options(std::size_t page) {
    sim::options o;
    o.data.seed = 77;
    o.data.start_date = "2024-02-25";  // across the end of February (leap year)
    o.data.days = 9;
    o.data.account_count = 4;
    o.page_size_groups = page;
    o.threads = 2;
    o.keep_alive_timeout_s = 2;
    return o;
  }
  costs_api_options options() {
    costs_api_options o;
    o.endpoint_url = sim.endpoint_url();
    o.environment = &env;
    o.retry.max_attempts = 5;
    o.retry.base_delay = 1ms;
    o.retry.throttle_base_delay = 1ms;
    o.retry.max_delay = 4ms;
    o.rate_limit = {0, 1};
    return o;
  }
  costs_api api() {
    auto a = costs_api::from_keys(key_id, secret, options());
    REQUIRE_MESSAGE(a, a.error().describe());
    return std::move(*a);
  }
};

std::vector<sim::period_result> truth(const sim::data_set& ds, std::int64_t start, std::int64_t end) {
  sim::query q;
  q.start_day = start;
  q.end_day = end;
  q.metrics = {sim::metric::unblended_cost};
  q.group_by = {sim::group_def{false, sim::dimension::service, {}}, sim::group_def{false, sim::dimension::usage_type, {}}};
  return sim::ground_truth(ds, q);
}

decimal dec(const std::string& s) {
  auto d = decimal::parse(s);
  REQUIRE_MESSAGE(d, s);
  return *d;
}

// Every day once, every group once, every amount exact; returns the total.
decimal check_exact(const cost_results& got, const std::vector<sim::period_result>& want) {
  REQUIRE(got.results_by_time.size() == want.size());
  decimal total;
  for (std::size_t i = 0; i < want.size(); ++i) {
    const auto& day = got.results_by_time[i];
    CHECK(day.start == sim::format_date(want[i].start_day));
    CHECK(day.end == sim::format_date(want[i].end_day));
    REQUIRE(day.groups.size() == want[i].groups.size());
    std::map<std::vector<std::string>, std::string> by_keys;
    for (const auto& g : day.groups) CHECK(by_keys.emplace(g.keys, g.metrics.at(0).amount).second);
    for (const auto& g : want[i].groups) {
      auto it = by_keys.find(g.keys);
      REQUIRE(it != by_keys.end());
      CHECK(dec(it->second) == dec(g.metrics[0].amount.to_string()));
      REQUIRE(total.add_assign(dec(it->second)));
    }
  }
  return total;
}

}  // namespace

TEST_CASE("get_cost with YYYY-MM-DD strings: DAILY UnblendedCost by SERVICE and USAGE_TYPE, merged, exact") {
  sim_fixture f;
  costs_api api = f.api();
  const auto& ds = f.sim.data();
  auto r = api.get_cost(sim::format_date(ds.first_day()), sim::format_date(ds.end_day()));
  REQUIRE_MESSAGE(r, r.error().describe());
  const decimal total = check_exact(*r, truth(ds, ds.first_day(), ds.end_day()));
  CHECK(total > decimal());
  REQUIRE(r->group_definitions.size() == 2);
  CHECK(r->group_definitions[0].key == "SERVICE");
  CHECK(r->group_definitions[1].key == "USAGE_TYPE");
  CHECK(r->stats.complete);
  CHECK(r->stats.pages > 1);
  CHECK(r->stats.billable_requests == r->stats.pages);
  CHECK(f.sim.stats().billable == r->stats.pages);
  CHECK(api.cost_explorer().counters().billable_requests == r->stats.pages);
}

TEST_CASE("get_cost with dates gives the same answer as with strings") {
  sim_fixture f;
  costs_api api = f.api();
  auto a = api.get_cost("2024-02-27", "2024-03-02");
  auto b = api.get_cost(*calendar_date::from_ymd(2024, 2, 27), *calendar_date::from_ymd(2024, 3, 2));
  REQUIRE(a);
  REQUIRE(b);
  REQUIRE(a->results_by_time.size() == 4);  // 27, 28, 29 February, 1 March
  CHECK(a->results_by_time[2].start == "2024-02-29");
  std::int64_t s = 0, e = 0;
  REQUIRE(sim::parse_date("2024-02-27", s));
  REQUIRE(sim::parse_date("2024-03-02", e));
  CHECK(check_exact(*a, truth(f.sim.data(), s, e)) == check_exact(*b, truth(f.sim.data(), s, e)));
}

TEST_CASE("get_cost refuses bad date strings and bad ranges before sending") {
  sim_fixture f;
  costs_api api = f.api();
  struct bad_case {
    const char* start;
    const char* end;
    const char* names;
  };
  const bad_case cases[] = {
      {"2024-1-01", "2024-01-05", "start"},   {"2024-01-01", "2024/01/05", "end"},
      {"", "2024-01-05", "start"},            {"2024-02-30", "2024-03-05", "start"},
      {"2024-01-01", "2024-13-01", "end"},    {"yesterday", "today", "start"},
      {"2024-01-01T00:00:00Z", "2024-01-02", "start"}, {" 2024-01-01", "2024-01-02", "start"},
      {"2024-01-05", "2024-01-01", "End"},    {"2024-01-05", "2024-01-05", "End"},
      {"2999-01-01", "2999-01-05", "Start"},
  };
  for (const auto& c : cases) {
    CAPTURE(c.start);
    CAPTURE(c.end);
    auto r = api.get_cost(c.start, c.end);
    REQUIRE_FALSE(r);
    CHECK(r.code() == errc::invalid_argument);
    CHECK_MESSAGE(has(r.error().message, c.names), r.error().message);
  }
  CHECK(f.sim.stats().requests == 0);
  auto ok = api.get_cost("2024-02-25", "2024-02-26");
  REQUIRE(ok);
  CHECK(ok->stats.requests_sent > 0);
  CHECK(f.sim.stats().requests == ok->stats.requests_sent);
}

TEST_CASE("get_cost under throttling, 5xx, dropped connections and truncated bodies stays exact") {
  sim::options o = sim_fixture::make_options(5);
  o.faults.seed = 4;
  o.faults.set_failure_rate(0.35);
  o.faults.max_consecutive = 2;
  sim_fixture f(o);
  costs_api api = f.api();
  const auto& ds = f.sim.data();
  auto r = api.get_cost(sim::format_date(ds.first_day()), sim::format_date(ds.end_day()));
  REQUIRE_MESSAGE(r, r.error().describe());
  check_exact(*r, truth(ds, ds.first_day(), ds.end_day()));
  CHECK(r->stats.retries > 0);
  CHECK(r->stats.billable_requests == r->stats.pages);
}

TEST_CASE("get_all_accounts and get_account_info") {
  sim_fixture f;
  costs_api api = f.api();
  auto ids = api.get_all_accounts();
  REQUIRE_MESSAGE(ids, ids.error().describe());
  REQUIRE(ids->size() == 4);
  for (std::size_t i = 0; i < 4; ++i) CHECK((*ids)[i] == f.sim.data().accounts()[i].id);
  auto me = api.get_account_info();
  REQUIRE_MESSAGE(me, me.error().describe());
  CHECK(*me == f.sim.data().accounts()[0].id);
  auto who = api.get_caller_identity();
  REQUIRE(who);
  CHECK(who->account == *me);
  // Neither call is billed.
  CHECK(f.sim.stats().billable == 0);
}

TEST_CASE("get_all_accounts outside an organization is the not_in_organization outcome") {
  sim::options o = sim_fixture::make_options(7);
  o.not_in_organization = true;
  sim_fixture f(o);
  costs_api api = f.api();
  auto ids = api.get_all_accounts();
  REQUIRE_FALSE(ids);
  CHECK(ids.code() == errc::not_in_organization);
  // The account itself still works.
  CHECK(api.get_account_info());
}

TEST_CASE("from_keys: a missing key is named") {
  sim_fixture f;
  auto no_id = costs_api::from_keys("", secret, f.options());
  REQUIRE_FALSE(no_id);
  CHECK(no_id.code() == errc::no_credentials);
  CHECK(has(no_id.error().message, "AWS_ACCESS_KEY_ID"));
  CHECK_FALSE(has(no_id.error().message, "AWS_SECRET_ACCESS_KEY"));
  auto no_secret = costs_api::from_keys(key_id, "", f.options());
  REQUIRE_FALSE(no_secret);
  CHECK(has(no_secret.error().message, "AWS_SECRET_ACCESS_KEY"));
  auto neither = costs_api::from_keys("", "", f.options());
  CHECK(has(neither.error().message, "AWS_ACCESS_KEY_ID"));
  CHECK(has(neither.error().message, "AWS_SECRET_ACCESS_KEY"));
  auto blank = costs_api::from_keys("AKIA EXAMPLE", secret, f.options());
  CHECK(blank.code() == errc::invalid_argument);
  CHECK_FALSE(has(blank.error().describe(), secret));
  CHECK(f.sim.stats().requests == 0);
}

TEST_CASE("from_environment: the example's path (keys and AWS_ENDPOINT_URL from the environment)") {
  sim_fixture f;
  costs_api_options o = f.options();
  o.endpoint_url.reset();

  SUBCASE("nothing set: both variables named") {
    auto a = costs_api::from_environment(std::move(o));
    REQUIRE_FALSE(a);
    CHECK(a.code() == errc::no_credentials);
    CHECK(has(a.error().message, "AWS_ACCESS_KEY_ID"));
    CHECK(has(a.error().message, "AWS_SECRET_ACCESS_KEY"));
  }
  SUBCASE("only the key id: the secret named") {
    f.env.set("AWS_ACCESS_KEY_ID", key_id);
    auto a = costs_api::from_environment(std::move(o));
    REQUIRE_FALSE(a);
    CHECK(a.code() == errc::no_credentials);
    CHECK(has(a.error().message, "AWS_SECRET_ACCESS_KEY"));
  }
  SUBCASE("both set, endpoint from AWS_ENDPOINT_URL") {
    f.env.set("AWS_ACCESS_KEY_ID", key_id);
    f.env.set("AWS_SECRET_ACCESS_KEY", secret);
    f.env.set("AWS_ENDPOINT_URL", f.sim.endpoint_url());
    auto a = costs_api::from_environment(std::move(o));
    REQUIRE_MESSAGE(a, a.error().describe());
    CHECK(a->credentials_source() == "environment");
    CHECK_FALSE(has(a->credentials_source(), secret));
    auto me = a->get_account_info();
    REQUIRE_MESSAGE(me, me.error().describe());
    CHECK(f.sim.stats().requests == 1);
  }
  SUBCASE("a malformed AWS_ENDPOINT_URL is named") {
    f.env.set("AWS_ACCESS_KEY_ID", key_id);
    f.env.set("AWS_SECRET_ACCESS_KEY", secret);
    f.env.set("AWS_ENDPOINT_URL", "127.0.0.1:1");
    auto a = costs_api::from_environment(std::move(o));
    REQUIRE_FALSE(a);
    CHECK(a.code() == errc::invalid_argument);
    CHECK(has(a.error().message, "AWS_ENDPOINT_URL"));
  }
}

TEST_CASE("from_default_chain: environment keys, and nothing at all") {
  sim_fixture f;
  {
    auto none = costs_api::from_default_chain(f.options());
    REQUIRE_FALSE(none);
    CHECK(none.code() == errc::no_credentials);
  }
  f.env.set("AWS_ACCESS_KEY_ID", key_id);
  f.env.set("AWS_SECRET_ACCESS_KEY", secret);
  auto a = costs_api::from_default_chain(f.options());
  REQUIRE_MESSAGE(a, a.error().describe());
  auto r = a->get_cost("2024-02-25", "2024-02-27");
  REQUIRE_MESSAGE(r, r.error().describe());
  CHECK(r->results_by_time.size() == 2);
}

namespace {
// Forwards to a real curl_transport and counts.
class counting_transport : public http::transport {
 public:
  explicit counting_transport(std::atomic<int>* sends) : sends_(sends) {
    http::curl_options o;
    o.allow_http = true;
    inner_ = http::curl_transport(o);
  }
  result<http::http_response> send(const http::http_request& r) override {
    ++*sends_;
    return inner_.send(r);
  }

 private:
  std::atomic<int>* sends_;
  http::curl_transport inner_;
};
}  // namespace

TEST_CASE("the transport option: one transport per service, all traffic through them") {
  sim_fixture f;
  std::atomic<int> made{0}, sends{0};
  costs_api_options o = f.options();
  o.transport_factory = [&]() -> std::unique_ptr<http::transport> {
    ++made;
    return std::make_unique<counting_transport>(&sends);
  };
  auto a = costs_api::from_keys(key_id, secret, std::move(o));
  REQUIRE(a);
  CHECK(made == 3);
  REQUIRE(a->get_account_info());
  REQUIRE(a->get_all_accounts());
  auto r = a->get_cost("2024-02-25", "2024-02-27");
  REQUIRE(r);
  CHECK(sends == static_cast<int>(2 + r->stats.requests_sent));
  CHECK(static_cast<std::uint64_t>(sends.load()) == f.sim.stats().requests);
}

TEST_CASE("a page cap applies to get_cost") {
  sim_fixture f(sim_fixture::make_options(1));
  costs_api_options o = f.options();
  o.crawl.max_pages = 3;
  auto a = costs_api::from_keys(key_id, secret, std::move(o));
  REQUIRE(a);
  auto r = a->get_cost("2024-02-25", "2024-03-01");
  REQUIRE_FALSE(r);
  CHECK(r.code() == errc::limit_reached);
  CHECK(f.sim.stats().billable == 3);
}
