#ifndef FINOPS_CRAWLER_AWS_STS_CALLER_IDENTITY_HPP
#define FINOPS_CRAWLER_AWS_STS_CALLER_IDENTITY_HPP
/// \file
/// STS GetCallerIdentity reply (query protocol, XML):
///
///   <GetCallerIdentityResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/">
///     <GetCallerIdentityResult>
///       <Arn>arn:aws:iam::123456789012:user/Alice</Arn>
///       <UserId>AIDAEXAMPLE</UserId>
///       <Account>123456789012</Account>
///     </GetCallerIdentityResult>
///     <ResponseMetadata><RequestId>...</RequestId></ResponseMetadata>
///   </GetCallerIdentityResponse>
///
/// Read with the project's one small, bounded XML reader
/// (aws/sts/xml_reader.hpp: no DOM, no XML library). Standard library only.

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "finops_crawler/result.hpp"

namespace finops_crawler {
inline namespace v0 {
namespace sts {

/// Who the credentials belong to. Owned strings: no lifetime rule.
struct caller_identity {
  std::string account;     ///< 12-digit account id (required)
  std::string arn;         ///< e.g. arn:aws:iam::123456789012:user/Alice; empty when absent
  std::string user_id;     ///< e.g. AIDAEXAMPLE or AROAEXAMPLE:session; empty when absent
  std::string request_id;  ///< ResponseMetadata.RequestId; empty when absent
};

/// Parses a GetCallerIdentity reply. Tolerates an XML declaration,
/// comments, whitespace (trimmed around values), namespace prefixes
/// (`<sts:Account>`), attributes in any order and quoting, CDATA, the five
/// predefined entities and numeric character references, and elements in
/// any order. Reads Account, Arn and UserId only as children of
/// GetCallerIdentityResult, and RequestId under ResponseMetadata.
///
/// Errors (errc::unexpected_shape, message naming the element): text that
/// is not well-formed XML (unterminated tag, mismatched end tag, nesting
/// deeper than 32, DOCTYPE, which is refused because entity definitions
/// are not supported), a root other than GetCallerIdentityResponse (an
/// `ErrorResponse` gives errc::aws_error with its Code in error::aws_code),
/// Account missing, or an Account that is not 12 digits.
/// Pure; thread-safe; O(n) in the body size.
result<caller_identity> parse_caller_identity(std::string_view xml);

}  // namespace sts
}  // namespace v0
}  // namespace finops_crawler

#if FINOPS_CRAWLER_HEADER_ONLY
#include "finops_crawler/aws/sts/caller_identity-inl.hpp"
#endif

#endif  // FINOPS_CRAWLER_AWS_STS_CALLER_IDENTITY_HPP
