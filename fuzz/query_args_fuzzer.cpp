// libFuzzer target: the CLI's query flags (tools/cli/query_args.hpp):
// --group-by (parse_group_by), --filter (parse_filter, split_values) and
// their combination (combine_and).
//
// Input: lines; each line is tried as a --group-by and as a --filter.
//
// Invariants (a violation traps):
//  - parse_group_by accepts exactly the reference forms: TAG:key and
//    COST_CATEGORY:name with a non-empty key, else a dimension name that
//    ce::parse_dimension knows; the result holds that type and key;
//  - split_values round-trips: values escaped (`\,`, `\\`) and joined split
//    back to themselves, and split -> join -> split is stable;
//  - parse_filter accepts exactly LHS=VALUES with the group-by's LHS rules
//    and no empty value; the expression holds split_values(VALUES) and the
//    key; its JSON reads back through parse_expression_json unchanged;
//  - combine_and of n filters is nothing, the filter itself, or And of n.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "finops_crawler/aws/ce/enums.hpp"
#include "finops_crawler/aws/ce/expression_json.hpp"
#include "finops_crawler/detail/json_writer.hpp"
#include "fuzz_support.hpp"
#include "query_args.hpp"

namespace fc = finops_crawler;
namespace ce = finops_crawler::ce;
namespace cli = finops_crawler::cli;
using fuzz_support::require;

namespace {

std::string join_escaped(const std::vector<std::string>& values) {
  std::string out;
  for (std::size_t i = 0; i < values.size(); ++i) {
    if (i) out += ',';
    for (char c : values[i]) {
      if (c == ',' || c == '\\') out += '\\';
      out += c;
    }
  }
  return out;
}

fc::result<std::string> write(const ce::expression& e) {
  fc::detail::json_writer w;
  ce::write_expression(w, e);
  return std::move(w).finish();
}

void check_group_by(std::string_view text) {
  auto g = cli::parse_group_by(text);
  const std::size_t colon = text.find(':');
  if (colon != std::string_view::npos) {
    const std::string_view kind = text.substr(0, colon), key = text.substr(colon + 1);
    const bool ok = !key.empty() && (kind == "TAG" || kind == "COST_CATEGORY");
    require(static_cast<bool>(g) == ok);
    if (g) {
      require(g->key == key);
      require(g->type == (kind == "TAG" ? ce::group_definition_type::tag : ce::group_definition_type::cost_category));
    }
  } else {
    require(static_cast<bool>(g) == ce::parse_dimension(text).has_value());
    if (g) require(g->key == text && g->type == ce::group_definition_type::dimension);
  }
  if (!g) require(g.code() == fc::errc::invalid_argument && g.error().message.rfind("--group-by ", 0) == 0);
}

bool check_filter(std::string_view text, std::vector<ce::expression>& accepted) {
  auto e = cli::parse_filter(text);
  const std::size_t eq = text.find('=');
  bool ok = eq != std::string_view::npos && eq != 0;
  std::string_view lhs, kind, key;
  std::vector<std::string> values;
  if (ok) {
    lhs = text.substr(0, eq);
    values = cli::split_values(text.substr(eq + 1));
    for (const auto& v : values) ok = ok && !v.empty();
    const std::size_t colon = lhs.find(':');
    if (colon != std::string_view::npos) {
      kind = lhs.substr(0, colon);
      key = lhs.substr(colon + 1);
      ok = ok && !key.empty() && (kind == "TAG" || kind == "COST_CATEGORY");
    } else {
      key = lhs;
      ok = ok && ce::parse_dimension(lhs).has_value();
    }
  }
  require(static_cast<bool>(e) == ok);
  if (!e) {
    require(e.code() == fc::errc::invalid_argument && e.error().message.rfind("--filter ", 0) == 0);
    return false;
  }
  require(e->operator_count() == 1);
  const ce::key_values* kv = kind == "TAG" ? (e->tags ? &*e->tags : nullptr)
                             : kind == "COST_CATEGORY" ? (e->cost_categories ? &*e->cost_categories : nullptr)
                                                       : (e->dimensions ? &*e->dimensions : nullptr);
  require(kv != nullptr && kv->key && *kv->key == key && kv->values && *kv->values == values);
  require(kv->match_options.empty());
  auto json = write(*e);
  if (!json) {
    // The writer refuses what is not UTF-8; validation (and so the request) must refuse it too.
    require(!ce::validate_expression(*e));
    require(!e->to_json());
    accepted.push_back(std::move(*e));
    return true;
  }
  auto back = ce::parse_expression_json(*json);
  // The JSON reader refuses invalid UTF-8 that the command line may carry.
  if (back) {
    auto again = write(*back);
    require(static_cast<bool>(again) && *again == *json);
  }
  accepted.push_back(std::move(*e));
  return true;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size > 4096) return 0;
  const auto lines = fuzz_support::split(fuzz_support::as_text(data, size), '\n', 1, 16);

  // split_values: escape-join round trip over the lines as values.
  std::vector<std::string> values(lines.begin(), lines.end());
  require(cli::split_values(join_escaped(values)) == values);

  std::vector<ce::expression> accepted;
  for (std::string_view line : lines) {
    auto split = cli::split_values(line);
    require(!split.empty());
    require(cli::split_values(join_escaped(split)) == split);
    check_group_by(line);
    check_filter(line, accepted);
  }
  const std::size_t n = accepted.size();
  std::vector<ce::expression> copy = accepted;
  auto combined = cli::combine_and(std::move(copy));
  if (n == 0) {
    require(!combined);
  } else if (n == 1) {
    require(combined && combined->operator_count() == 1 && !combined->and_operands == !accepted[0].and_operands);
  } else {
    require(combined && combined->and_operands && combined->and_operands->size() == n);
  }
  return 0;
}
