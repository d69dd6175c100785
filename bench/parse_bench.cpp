// parse_bench: GetCostAndUsage page parsing throughput through ce::cost_page
// views, against simdjson's bare DOM parse of the same bytes (the limit),
// measured in the same run. Also On-Demand visiting the same fields, which
// is what decided the page views' API (see detail/json_body.hpp), and the
// whole client path without a network: ce::cost_explorer fetching the page
// through aws::json_client from an in-memory transport (request model,
// SigV4 signing, the 200's validation, the page read), which shows whether
// a body is parsed once or twice.
//
//   parse_bench           human-readable table
//   parse_bench --json    one JSON object of named figures (units in names)
//
// Pages are generated in memory: DAILY, GroupBy SERVICE and USAGE_TYPE,
// metrics UnblendedCost and UsageQuantity, amounts with up to 10 fractional
// digits, some negative (credits), about 64 KiB, 1 MiB and 16 MiB.

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <time.h>

#include <simdjson.h>

#include "finops_crawler/aws/ce/cost_explorer.hpp"
#include "finops_crawler/aws/ce/cost_page.hpp"
#include "finops_crawler/aws/json_client.hpp"
#include "finops_crawler/http/transport.hpp"

#ifndef FINOPS_CRAWLER_BENCH_FLAGS
#define FINOPS_CRAWLER_BENCH_FLAGS "unknown"
#endif
#define FINOPS_CRAWLER_BENCH_STR2(x) #x
#define FINOPS_CRAWLER_BENCH_STR(x) FINOPS_CRAWLER_BENCH_STR2(x)

namespace {

using namespace finops_crawler;

struct rng {
  std::uint64_t s = 0x9E3779B97F4A7C15ull;
  std::uint64_t next() {
    s ^= s << 13;
    s ^= s >> 7;
    s ^= s << 17;
    return s;
  }
  std::uint64_t below(std::uint64_t n) { return next() % n; }
};

const char* const services[] = {
    "Amazon Elastic Compute Cloud - Compute", "Amazon Simple Storage Service", "AWS Lambda",
    "Amazon Relational Database Service",     "Amazon CloudFront",             "Amazon DynamoDB",
    "AWS Key Management Service",             "Amazon Virtual Private Cloud",  "Tax",
    "Credits"};
const char* const usage_prefixes[] = {"USE1-BoxUsage:", "USE2-TimedStorage-ByteHrs", "EUW1-Lambda-GB-Second",
                                      "USE1-InstanceUsage:db.", "EU-DataTransfer-Out-Bytes", "USE1-ReadRequestUnits",
                                      "USE1-KMS-Requests", "USE1-NatGateway-Hours", "Tax", "USE1-Credit"};

void append_amount(std::string& out, rng& r, bool negative) {
  // 0..99999 units with 0..10 fractional digits, like AWS's strings.
  const unsigned frac_digits = static_cast<unsigned>(r.below(11));
  if (negative) out += '-';
  out += std::to_string(r.below(100000));
  if (frac_digits) {
    out += '.';
    for (unsigned i = 0; i < frac_digits; ++i) out += static_cast<char>('0' + r.below(10));
  }
}

std::string make_page(std::size_t target_bytes) {
  rng r;
  std::string out;
  out.reserve(target_bytes + 4096);
  out += R"({"GroupDefinitions":[{"Type":"DIMENSION","Key":"SERVICE"},{"Type":"DIMENSION","Key":"USAGE_TYPE"}],)";
  out += R"("ResultsByTime":[)";
  int day = 0;
  bool first_day = true;
  while (out.size() < target_bytes) {
    if (!first_day) out += ',';
    first_day = false;
    char start[16], end[16];
    std::snprintf(start, sizeof start, "2024-%02d-%02d", 1 + (day / 28) % 12, 1 + day % 28);
    std::snprintf(end, sizeof end, "2024-%02d-%02d", 1 + ((day + 1) / 28) % 12, 1 + (day + 1) % 28);
    out += R"({"TimePeriod":{"Start":")";
    out += start;
    out += R"(","End":")";
    out += end;
    out += R"("},"Total":{},"Groups":[)";
    for (int g = 0; g < 150 && out.size() < target_bytes; ++g) {
      if (g) out += ',';
      const std::size_t s = r.below(10);
      out += R"({"Keys":[")";
      out += services[s];
      out += R"(",")";
      out += usage_prefixes[s];
      out += std::to_string(g);
      out += R"("],"Metrics":{"UnblendedCost":{"Amount":")";
      append_amount(out, r, s == 9);
      out += R"(","Unit":"USD"},"UsageQuantity":{"Amount":")";
      append_amount(out, r, false);
      out += R"(","Unit":"N/A"}}})";
    }
    out += R"(],"Estimated":false})";
    ++day;
  }
  out += R"(],"DimensionValueAttributes":[],"NextPageToken":"AAMA-EFRSURBSGl4dVNnSU50eHZKblFR"})";
  return out;
}

// Visits every key, amount and unit through the page views.
std::uint64_t visit(const ce::cost_page& page) {
  std::uint64_t sum = 0;
  for (ce::result_by_time r : page.results()) {
    sum += r.start().size();
    for (ce::group g : r.groups()) {
      for (std::string_view k : g.keys()) sum += k.size() + static_cast<unsigned char>(k[0]);
      for (const ce::metric_value& m : g.metrics())
        sum += m.name().size() + m.amount_text().size() + static_cast<unsigned char>(m.amount_text().back()) +
               m.unit().size();
    }
  }
  return sum;
}

#define OD_TRY(expr)                                       \
  do {                                                     \
    if ((expr) != simdjson::SUCCESS) return ~0ull;         \
  } while (0)

// The same visit with On-Demand (value iteration compiled into this file).
std::uint64_t visit_ondemand(simdjson::ondemand::parser& p, const simdjson::padded_string& json) {
  namespace od = simdjson::ondemand;
  std::uint64_t sum = 0;
  od::document doc;
  OD_TRY(p.iterate(json).get(doc));
  od::object root;
  OD_TRY(doc.get_object().get(root));
  for (auto field : root) {
    std::string_view key;
    OD_TRY(field.unescaped_key().get(key));
    if (key != "ResultsByTime") continue;
    od::array results;
    OD_TRY(field.value().get_array().get(results));
    for (auto rv : results) {
      od::object ro;
      OD_TRY(rv.get_object().get(ro));
      for (auto rf : ro) {
        std::string_view rk;
        OD_TRY(rf.unescaped_key().get(rk));
        if (rk == "TimePeriod") {
          od::object tp;
          OD_TRY(rf.value().get_object().get(tp));
          std::string_view start;
          OD_TRY(tp["Start"].get_string().get(start));
          sum += start.size();
        } else if (rk == "Groups") {
          od::array groups;
          OD_TRY(rf.value().get_array().get(groups));
          for (auto gv : groups) {
            od::object go;
            OD_TRY(gv.get_object().get(go));
            for (auto gf : go) {
              std::string_view gk;
              OD_TRY(gf.unescaped_key().get(gk));
              if (gk == "Keys") {
                od::array keys;
                OD_TRY(gf.value().get_array().get(keys));
                for (auto kv : keys) {
                  std::string_view k;
                  OD_TRY(kv.get_string().get(k));
                  sum += k.size() + static_cast<unsigned char>(k[0]);
                }
              } else if (gk == "Metrics") {
                od::object metrics;
                OD_TRY(gf.value().get_object().get(metrics));
                for (auto mf : metrics) {
                  std::string_view name;
                  OD_TRY(mf.unescaped_key().get(name));
                  sum += name.size();
                  od::object mv;
                  OD_TRY(mf.value().get_object().get(mv));
                  for (auto af : mv) {
                    std::string_view ak, av;
                    OD_TRY(af.unescaped_key().get(ak));
                    OD_TRY(af.value().get_string().get(av));
                    sum += av.size();
                    if (ak == "Amount") sum += static_cast<unsigned char>(av.back());
                  }
                }
              }
            }
          }
        }
      }
    }
  }
  return sum;
}

// Answers every request with the same 200 and body, copied into a response
// with simdjson's padding after it as curl_transport leaves (the copy stands
// for receiving the body).
class canned_transport final : public http::transport {
 public:
  explicit canned_transport(const std::string& body) : body_(body) {}
  result<http::http_response> send(const http::http_request&) override {
    http::http_response r;
    r.status = 200;
    r.body.reserve(body_.size() + simdjson::SIMDJSON_PADDING);
    r.body.assign(body_);
    return r;
  }

 private:
  const std::string& body_;
};

// A Cost Explorer client over canned_transport: no rate limit, no retries
// needed, dummy keys (AWS's documentation example), date rules off.
ce::cost_explorer canned_explorer(const std::string& body) {
  aws::client_options o;
  o.service = aws::cost_explorer_api;
  o.target.url = "https://ce.us-east-1.amazonaws.com";
  o.target.signing_region = "us-east-1";
  auto creds = aws::credentials::make("AKIDEXAMPLE", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY");
  if (creds) o.creds = *creds;
  o.transport = std::make_unique<canned_transport>(body);
  o.rate_limit = {0, 1};
  ce::cost_explorer_options eo;
  eo.today = std::string();
  return ce::cost_explorer(aws::json_client(std::move(o)), std::move(eo));
}

ce::cost_and_usage_request bench_request() {
  ce::cost_and_usage_request r;
  r.time_period = {"2024-01-01", "2024-02-01"};
  r.granularity = ce::granularity::daily;
  r.metrics = {"UnblendedCost", "UsageQuantity"};
  return r;
}

// Thread CPU time where available: on a shared machine (other builds
// running) wall time mostly measures waiting for a core.
double now_seconds() {
#if defined(CLOCK_THREAD_CPUTIME_ID)
  timespec ts{};
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
  return static_cast<double>(ts.tv_sec) + static_cast<double>(ts.tv_nsec) * 1e-9;
#else
  return std::chrono::duration<double>(std::chrono::steady_clock::now().time_since_epoch()).count();
#endif
}

const char* clock_name() {
#if defined(CLOCK_THREAD_CPUTIME_ID)
  return "thread_cpu_time";
#else
  return "steady_clock";
#endif
}

// Runs every candidate in turn, round after round (so all see the same
// machine state), and keeps each one's best seconds per run.
template <std::size_t N>
void best_seconds_per_run(std::function<void()> (&fns)[N], double (&best)[N], std::size_t bytes) {
  const std::size_t runs = std::max<std::size_t>(1, (8u << 20) / std::max<std::size_t>(bytes, 1));
  for (std::size_t k = 0; k < N; ++k) best[k] = 1e300;
  for (int round = 0; round < 15; ++round) {
    for (std::size_t k = 0; k < N; ++k) {
      const double t0 = now_seconds();
      for (std::size_t i = 0; i < runs; ++i) fns[k]();
      best[k] = std::min(best[k], (now_seconds() - t0) / static_cast<double>(runs));
    }
  }
}

struct figures {
  const char* label;
  std::size_t bytes = 0;
  std::size_t groups = 0;
  double bare = 0, views = 0, views_copy = 0, ondemand = 0, explorer = 0;  // MB/s
};

volatile std::uint64_t sink = 0;

bool measure(figures& f, std::size_t target) {
  const std::string text = make_page(target);
  const simdjson::padded_string padded(text);
  f.bytes = text.size();
  const double mb = static_cast<double>(text.size()) / 1e6;

  simdjson::dom::parser bare;
  simdjson::dom::element root;
  if (bare.parse(padded).get(root) != simdjson::SUCCESS) return false;

  ce::cost_page page;
  if (auto st = page.reparse_padded(padded); !st) {
    std::fprintf(stderr, "parse failed: %s\n", st.error().message.c_str());
    return false;
  }
  f.groups = page.group_count();
  const std::uint64_t expected = visit(page);

  simdjson::ondemand::parser od;
  const std::uint64_t od_sum = visit_ondemand(od, padded);
  if (od_sum != expected) {
    std::fprintf(stderr, "On-Demand visit disagrees with the views (%llu vs %llu)\n",
                 static_cast<unsigned long long>(od_sum), static_cast<unsigned long long>(expected));
    return false;
  }

  ce::cost_explorer explorer = canned_explorer(text);
  const ce::cost_and_usage_request request = bench_request();
  ce::cost_page fetched;
  if (auto st = explorer.get_cost_and_usage(request, fetched); !st) {
    std::fprintf(stderr, "cost_explorer failed: %s\n", st.error().message.c_str());
    return false;
  }
  if (visit(fetched) != expected) {
    std::fprintf(stderr, "the fetched page disagrees with the parsed one\n");
    return false;
  }

  std::function<void()> fns[] = {
      [&] {
        simdjson::dom::element e;
        if (bare.parse(padded).get(e) == simdjson::SUCCESS) sink = sink + 1;
      },
      [&] {
        if (page.reparse_padded(padded)) sink = sink + visit(page);
      },
      [&] {
        if (page.reparse(text)) sink = sink + visit(page);
      },
      [&] { sink = sink + visit_ondemand(od, padded); },
      [&] {
        if (explorer.get_cost_and_usage(request, fetched)) sink = sink + visit(fetched);
      },
  };
  double best[5];
  best_seconds_per_run(fns, best, text.size());
  f.bare = mb / best[0];
  f.views = mb / best[1];
  f.views_copy = mb / best[2];
  f.ondemand = mb / best[3];
  f.explorer = mb / best[4];
  return true;
}

}  // namespace

int main(int argc, char** argv) {
  const bool json = argc > 1 && std::strcmp(argv[1], "--json") == 0;
  figures all[] = {{"64kib"}, {"1mib"}, {"16mib"}};
  const std::size_t targets[] = {64u << 10, 1u << 20, 16u << 20};
  for (int i = 0; i < 3; ++i)
    if (!measure(all[i], targets[i])) return 1;

  const std::string kernel = simdjson::get_active_implementation()->name();
  const std::string builtin = FINOPS_CRAWLER_BENCH_STR(SIMDJSON_BUILTIN_IMPLEMENTATION);
  const char* flags = FINOPS_CRAWLER_BENCH_FLAGS;
#if defined(__clang__)
  const std::string compiler = std::string("clang ") + __clang_version__;
#elif defined(__GNUC__)
  const std::string compiler = std::string("gcc ") + __VERSION__;
#else
  const std::string compiler = "unknown";
#endif

  if (json) {
    std::printf("{");
    for (const figures& f : all) {
      std::printf("\"bytes_%s\":%zu,\"groups_%s\":%zu,", f.label, f.bytes, f.label, f.groups);
      std::printf("\"parse_mb_per_s_%s\":%.1f,\"parse_copy_mb_per_s_%s\":%.1f,\"bare_parse_mb_per_s_%s\":%.1f,",
                  f.label, f.views, f.label, f.views_copy, f.label, f.bare);
      std::printf("\"ondemand_visit_mb_per_s_%s\":%.1f,\"ratio_%s\":%.3f,", f.label, f.ondemand, f.label,
                  f.bare / f.views);
      std::printf("\"explorer_mb_per_s_%s\":%.1f,\"explorer_ratio_%s\":%.3f,", f.label, f.explorer, f.label,
                  f.bare / f.explorer);
    }
    std::printf("\"clock\":\"%s\",", clock_name());
    std::printf("\"ratio_target\":1.5,\"kernel\":\"%s\",\"builtin_kernel\":\"%s\",\"compiler\":\"%s\",\"flags\":\"%s\"}\n",
                kernel.c_str(), builtin.c_str(), compiler.c_str(), flags);
    return 0;
  }
  std::printf("parse_bench: GetCostAndUsage pages (DAILY, GroupBy SERVICE+USAGE_TYPE, 2 metrics)\n");
  std::printf("simdjson %s; DOM kernel (runtime): %s; On-Demand kernel (compiled in): %s\n", FINOPS_CRAWLER_BENCH_STR(SIMDJSON_VERSION),
              kernel.c_str(), builtin.c_str());
  std::printf("compiler: %s\nflags: %s\nclock: %s, best of 15 interleaved rounds\n\n", compiler.c_str(), flags,
              clock_name());
  std::printf("%-6s %10s %8s | %12s %12s %12s | %12s | %12s | %s\n", "size", "bytes", "groups", "bare DOM", "views",
              "views+copy", "On-Demand", "explorer", "bare/views (target <= 1.5), bare/explorer");
  for (const figures& f : all)
    std::printf("%-6s %10zu %8zu | %7.1f MB/s %7.1f MB/s %7.1f MB/s | %7.1f MB/s | %7.1f MB/s | %.2fx, %.2fx\n", f.label,
                f.bytes, f.groups, f.bare, f.views, f.views_copy, f.ondemand, f.explorer, f.bare / f.views,
                f.bare / f.explorer);
  std::printf("\nbare DOM = simdjson::dom::parser::parse of the padded bytes (the limit);\n"
              "views = ce::cost_page::reparse_padded + visiting every key, amount and unit;\n"
              "views+copy = the same from a std::string_view (one memcpy into simdjson's padded buffer);\n"
              "On-Demand = simdjson On-Demand visiting the same fields;\n"
              "explorer = ce::cost_explorer::get_cost_and_usage over an in-memory transport (validate and\n"
              "  sign the request, copy the body in, validate and read the page) + the same visit.\n");
  return 0;
}
