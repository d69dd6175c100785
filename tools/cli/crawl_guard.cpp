// Bodies of crawl_guard.hpp.
#include "crawl_guard.hpp"

#include <CLI/CLI.hpp>

#include <ostream>

#include "progress.hpp"
#include "response_cache.hpp"

namespace finops_crawler {
inline namespace v0 {
namespace cli {

namespace {

// Upper bound of both caps: far above any real report, small enough that
// cents never overflow.
constexpr std::uint64_t max_cap_requests = 100000000;

const char* period_unit(ce::granularity g) {
  switch (g) {
    case ce::granularity::monthly: return "months";
    case ce::granularity::hourly: return "hours";
    case ce::granularity::daily: break;
  }
  return "days";
}

// "0.50" / "3" / "12.5" -> cents; nullopt for anything else (no sign, no
// exponent, at most two decimals: the API is priced in whole cents).
std::optional<std::uint64_t> parse_usd_cents(const std::string& s) {
  const auto dot = s.find('.');
  const std::string whole = s.substr(0, dot);
  const std::string frac = dot == std::string::npos ? std::string() : s.substr(dot + 1);
  if (whole.empty() && frac.empty()) return std::nullopt;
  if (whole.size() > 9 || frac.size() > 2 || (dot != std::string::npos && frac.empty())) return std::nullopt;
  if (whole.find_first_not_of("0123456789") != std::string::npos) return std::nullopt;
  if (frac.find_first_not_of("0123456789") != std::string::npos) return std::nullopt;
  std::uint64_t cents = whole.empty() ? 0 : std::stoull(whole) * 100;
  if (!frac.empty()) cents += std::stoull(frac) * (frac.size() == 1 ? 10 : 1);
  return cents;
}

}  // namespace

void add_guard_flags(CLI::App* cmd, guard_flags& f) {
  cmd->add_option("--max-requests", f.max_requests,
                  "refuse a crawl estimated above N billable requests, and stop one that reaches N "
                  "(exit 6, complete records only); 1..100000000")
      ->type_name("N");
  cmd->add_option("--max-cost", f.max_cost,
                  "the same cap in US dollars (USD 0.01 per request), e.g. 0.50")
      ->type_name("USD");
  cmd->add_flag("--dry-run", f.dry_run, "print the estimated billable requests and cost; send nothing");
}

crawl_estimate estimate_crawl(ce::request_shape shape, response_cache* cache, std::string_view history_key) {
  crawl_estimate e;
  const std::uint64_t periods = ce::period_count(shape.start, shape.end, shape.granularity);
  std::optional<std::pair<std::uint64_t, std::uint64_t>> known;
  if (cache != nullptr && !history_key.empty()) known = cache->load_history(std::string(history_key));
  if (known) {
    shape.known_pages = known->first;
    shape.known_periods = known->second;
    e.basis = "from an earlier run: " + std::to_string(known->first) + (known->first == 1 ? " page for " : " pages for ") +
              std::to_string(known->second) + " " + period_unit(shape.granularity);
  } else {
    e.basis = "from the period: " + std::to_string(periods) + " " + period_unit(shape.granularity) + ", " +
              std::to_string(shape.group_by_count) + (shape.group_by_count == 1 ? " group-by" : " group-bys");
  }
  e.requests = ce::estimate_requests(shape);
  return e;
}

crawl_estimate operator+(crawl_estimate a, const crawl_estimate& b) {
  a.requests += b.requests;
  if (a.basis.empty()) a.basis = b.basis;
  else if (!b.basis.empty() && b.basis != a.basis) a.basis += "; " + b.basis;
  return a;
}

void record_history(response_cache* cache, std::string_view history_key, std::uint64_t pages, std::uint64_t periods) {
  if (cache == nullptr || history_key.empty() || pages == 0 || periods == 0) return;
  (void)cache->store_history(std::string(history_key), pages, periods);
}

std::string history_key(std::string_view operation, std::string_view normalized_body) {
  return response_cache::key(std::string("history ").append(operation), {}, normalized_body);
}

result<crawl_guard> crawl_guard::from_flags(const guard_flags& f) {
  crawl_guard g;
  g.dry_run_ = f.dry_run;
  if (!f.max_requests.empty()) {
    const std::string& s = f.max_requests;
    const bool digits = s.size() <= 9 && s.find_first_not_of("0123456789") == std::string::npos;
    const std::uint64_t n = digits ? std::stoull(s) : 0;
    if (!digits || n == 0 || n > max_cap_requests)
      return error(errc::invalid_argument,
                   "--max-requests " + s + ": use a number of billable requests from 1 to 100000000");
    g.cap_ = n;
    g.cap_flag_ = "--max-requests " + s;
  }
  if (!f.max_cost.empty()) {
    auto cents = parse_usd_cents(f.max_cost);
    if (!cents || *cents == 0 || *cents > max_cap_requests)
      return error(errc::invalid_argument, "--max-cost " + f.max_cost +
                                               ": use US dollars from 0.01 to 1000000, at most two decimals "
                                               "(e.g. 0.50)");
    // One request costs one cent (ce::usd_for_requests).
    if (g.cap_ == 0 || *cents < g.cap_) {
      g.cap_ = *cents;
      g.cap_flag_ = "--max-cost " + f.max_cost;
    }
  }
  g.budget_ = ce::request_budget(g.cap_);
  return g;
}

std::optional<exit_code> crawl_guard::check(const crawl_estimate& e, std::ostream& err, bool verbose) {
  const std::string line = "finops-crawler: estimate: " + std::to_string(e.requests) +
                           (e.requests == 1 ? " billable request (" : " billable requests (") + usd_text(e.requests) +
                           ")" + (e.basis.empty() ? std::string() : ", " + e.basis);
  if (dry_run_ || cap_ != 0 || verbose) err << line << "\n";
  if (cap_ != 0 && e.requests > cap_) {
    err << "finops-crawler: refused: the crawl would cost about " << usd_text(e.requests) << " (" << e.requests
        << " billable requests), above " << cap_flag_ << " (" << usd_text(cap_) << "); nothing was sent. Raise "
        << (cap_flag_.compare(0, 10, "--max-cost") == 0 ? "--max-cost to " + ce::usd_for_requests(e.requests)
                                                          : "--max-requests to " + std::to_string(e.requests))
        << " or more to allow it, or narrow the period or the group-bys\n";
    return exit_code::usage;
  }
  if (dry_run_) {
    err << "finops-crawler: dry run: nothing sent to Cost Explorer\n";
    return exit_code::ok;
  }
  return std::nullopt;
}

void crawl_guard::not_billed(std::uint64_t pages) {
  if (pages == 0) return;
  given_back_ += pages;
  if (cap_ == 0) return;
  // request_budget has no refund: a budget whose cap is raised by what was
  // given back, charged what was spent, is the same cap on billed requests.
  // The crawl holds a pointer to budget_, so it is replaced in place.
  const std::uint64_t spent = budget_.spent();
  budget_ = ce::request_budget(cap_ + given_back_);
  budget_.charge(spent);
}

std::string crawl_guard::stop_message(std::string_view resume_hint) const {
  const std::uint64_t n = spent();
  return "finops-crawler: stopped at " + cap_flag_ + ": " + std::to_string(n) +
         (n == 1 ? " billable request (" : " billable requests (") + usd_text(n) +
         ") spent; the output is incomplete and ends with the last complete record" + std::string(resume_hint);
}

}  // namespace cli
}  // namespace v0
}  // namespace finops_crawler
