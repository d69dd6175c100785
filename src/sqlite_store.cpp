// The compiled mode (see README.md): the SQLite sink, in its own static
// library (finops_crawler_sqlite_dep) so the core library needs no SQLite.
#include "finops_crawler/store/sqlite_store-inl.hpp"
