#ifndef FINOPS_CRAWLER_AWS_STS_CALLER_IDENTITY_INL_HPP
#define FINOPS_CRAWLER_AWS_STS_CALLER_IDENTITY_INL_HPP
/// \file
/// The bodies of aws/sts/caller_identity.hpp: included by that header in header-only
/// mode, compiled once in src/ otherwise (config.hpp). Not for direct inclusion.

#include "finops_crawler/aws/sts/caller_identity.hpp"
#include "finops_crawler/detail/ascii.hpp"

namespace finops_crawler {
inline namespace v0 {
namespace sts {

namespace detail {

/// The part of a qualified name after the prefix: "sts:Account" -> "Account".
FINOPS_CRAWLER_FUNC std::string_view xml_local_name(std::string_view qname) noexcept {
  const std::size_t colon = qname.find(':');
  return colon == std::string_view::npos ? qname : qname.substr(colon + 1);
}

/// XML 1.0's white space (production S).
inline constexpr std::string_view xml_blanks = " \t\n\r";
constexpr bool xml_space(char c) noexcept { return xml_blanks.find(c) != std::string_view::npos; }
constexpr std::string_view xml_trim(std::string_view s) noexcept { return finops_crawler::detail::trim(s, xml_blanks); }

FINOPS_CRAWLER_FUNC void append_utf8(std::string& out, std::uint32_t cp) {
  if (cp < 0x80) {
    out += static_cast<char>(cp);
  } else if (cp < 0x800) {
    out += static_cast<char>(0xC0 | (cp >> 6));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  } else if (cp < 0x10000) {
    out += static_cast<char>(0xE0 | (cp >> 12));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  } else {
    out += static_cast<char>(0xF0 | (cp >> 18));
    out += static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  }
}

/// Decodes character data (entities, character references) onto `out`;
/// false on an unknown or malformed reference.
FINOPS_CRAWLER_FUNC bool xml_decode_text(std::string_view raw, std::string& out) {
  for (std::size_t i = 0; i < raw.size(); ++i) {
    if (raw[i] != '&') {
      out += raw[i];
      continue;
    }
    const std::size_t semi = raw.find(';', i);
    if (semi == std::string_view::npos || semi - i > 12) return false;
    const std::string_view ref = raw.substr(i + 1, semi - i - 1);
    if (ref == "amp") out += '&';
    else if (ref == "lt") out += '<';
    else if (ref == "gt") out += '>';
    else if (ref == "quot") out += '"';
    else if (ref == "apos") out += '\'';
    else if (ref.size() >= 2 && ref[0] == '#') {
      std::uint32_t cp = 0;
      const bool hex = ref[1] == 'x' || ref[1] == 'X';
      const std::size_t first = hex ? 2 : 1;
      if (first >= ref.size()) return false;
      for (std::size_t k = first; k < ref.size(); ++k) {
        const char c = ref[k];
        std::uint32_t d;
        if (c >= '0' && c <= '9') d = static_cast<std::uint32_t>(c - '0');
        else if (hex && c >= 'a' && c <= 'f') d = static_cast<std::uint32_t>(c - 'a' + 10);
        else if (hex && c >= 'A' && c <= 'F') d = static_cast<std::uint32_t>(c - 'A' + 10);
        else return false;
        cp = cp * (hex ? 16 : 10) + d;
        if (cp > 0x10FFFF) return false;
      }
      if (cp == 0 || (cp >= 0xD800 && cp <= 0xDFFF)) return false;
      append_utf8(out, cp);
    } else {
      return false;
    }
    i = semi;
  }
  return true;
}

FINOPS_CRAWLER_FUNC error xml_error(std::string what) {
  return error(errc::unexpected_shape, "STS GetCallerIdentity reply: " + std::move(what));
}

}  // namespace detail

FINOPS_CRAWLER_FUNC result<caller_identity> parse_caller_identity(std::string_view xml) {
  using detail::xml_local_name;
  constexpr std::size_t max_depth = 32;
  // Local names of the open elements; views into `xml`.
  std::string_view stack[max_depth];
  std::size_t depth = 0;
  caller_identity out;
  bool has_account = false;
  bool seen_root = false;
  bool error_root = false;
  std::string text;          // decoded character data of the innermost element
  std::string error_code;    // from an ErrorResponse
  std::string error_message;

  // Which field, if any, the innermost open element fills.
  auto target = [&]() -> std::string* {
    if (depth < 2) return nullptr;
    const std::string_view leaf = stack[depth - 1], parent = stack[depth - 2];
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
    if (depth == 2 && stack[0] == "ErrorResponse" && leaf == "RequestId") return &out.request_id;
    return nullptr;
  };

  // Elements that may appear once: the fields above and the elements that
  // hold them. A second one is refused, not read as either (AWS never sends
  // one; a damaged reply is retried, json_client::body_reader).
  std::uint32_t seen = 0;
  auto once = [&]() -> bool {
    const std::string_view leaf = stack[depth - 1];
    int bit = -1;
    if (depth == 2 && (leaf == "GetCallerIdentityResult" || leaf == "ResponseMetadata" || leaf == "Error")) {
      bit = leaf == "GetCallerIdentityResult" ? 0 : leaf == "ResponseMetadata" ? 1 : 2;
    } else if (const std::string* f = target()) {
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

  std::size_t i = 0;
  const std::size_t n = xml.size();
  while (i < n) {
    if (xml[i] != '<') {
      const std::size_t lt = xml.find('<', i);
      const std::string_view raw = xml.substr(i, lt == std::string_view::npos ? n - i : lt - i);
      if (depth == 0) {
        if (!detail::xml_trim(raw).empty()) return detail::xml_error("text outside the root element");
      } else if (!detail::xml_decode_text(raw, text)) {
        return detail::xml_error("bad character reference inside <" + std::string(stack[depth - 1]) + ">");
      }
      i = lt == std::string_view::npos ? n : lt;
      continue;
    }
    const std::string_view rest = xml.substr(i);
    if (rest.substr(0, 4) == "<!--") {
      const std::size_t end = xml.find("-->", i + 4);
      if (end == std::string_view::npos) return detail::xml_error("unterminated comment");
      i = end + 3;
      continue;
    }
    if (rest.substr(0, 9) == "<![CDATA[") {
      const std::size_t end = xml.find("]]>", i + 9);
      if (end == std::string_view::npos) return detail::xml_error("unterminated CDATA section");
      if (depth == 0) return detail::xml_error("CDATA outside the root element");
      text.append(xml.substr(i + 9, end - i - 9));
      i = end + 3;
      continue;
    }
    if (rest.substr(0, 2) == "<?") {
      const std::size_t end = xml.find("?>", i + 2);
      if (end == std::string_view::npos) return detail::xml_error("unterminated processing instruction");
      i = end + 2;
      continue;
    }
    if (rest.substr(0, 2) == "<!") return detail::xml_error("DOCTYPE and declarations are not accepted");

    // A start or end tag: find its '>' outside quoted attribute values.
    std::size_t j = i + 1;
    char quote = 0;
    for (; j < n; ++j) {
      const char c = xml[j];
      if (quote) {
        if (c == quote) quote = 0;
      } else if (c == '"' || c == '\'') {
        quote = c;
      } else if (c == '>') {
        break;
      } else if (c == '<') {
        return detail::xml_error("'<' inside a tag");
      }
    }
    if (j >= n) return detail::xml_error("unterminated tag (truncated body?)");
    std::string_view tag = xml.substr(i + 1, j - i - 1);
    i = j + 1;
    const bool closing = !tag.empty() && tag.front() == '/';
    if (closing) tag.remove_prefix(1);
    const bool self_closing = !closing && !tag.empty() && tag.back() == '/';
    if (self_closing) tag.remove_suffix(1);
    std::size_t name_end = 0;
    while (name_end < tag.size() && !detail::xml_space(tag[name_end])) ++name_end;
    const std::string_view qname = tag.substr(0, name_end);
    if (qname.empty()) return detail::xml_error("tag without a name");
    const std::string_view name = xml_local_name(qname);

    if (closing) {
      if (!detail::xml_trim(tag.substr(name_end)).empty()) return detail::xml_error("junk in end tag </" + std::string(qname) + ">");
      if (depth == 0 || stack[depth - 1] != name)
        return detail::xml_error("end tag </" + std::string(qname) + "> does not match " +
                                 (depth ? "<" + std::string(stack[depth - 1]) + ">" : std::string("any open element")));
      if (std::string* field = target()) *field = std::string(detail::xml_trim(text));
      text.clear();
      --depth;
      continue;
    }
    if (depth == 0) {
      if (seen_root) return detail::xml_error("more than one root element");
      seen_root = true;
      error_root = name == "ErrorResponse";
      if (name != "GetCallerIdentityResponse" && name != "ErrorResponse")
        return detail::xml_error("root element is <" + std::string(qname) +
                                 ">, expected <GetCallerIdentityResponse>");
    }
    if (depth == max_depth) return detail::xml_error("elements nested deeper than 32");
    stack[depth++] = name;
    text.clear();
    if (!once()) {
      error e = detail::xml_error("<" + std::string(qname) + "> appears twice in <" + std::string(stack[depth - 2]) +
                                  "> (a repeated element: the reply is refused rather than half-read)");
      e.retryable = true;
      return e;
    }
    if (self_closing) {
      if (std::string* field = target()) field->clear();
      --depth;
    } else if (name == "Account" && depth >= 2 && stack[depth - 2] == "GetCallerIdentityResult") {
      has_account = true;
    }
  }
  if (!seen_root) return detail::xml_error("empty body, no XML element");
  if (depth != 0) return detail::xml_error("<" + std::string(stack[depth - 1]) + "> is not closed (truncated body?)");
  if (error_root) {
    // AWS's message is bounded so a hostile body cannot flood a log line.
    error e(errc::aws_error, "STS GetCallerIdentity failed: " +
                                 (error_code.empty() ? std::string("unknown error") : error_code.substr(0, 100)) +
                                 (error_message.empty() ? std::string() : ": " + error_message.substr(0, 300)));
    e.aws_code = error_code;
    e.request_id = out.request_id;
    return e;
  }
  if (!has_account)
    return detail::xml_error("GetCallerIdentityResponse.GetCallerIdentityResult.Account is missing");
  if (out.account.size() != 12 || out.account.find_first_not_of("0123456789") != std::string::npos)
    return detail::xml_error("Account \"" + out.account.substr(0, 40) + "\" is not a 12-digit account id");
  return out;
}

}  // namespace sts
}  // namespace v0
}  // namespace finops_crawler

#endif  // FINOPS_CRAWLER_AWS_STS_CALLER_IDENTITY_INL_HPP
