/**
 * The simulated host: physical CPUs grouped into host PMUs ({@link dev.a64trap.host.Host},
 * {@link dev.a64trap.host.HostPmu}), the built-in core types and their data
 * ({@link dev.a64trap.host.CoreCatalog}, transcribed from the classpath resources {@code /host-pmus/}),
 * a cycle model per core ({@link dev.a64trap.host.CycleModel}, assumptions documented there), presets
 * ({@code rk3588}, {@code tri-cluster}, {@code dimensity9300}, {@code uniform-a76}), the user host
 * file format ({@link dev.a64trap.host.Host#fromJson}), and the deterministic vCPU placement
 * scheduler ({@link dev.a64trap.host.Scheduler}). User mistakes raise
 * {@link dev.a64trap.host.HostException} with a message naming the input; the CLI prints it and exits 2.
 * Depends on nothing else in a64trap.
 */
package dev.a64trap.host;
