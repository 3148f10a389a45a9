/**
 * KVM's arm64 vPMU as a pure model: the guest-visible registers ({@link dev.a64trap.pmu.Vpmu}) and the
 * KVM userspace API ({@link dev.a64trap.pmu.KvmVm}, {@link dev.a64trap.pmu.KvmVcpu}), following
 * the behavioural spec vpmu.md (sections 1-5).
 *
 * <h2>How the rest of the machine plugs in</h2>
 * <ol>
 * <li><b>VMM setup</b> (cli/machine): {@code vm = new KvmVm(host, options)}; {@code vcpu = vm.createVcpu()};
 *     {@code VmmPolicy.plan(--pmu, host, abi, irqchip)} gives the feature bit and the attribute calls;
 *     call {@code vcpu.init(feature, vmmCpu)}, the attribute steps before INIT, {@code vm.initVgic()},
 *     then INIT. Failures are {@link dev.a64trap.pmu.KvmException} with an {@link dev.a64trap.pmu.Errno}.</li>
 * <li><b>sysreg</b>: register all of {@link dev.a64trap.pmu.PmuRegTable#entries()} as one group; each
 *     entry gives (PmuReg, index) for its encoding {@code op0<<14|op1<<11|CRn<<7|CRm<<3|op2}. An MRS
 *     calls {@code vcpu.pmu().read(reg, index, el)}, an MSR {@code write(reg, index, value, el)};
 *     {@link dev.a64trap.pmu.PmuUndefined} means inject UNDEFINED (EC 0x00, PC not advanced). The
 *     PMU fields of the ID registers come from {@code vm.pmuVer()} (ID_AA64DFR0_EL1[11:8]) and
 *     {@code vm.perfMon()} (ID_DFR0_EL1[27:24]); userspace writes go to {@code vm.setPmuVerField} /
 *     {@code setPerfMonField}.</li>
 * <li><b>exec</b>: implement {@link dev.a64trap.pmu.EventClock} (cumulative totals per source event
 *     and EL) and {@code vcpu.pmu().attachClock(clock)}. Before a block, ask
 *     {@code instructionBudget(k)} (or {@code nextDeadline()}); when it is used up call {@code sync()},
 *     which returns the interrupt level. {@code irqLevel()} / {@code setIrqListener} drive the PPI.</li>
 * <li><b>scheduling</b>: at first entry {@code vcpu.run(pcpu)}, at every placement change
 *     {@code vcpu.onVcpuLoad(pcpu)}; a result with {@code entered() == false} is
 *     KVM_EXIT_FAIL_ENTRY / CPU_UNSUPPORTED on that CPU: stop, the guest executes nothing.</li>
 * <li><b>gdb / reports</b>: {@code peek(reg, index)} reads without side effects;
 *     {@code countedPerCpu(i)}, {@code cycleCounterReloads()}, {@code cycleCounterBacking()}.</li>
 * </ol>
 */
package dev.a64trap.pmu;
