#include "atomic_file.hpp"

#include <doctest/doctest.h>

#include <sys/stat.h>
#include <dirent.h>
#include <unistd.h>

#include <fcntl.h>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <sstream>
#include <string>
#include <thread>

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

// What --output does with what is not a regular file (issue 11, finding 1):
// before, each of these was replaced by a regular file through rename(2).

TEST_CASE("a FIFO is written through, never replaced: its reader gets the data") {
  const std::string dir = temp_dir();
  const std::string fifo = dir + "/pipe";
  REQUIRE(::mkfifo(fifo.c_str(), 0600) == 0);
  std::string got;
  std::thread reader([&] {
    std::ifstream in(fifo, std::ios::binary);  // blocks until the writer opens
    std::ostringstream o;
    o << in.rdbuf();
    got = o.str();
  });
  {
    auto f = atomic_file::create(fifo);
    REQUIRE(f);
    CHECK(f->writes_through());
    CHECK(f->temp_path().empty());
    f->stream() << "header\nrow\n";
    REQUIRE(f->commit());
  }
  reader.join();
  CHECK(got == "header\nrow\n");
  struct stat st {};
  REQUIRE(::lstat(fifo.c_str(), &st) == 0);
  CHECK(S_ISFIFO(st.st_mode));
  CHECK(entries(dir) == 1);
  ::unlink(fifo.c_str());
  ::rmdir(dir.c_str());
}

TEST_CASE("character devices are written through: /dev/null stays a device, /dev/full says no space") {
  struct stat before {};
  REQUIRE(::stat("/dev/null", &before) == 0);
  if (::access("/dev/null", W_OK) == 0) {
    auto f = atomic_file::create("/dev/null");
    REQUIRE(f);
    CHECK(f->writes_through());
    f->stream() << "discarded\n";
    CHECK(f->commit());
    struct stat after {};
    REQUIRE(::stat("/dev/null", &after) == 0);
    CHECK(S_ISCHR(after.st_mode));
    CHECK(after.st_rdev == before.st_rdev);
    CHECK(after.st_ino == before.st_ino);
  }
  if (::access("/dev/full", W_OK) == 0) {
    auto f = atomic_file::create("/dev/full");
    REQUIRE(f);
    f->stream() << "no room for this\n";
    auto st = f->commit();
    REQUIRE_FALSE(st);
    CHECK(st.error().message.find(std::strerror(ENOSPC)) != std::string::npos);
    CHECK(st.error().message.find("/dev/full") != std::string::npos);
    struct stat after {};
    REQUIRE(::stat("/dev/full", &after) == 0);
    CHECK(S_ISCHR(after.st_mode));
    // A write larger than the buffer fails the stream itself, with the reason kept.
    auto g = atomic_file::create("/dev/full");
    REQUIRE(g);
    g->stream() << std::string(200000, 'x');
    CHECK_FALSE(g->stream());
    CHECK(g->write_error().find(std::strerror(ENOSPC)) != std::string::npos);
  }
}

TEST_CASE("a symbolic link is followed: its target is replaced atomically and the link kept") {
  const std::string dir = temp_dir();
  REQUIRE(::mkdir((dir + "/real").c_str(), 0700) == 0);
  const std::string real = dir + "/real/report.csv";
  REQUIRE(write_file_atomically(real, "old\n"));
  const std::string link = dir + "/latest.csv";
  REQUIRE(::symlink("real/report.csv", link.c_str()) == 0);
  {
    auto f = atomic_file::create(link);
    REQUIRE(f);
    CHECK_FALSE(f->writes_through());
    CHECK(f->temp_path().find("/real/.report.csv.tmp-") != std::string::npos);  // beside the target
    f->stream() << "new\n";
    REQUIRE(f->commit());
  }
  struct stat st {};
  REQUIRE(::lstat(link.c_str(), &st) == 0);
  CHECK(S_ISLNK(st.st_mode));
  CHECK(slurp(real) == "new\n");
  CHECK(entries(dir + "/real") == 1);
  CHECK(entries(dir) == 2);
  ::unlink(link.c_str());
  ::unlink(real.c_str());
  ::rmdir((dir + "/real").c_str());
  ::rmdir(dir.c_str());
}

TEST_CASE("a dangling link, a directory and a link to a directory are refused; nothing is replaced") {
  const std::string dir = temp_dir();
  const std::string dangling = dir + "/dangling";
  REQUIRE(::symlink("missing/file.csv", dangling.c_str()) == 0);
  auto a = atomic_file::create(dangling);
  REQUIRE_FALSE(a);
  CHECK(a.error().message.find("does not exist") != std::string::npos);
  CHECK(a.error().message.find("missing/file.csv") != std::string::npos);

  const std::string sub = dir + "/sub";
  REQUIRE(::mkdir(sub.c_str(), 0700) == 0);
  auto b = atomic_file::create(sub);
  REQUIRE_FALSE(b);
  CHECK(b.error().message.find("is a directory") != std::string::npos);
  const std::string to_dir = dir + "/to-dir";
  REQUIRE(::symlink("sub", to_dir.c_str()) == 0);
  auto c = atomic_file::create(to_dir);
  REQUIRE_FALSE(c);
  CHECK(c.error().message.find("is a directory") != std::string::npos);

  struct stat st {};
  REQUIRE(::lstat(dangling.c_str(), &st) == 0);
  CHECK(S_ISLNK(st.st_mode));
  REQUIRE(::lstat(sub.c_str(), &st) == 0);
  CHECK(S_ISDIR(st.st_mode));
  CHECK(entries(dir) == 3);
  CHECK(entries(sub) == 0);
  ::unlink(dangling.c_str());
  ::unlink(to_dir.c_str());
  ::rmdir(sub.c_str());
  ::rmdir(dir.c_str());
}

TEST_CASE("private files (the cache) follow no link and replace only regular files") {
  const std::string dir = temp_dir();
  const std::string victim = dir + "/victim";
  REQUIRE(write_file_atomically(victim, "keep\n"));
  const std::string entry = dir + "/entry";
  REQUIRE(::symlink("victim", entry.c_str()) == 0);
  auto f = atomic_file::create(entry, true);
  REQUIRE_FALSE(f);
  CHECK(f.error().message.find("symbolic link") != std::string::npos);
  const std::string fifo = dir + "/fifo-entry";
  REQUIRE(::mkfifo(fifo.c_str(), 0600) == 0);
  auto g = atomic_file::create(fifo, true);
  REQUIRE_FALSE(g);
  CHECK(g.error().message.find("FIFO") != std::string::npos);
  CHECK(slurp(victim) == "keep\n");
  struct stat st {};
  REQUIRE(::lstat(entry.c_str(), &st) == 0);
  CHECK(S_ISLNK(st.st_mode));
  CHECK(entries(dir) == 3);
  ::unlink(entry.c_str());
  ::unlink(fifo.c_str());
  ::unlink(victim.c_str());
  ::rmdir(dir.c_str());
}
