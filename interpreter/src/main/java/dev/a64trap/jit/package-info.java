/**
 * The JIT: hot guest blocks translated to JVM bytecode with ASM, one hidden class per block.
 *
 * <p>The interpreter ({@code exec}) counts executions per decoded block; at
 * {@code a64trap.jit.threshold} (default 1000) it asks the installed
 * {@link dev.a64trap.exec.BlockCompiler} ({@link dev.a64trap.jit.Jit}) for a
 * {@link dev.a64trap.exec.CompiledBlock} and keeps it in the block's volatile {@code compiled}
 * field. From then on the run loop calls the unit instead of interpreting the block, whenever the
 * budget allows the whole block and no tracer or debugger is attached. After a block's unit returns,
 * the run loop ({@code Interpreter.runCompiled}) enters the next block's unit at once where its
 * block-boundary checks would find nothing to do (no interrupt, checkpoint, stop, guest debug, the
 * next block cached through the block's successor links, compiled as a plain unit, in the budget and,
 * with the MMU on, in the TLB), with the same accounting; anything else goes back to the full loop.
 *
 * <p>{@link dev.a64trap.jit.Translator} keeps guest registers and NZCV in JVM locals and writes them
 * back at every exit. A block that branches back to its own start becomes a JVM loop. The loop's
 * back-edge leaves when the pass limit is reached (budget, vPMU checkpoint, at most 4096 passes per
 * call), when an interrupt is pending, or when a store has dropped the block; it counts the passes
 * left down in an int and works out the passes made at the exits. In such a loop each of the first
 * four load/store sites keeps the data-TLB entry of the granule it last hit in locals (tag, host
 * array, index delta), so an access that stays in its granule is one compare and the array access;
 * a miss goes through {@code Lsu} as before, after which every other site keeps its granule only
 * while the TLB still holds the same entry (the TLB changes only in a miss). A single-register
 * store whose granule holds translated code keeps instead the 64-byte line it hit when that line
 * holds none (nothing is translated while a unit runs), so a loop storing beside its own code
 * stores as directly as any other. Semantics are
 * {@code exec.Alu} and {@code exec.Lsu}, called with {@code invokestatic}. Moves, adds, logic,
 * shifts, extends and bitfield moves by constants, and condition tests are inlined. Flags are lazy:
 * ADDS/SUBS/ANDS/BICS keep their operands in locals and a condition on them is one comparison
 * (CMP a, b; B.LT is {@code a < b}); NZCV is built only where it is live (at an exit, in the fault
 * handler, before ADC/SBC, SIMD&FP or an MRS/MSR). Units are class file version 49, so ASM computes
 * no stack map frames (HotSpot verifies them by type inference). A faulting access throws out of
 * {@code Lsu}. The handler spills the locals as
 * they were before the instruction and reports its index, so the interpreter delivers the
 * exception with exact state. A block whose last instruction is not translatable (SVC, HLT, ERET,
 * MSR to PSTATE, MRS/MSR of a register the table does not have...) is compiled without it, and the
 * interpreter runs that one through its general path. Any other untranslatable block stays
 * interpreted.
 *
 * <p>A block ending in an MRS/MSR of a register in the vCPU's table heads a region unit: the access
 * is compiled and the unit runs on into the block after it, along a chain of such blocks on the same
 * page, looping when the chain's last block branches back to its start. An access writes registers
 * and flags back to the CPU, makes its block the executing one ({@code JitFrame.beforeAccess}),
 * checks the descriptor's access rule and calls its reader or writer (rule, handler and descriptor
 * are class-data constants of the unit, so HotSpot inlines each register's own handler; a refusal
 * throws the interpreter's UNDEFINED or trap exception, {@code JitFrame.refused}), then reloads the
 * registers. A direction without a handler goes through the interpreter's code
 * ({@code JitFrame.sysAccess}). Blocks still end at every
 * MRS/MSR, so the vPMU sees the same blocks: at each block boundary {@code JitFrame.next} does the
 * interpreter's accounting for the block just retired (retired count, events, observer) and says
 * whether the unit may go on (budget, checkpoint, interrupt, a write to the page), so a counter read
 * mid-chain includes exactly what the interpreter would have retired.
 *
 * <p>A steady region loop (every block but the last ending in an MRS, the chain's only accesses, the
 * last branching back to the first; no load, store or SIMD&FP call) asks the frame after a pass whose
 * MRSs ran through the handler how many further passes it may batch ({@code JitFrame.steady}):
 * passes whose block boundaries would all pass the checks above and whose MRSs the observer can answer
 * as the values read in that pass plus a constant step per pass (the vPMU's cycle counter: the pass's
 * cycles if it counts at that EL, else nothing, and never across an overflow). Batched passes compute
 * the MRSs in locals and call nothing; their accounting is settled in one call
 * ({@code JitFrame.settle}) before the unit leaves or calls the frame again, so every sum, counter and
 * checkpoint is the interpreter's.
 *
 * <p>Graph units ({@code Translator.translateGraph}), a second tier: a block the run loop has entered
 * {@code a64trap.jit.graph.threshold} times through its unit (off by default) is recompiled with
 * blocks it reaches by direct branches on its 4 KiB page (up to 16 blocks, 96 instructions, 3000
 * bytes of bytecode) into one method. The blocks are chosen by their profile (the runs compiled code
 * reported per block, to its fall-through and to its other successor): the hottest edges first, none
 * that ran less than 1/8 as often as the head ({@code a64trap.jit.graph.share}), so cold paths leave
 * the unit; without a profile (a tier of 0) all successors, breadth first. A block taken into a unit
 * starts its count towards the second tier again, so only entries from outside make it a head too.
 * Internal branches are jumps through the target's entry check (checkpoint, budget, interrupt, a
 * write to the code, at most 4096 block boundaries per call); a RET to a return site of the unit, or
 * a BR to any of its blocks, stays in the unit through a switch on the page offset. Each edge (block,
 * next PC) is counted in the unit's {@code exec.GraphTally}, kept across calls and reported with the
 * interpreter's block accounting at its next settle (as plain units' runs are), so the observer sees
 * the same sums per block and successor and the checkpoints fire at the same retired counts
 * (JitGraphDifferentialTest).
 *
 * <p>Retired counts, event sums, observer calls and checkpoints are the interpreter's own block
 * accounting: a unit reports how many whole passes it made. The retired count and the checkpoints
 * are exact at every block boundary; what plain and graph units ran is counted in each block (runs to
 * its fall-through, runs to its last other successor) and reported to the observer in one go
 * ({@code Interpreter.settleRuns}) before a checkpoint, at the end of a run, and first thing wherever
 * the vPMU wiring reads or changes its totals, guest time or placement ({@code HostedVcpu.catchUp}):
 * the sums are linear, so a counter read, a timer deadline or a migration sees exactly what the
 * interpreter would have reported one block at a time, without the observer's work per block.
 * Debugging:
 * {@code -Da64trap.jit.verify=true} checks every unit with ASM's CheckClassAdapter, and
 * {@code -Da64trap.jit.dump=true} prints each unit's bytecode. {@code -Da64trap.jit=false} or
 * {@code run --no-jit} turns the JIT off.
 */
package dev.a64trap.jit;
