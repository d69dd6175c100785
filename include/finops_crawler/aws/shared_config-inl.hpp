#ifndef FINOPS_CRAWLER_AWS_SHARED_CONFIG_INL_HPP
#define FINOPS_CRAWLER_AWS_SHARED_CONFIG_INL_HPP
/// \file
/// The bodies of aws/shared_config.hpp: included by that header in header-only
/// mode, compiled once in src/ otherwise (config.hpp). Not for direct inclusion.

#include "finops_crawler/aws/shared_config.hpp"

namespace finops_crawler {
inline namespace v0 {
namespace aws {

namespace detail {

/// Overwrites a string's characters in a way the optimizer keeps, then
/// clears it. Standard-library only (this header must not need libcrypto).
FINOPS_CRAWLER_FUNC void wipe_string(std::string& s) noexcept {
  volatile char* p = s.data();
  for (std::size_t i = 0; i < s.size(); ++i) p[i] = 0;
  s.clear();
}

/// "profile   dev" -> "profile dev": collapses the blanks after the first word.
FINOPS_CRAWLER_FUNC std::string normalize_section_name(std::string_view raw) {
  raw = trim(raw);
  std::size_t i = 0;
  while (i < raw.size() && !is_blank(raw[i])) ++i;
  if (i == raw.size()) return std::string(raw);
  std::string out(raw.substr(0, i));
  out += ' ';
  out += trim(raw.substr(i));
  return out;
}

/// Cuts an inline comment: the first '#' or ';' preceded by a blank (the
/// profile-file rule; `a#b` keeps its '#', so do URLs with fragments).
FINOPS_CRAWLER_FUNC std::string_view strip_inline_comment(std::string_view rhs) noexcept {
  for (std::size_t i = 1; i < rhs.size(); ++i) {
    if ((rhs[i] == '#' || rhs[i] == ';') && is_blank(rhs[i - 1])) return trim(rhs.substr(0, i));
  }
  return trim(rhs);
}

FINOPS_CRAWLER_FUNC error ini_error(std::string_view source, std::size_t line, std::string_view problem) {
  std::string msg(source);
  msg += ':';
  msg += std::to_string(line);
  msg += ": ";
  msg += problem;
  return error(errc::config_file, std::move(msg));
}

}  // namespace detail

FINOPS_CRAWLER_FUNC const ini_sub_property* ini_property::find_sub(std::string_view k) const noexcept {
  for (const auto& s : sub_properties)
    if (detail::iequals(s.key, k)) return &s;
  return nullptr;
}

FINOPS_CRAWLER_FUNC const ini_property* ini_section::find(std::string_view k) const noexcept {
  for (const auto& p : properties)
    if (detail::iequals(p.key, k)) return &p;
  return nullptr;
}

FINOPS_CRAWLER_FUNC const ini_section* ini_file::find_section(std::string_view name) const noexcept {
  for (const auto& s : sections_)
    if (s.name == name) return &s;
  return nullptr;
}

FINOPS_CRAWLER_FUNC void ini_file::wipe() noexcept {
  for (auto& s : sections_)
    for (auto& p : s.properties) {
      detail::wipe_string(p.value);
      for (auto& sp : p.sub_properties) detail::wipe_string(sp.value);
    }
}

FINOPS_CRAWLER_FUNC result<ini_file> parse_ini(std::string_view text, std::string_view source_name) {
  constexpr std::size_t none = static_cast<std::size_t>(-1);
  ini_file out{std::string(source_name)};
  std::size_t section = none;   // index into out.sections_
  std::size_t property = none;  // index into that section's properties
  std::size_t line_no = 0;
  std::size_t pos = 0;
  while (pos < text.size()) {
    const std::size_t nl = text.find('\n', pos);
    std::string_view line = text.substr(pos, nl == std::string_view::npos ? std::string_view::npos : nl - pos);
    pos = nl == std::string_view::npos ? text.size() : nl + 1;
    ++line_no;
    const std::string_view t = detail::trim(line);
    if (t.empty() || t.front() == '#' || t.front() == ';') continue;  // blank or comment line
    const bool indented = detail::is_blank(line.front());

    if (indented && property != none) {
      // Continuation of the previous property. `s3 =` followed by indented
      // `k = v` lines is a nested block (botocore parse_subsections, needed
      // for [services] sections); after `k = v` it continues the value.
      ini_property& p = out.sections_[section].properties[property];
      if (p.value.empty()) {
        const std::size_t eq = t.find('=');
        if (eq == std::string_view::npos)
          return detail::ini_error(source_name, line_no,
                                   "expected an indented 'name = value' sub-property under '" + p.key + " ='");
        const std::string_view k = detail::trim(t.substr(0, eq));
        if (k.empty()) return detail::ini_error(source_name, line_no, "sub-property with an empty name");
        std::string key = detail::to_lower(k);
        const std::string_view v = detail::trim(t.substr(eq + 1));
        bool replaced = false;
        for (auto& sp : p.sub_properties)
          if (sp.key == key) {
            detail::wipe_string(sp.value);
            sp.value.assign(v);
            sp.line = line_no;
            replaced = true;
          }
        if (!replaced) p.sub_properties.push_back(ini_sub_property{std::move(key), std::string(v), line_no});
      } else {
        p.value += '\n';
        p.value += t;
      }
      continue;
    }

    if (t.front() == '[') {
      const std::size_t close = t.find(']');
      if (close == std::string_view::npos)
        return detail::ini_error(source_name, line_no, "section header is missing its closing ']'");
      const std::string_view rest = detail::trim(t.substr(close + 1));
      if (!rest.empty() && rest.front() != '#' && rest.front() != ';')
        return detail::ini_error(source_name, line_no, "unexpected text after the section header's ']'");
      std::string name = detail::normalize_section_name(t.substr(1, close - 1));
      if (name.empty()) return detail::ini_error(source_name, line_no, "empty section name '[]'");
      section = none;
      for (std::size_t i = 0; i < out.sections_.size(); ++i)
        if (out.sections_[i].name == name) section = i;  // a repeated header merges
      if (section == none) {
        out.sections_.push_back(ini_section{std::move(name), line_no, {}});
        section = out.sections_.size() - 1;
      }
      property = none;
      continue;
    }

    if (section == none)
      return detail::ini_error(source_name, line_no,
                               "'name = value' line before any [section] header (add e.g. [default] above it)");
    const std::size_t eq = t.find('=');
    if (eq == std::string_view::npos)
      return detail::ini_error(source_name, line_no, "expected 'name = value' or a [section] header");
    const std::string_view k = detail::trim(t.substr(0, eq));
    if (k.empty()) return detail::ini_error(source_name, line_no, "property with an empty name");
    std::string key = detail::to_lower(k);
    const std::string_view value = detail::strip_inline_comment(t.substr(eq + 1));
    auto& props = out.sections_[section].properties;
    property = none;
    for (std::size_t i = 0; i < props.size(); ++i)
      if (props[i].key == key) property = i;
    if (property == none) {
      props.push_back(ini_property{std::move(key), std::string(value), {}, line_no});
      property = props.size() - 1;
    } else {
      ini_property& p = props[property];  // a repeated property replaces the earlier one
      detail::wipe_string(p.value);
      p.value.assign(value);
      for (auto& sp : p.sub_properties) detail::wipe_string(sp.value);
      p.sub_properties.clear();
      p.line = line_no;
    }
  }
  return out;
}

FINOPS_CRAWLER_FUNC result<std::optional<ini_file>> load_ini_file(const std::string& path) {
  constexpr std::size_t max_size = 16u << 20;
  namespace fs = std::filesystem;
  std::error_code ec;
  const fs::file_status st = fs::status(path, ec);
  if (ec && ec != std::errc::no_such_file_or_directory)
    return error(errc::config_file, path + ": cannot access: " + ec.message());
  if (!fs::exists(st)) return std::optional<ini_file>{};
  if (fs::is_directory(st))
    return error(errc::config_file, path + ": is a directory, expected an AWS config or credentials file");
  if (!fs::is_regular_file(st))
    return error(errc::config_file, path + ": is not a regular file");

  std::FILE* f = std::fopen(path.c_str(), "rb");
  if (f == nullptr) {
    const int e = errno;
    return error(errc::config_file, path + ": cannot open: " + std::generic_category().message(e));
  }
  std::string text;
  char buf[8192];
  bool too_big = false;
  for (;;) {  // bounded: stops at EOF, on error, or past max_size
    const std::size_t n = std::fread(buf, 1, sizeof buf, f);
    text.append(buf, n);
    if (text.size() > max_size) {
      too_big = true;
      break;
    }
    if (n < sizeof buf) break;
  }
  const bool read_failed = std::ferror(f) != 0;
  std::fclose(f);
  volatile char* vb = buf;  // the last chunk may hold part of a secret
  for (std::size_t i = 0; i < sizeof buf; ++i) vb[i] = 0;
  if (too_big || read_failed) {
    detail::wipe_string(text);
    if (too_big) return error(errc::config_file, path + ": larger than 16 MiB; not an AWS config file");
    return error(errc::config_file, path + ": read error");
  }
  auto parsed = parse_ini(text, path);
  detail::wipe_string(text);
  if (!parsed) return parsed.error();
  return std::optional<ini_file>(std::move(*parsed));
}

FINOPS_CRAWLER_FUNC shared_config_paths default_shared_config_paths(const environment& env,
                                                       std::optional<std::string> config_override,
                                                       std::optional<std::string> credentials_override) {
  const std::optional<std::string> home = env.get_non_empty("HOME");
  auto expand = [&](std::string p) {
    // botocore expands '~' with os.path.expanduser; only the HOME form here.
    if (home && (p == "~" || (p.size() >= 2 && p[0] == '~' && p[1] == '/'))) p = *home + p.substr(1);
    return p;
  };
  auto pick = [&](const std::optional<std::string>& over, const char* var, const char* leaf, std::string& path,
                  std::string& origin) {
    if (over && !over->empty()) {
      path = expand(*over);
      origin = "option";
    } else if (auto v = env.get_non_empty(var)) {
      path = expand(*v);
      origin = var;
    } else if (home) {
      path = *home + "/.aws/" + leaf;
      origin = std::string("$HOME/.aws/") + leaf;
    } else {
      origin = std::string("none: HOME and ") + var + " are unset";
    }
  };
  shared_config_paths out;
  pick(config_override, "AWS_CONFIG_FILE", "config", out.config_file, out.config_origin);
  pick(credentials_override, "AWS_SHARED_CREDENTIALS_FILE", "credentials", out.credentials_file,
       out.credentials_origin);
  return out;
}

FINOPS_CRAWLER_FUNC result<shared_config> shared_config::load(const shared_config_paths& paths) {
  std::optional<ini_file> config;
  std::optional<ini_file> credentials;
  if (!paths.config_file.empty()) {
    auto r = load_ini_file(paths.config_file);
    if (!r) return r.error();
    config = std::move(*r);
  }
  if (!paths.credentials_file.empty()) {
    auto r = load_ini_file(paths.credentials_file);
    if (!r) return r.error();
    credentials = std::move(*r);
  }
  return shared_config(std::move(config), std::move(credentials), paths);
}

FINOPS_CRAWLER_FUNC result<shared_config> shared_config::from_strings(std::string_view config_text,
                                                         std::string_view credentials_text) {
  auto c = parse_ini(config_text, "<config>");
  if (!c) return c.error();
  auto k = parse_ini(credentials_text, "<credentials>");
  if (!k) return k.error();
  shared_config_paths paths;
  paths.config_origin = "string";
  paths.credentials_origin = "string";
  return shared_config(std::move(*c), std::move(*k), std::move(paths));
}

FINOPS_CRAWLER_FUNC const ini_section* shared_config::config_profile(std::string_view name) const noexcept {
  if (!config_ || name.empty()) return nullptr;
  for (const auto& s : config_->sections()) {
    std::string_view n = s.name;
    if (n.size() > 8 && n.substr(0, 8) == "profile " && n.substr(8) == name) return &s;
  }
  // Only the default profile may omit the "profile " prefix in the config file.
  if (name == "default") return config_->find_section("default");
  return nullptr;
}

FINOPS_CRAWLER_FUNC const ini_section* shared_config::credentials_profile(std::string_view name) const noexcept {
  if (!credentials_ || name.empty()) return nullptr;
  return credentials_->find_section(name);
}

FINOPS_CRAWLER_FUNC const ini_section* shared_config::services_section(std::string_view name) const noexcept {
  if (!config_ || name.empty()) return nullptr;
  for (const auto& s : config_->sections()) {
    std::string_view n = s.name;
    if (n.size() > 9 && n.substr(0, 9) == "services " && n.substr(9) == name) return &s;
  }
  return nullptr;
}

FINOPS_CRAWLER_FUNC std::optional<profile_value> shared_config::get(std::string_view profile, std::string_view key) const noexcept {
  if (const ini_section* s = credentials_profile(profile))
    if (const ini_property* p = s->find(key)) return profile_value{p->value, credentials_->source(), p->line};
  if (const ini_section* s = config_profile(profile))
    if (const ini_property* p = s->find(key)) return profile_value{p->value, config_->source(), p->line};
  return std::nullopt;
}

FINOPS_CRAWLER_FUNC profile_choice resolve_profile(std::optional<std::string_view> explicit_profile, const environment& env) {
  if (explicit_profile && !explicit_profile->empty()) return {std::string(*explicit_profile), "option"};
  if (auto v = env.get_non_empty("AWS_PROFILE")) return {std::move(*v), "AWS_PROFILE"};
  return {"default", "default"};
}

FINOPS_CRAWLER_FUNC std::optional<region_choice> resolve_region(std::optional<std::string_view> explicit_region,
                                                   const environment& env, const shared_config& config,
                                                   std::string_view profile) {
  if (explicit_region && !explicit_region->empty()) return region_choice{std::string(*explicit_region), "option"};
  if (auto v = env.get_non_empty("AWS_REGION")) return region_choice{std::move(*v), "AWS_REGION"};
  if (auto v = env.get_non_empty("AWS_DEFAULT_REGION")) return region_choice{std::move(*v), "AWS_DEFAULT_REGION"};
  if (auto v = config.get(profile, "region"); v && !v->value.empty())
    return region_choice{std::string(v->value),
                         "profile " + std::string(profile) + " in " + std::string(v->file) + ":" +
                             std::to_string(v->line)};
  return std::nullopt;
}

FINOPS_CRAWLER_FUNC std::optional<bool> parse_config_bool(std::string_view text) noexcept {
  text = detail::trim(text);
  if (detail::iequals(text, "true")) return true;
  if (detail::iequals(text, "false")) return false;
  return std::nullopt;
}

}  // namespace aws
}  // namespace v0
}  // namespace finops_crawler

#endif  // FINOPS_CRAWLER_AWS_SHARED_CONFIG_INL_HPP
