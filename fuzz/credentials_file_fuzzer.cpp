// libFuzzer target over the shared config/credentials file parser and the
// lookups built on it (credential chain over parsed files, region, configured
// endpoint URLs). Build: clang++ -std=c++17 -g -O1 -fsanitize=fuzzer,address,undefined
//   -Iinclude fuzz/credentials_file_fuzzer.cpp -lcrypto
// Invariants checked (a violation traps): errors are errc::config_file with a
// "source:line: " prefix whose line exists; parsed names are non-empty, keys
// are lower case, line numbers lie within the input.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "finops_crawler/aws/credentials.hpp"
#include "finops_crawler/aws/endpoints.hpp"
#include "finops_crawler/aws/environment.hpp"
#include "finops_crawler/aws/shared_config.hpp"

namespace aws = finops_crawler::aws;
using finops_crawler::errc;

namespace fuzz_detail {

inline void require(bool ok) {
  if (!ok) __builtin_trap();
}

inline std::size_t count_lines(std::string_view text) {
  std::size_t n = 0;
  for (std::size_t i = 0; i < text.size(); ++i)
    if (text[i] == '\n' || i + 1 == text.size()) ++n;
  return n;
}

/// "http://" or "https://" in any case (what endpoints.hpp accepts), then more.
inline bool http_url(std::string_view url) {
  auto lower = [](char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c; };
  auto starts = [&](std::string_view p) {
    if (url.size() <= p.size()) return false;
    for (std::size_t i = 0; i < p.size(); ++i)
      if (lower(url[i]) != p[i]) return false;
    return true;
  };
  return starts("http://") || starts("https://");
}

inline void check_file(const aws::ini_file& f, std::size_t lines) {
  for (const auto& s : f.sections()) {
    require(!s.name.empty());
    require(s.line >= 1 && s.line <= lines);
    for (const auto& p : s.properties) {
      require(!p.key.empty());
      require(p.line >= s.line && p.line <= lines);
      for (char c : p.key) require(!(c >= 'A' && c <= 'Z'));
      for (const auto& sp : p.sub_properties) {
        require(!sp.key.empty());
        require(sp.line > p.line && sp.line <= lines);
      }
    }
  }
}

}  // namespace fuzz_detail

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  const std::size_t lines = fuzz_detail::count_lines(text);

  auto parsed = aws::parse_ini(text, "<fuzz>");
  if (!parsed) {
    fuzz_detail::require(parsed.code() == errc::config_file);
    const std::string& m = parsed.error().message;
    fuzz_detail::require(m.rfind("<fuzz>:", 0) == 0);
    const std::size_t line = std::stoul(m.substr(7));
    fuzz_detail::require(line >= 1 && line <= lines);
    return 0;
  }
  fuzz_detail::check_file(*parsed, lines);

  // The same text as both files, then every lookup that reads them.
  auto cfg = aws::shared_config::from_strings(text, text);
  fuzz_detail::require(cfg.has_value());
  aws::map_environment env;
  for (const char* profile : {"default", "dev", "a"}) {
    aws::credential_options o;
    o.profile = profile;
    auto c = aws::resolve_credentials(o, env, *cfg);
    if (c) fuzz_detail::require(!c->empty() && !c->secret_access_key().empty());
    else
      fuzz_detail::require(c.code() == errc::no_credentials || c.code() == errc::config_file ||
                           c.code() == errc::invalid_argument);
    (void)aws::resolve_region(std::nullopt, env, *cfg, profile);
    for (auto s : {aws::service::cost_explorer, aws::service::organizations, aws::service::sts}) {
      auto region = aws::resolve_region(std::nullopt, env, *cfg, profile);
      auto e = aws::resolve_endpoint(s, region ? std::optional<std::string_view>(region->name) : std::nullopt, {}, env,
                                     *cfg, profile);
      if (e) fuzz_detail::require(fuzz_detail::http_url(e->url) && !e->signing_region.empty());
    }
  }
  return 0;
}
