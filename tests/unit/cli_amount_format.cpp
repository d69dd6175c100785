#include "amount_format.hpp"

#include <doctest/doctest.h>

using namespace finops_crawler::cli;

TEST_CASE("rounds on the digits, half away from zero") {
  CHECK(*format_amount("1234.565") == "1,234.57");
  CHECK(*format_amount("1234.564999999999999999") == "1,234.56");
  CHECK(*format_amount("0.005") == "0.01");
  CHECK(*format_amount("-0.005") == "-0.01");
  CHECK(*format_amount("-0.004") == "0.00");
  CHECK(*format_amount("999.995") == "1,000.00");
  CHECK(*format_amount("9.995", 2, false) == "10.00");
  CHECK(*format_amount("12") == "12.00");
  CHECK(*format_amount("1234567.891", 0) == "1,234,568");
  CHECK(*format_amount(".5", 0) == "1");
  CHECK(*format_amount("0") == "0.00");
}

TEST_CASE("exponents as AWS sometimes sends them") {
  CHECK(*format_amount("1.5E-7", 2) == "0.00");
  CHECK(*format_amount("1.5E-7", 7) == "0.0000002");
  CHECK(*format_amount("-6.6E-9", 9) == "-0.000000007");
  CHECK(*format_amount("1.2345e3", 1) == "1,234.5");
  CHECK(*format_amount("5E+2", 0) == "500");
}

TEST_CASE("not numbers") {
  CHECK_FALSE(format_amount(""));
  CHECK_FALSE(format_amount("-"));
  CHECK_FALSE(format_amount("abc"));
  CHECK_FALSE(format_amount("1.2.3"));
  CHECK_FALSE(format_amount("1e"));
  CHECK_FALSE(format_amount("1 "));
  CHECK(display_amount("n/a") == "n/a");
}
