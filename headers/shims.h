/* beale: shims for parsing CPython's headers with pycparser.
 *
 * This file is force-included (gcc -include) ONLY when preprocessing the headers
 * for pycparser.  The C compiler that builds the cffi module sees the headers
 * untouched, so anything defined away here is still checked by the compiler
 * (tests/layout/test_layout_compiler_agreement.py compares the two).
 *
 * GCC extensions that pycparser does not understand are defined away.  None of
 * them changes the layout of a struct that beale extracts, except
 * __attribute__((aligned/packed)), which CPython's object structs do not use
 * (the compiler agreement test would catch it if that changed).
 */
#define __attribute__(...)
#define __extension__
#define __asm__(...)
#define __asm(...)
#define asm(...)
#define __restrict
#define __restrict__
#define __inline
#define __inline__
#define __volatile__ volatile
#define __signed__ signed
#define __builtin_va_list int
#define _Float128 double
#define _Float64 double
#define _Float32 float
#define _Float64x double
#define _Float32x double
#define __float128 double
#define __typeof__(...) int
#define __typeof(...) int
#define typeof(...) int
#define _Static_assert(...)
#define static_assert(...)
#define __builtin_offsetof(t, m) 0
#define __thread
#define _Thread_local
#define __auto_type int
