#ifndef FINOPS_CRAWLER_AWS_STS_STS_HPP
#define FINOPS_CRAWLER_AWS_STS_STS_HPP
/// \file
/// `sts::sts_client`: AWS STS GetCallerIdentity (query protocol) over
/// aws::json_client: which account, IAM identity and user id the
/// credentials belong to. Needs no IAM permission (AWS allows
/// GetCallerIdentity to every identity), so it is the cheapest way to check
/// that credentials work. Free (not billable).
///
///   sts::sts_client sts(aws::json_client(std::move(o)));   // o.service = aws::sts_api
///   auto who = sts.get_caller_identity();
///   if (who) std::cout << who->account << ' ' << who->arn << '\n';

#include <string>
#include <utility>

#include "finops_crawler/aws/json_client.hpp"
#include "finops_crawler/aws/sts/caller_identity.hpp"
#include "finops_crawler/result.hpp"

namespace finops_crawler {
inline namespace v0 {
namespace sts {

/// An STS client over one aws::json_client (which it owns).
/// Thread safety: one thread at a time. Move-only.
class sts_client {
 public:
  /// Takes ownership of `client`, which must be made for aws::sts_api
  /// (otherwise get_caller_identity fails with errc::invalid_argument).
  explicit sts_client(aws::json_client client) : client_(std::move(client)) {}

  /// GetCallerIdentity: account id (12 digits), ARN and user id of the
  /// credentials. Errors: the client's (aws_error with the query
  /// protocol's Code, e.g. InvalidClientTokenId for an unknown key or
  /// SignatureDoesNotMatch for a wrong secret, with advice; throttled;
  /// transport; ...) and the reply parser's (unexpected_shape naming the
  /// element). Cost: one free request (plus retries). Blocking.
  result<caller_identity> get_caller_identity() {
    if (client_.service().id != aws::sts_api.id || !client_.service().target_prefix.empty())
      return error(errc::invalid_argument, "sts_client needs a json_client made for sts_api, not " +
                                               std::string(client_.service().display_name));
    // Parsed inside the call: a reply refused as damaged (an element that
    // appears twice) is retried like a cut-off one.
    result<caller_identity> who(errc::unexpected_shape, "STS GetCallerIdentity was not answered");
    auto reply = client_.call_query("GetCallerIdentity", {}, [&who](const http::http_response& r) -> status {
      who = parse_caller_identity(r.body);
      if (!who) return status(who.error());
      return {};
    });
    if (!reply) return reply.error();
    return who;
  }

  /// The client's totals since construction.
  const aws::client_counters& counters() const noexcept { return client_.counters(); }
  /// The underlying client.
  aws::json_client& client() noexcept { return client_; }
  const aws::json_client& client() const noexcept { return client_; }

 private:
  aws::json_client client_;
};

}  // namespace sts
}  // namespace v0
}  // namespace finops_crawler

#endif  // FINOPS_CRAWLER_AWS_STS_STS_HPP
