#include "core/heap.h"

// Any C library header defines __GLIBC__ (through <features.h>); without one the test below is
// always false and the settings silently never applied.
#include <cstdlib>

#if defined(__GLIBC__)
#include <malloc.h>
#endif

namespace boex {

void retain_freed_memory() {
#if defined(__GLIBC__)
  static const bool done = [] {
    mallopt(M_MMAP_THRESHOLD, 32 << 20);
    mallopt(M_TRIM_THRESHOLD, 256 << 20);
    mallopt(M_TOP_PAD, 16 << 20);  // grow the heap in large steps, not one brk per new block
    return true;
  }();
  (void)done;
#endif
}

}  // namespace boex
