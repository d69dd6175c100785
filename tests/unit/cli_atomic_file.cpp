#include "atomic_file.hpp"

#include <doctest/doctest.h>

#include <sys/stat.h>
#include <dirent.h>
#include <unistd.h>

#include <fstream>
#include <sstream>
#include <string>

using namespace finops_crawler;
using namespace finops_crawler::cli;

namespace {
std::string temp_dir() {
  std::string t = "/tmp/finops-cli-atomic-XXXXXX";
  REQUIRE(::mkdtemp(&t[0]) != nullptr);
  return t;
}
std::string slurp(const std::string& p) {
  std::ifstream in(p, std::ios::binary);
  std::ostringstream o;
  o << in.rdbuf();
  return o.str();
}
bool exists(const std::string& p) {
  struct stat st {};
  return ::stat(p.c_str(), &st) == 0;
}
int entries(const std::string& dir) {
  int n = 0;
  DIR* d = ::opendir(dir.c_str());
  REQUIRE(d != nullptr);
  while (dirent* e = ::readdir(d)) {
    std::string name = e->d_name;
    if (name != "." && name != "..") ++n;
  }
  ::closedir(d);
  return n;
}
}  // namespace

TEST_CASE("the target appears only at commit, whole") {
  const std::string dir = temp_dir();
  const std::string target = dir + "/report.csv";
  {
    auto f = atomic_file::create(target);
    REQUIRE(f);
    f->stream() << "header\nrow\n";
    CHECK_FALSE(exists(target));
    CHECK(exists(f->temp_path()));
    REQUIRE(f->commit());
    CHECK_FALSE(exists(f->temp_path()));
  }
  CHECK(slurp(target) == "header\nrow\n");
  CHECK(entries(dir) == 1);
  struct stat st {};
  REQUIRE(::stat(target.c_str(), &st) == 0);
  const mode_t mask = ::umask(0);
  ::umask(mask);
  CHECK((st.st_mode & 0777) == (0666 & ~mask));  // like any file the shell creates, not mkstemp's 0600
  ::unlink(target.c_str());
  ::rmdir(dir.c_str());
}

TEST_CASE("an abandoned write leaves the old target untouched and no temp file") {
  const std::string dir = temp_dir();
  const std::string target = dir + "/report.csv";
  REQUIRE(write_file_atomically(target, "old complete report\n"));
  {
    auto f = atomic_file::create(target);
    REQUIRE(f);
    f->stream() << "half of a new rep";
    // destroyed without commit: an error or an interrupted crawl
  }
  CHECK(slurp(target) == "old complete report\n");
  CHECK(entries(dir) == 1);
  ::unlink(target.c_str());
  ::rmdir(dir.c_str());
}

TEST_CASE("moving keeps one owner; commit twice is refused") {
  const std::string dir = temp_dir();
  const std::string target = dir + "/x";
  auto f = atomic_file::create(target);
  REQUIRE(f);
  atomic_file g = std::move(*f);
  g.stream() << "x";
  REQUIRE(g.commit());
  CHECK_FALSE(g.commit());
  CHECK(slurp(target) == "x");
  ::unlink(target.c_str());
  ::rmdir(dir.c_str());
}

TEST_CASE("a missing directory is an error naming it") {
  auto f = atomic_file::create("/nonexistent-dir-finops/report.csv");
  REQUIRE_FALSE(f);
  CHECK(f.error().message.find("/nonexistent-dir-finops/") != std::string::npos);
  auto g = atomic_file::create("/tmp/");
  REQUIRE_FALSE(g);
}

TEST_CASE("private files are 0600") {
  const std::string dir = temp_dir();
  const std::string target = dir + "/entry";
  auto f = atomic_file::create(target, true);
  REQUIRE(f);
  REQUIRE(f->commit());
  struct stat st {};
  REQUIRE(::stat(target.c_str(), &st) == 0);
  CHECK((st.st_mode & 0777) == 0600);
  ::unlink(target.c_str());
  ::rmdir(dir.c_str());
}
