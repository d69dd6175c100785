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

}  // namespace cli
}  // namespace v0
}  // namespace finops_crawler

#endif  // FINOPS_CRAWLER_CLI_AMOUNT_FORMAT_HPP
