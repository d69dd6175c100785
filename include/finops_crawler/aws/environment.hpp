#ifndef FINOPS_CRAWLER_AWS_ENVIRONMENT_HPP
#define FINOPS_CRAWLER_AWS_ENVIRONMENT_HPP
/// \file
/// An injectable, read-only view of environment variables. The credential
/// chain, region and endpoint resolution read the environment only through
/// `environment`, so tests pass a `map_environment` and never call setenv.
/// Standard library only.

#include <cstdlib>
#include <functional>
#include <initializer_list>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <utility>

namespace finops_crawler {
inline namespace v0 {
namespace aws {

/// A source of environment variables.
///
/// `get` returns the value of a variable, or nothing when it is unset.
/// Implementations must be safe to call from several threads at once as long
/// as nobody mutates the underlying store (the process environment or the map).
class environment {
 public:
  virtual ~environment() = default;

  /// The value of `name`, or std::nullopt when unset. Cost: one lookup plus
  /// a copy of the value.
  virtual std::optional<std::string> get(std::string_view name) const = 0;

  /// Like get(), but an empty value counts as unset. The AWS SDKs treat
  /// `AWS_PROFILE=` or `AWS_REGION=` the same as an unset variable; so do we.
  std::optional<std::string> get_non_empty(std::string_view name) const {
    auto v = get(name);
    if (v && v->empty()) return std::nullopt;
    return v;
  }

 protected:
  environment() = default;
  environment(const environment&) = default;
  environment& operator=(const environment&) = default;
};

/// The real process environment, read with std::getenv.
///
/// Thread safety: std::getenv is safe against concurrent getenv calls but not
/// against a concurrent setenv/putenv anywhere in the process (POSIX).
class process_environment final : public environment {
 public:
  std::optional<std::string> get(std::string_view name) const override {
    const std::string key(name);  // getenv needs a NUL-terminated name
    const char* v = std::getenv(key.c_str());
    if (v == nullptr) return std::nullopt;
    return std::string(v);
  }
};

/// The process environment as a shared, stateless object. The object is
/// created on first call (a function-local static), never at include time.
inline const environment& default_environment() {
  static const process_environment env;
  return env;
}

/// A map-backed environment for tests and for programs that want to pass
/// their own settings. Copyable; not synchronized (do not mutate it while
/// another thread reads it).
///
///   aws::map_environment env{{"AWS_REGION", "eu-west-1"}};
///   auto r = aws::resolve_region(std::nullopt, env, cfg, "default");
class map_environment final : public environment {
 public:
  map_environment() = default;
  map_environment(std::initializer_list<std::pair<const std::string, std::string>> vars) : vars_(vars) {}

  std::optional<std::string> get(std::string_view name) const override {
    auto it = vars_.find(name);
    if (it == vars_.end()) return std::nullopt;
    return it->second;
  }

  /// Sets (or replaces) a variable.
  void set(std::string name, std::string value) { vars_[std::move(name)] = std::move(value); }

  /// Removes a variable; no effect when unset.
  void unset(std::string_view name) {
    auto it = vars_.find(name);
    if (it != vars_.end()) vars_.erase(it);
  }

  /// Number of variables set.
  std::size_t size() const noexcept { return vars_.size(); }

 private:
  std::map<std::string, std::string, std::less<>> vars_;
};

}  // namespace aws
}  // namespace v0
}  // namespace finops_crawler

#endif  // FINOPS_CRAWLER_AWS_ENVIRONMENT_HPP
