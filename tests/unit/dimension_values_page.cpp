#include "finops_crawler/aws/ce/dimension_values_page.hpp"

#include <doctest/doctest.h>

#include <fstream>
#include <iterator>
#include <string>

using namespace finops_crawler;

namespace {
std::string read_data(const std::string& name) {
  const std::string path = std::string(FINOPS_CRAWLER_TEST_DIR) + "/data/ce/" + name;
  std::ifstream in(path, std::ios::binary);
  REQUIRE_MESSAGE(in.good(), "cannot open " << path);
  return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}
}  // namespace

TEST_CASE("linked accounts with names, sizes and the next token") {
  auto r = ce::dimension_values_page::parse(read_data("dimension_values_linked_account.json"));
  REQUIRE_MESSAGE(r, r.error().message);
  const ce::dimension_values_page& page = *r;
  CHECK(page.return_size() == 3);
  CHECK(page.total_size() == 5);
  CHECK(page.has_next_page_token());
  CHECK(page.next_page_token() == "eyJ2IjoxLCJvZmZzZXQiOjN9");
  REQUIRE(page.values().size() == 3);
  CHECK(page.values()[0].value() == "111122223333");
  CHECK(page.values()[0].attribute_value("description") == "Production");
  CHECK(page.values()[1].attribute_value("description") == "Sandbox \xe2\x80\x93 team A");
  CHECK(page.values()[2].attributes().empty());
  std::size_t n = 0;
  for (ce::dimension_value v : page.values()) n += v.value().size();
  CHECK(n == 36);
}

TEST_CASE("last page: no token, unknown fields ignored, reparse reuses the page") {
  ce::dimension_values_page page;
  REQUIRE(page.reparse(read_data("dimension_values_service_last.json")));
  CHECK_FALSE(page.has_next_page_token());
  CHECK(page.next_page_token().empty());
  CHECK(page.values().size() == 2);
  CHECK(page.values()[1].value() == "Amazon Simple Storage Service");
  CHECK(page.values()[1].to_owned().value == "Amazon Simple Storage Service");
  REQUIRE(page.reparse(read_data("dimension_values_linked_account.json")));
  CHECK(page.values().size() == 3);
}

TEST_CASE("malformed GetDimensionValues output names the field") {
  struct bad_case {
    const char* file;
    errc code;
    const char* message;
  };
  const bad_case cases[] = {
      {"bad_dimension_values_no_total.json", errc::unexpected_shape, "TotalSize is missing"},
      {"bad_dimension_values_no_value.json", errc::unexpected_shape, "DimensionValues[0].Value is missing"},
      {"bad_dimension_values_attr_number.json", errc::unexpected_shape,
       "DimensionValues[0].Attributes.description is not a string (found a number)"},
      {"bad_dimension_values_negative_size.json", errc::unexpected_shape, "ReturnSize is not a non-negative integer"},
      {"bad_truncated.json", errc::bad_json, "GetDimensionValues response is not valid JSON"},
      {"cost_grouped_page1.json", errc::unexpected_shape, "DimensionValues is missing"},
      // A repeated member is refused as damaged (retried by the client).
      {"bad_dimension_values_duplicate_values.json", errc::bad_json, "DimensionValues appears twice"},
      {"bad_dimension_values_duplicate_value.json", errc::bad_json, "DimensionValues[0].Value appears twice"},
      {"bad_dimension_values_duplicate_attribute.json", errc::bad_json,
       "DimensionValues[0].Attributes.description appears twice"},
      {"bad_dimension_values_duplicate_total_size.json", errc::bad_json, "TotalSize appears twice"},
      {"bad_dimension_values_duplicate_token.json", errc::bad_json, "NextPageToken appears twice"},
  };
  for (const bad_case& c : cases) {
    CAPTURE(c.file);
    ce::dimension_values_page page;
    auto st = page.reparse(read_data(c.file));
    REQUIRE_FALSE(st);
    CHECK(st.code() == c.code);
    CHECK_MESSAGE(st.error().message.find(c.message) != std::string::npos, st.error().message);
    CHECK(page.values().empty());
  }
  CHECK(ce::dimension_values_page::parse(std::string(5000, '[') + std::string(5000, ']')).code() == errc::bad_json);
}
