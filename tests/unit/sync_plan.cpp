// store::plan_sync and report definitions, without a database or network:
// the period rules (first run needs a start, later runs continue to today,
// an earlier start backfills), the refresh rule (final = ends on or before
// the first day of the previous month and not Estimated), month chunks,
// estimates from the last run's pages, and definitions stored as canonical
// JSON and compared on later runs.
#include "finops_crawler/store/sync.hpp"

#include <doctest/doctest.h>

#include <string>
#include <vector>

using namespace finops_crawler;

namespace {

calendar_date day(const char* s) {
  auto d = calendar_date::parse(s);
  REQUIRE(d);
  return *d;
}

// Stored DAILY periods [from, to), each fetched at `at` with `pages` pages.
std::vector<store::stored_period> stored_days(const char* from, const char* to, std::uint32_t pages = 1,
                                              const char* at = "2026-03-01T00:00:00Z") {
  std::vector<store::stored_period> v;
  for (calendar_date d = day(from); d < day(to); d = d.add_days(1)) {
    store::stored_period p;
    p.period_start = d.to_string();
    p.period_end = d.add_days(1).to_string();
    p.pages = pages;
    p.fetched_at = at;
    v.push_back(p);
  }
  return v;
}

}  // namespace

TEST_CASE("is_final: ends on or before the first day of the previous month, and not Estimated") {
  store::stored_period p;
  p.period_start = "2026-01-31";
  p.period_end = "2026-02-01";
  CHECK(store::is_final(p, day("2026-03-16")));
  CHECK_FALSE(store::is_final(p, day("2026-02-28")));  // January is the previous month then
  p.estimated = true;
  CHECK_FALSE(store::is_final(p, day("2026-03-16")));
  p.estimated = false;
  p.period_start = "2026-02-01";
  p.period_end = "2026-02-02";
  CHECK_FALSE(store::is_final(p, day("2026-03-31")));
  CHECK(store::is_final(p, day("2026-04-01")));
}

TEST_CASE("plan_sync: the first run needs a start and is chunked by month") {
  store::report_definition def;
  auto none = store::plan_sync("default", def, true, {}, std::nullopt, std::nullopt, day("2026-03-16"), false, "");
  REQUIRE_FALSE(none);
  CHECK(none.error().code == errc::invalid_argument);
  CHECK(none.error().message.find("--start") != std::string::npos);

  auto p = store::plan_sync("default", def, true, {}, day("2026-01-01"), std::nullopt, day("2026-03-16"), false, "");
  REQUIRE(p);
  REQUIRE(p->chunks.size() == 3);
  CHECK(p->chunks[0].start == day("2026-01-01"));
  CHECK(p->chunks[0].end == day("2026-02-01"));
  CHECK(p->chunks[1].end == day("2026-03-01"));
  CHECK(p->chunks[2].end == day("2026-03-16"));  // up to today, End exclusive
  CHECK(p->periods() == 74);
  CHECK(p->chunks[0].new_periods == 31);
  CHECK_FALSE(p->chunks[0].from_history);
  CHECK(p->expected_requests() == 5 + 5 + 3);  // 150 groups a day guessed, 1000 per page
  CHECK(p->describe().find("USD 0.13") != std::string::npos);
}

TEST_CASE("plan_sync: a later run fetches only the new and the non-final periods") {
  store::report_definition def;
  auto stored = stored_days("2026-01-01", "2026-03-16", 2);
  // Same day: January is final; February and March are not.
  auto p = store::plan_sync("default", def, false, stored, std::nullopt, std::nullopt, day("2026-03-16"), false, "");
  REQUIRE(p);
  REQUIRE(p->chunks.size() == 2);
  CHECK(p->chunks[0].start == day("2026-02-01"));
  CHECK(p->chunks[1].end == day("2026-03-16"));
  CHECK(p->periods() == 28 + 15);
  CHECK(p->chunks[0].new_periods == 0);
  CHECK(p->chunks[0].from_history);
  CHECK(p->chunks[0].expected_requests == 2);  // 2 pages over the month last time
  // Repeating the first run's --start changes nothing.
  auto same = store::plan_sync("default", def, false, stored, day("2026-01-01"), std::nullopt, day("2026-03-16"),
                               false, "");
  REQUIRE(same);
  CHECK(same->periods() == p->periods());
  // --refresh-final: everything again.
  auto all = store::plan_sync("default", def, false, stored, std::nullopt, std::nullopt, day("2026-03-16"), true, "");
  REQUIRE(all);
  CHECK(all->periods() == 74);
  // An Estimated period in a final month is fetched again, alone in its chunk.
  stored[9].estimated = true;
  auto est = store::plan_sync("default", def, false, stored, std::nullopt, std::nullopt, day("2026-03-16"), false, "");
  REQUIRE(est);
  REQUIRE(est->chunks.size() == 3);
  CHECK(est->chunks[0].start == day("2026-01-10"));
  CHECK(est->chunks[0].end == day("2026-01-11"));
}

TEST_CASE("plan_sync: time moves on, an earlier start backfills, a later start changes nothing") {
  store::report_definition def;
  auto stored = stored_days("2026-01-01", "2026-03-16");
  // Ten days later, April: February became final, March is the previous month.
  auto later = store::plan_sync("default", def, false, stored, std::nullopt, std::nullopt, day("2026-04-05"), false, "");
  REQUIRE(later);
  REQUIRE(later->chunks.size() == 2);
  CHECK(later->chunks[0].start == day("2026-03-01"));
  CHECK(later->chunks[1].start == day("2026-04-01"));
  CHECK(later->chunks[1].end == day("2026-04-05"));
  CHECK(later->chunks[1].new_periods == 4);

  auto back = store::plan_sync("default", def, false, stored, day("2025-12-15"), std::nullopt, day("2026-03-16"), false, "");
  REQUIRE(back);
  CHECK(back->chunks[0].start == day("2025-12-15"));
  CHECK(back->chunks[0].end == day("2026-01-01"));
  CHECK(back->chunks[0].new_periods == 17);

  auto late = store::plan_sync("default", def, false, stored, day("2026-02-15"), std::nullopt, day("2026-03-16"), false, "");
  REQUIRE(late);
  CHECK(late->periods() == 28 + 15);  // the non-final ones, as without --start
}

TEST_CASE("plan_sync: periods another sync fetched while this one waited are fresh") {
  store::report_definition def;
  auto stored = stored_days("2026-01-01", "2026-03-16", 1, "2026-03-16T06:00:05Z");
  auto p = store::plan_sync("default", def, false, stored, std::nullopt, std::nullopt, day("2026-03-16"), false,
                            "2026-03-16T06:00:00Z");
  REQUIRE(p);
  CHECK(p->chunks.empty());
  CHECK(p->expected_requests() == 0);
  auto q = store::plan_sync("default", def, false, stored, std::nullopt, std::nullopt, day("2026-03-16"), false,
                            "2026-03-16T06:00:09Z");
  REQUIRE(q);
  CHECK(q->periods() == 28 + 15);
}

TEST_CASE("plan_sync: MONTHLY reports store whole months, the current one growing") {
  store::report_definition def;
  def.granularity = ce::granularity::monthly;
  auto p = store::plan_sync("m", def, true, {}, day("2025-11-20"), std::nullopt, day("2026-03-16"), false, "");
  REQUIRE(p);
  REQUIRE(p->chunks.size() == 5);
  CHECK(p->chunks[0].start == day("2025-11-01"));
  CHECK(p->chunks[4].end == day("2026-03-16"));
  std::vector<store::stored_period> stored;
  for (const auto& c : p->chunks) {
    store::stored_period s;
    s.period_start = c.start.to_string();
    s.period_end = c.end.to_string();
    stored.push_back(s);
  }
  auto next = store::plan_sync("m", def, false, stored, std::nullopt, std::nullopt, day("2026-03-20"), false, "");
  REQUIRE(next);
  REQUIRE(next->chunks.size() == 2);  // February and March (now to the 20th)
  CHECK(next->chunks[1].end == day("2026-03-20"));
}

TEST_CASE("report definitions: canonical JSON, read back, compared with the flags") {
  store::report_definition def;
  auto json = def.to_json();
  REQUIRE(json);
  CHECK(*json ==
        R"({"granularity":"DAILY","metrics":["UnblendedCost","UsageQuantity"],"group_by":[{"type":"DIMENSION","key":"SERVICE"},)"
        R"({"type":"DIMENSION","key":"LINKED_ACCOUNT"}],"filter":null})");
  store::report_definition f;
  f.granularity = ce::granularity::monthly;
  f.metrics = {"AmortizedCost"};
  f.group_by = {ce::group_by::tag("team")};
  f.filter = ce::expression::dimension("RECORD_TYPE", {"Usage"});
  auto fj = f.to_json();
  REQUIRE(fj);
  auto back = store::report_definition::from_json(*fj);
  REQUIRE(back);
  auto bj = back->to_json();
  REQUIRE(bj);
  CHECK(*bj == *fj);
  CHECK_FALSE(store::report_definition::from_json("{\"granularity\":3}"));

  store::report_record rec;
  rec.name = "default";
  rec.definition_json = *json;
  store::definition_flags none;
  auto same = store::resolve_definition(none, &rec);
  REQUIRE(same);
  CHECK(same->metrics.size() == 2);
  store::definition_flags agree;
  agree.granularity = ce::granularity::daily;
  CHECK(store::resolve_definition(agree, &rec));
  store::definition_flags contra;
  contra.granularity = ce::granularity::monthly;
  auto bad = store::resolve_definition(contra, &rec);
  REQUIRE_FALSE(bad);
  CHECK(bad.error().code == errc::invalid_argument);
  CHECK(bad.error().message.find("MONTHLY") != std::string::npos);
  CHECK(bad.error().message.find("stored: DAILY") != std::string::npos);
  CHECK(bad.error().message.find("--report") != std::string::npos);

  store::definition_flags hourly;
  hourly.granularity = ce::granularity::hourly;
  CHECK_FALSE(store::resolve_definition(hourly, nullptr));
  store::definition_flags bad_metric;
  bad_metric.metrics = std::vector<std::string>{"unblendedcost"};
  CHECK_FALSE(store::resolve_definition(bad_metric, nullptr));
}
