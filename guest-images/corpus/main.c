/* Entry of the corpus ELF. Not meant to run (no stack setup): it only gives the
 * linker a root so every corpus function is kept. */
#include "corpus.h"

u64 corpus_main(u64 seed)
{
    return arith_main(seed) ^ control_main(seed) ^ data_main(seed)
         ^ atomics_llsc_main(seed) ^ atomics_lse_main(seed);
}
