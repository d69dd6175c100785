#ifndef FINOPS_CRAWLER_STORE_SYNC_HPP
#define FINOPS_CRAWLER_STORE_SYNC_HPP
/// \file
/// The sync: keeps a named report's rows in a cost_store equal to what Cost
/// Explorer returns today, paying for each page once.
///
///   store::sync_options o;
///   o.report = "default";
///   o.start = calendar_date::parse("2026-01-01").value();   // first run only
///   o.today = today;                                       // injectable
///   o.payer = [&] { return api.get_account_info(); };      // STS, free
///   auto out = store::run_sync(*db, explorer, o);
///   if (!out) ...                  // refused before anything was spent
///   std::cerr << out->summary() << '\n';
///
/// The rules (README, "finops-crawler sync"):
/// - a report is a named definition (granularity, metrics, at most two
///   group-bys, filter); the first sync stores it as canonical JSON with the
///   payer account; later syncs reuse it, and flags that contradict it are
///   refused showing both (errc::invalid_argument);
/// - periods: the first sync needs a start; later ones continue from what
///   is stored up to `today` (End exclusive); a start earlier than what is
///   stored backfills;
/// - refresh rule: a stored period is *final* when it ends on or before the
///   first day of the previous month and was not Estimated; a run fetches
///   every period never stored and every non-final one (all with
///   refresh_final), and replaces the stored rows of each period it fetched;
/// - chunks: the periods to fetch are grouped by calendar month; each chunk
///   is one request sequence, written in one replace_periods() transaction
///   once all its pages arrived, so a run killed at any point leaves whole
///   periods only and the next run redoes the unfinished chunks;
/// - one sync per report at a time (cost_store::lock_report); a sync that
///   waited plans again and does not fetch what the other stored after it
///   started (fetched_at >= its start), so two syncs never pay twice;
/// - a budget (max_requests) stops before the request that would exceed it;
///   complete chunks stay committed (run_status::partial).
///
/// Depends on cost_store.hpp and the Cost Explorer client only (no
/// database library). Thread safety: one call at a time per store and
/// client. Errors: see run_sync.

#include <cstddef>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "finops_crawler/aws/ce/enums.hpp"
#include "finops_crawler/aws/ce/requests.hpp"
#include "finops_crawler/calendar_date.hpp"
#include "finops_crawler/config.hpp"
#include "finops_crawler/result.hpp"
#include "finops_crawler/store/cost_store.hpp"

namespace finops_crawler {
inline namespace v0 {
namespace ce {
class cost_explorer;
}  // namespace ce

namespace store {

/// What a report fetches. The defaults are the default report: DAILY,
/// UnblendedCost and UsageQuantity, grouped by SERVICE and LINKED_ACCOUNT,
/// no filter. HOURLY is not a sync granularity (refused by validate()).
struct report_definition {
  ce::granularity granularity = ce::granularity::daily;
  std::vector<std::string> metrics{"UnblendedCost", "UsageQuantity"};
  std::vector<ce::group_by> group_by{ce::group_by::dimension("SERVICE"), ce::group_by::dimension("LINKED_ACCOUNT")};
  std::optional<ce::expression> filter;

  /// Checks the definition as a GetCostAndUsage request would (metrics,
  /// group-bys, filter) and that the granularity is DAILY or MONTHLY.
  /// errc::invalid_argument naming the part.
  status validate() const;
  /// The canonical JSON stored with the report:
  /// {"granularity":"DAILY","metrics":[..],"group_by":[{"type":"DIMENSION","key":"SERVICE"},..],"filter":null|{..}}.
  /// Equal definitions give equal text. Errors: a filter that does not serialize.
  result<std::string> to_json() const;
  /// Reads what to_json() wrote. errc::invalid_argument when the stored text
  /// is not such a definition (the message says which member).
  static result<report_definition> from_json(std::string_view json);
  /// One line for plans and messages: "DAILY UnblendedCost,UsageQuantity by SERVICE,LINKED_ACCOUNT".
  std::string describe() const;
};

/// The definition flags of one run; an unset member was not given.
struct definition_flags {
  std::optional<ce::granularity> granularity;
  std::optional<std::vector<std::string>> metrics;
  std::optional<std::vector<ce::group_by>> group_by;
  std::optional<ce::expression> filter;
  /// Whether any member is set.
  bool any() const noexcept { return granularity || metrics || group_by || filter; }
};

/// The definition a run uses: the stored one (flags must agree with it:
/// errc::invalid_argument showing the flags' definition and the stored one,
/// suggesting another report name), else the defaults overridden by the
/// flags. Validates the result.
result<report_definition> resolve_definition(const definition_flags& flags, const report_record* stored);

/// Whether a stored period is final on `today`: it ends on or before the
/// first day of the previous month and was not Estimated. Pure.
bool is_final(const stored_period& p, calendar_date today) noexcept;

/// One chunk of a plan: one request sequence over [start, end).
struct sync_chunk {
  calendar_date start;
  calendar_date end;
  std::uint64_t periods = 0;       ///< periods in [start, end)
  std::uint64_t new_periods = 0;   ///< of which never stored
  std::uint64_t expected_requests = 0;
  bool from_history = false;       ///< the estimate uses an earlier run's pages
};

/// What a run will do, printed before its first request.
struct sync_plan {
  std::string report;
  report_definition definition;
  std::string definition_json;
  bool new_report = false;
  std::uint64_t stored_periods = 0;  ///< periods stored before the run
  std::vector<sync_chunk> chunks;    ///< in date order

  std::uint64_t periods() const noexcept;
  std::uint64_t expected_requests() const noexcept;
  /// The plan as lines for stderr: each chunk, then the totals and the USD.
  std::string describe() const;
};

/// What to plan from. `stored` is every stored period of the report.
/// `start` / `end`: the requested range (unset: what is stored / today).
/// `fresh_since`: a timestamp; stored periods fetched at or after it count
/// as fresh (fetched by a sync that ran while this one waited for the
/// lock). Errors: errc::invalid_argument for a first run without a start,
/// an end not after the start, a start after today.
result<sync_plan> plan_sync(std::string report, const report_definition& def, bool new_report,
                            const std::vector<stored_period>& stored, std::optional<calendar_date> start,
                            std::optional<calendar_date> end, calendar_date today, bool refresh_final,
                            std::string_view fresh_since);

/// Options of run_sync.
struct sync_options {
  std::string report = "default";
  definition_flags definition;
  std::optional<calendar_date> start;  ///< --start (or the start of --last / --month)
  std::optional<calendar_date> end;    ///< --end (exclusive); unset: today
  calendar_date today;                 ///< UTC "today"; the caller injects it
  bool refresh_final = false;
  bool dry_run = false;                ///< plan only: no Cost Explorer request, no write
  std::uint64_t max_requests = 0;      ///< billable requests at most (0: no cap)
  /// The caller's account (STS GetCallerIdentity); unset: not checked, and
  /// a new report records "". Free; called before the plan.
  std::function<result<std::string>()> payer;
  /// "Now" as YYYY-MM-DDTHH:MM:SSZ; unset: the system clock.
  std::function<std::string()> now;
  /// Wait for another sync of the report (true) or fail at once.
  bool wait_for_lock = true;
};

/// Calls made during a run (each may be unset).
struct sync_hooks {
  /// After the lock is taken, before the plan is made.
  std::function<void()> on_locked;
  /// With the plan, before the first Cost Explorer request.
  std::function<void(const sync_plan&)> on_plan;
  /// After page `page` (0-based) of chunk `chunk` arrived (not yet stored).
  std::function<void(std::size_t chunk, std::uint64_t page)> on_page;
  /// After chunk `chunk` was committed.
  std::function<void(std::size_t chunk, const write_counts&)> on_chunk_committed;
};

/// What a run did.
struct sync_outcome {
  sync_plan plan;
  run_status status = run_status::ok;
  std::uint64_t billable_requests = 0;  ///< Cost Explorer requests billed during the run
  write_counts counts;
  std::size_t chunks_done = 0;
  std::size_t chunks_left = 0;
  bool budget_exhausted = false;
  /// The error that stopped the run after it began (a page that failed, a
  /// database error); committed chunks stay. Unset when status is ok/partial.
  std::optional<error> failure;
  /// "sync default: 4 billable requests (USD 0.04); rows: 120 inserted, 3 updated, 1 deleted; 0 chunks left".
  std::string summary() const;
};

/// Runs a sync of `options.report` into `db` through `explorer` (its
/// cost_explorer_options::today should be options.today).
///
/// Order, so that a bad input costs nothing: lock, report read, definition
/// resolved, payer checked, plan made and handed to on_plan; then (not in
/// a dry run) the report created and the run's sync_runs row written before
/// the first Cost Explorer request.
///
/// Errors returned (nothing billable was sent): errc::invalid_argument for
/// contradicting flags, a first run without a start, a payer mismatch
/// (naming both accounts); the store's errors (lock, reads, the first
/// writes); the payer callback's. Once requests began, failures are in
/// sync_outcome::failure (status failed), committed chunks kept.
result<sync_outcome> run_sync(cost_store& db, ce::cost_explorer& explorer, const sync_options& options,
                              const sync_hooks& hooks = {});

/// The current UTC time as YYYY-MM-DDTHH:MM:SSZ. Reads the clock.
std::string utc_timestamp_now();

}  // namespace store
}  // namespace v0
}  // namespace finops_crawler

#if FINOPS_CRAWLER_HEADER_ONLY
#include "finops_crawler/store/sync-inl.hpp"
#endif

#endif  // FINOPS_CRAWLER_STORE_SYNC_HPP
