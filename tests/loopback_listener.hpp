// The listening socket of the tests' own raw servers (curl_transport,
// hostile_server, tls_ca): TCP on 127.0.0.1 at a port the kernel picks, so
// tests never collide on a port and never listen beyond loopback. Not a test
// by itself.
#ifndef FINOPS_CRAWLER_TESTS_LOOPBACK_LISTENER_HPP
#define FINOPS_CRAWLER_TESTS_LOOPBACK_LISTENER_HPP

#include <doctest/doctest.h>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <string>

namespace loopback {

/// Listens on 127.0.0.1:<port 0> from construction (a failure fails the
/// test); closed when destroyed, after which nothing listens on `port()`.
class listener {
 public:
  listener() {
    fd_ = ::socket(AF_INET, SOCK_STREAM, 0);
    REQUIRE(fd_ >= 0);
    int one = 1;
    ::setsockopt(fd_, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    a.sin_port = 0;
    REQUIRE(::bind(fd_, reinterpret_cast<sockaddr*>(&a), sizeof a) == 0);
    REQUIRE(::listen(fd_, 8) == 0);
    socklen_t len = sizeof a;
    REQUIRE(::getsockname(fd_, reinterpret_cast<sockaddr*>(&a), &len) == 0);
    port_ = ntohs(a.sin_port);
  }
  listener(const listener&) = delete;
  listener& operator=(const listener&) = delete;
  ~listener() {
    if (fd_ >= 0) ::close(fd_);
  }

  int fd() const { return fd_; }
  int port() const { return port_; }
  /// "<scheme>://127.0.0.1:<port>".
  std::string origin(const char* scheme) const { return std::string(scheme) + "://127.0.0.1:" + std::to_string(port_); }

 private:
  int fd_ = -1;
  int port_ = 0;
};

}  // namespace loopback

#endif  // FINOPS_CRAWLER_TESTS_LOOPBACK_LISTENER_HPP
