#ifndef FINOPS_CRAWLER_DETAIL_SPAN_HPP
#define FINOPS_CRAWLER_DETAIL_SPAN_HPP
/// \file
/// Not API itself, but public through aliases (`ce::span_view`): the one
/// read-only contiguous range of the library, a C++17 stand-in for
/// `std::span<const T>`.

#include <array>
#include <cstddef>
#include <vector>

namespace finops_crawler {
inline namespace v0 {
namespace detail {

/// A borrowed, read-only run of `T`: a pointer and a size.
///
/// Lifetime: borrows the array, vector or page it was made from; that
/// storage must outlive the span and must not be resized (or, for a page,
/// reparsed) while the span is used. Trivially copyable; cheap to pass by
/// value. Thread safety: as the storage it views (const reads are safe).
template <class T>
class span {
 public:
  using value_type = T;
  using const_iterator = const T*;
  constexpr span() noexcept = default;
  constexpr span(const T* data, std::size_t size) noexcept : data_(data), size_(size) {}
  span(const std::vector<T>& v) noexcept : data_(v.data()), size_(v.size()) {}
  template <std::size_t N>
  constexpr span(const T (&a)[N]) noexcept : data_(a), size_(N) {}
  template <std::size_t N>
  constexpr span(const std::array<T, N>& a) noexcept : data_(a.data()), size_(N) {}

  constexpr const T* begin() const noexcept { return data_; }
  constexpr const T* end() const noexcept { return data_ + size_; }
  constexpr const T* data() const noexcept { return data_; }
  constexpr std::size_t size() const noexcept { return size_; }
  constexpr bool empty() const noexcept { return size_ == 0; }
  /// Precondition: i < size().
  constexpr const T& operator[](std::size_t i) const noexcept { return data_[i]; }

 private:
  const T* data_ = nullptr;
  std::size_t size_ = 0;
};

}  // namespace detail
}  // namespace v0
}  // namespace finops_crawler

#endif  // FINOPS_CRAWLER_DETAIL_SPAN_HPP
