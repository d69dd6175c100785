// Bodies of absent_database.hpp.
#include "absent_database.hpp"

#include <cstdint>
#include <optional>
#include <string_view>
#include <utility>
#include <vector>

namespace finops_crawler {
inline namespace v0 {
namespace cli {

namespace {

class absent_database final : public store::cost_store {
 public:
  explicit absent_database(std::string path) : path_(std::move(path)) {}

  std::string description() const override { return "SQLite database " + path_ + " (not created: a dry run)"; }
  result<std::optional<store::report_record>> find_report(std::string_view) override {
    return std::optional<store::report_record>();
  }
  status create_report(const store::report_record&) override { return refused(); }
  result<std::vector<store::stored_period>> stored_periods(std::string_view, std::string_view,
                                                           std::string_view) override {
    return std::vector<store::stored_period>();
  }
  result<std::vector<store::cost_row_record>> read_rows(std::string_view, std::string_view,
                                                        std::string_view) override {
    return std::vector<store::cost_row_record>();
  }
  result<std::int64_t> begin_run(std::string_view, std::string_view) override { return refused(); }
  status finish_run(std::int64_t, store::run_status, std::string_view, std::uint64_t,
                    const store::write_counts&) override {
    return refused();
  }
  result<store::write_counts> replace_periods(std::string_view, detail::span<store::stored_period>,
                                              detail::span<store::store_row>, std::string_view) override {
    return refused();
  }
  result<std::uint64_t> upsert_accounts(detail::span<store::account_record>, std::string_view) override {
    return refused();
  }
  result<store::report_lock> lock_report(std::string_view, bool) override { return refused(); }

 private:
  error refused() const { return error(errc::invalid_argument, description() + ": a dry run writes nothing"); }

  std::string path_;
};

}  // namespace

std::unique_ptr<store::cost_store> absent_sqlite_database(std::string absolute_path) {
  return std::make_unique<absent_database>(std::move(absolute_path));
}

}  // namespace cli
}  // namespace v0
}  // namespace finops_crawler
