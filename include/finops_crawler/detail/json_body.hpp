#ifndef FINOPS_CRAWLER_DETAIL_JSON_BODY_HPP
#define FINOPS_CRAWLER_DETAIL_JSON_BODY_HPP
/// \file
/// Not API. What the page views (`aws/ce/*_page.hpp`,
/// `aws/organizations/accounts_page.hpp`) share: a reusable simdjson DOM
/// document that owns the parsed strings, read-only access to its tape, a
/// JSON path for error messages, typed field readers that report "X is
/// missing" / "X is not a string", the words for JSON types (also used by
/// `aws/ce/expression_json.hpp`), and the hook by which a client hands a
/// page the document it already parsed (`page_access`).
///
/// Why the DOM API (bench/parse_bench, simdjson 3.0.1, default flags): with
/// Debian's shared libsimdjson the DOM parser runs the fastest kernel the
/// CPU has (chosen at run time: "haswell" on AVX2, "icelake" on AVX-512),
/// whatever flags the user compiles with; On-Demand's value iteration is
/// compiled into the including file ("fallback" without -march) and visits
/// a 1 MiB page at ~460-630 MB/s with g++ 12 (~1200 MB/s with clang 14).
/// The DOM also validates the whole body, so invalid JSON anywhere (also in
/// fields we skip) is errc::bad_json, which On-Demand only detects in the
/// values it visits; and it unescapes every string into the parser's own
/// buffer, so a page keeps no pointer into the body.
///
/// Why the cost page reads the tape (json_tape) rather than through the DOM
/// accessors: those reload the document's tape pointer after every store
/// and compare keys through out-of-line memcmp calls, so reading a page cost
/// 0.7x of parsing it (6.6 M instructions per MiB against 9.7 M for the
/// parse, callgrind); reading the tape words directly (simdjson's documented
/// tape format) costs 2.2 M, and the views of a 1 MiB page read at ~1.3x
/// of the bare parse instead of ~2.8x (icelake kernel, g++ 12 -O3).

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <memory>
#include <string>
#include <string_view>
#include <utility>

#include <simdjson.h>

#include "finops_crawler/config.hpp"
#include "finops_crawler/result.hpp"

/// Forces inlining of the per-field readers of the page parsers: GCC 12
/// otherwise keeps them out of line, which costs ~10% of a page parse.
/// Implies `inline`: only for helpers defined and called inside one
/// `*-inl.hpp` file (never declared in a header), which the compiled mode
/// compiles exactly once, so the `inline` does not repeat code per program.
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

/// Read-only access to the tape of a document simdjson's DOM parser built
/// (simdjson's doc/tape.md: one 64-bit word per value, two for numbers, the
/// type character in the top byte; '{' and '[' store in their low 32 bits
/// the index just past their closing word; a string stores an offset into
/// the string buffer, where a 32-bit length precedes the unescaped bytes).
///
/// Only for the tape of a successful parse: indices are not checked. Views
/// borrow the document: valid until its next parse or destruction. Two
/// pointers; pass by value (a copy in registers is what makes it fast).
class json_tape {
 public:
  json_tape(const std::uint64_t* words, const std::uint8_t* strings) noexcept : words_(words), strings_(strings) {}
  /// Whether this layout was checked against the simdjson in use (against
  /// 3.0.1, Debian 12's, and upstream's current internal/tape_ref-inl.h,
  /// which reads the tape the same way). An unchecked major version turns
  /// the readers that use the tape off (cost_page then reads through the DOM
  /// accessors, slower, same results) until someone checks it.
  static constexpr bool layout_checked = simdjson::SIMDJSON_VERSION_MAJOR >= 1 && simdjson::SIMDJSON_VERSION_MAJOR <= 4;
  /// The index of the root value.
  static constexpr std::size_t root = 1;
  /// The type character of the value at `i`: '{' '[' '"' 'l' 'u' 'd' 't' 'f' 'n'.
  char type(std::size_t i) const noexcept { return static_cast<char>(words_[i] >> 56); }
  /// For '{' or '[' at `i`: the index of its closing '}' or ']'.
  std::size_t close(std::size_t i) const noexcept { return static_cast<std::uint32_t>(words_[i]) - 1; }
  /// The index just past the value at `i`.
  FINOPS_CRAWLER_HOT_INLINE std::size_t next(std::size_t i) const noexcept {
    switch (type(i)) {
      case '{':
      case '[': return static_cast<std::uint32_t>(words_[i]);
      case 'l':
      case 'u':
      case 'd': return i + 2;
      default: return i + 1;
    }
  }
  /// For '"' at `i` (a value or an object key): the unescaped string.
  std::string_view string(std::size_t i) const noexcept {
    const std::uint8_t* p = str_at(i);
    std::uint32_t len;
    std::memcpy(&len, p, sizeof len);
    return std::string_view(reinterpret_cast<const char*>(p + sizeof len), len);
  }
  /// Whether the string at `i` is exactly `lit` (a literal: the compare is
  /// inlined as a few word compares).
  template <std::size_t N>
  bool string_is(std::size_t i, const char (&lit)[N]) const noexcept {
    const std::uint8_t* p = str_at(i);
    std::uint32_t len;
    std::memcpy(&len, p, sizeof len);
    return len == N - 1 && std::memcmp(p + sizeof len, lit, N - 1) == 0;
  }

 private:
  const std::uint8_t* str_at(std::size_t i) const noexcept {
    return strings_ + (words_[i] & 0x00FFFFFFFFFFFFFFull);  // simdjson's JSON_VALUE_MASK
  }
  const std::uint64_t* words_;
  const std::uint8_t* strings_;
};

/// A simdjson DOM parser and the document it last parsed. Owns the tape and
/// the unescaped strings; every `std::string_view` read from the document
/// stays valid until the next parse or destruction. Moving keeps them
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
  result<simdjson::dom::element> parse(std::string_view json, std::string_view what);

  /// As above without the copy when `json` has SIMDJSON_PADDING bytes of
  /// capacity after its end (a simdjson::padded_string, or a response body:
  /// transports leave that room); copies otherwise.
  result<simdjson::dom::element> parse_padded(simdjson::padded_string_view json, std::string_view what);

  /// simdjson's code for the last parse: SUCCESS when it succeeded,
  /// UNINITIALIZED before the first.
  simdjson::error_code last_error() const noexcept { return last_error_; }
  /// Whether the last parse succeeded (root() and tape() are then valid).
  bool parsed() const noexcept { return parser_ && last_error_ == simdjson::SUCCESS; }
  /// The root of the last successful parse. Precondition: parsed().
  simdjson::dom::element root() const noexcept { return parser_->doc.root(); }
  /// The tape of the last successful parse. Precondition: parsed().
  json_tape tape() const noexcept { return json_tape(parser_->doc.tape.get(), parser_->doc.string_buf.get()); }

 private:
  void ensure_parser();
  result<simdjson::dom::element> finish(simdjson::simdjson_result<simdjson::dom::element>& r, std::string_view what);
  std::unique_ptr<simdjson::dom::parser> parser_;
  simdjson::error_code last_error_ = simdjson::UNINITIALIZED;
};

/// The one implementation of what the page types (cost_page,
/// dimension_values_page, forecast_page, accounts_page) do alike: parse,
/// reparse, and read a document a client already parsed. A page makes this
/// its friend and has a json_document `doc_`, `void clear() noexcept`
/// (drops every view), `bool read(simdjson::dom::element root, error& err)`
/// (fills the page from a parsed document; on false `err` says why) and
/// `static constexpr std::string_view response_name` ("GetCostAndUsage
/// response"). On any error the page is left empty.
///
/// json_client::call(operation, body, doc) validates a 200 body by parsing
/// it into `doc`, so one parse serves both the validation and the page:
///
///   auto reply = client.call(op, body, page_access::prepare(page));
///   if (reply) st = page_access::read(page);
///
/// Between the two calls the page is empty (every earlier view is invalid).
struct page_access {
  /// Drops the page's views and returns its document for the client.
  template <class Page>
  static json_document& prepare(Page& page) noexcept {
    page.clear();
    return page.doc_;
  }
  /// Reads the page from its document, which the client parsed.
  template <class Page>
  static status read(Page& page) {
    if (!page.doc_.parsed()) {
      page.clear();
      return status(errc::bad_json, std::string(Page::response_name) + " was not parsed");
    }
    return fill(page, page.doc_.root());
  }
  /// Page::reparse(json): copies `json` into the parser's buffer.
  template <class Page>
  static status reparse(Page& page, std::string_view json) {
    page.clear();  // the views die with the old document, even on error
    return fill(page, page.doc_.parse(json, Page::response_name));
  }
  /// Page::reparse_padded(json): in place when `json` has the padding.
  template <class Page>
  static status reparse_padded(Page& page, simdjson::padded_string_view json) {
    page.clear();
    return fill(page, page.doc_.parse_padded(json, Page::response_name));
  }
  /// Page::parse(json): a new page.
  template <class Page>
  static result<Page> parse(std::string_view json) {
    Page page;
    if (auto st = reparse(page, json); !st) return result<Page>(st.error());
    return result<Page>(std::move(page));
  }
  /// Page::parse_padded(json): a new page, in place when padded.
  template <class Page>
  static result<Page> parse_padded(simdjson::padded_string_view json) {
    Page page;
    if (auto st = reparse_padded(page, json); !st) return result<Page>(st.error());
    return result<Page>(std::move(page));
  }

 private:
  template <class Page>
  static status fill(Page& page, result<simdjson::dom::element> root) {
    if (!root) return status(root.error());
    error err;
    if (!page.read(*root, err)) {
      page.clear();
      return status(std::move(err));
    }
    return {};
  }
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
  std::string str(std::string_view leaf = {}) const;

 private:
  struct seg {
    std::string_view name;
    std::size_t index;
    bool is_index;
  };
  static constexpr std::size_t capacity = 12;
  static void append(std::string& out, const seg& s);
  void push_seg(std::string_view name, std::size_t index, bool is_index) noexcept {
    if (depth_ < capacity) segs_[depth_] = seg{name, index, is_index};
    ++depth_;
  }
  seg segs_[capacity] = {};
  std::size_t depth_ = 0;
};

/// Words for a JSON type in messages: "a string", "an object", "an array",
/// "a number", "a boolean", "null". Pure.
const char* json_type_words(simdjson::dom::element_type t) noexcept;

/// errc::unexpected_shape: "<path>.<field> is missing".
error missing_field(const json_path& path, std::string_view field);

/// errc::bad_json, retryable: "<path>.<field> appears twice ...". JSON
/// allows repeated names but leaves their meaning open (RFC 8259 section
/// 4: "the names within an object SHOULD be unique"), and AWS never sends
/// one; a reader that kept either copy would drop or double rows, so a page
/// with a repeated member it reads is refused as damaged, like a cut-off
/// body: the client retries it (json_client's body reader).
error duplicate_field(const json_path& path, std::string_view field);

/// The members of one object a reader has seen, one bit each (at most 32).
/// `first(bit, ...)` marks one; the second time it sets `err` to
/// duplicate_field and returns false. No allocation.
struct seen_members {
  std::uint32_t bits = 0;
  /// Whether member `bit` had not been seen; marks it.
  bool first(std::uint32_t bit) noexcept {
    const std::uint32_t m = 1u << bit;
    const bool fresh = (bits & m) == 0;
    bits |= m;
    return fresh;
  }
  /// As first(bit), with the error naming path + field on a repeat.
  bool first(std::uint32_t bit, const json_path& path, std::string_view field, error& err) {
    if (first(bit)) return true;
    err = duplicate_field(path, field);
    return false;
  }
  /// Whether member `bit` was seen.
  bool has(std::uint32_t bit) const noexcept { return (bits & (1u << bit)) != 0; }
};

/// errc::unexpected_shape: "<path>.<field> is not <expected> (found <type>)".
error wrong_type(const json_path& path, std::string_view field, const char* expected,
                 simdjson::dom::element_type found);

/// Reads `value` as a string into `out`; on a type mismatch sets `err`
/// (naming path + field) and returns false. The view borrows from the document.
bool read_string(simdjson::dom::element value, const json_path& path, std::string_view field, std::string_view& out,
                 error& err);
/// Reads `value` as an object; see read_string.
bool read_object(simdjson::dom::element value, const json_path& path, std::string_view field,
                 simdjson::dom::object& out, error& err);
/// Reads `value` as an array; see read_string.
bool read_array(simdjson::dom::element value, const json_path& path, std::string_view field,
                simdjson::dom::array& out, error& err);
/// Reads `value` as a boolean; see read_string.
bool read_bool(simdjson::dom::element value, const json_path& path, std::string_view field, bool& out, error& err);
/// Reads `value` as a non-negative integer that fits in 64 bits; see read_string.
bool read_uint(simdjson::dom::element value, const json_path& path, std::string_view field, std::uint64_t& out,
               error& err);
/// Reads `value` as a number (integer or floating point); see read_string.
bool read_number(simdjson::dom::element value, const json_path& path, std::string_view field, double& out,
                 error& err);

}  // namespace detail
}  // namespace v0
}  // namespace finops_crawler

#if FINOPS_CRAWLER_HEADER_ONLY
#include "finops_crawler/detail/json_body-inl.hpp"
#endif

#endif  // FINOPS_CRAWLER_DETAIL_JSON_BODY_HPP
