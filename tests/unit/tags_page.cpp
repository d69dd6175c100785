// GetTags pages from recorded responses (tests/data/ce/tags_*.json), good and bad.
#include "finops_crawler/aws/ce/tags_page.hpp"

#include <doctest/doctest.h>

#include <fstream>
#include <iterator>
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
}  // namespace

TEST_CASE("GetTags keys with sizes and the next token") {
  auto r = ce::tags_page::parse(read_data("tags_keys_page1.json"));
  REQUIRE_MESSAGE(r, r.error().message);
  const ce::tags_page& page = *r;
  CHECK(page.return_size() == 3);
  CHECK(page.total_size() == 5);
  CHECK(page.has_next_page_token());
  CHECK(page.next_page_token() == "eyJ2IjoxLCJvZmZzZXQiOjN9");
  const std::vector<std::string_view> want = {"Environment", "Team", "cost-center"};
  CHECK(std::vector<std::string_view>(page.tags().begin(), page.tags().end()) == want);
}

TEST_CASE("GetTags values: the empty value, escapes, unknown fields, reparse and moves") {
  ce::tags_page page;
  REQUIRE(page.reparse(read_data("tags_values_last.json")));
  CHECK_FALSE(page.has_next_page_token());
  CHECK(page.next_page_token().empty());
  REQUIRE(page.tags().size() == 4);
  CHECK(page.tags()[0].empty());
  CHECK(page.tags()[3] == "staging \xe2\x80\x93 eu");
  const std::string_view kept = page.tags()[2];
  ce::tags_page moved = std::move(page);
  CHECK(kept == "prod");  // views survive a move
  CHECK(moved.tags()[2].data() == kept.data());
  REQUIRE(moved.reparse(read_data("tags_keys_page1.json")));
  CHECK(moved.tags().size() == 3);
}

TEST_CASE("malformed GetTags output names the field") {
  struct bad_case {
    const char* file;
    errc code;
    const char* message;
  };
  const bad_case cases[] = {
      {"bad_tags_no_tags.json", errc::unexpected_shape, "Tags is missing"},
      {"bad_tags_no_total.json", errc::unexpected_shape, "TotalSize is missing"},
      {"bad_tags_number_value.json", errc::unexpected_shape, "Tags[1] is not a string (found a number)"},
      {"bad_tags_object.json", errc::unexpected_shape, "Tags is not an array (found an object)"},
      {"bad_tags_size_string.json", errc::unexpected_shape, "ReturnSize is not a non-negative integer"},
      {"bad_tags_token_number.json", errc::unexpected_shape, "NextPageToken is not a string (found a number)"},
      {"bad_truncated.json", errc::bad_json, "GetTags response is not valid JSON"},
      {"dimension_values_linked_account.json", errc::unexpected_shape, "Tags is missing"},
      // A repeated member is refused as damaged (retried by the client).
      {"bad_tags_duplicate_tags.json", errc::bad_json, "Tags appears twice"},
      {"bad_tags_duplicate_return_size.json", errc::bad_json, "ReturnSize appears twice"},
      {"bad_tags_duplicate_token.json", errc::bad_json, "NextPageToken appears twice"},
  };
  for (const bad_case& c : cases) {
    CAPTURE(c.file);
    ce::tags_page page;
    REQUIRE(page.reparse(read_data("tags_values_last.json")));
    auto st = page.reparse(read_data(c.file));
    REQUIRE_FALSE(st);
    CHECK(st.code() == c.code);
    CHECK_MESSAGE(st.error().message.find(c.message) != std::string::npos, st.error().message);
    CHECK(page.tags().empty());  // an error leaves the page empty
    CHECK_FALSE(page.has_next_page_token());
    if (c.code == errc::bad_json && std::string(c.message).find("twice") != std::string::npos) {
      CHECK(st.error().retryable);
    }
  }
  CHECK(ce::tags_page::parse(std::string(5000, '[') + std::string(5000, ']')).code() == errc::bad_json);
}
