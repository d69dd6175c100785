#ifndef FINOPS_CRAWLER_FINOPS_CRAWLER_HPP
#define FINOPS_CRAWLER_FINOPS_CRAWLER_HPP
/// \file
/// The umbrella header: every public header of finops_crawler.
///
///   #include "finops_crawler/finops_crawler.hpp"
///
///   int main() {
///     finops_crawler::http::curl_global_guard curl;   // first object of main
///     auto api = finops_crawler::costs_api::from_environment();
///     if (!api) { std::cerr << api.error().describe() << '\n'; return 1; }
///     auto cost = api->get_cost("2025-01-01", "2025-01-08");
///     ...
///   }
///
/// Layers, bottom up (include a narrower header to compile less):
///   result.hpp, config.hpp, decimal.hpp   errors as values; exact money
///   calendar_date.hpp                     UTC calendar days (Cost Explorer dates)
///   aws/sigv4.hpp, sigv4_verifier.hpp     SigV4 signing; verification (libcrypto only)
///   aws/environment.hpp, shared_config.hpp, credentials.hpp, endpoints.hpp
///                                         configuration: keys, profiles, region, endpoints
///   http/*.hpp                            transport (libcurl), retries, rate limit
///   aws/aws_error.hpp, aws/json_client.hpp
///                                         AWS JSON 1.1 / query client with counters
///   aws/session.hpp                       composes the clients (config, credentials, endpoints)
///   aws/ce/requests.hpp, enums.hpp, expression_json.hpp
///                                         validated Cost Explorer requests
///   aws/ce/*_page.hpp, merged_results.hpp page views (simdjson) and page merging
///   aws/ce/crawl.hpp                      pagination driver
///   aws/ce/cost_explorer.hpp, aws/organizations/organizations.hpp, aws/sts/sts.hpp
///                                         service clients
///   costs_api.hpp                         the Python package's API
///
/// Nothing runs at include. Header-only by default; with the Meson
/// dependency the bodies are compiled once instead (config.hpp).

#include "finops_crawler/calendar_date.hpp"
#include "finops_crawler/config.hpp"
#include "finops_crawler/decimal.hpp"
#include "finops_crawler/result.hpp"

#include "finops_crawler/aws/sigv4.hpp"
#include "finops_crawler/aws/sigv4_verifier.hpp"

#include "finops_crawler/aws/credentials.hpp"
#include "finops_crawler/aws/endpoints.hpp"
#include "finops_crawler/aws/environment.hpp"
#include "finops_crawler/aws/session.hpp"
#include "finops_crawler/aws/shared_config.hpp"

#include "finops_crawler/http/curl_global.hpp"
#include "finops_crawler/http/curl_transport.hpp"
#include "finops_crawler/http/rate_limiter.hpp"
#include "finops_crawler/http/retry_policy.hpp"
#include "finops_crawler/http/transport.hpp"

#include "finops_crawler/aws/aws_error.hpp"
#include "finops_crawler/aws/json_client.hpp"

#include "finops_crawler/aws/ce/cost_page.hpp"
#include "finops_crawler/aws/ce/cost_categories_page.hpp"
#include "finops_crawler/aws/ce/dimension_values_page.hpp"
#include "finops_crawler/aws/ce/tags_page.hpp"
#include "finops_crawler/aws/ce/enums.hpp"
#include "finops_crawler/aws/ce/expression_json.hpp"
#include "finops_crawler/aws/ce/forecast_page.hpp"
#include "finops_crawler/aws/ce/merged_results.hpp"
#include "finops_crawler/aws/ce/requests.hpp"

#include "finops_crawler/aws/organizations/accounts_page.hpp"
#include "finops_crawler/aws/organizations/requests.hpp"
#include "finops_crawler/aws/sts/caller_identity.hpp"

#include "finops_crawler/aws/ce/cost_explorer.hpp"
#include "finops_crawler/aws/ce/crawl.hpp"
#include "finops_crawler/aws/organizations/organizations.hpp"
#include "finops_crawler/aws/sts/sts.hpp"

#include "finops_crawler/costs_api.hpp"

#endif  // FINOPS_CRAWLER_FINOPS_CRAWLER_HPP
