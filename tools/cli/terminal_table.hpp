#ifndef FINOPS_CRAWLER_CLI_TERMINAL_TABLE_HPP
#define FINOPS_CRAWLER_CLI_TERMINAL_TABLE_HPP
/// \file
/// The table `costs` shows on a terminal when no --format is given: the
/// report pivoted, periods as columns (pivot_writer), when it spans several
/// periods and the pivot fits the terminal's width whole; else the plain
/// table (table_writer), cut to the width. A month of DAILY costs by
/// service does not fit and keeps the plain table; three MONTHLY periods by
/// service do, and read as the Cost Explorer console shows them.
/// Both are buffered (as each already is) and the choice is made at
/// finish(): memory is twice a table's. Not thread-safe.

#include <cstddef>
#include <sstream>

#include "cost_row.hpp"
#include "pivot_writer.hpp"
#include "table_writer.hpp"

namespace finops_crawler {
inline namespace v0 {
namespace cli {

class terminal_table_writer final : public row_sink {
 public:
  /// `width`: the terminal's columns; `account_group` as
  /// table_writer::set_account_group.
  terminal_table_writer(std::ostream& out, std::size_t width, int account_group);

  bool begin() override { return static_cast<bool>(*out_); }
  /// Hands the row to both tables. False when the pivot refuses it.
  bool write(const cost_row& r) override { return pivot_.write(r) && table_.write(r); }
  /// Writes the pivot when it fits, else the plain table.
  bool finish() override;

  /// After finish(): whether the pivot was written.
  bool pivoted() const noexcept { return pivoted_; }

 private:
  std::ostream* out_;
  std::size_t width_;
  std::ostringstream pivot_text_;
  std::ostringstream table_text_;
  pivot_writer pivot_;  // uncut, so its width can be measured
  table_writer table_;
  bool pivoted_ = false;
};

}  // namespace cli
}  // namespace v0
}  // namespace finops_crawler

#endif  // FINOPS_CRAWLER_CLI_TERMINAL_TABLE_HPP
