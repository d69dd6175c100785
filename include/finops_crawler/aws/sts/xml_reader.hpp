#ifndef FINOPS_CRAWLER_AWS_STS_XML_READER_HPP
#define FINOPS_CRAWLER_AWS_STS_XML_READER_HPP
/// \file
/// The one small XML reader of the query-protocol replies (STS): a single
/// bounded forward pass that reports each element's start and end with the
/// path of local names from the root, and at its end its decoded, trimmed
/// character data. No DOM, no XML library, no entity definitions (a DOCTYPE
/// is refused). STS GetCallerIdentity and the AssumeRole replies are read
/// with it.
///
///   sts::xml_read(body, "STS AssumeRole reply", [&](const sts::xml_element& e) -> status {
///     if (!e.start && e.depth == 4 && e.name() == "AccessKeyId" && e.parent() == "Credentials") id = e.text;
///     return {};                           // an error stops the read and is returned as is
///   });
///
/// Standard library only.

#include <cstddef>
#include <functional>
#include <string>
#include <string_view>

#include "finops_crawler/config.hpp"
#include "finops_crawler/result.hpp"

namespace finops_crawler {
inline namespace v0 {
namespace sts {

/// One element, reported when it opens (`start`) and when it closes. Views
/// are valid during the callback only (copy what you keep).
struct xml_element {
  const std::string_view* path = nullptr;  ///< local names, path[0] is the root
  std::size_t depth = 0;                   ///< number of names in path (>= 1)
  std::string_view text;                   ///< at the end: decoded character data directly inside, trimmed
  bool start = false;                      ///< true at the start tag, false at the end
  std::string_view qname;                  ///< the element's name as written ("sts:Account")
  /// The element's local name ("sts:Account" -> "Account").
  std::string_view name() const noexcept { return path[depth - 1]; }
  /// The parent's local name, empty for the root.
  std::string_view parent() const noexcept { return depth >= 2 ? path[depth - 2] : std::string_view(); }
  /// The root's local name.
  std::string_view root() const noexcept { return path[0]; }
};

/// Called at every element start and end; an error it returns stops the read
/// and is what xml_read returns (e.g. a field twice, an unexpected root).
using xml_visitor = std::function<status(const xml_element&)>;

/// Reads `xml` in one pass. Tolerates an XML declaration, comments,
/// whitespace, namespace prefixes, attributes (any quoting), CDATA, the five
/// predefined entities and numeric character references.
///
/// Errors (errc::unexpected_shape, message "<what>: <problem>", never
/// quoting character data, which may hold a secret): not well-formed (an
/// unterminated tag, comment or CDATA, a mismatched end tag, text or a second
/// element outside the root, nesting deeper than 32, a bad character
/// reference), a DOCTYPE, an empty body; or the visitor's error.
/// Pure; thread-safe; O(n).
status xml_read(std::string_view xml, std::string_view what, const xml_visitor& visit);

}  // namespace sts
}  // namespace v0
}  // namespace finops_crawler

#if FINOPS_CRAWLER_HEADER_ONLY
#include "finops_crawler/aws/sts/xml_reader-inl.hpp"
#endif

#endif  // FINOPS_CRAWLER_AWS_STS_XML_READER_HPP
