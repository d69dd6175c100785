#ifndef FINOPS_CRAWLER_CLI_TABLE_WRITER_HPP
#define FINOPS_CRAWLER_CLI_TABLE_WRITER_HPP
/// \file
/// Aligned plain-text tables for terminals: a generic `text_table` and the
/// `table_writer` sink of `finops-crawler costs --format table`.
///
/// Width is counted in code points (UTF-8 continuation bytes are not
/// counted), which is right for the Latin, CJK-free names AWS uses; a table
/// wider than the limit shrinks its widest left-aligned columns and marks cut
/// cells with "~". Numbers are right-aligned.

#include <cstddef>
#include <iosfwd>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "cost_row.hpp"

namespace finops_crawler {
inline namespace v0 {
namespace cli {

/// Display width of UTF-8 text: the number of code points.
std::size_t display_width(std::string_view s) noexcept;

/// `s` cut to at most `width` code points; a cut string ends with "~".
std::string fit_width(std::string_view s, std::size_t width);

/// A table of strings rendered with aligned columns, two spaces apart, a
/// header line and a dashed rule. Not thread-safe; owns its cells.
class text_table {
 public:
  /// One column: its title, whether cells are right-aligned (numbers), and
  /// whether it is a key column that is never cut (dates: a cut date is
  /// lost information, a cut service name rarely is).
  struct column {
    std::string title;
    bool right = false;
    bool keep = false;
  };

  explicit text_table(std::vector<column> columns) : columns_(std::move(columns)) {}

  /// Appends a row; missing cells are empty, extra cells are ignored.
  void add_row(std::vector<std::string> cells);

  /// Number of rows added.
  std::size_t size() const noexcept { return rows_.size(); }

  /// Writes the table in at most `max_width` columns (at least 20; 0 = no
  /// limit: a file or a pipe gets whole cells). Columns that are
  /// left-aligned and not `keep` are shrunk, widest first, down to 6
  /// characters, then to 3 if the table is still too wide; right-aligned
  /// (numeric) and `keep` columns are never cut, even if the table then
  /// overflows.
  void render(std::ostream& out, std::size_t max_width = 80) const;

 private:
  std::vector<column> columns_;
  std::vector<std::vector<std::string>> rows_;
};

/// The `--format table` sink: buffers the rows (a table needs every width
/// before its first line) and renders them at finish(): period start, the
/// group columns that are used, the metric when more than one is asked,
/// the amount rounded to 2 places (exact amounts: use csv), the unit, and
/// "*" for estimated periods with a footnote. With --account-names the
/// LINKED_ACCOUNT cell reads "123456789012 (Production)".
/// Memory: every row is copied (a 90-day, 200-group report is ~2 MB).
class table_writer final : public row_sink {
 public:
  /// `width`: the terminal's columns; 0 = not a terminal, nothing is cut.
  table_writer(std::ostream& out, std::size_t width) noexcept : out_(&out), width_(width) {}

  bool begin() override;

  bool write(const cost_row& r) override;

  /// Which group value is the account id, so write() knows where the name
  /// goes: call with the group position (1 or 2) of LINKED_ACCOUNT.
  void set_account_group(int position) noexcept { account_position_ = position; }

  /// A run for several profiles: `profile` and `profile_account` columns
  /// first (key columns, never cut).
  void set_profile_columns(bool on) noexcept { profile_columns_ = on; }
  /// The profile and account of the next rows (with set_profile_columns).
  void set_profile(std::string_view profile, std::string_view account) {
    profile_.assign(profile.data(), profile.size());
    profile_account_.assign(account.data(), account.size());
  }

  bool finish() override;

 private:
  struct stored {
    std::string start, g1, g2, metric, amount, unit, profile, profile_account;
    bool estimated = false;
  };
  std::ostream* out_;
  std::size_t width_;
  std::vector<stored> rows_;
  std::vector<std::string> metrics_;
  int account_position_ = 1;
  bool profile_columns_ = false;
  std::string profile_, profile_account_;
  bool any_g1_ = false;
  bool any_g2_ = false;
  bool any_estimated_ = false;
};

}  // namespace cli
}  // namespace v0
}  // namespace finops_crawler

#endif  // FINOPS_CRAWLER_CLI_TABLE_WRITER_HPP
