#ifndef FINOPS_CRAWLER_DETAIL_JSON_BODY_HPP
#define FINOPS_CRAWLER_DETAIL_JSON_BODY_HPP
/// \file
/// Not API. What the page views (`aws/ce/*_page.hpp`,
/// `aws/organizations/accounts_page.hpp`) share: a reusable simdjson DOM
/// document that owns the parsed strings, a JSON path for error messages,
/// and typed field readers that report "X is missing" / "X is not a string".
///
/// Why the DOM API (measured by bench/parse_bench, simdjson 3.0.1, AVX2
/// machine, default flags): with Debian's shared libsimdjson the DOM parser
/// runs the fastest kernel the CPU has (chosen at run time, "haswell"
/// here), whatever flags the user compiles with; On-Demand's value
/// iteration is compiled into the including file ("fallback" without
/// -march). Visiting every key, amount and unit of a 1 MiB page: DOM page
/// views ~800-870 MB/s with g++ 12 (On-Demand ~460 MB/s, ~470 even with
/// -march=native); with clang 14 On-Demand reaches ~1200 MB/s against
/// ~760 MB/s for the views. The DOM was kept because (1) it is the faster
/// one with the default compiler, (2) its speed does not depend on the
/// user's compiler or flags, and (3) it validates the whole body, so
/// invalid JSON anywhere (also in fields we skip) is errc::bad_json, which
/// On-Demand only detects in the values it visits. The DOM also unescapes
/// every string into the parser's own buffer, so a page keeps no pointer
/// into the body.

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include <simdjson.h>

#include "finops_crawler/result.hpp"

/// Forces inlining of the per-field readers of the page parsers: GCC 12
/// otherwise keeps them out of line, which costs ~10% of a page parse.
#if defined(__GNUC__) || defined(__clang__)
#define FINOPS_CRAWLER_HOT_INLINE inline __attribute__((always_inline))
#else
#define FINOPS_CRAWLER_HOT_INLINE inline
#endif

namespace finops_crawler {
inline namespace v0 {
namespace detail {

/// Nesting limit for response bodies. Cost Explorer's deepest real path is
/// about 7 levels; anything far deeper is garbage and is refused as bad_json
/// before it can cost stack or memory.
inline constexpr std::size_t max_json_depth = 64;

/// A simdjson DOM parser and the document it last parsed. Owns the tape and
/// the unescaped strings; every `std::string_view` read from the document
/// stays valid until the next `parse()` or destruction. Moving keeps them
/// valid (the buffers live on the heap). Move-only; one thread at a time.
class json_document {
 public:
  json_document() = default;
  json_document(json_document&&) noexcept = default;
  json_document& operator=(json_document&&) noexcept = default;
  json_document(const json_document&) = delete;
  json_document& operator=(const json_document&) = delete;

  /// Parses `json` (copied into the parser's padded buffer, so it need not
  /// outlive the call). errc::bad_json naming `what` and simdjson's reason
  /// on invalid JSON, invalid UTF-8, truncation or nesting deeper than
  /// max_json_depth. Cost: O(bytes); reuses buffers from earlier parses.
  result<simdjson::dom::element> parse(std::string_view json, std::string_view what) {
    ensure_parser();
    auto r = parser_->parse(json.data(), json.size(), true);
    return finish(r, what);
  }

  /// As above without the copy: `json` already has SIMDJSON_PADDING bytes
  /// after its end (e.g. a simdjson::padded_string).
  result<simdjson::dom::element> parse_padded(simdjson::padded_string_view json, std::string_view what) {
    ensure_parser();
    if (json.capacity() < json.size() + simdjson::SIMDJSON_PADDING)
      return parse(std::string_view(json), what);
    auto r = parser_->parse(json);
    return finish(r, what);
  }

 private:
  void ensure_parser() {
    if (parser_) return;
    parser_ = std::make_unique<simdjson::dom::parser>();
    // Sets the depth limit; later growth keeps it (simdjson's ensure_capacity
    // reallocates with max_depth()). A failure here only means the parser
    // allocates on its first parse instead, where errors are reported.
    const simdjson::error_code ignored = parser_->allocate(simdjson::dom::MINIMAL_DOCUMENT_CAPACITY, max_json_depth);
    (void)ignored;
  }
  static result<simdjson::dom::element> finish(simdjson::simdjson_result<simdjson::dom::element>& r,
                                               std::string_view what) {
    simdjson::dom::element root;
    if (auto ec = std::move(r).get(root); ec != simdjson::SUCCESS)
      return result<simdjson::dom::element>(
          errc::bad_json, std::string(what) + " is not valid JSON: " + simdjson::error_message(ec));
    return root;
  }
  std::unique_ptr<simdjson::dom::parser> parser_;
};

/// A path such as `ResultsByTime[3].Groups[2].Metrics` kept as segments
/// while walking a document; turned into text only when reporting an error.
/// Fixed capacity (deeper pushes are counted but not recorded, shown as
/// "..."). No allocation; one thread at a time.
class json_path {
 public:
  void push(std::string_view key) noexcept { push_seg(key, 0, false); }
  void push(std::size_t index) noexcept { push_seg({}, index, true); }
  void pop() noexcept {
    if (depth_ > 0) --depth_;
  }
  /// The path text, with `leaf` appended as one more member when not empty.
  std::string str(std::string_view leaf = {}) const {
    std::string out;
    const std::size_t n = depth_ < capacity ? depth_ : capacity;
    for (std::size_t i = 0; i < n; ++i) append(out, segs_[i]);
    if (depth_ > capacity) out += "...";
    if (!leaf.empty()) append(out, seg{leaf, 0, false});
    if (out.empty()) out = "(top level)";
    return out;
  }

 private:
  struct seg {
    std::string_view name;
    std::size_t index;
    bool is_index;
  };
  static constexpr std::size_t capacity = 12;
  static void append(std::string& out, const seg& s) {
    if (s.is_index) {
      out += '[';
      out += std::to_string(s.index);
      out += ']';
    } else {
      if (!out.empty()) out += '.';
      out += s.name;
    }
  }
  void push_seg(std::string_view name, std::size_t index, bool is_index) noexcept {
    if (depth_ < capacity) segs_[depth_] = seg{name, index, is_index};
    ++depth_;
  }
  seg segs_[capacity] = {};
  std::size_t depth_ = 0;
};

/// Words for a JSON type in messages ("a string", "an object", ...).
inline const char* json_type_words(simdjson::dom::element_type t) noexcept {
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

/// errc::unexpected_shape: "<path>.<field> is missing".
inline error missing_field(const json_path& path, std::string_view field) {
  return error(errc::unexpected_shape, path.str(field) + " is missing");
}

/// errc::unexpected_shape: "<path>.<field> is not <expected> (found <type>)".
inline error wrong_type(const json_path& path, std::string_view field, const char* expected,
                        simdjson::dom::element_type found) {
  return error(errc::unexpected_shape,
               path.str(field) + " is not " + expected + " (found " + json_type_words(found) + ")");
}

/// Reads `value` as a string into `out`; on a type mismatch sets `err`
/// (naming path + field) and returns false. The view borrows from the document.
inline bool read_string(simdjson::dom::element value, const json_path& path, std::string_view field,
                        std::string_view& out, error& err) {
  if (value.get_string().get(out) == simdjson::SUCCESS) return true;
  err = wrong_type(path, field, "a string", value.type());
  return false;
}

/// Reads `value` as an object; see read_string.
inline bool read_object(simdjson::dom::element value, const json_path& path, std::string_view field,
                        simdjson::dom::object& out, error& err) {
  if (value.get_object().get(out) == simdjson::SUCCESS) return true;
  err = wrong_type(path, field, "an object", value.type());
  return false;
}

/// Reads `value` as an array; see read_string.
inline bool read_array(simdjson::dom::element value, const json_path& path, std::string_view field,
                       simdjson::dom::array& out, error& err) {
  if (value.get_array().get(out) == simdjson::SUCCESS) return true;
  err = wrong_type(path, field, "an array", value.type());
  return false;
}

/// Reads `value` as a boolean; see read_string.
inline bool read_bool(simdjson::dom::element value, const json_path& path, std::string_view field, bool& out,
                      error& err) {
  if (value.get_bool().get(out) == simdjson::SUCCESS) return true;
  err = wrong_type(path, field, "a boolean", value.type());
  return false;
}

/// Reads `value` as a non-negative integer that fits in 64 bits; see read_string.
inline bool read_uint(simdjson::dom::element value, const json_path& path, std::string_view field,
                      std::uint64_t& out, error& err) {
  if (value.get_uint64().get(out) == simdjson::SUCCESS) return true;
  err = wrong_type(path, field, "a non-negative integer", value.type());
  return false;
}

/// Reads `value` as a number (integer or floating point); see read_string.
inline bool read_number(simdjson::dom::element value, const json_path& path, std::string_view field,
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

#endif  // FINOPS_CRAWLER_DETAIL_JSON_BODY_HPP
