#ifndef FINOPS_CRAWLER_AWS_STS_CALLER_IDENTITY_INL_HPP
#define FINOPS_CRAWLER_AWS_STS_CALLER_IDENTITY_INL_HPP
/// \file
/// The bodies of aws/sts/caller_identity.hpp: included by that header in header-only
/// mode, compiled once in src/ otherwise (config.hpp). Not for direct inclusion.

#include <cstdint>

#include "finops_crawler/aws/sts/caller_identity.hpp"
#include "finops_crawler/aws/sts/xml_reader.hpp"

namespace finops_crawler {
inline namespace v0 {
namespace sts {

FINOPS_CRAWLER_FUNC result<caller_identity> parse_caller_identity(std::string_view xml) {
  const std::string what = "STS GetCallerIdentity reply";
  auto xml_error = [&](std::string problem) { return error(errc::unexpected_shape, what + ": " + problem); };
  caller_identity out;
  bool has_account = false;
  bool error_root = false;
  std::string error_code;  // from an ErrorResponse
  std::string error_message;

  // Which field, if any, the element at the end of `e`'s path fills.
  auto target = [&](const xml_element& e) -> std::string* {
    if (e.depth < 2) return nullptr;
    const std::string_view leaf = e.name(), parent = e.parent();
    if (parent == "GetCallerIdentityResult") {
      if (leaf == "Account") return &out.account;
      if (leaf == "Arn") return &out.arn;
      if (leaf == "UserId") return &out.user_id;
    } else if (parent == "ResponseMetadata" && leaf == "RequestId") {
      return &out.request_id;
    } else if (parent == "Error" && leaf == "Code") {
      return &error_code;
    } else if (parent == "Error" && leaf == "Message") {
      return &error_message;
    }
    if (e.depth == 2 && e.root() == "ErrorResponse" && leaf == "RequestId") return &out.request_id;
    return nullptr;
  };

  // Elements that may appear once: the fields above and the elements that
  // hold them. A second one is refused, not read as either (AWS never sends
  // one; a damaged reply is retried, json_client::body_reader).
  std::uint32_t seen = 0;
  auto once = [&](const xml_element& e) -> bool {
    const std::string_view leaf = e.name();
    int bit = -1;
    if (e.depth == 2 && (leaf == "GetCallerIdentityResult" || leaf == "ResponseMetadata" || leaf == "Error")) {
      bit = leaf == "GetCallerIdentityResult" ? 0 : leaf == "ResponseMetadata" ? 1 : 2;
    } else if (const std::string* f = target(e)) {
      bit = f == &out.account ? 3 : f == &out.arn ? 4 : f == &out.user_id ? 5 : f == &out.request_id ? 6
                                                                                 : f == &error_code ? 7 : 8;
    }
    if (bit < 0) return true;
    const std::uint32_t m = 1u << bit;
    if ((seen & m) == 0) {
      seen |= m;
      return true;
    }
    return false;
  };

  auto st = xml_read(xml, what, [&](const xml_element& e) -> status {
    if (!e.start) {
      if (std::string* field = target(e)) *field = std::string(e.text);
      return {};
    }
    if (e.depth == 1) {
      error_root = e.name() == "ErrorResponse";
      if (e.name() != "GetCallerIdentityResponse" && !error_root)
        return xml_error("root element is <" + std::string(e.qname) + ">, expected <GetCallerIdentityResponse>");
    }
    if (!once(e)) {
      error err = xml_error("<" + std::string(e.qname) + "> appears twice in <" + std::string(e.parent()) +
                            "> (a repeated element: the reply is refused rather than half-read)");
      err.retryable = true;
      return err;
    }
    if (e.name() == "Account" && e.parent() == "GetCallerIdentityResult") has_account = true;
    return {};
  });
  if (!st) return st.error();
  if (error_root) {
    // AWS's message is bounded so a hostile body cannot flood a log line.
    error e(errc::aws_error, "STS GetCallerIdentity failed: " +
                                 (error_code.empty() ? std::string("unknown error") : error_code.substr(0, 100)) +
                                 (error_message.empty() ? std::string() : ": " + error_message.substr(0, 300)));
    e.aws_code = error_code;
    e.request_id = out.request_id;
    return e;
  }
  if (!has_account) return xml_error("GetCallerIdentityResponse.GetCallerIdentityResult.Account is missing");
  if (out.account.size() != 12 || out.account.find_first_not_of("0123456789") != std::string::npos)
    return xml_error("Account \"" + out.account.substr(0, 40) + "\" is not a 12-digit account id");
  return out;
}

}  // namespace sts
}  // namespace v0
}  // namespace finops_crawler

#endif  // FINOPS_CRAWLER_AWS_STS_CALLER_IDENTITY_INL_HPP
