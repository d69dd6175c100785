#ifndef FINOPS_CRAWLER_SIM_SYNTHETIC_DATA_HPP
#define FINOPS_CRAWLER_SIM_SYNTHETIC_DATA_HPP
/// \file
/// Deterministic synthetic Cost Explorer data for the simulator, with no HTTP
/// and no JSON: the generator (one exact decimal amount per line item and
/// metric, derived from a seed by hashing) and the aggregation that
/// GetCostAndUsage performs (periods, group-by, filters). Tests use it to
/// compute the ground truth independently of the server.
///
/// Model: a line item is (day, account, service, usage type, resource). Each
/// usage type has a fixed region, record type (Usage, Credit, Tax) and usage
/// unit; each (account, service, usage type) has 1..N resources (or one
/// "NoResourceId" line for usage types without resources); each line exists
/// on a day or not, by hash. Amounts have 2 to 10 fractional digits; Credit
/// lines are negative. Sums are exact (`fixed10`, integers scaled by 10^10).
///
/// Everything here is pure and thread-safe on const objects.

#include <algorithm>
#include <array>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "finops_crawler/result.hpp"

namespace finops_crawler {
inline namespace v0 {
namespace sim {

// ---------------------------------------------------------------------------
// Exact decimals
// ---------------------------------------------------------------------------

/// 128-bit integer; `__extension__` keeps -Wpedantic quiet (GCC and Clang).
__extension__ typedef __int128 int128;

/// An exact decimal with at most 10 fractional digits, stored as an integer
/// scaled by 10^10 (128 bits: no realistic sum can overflow). Used for every
/// amount the simulator serves, so sums are exact. Trivially copyable.
class fixed10 {
 public:
  /// 10^10.
  static constexpr std::int64_t scale = 10000000000LL;

  constexpr fixed10() noexcept = default;
  /// The decimal `scaled / 10^10`.
  static constexpr fixed10 from_scaled(int128 scaled) noexcept {
    fixed10 f;
    f.v_ = scaled;
    return f;
  }
  /// The scaled integer.
  constexpr int128 scaled() const noexcept { return v_; }
  constexpr bool is_zero() const noexcept { return v_ == 0; }

  /// Parses "-12.3456", "0", "7." is refused; at most 10 fractional digits,
  /// at most 24 integer digits, optional leading '-'. Returns false on any
  /// other input (out unchanged). Cost: O(length).
  static bool parse(std::string_view s, fixed10& out) noexcept;

  /// Shortest exact form: no exponent, no trailing fractional zeros, "0" for
  /// zero (never "-0"). Cost: O(digits).
  std::string to_string() const;

  constexpr fixed10& operator+=(fixed10 o) noexcept {
    v_ += o.v_;
    return *this;
  }
  friend constexpr fixed10 operator+(fixed10 a, fixed10 b) noexcept { return a += b; }
  friend constexpr fixed10 operator-(fixed10 a) noexcept { return from_scaled(-a.v_); }
  friend constexpr bool operator==(fixed10 a, fixed10 b) noexcept { return a.v_ == b.v_; }
  friend constexpr bool operator!=(fixed10 a, fixed10 b) noexcept { return a.v_ != b.v_; }
  friend constexpr bool operator<(fixed10 a, fixed10 b) noexcept { return a.v_ < b.v_; }

 private:
  int128 v_ = 0;
};

// ---------------------------------------------------------------------------
// Dates (days since 1970-01-01, proleptic Gregorian, UTC)
//
// A second implementation of calendar_date.hpp's arithmetic, on purpose: the
// simulator is the oracle the library's requests, pagination and CLI periods
// are tested against, so it does not share their date code.
// ---------------------------------------------------------------------------

/// Day number of a civil date. Pure.
constexpr std::int64_t days_from_civil(std::int64_t y, unsigned m, unsigned d) noexcept;
/// Civil date of a day number. Pure.
constexpr void civil_from_days(std::int64_t z, std::int64_t& y, unsigned& m, unsigned& d) noexcept;
/// Strict "YYYY-MM-DD" (valid calendar date, years 1000..9999) → day number.
/// Returns false on anything else. Pure.
inline bool parse_date(std::string_view s, std::int64_t& day) noexcept;
/// "YYYY-MM-DD" of a day number. Pure.
inline std::string format_date(std::int64_t day);
/// The first day of the month containing `day`, and of the next month.
inline std::int64_t month_start(std::int64_t day) noexcept;
inline std::int64_t next_month_start(std::int64_t day) noexcept;
/// Today (UTC) as a day number; reads the system clock.
inline std::int64_t today_utc() noexcept;

// ---------------------------------------------------------------------------
// Hashing (the only source of "randomness")
// ---------------------------------------------------------------------------

/// splitmix64 finalizer: a bijective 64-bit mix. Pure.
constexpr std::uint64_t mix64(std::uint64_t x) noexcept {
  x += 0x9e3779b97f4a7c15ULL;
  x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
  x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
  return x ^ (x >> 31);
}
/// Folds a string into a running hash (FNV-1a bytes, then mix64). Pure.
constexpr std::uint64_t hash_in(std::uint64_t h, std::string_view s) noexcept {
  std::uint64_t f = 0xcbf29ce484222325ULL;
  for (char c : s) f = (f ^ static_cast<unsigned char>(c)) * 0x100000001b3ULL;
  f ^= s.size();
  return mix64(h ^ mix64(f));
}
/// Folds an integer into a running hash. Pure.
constexpr std::uint64_t hash_in(std::uint64_t h, std::uint64_t v) noexcept { return mix64(h ^ mix64(v + 0x51ed27ULL)); }

// ---------------------------------------------------------------------------
// Catalog
// ---------------------------------------------------------------------------

/// The metrics of GetCostAndUsage, in the order of `metric_names`.
enum class metric : std::uint8_t {
  amortized_cost,
  blended_cost,
  net_amortized_cost,
  net_unblended_cost,
  normalized_usage_amount,
  unblended_cost,
  usage_quantity,
};
/// The CamelCase wire names (GetCostAndUsage `Metrics`).
inline constexpr std::array<std::string_view, 7> metric_names = {
    "AmortizedCost", "BlendedCost", "NetAmortizedCost", "NetUnblendedCost",
    "NormalizedUsageAmount", "UnblendedCost", "UsageQuantity"};
/// The UPPER_SNAKE names (GetCostForecast `Metric`; GetCostAndUsage accepts both).
inline constexpr std::array<std::string_view, 7> metric_snake_names = {
    "AMORTIZED_COST", "BLENDED_COST", "NET_AMORTIZED_COST", "NET_UNBLENDED_COST",
    "NORMALIZED_USAGE_AMOUNT", "UNBLENDED_COST", "USAGE_QUANTITY"};
/// Parses either spelling (exact case). Pure.
inline bool parse_metric(std::string_view s, metric& out) noexcept;
/// True for the five cost metrics (unit "USD").
constexpr bool is_cost_metric(metric m) noexcept {
  return m != metric::usage_quantity && m != metric::normalized_usage_amount;
}

/// Dimensions the simulator can group, filter and list by.
enum class dimension : std::uint8_t { service, usage_type, linked_account, record_type, region, resource_id };
/// Wire names of `dimension`, in order.
inline constexpr std::array<std::string_view, 6> dimension_names = {
    "SERVICE", "USAGE_TYPE", "LINKED_ACCOUNT", "RECORD_TYPE", "REGION", "RESOURCE_ID"};
/// Parses a wire name. Pure.
inline bool parse_dimension(std::string_view s, dimension& out) noexcept;

/// Tag keys every resource carries, and their values ("" = untagged).
inline constexpr std::array<std::string_view, 2> tag_keys = {"Environment", "Team"};
inline constexpr std::array<std::string_view, 4> environment_values = {"prod", "staging", "dev", ""};
inline constexpr std::array<std::string_view, 4> team_values = {"platform", "data", "web", ""};
/// The one cost category of the simulated organization: each account
/// belongs to one business unit (a cost category maps accounts by rules).
inline constexpr std::string_view cost_category_name = "BusinessUnit";
inline constexpr std::array<std::string_view, 3> business_unit_values = {"Platform", "Data", "Web"};

/// One usage type of a service. Plain data.
struct usage_type_def {
  std::string name;          ///< e.g. "USE1-BoxUsage:m5.large"
  std::string region;        ///< REGION dimension, e.g. "us-east-1" or "global"
  std::string record_type;   ///< "Usage", "Credit" or "Tax"
  std::string unit;          ///< UsageQuantity unit, e.g. "Hrs", "GB-Mo", "Requests"
  int max_resources = 0;     ///< 0: one line with RESOURCE_ID "NoResourceId"
  std::int64_t max_cost = 10;       ///< whole USD, upper bound of one line's cost
  std::int64_t max_quantity = 24;   ///< upper bound of one line's usage quantity
};

/// One service (SERVICE dimension value) and its usage types. Plain data.
struct service_def {
  std::string name;             ///< e.g. "AWS Lambda"
  std::string resource_prefix;  ///< e.g. "i-"; "{account}" is replaced by the account id
  std::vector<usage_type_def> usage_types;
};

/// One member account. Plain data.
struct account_def {
  std::string id;     ///< 12 digits (may start with 0, like real ones)
  std::string name;   ///< LINKED_ACCOUNT description, Organizations Name
  std::string email;
};

/// The default service catalog (7 services, 15 usage types, incl. Tax and a
/// Credit line). Allocates.
inline std::vector<service_def> default_services();

/// `count` accounts with distinct 12-digit ids derived from `seed`; the first
/// is named "management". Allocates.
inline std::vector<account_def> generate_accounts(std::uint64_t seed, int count);

/// How to build a data set.
struct data_options {
  std::uint64_t seed = 1;
  /// Used when `accounts` is empty.
  int account_count = 3;
  /// Explicit accounts; empty = generate_accounts(seed, account_count).
  std::vector<account_def> accounts;
  /// Explicit catalog; empty = default_services().
  std::vector<service_def> services;
  /// First day of data, "YYYY-MM-DD"; empty = today (UTC) - days + 1, so the
  /// window ends today like the real service.
  std::string start_date;
  /// "Today" for an empty start_date, "YYYY-MM-DD"; empty = the system
  /// clock's UTC date (tests move time on by raising it).
  std::string today;
  /// Number of days of data (1..3660).
  int days = 30;
  /// Chance (0..100) that a line exists on a given day.
  int presence_percent = 85;
  /// Revision of the recent data: 0 = none. Any other value redraws which
  /// lines exist and their amounts on the days from the first day of the
  /// month before "today" (the window's last day) onwards, the days Cost
  /// Explorer may still revise: amounts change and groups vanish or
  /// appear, deterministically from (seed, revision). Older days keep the
  /// revision-0 data, so a sync test can move time on and revise.
  std::uint64_t revision = 0;
};

/// A built data set: the catalog plus the data window. Immutable after
/// construction; safe to share between threads. Copyable.
class data_set {
 public:
  /// Validates the options (dates, sizes, 12-digit unique ids, non-empty
  /// names). Errors: errc::invalid_argument with the offending field.
  static result<data_set> make(data_options opts);

  std::uint64_t seed() const noexcept { return seed_; }
  const std::vector<account_def>& accounts() const noexcept { return accounts_; }
  const std::vector<service_def>& services() const noexcept { return services_; }
  /// First day with data, and one past the last (day numbers).
  std::int64_t first_day() const noexcept { return first_day_; }
  std::int64_t end_day() const noexcept { return end_day_; }
  int presence_percent() const noexcept { return presence_; }
  /// The revision (data_options::revision) and the first day it applies to.
  std::uint64_t revision() const noexcept { return revision_; }
  std::int64_t revision_first_day() const noexcept { return revision_first_; }
  /// The seed that draws the lines and amounts of `day`: seed() before the
  /// revised days (or without a revision), else a hash of seed and revision.
  /// Resource ids and tags always use seed(). Pure.
  std::uint64_t value_seed(std::int64_t day) const noexcept {
    return revision_ == 0 || day < revision_first_ ? seed_ : hash_in(mix64(seed_), revision_);
  }
  /// Index of an account id, or -1.
  int account_index(std::string_view id) const noexcept;

 private:
  data_set() = default;
  std::uint64_t seed_ = 0;
  std::vector<account_def> accounts_;
  std::vector<service_def> services_;
  std::int64_t first_day_ = 0;
  std::int64_t end_day_ = 0;
  int presence_ = 85;
  std::uint64_t revision_ = 0;
  std::int64_t revision_first_ = 0;
};

// ---------------------------------------------------------------------------
// Generator
// ---------------------------------------------------------------------------

/// How many resources (account, service, usage type) has: 1..max_resources,
/// or 1 pseudo-resource when max_resources is 0. Pure.
inline int resource_count(std::uint64_t seed, const account_def& a, const service_def& s, const usage_type_def& u) noexcept;
/// The RESOURCE_ID of resource `r` ("NoResourceId" when max_resources is 0).
inline std::string resource_id(std::uint64_t seed, const account_def& a, const service_def& s, const usage_type_def& u, int r);
/// The value of tag `key` on resource `r` ("" = untagged; always "" without resources).
inline std::string_view tag_value(std::uint64_t seed, const account_def& a, const service_def& s, const usage_type_def& u,
                                  int r, std::string_view key) noexcept;
/// The BusinessUnit cost category value of account `a`. Pure.
inline std::string_view cost_category_value(std::uint64_t seed, const account_def& a) noexcept;
/// Whether (date, account, service, usage type) has a line item that day.
/// Whole accounts also skip some services entirely. Pure.
inline bool has_usage(std::uint64_t seed, int presence_percent, std::string_view date, const account_def& a,
                      const service_def& s, const usage_type_def& u) noexcept;
/// The exact amount of metric `m` for resource `r` on `date` (whether or not
/// the line exists: callers check has_usage). Pure.
inline fixed10 resource_amount(std::uint64_t seed, std::string_view date, const account_def& a, const service_def& s,
                               const usage_type_def& u, int r, metric m) noexcept;
/// The exact amount string of metric `m` for (seed, date, account, service,
/// usage type): the sum over its resources, "0" when there is no line that
/// day. This is the ground truth of one cell. Pure.
inline std::string amount(std::uint64_t seed, int presence_percent, std::string_view date, const account_def& a,
                          const service_def& s, const usage_type_def& u, metric m);

// ---------------------------------------------------------------------------
// Aggregation (GetCostAndUsage semantics)
// ---------------------------------------------------------------------------

/// One line item, by indices into a data_set. Trivially copyable.
struct line {
  std::int64_t day = 0;
  std::size_t account = 0;
  std::size_t service = 0;
  std::size_t usage = 0;
  int resource = 0;
};

/// A GroupBy entry: a dimension, a tag key or the cost category.
struct group_def {
  bool is_tag = false;
  dimension dim = dimension::service;
  std::string tag_key;  ///< when is_tag
  bool is_cost_category = false;  ///< grouped by cost_category_name
};

/// A filter expression (Dimensions, Tags, CostCategories, And, Or, Not).
/// Values match exactly (MatchOptions EQUALS); a Tags value "" matches
/// untagged lines.
struct expression {
  enum class kind : std::uint8_t { dimensions, tags, and_, or_, not_, cost_categories };
  kind k = kind::dimensions;
  dimension dim = dimension::service;
  std::string tag_key;
  std::vector<std::string> values;
  std::vector<expression> children;  ///< And/Or: 2+; Not: exactly 1
};

/// Granularity of result periods.
enum class granularity : std::uint8_t { daily, monthly };

/// What to aggregate.
struct query {
  std::int64_t start_day = 0;  ///< inclusive
  std::int64_t end_day = 0;    ///< exclusive, > start_day
  granularity gran = granularity::daily;
  std::vector<metric> metrics;
  std::vector<group_def> group_by;  ///< 0..2 entries
  std::optional<expression> filter;
};

/// One metric's aggregate: exact amount and unit.
struct metric_value {
  fixed10 amount;
  std::string unit;  ///< "USD"; for quantities the common unit, or "N/A" when mixed or empty
};

/// One group of one period: its keys (one per group_def, "Key$value" for
/// tags) and the metrics in query order.
struct group_result {
  std::vector<std::string> keys;
  std::vector<metric_value> metrics;
};

/// One period: [start_day, end_day), whether Estimated, groups sorted by keys
/// (when grouped) and the totals in query order (always computed; the server
/// sends them only without GroupBy).
struct period_result {
  std::int64_t start_day = 0;
  std::int64_t end_day = 0;
  bool estimated = false;
  std::vector<group_result> groups;
  std::vector<metric_value> total;
};

/// The dimension or tag value of a line for one GroupBy entry. Tags are
/// rendered as CE does, "Key$value" ("Key$" when untagged).
inline std::string group_value(const data_set& ds, const line& l, const group_def& g);
/// Whether a line matches a filter expression.
inline bool matches(const data_set& ds, const line& l, const expression& e);
/// Calls f(const line&) for every existing line with day in [begin, end),
/// clipped to the data window, in (day, account, service, usage, resource)
/// order. Cost: O(lines).
template <class F>
void for_each_line(const data_set& ds, std::int64_t begin, std::int64_t end, F&& f);
/// The periods of [start, end) at a granularity: whole days, or calendar
/// months clipped to the range.
inline std::vector<std::pair<std::int64_t, std::int64_t>> periods(std::int64_t start, std::int64_t end, granularity g);
/// Whether [start, end) overlaps the last two days of the data window
/// (CE marks the most recent, still changing, data Estimated).
inline bool is_estimated(const data_set& ds, std::int64_t start, std::int64_t end) noexcept;
/// The full answer to a query: every period, grouped and filtered, exact.
/// Cost: O(lines in range × metrics).
inline std::vector<period_result> ground_truth(const data_set& ds, const query& q);

// ===========================================================================
// Definitions
// ===========================================================================

inline bool fixed10::parse(std::string_view s, fixed10& out) noexcept {
  std::size_t i = 0;
  bool neg = false;
  if (i < s.size() && s[i] == '-') {
    neg = true;
    ++i;
  }
  int128 ip = 0;
  std::size_t int_digits = 0;
  while (i < s.size() && s[i] >= '0' && s[i] <= '9') {
    if (++int_digits > 24) return false;
    ip = ip * 10 + (s[i] - '0');
    ++i;
  }
  if (int_digits == 0) return false;
  int128 fp = 0;
  std::size_t frac_digits = 0;
  if (i < s.size() && s[i] == '.') {
    ++i;
    while (i < s.size() && s[i] >= '0' && s[i] <= '9') {
      if (++frac_digits > 10) return false;
      fp = fp * 10 + (s[i] - '0');
      ++i;
    }
    if (frac_digits == 0) return false;
  }
  if (i != s.size()) return false;
  for (std::size_t k = frac_digits; k < 10; ++k) fp *= 10;
  int128 v = ip * scale + fp;
  out.v_ = neg ? -v : v;
  return true;
}

inline std::string fixed10::to_string() const {
  if (v_ == 0) return "0";
  int128 a = v_ < 0 ? -v_ : v_;
  int128 ip = a / scale;
  auto fp = static_cast<std::int64_t>(a % scale);
  std::string digits;
  if (ip == 0) {
    digits = "0";
  } else {
    while (ip > 0) {
      digits.push_back(static_cast<char>('0' + static_cast<int>(ip % 10)));
      ip /= 10;
    }
    std::reverse(digits.begin(), digits.end());
  }
  std::string out;
  if (v_ < 0) out.push_back('-');
  out += digits;
  if (fp != 0) {
    char frac[11];
    for (int k = 9; k >= 0; --k) {
      frac[k] = static_cast<char>('0' + fp % 10);
      fp /= 10;
    }
    int len = 10;
    while (len > 0 && frac[len - 1] == '0') --len;
    out.push_back('.');
    out.append(frac, static_cast<std::size_t>(len));
  }
  return out;
}

constexpr std::int64_t days_from_civil(std::int64_t y, unsigned m, unsigned d) noexcept {
  // Shift the year to start in March so the leap day is last.
  y -= m <= 2 ? 1 : 0;
  const std::int64_t era = (y >= 0 ? y : y - 399) / 400;
  const auto yoe = static_cast<unsigned>(y - era * 400);
  const unsigned doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
  const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + static_cast<std::int64_t>(doe) - 719468;
}

constexpr void civil_from_days(std::int64_t z, std::int64_t& y, unsigned& m, unsigned& d) noexcept {
  z += 719468;
  const std::int64_t era = (z >= 0 ? z : z - 146096) / 146097;
  const auto doe = static_cast<unsigned>(z - era * 146097);
  const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const unsigned mp = (5 * doy + 2) / 153;
  d = doy - (153 * mp + 2) / 5 + 1;
  m = mp < 10 ? mp + 3 : mp - 9;
  y = static_cast<std::int64_t>(yoe) + era * 400 + (m <= 2 ? 1 : 0);
}

inline bool parse_date(std::string_view s, std::int64_t& day) noexcept {
  if (s.size() != 10 || s[4] != '-' || s[7] != '-') return false;
  auto num = [&](std::size_t pos, std::size_t len, unsigned& v) {
    v = 0;
    for (std::size_t i = pos; i < pos + len; ++i) {
      if (s[i] < '0' || s[i] > '9') return false;
      v = v * 10 + static_cast<unsigned>(s[i] - '0');
    }
    return true;
  };
  unsigned y = 0, m = 0, d = 0;
  if (!num(0, 4, y) || !num(5, 2, m) || !num(8, 2, d)) return false;
  if (y < 1000 || m < 1 || m > 12 || d < 1) return false;
  static constexpr unsigned mdays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  const bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
  const unsigned dim = mdays[m - 1] + (m == 2 && leap ? 1 : 0);
  if (d > dim) return false;
  day = days_from_civil(y, m, d);
  return true;
}

inline std::string format_date(std::int64_t day) {
  std::int64_t y = 0;
  unsigned m = 0, d = 0;
  civil_from_days(day, y, m, d);
  char buf[16] = {};
  buf[0] = static_cast<char>('0' + (y / 1000) % 10);
  buf[1] = static_cast<char>('0' + (y / 100) % 10);
  buf[2] = static_cast<char>('0' + (y / 10) % 10);
  buf[3] = static_cast<char>('0' + y % 10);
  buf[4] = '-';
  buf[5] = static_cast<char>('0' + m / 10);
  buf[6] = static_cast<char>('0' + m % 10);
  buf[7] = '-';
  buf[8] = static_cast<char>('0' + d / 10);
  buf[9] = static_cast<char>('0' + d % 10);
  return std::string(buf, 10);
}

inline std::int64_t month_start(std::int64_t day) noexcept {
  std::int64_t y = 0;
  unsigned m = 0, d = 0;
  civil_from_days(day, y, m, d);
  return days_from_civil(y, m, 1);
}

inline std::int64_t next_month_start(std::int64_t day) noexcept {
  std::int64_t y = 0;
  unsigned m = 0, d = 0;
  civil_from_days(day, y, m, d);
  return m == 12 ? days_from_civil(y + 1, 1, 1) : days_from_civil(y, m + 1, 1);
}

inline std::int64_t today_utc() noexcept {
  const auto secs = std::chrono::duration_cast<std::chrono::seconds>(
                        std::chrono::system_clock::now().time_since_epoch())
                        .count();
  return secs >= 0 ? secs / 86400 : (secs - 86399) / 86400;
}

inline bool parse_metric(std::string_view s, metric& out) noexcept {
  for (std::size_t i = 0; i < metric_names.size(); ++i) {
    if (s == metric_names[i] || s == metric_snake_names[i]) {
      out = static_cast<metric>(i);
      return true;
    }
  }
  return false;
}

inline bool parse_dimension(std::string_view s, dimension& out) noexcept {
  for (std::size_t i = 0; i < dimension_names.size(); ++i) {
    if (s == dimension_names[i]) {
      out = static_cast<dimension>(i);
      return true;
    }
  }
  return false;
}

inline std::vector<service_def> default_services() {
  // Names are the SERVICE values Cost Explorer really reports.
  return {
      {"Amazon Elastic Compute Cloud - Compute",
       "i-0",
       {{"USE1-BoxUsage:m5.large", "us-east-1", "Usage", "Hrs", 3, 3, 24},
        {"EUW1-BoxUsage:t3.micro", "eu-west-1", "Usage", "Hrs", 2, 1, 24},
        {"USE1-EBS:VolumeUsage.gp3", "us-east-1", "Usage", "GB-Mo", 2, 2, 50},
        {"USE1-PromotionalCredit", "us-east-1", "Credit", "N/A", 0, 4, 0}}},
      {"Amazon Simple Storage Service",
       "sim-bucket-",
       {{"USE1-TimedStorage-ByteHrs", "us-east-1", "Usage", "GB-Mo", 2, 5, 900},
        {"USE1-Requests-Tier1", "us-east-1", "Usage", "Requests", 2, 1, 100000}}},
      {"AWS Lambda",
       "arn:aws:lambda:us-east-1:{account}:function:sim-fn-",
       {{"USE1-Lambda-GB-Second", "us-east-1", "Usage", "Lambda-GB-Second", 3, 2, 400000},
        {"USE1-Request", "us-east-1", "Usage", "Requests", 3, 1, 1000000}}},
      {"Amazon Relational Database Service",
       "arn:aws:rds:eu-west-1:{account}:db:sim-db-",
       {{"EUW1-InstanceUsage:db.t3.medium", "eu-west-1", "Usage", "Hrs", 1, 2, 24},
        {"EUW1-RDS:GP2-Storage", "eu-west-1", "Usage", "GB-Mo", 1, 1, 100}}},
      {"AmazonCloudWatch",
       "",
       {{"USE1-CW:MetricMonitorUsage", "us-east-1", "Usage", "Metrics", 0, 1, 200},
        {"USE1-DataProcessing-Bytes", "us-east-1", "Usage", "GB", 0, 1, 30}}},
      {"AWS Cost Explorer", "", {{"USE1-APIRequest", "us-east-1", "Usage", "Requests", 0, 1, 300}}},
      {"Tax", "", {{"Tax:USE1", "global", "Tax", "N/A", 0, 2, 0}}},
  };
}

inline std::vector<account_def> generate_accounts(std::uint64_t seed, int count) {
  std::vector<account_def> out;
  if (count <= 0) return out;
  out.reserve(static_cast<std::size_t>(count));
  std::uint64_t h = hash_in(mix64(seed), std::string_view("accounts"));
  // Bounded: each attempt yields a fresh id; collisions among 10^12 ids are
  // vanishingly rare, and 16 tries per account bound the loop anyway.
  for (int i = 0; i < count; ++i) {
    std::string id;
    for (int attempt = 0; attempt < 16; ++attempt) {
      h = mix64(h);
      std::string candidate(12, '0');
      std::uint64_t v = h % 1000000000000ULL;
      for (int k = 11; k >= 0; --k) {
        candidate[static_cast<std::size_t>(k)] = static_cast<char>('0' + v % 10);
        v /= 10;
      }
      bool dup = false;
      for (const auto& a : out) dup = dup || a.id == candidate;
      if (!dup) {
        id = candidate;
        break;
      }
    }
    std::string num = std::to_string(i);
    if (num.size() < 2) num.insert(0, "0");
    account_def a;
    a.id = id;
    a.name = i == 0 ? "management" : "sim-member-" + num;
    a.email = "aws+sim-" + num + "@example.com";
    out.push_back(std::move(a));
  }
  return out;
}

inline result<data_set> data_set::make(data_options opts) {
  data_set ds;
  ds.seed_ = opts.seed;
  if (opts.days < 1 || opts.days > 3660) return error(errc::invalid_argument, "days must be between 1 and 3660");
  if (opts.presence_percent < 0 || opts.presence_percent > 100)
    return error(errc::invalid_argument, "presence_percent must be between 0 and 100");
  ds.presence_ = opts.presence_percent;
  if (opts.accounts.empty()) {
    if (opts.account_count < 1 || opts.account_count > 10000)
      return error(errc::invalid_argument, "account_count must be between 1 and 10000");
    opts.accounts = generate_accounts(opts.seed, opts.account_count);
  }
  for (std::size_t i = 0; i < opts.accounts.size(); ++i) {
    const auto& a = opts.accounts[i];
    bool digits = a.id.size() == 12 && std::all_of(a.id.begin(), a.id.end(), [](char c) { return c >= '0' && c <= '9'; });
    if (!digits) return error(errc::invalid_argument, "account id '" + a.id + "' is not 12 digits");
    if (a.name.empty()) return error(errc::invalid_argument, "account " + a.id + " has an empty name");
    for (std::size_t j = 0; j < i; ++j)
      if (opts.accounts[j].id == a.id) return error(errc::invalid_argument, "account id " + a.id + " appears twice");
  }
  if (opts.services.empty()) opts.services = default_services();
  for (const auto& s : opts.services) {
    if (s.name.empty()) return error(errc::invalid_argument, "a service has an empty name");
    if (s.usage_types.empty()) return error(errc::invalid_argument, "service '" + s.name + "' has no usage types");
    for (const auto& u : s.usage_types) {
      if (u.name.empty() || u.region.empty() || u.record_type.empty() || u.unit.empty())
        return error(errc::invalid_argument, "service '" + s.name + "' has a usage type with an empty field");
      if (u.max_resources < 0 || u.max_resources > 100 || u.max_cost < 0 || u.max_cost > 1000000 ||
          u.max_quantity < 0 || u.max_quantity > 100000000)
        return error(errc::invalid_argument, "usage type '" + u.name + "' has an out-of-range size");
    }
  }
  if (opts.start_date.empty()) {
    std::int64_t today = today_utc();
    if (!opts.today.empty() && !parse_date(opts.today, today))
      return error(errc::invalid_argument, "today '" + opts.today + "' is not a YYYY-MM-DD date");
    ds.first_day_ = today - opts.days + 1;
  } else if (!parse_date(opts.start_date, ds.first_day_)) {
    return error(errc::invalid_argument, "start_date '" + opts.start_date + "' is not a YYYY-MM-DD date");
  }
  ds.end_day_ = ds.first_day_ + opts.days;
  ds.revision_ = opts.revision;
  ds.revision_first_ = month_start(month_start(ds.end_day_ - 1) - 1);
  ds.accounts_ = std::move(opts.accounts);
  ds.services_ = std::move(opts.services);
  return ds;
}

inline int data_set::account_index(std::string_view id) const noexcept {
  for (std::size_t i = 0; i < accounts_.size(); ++i)
    if (accounts_[i].id == id) return static_cast<int>(i);
  return -1;
}

namespace detail {
inline std::uint64_t line_hash(std::uint64_t seed, const account_def& a, const service_def& s,
                               const usage_type_def& u) noexcept {
  return hash_in(hash_in(hash_in(mix64(seed), a.id), s.name), u.name);
}
}  // namespace detail

inline int resource_count(std::uint64_t seed, const account_def& a, const service_def& s,
                          const usage_type_def& u) noexcept {
  if (u.max_resources <= 0) return 1;
  const std::uint64_t h = hash_in(detail::line_hash(seed, a, s, u), std::string_view("resources"));
  return 1 + static_cast<int>(h % static_cast<std::uint64_t>(u.max_resources));
}

inline std::string resource_id(std::uint64_t seed, const account_def& a, const service_def& s,
                               const usage_type_def& u, int r) {
  if (u.max_resources <= 0) return "NoResourceId";
  std::string prefix = s.resource_prefix;
  if (auto pos = prefix.find("{account}"); pos != std::string::npos) prefix.replace(pos, 9, a.id);
  std::uint64_t h = hash_in(hash_in(detail::line_hash(seed, a, s, u), std::string_view("rid")),
                            static_cast<std::uint64_t>(r));
  static constexpr char hex[] = "0123456789abcdef";
  std::string tail(16, '0');
  for (int k = 15; k >= 0; --k) {
    tail[static_cast<std::size_t>(k)] = hex[h & 15];
    h >>= 4;
  }
  return prefix + tail;
}

inline std::string_view tag_value(std::uint64_t seed, const account_def& a, const service_def& s,
                                  const usage_type_def& u, int r, std::string_view key) noexcept {
  if (u.max_resources <= 0) return {};
  const std::uint64_t h = hash_in(hash_in(hash_in(detail::line_hash(seed, a, s, u), std::string_view("tag")), key),
                                  static_cast<std::uint64_t>(r));
  if (key == tag_keys[0]) return environment_values[h % environment_values.size()];
  if (key == tag_keys[1]) return team_values[h % team_values.size()];
  return {};
}

inline std::string_view cost_category_value(std::uint64_t seed, const account_def& a) noexcept {
  return business_unit_values[hash_in(hash_in(mix64(seed), a.id), std::string_view("business-unit")) %
                              business_unit_values.size()];
}

inline bool has_usage(std::uint64_t seed, int presence_percent, std::string_view date, const account_def& a,
                      const service_def& s, const usage_type_def& u) noexcept {
  // About one account in six does not use a given service at all.
  const std::uint64_t hs = hash_in(hash_in(hash_in(mix64(seed), a.id), s.name), std::string_view("uses"));
  if (hs % 6 == 0) return false;
  const std::uint64_t hd = hash_in(hash_in(detail::line_hash(seed, a, s, u), std::string_view("present")), date);
  return static_cast<int>(hd % 100) < presence_percent;
}

inline fixed10 resource_amount(std::uint64_t seed, std::string_view date, const account_def& a, const service_def& s,
                               const usage_type_def& u, int r, metric m) noexcept {
  const bool cost = is_cost_metric(m);
  if (!cost) {
    if (u.record_type != "Usage") return {};
    if (m == metric::normalized_usage_amount && u.unit != "Hrs") return {};
  }
  std::uint64_t h = hash_in(hash_in(hash_in(detail::line_hash(seed, a, s, u), date), static_cast<std::uint64_t>(r)),
                            static_cast<std::uint64_t>(m));
  std::int64_t bound = cost ? u.max_cost : u.max_quantity;
  if (m == metric::normalized_usage_amount) bound *= 4;  // normalization factors go up to 4x (m5.large)
  if (bound <= 0) bound = 1;
  // A value in (0, bound] with 2..10 fractional digits.
  const auto range = static_cast<std::uint64_t>(bound) * static_cast<std::uint64_t>(fixed10::scale);
  std::int64_t v = static_cast<std::int64_t>(h % range);
  const int digits = 2 + static_cast<int>((h >> 52) % 9);
  std::int64_t unit = 1;
  for (int k = digits; k < 10; ++k) unit *= 10;
  v -= v % unit;
  if (v == 0) v = unit;
  if (cost && u.record_type == "Credit") v = -v;
  return fixed10::from_scaled(v);
}

inline std::string amount(std::uint64_t seed, int presence_percent, std::string_view date, const account_def& a,
                          const service_def& s, const usage_type_def& u, metric m) {
  if (!has_usage(seed, presence_percent, date, a, s, u)) return "0";
  fixed10 sum;
  const int n = resource_count(seed, a, s, u);
  for (int r = 0; r < n; ++r) sum += resource_amount(seed, date, a, s, u, r, m);
  return sum.to_string();
}

inline std::string group_value(const data_set& ds, const line& l, const group_def& g) {
  const auto& a = ds.accounts()[l.account];
  const auto& s = ds.services()[l.service];
  const auto& u = s.usage_types[l.usage];
  if (g.is_tag) {
    std::string out = g.tag_key;
    out += '$';
    out += tag_value(ds.seed(), a, s, u, l.resource, g.tag_key);
    return out;
  }
  if (g.is_cost_category) {
    std::string out(cost_category_name);
    out += '$';
    out += cost_category_value(ds.seed(), a);
    return out;
  }
  switch (g.dim) {
    case dimension::service: return s.name;
    case dimension::usage_type: return u.name;
    case dimension::linked_account: return a.id;
    case dimension::record_type: return u.record_type;
    case dimension::region: return u.region;
    case dimension::resource_id: return resource_id(ds.seed(), a, s, u, l.resource);
  }
  return {};
}

inline bool matches(const data_set& ds, const line& l, const expression& e) {
  switch (e.k) {
    case expression::kind::dimensions: {
      group_def g;
      g.dim = e.dim;
      const std::string v = group_value(ds, l, g);
      return std::find(e.values.begin(), e.values.end(), v) != e.values.end();
    }
    case expression::kind::tags: {
      const auto& a = ds.accounts()[l.account];
      const auto& s = ds.services()[l.service];
      const auto& u = s.usage_types[l.usage];
      const std::string_view v = tag_value(ds.seed(), a, s, u, l.resource, e.tag_key);
      return std::find(e.values.begin(), e.values.end(), v) != e.values.end();
    }
    case expression::kind::cost_categories: {
      const std::string_view v = cost_category_value(ds.seed(), ds.accounts()[l.account]);
      return std::find(e.values.begin(), e.values.end(), v) != e.values.end();
    }
    case expression::kind::and_:
      for (const auto& c : e.children)
        if (!matches(ds, l, c)) return false;
      return true;
    case expression::kind::or_:
      for (const auto& c : e.children)
        if (matches(ds, l, c)) return true;
      return false;
    case expression::kind::not_:
      return e.children.size() == 1 && !matches(ds, l, e.children[0]);
  }
  return false;
}

template <class F>
void for_each_line(const data_set& ds, std::int64_t begin, std::int64_t end, F&& f) {
  begin = std::max(begin, ds.first_day());
  end = std::min(end, ds.end_day());
  for (std::int64_t day = begin; day < end; ++day) {
    const std::string date = format_date(day);
    for (std::size_t ai = 0; ai < ds.accounts().size(); ++ai) {
      const auto& a = ds.accounts()[ai];
      for (std::size_t si = 0; si < ds.services().size(); ++si) {
        const auto& s = ds.services()[si];
        for (std::size_t ui = 0; ui < s.usage_types.size(); ++ui) {
          const auto& u = s.usage_types[ui];
          if (!has_usage(ds.value_seed(day), ds.presence_percent(), date, a, s, u)) continue;
          const int n = resource_count(ds.seed(), a, s, u);
          for (int r = 0; r < n; ++r) f(line{day, ai, si, ui, r});
        }
      }
    }
  }
}

inline std::vector<std::pair<std::int64_t, std::int64_t>> periods(std::int64_t start, std::int64_t end, granularity g) {
  std::vector<std::pair<std::int64_t, std::int64_t>> out;
  for (std::int64_t d = start; d < end;) {
    const std::int64_t next = g == granularity::daily ? d + 1 : std::min(next_month_start(d), end);
    out.emplace_back(d, next);
    d = next;
  }
  return out;
}

inline bool is_estimated(const data_set& ds, std::int64_t start, std::int64_t end) noexcept {
  const std::int64_t est_begin = ds.end_day() - 2;
  return start < ds.end_day() && end > est_begin;
}

namespace detail {
struct metric_acc {
  fixed10 amount;
  std::string unit;
  bool any = false;
  bool mixed = false;
};
inline void add_line(const data_set& ds, const line& l, const std::vector<metric>& ms, std::vector<metric_acc>& acc,
                     const std::string& date) {
  const auto& a = ds.accounts()[l.account];
  const auto& s = ds.services()[l.service];
  const auto& u = s.usage_types[l.usage];
  for (std::size_t i = 0; i < ms.size(); ++i) {
    acc[i].amount += resource_amount(ds.value_seed(l.day), date, a, s, u, l.resource, ms[i]);
    // Why: CE reports UsageQuantity in the unit of its lines, or "N/A" when
    // a total mixes units (hours with requests).
    if (ms[i] == metric::usage_quantity && u.record_type == "Usage") {
      if (!acc[i].any) {
        acc[i].unit = u.unit;
        acc[i].any = true;
      } else if (acc[i].unit != u.unit) {
        acc[i].mixed = true;
      }
    }
  }
}
inline std::vector<metric_value> finish(const std::vector<metric>& ms, const std::vector<metric_acc>& acc) {
  std::vector<metric_value> out(ms.size());
  for (std::size_t i = 0; i < ms.size(); ++i) {
    out[i].amount = acc[i].amount;
    if (is_cost_metric(ms[i])) out[i].unit = "USD";
    else if (ms[i] == metric::usage_quantity && acc[i].any && !acc[i].mixed) out[i].unit = acc[i].unit;
    else out[i].unit = "N/A";
  }
  return out;
}
}  // namespace detail

inline std::vector<period_result> ground_truth(const data_set& ds, const query& q) {
  std::vector<period_result> out;
  for (const auto& [ps, pe] : periods(q.start_day, q.end_day, q.gran)) {
    period_result pr;
    pr.start_day = ps;
    pr.end_day = pe;
    pr.estimated = is_estimated(ds, ps, pe);
    std::vector<detail::metric_acc> total(q.metrics.size());
    std::map<std::vector<std::string>, std::vector<detail::metric_acc>> groups;
    std::int64_t cached_day = -1;
    std::string date;
    for_each_line(ds, ps, pe, [&](const line& l) {
      if (q.filter && !matches(ds, l, *q.filter)) return;
      if (l.day != cached_day) {
        cached_day = l.day;
        date = format_date(l.day);
      }
      detail::add_line(ds, l, q.metrics, total, date);
      if (!q.group_by.empty()) {
        std::vector<std::string> keys;
        keys.reserve(q.group_by.size());
        for (const auto& g : q.group_by) keys.push_back(group_value(ds, l, g));
        auto it = groups.find(keys);
        if (it == groups.end()) it = groups.emplace(std::move(keys), std::vector<detail::metric_acc>(q.metrics.size())).first;
        detail::add_line(ds, l, q.metrics, it->second, date);
      }
    });
    pr.total = detail::finish(q.metrics, total);
    pr.groups.reserve(groups.size());
    for (auto& [keys, acc] : groups) pr.groups.push_back(group_result{keys, detail::finish(q.metrics, acc)});
    out.push_back(std::move(pr));
  }
  return out;
}

}  // namespace sim
}  // namespace v0
}  // namespace finops_crawler

#endif  // FINOPS_CRAWLER_SIM_SYNTHETIC_DATA_HPP
