#ifndef FINOPS_CRAWLER_CLI_COST_ROW_HPP
#define FINOPS_CRAWLER_CLI_COST_ROW_HPP
/// \file
/// One row of the long-format cost report (period x group x metric) and the
/// interface every output format implements.

#include <string_view>


namespace finops_crawler {
inline namespace v0 {
namespace cli {

/// One amount: a period, up to two group keys, one metric. Every field is a
/// view into the page being written; valid only during the `row_sink::write`
/// call that receives it (copy to keep). `amount` is the exact decimal string
/// AWS sent. `group_1`/`group_2` are empty when the report is not grouped
/// (the row is then the period's Total) and `group_2` is empty with one
/// group-by. `account_name` is set only with --account-names (the name of
/// the LINKED_ACCOUNT group value; empty when unknown).
struct cost_row {
  std::string_view period_start;
  std::string_view period_end;
  std::string_view group_1;
  std::string_view group_2;
  std::string_view metric;
  std::string_view amount;
  std::string_view unit;
  bool estimated = false;
  std::string_view account_name;
};

/// A destination for rows: begin once, write rows in AWS order, finish once.
/// Implementations write to a std::ostream they borrow (it must outlive the
/// sink). Each call returns false when the stream has failed (disk full,
/// closed pipe) so no row is lost silently; the command then exits with
/// exit_code::failure (or partial). Not thread-safe.
class row_sink {
 public:
  virtual ~row_sink() = default;
  /// Writes whatever precedes the rows (a header). False on a stream failure.
  virtual bool begin() = 0;
  /// Writes one row. False on a stream failure.
  virtual bool write(const cost_row& row) = 0;
  /// Writes whatever follows the rows and flushes. False on a stream failure.
  virtual bool finish() = 0;

 protected:
  row_sink() = default;
  row_sink(const row_sink&) = default;
  row_sink& operator=(const row_sink&) = default;
};

}  // namespace cli
}  // namespace v0
}  // namespace finops_crawler

#endif  // FINOPS_CRAWLER_CLI_COST_ROW_HPP
