#ifndef FINOPS_CRAWLER_CLI_PIVOT_WRITER_HPP
#define FINOPS_CRAWLER_CLI_PIVOT_WRITER_HPP
/// \file
/// `costs --pivot`: the report turned so that each period is a column. One
/// row per group (group_1, group_2 and, with several metrics, the metric),
/// sorted by the row's total (largest first, then by name), a `total`
/// column and a `total` row per metric. Sums are exact (decimal).
///   csv    exact amounts; header `group_1[,group_2][,metric],<period>...,total`
///          (a period is its Start; a whole calendar month YYYY-MM);
///   table  amounts rounded to cents, estimated periods marked "*" in the
///          header and in the total row, and the rounding footnote when the
///          rounded rows do not add up to the rounded total.
/// An ungrouped report has one row per metric. Memory: one decimal per
/// (row, period); the table is written at finish().

#include <cstddef>
#include <iosfwd>
#include <map>
#include <string>
#include <vector>

#include "cost_row.hpp"
#include "finops_crawler/decimal.hpp"

namespace finops_crawler {
inline namespace v0 {
namespace cli {

/// The pivot sink. Borrows `out` (it must outlive the writer). Not thread-safe.
class pivot_writer final : public row_sink {
 public:
  /// `table`: the text table (cut to `width` columns; 0 = no limit), else CSV.
  pivot_writer(std::ostream& out, bool table, std::size_t width) noexcept : out_(&out), table_(table), width_(width) {}

  bool begin() override { return true; }
  /// Adds the row's amount to its cell. False when the amount is not a
  /// decimal or the sum overflows (the run then fails, nothing written).
  bool write(const cost_row& r) override;
  /// Writes the whole pivot.
  bool finish() override;
  /// Periods (columns) seen so far.
  std::size_t period_count() const noexcept { return periods_.size(); }

 private:
  struct period {
    std::string label;
    bool estimated = false;
  };
  struct line {
    std::string g1, g2, metric;
    std::map<std::size_t, decimal> cells;  // by period index
    decimal total;
  };
  std::size_t period_index(const cost_row& r);

  std::ostream* out_;
  bool table_;
  std::size_t width_;
  std::vector<period> periods_;
  std::map<std::string, std::size_t> period_at_;  // period start -> index
  std::vector<line> lines_;
  std::map<std::string, std::size_t> line_at_;    // g1 \n g2 \n metric -> index
  std::vector<std::string> metrics_;
  bool any_g1_ = false;
  bool any_g2_ = false;
};

}  // namespace cli
}  // namespace v0
}  // namespace finops_crawler

#endif  // FINOPS_CRAWLER_CLI_PIVOT_WRITER_HPP
