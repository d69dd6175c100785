#ifndef FINOPS_CRAWLER_DETAIL_WIPE_ON_EXIT_HPP
#define FINOPS_CRAWLER_DETAIL_WIPE_ON_EXIT_HPP
/// \file
/// `wipe_on_exit`: the one way the library wipes secret bytes held in a
/// local variable (a secret access key, a derived key) when a scope ends, on
/// every exit path, early returns included. Not API.

#include <array>
#include <cstddef>
#include <string>

#include "finops_crawler/detail/crypto.hpp"

namespace finops_crawler {
inline namespace v0 {
namespace detail {

/// Wipes one std::string (its whole capacity, then empties it) or one byte
/// buffer with OPENSSL_cleanse (see secure_wipe) when destroyed.
///
/// Borrows the object, which must outlive the guard (declare the guard right
/// after it). Neither copyable nor movable: it belongs to one scope.
/// Cost: one OPENSSL_cleanse of the buffer.
///
///   std::string secret;
///   wipe_on_exit wipe_secret(secret);   // every return below wipes it
///   if (!lookup(id, secret)) return not_found();
class wipe_on_exit {
 public:
  explicit wipe_on_exit(std::string& s) noexcept : str_(&s) {}
  wipe_on_exit(void* p, std::size_t n) noexcept : ptr_(p), size_(n) {}
  template <std::size_t N>
  explicit wipe_on_exit(std::array<unsigned char, N>& a) noexcept : ptr_(a.data()), size_(N) {}
  ~wipe_on_exit() {
    if (str_ != nullptr) secure_wipe(*str_);
    secure_wipe(ptr_, size_);
  }
  wipe_on_exit(const wipe_on_exit&) = delete;
  wipe_on_exit& operator=(const wipe_on_exit&) = delete;

 private:
  std::string* str_ = nullptr;
  void* ptr_ = nullptr;
  std::size_t size_ = 0;
};

}  // namespace detail
}  // namespace v0
}  // namespace finops_crawler

#endif  // FINOPS_CRAWLER_DETAIL_WIPE_ON_EXIT_HPP
