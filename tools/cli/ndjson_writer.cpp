// Bodies of ndjson_writer.hpp.
#include "ndjson_writer.hpp"

#include <ostream>

#include "finops_crawler/detail/json_writer.hpp"

namespace finops_crawler {
inline namespace v0 {
namespace cli {

namespace {

// Appends `s` as a JSON string literal to `out`. The escaping is the
// library's; only text that is not valid UTF-8 (which append_json_string
// refuses) takes the slow path: its valid runs are escaped one by one and
// each offending byte (always >= 0x80, so never one JSON must escape) is
// copied unchanged, as the CLI has always done.
void append_literal(std::string& out, std::string_view s) {
  if (finops_crawler::detail::append_json_string(out, s)) return;
  std::string run;
  out += '"';
  for (;;) {
    const finops_crawler::detail::utf8_check c = finops_crawler::detail::check_utf8(s);
    const std::size_t valid = c ? s.size() : c.offset;
    if (valid > 0) {
      run.clear();
      (void)finops_crawler::detail::append_json_string(run, s.substr(0, valid));
      out.append(run, 1, run.size() - 2);  // without its quotes
    }
    if (c) break;
    out += s[valid];
    s.remove_prefix(valid + 1);
  }
  out += '"';
}

void append_optional(std::string& out, std::string_view v) {
  if (v.empty()) out += "null";
  else append_literal(out, v);
}

}  // namespace

void write_json_string(std::ostream& out, std::string_view s) {
  std::string text;
  append_literal(text, s);
  out << text;
}

bool ndjson_writer::begin() { return static_cast<bool>(*out_); }

bool ndjson_writer::write(const cost_row& r) {
  std::string& o = line_;
  o.clear();
  o += "{\"period_start\":";
  append_literal(o, r.period_start);
  o += ",\"period_end\":";
  append_literal(o, r.period_end);
  o += ",\"group_1\":";
  append_optional(o, r.group_1);
  o += ",\"group_2\":";
  append_optional(o, r.group_2);
  o += ",\"metric\":";
  append_literal(o, r.metric);
  o += ",\"amount\":";
  append_literal(o, r.amount);
  o += ",\"unit\":";
  append_literal(o, r.unit);
  o += ",\"estimated\":";
  o += r.estimated ? "true" : "false";
  if (with_account_name_) {
    o += ",\"account_name\":";
    append_optional(o, r.account_name);
  }
  if (with_profile_) {
    o += ",\"profile\":";
    append_literal(o, profile_);
    o += ",\"profile_account\":";
    append_literal(o, profile_account_);
  }
  o += "}\n";
  out_->write(o.data(), static_cast<std::streamsize>(o.size()));
  return static_cast<bool>(*out_);
}

bool ndjson_writer::finish() {
  out_->flush();
  return static_cast<bool>(*out_);
}

}  // namespace cli
}  // namespace v0
}  // namespace finops_crawler
