// CSV contract of `finops-crawler costs`: header exact, RFC 4180 quoting,
// amounts byte for byte.
#include "csv_writer.hpp"

#include <doctest/doctest.h>

#include <sstream>
#include <string>
#include <vector>

using namespace finops_crawler::cli;

namespace {
std::string field(std::string_view s) {
  std::ostringstream o;
  write_csv_field(o, s);
  return o.str();
}

// A small RFC 4180 reader, independent of the writer, to prove round trips.
std::vector<std::vector<std::string>> parse_csv(const std::string& text) {
  std::vector<std::vector<std::string>> rows(1, std::vector<std::string>(1));
  bool quoted = false;
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    auto& cur = rows.back().back();
    if (quoted) {
      if (c == '"' && i + 1 < text.size() && text[i + 1] == '"') {
        cur.push_back('"');
        ++i;
      } else if (c == '"') {
        quoted = false;
      } else {
        cur.push_back(c);
      }
    } else if (c == '"') {
      quoted = true;
    } else if (c == ',') {
      rows.back().emplace_back();
    } else if (c == '\n') {
      rows.emplace_back(1);
    } else {
      cur.push_back(c);
    }
  }
  if (rows.back().size() == 1 && rows.back()[0].empty()) rows.pop_back();
  return rows;
}
}  // namespace

TEST_CASE("header is exactly the contract") {
  std::ostringstream o;
  csv_writer w(o);
  REQUIRE(w.begin());
  REQUIRE(w.finish());
  CHECK(o.str() == "period_start,period_end,group_1,group_2,metric,amount,unit,estimated\n");
}

TEST_CASE("account_name column is appended only when asked") {
  std::ostringstream o;
  csv_writer w(o, true);
  REQUIRE(w.begin());
  CHECK(o.str() == "period_start,period_end,group_1,group_2,metric,amount,unit,estimated,account_name\n");
}

TEST_CASE("RFC 4180 quoting") {
  CHECK(field("Amazon EC2") == "Amazon EC2");
  CHECK(field("") == "");
  CHECK(field("a,b") == "\"a,b\"");
  CHECK(field("say \"hi\"") == "\"say \"\"hi\"\"\"");
  CHECK(field("\"") == "\"\"\"\"");
  CHECK(field("line1\nline2") == "\"line1\nline2\"");
  CHECK(field("cr\rhere") == "\"cr\rhere\"");
  CHECK(field(" spaces kept ") == " spaces kept ");
  CHECK(csv_needs_quotes("x,y"));
  CHECK_FALSE(csv_needs_quotes("EC2 - Other"));
}

TEST_CASE("rows: amounts exact, groups empty when ungrouped, round trip through a reader") {
  std::ostringstream o;
  csv_writer w(o);
  REQUIRE(w.begin());
  cost_row total{"2026-01-01", "2026-01-02", "", "", "UnblendedCost", "0.0000000123", "USD", true, ""};
  REQUIRE(w.write(total));
  cost_row tricky{"2026-01-01", "2026-01-02", "user:team$\"ops, infra\"\nnight", "123456789012",
                  "BlendedCost", "-1234567890.1234567890123", "USD", false, ""};
  REQUIRE(w.write(tricky));
  cost_row big{"2026-01-01", "2026-01-02", "Amazon EC2", "", "UsageQuantity", "1.5E-7", "N/A", false, ""};
  REQUIRE(w.write(big));
  REQUIRE(w.finish());
  const std::string text = o.str();
  CHECK(text.find("2026-01-01,2026-01-02,,,UnblendedCost,0.0000000123,USD,true\n") != std::string::npos);
  auto rows = parse_csv(text);
  REQUIRE(rows.size() == 4);
  CHECK(rows[0] == std::vector<std::string>{"period_start", "period_end", "group_1", "group_2", "metric", "amount",
                                            "unit", "estimated"});
  CHECK(rows[2][2] == "user:team$\"ops, infra\"\nnight");
  CHECK(rows[2][5] == "-1234567890.1234567890123");
  CHECK(rows[2][7] == "false");
  CHECK(rows[3][5] == "1.5E-7");
  for (const auto& r : rows) CHECK(r.size() == 8);
}

TEST_CASE("a failed stream is reported") {
  std::ostringstream o;
  o.setstate(std::ios::badbit);
  csv_writer w(o);
  CHECK_FALSE(w.begin());
  cost_row r{"a", "b", "", "", "m", "1", "USD", false, ""};
  CHECK_FALSE(w.write(r));
}
