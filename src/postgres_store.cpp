// The compiled mode (see README.md): the PostgreSQL sink, in its own static
// library (finops_crawler_postgres_dep) so the core library needs no libpq.
#include "finops_crawler/store/postgres_store-inl.hpp"
