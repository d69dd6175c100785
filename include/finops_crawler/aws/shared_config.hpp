#ifndef FINOPS_CRAWLER_AWS_SHARED_CONFIG_HPP
#define FINOPS_CRAWLER_AWS_SHARED_CONFIG_HPP
/// \file
/// The AWS shared config and credentials files (`~/.aws/config`,
/// `~/.aws/credentials`): an INI parser, file loading, profile lookup, and
/// the profile-name and region choices that depend on them.
/// Standard library only (no curl, no simdjson, no OpenSSL).
///
/// Format accepted (the AWS CLI / botocore dialect, plus the inline comments
/// of the cross-SDK profile-file rules):
///
///   # full-line comment           ; also a comment (leading blanks allowed)
///   [default]
///   region = eu-west-1            # inline comment: needs a blank before '#'/';'
///   [profile ci]
///   services = local
///   [services local]
///   cost_explorer =
///     endpoint_url = http://127.0.0.1:8080
///
/// - Property names are case-insensitive (stored in lower case, as botocore's
///   configparser does); section names are case-sensitive.
/// - An indented line after `name =` (empty value) is a sub-property
///   `key = value`; an indented line after `name = value` continues the value
///   (joined with '\n').
/// - `value#x` keeps its '#': only '#' or ';' preceded by a blank starts an
///   inline comment, and only in top-level property values (sub-property values
///   are taken verbatim, as in the SDKs' profile-file rules).
/// - A section that appears twice is merged; a repeated property replaces the
///   earlier one.
/// - Errors name the file and line: a header without ']', text after ']', an
///   empty section name, a property before any section, a line without '=',
///   an empty property name.

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <system_error>
#include <utility>
#include <vector>

#include "finops_crawler/aws/environment.hpp"
#include "finops_crawler/detail/ascii.hpp"
#include "finops_crawler/result.hpp"

namespace finops_crawler {
inline namespace v0 {
namespace aws {

/// One `key = value` line nested under a property with an empty value
/// (e.g. `endpoint_url = ...` under `cost_explorer =`).
struct ini_sub_property {
  std::string key;    ///< lower case
  std::string value;  ///< trimmed, verbatim
  std::size_t line = 0;  ///< 1-based line in the source
};

/// One `key = value` property of a section.
struct ini_property {
  std::string key;    ///< lower case
  std::string value;  ///< trimmed, inline comment removed, continuations joined by '\n'
  std::vector<ini_sub_property> sub_properties;  ///< indented `k = v` lines after `key =`
  std::size_t line = 0;  ///< 1-based line of `key =`

  /// The sub-property named `key` (case-insensitive), or nullptr. Linear scan.
  const ini_sub_property* find_sub(std::string_view key) const noexcept;
};

/// One `[name]` section. `name` is the text between the brackets, trimmed,
/// with the blanks after its first word collapsed to one space
/// (`[profile   dev]` has name "profile dev").
struct ini_section {
  std::string name;
  std::size_t line = 0;  ///< 1-based line of the first header
  std::vector<ini_property> properties;

  /// The property named `key` (case-insensitive), or nullptr. Linear scan.
  const ini_property* find(std::string_view key) const noexcept;
};

/// A parsed INI file. Owns its strings; values that may be secrets are
/// overwritten with zeros when the object is destroyed or assigned over.
/// Copyable and movable; not synchronized (read-only use from many threads
/// is fine).
class ini_file {
 public:
  /// An empty file with no source.
  ini_file() = default;
  /// An empty file labelled `source` (parse_ini fills it).
  explicit ini_file(std::string source) : source_(std::move(source)) {}
  /// Copies every section (values included); each copy wipes its own.
  ini_file(const ini_file&) = default;
  /// Takes the other's strings; it is left empty.
  ini_file(ini_file&&) noexcept = default;
  /// Wipes the current values, then copies.
  ini_file& operator=(const ini_file& o) {
    if (this != &o) {
      wipe();
      source_ = o.source_;
      sections_ = o.sections_;
    }
    return *this;
  }
  /// Wipes the current values, then takes the other's.
  ini_file& operator=(ini_file&& o) noexcept {
    if (this != &o) {
      wipe();
      source_ = std::move(o.source_);
      sections_ = std::move(o.sections_);
    }
    return *this;
  }
  /// Wipes every value before the memory is freed.
  ~ini_file() { wipe(); }

  /// Where the text came from (a path, or a label such as "<config>").
  const std::string& source() const noexcept { return source_; }
  /// Sections in order of first appearance.
  const std::vector<ini_section>& sections() const noexcept { return sections_; }
  /// The section with exactly this (normalized) name, or nullptr.
  const ini_section* find_section(std::string_view name) const noexcept;

 private:
  friend result<ini_file> parse_ini(std::string_view text, std::string_view source_name);
  void wipe() noexcept;
  std::string source_;
  std::vector<ini_section> sections_;
};

/// Parses INI text in the format described in this file's header. Pure and
/// total: any byte sequence yields a value or an errc::config_file error whose
/// message is "<source_name>:<line>: <problem>" (the message never quotes a
/// property value, which may be a secret). Cost: linear in the text.
result<ini_file> parse_ini(std::string_view text, std::string_view source_name = "<string>");

/// Reads and parses the file at `path`.
///
/// Returns std::nullopt when nothing exists at `path` (a missing file is not
/// an error for the credential chain). Errors (errc::config_file, naming the
/// path): `path` is a directory or not a regular file, cannot be opened or
/// read (e.g. permission denied), is larger than 16 MiB, or does not parse.
/// The file's bytes are wiped from memory after parsing.
result<std::optional<ini_file>> load_ini_file(const std::string& path);

/// Where the two shared files are, and why.
struct shared_config_paths {
  std::string config_file;        ///< empty when unknown (no HOME, no AWS_CONFIG_FILE)
  std::string credentials_file;   ///< empty when unknown
  std::string config_origin;      ///< e.g. "AWS_CONFIG_FILE", "$HOME/.aws/config", "option"
  std::string credentials_origin; ///< e.g. "AWS_SHARED_CREDENTIALS_FILE"
};

/// The file locations the AWS SDKs use: AWS_CONFIG_FILE, else
/// $HOME/.aws/config; AWS_SHARED_CREDENTIALS_FILE, else $HOME/.aws/credentials.
/// A non-empty `config_override` / `credentials_override` wins over both.
/// A leading "~/" is expanded with HOME. Never fails; a path is empty when it
/// cannot be determined. Cost: a few environment lookups.
shared_config_paths default_shared_config_paths(const environment& env,
                                                std::optional<std::string> config_override = std::nullopt,
                                                std::optional<std::string> credentials_override = std::nullopt);

/// A value found in a profile, with where it came from (for messages).
/// Borrows from the shared_config that returned it.
struct profile_value {
  std::string_view value;
  std::string_view file;  ///< source of the file that held it
  std::size_t line = 0;
};

/// The two shared files, parsed. Either may be absent.
///
/// Profiles: in the config file `[default]` or `[profile NAME]` (when both
/// `[default]` and `[profile default]` exist the latter wins, as in the SDKs'
/// profile-file rules); in the credentials file `[NAME]`. Other config-file
/// sections without a known prefix are ignored. `[services NAME]` sections
/// exist only in the config file.
///
/// Copyable; immutable after construction, so concurrent reads are safe.
class shared_config {
 public:
  /// No files.
  shared_config() = default;
  /// Wraps already-parsed files (either may be absent); `paths` is kept for
  /// messages only.
  shared_config(std::optional<ini_file> config, std::optional<ini_file> credentials,
                shared_config_paths paths = {})
      : config_(std::move(config)), credentials_(std::move(credentials)), paths_(std::move(paths)) {}

  /// Loads both files (see load_ini_file). A missing file is fine; any other
  /// problem with either file is an errc::config_file error naming it.
  static result<shared_config> load(const shared_config_paths& paths);

  /// Parses two in-memory texts (labels "<config>" and "<credentials>").
  /// Errors as parse_ini. For tests and fuzzing.
  static result<shared_config> from_strings(std::string_view config_text, std::string_view credentials_text);

  /// The parsed config file, if it existed.
  const std::optional<ini_file>& config_file() const noexcept { return config_; }
  /// The parsed credentials file, if it existed.
  const std::optional<ini_file>& credentials_file() const noexcept { return credentials_; }
  /// The paths given to load() (empty after from_strings).
  const shared_config_paths& paths() const noexcept { return paths_; }

  /// The config-file section of profile `name`, or nullptr.
  const ini_section* config_profile(std::string_view name) const noexcept;
  /// The credentials-file section of profile `name`, or nullptr.
  const ini_section* credentials_profile(std::string_view name) const noexcept;
  /// The config-file `[services NAME]` section, or nullptr.
  const ini_section* services_section(std::string_view name) const noexcept;
  /// Whether either file defines profile `name`.
  bool has_profile(std::string_view name) const noexcept {
    return config_profile(name) != nullptr || credentials_profile(name) != nullptr;
  }

  /// The value of `key` in profile `profile`: the credentials file first,
  /// then the config file (the credentials file overrides, as in botocore).
  /// The result borrows from *this.
  std::optional<profile_value> get(std::string_view profile, std::string_view key) const noexcept;

 private:
  std::optional<ini_file> config_;
  std::optional<ini_file> credentials_;
  shared_config_paths paths_;
};

/// A chosen profile name and what chose it.
struct profile_choice {
  std::string name;
  std::string origin;  ///< "option", "AWS_PROFILE" or "default"
};

/// The profile to use: `explicit_profile` when non-empty, else AWS_PROFILE
/// when non-empty, else "default". Never fails.
profile_choice resolve_profile(std::optional<std::string_view> explicit_profile, const environment& env);

/// A chosen region and what chose it.
struct region_choice {
  std::string name;
  std::string origin;  ///< "option", "AWS_REGION", "AWS_DEFAULT_REGION" or "profile NAME in FILE"
};

/// The region: `explicit_region` when non-empty, else AWS_REGION, else
/// AWS_DEFAULT_REGION, else the profile's `region`, else std::nullopt (the
/// caller decides: Cost Explorer and Organizations are global services whose
/// endpoint in the aws partition is always us-east-1, see endpoints.hpp).
/// Does not validate the name; endpoint resolution does.
std::optional<region_choice> resolve_region(std::optional<std::string_view> explicit_region,
                                            const environment& env, const shared_config& config,
                                            std::string_view profile);

/// Parses a boolean setting as the SDKs do: "true" or "false", any case,
/// surrounding blanks ignored. Anything else is std::nullopt.
std::optional<bool> parse_config_bool(std::string_view text) noexcept;

namespace detail {
/// The blanks stripped around the shared files' keys and values (the AWS
/// CLI reads them with Python's configparser, which strips these).
inline constexpr std::string_view config_blanks = " \t\v\f\r";
constexpr bool is_blank(char c) noexcept { return config_blanks.find(c) != std::string_view::npos; }
constexpr std::string_view trim(std::string_view s) noexcept { return finops_crawler::detail::trim(s, config_blanks); }
using finops_crawler::detail::ascii_lower;
using finops_crawler::detail::iequals;
using finops_crawler::detail::to_lower;
}  // namespace detail

}  // namespace aws
}  // namespace v0
}  // namespace finops_crawler

#if FINOPS_CRAWLER_HEADER_ONLY
#include "finops_crawler/aws/shared_config-inl.hpp"
#endif

#endif  // FINOPS_CRAWLER_AWS_SHARED_CONFIG_HPP
