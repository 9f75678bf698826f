// Keeps freed memory in the process's heap. glibc serves large blocks (above 128 KiB at first) by
// mmap and hands the heap's free top back to the system, so numerical code that allocates and
// frees matrices of a few hundred KiB on every step pays page faults on every step: measured here,
// a GP fit with the I-BNN kernel at n = 100 took 1.4 s instead of 0.15 s, and a BNN training step
// 1.3 ms instead of 0.3 ms. The model and acquisition code calls this once per process.
#pragma once

namespace boex {

// Raises glibc's mmap threshold to its maximum (32 MiB), its trim threshold to 256 MiB and its
// top pad to 16 MiB, once per process; a no-op after the first call (and on other C libraries).
void retain_freed_memory();

}  // namespace boex
