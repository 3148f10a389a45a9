/* fpvec3: the fpvec source (src/fpvec.c) built at -O3, where GCC vectorises more loops (peeling,
 * versioning, wider unrolls); same output as fpvec, since no fast-math is involved. */
#include "fpvec.c"
