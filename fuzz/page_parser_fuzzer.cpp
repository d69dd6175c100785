// libFuzzer target: every response parser of the library on arbitrary bytes.
//
//   clang++ -std=c++17 -g -O1 -fsanitize=fuzzer,address,undefined -Iinclude \
//     fuzz/page_parser_fuzzer.cpp -lsimdjson -o page_parser_fuzzer
//   ./page_parser_fuzzer -max_total_time=60 tests/data/ce tests/data/organizations
//
// Checks, beyond "no crash, no sanitizer report": every view of a parsed
// page is readable; a failed parse leaves the page empty; the cost page's
// two readers agree (whenever the fast tape reader accepts a body, the DOM
// reader accepts it too and fills identical arrays); merged results
// serialize to JSON that parses back with the same periods and groups; a
// decimal that parses prints text that parses back to the same value; a
// page that parses has exactly the periods and groups a plain DOM walk
// counts over every ResultsByTime and Groups member (so a repeated member
// can neither drop nor double rows), and a refused repeat is bad_json and
// retryable.

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include <simdjson.h>

#include "finops_crawler/aws/ce/cost_page.hpp"
#include "finops_crawler/aws/ce/cost_categories_page.hpp"
#include "finops_crawler/aws/ce/dimension_values_page.hpp"
#include "finops_crawler/aws/ce/tags_page.hpp"
#include "finops_crawler/aws/ce/forecast_page.hpp"
#include "finops_crawler/aws/ce/merged_results.hpp"
#include "finops_crawler/aws/organizations/accounts_page.hpp"
#include "finops_crawler/aws/sts/caller_identity.hpp"
#include "finops_crawler/decimal.hpp"

namespace {

using namespace finops_crawler;

void check(bool ok) {
  if (!ok) __builtin_trap();
}

std::size_t touch(std::string_view s) { return s.empty() ? 0 : s.size() + static_cast<unsigned char>(s.back()); }

void fuzz_decimal(std::string_view text) {
  auto d = decimal::parse(text);
  if (!d) {
    check(d.code() == errc::invalid_argument && !d.error().message.empty());
    return;
  }
  const std::string printed = d->to_string();
  auto again = decimal::parse(printed);
  check(static_cast<bool>(again));
  check(again->identical(*d));
  check(again->to_string() == printed);
  auto sum = decimal::add(*d, *d);
  auto diff = decimal::sub(*d, *d);
  check(static_cast<bool>(diff) && diff->is_zero());
  if (sum) {
    auto back = decimal::sub(*sum, *d);
    check(static_cast<bool>(back) && *back == *d);
  }
  (void)d->to_double();
}

// The tape reader is only a faster way to the DOM reader's result.
void fuzz_cost_page_readers(std::string_view json) {
  finops_crawler::detail::json_document doc;
  auto root = doc.parse(json, "fuzz input");
  if (!root) return;
  ce::detail::page_data fast, slow;
  error err;
  const bool dom_ok = ce::detail::read_cost_page(*root, slow, err);
  if (!ce::detail::read_cost_page_tape(doc.tape(), fast)) return;
  check(dom_ok);
  check(ce::detail::identical(fast, slow));
}

// The reference count: every ResultsByTime entry and every group of every
// Groups member, however often the members repeat. Returns false when the
// body is not a JSON object.
bool count_by_dom(std::string_view json, std::size_t& results, std::size_t& groups) {
  simdjson::dom::parser parser;
  simdjson::dom::object root;
  if (parser.parse(json.data(), json.size(), true).get_object().get(root) != simdjson::SUCCESS) return false;
  results = groups = 0;
  for (simdjson::dom::key_value_pair kv : root) {
    simdjson::dom::array list;
    if (kv.key != "ResultsByTime" || kv.value.get_array().get(list) != simdjson::SUCCESS) continue;
    for (simdjson::dom::element r : list) {
      ++results;
      simdjson::dom::object entry;
      if (r.get_object().get(entry) != simdjson::SUCCESS) continue;
      for (simdjson::dom::key_value_pair m : entry) {
        simdjson::dom::array g;
        if (m.key == "Groups" && m.value.get_array().get(g) == simdjson::SUCCESS) groups += g.size();
      }
    }
  }
  return true;
}

std::size_t fuzz_cost_page(std::string_view json) {
  fuzz_cost_page_readers(json);
  std::size_t n = 0;
  ce::cost_page page;
  auto st = page.reparse(json);
  if (!st) {
    check(st.code() == errc::bad_json || st.code() == errc::unexpected_shape);
    if (st.error().message.find(" appears twice") != std::string::npos)
      check(st.code() == errc::bad_json && st.error().retryable);
    check(page.results().empty() && page.group_count() == 0 && !page.has_next_page_token());
    return 0;
  }
  n += touch(page.next_page_token());
  for (const ce::group_definition& d : page.group_definitions()) n += touch(d.type) + touch(d.key);
  for (ce::dimension_value v : page.dimension_value_attributes()) {
    n += touch(v.value());
    for (const ce::attribute& a : v.attributes()) n += touch(a.key) + touch(a.value);
  }
  std::size_t groups = 0;
  for (ce::result_by_time r : page.results()) {
    n += touch(r.start()) + touch(r.end()) + r.estimated();
    for (const ce::metric_value& m : r.total()) {
      n += touch(m.name()) + touch(m.amount_text()) + touch(m.unit());
      if (auto a = m.amount()) check(a->to_string().size() >= 1);
    }
    for (ce::group g : r.groups()) {
      ++groups;
      for (std::string_view k : g.keys()) n += touch(k);
      for (const ce::metric_value& m : g.metrics()) {
        n += touch(m.amount_text());
        check(g.metrics().find(m.name()) != nullptr);
        (void)m.amount_double();
      }
    }
  }
  check(groups == page.group_count());
  std::size_t ref_results = 0, ref_groups = 0;
  check(count_by_dom(json, ref_results, ref_groups));
  check(ref_results == page.results().size());
  check(ref_groups == page.group_count());

  // Merge and serialize: what merged_results writes must parse back.
  ce::merged_results merged;
  if (merged.add_page(page)) {
    auto json_out = merged.to_json();
    check(static_cast<bool>(json_out));
    auto back = ce::cost_page::parse(*json_out);
    check(static_cast<bool>(back));
    check(back->results().size() == merged.results().size());
    std::size_t merged_groups = 0;
    for (const ce::owned_result_by_time& r : merged.results()) merged_groups += r.groups.size();
    check(back->group_count() == merged_groups);
  }
  ce::period_continuity cont;
  check(!cont.feed(page));
  return n;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view input(reinterpret_cast<const char*>(data), size);
  volatile std::size_t sink = 0;

  sink = sink + fuzz_cost_page(input);

  ce::dimension_values_page dims;
  if (dims.reparse(input)) {
    for (ce::dimension_value v : dims.values()) sink = sink + touch(v.value()) + v.attributes().size();
  } else {
    check(dims.values().empty());
  }

  // GetTags and GetCostCategories: a page read or nothing, never half.
  ce::tags_page tags;
  if (tags.reparse(input)) {
    for (std::string_view t : tags.tags()) sink = sink + touch(t);
  } else {
    check(tags.tags().empty() && !tags.has_next_page_token());
  }
  ce::cost_categories_page cats;
  if (cats.reparse(input)) {
    for (std::string_view n : cats.names()) sink = sink + touch(n);
    for (std::string_view v : cats.values()) sink = sink + touch(v);
  } else {
    check(cats.names().empty() && cats.values().empty() && !cats.has_next_page_token());
  }

  ce::forecast_page forecast;
  if (forecast.reparse(input)) {
    for (const ce::forecast_result& r : forecast.results()) {
      sink = sink + touch(r.mean_text) + touch(r.lower_text) + touch(r.upper_text);
      (void)r.mean();
    }
  }

  organizations::accounts_page accounts;
  if (accounts.reparse(input)) {
    for (const organizations::account& a : accounts.accounts()) {
      check(a.id.size() == 12);
      sink = sink + touch(a.arn) + touch(a.name) + touch(a.state);
    }
  } else {
    check(accounts.accounts().empty());
  }

  auto who = sts::parse_caller_identity(input);
  if (who) check(who->account.size() == 12);

  fuzz_decimal(input.substr(0, 128));
  return 0;
}
