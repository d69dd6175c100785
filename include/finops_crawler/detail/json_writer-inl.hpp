#ifndef FINOPS_CRAWLER_DETAIL_JSON_WRITER_INL_HPP
#define FINOPS_CRAWLER_DETAIL_JSON_WRITER_INL_HPP
/// \file
/// The bodies of detail/json_writer.hpp: included by that header in header-only
/// mode, compiled once in src/ otherwise (config.hpp). Not for direct inclusion.

#include "finops_crawler/detail/json_writer.hpp"

namespace finops_crawler {
inline namespace v0 {
namespace detail {

FINOPS_CRAWLER_FUNC std::string_view utf8_fault_name(utf8_fault f) noexcept {
  switch (f) {
    case utf8_fault::none: return "valid";
    case utf8_fault::invalid_lead_byte: return "byte that cannot start a UTF-8 character";
    case utf8_fault::truncated: return "truncated multi-byte sequence";
    case utf8_fault::bad_continuation: return "missing continuation byte";
    case utf8_fault::overlong: return "overlong encoding";
    case utf8_fault::surrogate: return "encoded UTF-16 surrogate (U+D800..U+DFFF)";
    case utf8_fault::above_max: return "code point above U+10FFFF";
  }
  return "invalid UTF-8";
}

FINOPS_CRAWLER_FUNC utf8_check check_utf8(std::string_view text) noexcept {
  const auto* p = reinterpret_cast<const unsigned char*>(text.data());
  const std::size_t n = text.size();
  std::size_t i = 0;
  while (i < n) {
    const unsigned char b0 = p[i];
    if (b0 < 0x80) {
      ++i;
      continue;
    }
    std::size_t len = 0;
    std::uint32_t cp = 0;
    if (b0 >= 0xC2 && b0 <= 0xDF) {
      len = 2;
      cp = b0 & 0x1Fu;
    } else if (b0 >= 0xE0 && b0 <= 0xEF) {
      len = 3;
      cp = b0 & 0x0Fu;
    } else if (b0 >= 0xF0 && b0 <= 0xF4) {
      len = 4;
      cp = b0 & 0x07u;
    } else if (b0 == 0xC0 || b0 == 0xC1) {
      // C0/C1 can only start an overlong form of U+0000..U+007F.
      return {utf8_fault::overlong, i};
    } else if (b0 >= 0xF5) {
      // F5..F7 would start a code point above U+10FFFF; F8..FF are never UTF-8.
      return {b0 <= 0xF7 ? utf8_fault::above_max : utf8_fault::invalid_lead_byte, i};
    } else {
      return {utf8_fault::invalid_lead_byte, i};  // a stray continuation byte
    }
    for (std::size_t k = 1; k < len; ++k) {
      if (i + k >= n) return {utf8_fault::truncated, i};
      const unsigned char b = p[i + k];
      if ((b & 0xC0u) != 0x80u) return {utf8_fault::bad_continuation, i};
      cp = (cp << 6) | (b & 0x3Fu);
    }
    if ((len == 3 && cp < 0x800) || (len == 4 && cp < 0x10000)) return {utf8_fault::overlong, i};
    if (cp >= 0xD800 && cp <= 0xDFFF) return {utf8_fault::surrogate, i};
    if (cp > 0x10FFFF) return {utf8_fault::above_max, i};
    i += len;
  }
  return {};
}

FINOPS_CRAWLER_FUNC status validate_utf8(std::string_view text, std::string_view what) {
  const utf8_check c = check_utf8(text);
  if (c) return {};
  std::string msg(what);
  msg += " is not valid UTF-8: ";
  msg += utf8_fault_name(c.fault);
  msg += " at byte ";
  msg += std::to_string(c.offset);
  return status(errc::invalid_argument, std::move(msg));
}

FINOPS_CRAWLER_FUNC std::size_t utf8_length(std::string_view text) noexcept {
  std::size_t count = 0;
  for (char ch : text) {
    if ((static_cast<unsigned char>(ch) & 0xC0u) != 0x80u) ++count;
  }
  return count;
}

FINOPS_CRAWLER_FUNC std::string quoted_excerpt(std::string_view text, std::size_t limit) {
  if (!check_utf8(text)) return "(invalid UTF-8)";
  std::string_view shown = text;
  bool cut = false;
  if (shown.size() > limit) {
    std::size_t n = limit;
    while (n > 0 && (static_cast<unsigned char>(shown[n]) & 0xC0u) == 0x80u) --n;
    shown = shown.substr(0, n);
    cut = true;
  }
  std::string out;
  (void)append_json_string(out, shown);
  if (cut) out += "...";
  return out;
}

FINOPS_CRAWLER_FUNC status append_json_string(std::string& out, std::string_view text) {
  if (status s = validate_utf8(text, "JSON string"); !s) return s;
  constexpr char hex[] = "0123456789abcdef";
  out.reserve(out.size() + text.size() + 2);
  out += '"';
  for (char ch : text) {
    const auto c = static_cast<unsigned char>(ch);
    switch (c) {
      case '"': out += "\\\""; break;
      case '\\': out += "\\\\"; break;
      case '\b': out += "\\b"; break;
      case '\f': out += "\\f"; break;
      case '\n': out += "\\n"; break;
      case '\r': out += "\\r"; break;
      case '\t': out += "\\t"; break;
      default:
        if (c < 0x20) {
          // RFC 8259 section 7: control characters must be escaped.
          out += "\\u00";
          out += hex[c >> 4];
          out += hex[c & 0xF];
        } else {
          out += ch;
        }
    }
  }
  out += '"';
  return {};
}

FINOPS_CRAWLER_FUNC void json_writer::set_error(std::string message) {
  if (error_.code == errc::ok) error_ = error(errc::invalid_argument, std::move(message));
}

FINOPS_CRAWLER_FUNC json_writer& json_writer::fail(error e) {
  if (error_.code == errc::ok) error_ = std::move(e);
  return *this;
}

FINOPS_CRAWLER_FUNC bool json_writer::before_value() {
  if (!ok()) return false;
  if (stack_.empty()) {
    if (top_level_done_) {
      set_error("json_writer: a second top-level value");
      return false;
    }
    return true;
  }
  switch (stack_.back()) {
    case frame::object_expect_key:
      set_error("json_writer: a value inside an object needs a key first");
      return false;
    case frame::object_expect_value:
      return true;  // the comma was written before the key
    case frame::array:
      if (need_comma_) out_ += ',';
      return true;
  }
  return true;
}

FINOPS_CRAWLER_FUNC void json_writer::after_value() noexcept {
  if (stack_.empty()) {
    top_level_done_ = true;
    return;
  }
  if (stack_.back() == frame::object_expect_value) stack_.back() = frame::object_expect_key;
  need_comma_ = true;
}

FINOPS_CRAWLER_FUNC json_writer& json_writer::begin_object() {
  if (!before_value()) return *this;
  out_ += '{';
  stack_.push_back(frame::object_expect_key);
  need_comma_ = false;
  return *this;
}

FINOPS_CRAWLER_FUNC json_writer& json_writer::end_object() {
  if (!ok()) return *this;
  if (stack_.empty() || stack_.back() == frame::array) {
    set_error("json_writer: end_object without a matching begin_object");
    return *this;
  }
  if (stack_.back() == frame::object_expect_value) {
    set_error("json_writer: end_object after a key with no value");
    return *this;
  }
  out_ += '}';
  stack_.pop_back();
  after_value();
  return *this;
}

FINOPS_CRAWLER_FUNC json_writer& json_writer::begin_array() {
  if (!before_value()) return *this;
  out_ += '[';
  stack_.push_back(frame::array);
  need_comma_ = false;
  return *this;
}

FINOPS_CRAWLER_FUNC json_writer& json_writer::end_array() {
  if (!ok()) return *this;
  if (stack_.empty() || stack_.back() != frame::array) {
    set_error("json_writer: end_array without a matching begin_array");
    return *this;
  }
  out_ += ']';
  stack_.pop_back();
  after_value();
  return *this;
}

FINOPS_CRAWLER_FUNC json_writer& json_writer::key(std::string_view name) {
  if (!ok()) return *this;
  if (stack_.empty() || stack_.back() != frame::object_expect_key) {
    set_error("json_writer: key outside an object or where a value is due");
    return *this;
  }
  if (need_comma_) out_ += ',';
  if (status s = append_json_string(out_, name); !s) return fail(s.error());
  out_ += ':';
  stack_.back() = frame::object_expect_value;
  return *this;
}

FINOPS_CRAWLER_FUNC json_writer& json_writer::string(std::string_view value) {
  if (!before_value()) return *this;
  if (status s = append_json_string(out_, value); !s) return fail(s.error());
  after_value();
  return *this;
}

FINOPS_CRAWLER_FUNC json_writer& json_writer::integer(std::int64_t value) {
  if (!before_value()) return *this;
  out_ += std::to_string(value);
  after_value();
  return *this;
}

FINOPS_CRAWLER_FUNC json_writer& json_writer::boolean(bool value) {
  if (!before_value()) return *this;
  out_ += value ? "true" : "false";
  after_value();
  return *this;
}

FINOPS_CRAWLER_FUNC json_writer& json_writer::null() {
  if (!before_value()) return *this;
  out_ += "null";
  after_value();
  return *this;
}

FINOPS_CRAWLER_FUNC result<std::string> json_writer::finish() && {
  if (!ok()) return error_;
  if (!stack_.empty()) return result<std::string>(errc::invalid_argument, "json_writer: a container is still open");
  if (!top_level_done_) return result<std::string>(errc::invalid_argument, "json_writer: nothing was written");
  std::string out = std::move(out_);
  out_.clear();
  stack_.clear();
  need_comma_ = false;
  top_level_done_ = false;
  return out;
}

}  // namespace detail
}  // namespace v0
}  // namespace finops_crawler

#endif  // FINOPS_CRAWLER_DETAIL_JSON_WRITER_INL_HPP
