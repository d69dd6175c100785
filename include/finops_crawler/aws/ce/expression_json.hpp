#ifndef FINOPS_CRAWLER_AWS_CE_EXPRESSION_JSON_HPP
#define FINOPS_CRAWLER_AWS_CE_EXPRESSION_JSON_HPP
/// \file
/// Reads a Cost Explorer Filter (shape `Expression`) from JSON text, e.g. the
/// file given to the CLI's `--filter-json`. Kept apart from requests.hpp
/// because it is the one piece of the request model that needs simdjson.
///
///   auto e = ce::parse_expression_json(R"({"Not": {"Dimensions": {"Key": "RECORD_TYPE", "Values": ["Credit"]}}})");
///   if (!e) { std::cerr << e.error().message << '\n'; return 2; }
///   if (auto s = ce::validate_expression(*e, ce::operation::get_cost_and_usage); !s) ...
///   request.filter = std::move(*e);

#include <string_view>

#include "finops_crawler/aws/ce/requests.hpp"
#include "finops_crawler/config.hpp"
#include "finops_crawler/result.hpp"

namespace finops_crawler {
inline namespace v0 {
namespace ce {

/// Parses `json`, which must hold one Expression object in AWS's wire form
/// (`{"And": [...]}`, `{"Dimensions": {"Key": ..., "Values": [...],
/// "MatchOptions": [...]}}`, ...), into an `expression`.
///
/// Checked here: well-formed JSON (simdjson DOM), objects where objects are
/// due, arrays of strings for Values and MatchOptions, MatchOptions names
/// (exact, with a hint for "equals" -> EQUALS), no unknown or repeated member
/// (with a hint for "Dimension" -> Dimensions, and for a wrapping
/// `{"Filter": ...}`), nesting at most `max_expression_depth`.
/// Not checked here, so that the tree mirrors the input: the AWS rules on the
/// tree (one operator per node, And/Or sizes, dimension names...). Call
/// `validate_expression(e, op)` (request `to_json()` does it too).
///
/// Errors: errc::invalid_argument with a message giving the JSON path,
/// e.g. "Filter.And[1].Dimensions.Values[0]: expected a string".
/// The result owns its strings (nothing borrows `json`). Copies `json` once
/// into simdjson's padded buffer; allocates a parser per call. Thread-safe
/// (no shared state).
result<expression> parse_expression_json(std::string_view json);

}  // namespace ce
}  // namespace v0
}  // namespace finops_crawler

#if FINOPS_CRAWLER_HEADER_ONLY
#include "finops_crawler/aws/ce/expression_json-inl.hpp"
#endif

#endif  // FINOPS_CRAWLER_AWS_CE_EXPRESSION_JSON_HPP
