#include "finops_crawler/detail/json_writer.hpp"

#include <doctest/doctest.h>

#include <string>
#include <string_view>

using finops_crawler::errc;
using finops_crawler::detail::append_json_string;
using finops_crawler::detail::check_utf8;
using finops_crawler::detail::json_writer;
using finops_crawler::detail::utf8_fault;
using finops_crawler::detail::utf8_length;
using finops_crawler::detail::validate_utf8;

namespace {
std::string escaped(std::string_view s) {
  std::string out;
  auto st = append_json_string(out, s);
  REQUIRE(st);
  return out;
}
}  // namespace

TEST_CASE("every control character is escaped, with short forms where JSON has them") {
  const char* hex = "0123456789abcdef";
  for (int c = 0; c < 0x20; ++c) {
    const std::string in(1, static_cast<char>(c));
    std::string expected;
    switch (c) {
      case 0x08: expected = "\"\\b\""; break;
      case 0x09: expected = "\"\\t\""; break;
      case 0x0A: expected = "\"\\n\""; break;
      case 0x0C: expected = "\"\\f\""; break;
      case 0x0D: expected = "\"\\r\""; break;
      default:
        expected = "\"\\u00";
        expected += hex[c >> 4];
        expected += hex[c & 0xF];
        expected += '"';
    }
    CAPTURE(c);
    CHECK(escaped(in) == expected);
  }
}

TEST_CASE("quotes and backslashes are escaped; other ASCII passes through") {
  CHECK(escaped("") == "\"\"");
  CHECK(escaped("a\"b") == "\"a\\\"b\"");
  CHECK(escaped("C:\\path\\") == "\"C:\\\\path\\\\\"");
  CHECK(escaped("/ slash stays") == "\"/ slash stays\"");
  CHECK(escaped(std::string_view("\x7f", 1)) == "\"\x7f\"");  // DEL is not a JSON control character
  std::string printable;
  for (int c = 0x20; c < 0x7F; ++c) {
    if (c != '"' && c != '\\') printable += static_cast<char>(c);
  }
  CHECK(escaped(printable) == "\"" + printable + "\"");
  // An embedded NUL in the middle of a string.
  CHECK(escaped(std::string_view("a\0b", 3)) == "\"a\\u0000b\"");
}

TEST_CASE("multi-byte UTF-8 passes through unchanged") {
  const std::string samples[] = {
      "\xC2\xA9",                  // U+00A9, 2 bytes, smallest lead C2
      "\xDF\xBF",                  // U+07FF, last 2-byte
      "\xE0\xA0\x80",              // U+0800, first 3-byte
      "\xE2\x82\xAC",              // U+20AC euro
      "\xED\x9F\xBF",              // U+D7FF, just below the surrogates
      "\xEE\x80\x80",              // U+E000, just above the surrogates
      "\xEF\xBF\xBF",              // U+FFFF
      "\xF0\x90\x80\x80",          // U+10000, first 4-byte
      "\xF0\x9F\x92\xB0",          // U+1F4B0 money bag
      "\xF4\x8F\xBF\xBF",          // U+10FFFF, the last code point
      "caf\xC3\xA9 \xE6\x97\xA5\xE6\x9C\xAC",  // mixed text
  };
  for (const auto& s : samples) {
    CAPTURE(s);
    CHECK(check_utf8(s));
    CHECK(escaped(s) == "\"" + s + "\"");
  }
  CHECK(utf8_length("caf\xC3\xA9") == 4);
  CHECK(utf8_length("\xF0\x9F\x92\xB0x") == 2);
}

TEST_CASE("each class of invalid UTF-8 is rejected with its reason and offset") {
  struct bad_case {
    std::string_view bytes;
    utf8_fault fault;
    std::size_t offset;
  };
  const bad_case cases[] = {
      {"\x80", utf8_fault::invalid_lead_byte, 0},             // lone continuation byte
      {"ab\xBF", utf8_fault::invalid_lead_byte, 2},
      {"\xFF", utf8_fault::invalid_lead_byte, 0},
      {"\xF8\x88\x80\x80\x80", utf8_fault::invalid_lead_byte, 0},  // old 5-byte form
      {"\xC0\x80", utf8_fault::overlong, 0},                  // overlong NUL
      {"\xC1\xBF", utf8_fault::overlong, 0},                  // overlong U+007F
      {"\xE0\x80\xAF", utf8_fault::overlong, 0},              // overlong '/' in 3 bytes
      {"\xE0\x9F\xBF", utf8_fault::overlong, 0},              // overlong U+07FF
      {"\xF0\x8F\xBF\xBF", utf8_fault::overlong, 0},          // overlong U+FFFF
      {"\xED\xA0\x80", utf8_fault::surrogate, 0},             // U+D800
      {"x\xED\xBF\xBF", utf8_fault::surrogate, 1},            // U+DFFF
      {"\xF4\x90\x80\x80", utf8_fault::above_max, 0},         // U+110000
      {"\xF5\x80\x80\x80", utf8_fault::above_max, 0},         // lead byte above F4
      {"\xC3", utf8_fault::truncated, 0},                     // ends after the lead
      {"ok\xE2\x82", utf8_fault::truncated, 2},
      {"\xF0\x9F\x92", utf8_fault::truncated, 0},
      {"\xC3(", utf8_fault::bad_continuation, 0},             // continuation replaced by ASCII
      {"\xE2\x28\xA1", utf8_fault::bad_continuation, 0},
      {"\xF0\x9F\x92\xC0", utf8_fault::bad_continuation, 0},
  };
  for (const auto& c : cases) {
    CAPTURE(c.offset);
    const auto r = check_utf8(c.bytes);
    CHECK_FALSE(r);
    CHECK(r.fault == c.fault);
    CHECK(r.offset == c.offset);
    auto st = validate_utf8(c.bytes, "Filter.Tags.Values[0]");
    CHECK(st.code() == errc::invalid_argument);
    CHECK(st.error().message.find("Filter.Tags.Values[0] is not valid UTF-8") == 0);
    CHECK(st.error().message.find("at byte " + std::to_string(c.offset)) != std::string::npos);
    std::string out = "unchanged";
    CHECK(append_json_string(out, c.bytes).code() == errc::invalid_argument);
    CHECK(out == "unchanged");
  }
}

TEST_CASE("json_writer writes nested structures with commas in the right places") {
  json_writer w;
  w.begin_object()
      .key("a")
      .integer(-5)
      .key("b")
      .begin_array()
      .string("x")
      .begin_object()
      .end_object()
      .begin_array()
      .end_array()
      .boolean(true)
      .null()
      .end_array()
      .key("c\n")
      .boolean(false)
      .end_object();
  auto r = std::move(w).finish();
  REQUIRE(r);
  CHECK(*r == R"({"a":-5,"b":["x",{},[],true,null],"c\n":false})");
}

TEST_CASE("json_writer reports misuse and invalid UTF-8 as sticky errors") {
  SUBCASE("value without key") {
    json_writer w;
    w.begin_object().string("v").end_object();
    auto r = std::move(w).finish();
    CHECK(r.code() == errc::invalid_argument);
    CHECK(r.error().message.find("needs a key") != std::string::npos);
  }
  SUBCASE("key outside object") {
    json_writer w;
    w.begin_array().key("k").end_array();
    CHECK(std::move(w).finish().code() == errc::invalid_argument);
  }
  SUBCASE("unbalanced") {
    json_writer w;
    w.begin_object();
    CHECK(std::move(w).finish().error().message.find("still open") != std::string::npos);
    json_writer w2;
    w2.begin_array().end_object();
    CHECK(std::move(w2).finish().code() == errc::invalid_argument);
  }
  SUBCASE("dangling key") {
    json_writer w;
    w.begin_object().key("k").end_object();
    CHECK(std::move(w).finish().code() == errc::invalid_argument);
  }
  SUBCASE("two top-level values and nothing at all") {
    json_writer w;
    w.integer(1).integer(2);
    CHECK(std::move(w).finish().code() == errc::invalid_argument);
    json_writer empty;
    CHECK(std::move(empty).finish().code() == errc::invalid_argument);
  }
  SUBCASE("invalid UTF-8 in a value or a key") {
    json_writer w;
    w.begin_object().key("k").string("\xED\xA0\x80").key("later").integer(1).end_object();
    CHECK_FALSE(w.ok());
    auto r = std::move(w).finish();
    CHECK(r.code() == errc::invalid_argument);
    CHECK(r.error().message.find("surrogate") != std::string::npos);
    json_writer w2;
    w2.begin_object().key("\xC0\x80").integer(1).end_object();
    CHECK(std::move(w2).finish().error().message.find("overlong") != std::string::npos);
  }
  SUBCASE("fail() keeps the first error") {
    json_writer w;
    w.fail(finops_crawler::error(errc::invalid_argument, "first")).fail(finops_crawler::error(errc::bad_json, "second"));
    auto r = std::move(w).finish();
    CHECK(r.error().message == "first");
  }
}

TEST_CASE("json_writer output is reusable after finish") {
  json_writer w;
  w.string("one");
  auto a = std::move(w).finish();
  REQUIRE(a);
  CHECK(*a == "\"one\"");
  w.integer(2);
  auto b = std::move(w).finish();
  REQUIRE(b);
  CHECK(*b == "2");
}
