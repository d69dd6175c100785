// Bodies of csv_writer.hpp.
#include "csv_writer.hpp"

#include <ostream>

namespace finops_crawler {
inline namespace v0 {
namespace cli {

bool csv_needs_quotes(std::string_view field) noexcept {
  return field.find_first_of(",\"\r\n") != std::string_view::npos;
}

void write_csv_field(std::ostream& out, std::string_view field) {
  if (!csv_needs_quotes(field)) {
    out << field;
    return;
  }
  out << '"';
  std::size_t from = 0;
  for (;;) {
    auto q = field.find('"', from);
    if (q == std::string_view::npos) {
      out << field.substr(from);
      break;
    }
    out << field.substr(from, q + 1 - from) << '"';
    from = q + 1;
  }
  out << '"';
}

bool csv_writer::begin() {
  *out_ << csv_header;
  if (with_account_name_) *out_ << ",account_name";
  if (with_profile_) *out_ << ",profile,profile_account";
  *out_ << '\n';
  return static_cast<bool>(*out_);
}

bool csv_writer::write(const cost_row& r) {
  std::ostream& o = *out_;
  write_csv_field(o, r.period_start);
  o << ',';
  write_csv_field(o, r.period_end);
  o << ',';
  write_csv_field(o, r.group_1);
  o << ',';
  write_csv_field(o, r.group_2);
  o << ',';
  write_csv_field(o, r.metric);
  o << ',';
  write_csv_field(o, r.amount);
  o << ',';
  write_csv_field(o, r.unit);
  o << (r.estimated ? ",true" : ",false");
  if (with_account_name_) {
    o << ',';
    write_csv_field(o, r.account_name);
  }
  if (with_profile_) {
    o << ',';
    write_csv_field(o, profile_);
    o << ',';
    write_csv_field(o, profile_account_);
  }
  o << '\n';
  return static_cast<bool>(o);
}

bool csv_writer::finish() {
  out_->flush();
  return static_cast<bool>(*out_);
}

}  // namespace cli
}  // namespace v0
}  // namespace finops_crawler
