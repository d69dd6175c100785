#ifndef FINOPS_CRAWLER_CLI_LISTING_OUTPUT_HPP
#define FINOPS_CRAWLER_CLI_LISTING_OUTPUT_HPP
/// \file
/// The output of the listing commands (whoami, accounts, dimensions, tags,
/// cost-categories): the format chosen from --format, and a header plus
/// rows written as CSV or as an aligned table. Their `--format json` is
/// each command's own (AWS's response shape and field names).

#include <cstddef>
#include <iosfwd>
#include <string>
#include <vector>

#include "context.hpp"
#include "finops_crawler/result.hpp"

namespace finops_crawler {
inline namespace v0 {
namespace cli {

/// `--format` of a listing: csv, table or json; empty = table on a
/// terminal, else csv. Other values: errc::invalid_argument naming the
/// accepted ones.
result<std::string> listing_format(const std::string& requested, const cli_context& ctx);

/// The width a table may take: the terminal's columns when stdout is a
/// terminal, 0 (nothing cut) on a file or pipe, as costs' tables.
std::size_t table_width(const cli_context& ctx) noexcept;

/// Writes a header and rows as CSV (format "csv") or as an aligned table
/// cut to table_width(ctx) (format "table").
void write_listing(std::ostream& out, const std::string& format, const cli_context& ctx,
                   const std::vector<std::string>& header, const std::vector<std::vector<std::string>>& rows);

}  // namespace cli
}  // namespace v0
}  // namespace finops_crawler

#endif  // FINOPS_CRAWLER_CLI_LISTING_OUTPUT_HPP
