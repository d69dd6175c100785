// The compiled mode (see README.md): the SigV4 verifier, in an object file of
// its own so that programs that only sign (the CLI, the examples) do not link
// it; the simulator, tests and fuzzers do.
#include "finops_crawler/aws/sigv4_verifier-inl.hpp"
