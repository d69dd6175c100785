#ifndef FINOPS_CRAWLER_CLI_ABSENT_DATABASE_HPP
#define FINOPS_CRAWLER_CLI_ABSENT_DATABASE_HPP
/// \file
/// What `sync --dry-run` plans against when its SQLite file does not exist
/// yet: a store that holds nothing and writes nothing. Opening the SQLite
/// store would create the file and its schema, and a dry run leaves no file
/// behind; the plan of a first sync needs no stored row anyway.

#include <memory>
#include <string>

#include "finops_crawler/store/cost_store.hpp"

namespace finops_crawler {
inline namespace v0 {
namespace cli {

/// An empty store named like the SQLite store at `absolute_path` would be
/// ("SQLite database PATH", said not to exist yet). Reads find nothing;
/// every write fails with errc::invalid_argument (a dry run makes none).
std::unique_ptr<store::cost_store> absent_sqlite_database(std::string absolute_path);

}  // namespace cli
}  // namespace v0
}  // namespace finops_crawler

#endif  // FINOPS_CRAWLER_CLI_ABSENT_DATABASE_HPP
