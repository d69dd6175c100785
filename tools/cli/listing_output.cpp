// Bodies of listing_output.hpp.
#include "listing_output.hpp"

#include <ostream>

#include "csv_writer.hpp"
#include "table_writer.hpp"

namespace finops_crawler {
inline namespace v0 {
namespace cli {

result<std::string> listing_format(const std::string& requested, const cli_context& ctx) {
  if (requested.empty()) return std::string(ctx.stdout_is_terminal ? "table" : "csv");
  if (requested != "csv" && requested != "table" && requested != "json")
    return error(errc::invalid_argument, "--format " + requested + ": use csv, json or table");
  return requested;
}

std::size_t table_width(const cli_context& ctx) noexcept { return ctx.stdout_is_terminal ? ctx.terminal_width : 0; }

void write_listing(std::ostream& out, const std::string& format, const cli_context& ctx,
                   const std::vector<std::string>& header, const std::vector<std::vector<std::string>>& rows) {
  if (format == "csv") {
    for (std::size_t i = 0; i < header.size(); ++i) {
      if (i) out << ',';
      write_csv_field(out, header[i]);
    }
    out << '\n';
    for (const auto& r : rows) {
      for (std::size_t i = 0; i < r.size(); ++i) {
        if (i) out << ',';
        write_csv_field(out, r[i]);
      }
      out << '\n';
    }
    return;
  }
  std::vector<text_table::column> cols;
  for (const auto& h : header) cols.push_back({h, false});
  text_table t(cols);
  for (const auto& r : rows) t.add_row(r);
  t.render(out, table_width(ctx));
}

}  // namespace cli
}  // namespace v0
}  // namespace finops_crawler
