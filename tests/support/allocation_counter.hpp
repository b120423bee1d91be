// Counts live heap allocations of the test binary (global operator new/delete are
// replaced in allocation_counter.cpp), so tests can prove a call leaves nothing behind.
#pragma once

#include <cstddef>

namespace bmcp::testing {
long live_allocations();
}
