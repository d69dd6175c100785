#include "query_args.hpp"

#include <doctest/doctest.h>

#include <cerrno>
#include <cstring>

#include <cstdio>
#include <fstream>

using namespace finops_crawler;
using namespace finops_crawler::cli;

TEST_CASE("group-by forms") {
  auto d = parse_group_by("SERVICE");
  REQUIRE(d);
  CHECK(d->type == ce::group_definition_type::dimension);
  CHECK(d->key == "SERVICE");
  auto t = parse_group_by("TAG:team");
  REQUIRE(t);
  CHECK(t->type == ce::group_definition_type::tag);
  CHECK(t->key == "team");
  auto c = parse_group_by("COST_CATEGORY:Business Unit");
  REQUIRE(c);
  CHECK(c->type == ce::group_definition_type::cost_category);
  CHECK(c->key == "Business Unit");
  CHECK_FALSE(parse_group_by("service"));  // exact case, as AWS
  CHECK_FALSE(parse_group_by("TAG:"));
  CHECK_FALSE(parse_group_by("LABEL:x"));
  CHECK(parse_group_by("NOPE").error().message.find("--group-by NOPE") != std::string::npos);
}

TEST_CASE("filter forms and comma escapes") {
  CHECK(split_values("a,b") == std::vector<std::string>{"a", "b"});
  CHECK(split_values("a\\,b,c") == std::vector<std::string>{"a,b", "c"});
  CHECK(split_values("x\\\\") == std::vector<std::string>{"x\\"});
  auto f = parse_filter("SERVICE=Amazon Simple Storage Service,AWS Lambda");
  REQUIRE(f);
  REQUIRE(f->dimensions);
  CHECK(*f->dimensions->key == "SERVICE");
  CHECK(*f->dimensions->values == std::vector<std::string>{"Amazon Simple Storage Service", "AWS Lambda"});
  auto t = parse_filter("TAG:env=prod");
  REQUIRE(t);
  REQUIRE(t->tags);
  CHECK(*t->tags->key == "env");
  CHECK_FALSE(parse_filter("SERVICE"));
  CHECK_FALSE(parse_filter("=x"));
  CHECK_FALSE(parse_filter("SERVICE=a,,b"));
  CHECK_FALSE(parse_filter("NOTADIM=x"));
}

TEST_CASE("filters combine with And only when there are two or more") {
  CHECK_FALSE(combine_and({}));
  auto one = combine_and({ce::expression::dimension("SERVICE", {"x"})});
  REQUIRE(one);
  CHECK(one->dimensions);
  auto two = combine_and({ce::expression::dimension("SERVICE", {"x"}), ce::expression::tag("t", {"v"})});
  REQUIRE(two);
  REQUIRE(two->and_operands);
  CHECK(two->and_operands->size() == 2);
}

TEST_CASE("--filter-json reads an Expression file") {
  const std::string path = "/tmp/finops-cli-filter-test.json";
  { std::ofstream(path) << R"({"Not": {"Dimensions": {"Key": "RECORD_TYPE", "Values": ["Credit"]}}})"; }
  auto e = read_filter_json(path);
  REQUIRE(e);
  CHECK(e->not_operand);
  { std::ofstream(path) << R"({"Not": )"; }
  auto bad = read_filter_json(path);
  REQUIRE_FALSE(bad);
  CHECK(bad.error().message.find("--filter-json") == 0);
  std::remove(path.c_str());
  CHECK_FALSE(read_filter_json("/nonexistent/f.json"));
}

TEST_CASE("--filter-json on a file it cannot read gives the OS reason") {
  auto missing = read_filter_json("/nonexistent/f.json");
  REQUIRE_FALSE(missing);
  CHECK(missing.error().message.find("/nonexistent/f.json") != std::string::npos);
  CHECK(missing.error().message.find(std::strerror(ENOENT)) != std::string::npos);
  auto dir = read_filter_json("/tmp");
  REQUIRE_FALSE(dir);
  CHECK(dir.error().message.find(std::strerror(EISDIR)) != std::string::npos);
}
