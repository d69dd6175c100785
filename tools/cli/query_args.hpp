#ifndef FINOPS_CRAWLER_CLI_QUERY_ARGS_HPP
#define FINOPS_CRAWLER_CLI_QUERY_ARGS_HPP
/// \file
/// The `costs` query flags turned into the library's validated request
/// model: --group-by, --filter, --filter-json, --metric, --granularity.
/// Everything here runs before any request is sent; every error is
/// errc::invalid_argument (exit status 2) with a message naming the flag.

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "finops_crawler/aws/ce/requests.hpp"
#include "finops_crawler/result.hpp"

namespace finops_crawler {
inline namespace v0 {
namespace cli {

/// The EC2 service name GetCostAndUsageWithResources insists on in its
/// Filter ("requires the Expression SERVICE = Amazon Elastic Compute Cloud -
/// Compute", GetCostAndUsageWithResourcesRequest.Filter docs).
inline constexpr std::string_view ec2_compute_service = "Amazon Elastic Compute Cloud - Compute";

/// Parses one --group-by: `DIMENSION` (e.g. SERVICE, LINKED_ACCOUNT,
/// RESOURCE_ID), `TAG:key` or `COST_CATEGORY:name`. The dimension name is
/// checked against the Cost Explorer model (exact case). Errors name the flag.
result<ce::group_by> parse_group_by(std::string_view text);

/// Splits `a,b,c` on commas; `\,` is a literal comma and `\\` a backslash.
std::vector<std::string> split_values(std::string_view s);

/// Parses one --filter: `DIMENSION=v1[,v2...]` (values OR-ed),
/// `TAG:key=v1[,v2]` or `COST_CATEGORY:name=v1[,v2]`. A comma inside a value
/// is written `\,`. Errors name the flag and the accepted forms.
result<ce::expression> parse_filter(std::string_view text);

/// The largest --filter-json file read (an Expression is a few KiB; the cap
/// keeps `--filter-json /dev/zero` from reading forever).
inline constexpr std::size_t max_filter_json_bytes = 16u * 1024 * 1024;

/// Reads --filter-json FILE: one Cost Explorer Expression in AWS's JSON.
/// Errors (errc::invalid_argument): a file that cannot be read (the message
/// gives the OS reason, e.g. "No such file or directory"), one larger than
/// max_filter_json_bytes, or JSON that is not an Expression.
result<ce::expression> read_filter_json(const std::string& path);

/// Combines filters with And (AWS needs two or more operands for And, so a
/// single filter stays as it is). nullopt when there is none.
std::optional<ce::expression> combine_and(std::vector<ce::expression> parts);

/// The Filter of a command: every --filter, then --filter-json (when a path
/// is given), then `also` (a condition the command itself needs, e.g. the
/// EC2 service of a resource-level report), combined with And. nullopt when
/// there is none. Errors: those of parse_filter and read_filter_json.
result<std::optional<ce::expression>> build_filter(const std::vector<std::string>& filters,
                                                   const std::string& filter_json,
                                                   std::optional<ce::expression> also = std::nullopt);

}  // namespace cli
}  // namespace v0
}  // namespace finops_crawler

#endif  // FINOPS_CRAWLER_CLI_QUERY_ARGS_HPP
