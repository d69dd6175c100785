// Bodies of error_hints.hpp.
#include "error_hints.hpp"

#include "exit_codes.hpp"
#include "finops_crawler/detail/ascii.hpp"

namespace finops_crawler {
inline namespace v0 {
namespace cli {

using finops_crawler::detail::icontains;

std::string iam_action(std::string_view iam_prefix, std::string_view operation) {
  return std::string(iam_prefix) + ":" + std::string(operation);
}

bool is_certificate_error(const error& e) noexcept {
  // CURLE_SSL_CERTPROBLEM 58, CURLE_PEER_FAILED_VERIFICATION 60,
  // CURLE_SSL_CACERT_BADFILE 77, CURLE_SSL_ISSUER_ERROR 83; other TLS
  // failures (35) when libcurl's text says it was the certificate.
  switch (e.curl_code) {
    case 58:
    case 60:
    case 77:
    case 83: return true;
    default: return e.curl_code != 0 && icontains(e.message, "certificate");
  }
}

std::string explain_error(const error& e, std::string_view action) {
  std::string line = "finops-crawler: " + e.describe();
  const std::string_view code = e.aws_code;
  auto hint = [&](std::string_view h) {
    line += " -- ";
    line += h;
  };
  if (e.code == errc::no_credentials || e.code == errc::config_file) {
    hint("set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, or pass --profile NAME for a profile in ~/.aws/credentials");
  } else if (is_credential_aws_code(code)) {
    if (icontains(code, "Expired"))
      hint("the session token has expired: refresh the temporary credentials");
    else
      hint("AWS does not accept these keys: check the access key id and secret (and the session token, if any)");
  } else if (icontains(e.message, "not enabled for cost explorer") ||
             icontains(e.message, "cost explorer is not enabled") || code == "DataUnavailableException") {
    hint("enable Cost Explorer in the Billing console (management account: Cost Explorer > Launch); "
         "data appears within 24 hours");
  } else if (icontains(e.message, "resource") &&
             (icontains(e.message, "not enabled") || icontains(e.message, "opt"))) {
    hint("--group-by RESOURCE_ID needs resource-level data: enable 'Resource-level data at daily granularity' "
         "in Cost Management > Preferences (covers the last 14 days only)");
  } else if (code == "AccessDeniedException" || code == "AccessDenied" || e.http_status == 403) {
    if (!action.empty()) hint("grant the IAM action " + std::string(action) + " to this identity (see `finops-crawler whoami`)");
    else hint("this identity lacks the IAM permission for the call (see `finops-crawler whoami`)");
  } else if (e.code == errc::not_in_organization || code == "AWSOrganizationsNotInUseException") {
    hint("this account is not in an AWS Organization: there is only this one account");
  } else if (is_throttling_aws_code(code) || e.code == errc::throttled) {
    hint("AWS kept throttling after all retries: wait a minute and run again (use --cache DIR to reuse pages)");
  } else if (e.code == errc::transport && is_certificate_error(e)) {
    hint("the server's TLS certificate is not trusted (or the CA file is bad): behind a TLS-inspecting proxy, "
         "give its CA certificates with --ca-bundle FILE, AWS_CA_BUNDLE or ca_bundle in the profile");
  } else if (e.code == errc::transport) {
    hint("check the network, a proxy (HTTPS_PROXY) or --endpoint-url");
  } else if (code == "ValidationException" || code == "InvalidNextTokenException") {
    hint("AWS refused the request as invalid; check the dates, metric names and filter");
  } else if (e.code == errc::limit_reached) {
    hint("the crawl stopped at a limit; narrow the period or the grouping");
  }
  return line;
}

}  // namespace cli
}  // namespace v0
}  // namespace finops_crawler
