#include "finops_crawler/aws/organizations/requests.hpp"

#include <doctest/doctest.h>
#include <simdjson.h>

#include <string>
#include <string_view>

using namespace finops_crawler;

TEST_CASE("ListAccounts: empty body when nothing is set") {
  organizations::list_accounts_request r;
  CHECK(r.validate());
  const auto j = r.to_json();
  REQUIRE(j);
  CHECK(*j == "{}");
  CHECK(r.target == "AWSOrganizationsV20161128.ListAccounts");
}

TEST_CASE("ListAccounts: MaxResults is 1..20") {
  organizations::list_accounts_request r;
  for (std::int64_t ok : {1, 10, 20}) {
    r.max_results = ok;
    CHECK(r.validate());
  }
  for (std::int64_t bad : {0, -1, 21, 1000}) {
    r.max_results = bad;
    const auto s = r.validate();
    CHECK(s.code() == errc::invalid_argument);
    CHECK(s.error().message == "ListAccounts: MaxResults must be 1..20 (shape MaxResults), got " + std::to_string(bad));
    CHECK(r.to_json().code() == errc::invalid_argument);
  }
}

TEST_CASE("ListAccounts: NextToken rules and golden bodies") {
  organizations::list_accounts_request r;
  r.max_results = 20;
  r.next_token = "";
  CHECK(r.validate().error().message.find("ListAccounts: NextToken is empty") == 0);
  r.next_token = std::string(100001, 'n');
  CHECK(r.validate().error().message.find("longer than 100000 characters") != std::string::npos);
  r.next_token = std::string(100000, 'n');
  CHECK(r.validate());
  r.next_token = "bad\xC3";
  CHECK(r.validate().error().message.find("NextToken is not valid UTF-8: truncated") != std::string::npos);
  r.next_token = "AAE\"x\\y/+=";
  auto j = r.to_json();
  REQUIRE(j);
  CHECK(*j == R"({"NextToken":"AAE\"x\\y/+=","MaxResults":20})");

  r.set_next_token(std::nullopt);
  j = r.to_json_for_page("page-2");
  REQUIRE(j);
  CHECK(*j == R"({"NextToken":"page-2","MaxResults":20})");
  CHECK_FALSE(r.next_token.has_value());
  CHECK(r.to_json_for_page("").code() == errc::invalid_argument);
  r.set_next_token(std::string("t3"));
  CHECK(*r.to_json() == R"({"NextToken":"t3","MaxResults":20})");
}

TEST_CASE("DescribeAccount: AccountId is exactly 12 digits") {
  organizations::describe_account_request r;
  CHECK(r.validate().error().message == "DescribeAccount: AccountId is required (12 digits)");
  r.account_id = "123456789012";
  const auto j = r.to_json();
  REQUIRE(j);
  CHECK(*j == R"({"AccountId":"123456789012"})");
  CHECK(r.target == "AWSOrganizationsV20161128.DescribeAccount");
  for (const char* bad : {"12345678901", "1234567890123", "12345678901a", " 123456789012", "１23456789012",
                          "123-456-789012"}) {
    CAPTURE(bad);
    r.account_id = bad;
    const auto s = r.validate();
    CHECK(s.code() == errc::invalid_argument);
    CHECK(s.error().message.find("must be exactly 12 digits") != std::string::npos);
    CHECK_FALSE(r.to_json());
  }
  r.account_id = std::string(1000, '1');
  CHECK(r.validate().error().message.find("(1000 bytes)") != std::string::npos);
  CHECK(organizations::is_account_id("000000000000"));
  CHECK_FALSE(organizations::is_account_id(""));
}

TEST_CASE("limits match the Organizations model (tests/vectors/aws-models, Apache-2.0)") {
  simdjson::dom::parser parser;
  simdjson::dom::element shapes;
  REQUIRE(parser.load(std::string(FINOPS_CRAWLER_TEST_DIR) + "/vectors/aws-models/organizations-2016-11-28.service-2.json")
              .get(shapes) == simdjson::SUCCESS);
  REQUIRE(shapes["shapes"].get(shapes) == simdjson::SUCCESS);
  std::int64_t v = 0;
  REQUIRE(shapes["MaxResults"]["min"].get(v) == simdjson::SUCCESS);
  CHECK(v == 1);
  REQUIRE(shapes["MaxResults"]["max"].get(v) == simdjson::SUCCESS);
  CHECK(v == 20);
  REQUIRE(shapes["NextToken"]["max"].get(v) == simdjson::SUCCESS);
  CHECK(static_cast<std::size_t>(v) == organizations::max_next_token_length);
  REQUIRE(shapes["AccountId"]["max"].get(v) == simdjson::SUCCESS);
  CHECK(v == 12);
  std::string_view pattern;
  REQUIRE(shapes["AccountId"]["pattern"].get(pattern) == simdjson::SUCCESS);
  CHECK(pattern == "^\\d{12}$");
  simdjson::dom::array required;
  REQUIRE(shapes["DescribeAccountRequest"]["required"].get(required) == simdjson::SUCCESS);
  CHECK(required.size() == 1);
  CHECK(required.at(0).get_string().value_unsafe() == "AccountId");
  // Member names we write are the model's.
  simdjson::dom::object members;
  REQUIRE(shapes["ListAccountsRequest"]["members"].get(members) == simdjson::SUCCESS);
  CHECK(members["NextToken"].error() == simdjson::SUCCESS);
  CHECK(members["MaxResults"].error() == simdjson::SUCCESS);
}
