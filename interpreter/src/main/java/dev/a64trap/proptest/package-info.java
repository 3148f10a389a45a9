/**
 * A small property-based testing engine (no jqwik) and the vPMU properties built on it.
 *
 * <h2>Engine</h2>
 * <ul>
 * <li>{@link dev.a64trap.proptest.Gen}: seeded generators of {@link dev.a64trap.proptest.Shrinkable}
 *     values, with {@code map}, {@code filter}, {@code oneOf}, {@code frequency}, {@code elements},
 *     {@code listOf}; {@link dev.a64trap.proptest.Gens}: longs/ints/counter indices biased to the edge
 *     cases (0, 1, all-ones, just below 32- and 64-bit overflow, N-1/N/N+1, 30, 31), which are also what
 *     values shrink toward.</li>
 * <li>{@link dev.a64trap.proptest.StateMachine}: named, weighted {@link dev.a64trap.proptest.Action}s
 *     with preconditions (each generated {@link dev.a64trap.proptest.Step}'s description is fixed at
 *     generation), {@link dev.a64trap.proptest.Invariant}s checked after every step, and model /
 *     implementation views for the diff.</li>
 * <li>{@link dev.a64trap.proptest.Runner}: chain k of a run uses seed {@code first + k}; a failure is
 *     shrunk (drop runs of steps, then simplify parameters, keeping the same broken check) into a
 *     {@link dev.a64trap.proptest.Counterexample} (seed, shrunk steps, failing step, check, diff,
 *     original length). {@code -Da64trap.seed=S} replays one chain.</li>
 * </ul>
 *
 * <h2>vPMU properties</h2>
 * {@link dev.a64trap.proptest.PmuModel} is the reference model written from the spec;
 * {@link dev.a64trap.proptest.PmuTarget} drives the real {@code pmu} objects (vCPU loads, budgeted
 * syncs) with a fake event clock; guest MRS/MSR take the machine's trap path: the descriptor from the
 * same {@code SysRegTable} the interpreter uses (the rows of a
 * {@link dev.a64trap.machine.HostedVcpu#detached detached} {@code HostedVcpu} over base Cortex-A57),
 * its EL0 access rule, then its handler, a {@code GuestFault} UNDEF being the model's UNDEF.
 * {@link dev.a64trap.proptest.MachineTarget} runs the same chains on the real machine: a
 * {@link dev.a64trap.machine.HostedVcpu#adopt adopted} {@code HostedVcpu} is the run observer and event
 * clock of a real {@code exec.Interpreter} (with the JIT), a run executes k instructions of a generated
 * straight-line ALU snippet (or spins in a generated loop the JIT compiles) at ELn, a migration is
 * {@link dev.a64trap.machine.HostedVcpu#loadNow}; guest accesses take the trap path by default, or are
 * real MRS/MSR instructions ({@link dev.a64trap.proptest.MachineTarget#instructions}), whose refusal is
 * an UNDEF KVM injects (no exception the guest's counters see).
 * {@link dev.a64trap.machine.PlantedBug}s put a known bug into the rows both targets use, so a campaign
 * can be checked to find it and its exported guest to fail the same way under {@code a64trap run}.
 * {@link dev.a64trap.proptest.PmuProperties} holds the actions, invariants and the three state
 * machines that {@code mvn verify} and {@code a64trap fuzz --target pmu} run; {@code PmuProperties.all}
 * takes the target.
 * {@link dev.a64trap.proptest.GuestExport} turns a counterexample whose steps are all guest-side into a
 * bare-metal guest (assembly, and machine words from {@link dev.a64trap.proptest.A64Encoder}), a
 * {@code --sched trace:} file and the {@code a64trap run} command that replay it. Depends on {@code pmu},
 * {@code host}, and for the trap path and the machine target {@code machine}, {@code sysreg}, {@code cpu},
 * {@code mem}, {@code exec} and {@code jit}.
 */
package dev.a64trap.proptest;
