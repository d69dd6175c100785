// Bodies of query_args.hpp.
#include "query_args.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <string>

#include "finops_crawler/aws/ce/enums.hpp"
#include "finops_crawler/aws/ce/expression_json.hpp"
#include "value_suggestions.hpp"

namespace finops_crawler {
inline namespace v0 {
namespace cli {

namespace {

// " (did you mean SERVICE?)" when `typed` is a dimension name or a TAG /
// COST_CATEGORY prefix in the wrong case (the names are case-sensitive).
std::string case_hint(std::string_view typed) {
  std::vector<std::string> names(ce::dimension_names.begin(), ce::dimension_names.end());
  if (auto near = same_but_case(typed, names)) return " (did you mean " + *near + "?)";
  return {};
}
std::string kind_hint(std::string_view kind, std::string_view rest) {
  if (auto near = same_but_case(kind, {"TAG", "COST_CATEGORY"}))
    return " (did you mean " + *near + ":" + std::string(rest) + "?)";
  return {};
}

}  // namespace

result<ce::group_by> parse_group_by(std::string_view text) {
  auto colon = text.find(':');
  if (colon != std::string_view::npos) {
    std::string_view kind = text.substr(0, colon);
    std::string key(text.substr(colon + 1));
    if (key.empty()) return error(errc::invalid_argument, "--group-by " + std::string(text) + ": the key after ':' is empty");
    if (kind == "TAG") return ce::group_by::tag(std::move(key));
    if (kind == "COST_CATEGORY") return ce::group_by::cost_category(std::move(key));
    return error(errc::invalid_argument, "--group-by " + std::string(text) +
                                             ": use DIMENSION, TAG:key or COST_CATEGORY:name" +
                                             kind_hint(kind, text.substr(colon + 1)));
  }
  if (!ce::parse_dimension(text))
    return error(errc::invalid_argument, "--group-by " + std::string(text) +
                                             ": not a Cost Explorer dimension (e.g. SERVICE, LINKED_ACCOUNT, "
                                             "REGION, USAGE_TYPE, RECORD_TYPE, RESOURCE_ID); tags are TAG:key" +
                                             case_hint(text));
  return ce::group_by::dimension(std::string(text));
}

std::vector<std::string> split_values(std::string_view s) {
  std::vector<std::string> out(1);
  for (std::size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '\\' && i + 1 < s.size() && (s[i + 1] == ',' || s[i + 1] == '\\')) {
      out.back().push_back(s[++i]);
    } else if (s[i] == ',') {
      out.emplace_back();
    } else {
      out.back().push_back(s[i]);
    }
  }
  return out;
}

result<ce::expression> parse_filter(std::string_view text) {
  auto eq = text.find('=');
  if (eq == std::string_view::npos || eq == 0)
    return error(errc::invalid_argument, "--filter " + std::string(text) +
                                             ": use DIMENSION=value[,value], TAG:key=value or COST_CATEGORY:name=value");
  std::string_view lhs = text.substr(0, eq);
  std::vector<std::string> values = split_values(text.substr(eq + 1));
  for (const auto& v : values)
    if (v.empty()) return error(errc::invalid_argument, "--filter " + std::string(text) + ": empty value");
  auto colon = lhs.find(':');
  if (colon != std::string_view::npos) {
    std::string_view kind = lhs.substr(0, colon);
    std::string key(lhs.substr(colon + 1));
    if (key.empty()) return error(errc::invalid_argument, "--filter " + std::string(text) + ": empty key after ':'");
    if (kind == "TAG") return ce::expression::tag(std::move(key), std::move(values));
    if (kind == "COST_CATEGORY") return ce::expression::cost_category(std::move(key), std::move(values));
    return error(errc::invalid_argument, "--filter " + std::string(text) + ": use TAG:key=... or COST_CATEGORY:name=..." +
                                             kind_hint(kind, lhs.substr(colon + 1)));
  }
  if (!ce::parse_dimension(lhs))
    return error(errc::invalid_argument,
                 "--filter " + std::string(text) + ": '" + std::string(lhs) + "' is not a Cost Explorer dimension" +
                     case_hint(lhs));
  return ce::expression::dimension(std::string(lhs), std::move(values));
}

result<ce::expression> read_filter_json(const std::string& path) {
  // POSIX calls, so that the message can give the OS reason (strerror).
  auto fail = [&](int err) {
    return error(errc::invalid_argument, "--filter-json: cannot read '" + path + "': " + std::strerror(err));
  };
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return fail(errno);
  std::string text;
  char chunk[65536];
  for (;;) {
    const ssize_t n = ::read(fd, chunk, sizeof chunk);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) {
      const int err = errno;  // EISDIR for a directory
      ::close(fd);
      return fail(err);
    }
    if (n == 0) break;
    text.append(chunk, static_cast<std::size_t>(n));
    if (text.size() > max_filter_json_bytes) {
      ::close(fd);
      return error(errc::invalid_argument, "--filter-json '" + path + "' is larger than " +
                                               std::to_string(max_filter_json_bytes / (1024 * 1024)) + " MiB");
    }
  }
  ::close(fd);
  auto e = ce::parse_expression_json(text);
  if (!e) return error(errc::invalid_argument, "--filter-json " + path + ": " + e.error().message);
  return e;
}

std::optional<ce::expression> combine_and(std::vector<ce::expression> parts) {
  if (parts.empty()) return std::nullopt;
  if (parts.size() == 1) return std::move(parts.front());
  return ce::expression::and_(std::move(parts));
}

result<std::optional<ce::expression>> build_filter(const std::vector<std::string>& filters,
                                                   const std::string& filter_json,
                                                   std::optional<ce::expression> also) {
  std::vector<ce::expression> parts;
  for (const auto& s : filters) {
    auto e = parse_filter(s);
    if (!e) return e.error();
    parts.push_back(std::move(*e));
  }
  if (!filter_json.empty()) {
    auto e = read_filter_json(filter_json);
    if (!e) return e.error();
    parts.push_back(std::move(*e));
  }
  if (also) parts.push_back(std::move(*also));
  return combine_and(std::move(parts));
}

}  // namespace cli
}  // namespace v0
}  // namespace finops_crawler
