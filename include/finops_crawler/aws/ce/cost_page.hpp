#ifndef FINOPS_CRAWLER_AWS_CE_COST_PAGE_HPP
#define FINOPS_CRAWLER_AWS_CE_COST_PAGE_HPP
/// \file
/// One page of Cost Explorer GetCostAndUsage / GetCostAndUsageWithResources
/// output, parsed in one pass with simdjson into flat arrays, read through
/// small non-owning views. Also the view and owned types shared by the other
/// Cost Explorer pages (metric values, dimension values with attributes).
///
///   ce::cost_page page;
///   if (auto st = page.reparse(body); !st) return st.error();
///   for (ce::result_by_time r : page.results())
///     for (ce::group g : r.groups())
///       if (const ce::metric_value* m = g.metrics().find("UnblendedCost"))
///         use(r.start(), g.keys(), m->amount_text(), m->unit());

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <iterator>
#include <limits>
#include <memory>
#include <new>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>
#include <vector>

#include "finops_crawler/config.hpp"
#include "finops_crawler/decimal.hpp"
#include "finops_crawler/detail/json_body.hpp"
#include "finops_crawler/detail/span.hpp"
#include "finops_crawler/result.hpp"

namespace finops_crawler {
inline namespace v0 {
namespace ce {

// ---------------------------------------------------------------------------
// Owned copies (what to_owned() returns; plain values, no lifetime rule)

/// An owned metric value: name ("UnblendedCost"), exact amount text, unit.
struct owned_metric {
  std::string name;
  std::string amount;  ///< exactly the text AWS sent, e.g. "12.3456789012"
  std::string unit;    ///< e.g. "USD", "N/A", "Hrs"
  friend bool operator==(const owned_metric& a, const owned_metric& b) {
    return a.name == b.name && a.amount == b.amount && a.unit == b.unit;
  }
  friend bool operator!=(const owned_metric& a, const owned_metric& b) { return !(a == b); }
};

/// An owned group: its 1-2 keys and its metrics, in AWS order.
struct owned_group {
  std::vector<std::string> keys;
  std::vector<owned_metric> metrics;
};

/// An owned ResultsByTime entry.
struct owned_result_by_time {
  std::string start;  ///< TimePeriod.Start, inclusive, e.g. "2024-01-01"
  std::string end;    ///< TimePeriod.End, exclusive
  bool estimated = false;
  std::vector<owned_metric> total;  ///< empty when the request used GroupBy
  std::vector<owned_group> groups;  ///< empty when the request had no GroupBy
};

/// An owned dimension value and its attributes (e.g. an account id and its
/// {"description": "<account name>"}).
struct owned_dimension_value {
  std::string value;
  std::vector<std::pair<std::string, std::string>> attributes;
};

/// An owned GroupDefinitions entry: Type ("DIMENSION", "TAG",
/// "COST_CATEGORY") and Key ("SERVICE", a tag key, ...).
struct owned_group_definition {
  std::string type;
  std::string key;
  friend bool operator==(const owned_group_definition& a, const owned_group_definition& b) {
    return a.type == b.type && a.key == b.key;
  }
};

// ---------------------------------------------------------------------------
// Views. Every view below borrows from the page that produced it: valid
// until that page is destroyed or reparsed; moving the page keeps them valid.
// Views themselves are cheap to copy and may be kept as long as the page.

/// A read-only contiguous range of `T` (C++17 stand-in for std::span; the
/// library's one, detail/span.hpp). A span from a page borrows the page's
/// array: same lifetime rule as the page's views.
template <class T>
using span_view = finops_crawler::detail::span<T>;

/// One metric: name, exact amount text and unit.
///
/// Lifetime: borrows from its page (see above). To keep it, to_owned().
/// Thread safety: const, safe to read from many threads.
class metric_value {
 public:
  constexpr metric_value() noexcept = default;
  constexpr metric_value(std::string_view name, std::string_view amount, std::string_view unit) noexcept
      : name_(name), amount_(amount), unit_(unit) {}

  /// The metric name, e.g. "UnblendedCost".
  constexpr std::string_view name() const noexcept { return name_; }
  /// The amount exactly as AWS sent it ("0", "12.3456789012", "-3.5").
  constexpr std::string_view amount_text() const noexcept { return amount_; }
  /// The unit, e.g. "USD" ("N/A" for some usage quantities).
  constexpr std::string_view unit() const noexcept { return unit_; }
  /// The amount as an exact decimal; errc::invalid_argument, naming the
  /// metric and quoting the text, when it is not a plain decimal number or
  /// does not fit (see decimal::parse). Cost: O(length), no allocation on success.
  result<decimal> amount() const;
  /// The amount as the nearest double; NaN when it is not a number. For
  /// display only: sums must use amount().
  double amount_double() const noexcept;
  /// An owned copy.
  owned_metric to_owned() const { return {std::string(name_), std::string(amount_), std::string(unit_)}; }

 private:
  std::string_view name_, amount_, unit_;
};

/// The metrics of a Total or of a group, in AWS order; `find` looks one up
/// by name. Lifetime: borrows from its page.
class metrics_view : public span_view<metric_value> {
 public:
  using span_view<metric_value>::span_view;
  /// The metric named `name`, or nullptr. Linear (a request asks for at
  /// most a handful of metrics).
  const metric_value* find(std::string_view name) const noexcept {
    for (const metric_value& m : *this)
      if (m.name() == name) return &m;
    return nullptr;
  }
  /// Owned copies of every metric.
  std::vector<owned_metric> to_owned() const {
    std::vector<owned_metric> out;
    out.reserve(size());
    for (const metric_value& m : *this) out.push_back(m.to_owned());
    return out;
  }
};

/// One attribute of a dimension value, e.g. {"description", "Prod account"}.
/// Lifetime: borrows from its page.
struct attribute {
  std::string_view key;
  std::string_view value;
};

/// A GroupDefinitions entry: Type and Key. Lifetime: borrows from its page.
struct group_definition {
  std::string_view type;
  std::string_view key;
  /// An owned copy.
  owned_group_definition to_owned() const { return {std::string(type), std::string(key)}; }
};

namespace detail {
/// A growable array of a plain `T` (trivially copyable and destructible)
/// whose appends inline into the page readers; std::vector::emplace_back
/// stays out of line there and cost ~40 instructions per element (callgrind,
/// g++ 12 -O3). Grows x2 and keeps its memory on clear(), so a reparsed page
/// reuses it. Allocation failure throws std::bad_alloc (aborts without
/// exceptions, as std::vector does). Move-only; one thread at a time.
template <class T>
class flat_array {
  static_assert(std::is_trivially_copyable<T>::value && std::is_trivially_destructible<T>::value,
                "flat_array holds plain values");

 public:
  flat_array() = default;
  flat_array(flat_array&& o) noexcept : data_(o.data_), size_(o.size_), cap_(o.cap_) { o.release(); }
  flat_array& operator=(flat_array&& o) noexcept {
    if (this != &o) {
      std::free(data_);
      data_ = o.data_;
      size_ = o.size_;
      cap_ = o.cap_;
      o.release();
    }
    return *this;
  }
  flat_array(const flat_array&) = delete;
  flat_array& operator=(const flat_array&) = delete;
  ~flat_array() { std::free(data_); }

  void push_back(const T& v) {
    if (size_ == cap_) grow(size_ + 1);
    ::new (static_cast<void*>(data_ + size_)) T(v);
    ++size_;
  }
  template <class... A>
  void emplace_back(A&&... a) {
    if (size_ == cap_) grow(size_ + 1);
    ::new (static_cast<void*>(data_ + size_)) T(std::forward<A>(a)...);
    ++size_;
  }
  /// Makes room for `n` more elements, to be constructed at tail() and
  /// counted with commit(): the readers write a run through a local pointer.
  void reserve_more(std::size_t n) {
    if (cap_ - size_ < n) grow(size_ + n);
  }
  T* tail() noexcept { return data_ + size_; }
  /// Counts `k` elements constructed at tail(). Precondition: k <= the room made.
  void commit(std::size_t k) noexcept { size_ += k; }
  const T* data() const noexcept { return data_; }
  std::size_t size() const noexcept { return size_; }
  bool empty() const noexcept { return size_ == 0; }
  void clear() noexcept { size_ = 0; }
  /// Precondition: i < size().
  const T& operator[](std::size_t i) const noexcept { return data_[i]; }
  /// Precondition: !empty().
  const T& front() const noexcept { return data_[0]; }

 private:
  void release() noexcept {
    data_ = nullptr;
    size_ = cap_ = 0;
  }
  void grow(std::size_t at_least) {
    std::size_t cap = cap_ ? cap_ * 2 : 64;
    if (cap < at_least) cap = at_least;
    void* p = cap <= std::numeric_limits<std::size_t>::max() / sizeof(T)
                  ? std::realloc(static_cast<void*>(data_), cap * sizeof(T))
                  : nullptr;
    if (!p) {
#if FINOPS_CRAWLER_EXCEPTIONS
      throw std::bad_alloc();
#else
      std::abort();
#endif
    }
    data_ = static_cast<T*>(p);
    cap_ = cap;
  }
  T* data_ = nullptr;
  std::size_t size_ = 0, cap_ = 0;
};

struct group_rec {
  std::uint32_t first_key, key_count, first_metric, metric_count;
};
struct result_rec {
  std::string_view start, end;
  std::uint32_t first_total, total_count, first_group, group_count;
  bool estimated;
};
struct dimension_rec {
  std::string_view value;
  std::uint32_t first_attribute, attribute_count;
};

/// The flat arrays a page fills in one pass. Views index into them.
struct page_data {
  flat_array<metric_value> metrics;
  flat_array<std::string_view> keys;
  flat_array<group_rec> groups;
  flat_array<result_rec> results;
  flat_array<group_definition> group_definitions;
  flat_array<attribute> attributes;
  flat_array<dimension_rec> dimension_values;
  std::string_view next_page_token;
  bool has_next_page_token = false;
  std::uint64_t return_size = 0, total_size = 0;  // GetDimensionValues only

  void clear() noexcept {
    metrics.clear();
    keys.clear();
    groups.clear();
    results.clear();
    group_definitions.clear();
    attributes.clear();
    dimension_values.clear();
    next_page_token = {};
    has_next_page_token = false;
    return_size = total_size = 0;
  }
};

/// A random-access range of views made on the fly from page_data indices
/// (what results_range and dimension_values_range are). Lifetime: borrows
/// the page's arrays like every view; copying the range is cheap.
template <class V>
class indexed_range {
 public:
  class iterator {
   public:
    using iterator_category = std::random_access_iterator_tag;
    using value_type = V;
    using difference_type = std::ptrdiff_t;
    using pointer = void;
    using reference = V;
    iterator() = default;
    iterator(const page_data* d, std::uint32_t i) noexcept : d_(d), i_(i) {}
    V operator*() const { return V::make(*d_, i_); }
    V operator[](difference_type n) const { return V::make(*d_, static_cast<std::uint32_t>(i_ + n)); }
    iterator& operator++() noexcept { ++i_; return *this; }
    iterator operator++(int) noexcept { iterator t = *this; ++i_; return t; }
    iterator& operator--() noexcept { --i_; return *this; }
    iterator operator--(int) noexcept { iterator t = *this; --i_; return t; }
    iterator& operator+=(difference_type n) noexcept { i_ = static_cast<std::uint32_t>(i_ + n); return *this; }
    iterator& operator-=(difference_type n) noexcept { i_ = static_cast<std::uint32_t>(i_ - n); return *this; }
    friend iterator operator+(iterator a, difference_type n) noexcept { return a += n; }
    friend iterator operator-(iterator a, difference_type n) noexcept { return a -= n; }
    friend difference_type operator-(iterator a, iterator b) noexcept {
      return static_cast<difference_type>(a.i_) - static_cast<difference_type>(b.i_);
    }
    friend bool operator==(iterator a, iterator b) noexcept { return a.i_ == b.i_; }
    friend bool operator!=(iterator a, iterator b) noexcept { return a.i_ != b.i_; }
    friend bool operator<(iterator a, iterator b) noexcept { return a.i_ < b.i_; }

   private:
    const page_data* d_ = nullptr;
    std::uint32_t i_ = 0;
  };
  indexed_range() = default;
  indexed_range(const page_data* d, std::uint32_t first, std::uint32_t count) noexcept
      : d_(d), first_(first), count_(count) {}
  iterator begin() const noexcept { return iterator(d_, first_); }
  iterator end() const noexcept { return iterator(d_, first_ + count_); }
  std::size_t size() const noexcept { return count_; }
  bool empty() const noexcept { return count_ == 0; }
  /// Precondition: i < size().
  V operator[](std::size_t i) const { return V::make(*d_, static_cast<std::uint32_t>(first_ + i)); }
  /// Precondition: !empty().
  V front() const { return (*this)[0]; }
  /// Precondition: !empty().
  V back() const { return (*this)[count_ - 1]; }

 private:
  const page_data* d_ = nullptr;
  std::uint32_t first_ = 0, count_ = 0;
};
}  // namespace detail

/// A dimension value and its attributes (DimensionValueAttributes of
/// GetCostAndUsage, DimensionValues of GetDimensionValues).
/// Lifetime: borrows from its page; to_owned() to keep it.
class dimension_value {
 public:
  dimension_value() = default;
  /// The value, e.g. an account id "123456789012" or "Amazon EC2".
  std::string_view value() const noexcept { return value_; }
  /// Attributes in AWS order (e.g. {"description": "<account name>"}).
  span_view<attribute> attributes() const noexcept { return attributes_; }
  /// The attribute named `key`, or an empty view when absent.
  std::string_view attribute_value(std::string_view key) const noexcept {
    for (const attribute& a : attributes_)
      if (a.key == key) return a.value;
    return {};
  }
  /// An owned copy.
  owned_dimension_value to_owned() const {
    owned_dimension_value o{std::string(value_), {}};
    o.attributes.reserve(attributes_.size());
    for (const attribute& a : attributes_) o.attributes.emplace_back(std::string(a.key), std::string(a.value));
    return o;
  }
  /// Internal: the view of entry `i` of `d`.
  static dimension_value make(const detail::page_data& d, std::uint32_t i) noexcept {
    const detail::dimension_rec& r = d.dimension_values[i];
    dimension_value v;
    v.value_ = r.value;
    v.attributes_ = span_view<attribute>(d.attributes.data() + r.first_attribute, r.attribute_count);
    return v;
  }

 private:
  std::string_view value_;
  span_view<attribute> attributes_;
};

/// One group of a ResultsByTime entry: its Keys (one per GroupBy, 1 or 2)
/// and its Metrics. Lifetime: borrows from its page; to_owned() to keep it.
class group {
 public:
  group() = default;
  /// The keys, e.g. {"Amazon EC2", "BoxUsage:t3.micro"}.
  span_view<std::string_view> keys() const noexcept { return keys_; }
  /// The metrics by name, in AWS order.
  metrics_view metrics() const noexcept { return metrics_; }
  /// An owned copy.
  owned_group to_owned() const {
    owned_group o;
    o.keys.reserve(keys_.size());
    for (std::string_view k : keys_) o.keys.emplace_back(k);
    o.metrics = metrics_.to_owned();
    return o;
  }
  /// Internal: the view of group `i` of `d`.
  static group make(const detail::page_data& d, std::uint32_t i) noexcept {
    const detail::group_rec& r = d.groups[i];
    group g;
    g.keys_ = span_view<std::string_view>(d.keys.data() + r.first_key, r.key_count);
    g.metrics_ = metrics_view(d.metrics.data() + r.first_metric, r.metric_count);
    return g;
  }

 private:
  span_view<std::string_view> keys_;
  metrics_view metrics_;
};

/// One ResultsByTime entry: a time period, its Total (filled only without
/// GroupBy), its Groups (filled only with GroupBy) and Estimated.
/// Lifetime: borrows from its page; to_owned() to keep it.
class result_by_time {
 public:
  result_by_time() = default;
  /// TimePeriod.Start (inclusive), e.g. "2024-01-01" or "2024-01-01T00:00:00Z".
  std::string_view start() const noexcept { return start_; }
  /// TimePeriod.End (exclusive).
  std::string_view end() const noexcept { return end_; }
  /// Whether AWS marked the figures as still estimated (false when absent).
  bool estimated() const noexcept { return estimated_; }
  /// The Total metrics; empty with GroupBy (AWS sends `{}`).
  metrics_view total() const noexcept { return total_; }
  /// The groups of this period on this page. A period can continue on the
  /// next page (see merged_results.hpp).
  detail::indexed_range<group> groups() const noexcept { return groups_; }
  /// An owned copy.
  owned_result_by_time to_owned() const {
    owned_result_by_time o;
    o.start = std::string(start_);
    o.end = std::string(end_);
    o.estimated = estimated_;
    o.total = total_.to_owned();
    o.groups.reserve(groups_.size());
    for (group g : groups_) o.groups.push_back(g.to_owned());
    return o;
  }
  /// Internal: the view of entry `i` of `d`.
  static result_by_time make(const detail::page_data& d, std::uint32_t i) noexcept {
    const detail::result_rec& r = d.results[i];
    result_by_time v;
    v.start_ = r.start;
    v.end_ = r.end;
    v.estimated_ = r.estimated;
    v.total_ = metrics_view(d.metrics.data() + r.first_total, r.total_count);
    v.groups_ = detail::indexed_range<group>(&d, r.first_group, r.group_count);
    return v;
  }

 private:
  std::string_view start_, end_;
  bool estimated_ = false;
  metrics_view total_;
  detail::indexed_range<group> groups_;
};

/// A range of result_by_time views (random access, made on the fly).
using results_range = detail::indexed_range<result_by_time>;
/// A range of dimension_value views.
using dimension_values_range = detail::indexed_range<dimension_value>;

/// One page of GetCostAndUsage or GetCostAndUsageWithResources output
/// (both have the same shape).
///
/// Owns everything it needs: the simdjson parser state (tape and unescaped
/// strings) and the flat arrays the views index into. The body passed to
/// parse() is copied into the parser's padded buffer, so it may be freed
/// right after the call (the DOM copies every string it keeps, so holding
/// on to the body as well would double the memory).
///
/// Lifetime rule: every view obtained from a page (result_by_time, group,
/// metric_value, spans, string_views) is valid until the page is destroyed
/// or reparse()d; moving the page keeps them valid. View-returning
/// accessors are `&`-qualified: calling them on a temporary page does not
/// compile, because the views would dangle:
///
///   auto page = ce::cost_page::parse(body);        // OK: page is named
///   ce::cost_page::parse(body)->results();         // OK: lives to the ';'
///   auto r = std::move(*ce::cost_page::parse(body)).results();  // does not compile
///
/// Required fields (errc::unexpected_shape naming the path when missing or
/// mistyped): ResultsByTime; per entry TimePeriod.Start and TimePeriod.End;
/// per group Keys (strings) and Metrics; per metric Amount and Unit
/// (strings); per GroupDefinitions entry Type and Key; per
/// DimensionValueAttributes entry Value. Optional (absent or null means
/// empty/false, a wrong type is still an error): NextPageToken, Total,
/// Groups, Estimated, GroupDefinitions, DimensionValueAttributes,
/// Attributes. Unknown fields are ignored (AWS adds fields over time).
/// Amounts are not converted while parsing (metric_value::amount() does it).
///
/// Move-only. Thread safety: const access from many threads is safe;
/// reparse() needs exclusive access. Cost: one pass, O(body); reparse()
/// reuses the parser's and the arrays' capacity.
class cost_page {
 public:
  /// An empty page (no results, no token); reparse() fills it.
  cost_page() = default;
  cost_page(cost_page&&) noexcept = default;
  cost_page& operator=(cost_page&&) noexcept = default;
  cost_page(const cost_page&) = delete;
  cost_page& operator=(const cost_page&) = delete;

  /// Parses one response body. errc::bad_json when it is not JSON (invalid,
  /// truncated, nesting deeper than 64); errc::unexpected_shape, naming the
  /// field path (e.g. "ResultsByTime[3].Groups[2].Metrics.UnblendedCost.Amount
  /// is missing"), when a required field is missing or mistyped.
  static result<cost_page> parse(std::string_view json);
  /// As parse(); `json` already has simdjson's padding (a simdjson::padded_string,
  /// or a std::string wrapped as padded_string_view after simdjson::pad()), so it is not copied.
  static result<cost_page> parse_padded(simdjson::padded_string_view json);

  /// Parses into this page, reusing its buffers. Invalidates every view
  /// obtained before. On error the page is left empty. Errors as parse().
  status reparse(std::string_view json) &;
  /// As reparse(), without the copy, for an already padded body.
  status reparse_padded(simdjson::padded_string_view json) &;

  /// The ResultsByTime entries of this page, in AWS order.
  results_range results() const& FINOPS_CRAWLER_LIFETIMEBOUND {
    return results_range(&data(), 0, static_cast<std::uint32_t>(data().results.size()));
  }
  results_range results() const&& = delete;

  /// NextPageToken; empty when absent (the last page).
  std::string_view next_page_token() const& FINOPS_CRAWLER_LIFETIMEBOUND { return data().next_page_token; }
  std::string_view next_page_token() const&& = delete;
  /// Whether NextPageToken was present (AWS omits it on the last page; an
  /// empty string present is reported here as true so a crawler can refuse it).
  bool has_next_page_token() const noexcept { return data().has_next_page_token; }

  /// GroupDefinitions (empty without GroupBy).
  span_view<group_definition> group_definitions() const& FINOPS_CRAWLER_LIFETIMEBOUND {
    return {data().group_definitions.data(), data().group_definitions.size()};
  }
  span_view<group_definition> group_definitions() const&& = delete;

  /// DimensionValueAttributes: with GroupBy LINKED_ACCOUNT, the account
  /// names as attribute "description" of each account id.
  dimension_values_range dimension_value_attributes() const& FINOPS_CRAWLER_LIFETIMEBOUND {
    return dimension_values_range(&data(), 0, static_cast<std::uint32_t>(data().dimension_values.size()));
  }
  dimension_values_range dimension_value_attributes() const&& = delete;

  /// Number of groups over all ResultsByTime entries of this page.
  std::size_t group_count() const noexcept { return data().groups.size(); }

 private:
  friend struct finops_crawler::detail::page_access;  // parse, reparse, hand-over
  static constexpr std::string_view response_name = "GetCostAndUsage response";
  void clear() noexcept {
    if (data_) data_->clear();
  }
  bool read(simdjson::dom::element root, error& err);
  const detail::page_data& data() const noexcept { return data_ ? *data_ : empty_data(); }
  static const detail::page_data& empty_data() noexcept {
    static const detail::page_data empty{};
    return empty;
  }
  finops_crawler::detail::json_document doc_;
  // On the heap so views survive moving the page.
  std::unique_ptr<detail::page_data> data_;
};

/// GetCostAndUsageWithResources output has GetCostAndUsage's shape.
using cost_with_resources_page = cost_page;

namespace detail {
// The readers the other page headers share (their bodies are in
// cost_page-inl.hpp). Each appends to `d` and returns false with `err` set
// (errc::unexpected_shape naming the path) when the shape is wrong.

/// Reads one MetricValue {"Amount", "Unit"} named `name`; `path` ends with
/// the map holding it.
bool read_metric_value(simdjson::dom::element value, std::string_view name, finops_crawler::detail::json_path& path,
                       page_data& d, error& err);
/// Reads a DateInterval {"Start", "End"} (both required) named TimePeriod.
bool read_time_period(simdjson::dom::element value, finops_crawler::detail::json_path& path, std::string_view& start,
                      std::string_view& end, error& err);
/// Reads a DimensionValuesWithAttributes list into d.dimension_values;
/// `path` ends with the list's name.
bool read_dimension_values(simdjson::dom::array list, finops_crawler::detail::json_path& path, page_data& d,
                           error& err);
/// Reads an optional NextPageToken / NextToken string (null = absent).
bool read_token(simdjson::dom::element value, const finops_crawler::detail::json_path& path, std::string_view field,
                page_data& d, error& err);

// cost_page's two readers of a whole GetCostAndUsage page, both into an
// empty `d` (declared here for the tests and the fuzzer, which check that
// they agree). read_cost_page_tape is the fast one: it reads the tape and
// accepts the usual shape only, returning false (with `d` part-filled)
// otherwise; read_cost_page is the DOM reader, which accepts every valid
// page and names what is wrong in `err`. Where both accept a page they fill
// identical arrays, views pointing at the same bytes.
bool read_cost_page_tape(finops_crawler::detail::json_tape t, page_data& d);
bool read_cost_page(simdjson::dom::element root, page_data& d, error& err);
/// Whether `a` and `b` hold the same records, every view pointing at the
/// same bytes (what the two readers must give). O(size).
bool identical(const page_data& a, const page_data& b) noexcept;
}  // namespace detail

}  // namespace ce
}  // namespace v0
}  // namespace finops_crawler

#if FINOPS_CRAWLER_HEADER_ONLY
#include "finops_crawler/aws/ce/cost_page-inl.hpp"
#endif

#endif  // FINOPS_CRAWLER_AWS_CE_COST_PAGE_HPP
