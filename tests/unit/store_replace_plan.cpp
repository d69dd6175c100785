// store/replace_plan.hpp: the input checks and the row diff both stores use.
#include "finops_crawler/store/replace_plan.hpp"

#include <doctest/doctest.h>

#include <string>
#include <vector>

using namespace finops_crawler;
using store::store_row;
using store::stored_period;

TEST_CASE("store days, timestamps and decimals: the accepted forms") {
  for (const char* d : {"2026-01-01", "1999-12-31", "2026-02-28"}) CHECK(store::detail::is_day(d));
  for (const char* d : {"", "2026-1-01", "2026-13-01", "2026-00-10", "2026-01-32", "2026/01/01", "2026-01-01T"})
    CHECK_FALSE(store::detail::is_day(d));
  CHECK(store::detail::is_timestamp("2026-03-01T06:00:09Z"));
  for (const char* t : {"2026-03-01 06:00:09Z", "2026-03-01T06:00:09", "2026-03-01T24:00:00Z", "2026-03-01T06:00:09+00"})
    CHECK_FALSE(store::detail::is_timestamp(t));
  for (const char* a : {"0", "-0.0000001", "12.3400", "123456789012345678901234567890.5"})
    CHECK(store::detail::is_plain_decimal(a));
  for (const char* a : {"", "-", "1e5", ".5", "5.", "+1", "1.2.3", " 1", "NaN", "0x10"})
    CHECK_FALSE(store::detail::is_plain_decimal(a));
}

TEST_CASE("check_replace_input names the first bad period or row") {
  const std::vector<stored_period> periods = {{"2026-01-01", "2026-01-02", false, 1, ""},
                                              {"2026-01-02", "2026-01-03", true, 2, ""}};
  auto ok_row = store_row{"2026-01-01", "2026-01-02", "EC2", "111", "UnblendedCost", "1.5", "USD", false};
  CHECK(store::detail::check_replace_input(periods, std::vector<store_row>{ok_row}));

  struct bad_case {
    store_row row;
    const char* message;
  };
  const std::vector<bad_case> bad = {
      {{"2026-01-05", "2026-01-06", "EC2", "", "UnblendedCost", "1", "USD", false}, "not in any of the periods"},
      {{"2026-01-01", "2026-01-03", "EC2", "", "UnblendedCost", "1", "USD", false}, "but its period ends 2026-01-02"},
      {{"2026-01-01", "2026-01-02", "EC2", "", "", "1", "USD", false}, "has no metric"},
      {{"2026-01-01", "2026-01-02", "EC2", "", "UnblendedCost", "1e-5", "USD", false}, "not a plain decimal"},
  };
  for (const auto& b : bad) {
    auto st = store::detail::check_replace_input(periods, std::vector<store_row>{ok_row, b.row});
    CAPTURE(b.message);
    REQUIRE_FALSE(st);
    CHECK(st.code() == errc::invalid_argument);
    CHECK(st.error().message.find(b.message) != std::string::npos);
  }
  auto dup = store::detail::check_replace_input(periods, std::vector<store_row>{ok_row, ok_row});
  CHECK(dup.error().message.find("appears twice") != std::string::npos);

  auto twice = store::detail::check_replace_input(std::vector<stored_period>{periods[0], periods[0]}, {});
  CHECK(twice.error().message.find("given twice") != std::string::npos);
  auto backwards =
      store::detail::check_replace_input(std::vector<stored_period>{{"2026-01-02", "2026-01-01", false, 0, ""}}, {});
  CHECK(backwards.error().message.find("after the start") != std::string::npos);
}

TEST_CASE("diff_rows: inserts, updates by amount text, unit, estimated; deletes what vanished") {
  const std::vector<store::detail::existing_row> existing = {
      {"2026-01-01", "2026-01-02", "EC2", "111", "UnblendedCost", "1.5", "USD", false},   // same
      {"2026-01-01", "2026-01-02", "S3", "111", "UnblendedCost", "2", "USD", false},      // scale changes
      {"2026-01-01", "2026-01-02", "S3", "111", "UsageQuantity", "7", "GB", false},       // unit changes
      {"2026-01-01", "2026-01-02", "RDS", "111", "UnblendedCost", "3", "USD", true},      // estimated changes
      {"2026-01-01", "2026-01-02", "Lambda", "111", "UnblendedCost", "4", "USD", false},  // vanishes
  };
  const std::vector<store_row> incoming = {
      {"2026-01-01", "2026-01-02", "EC2", "111", "UnblendedCost", "1.5", "USD", false},
      {"2026-01-01", "2026-01-02", "S3", "111", "UnblendedCost", "2.00", "USD", false},
      {"2026-01-01", "2026-01-02", "S3", "111", "UsageQuantity", "7", "GiB", false},
      {"2026-01-01", "2026-01-02", "RDS", "111", "UnblendedCost", "3", "USD", false},
      {"2026-01-01", "2026-01-02", "EC2", "222", "UnblendedCost", "9", "USD", false},  // new
  };
  const auto ch = store::detail::diff_rows(incoming, existing);
  REQUIRE(ch.inserts.size() == 1);
  CHECK(ch.inserts[0]->group_2 == "222");
  REQUIRE(ch.updates.size() == 3);
  CHECK(ch.updates[0]->amount == "2.00");
  CHECK(ch.updates[1]->unit == "GiB");
  CHECK(ch.updates[2]->group_1 == "RDS");
  REQUIRE(ch.deletes.size() == 1);
  CHECK(ch.deletes[0]->group_1 == "Lambda");
  const auto c = ch.counts();
  CHECK(c.inserted == 1);
  CHECK(c.updated == 3);
  CHECK(c.deleted == 1);
}

TEST_CASE("diff_rows with signless_zero: an incoming negative zero equals the stored zero of its scale") {
  const std::vector<store::detail::existing_row> existing = {
      {"2026-01-01", "2026-01-02", "EC2", "", "m", "0.00", "USD", false},
      {"2026-01-01", "2026-01-02", "S3", "", "m", "0.0", "USD", false}};
  const std::vector<store_row> incoming = {{"2026-01-01", "2026-01-02", "EC2", "", "m", "-0.00", "USD", false},
                                           {"2026-01-01", "2026-01-02", "S3", "", "m", "-0.00", "USD", false}};
  const auto numeric = store::detail::diff_rows(incoming, existing, true);
  REQUIRE(numeric.updates.size() == 1);  // the scale still counts: 0.0 -> 0.00
  CHECK(numeric.updates[0]->group_1 == "S3");
  CHECK(store::detail::diff_rows(incoming, existing, false).updates.size() == 2);  // text kept exactly
}

TEST_CASE("diff_rows keys cannot be confused by separators inside group values") {
  // ("a:b", "") and ("a", ":b") would be one key if parts were only joined.
  const std::vector<store::detail::existing_row> existing = {
      {"2026-01-01", "2026-01-02", "a:b", "", "m", "1", "USD", false}};
  const std::vector<store_row> incoming = {{"2026-01-01", "2026-01-02", "a", ":b", "m", "1", "USD", false}};
  const auto ch = store::detail::diff_rows(incoming, existing);
  CHECK(ch.inserts.size() == 1);
  CHECK(ch.deletes.size() == 1);
}

TEST_CASE("scrub hides every occurrence of each secret; report_hash is FNV-1a 64") {
  const std::vector<std::string> secrets = {"s3cr3t", ""};
  CHECK(store::detail::scrub("password s3cr3t and s3cr3ts3cr3t", secrets) == "password *** and ******");
  CHECK(store::detail::report_hash("") == 14695981039346656037ull);
  CHECK(store::detail::report_hash("a") == 0xaf63dc4c8601ec8cull);  // the FNV-1a 64 test vector for "a"
  CHECK(store::detail::report_hash("default") != store::detail::report_hash("defaulu"));
}
