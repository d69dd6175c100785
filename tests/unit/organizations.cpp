// organizations::organizations_client through real libcurl against the
// in-process simulator: ListAccounts over every page (page sizes 1, 2, 20),
// DescribeAccount, the not-in-organization outcome, validation before send,
// and a repeated NextToken from a scripted transport.
#include "finops_crawler/aws/organizations/organizations.hpp"

#include "sim_test_support.hpp"

#include <doctest/doctest.h>

#include <chrono>
#include <cstdlib>
#include <memory>
#include <set>
#include <string>
#include <vector>

using namespace finops_crawler;
using namespace std::chrono_literals;

namespace {

using sim_test::has;

aws::client_options options_for(std::string url) {
  return sim_test::client_options(aws::organizations_api, std::move(url));
}

struct sim_fixture : sim_test::running_simulator {
  explicit sim_fixture(int accounts = 5, std::size_t page = 20, bool not_in_org = false)
      : running_simulator(make_options(accounts, page, not_in_org)) {}
  static sim::options make_options(int accounts, std::size_t page, bool not_in_org) {
    sim::options o;
    o.data.seed = 21;
    o.data.account_count = accounts;
    o.data.start_date = "2024-01-01";
    o.data.days = 2;
    o.page_size_accounts = page;
    o.not_in_organization = not_in_org;
    o.threads = 2;
    o.keep_alive_timeout_s = 2;
    return o;
  }
  organizations::organizations_client client() {
    return organizations::organizations_client(aws::json_client(options_for(sim.endpoint_url())));
  }
  std::vector<std::string> ids() const {
    std::vector<std::string> out;
    for (const auto& a : sim.data().accounts()) out.push_back(a.id);
    return out;
  }
};

}  // namespace

TEST_CASE("ListAccounts: every page, each account once, in order") {
  for (std::size_t page : {std::size_t{1}, std::size_t{2}, std::size_t{20}}) {
    CAPTURE(page);
    sim_fixture f(7, page);
    auto org = f.client();
    auto ids = org.list_account_ids();
    REQUIRE_MESSAGE(ids, ids.error().describe());
    CHECK(*ids == f.ids());
    CHECK(org.counters().requests_sent == (7 + page - 1) / page);
    CHECK(org.counters().billable_requests == 0);  // Organizations is free

    auto all = org.list_all_accounts();
    REQUIRE(all);
    REQUIRE(all->size() == 7);
    for (std::size_t i = 0; i < all->size(); ++i) {
      CHECK((*all)[i].id == f.sim.data().accounts()[i].id);
      CHECK((*all)[i].name == f.sim.data().accounts()[i].name);
      CHECK((*all)[i].email == f.sim.data().accounts()[i].email);
    }
  }
}

TEST_CASE("ListAccounts page by page with MaxResults, and a crawl with a page cap") {
  sim_fixture f(5);
  auto org = f.client();
  organizations::list_accounts_request r;
  r.max_results = 2;
  organizations::accounts_page page;
  REQUIRE(org.list_accounts(r, page));
  CHECK(page.accounts().size() == 2);
  REQUIRE(page.has_next_token());
  r.next_token = std::string(page.next_token());
  REQUIRE(org.list_accounts(r, page));
  CHECK(page.accounts()[0].id == f.sim.data().accounts()[2].id);

  organizations::list_accounts_request fresh;
  fresh.max_results = 1;
  organizations::crawl_options capped;
  capped.max_pages = 2;
  std::size_t n = 0;
  auto stats = org.crawl_accounts(fresh, [&](const organizations::accounts_page& p, const organizations::page_info&) {
    n += p.accounts().size();
  }, capped);
  REQUIRE_FALSE(stats);
  CHECK(stats.code() == errc::limit_reached);
  CHECK(n == 2);
}

TEST_CASE("DescribeAccount") {
  sim_fixture f(3);
  auto org = f.client();
  const auto& want = f.sim.data().accounts()[1];
  auto a = org.describe_account(want.id);
  REQUIRE_MESSAGE(a, a.error().describe());
  CHECK(a->id == want.id);
  CHECK(a->name == want.name);
  CHECK(has(a->arn, want.id));

  auto missing = org.describe_account("000000000001");
  REQUIRE_FALSE(missing);
  CHECK(missing.code() == errc::aws_error);
  CHECK(missing.error().aws_code == "AccountNotFoundException");
}

TEST_CASE("a standalone account is its own outcome: not_in_organization") {
  sim_fixture f(3, 20, true);
  auto org = f.client();
  auto ids = org.list_account_ids();
  REQUIRE_FALSE(ids);
  CHECK(ids.code() == errc::not_in_organization);
  CHECK(ids.error().aws_code == "AWSOrganizationsNotInUseException");
  CHECK(has(ids.error().message, "not a member of an AWS Organization"));
  CHECK_FALSE(ids.error().retryable);
  CHECK(org.counters().requests_sent == 1);  // not retried

  auto d = org.describe_account(f.sim.data().accounts()[0].id);
  CHECK(d.code() == errc::not_in_organization);
}

TEST_CASE("invalid requests are refused before sending") {
  sim_fixture f(3);
  auto org = f.client();
  for (const char* bad : {"", "12345678901", "1234567890123", "12345678901a", " 23456789012"}) {
    CAPTURE(bad);
    CHECK(org.describe_account(bad).code() == errc::invalid_argument);
  }
  organizations::accounts_page page;
  organizations::list_accounts_request r;
  r.max_results = 21;
  CHECK(org.list_accounts(r, page).code() == errc::invalid_argument);
  CHECK(org.crawl_accounts(r, [](const organizations::accounts_page&, const organizations::page_info&) {}).code() ==
        errc::invalid_argument);
  r.max_results = 0;
  CHECK(org.list_accounts(r, page).code() == errc::invalid_argument);
  r.max_results.reset();
  r.next_token = std::string();
  CHECK(org.list_accounts(r, page).code() == errc::invalid_argument);
  CHECK(f.sim.stats().requests == 0);
  CHECK(org.counters().requests_sent == 0);
  // A valid call goes through on the same client.
  REQUIRE(org.list_account_ids());
  CHECK(f.sim.stats().requests == 1);
}

TEST_CASE("a client made for another service is refused") {
  sim_fixture f(3);
  aws::client_options o = options_for(f.sim.endpoint_url());
  o.service = aws::cost_explorer_api;
  organizations::organizations_client org{aws::json_client(std::move(o))};
  CHECK(org.list_account_ids().code() == errc::invalid_argument);
  CHECK(org.describe_account("123456789012").code() == errc::invalid_argument);
  CHECK(f.sim.stats().requests == 0);
}

namespace {
class repeating_transport : public http::transport {
 public:
  explicit repeating_transport(int* count) : count_(count) {}
  result<http::http_response> send(const http::http_request&) override {
    ++*count_;
    http::http_response r;
    r.status = 200;
    r.body = R"({"Accounts":[{"Id":"111122223333","Name":"a"}],"NextToken":"again"})";
    return r;
  }

 private:
  int* count_;
};
}  // namespace

TEST_CASE("a repeated NextToken stops the account crawl") {
  int sent = 0;
  aws::client_options o = options_for("https://organizations.us-east-1.amazonaws.com");
  o.transport = std::make_unique<repeating_transport>(&sent);
  organizations::organizations_client org{aws::json_client(std::move(o))};
  auto ids = org.list_account_ids();
  REQUIRE_FALSE(ids);
  CHECK(ids.code() == errc::limit_reached);
  CHECK(sent == 2);
}

TEST_CASE("a ListAccounts 200 with every member twice is retried, never read as either copy") {
  sim_fixture f(5, 2);
  auto org = f.client();
  f.sim.script_faults(sim::fault::duplicate_key, 2);
  auto ids = org.list_account_ids();
  REQUIRE_MESSAGE(ids, ids.error().describe());
  CHECK(*ids == f.ids());  // each account once
  CHECK(org.counters().retries == 2);
  CHECK(f.sim.stats().faults[static_cast<std::size_t>(sim::fault::duplicate_key)] == 2);

  f.sim.script_faults(sim::fault::duplicate_key, 10);
  ids = org.list_account_ids();
  REQUIRE_FALSE(ids);
  CHECK(ids.code() == errc::bad_json);
  CHECK_MESSAGE(ids.error().message.find("Organizations ListAccounts: Accounts appears twice") !=
                    std::string::npos,
                ids.error().message);
  CHECK_MESSAGE(ids.error().message.find("gave up after") != std::string::npos, ids.error().message);
}
