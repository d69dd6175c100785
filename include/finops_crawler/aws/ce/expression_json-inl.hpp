#ifndef FINOPS_CRAWLER_AWS_CE_EXPRESSION_JSON_INL_HPP
#define FINOPS_CRAWLER_AWS_CE_EXPRESSION_JSON_INL_HPP
/// \file
/// The bodies of aws/ce/expression_json.hpp: included by that header in
/// header-only mode, compiled once in src/ otherwise (config.hpp). Not for
/// direct inclusion.

#include "finops_crawler/aws/ce/expression_json.hpp"

#include <array>
#include <cstddef>
#include <string>
#include <utility>
#include <vector>

#include <simdjson.h>

#include "finops_crawler/aws/ce/enums.hpp"
#include "finops_crawler/detail/json_body.hpp"

namespace finops_crawler {
inline namespace v0 {

namespace detail {

FINOPS_CRAWLER_FUNC status ce_json_fail(const std::string& path, std::string_view what) {
  return status(errc::invalid_argument, path + ": " + std::string(what));
}

FINOPS_CRAWLER_FUNC status ce_json_string(simdjson::dom::element el, const std::string& path, std::string& out) {
  std::string_view s;
  if (el.get_string().get(s) != simdjson::SUCCESS) {
    return ce_json_fail(path, "expected a string, got " + std::string(json_type_words(el.type())));
  }
  out.assign(s.data(), s.size());
  return {};
}

FINOPS_CRAWLER_FUNC status ce_json_key_values(simdjson::dom::element el, const std::string& path, ce::key_values& out) {
  simdjson::dom::object obj;
  if (el.get_object().get(obj) != simdjson::SUCCESS) {
    return ce_json_fail(path, "expected an object with Key, Values and MatchOptions, got " +
                                  std::string(json_type_words(el.type())));
  }
  static constexpr std::array<std::string_view, 3> members = {"Key", "Values", "MatchOptions"};
  unsigned seen = 0;
  for (simdjson::dom::key_value_pair field : obj) {
    const std::string field_path = path + "." + std::string(field.key);
    std::size_t index = members.size();
    for (std::size_t i = 0; i < members.size(); ++i) {
      if (members[i] == field.key) index = i;
    }
    if (index == members.size()) {
      std::string msg = "unknown member " + ce_quote(field.key);
      const std::string_view hint = ce::spelling_hint(field.key, members);
      if (!hint.empty()) msg += "; did you mean " + std::string(hint) + "?";
      return ce_json_fail(path, msg + " (expected Key, Values, MatchOptions)");
    }
    if (seen & (1u << index)) return ce_json_fail(field_path, "appears twice in the same object");
    seen |= 1u << index;
    if (index == 0) {
      std::string key;
      if (status s = ce_json_string(field.value, field_path, key); !s) return s;
      out.key = std::move(key);
      continue;
    }
    simdjson::dom::array arr;
    if (field.value.get_array().get(arr) != simdjson::SUCCESS) {
      return ce_json_fail(field_path, "expected an array of strings, got " +
                                          std::string(json_type_words(field.value.type())));
    }
    std::vector<std::string> strings;
    std::size_t i = 0;
    for (simdjson::dom::element item : arr) {
      std::string v;
      if (status s = ce_json_string(item, field_path + "[" + std::to_string(i) + "]", v); !s) return s;
      strings.push_back(std::move(v));
      ++i;
    }
    if (index == 1) {
      out.values = std::move(strings);
      continue;
    }
    for (std::size_t k = 0; k < strings.size(); ++k) {
      const auto o = ce::parse_match_option(strings[k]);
      if (!o) {
        std::string msg = ce_quote(strings[k]) + " is not a MatchOption";
        const std::string_view hint = ce::spelling_hint(strings[k], ce::match_option_names);
        if (!hint.empty()) msg += "; did you mean " + std::string(hint) + "?";
        msg += " (valid: " + ce_join(ce::match_option_names) + ")";
        return ce_json_fail(field_path + "[" + std::to_string(k) + "]", msg);
      }
      out.match_options.push_back(*o);
    }
  }
  return {};
}

FINOPS_CRAWLER_FUNC status ce_json_expression(simdjson::dom::element el, const std::string& path, std::size_t depth,
                                 ce::expression& out) {
  if (depth > ce::max_expression_depth) {
    return ce_json_fail(path, "Filter nested deeper than " + std::to_string(ce::max_expression_depth) +
                                  " levels (our limit, see ce::max_expression_depth)");
  }
  simdjson::dom::object obj;
  if (el.get_object().get(obj) != simdjson::SUCCESS) {
    return ce_json_fail(path, "expected an Expression object, got " + std::string(json_type_words(el.type())));
  }
  static constexpr std::array<std::string_view, 6> members = {"Or",         "And",  "Not",
                                                              "Dimensions", "Tags", "CostCategories"};
  unsigned seen = 0;
  for (simdjson::dom::key_value_pair field : obj) {
    const std::string field_path = path + "." + std::string(field.key);
    std::size_t index = members.size();
    for (std::size_t i = 0; i < members.size(); ++i) {
      if (members[i] == field.key) index = i;
    }
    if (index == members.size()) {
      std::string msg = "unknown member " + ce_quote(field.key);
      if (field.key == "Filter") {
        msg += "; give the Expression itself, without the outer {\"Filter\": ...}";
      } else {
        const std::string_view hint = ce::spelling_hint(field.key, members);
        if (!hint.empty()) msg += "; did you mean " + std::string(hint) + "?";
      }
      return ce_json_fail(path, msg + " (an Expression has And, Or, Not, Dimensions, Tags or CostCategories)");
    }
    if (seen & (1u << index)) return ce_json_fail(field_path, "appears twice in the same object");
    seen |= 1u << index;
    if (index <= 1) {
      simdjson::dom::array arr;
      if (field.value.get_array().get(arr) != simdjson::SUCCESS) {
        return ce_json_fail(field_path, "expected an array of Expressions, got " +
                                            std::string(json_type_words(field.value.type())));
      }
      std::vector<ce::expression> list;
      std::size_t i = 0;
      for (simdjson::dom::element item : arr) {
        ce::expression child;
        if (status s = ce_json_expression(item, field_path + "[" + std::to_string(i) + "]", depth + 1, child); !s) {
          return s;
        }
        list.push_back(std::move(child));
        ++i;
      }
      (index == 0 ? out.or_operands : out.and_operands) = std::move(list);
    } else if (index == 2) {
      ce::expression child;
      if (status s = ce_json_expression(field.value, field_path, depth + 1, child); !s) return s;
      out.not_operand = std::move(child);
    } else {
      ce::key_values kv;
      if (status s = ce_json_key_values(field.value, field_path, kv); !s) return s;
      (index == 3 ? out.dimensions : index == 4 ? out.tags : out.cost_categories) = std::move(kv);
    }
  }
  return {};
}

}  // namespace detail

namespace ce {

FINOPS_CRAWLER_FUNC result<expression> parse_expression_json(std::string_view json) {
  simdjson::dom::parser parser;
  const simdjson::padded_string padded(json);
  simdjson::dom::element root;
  if (const auto err = parser.parse(padded).get(root); err != simdjson::SUCCESS) {
    return error(errc::invalid_argument, std::string("Filter: not valid JSON: ") + simdjson::error_message(err));
  }
  expression out;
  if (status s = finops_crawler::detail::ce_json_expression(root, "Filter", 1, out); !s) return s.error();
  return out;
}

}  // namespace ce
}  // namespace v0
}  // namespace finops_crawler

#endif  // FINOPS_CRAWLER_AWS_CE_EXPRESSION_JSON_INL_HPP
