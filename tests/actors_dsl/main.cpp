// The runner of the deterministic actor tests: CAF's own unit-test engine,
// which caf/test/dsl.hpp (the test coordinator fixture) is built on.
#include <caf/test/unit_test_impl.hpp>
