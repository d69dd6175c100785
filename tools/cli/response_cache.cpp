// Bodies of response_cache.hpp.
#include "response_cache.hpp"

#include <sys/stat.h>
#include <sys/types.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <sstream>

#include <simdjson.h>

#include "atomic_file.hpp"
#include "finops_crawler/detail/crypto.hpp"
#include "finops_crawler/detail/hex.hpp"

namespace finops_crawler {
inline namespace v0 {
namespace cli {

namespace {

std::string hash_hex(std::string_view data) {
  finops_crawler::detail::sha256_digest d{};
  if (!finops_crawler::detail::sha256_oneshot(data, d)) return {};
  return finops_crawler::detail::to_hex_lower(d.data(), d.size());
}

// The body when `content` is a valid entry for `key`, else nullopt.
std::optional<std::string> validate(const std::string& key, const std::string& content) {
  const auto nl = content.find('\n');
  if (nl == std::string::npos) return std::nullopt;
  std::istringstream header(content.substr(0, nl));
  std::string magic, version, k, h;
  unsigned long long size = 0;
  if (!(header >> magic >> version >> k >> h >> size)) return std::nullopt;
  if (magic != "finops-crawler-cache" || version != "1" || k != key || key.empty()) return std::nullopt;
  std::string body = content.substr(nl + 1);
  if (body.size() != size || hash_hex(body) != h) return std::nullopt;
  simdjson::dom::parser parser;
  simdjson::dom::element doc;
  if (parser.parse(body.data(), body.size()).get(doc) != simdjson::SUCCESS) return std::nullopt;
  return body;
}

}  // namespace

bool is_final_page(std::string_view body, calendar_date today) {
  simdjson::dom::parser parser;
  simdjson::dom::element doc;
  if (parser.parse(body.data(), body.size()).get(doc) != simdjson::SUCCESS) return false;
  simdjson::dom::array results;
  if (doc["ResultsByTime"].get_array().get(results) != simdjson::SUCCESS) return false;
  const calendar_date cutoff = final_cutoff(today);
  bool any = false;
  for (simdjson::dom::element r : results) {
    std::string_view end;
    if (r["TimePeriod"]["End"].get_string().get(end) != simdjson::SUCCESS) return false;
    // HOURLY periods carry a time ("2026-11-20T00:00:00Z"); the date decides.
    auto d = parse_date(end.substr(0, 10));
    if (!d || *d > cutoff) return false;
    bool estimated = false;
    if (r["Estimated"].get_bool().get(estimated) == simdjson::SUCCESS && estimated) return false;
    any = true;
  }
  return any;
}

result<response_cache> response_cache::open(std::string dir) {
  if (dir.empty()) return error(errc::invalid_argument, "--cache needs a directory");
  while (dir.size() > 1 && dir.back() == '/') dir.pop_back();
  // Create missing parents one component at a time (mkdir -p).
  for (std::size_t i = 1; i <= dir.size(); ++i) {
    if (i != dir.size() && dir[i] != '/') continue;
    std::string part = dir.substr(0, i);
    if (::mkdir(part.c_str(), 0700) != 0 && errno != EEXIST)
      return error(errc::invalid_argument, "cannot create cache directory '" + part + "': " + std::strerror(errno));
  }
  struct stat st {};
  if (::stat(dir.c_str(), &st) != 0 || !S_ISDIR(st.st_mode))
    return error(errc::invalid_argument, "--cache '" + dir + "' is not a directory");
  response_cache c;
  c.dir_ = std::move(dir);
  return c;
}

std::string response_cache::key(std::string_view operation, std::string_view endpoint, std::string_view body) {
  std::string material = "finops-crawler-cache-v1\n";
  material.append(operation).append("\n").append(endpoint).append("\n").append(body);
  return hash_hex(material);
}

std::string response_cache::path(const std::string& key) const { return dir_ + "/" + key + ".json"; }

std::optional<std::string> response_cache::load(const std::string& key) {
  const std::string p = path(key);
  std::ifstream in(p, std::ios::binary);
  if (!in) {
    ++stats_.misses;
    return std::nullopt;
  }
  std::ostringstream buf;
  buf << in.rdbuf();
  std::string content = buf.str();
  std::optional<std::string> body = validate(key, content);
  if (!body) {
    ::unlink(p.c_str());
    ++stats_.corrupt;
    ++stats_.misses;
    return std::nullopt;
  }
  ++stats_.hits;
  return body;
}

status response_cache::store(const std::string& key, std::string_view body) {
  std::string content = "finops-crawler-cache 1 " + key + " " + hash_hex(body) + " " + std::to_string(body.size()) + "\n";
  content.append(body);
  auto f = atomic_file::create(path(key), /*private_file=*/true);
  if (!f) {
    ++stats_.store_failures;
    return f.error();
  }
  f->stream().write(content.data(), static_cast<std::streamsize>(content.size()));
  auto st = f->commit();
  if (!st) ++stats_.store_failures;
  else ++stats_.stored;
  return st;
}

std::optional<std::pair<std::uint64_t, std::uint64_t>> response_cache::load_history(const std::string& key) const {
  if (key.empty() || key.find_first_not_of("0123456789abcdef") != std::string::npos) return std::nullopt;
  std::ifstream in(dir_ + "/history/" + key + ".pages");
  std::string magic, version;
  std::uint64_t pages = 0, periods = 0;
  if (!(in >> magic >> version >> pages >> periods)) return std::nullopt;
  if (magic != "finops-crawler-pages" || version != "1" || pages == 0 || periods == 0) return std::nullopt;
  return std::make_pair(pages, periods);
}

status response_cache::store_history(const std::string& key, std::uint64_t pages, std::uint64_t periods) {
  if (key.empty() || key.find_first_not_of("0123456789abcdef") != std::string::npos)
    return status(errc::invalid_argument, "history key is not a hex digest");
  const std::string dir = dir_ + "/history";
  if (::mkdir(dir.c_str(), 0700) != 0 && errno != EEXIST)
    return status(errc::invalid_argument, "cannot create " + dir + ": " + std::strerror(errno));
  return write_file_atomically(dir + "/" + key + ".pages",
                               "finops-crawler-pages 1 " + std::to_string(pages) + " " + std::to_string(periods) + "\n",
                               /*private_file=*/true);
}

}  // namespace cli
}  // namespace v0
}  // namespace finops_crawler
