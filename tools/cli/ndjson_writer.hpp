#ifndef FINOPS_CRAWLER_CLI_NDJSON_WRITER_HPP
#define FINOPS_CRAWLER_CLI_NDJSON_WRITER_HPP
/// \file
/// The NDJSON output of `finops-crawler costs`: one JSON object per line with
/// the CSV's fields. `amount` stays a JSON *string* (the exact decimal AWS
/// sent; a JSON number would be read as a double by most consumers);
/// `estimated` is a boolean; `group_1`/`group_2` are null when absent;
/// `account_name` is present only with --account-names (null when unknown).

#include <ostream>
#include <string_view>

#include "cost_row.hpp"

namespace finops_crawler {
inline namespace v0 {
namespace cli {

/// Writes `s` as a JSON string literal (quotes included): `"` and `\` are
/// escaped, control characters become \n, \r, \t or \u00XX; other bytes
/// (UTF-8) pass through unchanged. Pure apart from the stream.
inline void write_json_string(std::ostream& out, std::string_view s) {
  static constexpr char hex[] = "0123456789abcdef";
  out << '"';
  std::size_t run = 0;  // start of the pending unescaped run
  for (std::size_t i = 0; i < s.size(); ++i) {
    const auto c = static_cast<unsigned char>(s[i]);
    if (c >= 0x20 && c != '"' && c != '\\') continue;
    out << s.substr(run, i - run);
    run = i + 1;
    switch (c) {
      case '"': out << "\\\""; break;
      case '\\': out << "\\\\"; break;
      case '\n': out << "\\n"; break;
      case '\r': out << "\\r"; break;
      case '\t': out << "\\t"; break;
      default: out << "\\u00" << hex[c >> 4] << hex[c & 0x0f]; break;
    }
  }
  out << s.substr(run) << '"';
}

/// Writes rows as NDJSON to a borrowed stream (it must outlive the writer).
/// Not thread-safe.
class ndjson_writer final : public row_sink {
 public:
  explicit ndjson_writer(std::ostream& out, bool with_account_name = false) noexcept
      : out_(&out), with_account_name_(with_account_name) {}

  bool begin() override { return static_cast<bool>(*out_); }

  bool write(const cost_row& r) override {
    std::ostream& o = *out_;
    o << "{\"period_start\":";
    write_json_string(o, r.period_start);
    o << ",\"period_end\":";
    write_json_string(o, r.period_end);
    o << ",\"group_1\":";
    write_optional(r.group_1);
    o << ",\"group_2\":";
    write_optional(r.group_2);
    o << ",\"metric\":";
    write_json_string(o, r.metric);
    o << ",\"amount\":";
    write_json_string(o, r.amount);
    o << ",\"unit\":";
    write_json_string(o, r.unit);
    o << ",\"estimated\":" << (r.estimated ? "true" : "false");
    if (with_account_name_) {
      o << ",\"account_name\":";
      write_optional(r.account_name);
    }
    o << "}\n";
    return static_cast<bool>(o);
  }

  bool finish() override {
    out_->flush();
    return static_cast<bool>(*out_);
  }

 private:
  void write_optional(std::string_view v) {
    if (v.empty()) *out_ << "null";
    else write_json_string(*out_, v);
  }
  std::ostream* out_;
  bool with_account_name_;
};

}  // namespace cli
}  // namespace v0
}  // namespace finops_crawler

#endif  // FINOPS_CRAWLER_CLI_NDJSON_WRITER_HPP
