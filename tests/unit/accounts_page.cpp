#include "finops_crawler/aws/organizations/accounts_page.hpp"

#include <doctest/doctest.h>

#include <fstream>
#include <iterator>
#include <string>

using namespace finops_crawler;

namespace {
std::string read_data(const std::string& name) {
  const std::string path = std::string(FINOPS_CRAWLER_TEST_DIR) + "/data/organizations/" + name;
  std::ifstream in(path, std::ios::binary);
  REQUIRE_MESSAGE(in.good(), "cannot open " << path);
  return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}
}  // namespace

TEST_CASE("ListAccounts page: every member of Account") {
  auto r = organizations::accounts_page::parse(read_data("list_accounts_page1.json"));
  REQUIRE_MESSAGE(r, r.error().message);
  const organizations::accounts_page& page = *r;
  CHECK(page.has_next_token());
  CHECK(page.next_token() == "AAAABBBBCCCC/next==");
  REQUIRE(page.accounts().size() == 2);
  const organizations::account& a = page.accounts()[0];
  CHECK(a.id == "111122223333");
  CHECK(a.arn == "arn:aws:organizations::111122223333:account/o-exampleorgid/111122223333");
  CHECK(a.email == "root@example.com");
  CHECK(a.name == "Management");
  CHECK(a.status == "ACTIVE");
  CHECK(a.state == "ACTIVE");
  CHECK(a.joined_method == "INVITED");
  CHECK(a.joined_timestamp == 1481830215.0);
  const organizations::account& b = page.accounts()[1];
  CHECK(b.name == "Sandbox \xc3\xa9t\xc3\xa9");
  CHECK(b.joined_timestamp == 1700000000.0);
  const organizations::owned_account kept = b.to_owned();
  CHECK(kept.id == "444455556666");
  CHECK(kept.state == "SUSPENDED");
}

TEST_CASE("last ListAccounts page and DescribeAccount") {
  organizations::accounts_page page;
  REQUIRE(page.reparse(read_data("list_accounts_last.json")));
  CHECK_FALSE(page.has_next_token());
  CHECK(page.next_token().empty());
  REQUIRE(page.accounts().size() == 1);
  CHECK(page.accounts()[0].status.empty());  // Status is being retired; State remains
  CHECK(page.accounts()[0].state == "CLOSED");

  REQUIRE(page.reparse(read_data("describe_account.json")));
  REQUIRE(page.accounts().size() == 1);
  CHECK(page.accounts()[0].id == "111122223333");
  CHECK(page.accounts()[0].joined_timestamp == doctest::Approx(1481830215.123));
  CHECK(page.accounts()[0].state.empty());
}

TEST_CASE("malformed Organizations output names the field") {
  struct bad_case {
    const char* file;
    errc code;
    const char* message;
  };
  const bad_case cases[] = {
      {"bad_missing_id.json", errc::unexpected_shape, "Accounts[0].Id is missing"},
      {"bad_short_id.json", errc::unexpected_shape, "Accounts[0].Id is not a 12-digit account id"},
      {"bad_name_number.json", errc::unexpected_shape, "Accounts[0].Name is not a string (found a number)"},
      {"bad_timestamp_string.json", errc::unexpected_shape,
       "Accounts[0].JoinedTimestamp is not a number (found a string)"},
      {"bad_no_accounts.json", errc::unexpected_shape, "Accounts is missing"},
      {"bad_truncated.json", errc::bad_json, "Organizations response is not valid JSON"},
      // A repeated member is refused as damaged (retried by the client).
      {"bad_duplicate_accounts.json", errc::bad_json, "Accounts appears twice"},
      {"bad_duplicate_id.json", errc::bad_json, "Accounts[0].Id appears twice"},
      {"bad_duplicate_name.json", errc::bad_json, "Accounts[0].Name appears twice"},
      {"bad_duplicate_next_token.json", errc::bad_json, "NextToken appears twice"},
  };
  for (const bad_case& c : cases) {
    CAPTURE(c.file);
    organizations::accounts_page page;
    auto st = page.reparse(read_data(c.file));
    REQUIRE_FALSE(st);
    CHECK(st.code() == c.code);
    CHECK_MESSAGE(st.error().message.find(c.message) != std::string::npos, st.error().message);
    CHECK(page.accounts().empty());
    CHECK_FALSE(page.has_next_token());
  }
  CHECK(organizations::accounts_page::parse("{\"Account\":[]}").error().message ==
        "Account is not an object (found an array)");
}
