#include "terminal_table.hpp"

#include <ostream>
#include <string>

namespace finops_crawler {
inline namespace v0 {
namespace cli {

terminal_table_writer::terminal_table_writer(std::ostream& out, std::size_t width, int account_group)
    : out_(&out), width_(width), pivot_(pivot_text_, true, 0), table_(table_text_, width) {
  table_.set_account_group(account_group);
}

bool terminal_table_writer::finish() {
  if (!pivot_.finish()) return false;
  const std::string pivot = pivot_text_.str();
  std::size_t widest = 0;
  std::size_t at = 0;
  while (at < pivot.size()) {
    std::size_t end = pivot.find('\n', at);
    if (end == std::string::npos) end = pivot.size();
    const std::size_t w = display_width(std::string_view(pivot).substr(at, end - at));
    if (w > widest) widest = w;
    at = end + 1;
  }
  pivoted_ = pivot_.period_count() > 1 && (width_ == 0 || widest <= width_);
  if (pivoted_) {
    *out_ << pivot;
  } else {
    if (!table_.finish()) return false;
    *out_ << table_text_.str();
  }
  out_->flush();
  return static_cast<bool>(*out_);
}

}  // namespace cli
}  // namespace v0
}  // namespace finops_crawler
