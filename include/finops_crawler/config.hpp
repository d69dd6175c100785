#ifndef FINOPS_CRAWLER_CONFIG_HPP
#define FINOPS_CRAWLER_CONFIG_HPP
/// \file
/// The library's knobs. Each is: the user's value (set through the Meson
/// dependency's compile args, never by `#define` before include), else
/// detected, else a default. None changes any class layout.

/// 1 (the default): every body is inline in the headers, so adding
/// `include/` to the include path is all a user needs. 0: the headers hold
/// declarations and small inline functions only, and the bodies (the
/// `*-inl.hpp` files) are compiled once into the static library built from
/// `src/*.cpp`; Meson's `finops_crawler_dep` sets 0 and links that library.
/// Both modes give the same API and the same class layouts.
#ifndef FINOPS_CRAWLER_HEADER_ONLY
#define FINOPS_CRAWLER_HEADER_ONLY 1
#endif

/// Put on the definition of every non-template function whose body lives in
/// a `*-inl.hpp` file (and on nothing else): `inline` in header-only mode,
/// nothing in compiled mode, where the body is compiled once in `src/`.
/// The declaration in the public header carries no `inline`.
#if FINOPS_CRAWLER_HEADER_ONLY
#define FINOPS_CRAWLER_FUNC inline
#else
#define FINOPS_CRAWLER_FUNC
#endif

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
