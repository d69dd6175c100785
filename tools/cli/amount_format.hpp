#ifndef FINOPS_CRAWLER_CLI_AMOUNT_FORMAT_HPP
#define FINOPS_CRAWLER_CLI_AMOUNT_FORMAT_HPP
/// \file
/// Display rounding of the exact decimal strings AWS sends ("12.3456789",
/// "-0.0000001", "1.5E-7"), done on the digits, never through a double, so a
/// displayed figure is the exact amount rounded half away from zero. For the
/// table and the demo only: CSV/NDJSON/JSON keep the strings untouched.
/// Pure; thread-safe.

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "finops_crawler/decimal.hpp"

namespace finops_crawler {
inline namespace v0 {
namespace cli {

/// Rounds `exact` to `decimals` places (0..18) and, when `grouping`, puts a
/// comma between thousands: ("1234.565", 2) -> "1,234.57". Accepts an
/// optional sign, digits with an optional point, and an optional exponent
/// (E or e). nullopt when `exact` is not such a number. "-0.001" rounds to
/// "0.00" (no negative zero).
std::optional<std::string> format_amount(std::string_view exact, int decimals = 2, bool grouping = true);

/// format_amount, or `exact` unchanged when it is not a number.
std::string display_amount(std::string_view exact, int decimals = 2);

/// The value `exact` shows after display rounding (format_amount's rule),
/// as an exact decimal: rounded(1.005) == 1.01.
decimal rounded(const decimal& exact, int decimals = 2);

/// Whether the rows, each rounded to `decimals` places, add up to the
/// rounded total. When they do not, the table says so (rounding_footnote):
/// 0.004 + 0.004 + 0.004 shows 0.00 + 0.00 + 0.00 beside a total of 0.01.
bool rounded_rows_add_up(const std::vector<decimal>& rows, const decimal& total, int decimals = 2);

/// The footnote under a table whose rounded rows do not add up.
inline constexpr std::string_view rounding_footnote =
    "Rounded rows do not add up to the rounded total (each figure is rounded\n"
    "on its own; exact amounts: --format csv or json).";

}  // namespace cli
}  // namespace v0
}  // namespace finops_crawler

#endif  // FINOPS_CRAWLER_CLI_AMOUNT_FORMAT_HPP
