// What the benchmarks against the simulator share: a Cost Explorer client's
// options for the simulator's default keys, and the process's peak RSS.
// Header for bench/*.cpp only.
#ifndef FINOPS_CRAWLER_BENCH_SUPPORT_HPP
#define FINOPS_CRAWLER_BENCH_SUPPORT_HPP

#include "finops_crawler/aws/json_client.hpp"
#include "simulator.hpp"

#include <sys/resource.h>

#include <string>

namespace bench_support {

/// Options of a Cost Explorer client at the simulator's `url` with its
/// default keys, no client-side rate limit (a benchmark measures the client,
/// not the limiter's waits) and the library's default retries and limits.
inline finops_crawler::aws::client_options sim_client_options(std::string url) {
  namespace fc = finops_crawler;
  fc::aws::client_options o;
  o.service = fc::aws::cost_explorer_api;
  o.target.url = std::move(url);
  o.target.signing_region = "us-east-1";
  o.target.signing_name = "ce";
  o.target.overridden = true;
  auto c = fc::aws::credentials::make(std::string(fc::sim::default_access_key_id),
                                      std::string(fc::sim::default_secret_access_key));
  if (c) o.creds = *c;
  o.rate_limit = {0, 1};
  return o;
}

/// The process's peak resident set size so far, MiB (getrusage ru_maxrss,
/// KiB on Linux). It never goes down: measure in a fresh process.
inline double peak_rss_mib() {
  rusage ru{};
  getrusage(RUSAGE_SELF, &ru);
  return static_cast<double>(ru.ru_maxrss) / 1024.0;
}

}  // namespace bench_support

#endif  // FINOPS_CRAWLER_BENCH_SUPPORT_HPP
