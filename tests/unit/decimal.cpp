#include "finops_crawler/decimal.hpp"

#include <doctest/doctest.h>

#include <string>
#include <vector>

using namespace finops_crawler;

namespace {
decimal dec(std::string_view text) {
  auto r = decimal::parse(text);
  REQUIRE_MESSAGE(r, r.error().message);
  return *r;
}
}  // namespace

TEST_CASE("canonical decimal text round-trips byte for byte") {
  const std::vector<std::string> canonical = {
      "0", "1", "-1", "12.3456789012", "-3.5", "0.0000000001", "-0.0000000001", "1.50", "0.00",
      "100", "123456789012345678.123456789012345678",
      "170141183460469231731687303715884105727",     // 2^127 - 1
      "-170141183460469231731687303715884105727",
      "0.12345678901234567890123456789012345678",    // 38 fractional digits
      "9999999999999999999999999999.9999999999"};  // 38 digits
  for (const auto& text : canonical) {
    CAPTURE(text);
    CHECK(dec(text).to_string() == text);
  }
}

TEST_CASE("non-canonical but plain input normalizes") {
  CHECK(dec("007").to_string() == "7");
  CHECK(dec("-0").to_string() == "0");
  CHECK(dec("-0.00").to_string() == "0.00");
  CHECK_FALSE(dec("-0.00").is_negative());
  CHECK(dec("00.10").to_string() == "0.10");
  CHECK(dec("1.50").scale() == 2);
}

TEST_CASE("anything that is not a plain decimal is rejected with a message") {
  const std::vector<std::string> bad = {
      "", " 1", "1 ", "+1", "1e5", "1E5", "1.2.3", "--1", "-", ".", ".5", "5.", "NaN", "nan",
      "Infinity", "-Infinity", "0x10", "1,5", "1_000", "١", "\t", "1\n", "12a",
      "170141183460469231731687303715884105728",   // 2^127: does not fit
      "-170141183460469231731687303715884105728",
      "99999999999999999999999999999999999999.1",  // 39 digits
      "0.123456789012345678901234567890123456789", // 39 fractional digits
      std::string(1000, '9')};
  for (const auto& text : bad) {
    CAPTURE(text);
    auto r = decimal::parse(text);
    REQUIRE_FALSE(r);
    CHECK(r.code() == errc::invalid_argument);
    CHECK(r.error().message.find("not a plain decimal number") != std::string::npos);
  }
  // The quoted text is bounded so garbage cannot flood a log line.
  CHECK(decimal::parse(std::string(1000, '9')).error().message.size() < 200);
  CHECK(decimal::parse(std::string("1\0", 2)).code() == errc::invalid_argument);
}

TEST_CASE("add and sub are exact and keep the larger scale") {
  CHECK(decimal::add(dec("1.5"), dec("2.25"))->to_string() == "3.75");
  CHECK(decimal::add(dec("1.50"), dec("1"))->to_string() == "2.50");
  CHECK(decimal::add(dec("0.1"), dec("0.2"))->to_string() == "0.3");  // exactly, unlike double
  CHECK(decimal::add(dec("12.3456789012"), dec("-3.5"))->to_string() == "8.8456789012");
  CHECK(decimal::sub(dec("0"), dec("0.0000000001"))->to_string() == "-0.0000000001");
  CHECK(decimal::sub(dec("-3.5"), dec("-3.5"))->to_string() == "0.0");

  // A sum of many small amounts that double gets wrong.
  decimal total;
  double approx = 0;
  for (int i = 0; i < 1000; ++i) {
    REQUIRE(total.add_assign(dec("0.0000000001")));
    approx += 0.0000000001;
  }
  CHECK(total.to_string() == "0.0000001000");
  CHECK(total == dec("0.0000001"));
  CHECK(approx != 0.0000001);  // documents why decimal exists
}

TEST_CASE("overflow is an error, never undefined behaviour") {
  const decimal max = dec("170141183460469231731687303715884105727");
  const decimal min = dec("-170141183460469231731687303715884105727");
  auto r = decimal::add(max, dec("1"));
  REQUIRE_FALSE(r);
  CHECK(r.code() == errc::invalid_argument);
  CHECK(r.error().message.find("overflow") != std::string::npos);
  CHECK_FALSE(decimal::sub(min, dec("1")));
  CHECK_FALSE(decimal::sub(max, min));
  CHECK(decimal::add(max, min)->is_zero());
  // Aligning scales can overflow too: 2^127-1 with one more fractional digit.
  CHECK_FALSE(decimal::add(max, dec("0.1")));
  decimal kept = max;
  CHECK_FALSE(kept.add_assign(dec("1")));
  CHECK(kept.identical(max));
  // Very large bill totals at 10 fractional digits still fit.
  CHECK(decimal::add(dec("9999999999999999999999999999.9999999999"), dec("0.0000000001"))->to_string() ==
        "10000000000000000000000000000.0000000000");
}

TEST_CASE("comparison is by value across scales") {
  CHECK(dec("1.5") == dec("1.50"));
  CHECK_FALSE(dec("1.5").identical(dec("1.50")));
  CHECK(dec("-3.5") < dec("0"));
  CHECK(dec("-3.5") < dec("-3.4999999999"));
  CHECK(dec("0.1") > dec("0.09999999999999999999999999999999999999"));
  CHECK(dec("2") > dec("1.99"));
  CHECK(dec("-2") < dec("-1.99"));
  CHECK(dec("0") == dec("-0.000"));
  CHECK(dec("170141183460469231731687303715884105727") >
        dec("1.7014118346046923173168730371588410572"));
  CHECK(dec("0.00000000000000000000000000000000000001") > dec("0"));
  CHECK(decimal::compare(dec("5"), dec("5.000")) == 0);
}

TEST_CASE("with_scale grows exactly and refuses to round") {
  CHECK(dec("1.5").with_scale(10)->to_string() == "1.5000000000");
  CHECK(dec("1.5").with_scale(0).code() == errc::invalid_argument);
  CHECK_FALSE(dec("170141183460469231731687303715884105727").with_scale(1));
  CHECK_FALSE(dec("1").with_scale(39));
}

TEST_CASE("to_double is a correctly rounded convenience") {
  CHECK(dec("12.3456789012").to_double() == 12.3456789012);
  CHECK(dec("-3.5").to_double() == -3.5);
  CHECK(dec("0").to_double() == 0.0);
  CHECK(decimal::from_integer(-42).to_string() == "-42");
}
