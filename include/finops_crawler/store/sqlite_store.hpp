#ifndef FINOPS_CRAWLER_STORE_SQLITE_STORE_HPP
#define FINOPS_CRAWLER_STORE_SQLITE_STORE_HPP
/// \file
/// The SQLite cost_store, over the SQLite C API. Optional: Meson users link
/// `finops_crawler_sqlite_dep`; header-only users add `-lsqlite3` (the
/// bodies, in sqlite_store-inl.hpp, include <sqlite3.h>; this header does not).
///
/// Concurrency: writes are `BEGIN IMMEDIATE` transactions with a busy
/// timeout (30 s), so separate stores (threads, processes) on one file
/// wait for each other instead of failing; lock_report() takes an OS lock
/// (an open-file-description lock, which also excludes threads of one
/// process) on one byte of `PATH.lock`, chosen by a hash of the report name.

#include <memory>
#include <string_view>

#include "finops_crawler/result.hpp"
#include "finops_crawler/store/cost_store.hpp"

namespace finops_crawler {
inline namespace v0 {
namespace store {

/// Opens (creating when absent) the SQLite database at `path`, then checks
/// the schema: creates it in an empty database, migrates an older version
/// forward, refuses a newer one. A read-only file opens (reads work); its
/// first write (begin_run) fails with a message saying it is read-only.
/// Errors (errc::invalid_argument): a directory, a missing parent directory,
/// a file that is not an SQLite database, a schema newer than this build.
result<std::unique_ptr<cost_store>> open_sqlite_store(std::string_view path);

}  // namespace store
}  // namespace v0
}  // namespace finops_crawler

#if FINOPS_CRAWLER_HEADER_ONLY
#include "finops_crawler/store/sqlite_store-inl.hpp"
#endif

#endif  // FINOPS_CRAWLER_STORE_SQLITE_STORE_HPP
