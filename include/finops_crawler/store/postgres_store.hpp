#ifndef FINOPS_CRAWLER_STORE_POSTGRES_STORE_HPP
#define FINOPS_CRAWLER_STORE_POSTGRES_STORE_HPP
/// \file
/// The PostgreSQL cost_store, over libpq. Optional: Meson users link
/// `finops_crawler_postgres_dep`; header-only users add libpq's flags
/// (`pkg-config --cflags --libs libpq`; the bodies, in postgres_store-inl.hpp,
/// include <libpq-fe.h>; this header does not).
///
/// Bulk writes use COPY; lock_report() takes `pg_advisory_lock` on a 64-bit
/// hash of the report name, on a dedicated session of its own.

#include <memory>
#include <string_view>

#include "finops_crawler/result.hpp"
#include "finops_crawler/store/cost_store.hpp"

namespace finops_crawler {
inline namespace v0 {
namespace store {

/// Connects with a libpq connection string or URI (`postgresql://...`,
/// `postgres://...`, or `host=... dbname=...`); the password comes from the
/// URI, PGPASSWORD or ~/.pgpass as libpq does, TLS per `sslmode`; empty
/// `conninfo` uses libpq's defaults (PGHOST, PGDATABASE...). Then checks the
/// schema like open_sqlite_store. Errors: errc::transport (server
/// unreachable), errc::no_credentials (authentication refused),
/// errc::invalid_argument (a malformed URI, a newer schema). Messages never
/// contain the password.
result<std::unique_ptr<cost_store>> open_postgres_store(std::string_view conninfo);

}  // namespace store
}  // namespace v0
}  // namespace finops_crawler

#if FINOPS_CRAWLER_HEADER_ONLY
#include "finops_crawler/store/postgres_store-inl.hpp"
#endif

#endif  // FINOPS_CRAWLER_STORE_POSTGRES_STORE_HPP
