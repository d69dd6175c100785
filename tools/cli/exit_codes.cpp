// Bodies of exit_codes.hpp.
#include "exit_codes.hpp"

namespace finops_crawler {
inline namespace v0 {
namespace cli {

bool is_credential_aws_code(std::string_view aws_code) noexcept {
  // AWS JSON protocols report bad keys with these codes; the STS / query
  // protocol spellings (InvalidClientTokenId, ExpiredToken) are included.
  constexpr std::string_view codes[] = {
      "UnrecognizedClientException", "InvalidClientTokenId", "InvalidSignatureException",
      "SignatureDoesNotMatch",       "IncompleteSignature",  "ExpiredTokenException",
      "ExpiredToken",                "MissingAuthenticationToken", "InvalidAccessKeyId",
      "AuthFailure"};
  for (auto c : codes)
    if (aws_code == c) return true;
  return false;
}

bool is_throttling_aws_code(std::string_view aws_code) noexcept {
  // Cost Explorer reports its rate limit as LimitExceededException, not as
  // ThrottlingException like most services.
  return aws_code == "ThrottlingException" || aws_code == "Throttling" ||
         aws_code == "LimitExceededException" || aws_code == "TooManyRequestsException" ||
         aws_code == "RequestLimitExceeded";
}

exit_code exit_code_for(const error& e, bool rows_written) noexcept {
  if (e.code == errc::ok) return exit_code::ok;
  if (rows_written) return exit_code::partial;
  switch (e.code) {
    case errc::ok: return exit_code::ok;
    case errc::invalid_argument: return exit_code::usage;
    case errc::no_credentials:
    case errc::config_file: return exit_code::credentials;
    case errc::signature_mismatch: return exit_code::credentials;
    case errc::transport:
    case errc::throttled:
    case errc::response_too_large:
    case errc::bad_json: return exit_code::network;
    case errc::not_in_organization: return exit_code::aws_refused;
    case errc::aws_error:
    case errc::http_status:
      if (is_credential_aws_code(e.aws_code)) return exit_code::credentials;
      if (is_throttling_aws_code(e.aws_code)) return exit_code::network;
      if (e.http_status >= 500 || e.http_status == 429) return exit_code::network;
      if (e.http_status == 401) return exit_code::credentials;
      return exit_code::aws_refused;
    case errc::unexpected_shape:
      // A damaged reply (STS XML cut off or with an element twice) was
      // retried like an invalid 200: a reply that is not AWS's, as bad_json.
      return e.retryable ? exit_code::network : exit_code::failure;
    case errc::limit_reached: return exit_code::failure;
  }
  return exit_code::failure;
}

}  // namespace cli
}  // namespace v0
}  // namespace finops_crawler
