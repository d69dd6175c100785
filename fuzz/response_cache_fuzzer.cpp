// libFuzzer target: the CLI's cache-entry reader (tools/cli/response_cache.hpp):
// response_cache::load on entries made from the input, store/load round
// trips, and is_final_page on the input as a body.
//
// Byte 0 picks the mode; the rest is the payload.
//  - bit 0 clear, raw mode: the payload is written as the entry file of a
//    fixed key; load() must refuse it unless its header line names that key
//    and the exact size and SHA-256 of what follows (then that is the body).
//  - bit 0 set, built mode: the payload is a body; the target writes the
//    entry itself, canonical or with one corruption picked by bits 1..3
//    (magic, version, key, hash, size, a truncated or extended body); load()
//    returns the body exactly when the entry is canonical and the body is
//    JSON, and a refused entry is deleted and counted as corrupt.
//  - always: store(key, payload) then load(key) gives the payload back when
//    it is JSON (the cache never trusts a non-JSON body).
// The entries live in a private temporary directory removed at exit.
#include <sys/stat.h>
#include <unistd.h>

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <string>
#include <string_view>

#include <simdjson.h>

#include "finops_crawler/detail/crypto.hpp"
#include "finops_crawler/detail/hex.hpp"
#include "fuzz_support.hpp"
#include "response_cache.hpp"

namespace fc = finops_crawler;
namespace cli = finops_crawler::cli;
using fuzz_support::require;

namespace {

std::string sha256_hex(std::string_view data) {
  fc::detail::sha256_digest d{};
  require(fc::detail::sha256_oneshot(data, d));
  return fc::detail::to_hex_lower(d.data(), d.size());
}

bool is_json(std::string_view body) {
  simdjson::dom::parser parser;
  simdjson::dom::element doc;
  return parser.parse(body.data(), body.size()).get(doc) == simdjson::SUCCESS;
}

bool exists(const std::string& path) {
  struct stat st {};
  return ::stat(path.c_str(), &st) == 0;
}

void write_file(const std::string& path, std::string_view content) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out.write(content.data(), static_cast<std::streamsize>(content.size()));
  out.close();
  require(static_cast<bool>(out));
}

std::string dir_path;
std::string entry_paths[2];  // computed up front: OpenSSL may be gone in atexit handlers

void remove_dir() {
  if (dir_path.empty()) return;
  // Only the entries this target names, then the directory itself.
  for (const auto& p : entry_paths) ::unlink(p.c_str());
  ::rmdir(dir_path.c_str());
}

cli::response_cache& cache() {
  static cli::response_cache* c = [] {
    const char* tmp = std::getenv("TMPDIR");
    std::string templ = std::string(tmp && *tmp ? tmp : "/tmp") + "/response_cache_fuzzer.XXXXXX";
    require(::mkdtemp(templ.data()) != nullptr);
    dir_path = templ;
    entry_paths[0] = dir_path + "/" + cli::response_cache::key("A", "B", "C") + ".json";
    entry_paths[1] = dir_path + "/" + cli::response_cache::key("X", "Y", "Z") + ".json";
    std::atexit(remove_dir);
    auto opened = cli::response_cache::open(dir_path);
    require(static_cast<bool>(opened));
    return new cli::response_cache(std::move(*opened));
  }();
  return *c;
}

/// The reference reader: the body if `content` is "finops-crawler-cache 1
/// KEY HASH SIZE\n" + body with this key and the body's hash and size,
/// allowing what a stream read of five blank-separated fields allows.
bool ref_accepts(std::string_view content, const std::string& key, std::string_view body) {
  const std::size_t nl = content.find('\n');
  if (nl == std::string_view::npos || content.substr(nl + 1) != body) return false;
  const std::string_view header = content.substr(0, nl);
  return header.find(key) != std::string_view::npos && header.find(sha256_hex(body)) != std::string_view::npos &&
         header.find(std::to_string(body.size())) != std::string_view::npos;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0 || size > 65536) return 0;
  const std::uint8_t bits = data[0];
  const std::string_view payload = fuzz_support::as_text(data + 1, size - 1);
  cli::response_cache& c = cache();
  const std::string key = cli::response_cache::key("A", "B", "C");
  require(key.size() == 64 && key == cli::response_cache::key("A", "B", "C"));
  require(key != cli::response_cache::key("A", "B", "C "));
  const std::string path = c.path(key);

  const cli::cache_stats before = c.stats();
  if ((bits & 1) == 0) {
    write_file(path, payload);
    auto body = c.load(key);
    if (body) {
      require(ref_accepts(payload, key, *body) && is_json(*body));
      require(exists(path));
      require(c.stats().hits == before.hits + 1);
    } else {
      require(!exists(path));
      require(c.stats().corrupt == before.corrupt + 1 && c.stats().misses == before.misses + 1);
    }
  } else {
    std::string magic = "finops-crawler-cache", version = "1", k = key, hash = sha256_hex(payload);
    std::string size_text = std::to_string(payload.size());
    std::string body(payload);
    const unsigned corruption = (bits >> 1) & 7;
    switch (corruption) {
      case 1: magic = "finops-crawler-cachf"; break;
      case 2: version = "2"; break;
      case 3: k = cli::response_cache::key("X", "Y", "Z"); break;
      case 4: hash[static_cast<std::size_t>(bits) % 64] = hash[static_cast<std::size_t>(bits) % 64] == '0' ? '1' : '0'; break;
      case 5: size_text = std::to_string(payload.size() + 1); break;
      case 6: body += ' '; break;
      case 7:
        if (body.empty()) body = "x";
        else body.pop_back();
        break;
      default: break;
    }
    write_file(path, magic + " " + version + " " + k + " " + hash + " " + size_text + "\n" + body);
    auto got = c.load(key);
    const bool want = corruption == 0 && is_json(payload);
    require(got.has_value() == want);
    if (got) require(*got == payload && exists(path));
    else require(!exists(path) && c.stats().corrupt == before.corrupt + 1);
  }

  // Store, then load.
  auto st = c.store(key, payload);
  require(static_cast<bool>(st));
  auto back = c.load(key);
  require(back.has_value() == is_json(payload));
  if (back) require(*back == payload);
  ::unlink(path.c_str());
  require(!c.load(key).has_value());

  // The final-page test on the payload as a response body.
  (void)cli::is_final_page(payload, fc::calendar_date::from_days(20783));
  return 0;
}
