// libFuzzer target: the Cost Explorer filter-expression reader
// (aws/ce/expression_json.hpp), what the CLI's --filter-json uses.
//
// Invariants (a violation traps):
//  - errors are errc::invalid_argument with a message starting at the JSON
//    path "Filter";
//  - parse -> write_expression -> parse -> write_expression gives the same
//    JSON (what is read is what a second read of the written form sees);
//  - when validate_expression accepts the tree, to_json() succeeds and is
//    exactly the written JSON; when it refuses, to_json() refuses too.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "finops_crawler/aws/ce/expression_json.hpp"
#include "finops_crawler/aws/ce/requests.hpp"
#include "finops_crawler/detail/json_writer.hpp"
#include "fuzz_support.hpp"

namespace fc = finops_crawler;
namespace ce = finops_crawler::ce;
using fuzz_support::require;

namespace {

fc::result<std::string> write(const ce::expression& e) {
  fc::detail::json_writer w;
  ce::write_expression(w, e);
  return std::move(w).finish();
}

std::size_t depth(const ce::expression& e) {
  std::size_t d = 0;
  auto sub = [&](const ce::expression& x) {
    const std::size_t k = depth(x);
    if (k > d) d = k;
  };
  if (e.and_operands)
    for (const auto& x : *e.and_operands) sub(x);
  if (e.or_operands)
    for (const auto& x : *e.or_operands) sub(x);
  if (e.not_operand) sub(*e.not_operand);
  return d + 1;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size > 65536) return 0;
  const std::string_view json = fuzz_support::as_text(data, size);
  auto e = ce::parse_expression_json(json);
  if (!e) {
    require(e.code() == fc::errc::invalid_argument && !e.error().message.empty());
    return 0;
  }
  require(depth(*e) <= ce::max_expression_depth + 1);
  auto first = write(*e);
  require(static_cast<bool>(first));
  auto again = ce::parse_expression_json(*first);
  require(static_cast<bool>(again));
  auto second = write(*again);
  require(static_cast<bool>(second) && *second == *first);

  const auto valid = ce::validate_expression(*e);
  auto j = e->to_json();
  require(static_cast<bool>(valid) == static_cast<bool>(j));
  if (j) {
    require(*j == *first);
    require(e->operator_count() == 1);
  } else {
    require(j.code() == valid.code());
  }
  return 0;
}
