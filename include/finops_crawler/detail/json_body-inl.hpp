#ifndef FINOPS_CRAWLER_DETAIL_JSON_BODY_INL_HPP
#define FINOPS_CRAWLER_DETAIL_JSON_BODY_INL_HPP
/// \file
/// The bodies of detail/json_body.hpp: included by that header in
/// header-only mode, compiled once in src/ otherwise (config.hpp). Not for
/// direct inclusion.

#include "finops_crawler/detail/json_body.hpp"

namespace finops_crawler {
inline namespace v0 {
namespace detail {

FINOPS_CRAWLER_FUNC result<simdjson::dom::element> json_document::parse(std::string_view json,
                                                                         std::string_view what) {
  ensure_parser();
  auto r = parser_->parse(json.data(), json.size(), true);
  return finish(r, what);
}

FINOPS_CRAWLER_FUNC result<simdjson::dom::element> json_document::parse_padded(simdjson::padded_string_view json,
                                                                                std::string_view what) {
  ensure_parser();
  if (json.capacity() < json.size() + simdjson::SIMDJSON_PADDING) return parse(std::string_view(json), what);
  auto r = parser_->parse(json);
  return finish(r, what);
}

FINOPS_CRAWLER_FUNC void json_document::ensure_parser() {
  last_error_ = simdjson::UNINITIALIZED;
  if (parser_) return;
  parser_ = std::make_unique<simdjson::dom::parser>();
  // Sets the depth limit; later growth keeps it (simdjson's ensure_capacity
  // reallocates with max_depth()). A failure here only means the parser
  // allocates on its first parse instead, where errors are reported.
  const simdjson::error_code ignored = parser_->allocate(simdjson::dom::MINIMAL_DOCUMENT_CAPACITY, max_json_depth);
  (void)ignored;
}

FINOPS_CRAWLER_FUNC result<simdjson::dom::element> json_document::finish(
    simdjson::simdjson_result<simdjson::dom::element>& r, std::string_view what) {
  simdjson::dom::element root;
  last_error_ = std::move(r).get(root);
  if (last_error_ != simdjson::SUCCESS)
    return result<simdjson::dom::element>(
        errc::bad_json, std::string(what) + " is not valid JSON: " + simdjson::error_message(last_error_));
  return root;
}

FINOPS_CRAWLER_FUNC std::string json_path::str(std::string_view leaf) const {
  std::string out;
  const std::size_t n = depth_ < capacity ? depth_ : capacity;
  for (std::size_t i = 0; i < n; ++i) append(out, segs_[i]);
  if (depth_ > capacity) out += "...";
  if (!leaf.empty()) append(out, seg{leaf, 0, false});
  if (out.empty()) out = "(top level)";
  return out;
}

FINOPS_CRAWLER_FUNC void json_path::append(std::string& out, const seg& s) {
  if (s.is_index) {
    out += '[';
    out += std::to_string(s.index);
    out += ']';
  } else {
    if (!out.empty()) out += '.';
    out += s.name;
  }
}

FINOPS_CRAWLER_FUNC const char* json_type_words(simdjson::dom::element_type t) noexcept {
  switch (t) {
    case simdjson::dom::element_type::ARRAY: return "an array";
    case simdjson::dom::element_type::OBJECT: return "an object";
    case simdjson::dom::element_type::INT64:
    case simdjson::dom::element_type::UINT64:
    case simdjson::dom::element_type::DOUBLE: return "a number";
    case simdjson::dom::element_type::STRING: return "a string";
    case simdjson::dom::element_type::BOOL: return "a boolean";
    case simdjson::dom::element_type::NULL_VALUE: return "null";
  }
  return "an unknown JSON type";
}

FINOPS_CRAWLER_FUNC error missing_field(const json_path& path, std::string_view field) {
  return error(errc::unexpected_shape, path.str(field) + " is missing");
}

FINOPS_CRAWLER_FUNC error duplicate_field(const json_path& path, std::string_view field) {
  error e(errc::bad_json, path.str(field) +
                              " appears twice (a repeated JSON member: the reply is refused rather than half-read)");
  e.retryable = true;
  return e;
}

FINOPS_CRAWLER_FUNC error wrong_type(const json_path& path, std::string_view field, const char* expected,
                                     simdjson::dom::element_type found) {
  return error(errc::unexpected_shape,
               path.str(field) + " is not " + expected + " (found " + json_type_words(found) + ")");
}

FINOPS_CRAWLER_FUNC bool read_string(simdjson::dom::element value, const json_path& path, std::string_view field,
                                     std::string_view& out, error& err) {
  if (value.get_string().get(out) == simdjson::SUCCESS) return true;
  err = wrong_type(path, field, "a string", value.type());
  return false;
}

FINOPS_CRAWLER_FUNC bool read_object(simdjson::dom::element value, const json_path& path, std::string_view field,
                                     simdjson::dom::object& out, error& err) {
  if (value.get_object().get(out) == simdjson::SUCCESS) return true;
  err = wrong_type(path, field, "an object", value.type());
  return false;
}

FINOPS_CRAWLER_FUNC bool read_array(simdjson::dom::element value, const json_path& path, std::string_view field,
                                    simdjson::dom::array& out, error& err) {
  if (value.get_array().get(out) == simdjson::SUCCESS) return true;
  err = wrong_type(path, field, "an array", value.type());
  return false;
}

FINOPS_CRAWLER_FUNC bool read_bool(simdjson::dom::element value, const json_path& path, std::string_view field,
                                   bool& out, error& err) {
  if (value.get_bool().get(out) == simdjson::SUCCESS) return true;
  err = wrong_type(path, field, "a boolean", value.type());
  return false;
}

FINOPS_CRAWLER_FUNC bool read_uint(simdjson::dom::element value, const json_path& path, std::string_view field,
                                   std::uint64_t& out, error& err) {
  if (value.get_uint64().get(out) == simdjson::SUCCESS) return true;
  err = wrong_type(path, field, "a non-negative integer", value.type());
  return false;
}

FINOPS_CRAWLER_FUNC bool read_number(simdjson::dom::element value, const json_path& path, std::string_view field,
                                     double& out, error& err) {
  if (value.is_number()) {
    if (value.is_double()) return value.get_double().get(out) == simdjson::SUCCESS;
    if (value.is_int64()) {
      out = static_cast<double>(value.get_int64().value_unsafe());
      return true;
    }
    out = static_cast<double>(value.get_uint64().value_unsafe());
    return true;
  }
  err = wrong_type(path, field, "a number", value.type());
  return false;
}

}  // namespace detail
}  // namespace v0
}  // namespace finops_crawler

#endif  // FINOPS_CRAWLER_DETAIL_JSON_BODY_INL_HPP
