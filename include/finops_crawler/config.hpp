#ifndef FINOPS_CRAWLER_CONFIG_HPP
#define FINOPS_CRAWLER_CONFIG_HPP
/// \file
/// The library's two knobs. Each is: the user's value (set through the Meson
/// dependency's compile args, never by `#define` before include), else
/// detected, else a default. Neither changes any class layout.

/// 1 when exceptions are available: `result::value()` then throws
/// `finops_crawler::exception`; 0 under `-fno-exceptions` (it aborts).
#ifndef FINOPS_CRAWLER_EXCEPTIONS
#if defined(__cpp_exceptions) || defined(__EXCEPTIONS) || defined(_CPPUNWIND)
#define FINOPS_CRAWLER_EXCEPTIONS 1
#else
#define FINOPS_CRAWLER_EXCEPTIONS 0
#endif
#endif

/// Internal invariant check; defaults to assert() semantics.
#ifndef FINOPS_CRAWLER_ASSERT
#include <cassert>
#define FINOPS_CRAWLER_ASSERT(cond) assert(cond)
#endif

/// Marks an accessor whose result borrows from `*this` or an argument, so
/// compilers that understand it warn about dangling views.
#if defined(__clang__) && defined(__has_cpp_attribute)
#if __has_cpp_attribute(clang::lifetimebound)
#define FINOPS_CRAWLER_LIFETIMEBOUND [[clang::lifetimebound]]
#endif
#endif
#ifndef FINOPS_CRAWLER_LIFETIMEBOUND
#define FINOPS_CRAWLER_LIFETIMEBOUND
#endif

#endif  // FINOPS_CRAWLER_CONFIG_HPP
