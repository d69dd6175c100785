// The compiled mode (see README.md): SigV4 signing and canonicalization.
#include "finops_crawler/aws/sigv4-inl.hpp"
#include "finops_crawler/aws/sigv4_canonical-inl.hpp"
