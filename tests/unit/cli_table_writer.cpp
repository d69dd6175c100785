#include "table_writer.hpp"

#include <doctest/doctest.h>

#include <sstream>
#include <string>
#include <vector>

using namespace finops_crawler::cli;

namespace {
std::vector<std::string> lines(const std::string& s) {
  std::vector<std::string> out;
  std::istringstream in(s);
  std::string l;
  while (std::getline(in, l)) out.push_back(l);
  return out;
}
}  // namespace

TEST_CASE("columns align; numbers right-aligned") {
  text_table t({{"service", false}, {"total", true}});
  t.add_row({"Amazon EC2", "1,234.00"});
  t.add_row({"S3", "5.10"});
  std::ostringstream o;
  t.render(o, 80);
  auto l = lines(o.str());
  REQUIRE(l.size() == 4);
  CHECK(l[0] == "service        total");
  CHECK(l[1] == "----------  --------");
  CHECK(l[2] == "Amazon EC2  1,234.00");
  CHECK(l[3] == "S3              5.10");
}

TEST_CASE("wide tables shrink text columns and mark the cut") {
  text_table t({{"name", false}, {"other", false}, {"n", true}});
  t.add_row({std::string(100, 'a'), "short", "1"});
  std::ostringstream o;
  t.render(o, 40);
  for (const auto& l : lines(o.str())) CHECK(display_width(l) <= 40);
  CHECK(o.str().find("a~") != std::string::npos);
  CHECK(o.str().find("short") != std::string::npos);
}

TEST_CASE("display width counts code points; fit_width cuts on them") {
  CHECK(display_width("caf\xc3\xa9") == 4);
  CHECK(fit_width("caf\xc3\xa9 au lait", 5) == "caf\xc3\xa9~");
  CHECK(fit_width("abc", 3) == "abc");
  CHECK(fit_width("abcd", 3) == "ab~");
}

TEST_CASE("cost table: rounded amounts, estimated marker, only used group columns") {
  std::ostringstream o;
  table_writer w(o, 80);
  REQUIRE(w.begin());
  REQUIRE(w.write(cost_row{"2026-01-01", "2026-01-02", "Amazon EC2", "", "UnblendedCost", "10.005", "USD", false, ""}));
  REQUIRE(w.write(cost_row{"2026-01-02", "2026-01-03", "Amazon EC2", "", "UnblendedCost", "3", "USD", true, ""}));
  REQUIRE(w.finish());
  const std::string s = o.str();
  CHECK(s.find("group_1") != std::string::npos);
  CHECK(s.find("group_2") == std::string::npos);
  CHECK(s.find("metric") == std::string::npos);
  CHECK(s.find("10.01") != std::string::npos);
  CHECK(s.find("3.00*") != std::string::npos);
  CHECK(s.find("* estimated") != std::string::npos);
}

TEST_CASE("account names appear beside the id in the table") {
  std::ostringstream o;
  table_writer w(o, 80);
  w.set_account_group(2);
  REQUIRE(w.begin());
  REQUIRE(w.write(cost_row{"2026-01-01", "2026-01-02", "Amazon S3", "111122223333", "UnblendedCost", "1", "USD", false,
                           "Production"}));
  REQUIRE(w.finish());
  CHECK(o.str().find("111122223333 (Production)") != std::string::npos);
}

TEST_CASE("an empty report says so") {
  std::ostringstream o;
  table_writer w(o, 80);
  REQUIRE(w.begin());
  REQUIRE(w.finish());
  CHECK(o.str() == "(no costs in this period)\n");
}
