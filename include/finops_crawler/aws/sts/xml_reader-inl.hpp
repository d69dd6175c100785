#ifndef FINOPS_CRAWLER_AWS_STS_XML_READER_INL_HPP
#define FINOPS_CRAWLER_AWS_STS_XML_READER_INL_HPP
/// \file
/// The bodies of aws/sts/xml_reader.hpp: included by that header in
/// header-only mode, compiled once in src/ otherwise (config.hpp). Not for
/// direct inclusion.

#include <cstdint>

#include "finops_crawler/aws/sts/xml_reader.hpp"
#include "finops_crawler/detail/ascii.hpp"

namespace finops_crawler {
inline namespace v0 {
namespace sts {

namespace xml_detail {

/// XML 1.0's white space (production S).
inline constexpr std::string_view blanks = " \t\n\r";
constexpr bool is_space(char c) noexcept { return blanks.find(c) != std::string_view::npos; }
constexpr std::string_view trim(std::string_view s) noexcept { return finops_crawler::detail::trim(s, blanks); }

constexpr std::string_view local_name(std::string_view qname) noexcept {
  const std::size_t colon = qname.find(':');
  return colon == std::string_view::npos ? qname : qname.substr(colon + 1);
}

FINOPS_CRAWLER_FUNC void put_utf8(std::string& out, std::uint32_t cp) {
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

/// Appends `raw` with its references decoded; false on an unknown or
/// malformed one (XML 1.0 4.1 and 4.6).
FINOPS_CRAWLER_FUNC bool decode(std::string_view raw, std::string& out) {
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
      const bool hex = ref[1] == 'x' || ref[1] == 'X';
      const std::size_t first = hex ? 2 : 1;
      if (first >= ref.size()) return false;
      std::uint32_t cp = 0;
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
      put_utf8(out, cp);
    } else {
      return false;
    }
    i = semi;
  }
  return true;
}

}  // namespace xml_detail

FINOPS_CRAWLER_FUNC status xml_read(std::string_view xml, std::string_view what, const xml_visitor& visit) {
  constexpr std::size_t max_depth = 32;
  std::string_view stack[max_depth];  // local names of the open elements; views into `xml`
  std::string_view qnames[max_depth];  // their names as written
  std::size_t depth = 0;
  bool seen_root = false;
  std::string text;  // character data of the innermost open element
  auto fail = [&](std::string problem) { return error(errc::unexpected_shape, std::string(what) + ": " + problem); };
  auto report = [&](bool start) -> status {
    xml_element e;
    e.path = stack;
    e.depth = depth;
    e.start = start;
    e.qname = qnames[depth - 1];
    if (!start) e.text = xml_detail::trim(text);
    status st = visit ? visit(e) : status();
    if (!start) {
      text.clear();
      --depth;
    }
    return st;
  };

  std::size_t i = 0;
  const std::size_t n = xml.size();
  while (i < n) {
    if (xml[i] != '<') {
      const std::size_t lt = xml.find('<', i);
      const std::string_view raw = xml.substr(i, lt == std::string_view::npos ? n - i : lt - i);
      if (depth == 0) {
        if (!xml_detail::trim(raw).empty()) return fail("text outside the root element");
      } else if (!xml_detail::decode(raw, text)) {
        return fail("bad character reference inside <" + std::string(stack[depth - 1]) + ">");
      }
      i = lt == std::string_view::npos ? n : lt;
      continue;
    }
    const std::string_view rest = xml.substr(i);
    if (rest.substr(0, 4) == "<!--") {
      const std::size_t end = xml.find("-->", i + 4);
      if (end == std::string_view::npos) return fail("unterminated comment");
      i = end + 3;
      continue;
    }
    if (rest.substr(0, 9) == "<![CDATA[") {
      const std::size_t end = xml.find("]]>", i + 9);
      if (end == std::string_view::npos) return fail("unterminated CDATA section");
      if (depth == 0) return fail("CDATA outside the root element");
      text.append(xml.substr(i + 9, end - i - 9));
      i = end + 3;
      continue;
    }
    if (rest.substr(0, 2) == "<?") {
      const std::size_t end = xml.find("?>", i + 2);
      if (end == std::string_view::npos) return fail("unterminated processing instruction");
      i = end + 2;
      continue;
    }
    if (rest.substr(0, 2) == "<!") return fail("DOCTYPE and declarations are not accepted");

    // A start or end tag: its '>' is the first one outside quoted attribute values.
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
        return fail("'<' inside a tag");
      }
    }
    if (j >= n) return fail("unterminated tag (truncated body?)");
    std::string_view tag = xml.substr(i + 1, j - i - 1);
    i = j + 1;
    const bool closing = !tag.empty() && tag.front() == '/';
    if (closing) tag.remove_prefix(1);
    const bool self_closing = !closing && !tag.empty() && tag.back() == '/';
    if (self_closing) tag.remove_suffix(1);
    std::size_t name_end = 0;
    while (name_end < tag.size() && !xml_detail::is_space(tag[name_end])) ++name_end;
    const std::string_view qname = tag.substr(0, name_end);
    if (qname.empty()) return fail("tag without a name");
    const std::string_view name = xml_detail::local_name(qname);

    if (closing) {
      if (!xml_detail::trim(tag.substr(name_end)).empty()) return fail("junk in end tag </" + std::string(qname) + ">");
      if (depth == 0 || stack[depth - 1] != name)
        return fail("end tag </" + std::string(qname) + "> does not match " +
                    (depth ? "<" + std::string(stack[depth - 1]) + ">" : std::string("any open element")));
      if (auto st = report(false); !st) return st;
      continue;
    }
    if (depth == 0) {
      if (seen_root) return fail("more than one root element");
      seen_root = true;
    }
    if (depth == max_depth) return fail("elements nested deeper than 32");
    // Character data of a parent around a child is not kept (no mixed content in AWS replies).
    text.clear();
    qnames[depth] = qname;
    stack[depth++] = name;
    if (auto st = report(true); !st) return st;
    if (self_closing)
      if (auto st = report(false); !st) return st;
  }
  if (!seen_root) return fail("empty body, no XML element");
  if (depth != 0) return fail("<" + std::string(stack[depth - 1]) + "> is not closed (truncated body?)");
  return {};
}

}  // namespace sts
}  // namespace v0
}  // namespace finops_crawler

#endif  // FINOPS_CRAWLER_AWS_STS_XML_READER_INL_HPP
