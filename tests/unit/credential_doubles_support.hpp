// Shared fixture of the HTTP credential provider tests: the simulator with
// the credential doubles plugged in, and the proof that credentials a
// provider returned are the ones that sign the next Cost Explorer request.
// Not a test by itself.
#ifndef FINOPS_CRAWLER_TESTS_CREDENTIAL_DOUBLES_SUPPORT_HPP
#define FINOPS_CRAWLER_TESTS_CREDENTIAL_DOUBLES_SUPPORT_HPP

#include <doctest/doctest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstdio>
#include <fstream>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "credential_doubles.hpp"
#include "finops_crawler/aws/credential_provider_context.hpp"
#include "finops_crawler/aws/json_client.hpp"
#include "sim_test_support.hpp"

namespace creds_test {

namespace fc = finops_crawler;
namespace aws = finops_crawler::aws;
namespace sim = finops_crawler::sim;

inline const std::string cost_body =
    R"({"TimePeriod":{"Start":"2024-01-01","End":"2024-01-03"},"Granularity":"DAILY","Metrics":["UnblendedCost"]})";

/// The simulator (Cost Explorer, Organizations, STS with AssumeRole and
/// AssumeRoleWithWebIdentity) and the doubles' sibling listener, both on
/// 127.0.0.1, for the fixture's lifetime.
struct world {
  std::shared_ptr<sim::credential_doubles> doubles;
  std::unique_ptr<sim_test::running_simulator> simulator;

  explicit world(sim::doubles_options d = {}) {
    d.slow_ms = d.slow_ms == 3000 ? 1500 : d.slow_ms;
    doubles = std::make_shared<sim::credential_doubles>(std::move(d));
    sim::options o;
    o.data.seed = 5;
    o.data.account_count = 3;
    o.data.start_date = "2024-01-01";
    o.data.days = 3;
    o.extension = doubles;
    simulator = std::make_unique<sim_test::running_simulator>(std::move(o));
    auto port = doubles->start();
    REQUIRE_MESSAGE(port, port.error().describe());
  }
  ~world() {
    // The doubles first: the simulator's threads may still hold requests
    // that call into them until it is stopped.
    simulator.reset();
    doubles->stop();
  }
  std::string sim_url() const { return simulator->sim.endpoint_url(); }

  /// Signs one GetCostAndUsage with `c` at the simulator; true when it was
  /// accepted. Then the doubles must have counted exactly one more Cost
  /// Explorer request signed with that key.
  bool signs_cost_explorer(const aws::credentials& c) const {
    const std::uint64_t before = doubles->uses(c.access_key_id(), "ce");
    aws::client_options o = sim_test::client_options(aws::cost_explorer_api, sim_url(), 1);
    o.creds = c;
    aws::json_client client(std::move(o));
    auto r = client.call("GetCostAndUsage", cost_body);
    if (!r) {
      MESSAGE(r.error().describe());
      return false;
    }
    return doubles->uses(c.access_key_id(), "ce") == before + 1;
  }

  /// Whether `c` is the last key pair the doubles handed out (same key,
  /// secret and token).
  bool is_last_issued(const aws::credentials& c) const {
    auto all = doubles->issued();
    if (all.empty()) return false;
    const auto& last = all.back();
    return c.access_key_id() == last.access_key_id && c.secret_access_key() == last.secret_access_key &&
           c.session_token() == last.session_token;
  }
};

/// No secret of any issued pair (nor the given extra secrets) appears in `text`.
inline bool holds_no_secret(const world& w, std::string_view text, const std::vector<std::string>& extra = {}) {
  for (const auto& c : w.doubles->issued())
    if (text.find(c.secret_access_key) != std::string_view::npos ||
        text.find(c.session_token) != std::string_view::npos)
      return false;
  for (const auto& s : extra)
    if (!s.empty() && text.find(s) != std::string_view::npos) return false;
  return true;
}

/// A temporary directory, removed (with its files) at the end.
struct temp_dir {
  std::string path;
  std::vector<std::string> files;
  temp_dir() {
    path = "/tmp/finops-creds-test-XXXXXX";
    REQUIRE(::mkdtemp(&path[0]) != nullptr);
  }
  ~temp_dir() {
    for (const auto& f : files) std::remove(f.c_str());
    ::rmdir(path.c_str());
  }
  std::string write(const std::string& name, const std::string& text) {
    const std::string p = path + "/" + name;
    std::ofstream(p, std::ios::binary | std::ios::trunc) << text;
    files.push_back(p);
    return p;
  }
};

/// A provider context over `env` and `files`, with endpoints from the
/// configured-endpoint rules (AWS_ENDPOINT_URL_STS in `env`).
inline aws::provider_context context(const aws::environment& env, const aws::shared_config& files,
                                     std::string profile = "default") {
  aws::provider_context ctx;
  ctx.env = &env;
  ctx.files = &files;
  ctx.profile = std::move(profile);
  return ctx;
}

}  // namespace creds_test

#endif  // FINOPS_CRAWLER_TESTS_CREDENTIAL_DOUBLES_SUPPORT_HPP
