// GetCostCategories pages from recorded responses (tests/data/ce/cost_categories_*.json), good and bad.
#include "finops_crawler/aws/ce/cost_categories_page.hpp"

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
std::vector<std::string_view> list(ce::span_view<std::string_view> s) { return {s.begin(), s.end()}; }
}  // namespace

TEST_CASE("GetCostCategories names, values, sizes and tokens") {
  auto r = ce::cost_categories_page::parse(read_data("cost_categories_names_page1.json"));
  REQUIRE_MESSAGE(r, r.error().message);
  CHECK(r->has_names());
  CHECK(list(r->names()) == std::vector<std::string_view>{"BusinessUnit", "Environment Group"});
  CHECK_FALSE(r->has_values());
  CHECK(r->values().empty());
  CHECK(r->return_size() == 2);
  CHECK(r->total_size() == 3);
  CHECK(r->next_page_token() == "cGFnZTI=");

  ce::cost_categories_page page;
  REQUIRE(page.reparse(read_data("cost_categories_values_last.json")));
  CHECK(list(page.names()) == std::vector<std::string_view>{"BusinessUnit"});
  CHECK(page.has_values());
  CHECK(list(page.values()) == std::vector<std::string_view>{"Data", "Platform", "Web"});
  CHECK_FALSE(page.has_next_page_token());

  // Only the sizes are required; a null list is absent.
  REQUIRE(page.reparse(read_data("cost_categories_empty.json")));
  CHECK_FALSE(page.has_names());
  CHECK(page.names().empty());
  CHECK(page.total_size() == 0);
}

TEST_CASE("malformed GetCostCategories output names the field") {
  struct bad_case {
    const char* file;
    errc code;
    const char* message;
  };
  const bad_case cases[] = {
      {"bad_cost_categories_no_return_size.json", errc::unexpected_shape, "ReturnSize is missing"},
      {"bad_cost_categories_negative_size.json", errc::unexpected_shape, "ReturnSize is not a non-negative integer"},
      {"bad_cost_categories_values_string.json", errc::unexpected_shape,
       "CostCategoryValues is not an array (found a string)"},
      {"bad_cost_categories_name_bool.json", errc::unexpected_shape,
       "CostCategoryNames[0] is not a string (found a bool"},
      {"bad_truncated.json", errc::bad_json, "GetCostCategories response is not valid JSON"},
      {"bad_cost_categories_duplicate_names.json", errc::bad_json, "CostCategoryNames appears twice"},
      {"bad_cost_categories_duplicate_values.json", errc::bad_json, "CostCategoryValues appears twice"},
      {"bad_cost_categories_duplicate_total_size.json", errc::bad_json, "TotalSize appears twice"},
  };
  for (const bad_case& c : cases) {
    CAPTURE(c.file);
    ce::cost_categories_page page;
    REQUIRE(page.reparse(read_data("cost_categories_values_last.json")));
    auto st = page.reparse(read_data(c.file));
    REQUIRE_FALSE(st);
    CHECK(st.code() == c.code);
    CHECK_MESSAGE(st.error().message.find(c.message) != std::string::npos, st.error().message);
    CHECK(page.names().empty());
    CHECK(page.values().empty());
  }
}
