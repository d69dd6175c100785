#ifndef FINOPS_CRAWLER_COSTS_API_INL_HPP
#define FINOPS_CRAWLER_COSTS_API_INL_HPP
/// \file
/// The bodies of costs_api.hpp: included by that header in header-only
/// mode, compiled once in src/ otherwise (config.hpp). Not for direct inclusion.

#include "finops_crawler/costs_api.hpp"

namespace finops_crawler {
inline namespace v0 {

namespace detail {

FINOPS_CRAWLER_FUNC const aws::environment& env_of(const costs_api_options& o) {
  return o.environment ? *o.environment : aws::default_environment();
}

/// The Python package's request: DAILY, UnblendedCost, GroupBy SERVICE and USAGE_TYPE.
FINOPS_CRAWLER_FUNC ce::cost_and_usage_request python_cost_request(const calendar_date& start, const calendar_date& end) {
  ce::cost_and_usage_request r;
  r.time_period = {start.to_string(), end.to_string()};
  r.granularity = ce::granularity::daily;
  r.metrics = {"UnblendedCost"};
  r.group_by = {ce::group_by::dimension("SERVICE"), ce::group_by::dimension("USAGE_TYPE")};
  return r;
}

}  // namespace detail

FINOPS_CRAWLER_FUNC result<costs_api> costs_api::from_keys(std::string access_key_id, std::string secret_access_key,
                                              costs_api_options options) {
  std::string missing;
  if (access_key_id.empty()) missing = "the access key id (AWS_ACCESS_KEY_ID)";
  if (secret_access_key.empty())
    missing += std::string(missing.empty() ? "" : " and ") + "the secret access key (AWS_SECRET_ACCESS_KEY)";
  if (!missing.empty()) {
    aws::detail::cleanse_string(secret_access_key);
    return error(errc::no_credentials, "costs_api: " + missing + " is empty; pass both keys of an IAM access key");
  }
  auto creds = aws::credentials::make(std::move(access_key_id), std::move(secret_access_key), {}, std::nullopt,
                                      "explicit keys");
  if (!creds) return creds.error();
  return from_credentials(std::move(*creds), std::move(options));
}

FINOPS_CRAWLER_FUNC result<costs_api> costs_api::from_environment(costs_api_options options) {
  auto found = aws::credentials_from_environment(detail::env_of(options));
  if (!found) return found.error();
  if (!found->has_value())
    return error(errc::no_credentials,
                 "Missing environment variable(s) for: AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY; set both to "
                 "the keys of an IAM access key (aws iam create-access-key), or use a profile");
  return from_credentials(std::move(**found), std::move(options));
}

FINOPS_CRAWLER_FUNC result<costs_api> costs_api::from_default_chain(costs_api_options options,
                                                       aws::credential_options credentials) {
  return from_session(std::move(options), std::nullopt, std::move(credentials));
}

FINOPS_CRAWLER_FUNC result<costs_api> costs_api::from_credentials(aws::credentials creds, costs_api_options options) {
  if (creds.empty()) return error(errc::no_credentials, "costs_api: the credentials are empty");
  return from_session(std::move(options), std::move(creds), {});
}

FINOPS_CRAWLER_FUNC result<costs_api> costs_api::from_session(costs_api_options options,
                                                 std::optional<aws::credentials> creds,
                                                 aws::credential_options chain) {
  aws::session_options so;
  so.profile = std::move(options.profile);
  so.region = std::move(options.region);
  so.endpoint_url = std::move(options.endpoint_url);
  so.creds = std::move(creds);
  so.credential_chain = std::move(chain);
  so.env = options.environment;
  if (options.transport_factory) {
    so.make_transport = [factory = std::move(options.transport_factory)](const aws::api_service&,
                                                                        const aws::endpoint&) { return factory(); };
  }
  so.curl = std::move(options.curl);
  so.retry = options.retry;
  so.rate_limit = options.rate_limit;
  so.time = std::move(options.time);
  so.random = std::move(options.random);
  so.on_attempt = std::move(options.on_attempt);
  auto session = aws::session::open(std::move(so));
  if (!session) return session.error();
  auto ce_client = session->client(aws::cost_explorer_api);
  if (!ce_client) return ce_client.error();
  auto org_client = session->client(aws::organizations_api);
  if (!org_client) return org_client.error();
  auto sts_client = session->client(aws::sts_api);
  if (!sts_client) return sts_client.error();
  ce::cost_explorer_options ceo;
  ceo.today = options.today;
  return costs_api(ce::cost_explorer(std::move(*ce_client), std::move(ceo)),
                   organizations::organizations_client(std::move(*org_client)),
                   sts::sts_client(std::move(*sts_client)), options.crawl, session->creds().source());
}

FINOPS_CRAWLER_FUNC result<store::sync_outcome> costs_api::save_cost(calendar_date start, calendar_date end,
                                                                    store::cost_store& db, std::string report) {
  store::sync_options o;
  o.report = std::move(report);
  o.start = start;
  o.end = end;
  const auto& t = ce_.options().today;
  if (t && !t->empty()) {
    auto d = calendar_date::parse(*t);
    if (!d) return d.error();
    o.today = *d;
  } else {
    o.today = calendar_date::from_time(std::chrono::system_clock::now());
  }
  o.payer = [this]() { return get_account_info(); };
  return store::run_sync(db, ce_, o);
}

FINOPS_CRAWLER_FUNC result<cost_results> costs_api::get_cost(calendar_date start, calendar_date end) {
  const ce::cost_and_usage_request request = detail::python_cost_request(start, end);
  ce::merged_results merged;
  auto stats = ce_.crawl_cost_and_usage(
      request, [&](const ce::cost_page& page, const ce::page_info&) { return merged.add_page(page); }, crawl_);
  if (!stats) return stats.error();
  cost_results out;
  out.group_definitions = merged.group_definitions();
  out.stats = std::move(*stats);
  out.results_by_time = std::move(merged).take_results();
  return out;
}

FINOPS_CRAWLER_FUNC result<cost_results> costs_api::get_cost(std::string_view start, std::string_view end) {
  auto s = calendar_date::parse(start);
  if (!s) return error(errc::invalid_argument, "get_cost: start: " + s.error().message);
  auto e = calendar_date::parse(end);
  if (!e) return error(errc::invalid_argument, "get_cost: end: " + e.error().message);
  return get_cost(*s, *e);
}

FINOPS_CRAWLER_FUNC result<std::vector<std::string>> costs_api::get_all_accounts() { return org_.list_account_ids(crawl_); }

FINOPS_CRAWLER_FUNC result<std::string> costs_api::get_account_info() {
  auto who = sts_.get_caller_identity();
  if (!who) return who.error();
  return std::move(who->account);
}

}  // namespace v0
}  // namespace finops_crawler

#endif  // FINOPS_CRAWLER_COSTS_API_INL_HPP
