#ifndef FINOPS_CRAWLER_COSTS_API_HPP
#define FINOPS_CRAWLER_COSTS_API_HPP
/// \file
/// `costs_api`: the API of the Python finops-crawler's AWS client, in C++.
///
///   Python                                   C++
///   aws.costs_api(key_id, secret)            costs_api::from_keys(key_id, secret)
///   (reads AWS_ACCESS_KEY_ID/...SECRET...)    costs_api::from_environment()
///                                            costs_api::from_default_chain()  // + profiles
///   client.get_cost(start, end)              api.get_cost(start, end)
///   client.get_all_accounts()  (or False)    api.get_all_accounts()  (or errc::not_in_organization)
///   client.get_account_info()                api.get_account_info()
///   save_to_postgres (planned)               api.save_cost(start, end, db)  // store/sync.hpp
///
///   auto api = finops_crawler::costs_api::from_environment();
///   if (!api) { std::cerr << api.error().describe() << '\n'; return 1; }
///   auto cost = api->get_cost("2025-01-01", "2025-01-08");
///   if (!cost) { std::cerr << cost.error().describe() << '\n'; return 1; }
///   for (const auto& day : cost->results_by_time)
///     for (const auto& g : day.groups) std::cout << day.start << ' ' << g.keys[0] << '\n';
///
/// get_cost is Cost Explorer GetCostAndUsage with DAILY granularity, metric
/// UnblendedCost, grouped by the dimensions SERVICE and USAGE_TYPE, over all
/// pages (NextPageToken followed until absent), with the periods that AWS
/// splits across pages merged so each day appears once. Each page costs
/// USD 0.01 (cost_results::stats says how many were made).
///
/// Includes libcurl, simdjson and OpenSSL through the clients it holds.

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "finops_crawler/aws/ce/cost_explorer.hpp"
#include "finops_crawler/aws/ce/merged_results.hpp"
#include "finops_crawler/aws/ce/requests.hpp"
#include "finops_crawler/aws/credentials.hpp"
#include "finops_crawler/aws/endpoints.hpp"
#include "finops_crawler/aws/environment.hpp"
#include "finops_crawler/aws/json_client.hpp"
#include "finops_crawler/aws/organizations/organizations.hpp"
#include "finops_crawler/aws/session.hpp"
#include "finops_crawler/aws/shared_config.hpp"
#include "finops_crawler/aws/sts/sts.hpp"
#include "finops_crawler/calendar_date.hpp"
#include "finops_crawler/http/transport.hpp"
#include "finops_crawler/result.hpp"
#include "finops_crawler/store/sync.hpp"

namespace finops_crawler {
inline namespace v0 {

/// Settings of a costs_api. Everything is optional; the defaults talk to
/// AWS over libcurl with the SDKs' configuration rules. Move-only.
struct costs_api_options {
  /// Endpoint URL for all three services (Cost Explorer, Organizations,
  /// STS), e.g. a local simulator "http://127.0.0.1:4566"; plain http is
  /// accepted only here. Unset: AWS_ENDPOINT_URL_<SERVICE>, AWS_ENDPOINT_URL,
  /// the profile's endpoint settings, else the AWS endpoint (endpoints.hpp).
  std::optional<std::string> endpoint_url;
  /// Region (used by STS, whose endpoint is regional). Unset: AWS_REGION,
  /// AWS_DEFAULT_REGION, the profile's region, else us-east-1.
  std::optional<std::string> region;
  /// Profile of the shared config files. Unset: AWS_PROFILE, else "default".
  std::optional<std::string> profile;
  /// Where environment variables are read; null means the process
  /// environment. Must outlive the factory call only.
  const aws::environment* environment = nullptr;
  /// Makes the transport of each of the three clients (called three times);
  /// empty means a curl_transport from `curl`. Tests pass counting or
  /// scripted transports.
  std::function<std::unique_ptr<http::transport>()> transport_factory;
  /// libcurl settings of the default transport (timeouts, size cap, CA file).
  http::curl_options curl;
  /// Attempts and backoff of every call.
  http::retry_options retry;
  /// Client-side request rate of each client (Cost Explorer's guidance is a
  /// few requests per second); {0, 1} disables it.
  http::rate_limit_options rate_limit{5.0, 5.0};
  /// Clock and sleep for backoff and rate limiting (tests: fake ones).
  http::time_source time;
  /// Random source for backoff jitter; empty means seeded std::mt19937_64.
  http::random_source random;
  /// Called after every HTTP attempt of every client (progress, logs).
  aws::attempt_hook on_attempt;
  /// Page cap of get_cost and get_all_accounts (0: none).
  ce::crawl_options crawl;
  /// Today's date for the request model's date rules (see
  /// ce::cost_explorer_options::today); unset: the system clock.
  std::optional<std::string> today;
};

/// What get_cost returns: the merged ResultsByTime (each day once, with all
/// its groups, in AWS order; amounts are AWS's exact strings, see
/// ce::owned_metric) and what the crawl cost. Plain data.
struct cost_results {
  std::vector<ce::owned_result_by_time> results_by_time;
  std::vector<ce::owned_group_definition> group_definitions;  ///< SERVICE, USAGE_TYPE
  ce::crawl_stats stats;  ///< pages, billable requests (USD 0.01 each), retries
};

/// The Python package's AWS client: costs, organization accounts, caller
/// account. Holds three clients (Cost Explorer, Organizations, STS), each
/// with its own connection, signer and counters.
///
/// Errors are values (result<T>); messages name what to fix and never
/// contain the secret key or session token. Thread safety: one thread at a
/// time; make one costs_api per thread. Move-only.
class costs_api {
 public:
  /// From an access key id and secret (the Python `costs_api(key, secret)`).
  /// An empty key id or secret is errc::no_credentials naming the missing
  /// one and its environment variable. Other errors: those of
  /// from_credentials. The secret is wiped from `secret_access_key` after use.
  static result<costs_api> from_keys(std::string access_key_id, std::string secret_access_key,
                                     costs_api_options options = {});

  /// From AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY (and
  /// AWS_SESSION_TOKEN) only, as the Python package does. Errors:
  /// errc::no_credentials naming the missing variable(s), e.g.
  /// "Missing environment variable(s) for: AWS_SECRET_ACCESS_KEY".
  static result<costs_api> from_environment(costs_api_options options = {});

  /// From the default credential chain (explicit options, environment,
  /// shared credentials and config files; credentials.hpp). Errors:
  /// errc::no_credentials listing everything tried, errc::config_file for a
  /// broken file, errc::invalid_argument for bad explicit values.
  static result<costs_api> from_default_chain(costs_api_options options = {},
                                              aws::credential_options credentials = {});

  /// From credentials already resolved. Resolves the three endpoints
  /// (errc::invalid_argument for a bad endpoint URL or region, naming where
  /// it was set; errc::config_file for a broken config file) and makes the
  /// clients. Sends nothing.
  static result<costs_api> from_credentials(aws::credentials creds, costs_api_options options = {});

  /// DAILY UnblendedCost grouped by SERVICE and USAGE_TYPE for [start, end)
  /// (end exclusive, as Cost Explorer counts), over all pages, merged.
  /// Errors: errc::invalid_argument for end not after start or a start in
  /// the future (nothing is sent); the Cost Explorer client's and crawl's
  /// errors (DataUnavailableException when Cost Explorer is not enabled,
  /// AccessDenied naming ce:GetCostAndUsage, throttled, limit_reached for a
  /// page cap or a repeated token, unexpected_shape, ...).
  /// Cost: USD 0.01 per page (usually one page per ~ few hundred groups).
  result<cost_results> get_cost(calendar_date start, calendar_date end);
  /// As above with `YYYY-MM-DD` strings; errc::invalid_argument naming the
  /// argument for anything else ("2025-1-5", "2025-02-30", "", ...).
  result<cost_results> get_cost(std::string_view start, std::string_view end);

  /// The ids of every account of the organization (Organizations
  /// ListAccounts, all pages). A standalone account gets
  /// errc::not_in_organization (the Python package returns False): test
  /// `r.code() == errc::not_in_organization`. Other errors: AccessDenied
  /// (organizations:ListAccounts; only the management account or a
  /// delegated administrator may list), throttled, ... Free.
  result<std::vector<std::string>> get_all_accounts();

  /// The caller's 12-digit account id (STS GetCallerIdentity). Free; needs
  /// no IAM permission, so it is the way to check credentials.
  result<std::string> get_account_info();
  /// Keeps `db` current for [start, end): a sync (store/sync.hpp) of the
  /// report `report` (on its first save: DAILY UnblendedCost and
  /// UsageQuantity by SERVICE and LINKED_ACCOUNT) with the refresh rule, so
  /// each page is paid once and a second save fetches only the periods AWS
  /// may still revise. `db` is a store::cost_store, e.g.
  /// store::open_sqlite_store("costs.db") (store/sqlite_store.hpp,
  /// finops_crawler_sqlite_dep) or store::open_postgres_store(uri).
  /// `end` is clamped to today (the Cost Explorer client's today option,
  /// else the clock). Errors: as store::run_sync (nothing billable is sent
  /// when it returns an error; a failure after requests began is in
  /// sync_outcome::failure). Cost: USD 0.01 per page fetched.
  result<store::sync_outcome> save_cost(calendar_date start, calendar_date end, store::cost_store& db,
                                        std::string report = "default");
  /// The caller's whole identity: account, ARN, user id.
  result<sts::caller_identity> get_caller_identity() { return sts_.get_caller_identity(); }

  /// The clients, for every other call (dimension values, forecasts,
  /// describe_account, custom crawls) and their counters.
  ce::cost_explorer& cost_explorer() noexcept { return ce_; }
  organizations::organizations_client& organizations() noexcept { return org_; }
  sts::sts_client& sts() noexcept { return sts_; }
  /// Where the credentials came from, safe to print (no secret).
  const std::string& credentials_source() const noexcept { return creds_source_; }

  costs_api(costs_api&&) = default;
  costs_api& operator=(costs_api&&) = default;

 private:
  // Every factory ends here: an aws::session composes the three clients.
  static result<costs_api> from_session(costs_api_options options, std::optional<aws::credentials> creds,
                                        aws::credential_options chain);
  costs_api(ce::cost_explorer c, organizations::organizations_client o, sts::sts_client s, ce::crawl_options crawl,
            std::string source)
      : ce_(std::move(c)), org_(std::move(o)), sts_(std::move(s)), crawl_(crawl), creds_source_(std::move(source)) {}

  ce::cost_explorer ce_;
  organizations::organizations_client org_;
  sts::sts_client sts_;
  ce::crawl_options crawl_;
  std::string creds_source_;
};

}  // namespace v0
}  // namespace finops_crawler

#if FINOPS_CRAWLER_HEADER_ONLY
#include "finops_crawler/costs_api-inl.hpp"
#endif

#endif  // FINOPS_CRAWLER_COSTS_API_HPP
