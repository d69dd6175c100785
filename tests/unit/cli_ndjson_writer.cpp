#include "ndjson_writer.hpp"

#include <doctest/doctest.h>
#include <simdjson.h>

#include <sstream>
#include <string>

using namespace finops_crawler::cli;

TEST_CASE("json strings are escaped") {
  auto lit = [](std::string_view s) {
    std::ostringstream o;
    write_json_string(o, s);
    return o.str();
  };
  CHECK(lit("plain") == "\"plain\"");
  CHECK(lit("a\"b\\c") == "\"a\\\"b\\\\c\"");
  CHECK(lit("x\ny\tz\r") == "\"x\\ny\\tz\\r\"");
  CHECK(lit(std::string_view("\x01\x1f", 2)) == "\"\\u0001\\u001f\"");
  CHECK(lit("caf\xc3\xa9") == "\"caf\xc3\xa9\"");
  // The library's escaping (detail::append_json_string): short forms for
  // backspace and form feed, DEL unchanged.
  CHECK(lit("\b\f\x7f") == "\"\\b\\f\x7f\"");
}

TEST_CASE("bytes that are not UTF-8 are copied unchanged, the rest escaped as usual") {
  std::ostringstream o;
  write_json_string(o, std::string_view("a\xff\"\xc3\n\xe2\x82\xac\x80", 9));
  CHECK(o.str() == std::string_view("\"a\xff\\\"\xc3\\n\xe2\x82\xac\x80\"", 13));
}

TEST_CASE("each row is one JSON object with the CSV's fields; parsed back exactly") {
  std::ostringstream o;
  ndjson_writer w(o, true);
  REQUIRE(w.begin());
  cost_row a{"2026-01-01", "2026-01-02", "", "", "UnblendedCost", "12.3456789012345678901", "USD", true, ""};
  cost_row b{"2026-01-01", "2026-01-02", "Amazon S3", "123456789012", "UnblendedCost", "-0.01", "USD", false,
             "Prod \"EU\"\n"};
  REQUIRE(w.write(a));
  REQUIRE(w.write(b));
  REQUIRE(w.finish());
  std::istringstream in(o.str());
  std::string line;
  simdjson::dom::parser parser;
  int n = 0;
  while (std::getline(in, line) && n < 10) {
    simdjson::dom::element e;
    REQUIRE(parser.parse(line).get(e) == simdjson::SUCCESS);
    if (n == 0) {
      CHECK(e["group_1"].is_null());
      CHECK(e["group_2"].is_null());
      CHECK(std::string_view(e["amount"].get_string().value()) == "12.3456789012345678901");
      CHECK(e["estimated"].get_bool().value() == true);
      CHECK(e["account_name"].is_null());
    } else {
      CHECK(std::string_view(e["group_1"].get_string().value()) == "Amazon S3");
      CHECK(std::string_view(e["account_name"].get_string().value()) == "Prod \"EU\"\n");
      CHECK(std::string_view(e["amount"].get_string().value()) == "-0.01");
      CHECK(e["estimated"].get_bool().value() == false);
    }
    ++n;
  }
  CHECK(n == 2);
}
