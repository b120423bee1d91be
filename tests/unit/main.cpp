// The Catch2 test runner for every native unit test (tests/unit/**).
#define CATCH_CONFIG_MAIN
#include <catch2/catch.hpp>
