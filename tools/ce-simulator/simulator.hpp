#ifndef FINOPS_CRAWLER_SIM_SIMULATOR_HPP
#define FINOPS_CRAWLER_SIM_SIMULATOR_HPP
/// \file
/// finops-crawler-sim in process: a local stand-in for AWS Cost Explorer,
/// Organizations and STS on 127.0.0.1, serving deterministic synthetic data
/// (synthetic_data.hpp), verifying SigV4 on every request and injecting
/// faults (throttling, 5xx, dropped connections, truncated JSON, slowness,
/// gzip) from a seed or from a script.
///
///   sim::options o;
///   o.data.seed = 7; o.data.start_date = "2024-01-01"; o.data.days = 10;
///   sim::simulator s(o);
///   auto port = s.start();             // binds 127.0.0.1:0, serves on threads
///   if (!port) return port.error();
///   client.set_endpoint(s.endpoint_url());  // "http://127.0.0.1:PORT"
///   ...
///   s.script_faults(sim::fault::throttling, 2);   // next 2 requests throttled
///   auto st = s.stats();
///   s.stop();                          // also done by the destructor
///
/// The HTTP server (cpp-httplib) stays out of this header.

#include <array>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "finops_crawler/result.hpp"
#include "synthetic_data.hpp"

namespace finops_crawler {
inline namespace v0 {
namespace sim {

/// The simulator's default access key id (a fake, simulator-only key).
inline constexpr std::string_view default_access_key_id = "AKIAFINOPSSIM0EXAMPL";
/// The simulator's default secret (a fake, simulator-only secret; printed by
/// finops-crawler-sim so users can paste it, never a real key).
inline constexpr std::string_view default_secret_access_key = "finopsSimulatorSecretKey0000000000EXAMPLE";

/// One accepted credential.
struct credential {
  std::string access_key_id;
  std::string secret_access_key;
  /// When set, requests must carry exactly this X-Amz-Security-Token.
  std::string session_token;
  /// Requests signed with this key get 400 ExpiredTokenException.
  bool expired = false;
  /// Account GetCallerIdentity reports; empty = the first (management) account.
  std::string account_id;
};

/// What a credential_extension answers for one STS action.
struct sts_answer {
  int status = 200;        ///< 200: `body` is the XML reply; otherwise an ErrorResponse is rendered
  std::string error_code;  ///< e.g. "AccessDenied" when status != 200
  std::string message;     ///< the error's Message
  std::string body;        ///< the XML reply when status == 200
  int delay_ms = 0;        ///< sleep before replying (slow-reply fault)
};

/// A plug-in that lends the simulator temporary credentials it issued and
/// answers STS actions the simulator does not know itself: the credential
/// test doubles (credential_doubles.hpp). Called from the server's threads,
/// so implementations are thread-safe.
class credential_extension {
 public:
  virtual ~credential_extension() = default;
  /// The credential issued with `access_key_id`, consulted when it is not
  /// in options::credentials; false when there is none.
  virtual bool find_credential(std::string_view access_key_id, credential& out) const = 0;
  /// Called once a request to `service` ("ce", "organizations", "sts")
  /// passed the signature, token and expiry checks with `access_key_id`.
  virtual void authenticated(std::string_view access_key_id, std::string_view service) = 0;
  /// Whether STS `action` is answered without a signature
  /// (AssumeRoleWithWebIdentity).
  virtual bool unsigned_action(std::string_view action) const = 0;
  /// Answers STS `action` (form parameters in `form`); false when unknown.
  /// `caller` is the authenticated credential, null for an unsigned action;
  /// `request_id` goes into the reply's ResponseMetadata.
  virtual bool answer_sts(std::string_view action, const std::map<std::string, std::string>& form,
                          const credential* caller, std::string_view request_id, sts_answer& out) = 0;
};

/// Fault kinds. The first seven make a request fail (and count toward the
/// consecutive-fault cap); `slow` and `gzip` change only timing or encoding.
enum class fault : std::uint8_t {
  throttling,        ///< 400 ThrottlingException "Rate exceeded"
  limit_exceeded,    ///< 400 LimitExceededException "Rate limit exceeded"
  internal_error,    ///< 500 InternalServerError (JSON)
  unavailable,       ///< 503 with an HTML body (text/html), like a load balancer
  connection_close,  ///< headers with the full Content-Length, half the body, then close
  truncated_json,    ///< 200 with a complete HTTP body holding cut-off JSON
  /// A 200 whose members all appear twice: `{A,B}` sent as `{A,B,A,B}` (JSON),
  /// the elements inside `<...Result>` twice (STS XML). Valid JSON that no
  /// reader may half-read; only successful replies are damaged.
  duplicate_key,
  slow,              ///< the normal reply after sleeping fault_options::slow_ms
  gzip,              ///< the normal reply gzip-encoded, when the client accepts gzip
};
/// Number of fault kinds.
inline constexpr std::size_t fault_count = 9;
/// Names of `fault`, in order (also the keys in stats JSON and the CLI).
inline constexpr std::array<std::string_view, fault_count> fault_names = {
    "throttling", "limit_exceeded", "internal_error", "unavailable",
    "connection_close", "truncated_json", "duplicate_key", "slow", "gzip"};
/// Parses a fault name. Pure.
inline bool parse_fault(std::string_view s, fault& out) noexcept {
  for (std::size_t i = 0; i < fault_names.size(); ++i)
    if (fault_names[i] == s) {
      out = static_cast<fault>(i);
      return true;
    }
  return false;
}
/// True for the seven kinds that make a request fail.
constexpr bool is_failure(fault f) noexcept { return f != fault::slow && f != fault::gzip; }

/// Random faults. Decisions are drawn from `seed` and the request sequence
/// number, so a run with the same request order is reproducible.
struct fault_options {
  std::uint64_t seed = 1;
  /// Probability (0..1) of each kind per request. The failing kinds are
  /// exclusive (their sum should stay <= 1); slow and gzip are drawn apart.
  std::array<double, fault_count> probability{};
  /// K: never more than K consecutive failing faults for the same request
  /// (same operation and body), so a client making K+1 attempts succeeds.
  int max_consecutive = 3;
  /// Sleep of the `slow` fault.
  int slow_ms = 200;
  /// Spreads `rate` evenly over the failing kinds.
  void set_failure_rate(double rate) noexcept {
    std::size_t failing = 0;
    for (std::size_t i = 0; i < fault_count; ++i) failing += is_failure(static_cast<fault>(i)) ? 1 : 0;
    for (std::size_t i = 0; i < fault_count; ++i)
      probability[i] = is_failure(static_cast<fault>(i)) ? rate / static_cast<double>(failing) : probability[i];
  }
};

/// Simulator configuration. Plain data.
struct options {
  /// The synthetic data (seed, accounts, services, days, start date).
  data_options data;
  /// GetCostAndUsage(WithResources) page size, in groups (Cost Explorer
  /// pages by groups; a day may continue on the next page).
  std::size_t page_size_groups = 1000;
  /// GetDimensionValues page size when the request has no MaxResults.
  std::size_t page_size_dimension_values = 1000;
  /// GetTags page size (tag keys or values) when the request has no MaxResults.
  std::size_t page_size_tags = 1000;
  /// GetCostCategories page size when the request has no MaxResults.
  std::size_t page_size_cost_categories = 1000;
  /// ListAccounts page size when the request has no MaxResults (AWS max 20).
  std::size_t page_size_accounts = 20;
  fault_options faults;
  /// Accepted credentials; empty = one credential with the default key.
  std::vector<credential> credentials;
  /// Largest request body accepted (bigger: HTTP 413).
  std::size_t max_body = 1 << 20;
  /// Organizations answers 400 AWSOrganizationsNotInUseException.
  bool not_in_organization = false;
  /// Region the credential scope must name for ce and organizations
  /// ("" = any). STS accepts any region (regional endpoints).
  std::string region = "us-east-1";
  /// Allowed signing clock skew (AWS: 15 minutes).
  std::chrono::seconds max_clock_skew{900};
  /// Worker threads (each keep-alive connection holds one while open).
  std::size_t threads = 8;
  /// Port to bind on 127.0.0.1; 0 = any free port.
  int port = 0;
  /// When true, __type and x-amzn-ErrorType carry the namespace and URL
  /// parts real services add ("com.amazon.coral.validate#ValidationException",
  /// "ValidationException:http://internal.amazon.com/coral/..."), to test
  /// that clients strip them. Default: bare names.
  bool qualified_error_types = false;
  /// Seconds an idle keep-alive connection stays open (also bounds stop()).
  int keep_alive_timeout_s = 5;
  /// Temporary credentials and STS actions from test doubles; may be null.
  std::shared_ptr<credential_extension> extension;
};

/// Counters since start(). Plain data; a snapshot.
struct counters {
  std::uint64_t requests = 0;        ///< every HTTP request to an AWS operation
  std::uint64_t billable = 0;        ///< Cost Explorer requests answered 200 with a complete body
  std::uint64_t auth_failures = 0;   ///< refused for signature, key, token or expiry
  std::uint64_t client_errors = 0;   ///< other 4xx the operation itself returned (validation, ...)
  std::uint64_t connections = 0;     ///< TCP connections accepted
  std::uint64_t bytes_sent = 0;      ///< response body bytes written
  std::array<std::uint64_t, fault_count> faults{};  ///< injected, by kind
  /// One JSON object: {"requests":..,"billable":..,...,"faults":{"throttling":..}}.
  std::string to_json() const;
  /// Human lines for the console.
  std::string to_text() const;
};

/// The simulator. Not copyable or movable. start()/stop() from one thread;
/// stats(), script_faults() and the accessors are thread-safe.
class simulator {
 public:
  /// Stores the options; nothing runs until start().
  explicit simulator(options opts);
  /// Stops and joins the server thread.
  ~simulator();
  simulator(const simulator&) = delete;
  simulator& operator=(const simulator&) = delete;

  /// Builds the data set, binds 127.0.0.1:options.port (0 = free port) and
  /// serves on a background thread. Returns the port. Errors:
  /// errc::invalid_argument (bad options, already started, or started and
  /// stopped before: a simulator runs once),
  /// errc::transport (bind failed). Connections made after start() returns
  /// are accepted (the socket listens before start() returns).
  result<int> start();
  /// Stops accepting, waits for in-flight requests and joins. Idempotent.
  /// May wait up to keep_alive_timeout_s for idle keep-alive connections.
  void stop();
  /// The bound port, 0 before start().
  int port() const noexcept;
  /// "http://127.0.0.1:PORT".
  std::string endpoint_url() const;
  /// A snapshot of the counters.
  counters stats() const;
  /// Script mode: the next `n` authenticated AWS requests fail with `f`
  /// (regardless of probabilities and of the consecutive cap). Calls queue
  /// up in order.
  void script_faults(fault f, int n);
  /// Drops any scripted faults still queued.
  void clear_script();
  /// The data set served; valid after a successful start().
  const data_set& data() const;
  /// The options as given.
  const options& opts() const noexcept;

  struct impl;

 private:
  std::unique_ptr<impl> impl_;
};

}  // namespace sim
}  // namespace v0
}  // namespace finops_crawler

#endif  // FINOPS_CRAWLER_SIM_SIMULATOR_HPP
