#ifndef FINOPS_CRAWLER_CLI_CRAWL_GUARD_HPP
#define FINOPS_CRAWLER_CLI_CRAWL_GUARD_HPP
/// \file
/// The cost guardrails of every crawling command (`costs`, `dimensions`,
/// `summary`): `--max-requests N`, `--max-cost USD` and `--dry-run`, the
/// estimate printed before the first request, and the cap the crawl obeys
/// while it runs. The estimator and the budget are the library's
/// (ce::estimate_requests, ce::request_budget), shared with `sync`.
///
/// A command wires it in three lines:
///
///   add_guard_flags(cmd, flags.guard);                       // cli.cpp
///   auto guard = crawl_guard::from_flags(flags.guard);       // exit 2 on a bad value
///   if (auto stop = guard->check(estimate, err)) return *stop;  // before the first request
///   options.budget = guard->budget();                        // ce::crawl_options
///
/// then, after the crawl, `guard->stopped()` says whether the cap ended it
/// (exit_code::partial) and `guard->stop_message()` what to print.
///
/// The estimate: from the pages an earlier complete run of the same report
/// (any period) took, recorded in the --cache directory, when there is
/// one; else from the period, granularity and group-bys (ce::request_shape).
/// Not thread-safe.

#include <cstdint>
#include <iosfwd>
#include <optional>
#include <string>
#include <string_view>

#include "exit_codes.hpp"
#include "finops_crawler/aws/ce/request_budget.hpp"
#include "finops_crawler/result.hpp"

namespace CLI {
class App;
}  // namespace CLI

namespace finops_crawler {
inline namespace v0 {
namespace cli {

class response_cache;

/// The guard flags as typed (checked by crawl_guard::from_flags).
struct guard_flags {
  std::string max_requests;  ///< --max-requests N; empty = no cap
  std::string max_cost;      ///< --max-cost USD, e.g. 0.50; empty = no cap
  bool dry_run = false;      ///< --dry-run
};

/// Adds --max-requests, --max-cost and --dry-run to a CLI11 subcommand.
void add_guard_flags(CLI::App* cmd, guard_flags& f);

/// What a crawl is expected to cost, and why. Plain data.
struct crawl_estimate {
  std::uint64_t requests = 0;  ///< billable requests expected
  /// How it was reached, e.g. "from an earlier run: 12 pages for 90 days"
  /// or "from the period: 365 days, 2 group-bys".
  std::string basis;
};

/// The estimate of one request sequence: from the history recorded under
/// `history_key` in `cache` (see record_history) when both are given and
/// a record exists, else from the shape alone.
crawl_estimate estimate_crawl(ce::request_shape shape, response_cache* cache, std::string_view history_key);

/// Adds `b` to `a` (two sequences of one command, e.g. the two parts of a
/// cached `costs` period): requests summed, bases joined with "; ".
crawl_estimate operator+(crawl_estimate a, const crawl_estimate& b);

/// Records in `cache` that a complete run of the report `history_key` took
/// `pages` pages for `periods` periods, for the next estimate. Best effort:
/// a failure to write is ignored (the estimate then falls back to the
/// shape). No-op without a cache or with zero periods.
void record_history(response_cache* cache, std::string_view history_key, std::uint64_t pages,
                    std::uint64_t periods);

/// The key a report's history is recorded under: the operation and the
/// request body with its TimePeriod and NextPageToken left out (callers pass
/// the body of a copy whose period is a fixed placeholder), so runs over
/// other periods of the same report share it. Lowercase hex SHA-256.
std::string history_key(std::string_view operation, std::string_view normalized_body);

/// The checked guard flags and the budget of one command run.
class crawl_guard {
 public:
  /// Checks the flags. Errors: errc::invalid_argument (exit 2) naming the
  /// flag and the accepted values.
  static result<crawl_guard> from_flags(const guard_flags& f);

  /// Prints the estimate on `err` when it matters (--dry-run, a cap, or
  /// `verbose`), then decides: exit_code::ok for --dry-run (nothing is to
  /// be sent), exit_code::usage when the estimate is above a cap (the
  /// message says what the crawl would cost and how to allow it), nullopt
  /// to go on.
  std::optional<exit_code> check(const crawl_estimate& e, std::ostream& err, bool verbose = false);

  /// The budget to hand to ce::crawl_options::budget (always set: without a
  /// cap it only counts).
  ce::request_budget* budget() noexcept { return &budget_; }
  /// The cap in billable requests (the lower of --max-requests and
  /// --max-cost); 0 = none.
  std::uint64_t cap() const noexcept { return cap_; }
  /// Gives back `pages` the crawl charged that no one billed: pages the
  /// response cache answered (the client counts every reply of a billable
  /// service; AWS never saw these). The cap then allows as many more.
  void not_billed(std::uint64_t pages);
  /// Billable requests spent under the guard (cache hits excluded).
  std::uint64_t spent() const noexcept { return budget_.spent() - given_back_; }
  /// Whether --dry-run was given.
  bool dry_run() const noexcept { return dry_run_; }
  /// Whether the cap refused a request (the crawl stopped short).
  bool stopped() const noexcept { return budget_.exhausted(); }
  /// The line to print when stopped(): what was spent, which flag stopped
  /// it and how to go on. `resume_hint` is appended (e.g. "; rerun with
  /// --resume to continue").
  std::string stop_message(std::string_view resume_hint = {}) const;

 private:
  crawl_guard() = default;

  std::uint64_t cap_ = 0;
  std::string cap_flag_;  // "--max-requests 100" or "--max-cost 0.50"
  bool dry_run_ = false;
  std::uint64_t given_back_ = 0;
  ce::request_budget budget_;
};

}  // namespace cli
}  // namespace v0
}  // namespace finops_crawler

#endif  // FINOPS_CRAWLER_CLI_CRAWL_GUARD_HPP
