#ifndef FINOPS_CRAWLER_DETAIL_JSON_WRITER_HPP
#define FINOPS_CRAWLER_DETAIL_JSON_WRITER_HPP
/// \file
/// A small streaming JSON writer for request bodies, and UTF-8 validation.
///
/// Not API: the request types in `aws/ce/requests.hpp` and
/// `aws/organizations/requests.hpp` use it to build the bodies they send.
/// No dependency beyond the standard library and `result.hpp`.

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "finops_crawler/result.hpp"

namespace finops_crawler {
inline namespace v0 {
namespace detail {

/// Which rule a byte sequence broke, for `utf8_check`.
enum class utf8_fault : std::uint8_t {
  none = 0,
  invalid_lead_byte,   ///< 0x80..0xC1 or 0xF5..0xFF where a character should start
  truncated,           ///< the text ends inside a multi-byte sequence
  bad_continuation,    ///< a byte after the lead is not 0b10xxxxxx
  overlong,            ///< a code point encoded in more bytes than needed
  surrogate,           ///< U+D800..U+DFFF, which UTF-8 must not encode
  above_max,           ///< a code point above U+10FFFF
};

/// Human words for a `utf8_fault`. Never empty.
std::string_view utf8_fault_name(utf8_fault f) noexcept;

/// The outcome of `check_utf8`: `fault == none` when valid, else the rule
/// broken and the byte offset where the bad sequence starts.
struct utf8_check {
  utf8_fault fault = utf8_fault::none;
  std::size_t offset = 0;
  /// True when the text is valid UTF-8.
  explicit operator bool() const noexcept { return fault == utf8_fault::none; }
};

/// Checks that `text` is well-formed UTF-8 (RFC 3629): rejects stray
/// continuation bytes, overlong forms, surrogates, truncated sequences and
/// code points above U+10FFFF. Pure, allocation-free, thread-safe; O(n).
utf8_check check_utf8(std::string_view text) noexcept;

/// `check_utf8` as a `status`: errc::invalid_argument with a message naming
/// `what` (e.g. "Filter.Dimensions.Values[0]"), the rule and the byte offset.
/// Never echoes the text itself (it may be long or hold binary).
status validate_utf8(std::string_view text, std::string_view what = "string");

/// Number of Unicode code points in `text`, which must be valid UTF-8 (counts
/// the bytes that do not continue a sequence). Model `min`/`max` length
/// traits on strings count code points.
std::size_t utf8_length(std::string_view text) noexcept;

/// Appends `text` to `out` as a JSON string literal, quotes included:
/// `"` and `\` are escaped, U+0008/0009/000A/000C/000D use the short forms
/// \b \t \n \f \r, every other control character U+0000..U+001F becomes
/// \u00XX (lower-case hex); everything else, DEL and non-ASCII included, is
/// copied unchanged. Fails with errc::invalid_argument, leaving `out`
/// unchanged, when `text` is not valid UTF-8.
status append_json_string(std::string& out, std::string_view text);

/// `text` JSON-quoted for an error message: cut after at most `limit` bytes
/// on a character boundary (then "..." follows the closing quote), control
/// characters escaped, and invalid UTF-8 described ("(invalid UTF-8)"), not
/// echoed, so that a multi-megabyte or binary input cannot flood a log line.
std::string quoted_excerpt(std::string_view text, std::size_t limit);

/// Writes one JSON value into a `std::string`, with commas and nesting
/// tracked for the caller:
///
///   json_writer w;
///   w.begin_object().key("Metrics").begin_array().string("UnblendedCost")
///    .end_array().end_object();
///   result<std::string> body = std::move(w).finish();  // {"Metrics":["UnblendedCost"]}
///
/// Errors are sticky: the first one (invalid UTF-8 in a string or key, a
/// value where a key is due, unbalanced ends, a second top-level value) is
/// kept, later calls do nothing, and `finish()` returns it. The output is
/// compact (no spaces). Owns its buffer; move-only by intent but copyable;
/// one thread at a time. Cost: amortised O(bytes written).
class json_writer {
 public:
  json_writer() = default;

  /// Starts an object (`{`) as a value.
  json_writer& begin_object();
  /// Ends the innermost object; an error if it is not an object or a key is pending.
  json_writer& end_object();
  /// Starts an array (`[`) as a value.
  json_writer& begin_array();
  /// Ends the innermost array; an error if it is not an array.
  json_writer& end_array();
  /// Writes an object member name; must be inside an object, before its value.
  json_writer& key(std::string_view name);
  /// Writes a string value (escaped as `append_json_string` does).
  json_writer& string(std::string_view value);
  /// Writes an integer value.
  json_writer& integer(std::int64_t value);
  /// Writes `true` or `false`.
  json_writer& boolean(bool value);
  /// Writes `null`.
  json_writer& null();

  /// Records an error from outside (e.g. validation) so that `finish()` returns it.
  json_writer& fail(error e);

  /// True while no error has been recorded.
  bool ok() const noexcept { return error_.code == errc::ok; }
  /// The first error recorded (code errc::ok when none).
  const error& first_error() const noexcept { return error_; }

  /// The finished text, or the first error; also an error when a container
  /// is still open or nothing was written. Leaves the writer empty.
  result<std::string> finish() &&;

 private:
  enum class frame : std::uint8_t { object_expect_key, object_expect_value, array };
  bool before_value();
  void after_value() noexcept;
  void set_error(std::string message);

  std::string out_;
  std::vector<frame> stack_;
  bool need_comma_ = false;
  bool top_level_done_ = false;
  error error_;
};

}  // namespace detail
}  // namespace v0
}  // namespace finops_crawler

#if FINOPS_CRAWLER_HEADER_ONLY
#include "finops_crawler/detail/json_writer-inl.hpp"
#endif

#endif  // FINOPS_CRAWLER_DETAIL_JSON_WRITER_HPP
