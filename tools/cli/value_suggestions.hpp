#ifndef FINOPS_CRAWLER_CLI_VALUE_SUGGESTIONS_HPP
#define FINOPS_CRAWLER_CLI_VALUE_SUGGESTIONS_HPP
/// \file
/// "Did you mean": the nearest of a list of known names to what was typed,
/// for case mistakes in flags (`--group-by service`) and for --filter values
/// that match nothing (`--filter SERVICE=EC2`). Pure; thread-safe.

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace finops_crawler {
inline namespace v0 {
namespace cli {

/// The one of `names` equal to `typed` when ASCII case is ignored, if any
/// (and only when `typed` is not itself one of them).
std::optional<std::string> same_but_case(std::string_view typed, const std::vector<std::string>& names);

/// Up to `max` of `values` nearest to `typed`, best first:
///  1. equal but for case;
///  2. containing `typed` (case ignored);
///  3. an abbreviation of the value's words: the letters of `typed` in order
///     among the initials of the value's words (CamelCase and '-' split
///     words), a digit repeating the letter before it, as AWS's own short
///     names do (EC2 = Elastic Compute Cloud, S3 = Simple Storage Service);
///  4. within an edit distance of a third of the longer length (case ignored).
/// Values matching none of these are left out. Cost: O(values x length^2).
std::vector<std::string> nearest_values(std::string_view typed, const std::vector<std::string>& values,
                                        std::size_t max = 3);

}  // namespace cli
}  // namespace v0
}  // namespace finops_crawler

#endif  // FINOPS_CRAWLER_CLI_VALUE_SUGGESTIONS_HPP
