// Shared set-up of the end-to-end tests: libcurl prepared once per process,
// client options for the in-process simulator, and the simulator started on
// 127.0.0.1:0 for the lifetime of a fixture. Not a test by itself.
#ifndef FINOPS_CRAWLER_TESTS_SIM_TEST_SUPPORT_HPP
#define FINOPS_CRAWLER_TESTS_SIM_TEST_SUPPORT_HPP

#include <doctest/doctest.h>

#include <chrono>
#include <cstdlib>
#include <string>
#include <string_view>
#include <utility>

#include "finops_crawler/aws/json_client.hpp"
#include "finops_crawler/http/curl_global.hpp"
#include "simulator.hpp"

namespace sim_test {

/// Once per process, before any client or thread: keeps libcurl away from a
/// proxy configured in the environment (NO_PROXY for loopback) and runs
/// libcurl's global initialisation.
inline void prepare_process() {
  struct process_setup {
    process_setup() { ::setenv("NO_PROXY", "127.0.0.1,localhost", 1); }
    finops_crawler::http::curl_global_guard curl;
  };
  static process_setup once;
  (void)once;
}

/// Whether `s` contains `needle`.
inline bool has(std::string_view s, std::string_view needle) { return s.find(needle) != std::string_view::npos; }

/// Options of a client of `api` at the simulator's `url`: the simulator's
/// default keys, `max_attempts` attempts with 1 ms backoff (capped at
/// `max_attempts` ms) and no client-side rate limit. The signing name of the
/// three services is their IAM prefix ("ce", "organizations", "sts").
inline finops_crawler::aws::client_options client_options(const finops_crawler::aws::api_service& api,
                                                          std::string url, int max_attempts = 4,
                                                          std::string signing_region = "us-east-1") {
  namespace fc = finops_crawler;
  fc::aws::client_options o;
  o.service = api;
  o.target.url = std::move(url);
  o.target.signing_region = std::move(signing_region);
  o.target.signing_name = std::string(api.iam_prefix);
  o.target.overridden = true;
  auto c = fc::aws::credentials::make(std::string(finops_crawler::sim::default_access_key_id),
                                      std::string(finops_crawler::sim::default_secret_access_key));
  REQUIRE(c);
  o.creds = *c;
  o.retry.max_attempts = max_attempts;
  o.retry.base_delay = std::chrono::milliseconds(1);
  o.retry.throttle_base_delay = std::chrono::milliseconds(1);
  o.retry.max_delay = std::chrono::milliseconds(max_attempts);
  o.rate_limit = {0, 1};
  return o;
}

/// The simulator with options `o`, serving on 127.0.0.1 from construction
/// (a failed start fails the test); it stops and joins its threads when
/// destroyed.
struct running_simulator {
  finops_crawler::sim::simulator sim;
  explicit running_simulator(finops_crawler::sim::options o) : sim(std::move(o)) {
    prepare_process();
    auto port = sim.start();
    REQUIRE_MESSAGE(port, port.error().describe());
  }
};

}  // namespace sim_test

#endif  // FINOPS_CRAWLER_TESTS_SIM_TEST_SUPPORT_HPP
