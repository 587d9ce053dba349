#pragma once

#include <cstdio>
#include <cstdlib>

// MOIM_VASSERT(cond, "format", args...): a broken invariant stops the
// process with file:line and the context given, in every build type (a
// "cannot happen" that happened must not be returned from silently).
// Modelled on Redpanda's vassert; printf-style so that events/ needs no
// formatting library.
#define MOIM_VASSERT(cond, ...)                                                \
  do {                                                                         \
    if (__builtin_expect(!(cond), 0)) {                                        \
      std::fprintf(stderr, "%s:%d: invariant broken: %s: ", __FILE__,          \
                   __LINE__, #cond);                                           \
      std::fprintf(stderr, __VA_ARGS__);                                       \
      std::fputc('\n', stderr);                                                \
      std::fflush(stderr);                                                     \
      std::abort();                                                            \
    }                                                                          \
  } while (false)
