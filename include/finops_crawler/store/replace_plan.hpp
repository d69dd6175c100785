#ifndef FINOPS_CRAWLER_STORE_REPLACE_PLAN_HPP
#define FINOPS_CRAWLER_STORE_REPLACE_PLAN_HPP
/// \file
/// What both cost_store implementations share: checking the input of
/// replace_periods() and the other writes, and computing, from the rows
/// already stored for some periods, which incoming rows to insert or update
/// and which stored rows to delete. Pure C++ (no database library); used by
/// sqlite_store and postgres_store inside their write transaction.

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "finops_crawler/detail/span.hpp"
#include "finops_crawler/result.hpp"
#include "finops_crawler/store/cost_store.hpp"

namespace finops_crawler {
inline namespace v0 {
namespace store {
namespace detail {

/// `YYYY-MM-DD` with a month 01..12 and a day 01..31 (the database checks
/// the calendar; Cost Explorer's days are always real days).
bool is_day(std::string_view s) noexcept;

/// `YYYY-MM-DDTHH:MM:SSZ`, the timestamps the stores read and write.
bool is_timestamp(std::string_view s) noexcept;

/// `-?[0-9]+(\.[0-9]+)?`: the decimal text Cost Explorer sends.
bool is_plain_decimal(std::string_view s) noexcept;

/// errc::invalid_argument naming `what` unless `s` is a timestamp.
status check_timestamp(std::string_view what, std::string_view s);

/// errc::invalid_argument unless the report name is 1..200 bytes without
/// control characters (it is a key and appears in messages and lock files).
status check_report_name(std::string_view report);

/// Every check replace_periods() documents: the days, each period once,
/// rows inside the given periods with their period_end, plain decimal
/// amounts, no key twice, a metric on every row. The message names the
/// first bad row or period. Cost: linear (one hash set of keys).
status check_replace_input(finops_crawler::detail::span<stored_period> periods,
                           finops_crawler::detail::span<store_row> rows);

/// A row as the store read it back, for the diff.
struct existing_row {
  std::string period_start, period_end, group_1, group_2, metric, amount, unit;
  bool estimated = false;
};

/// The writes that turn the stored rows of some periods into the incoming
/// rows. `inserts` and `updates` point into the incoming rows (which must
/// outlive the plan); `deletes` point into `existing`.
struct row_changes {
  std::vector<const store_row*> inserts;
  std::vector<const store_row*> updates;
  std::vector<const existing_row*> deletes;

  write_counts counts() const noexcept { return {inserts.size(), updates.size(), deletes.size()}; }
};

/// Compares by key (period_start, group_1, group_2, metric): an incoming
/// row with no stored twin is an insert; one whose amount text, unit,
/// estimated flag or period_end differs is an update (the amount compared as
/// text: "1.50" replacing "1.5" is a change, the scale is data); a stored row
/// with no incoming twin is a delete. `signless_zero`: the store cannot keep
/// a negative zero (PostgreSQL numeric), so an incoming "-0.00" equals a
/// stored "0.00". Preconditions: check_replace_input() passed, and
/// `existing` holds only rows of the incoming periods. Cost: one hash map of
/// the stored keys.
row_changes diff_rows(finops_crawler::detail::span<store_row> incoming,
                      const std::vector<existing_row>& existing, bool signless_zero = false);

/// A stable 64-bit FNV-1a hash of the report name: the lock key (the same
/// in every process and build, so two programs agree on it).
std::uint64_t report_hash(std::string_view report) noexcept;

/// `text` with every occurrence of each non-empty secret replaced by "***".
std::string scrub(std::string text, finops_crawler::detail::span<std::string> secrets);

}  // namespace detail
}  // namespace store
}  // namespace v0
}  // namespace finops_crawler

#if FINOPS_CRAWLER_HEADER_ONLY
#include "finops_crawler/store/replace_plan-inl.hpp"
#endif

#endif  // FINOPS_CRAWLER_STORE_REPLACE_PLAN_HPP
