/* Minimal GICv3 driver for QEMU virt (-M virt,gic-version=3): distributor at 0x08000000, the
 * first redistributor at 0x080a0000 (RD frame) + 0x10000 (SGI frame), CPU interface by
 * ICC_* system registers. As the KVM unit tests set it up: affinity routing, every private
 * interrupt in Group 1 (IRQ), priority mask open, Group 1 enabled. */
#ifndef GIC_H
#define GIC_H
#include "runtime.h"

#define GICD 0x08000000UL
#define GICR 0x080a0000UL
#define GICR_SGI (GICR + 0x10000UL)
#define GICD_CTLR 0x0000
#define GICD_TYPER 0x0004
#define GICD_PIDR2 0xffe8
#define GICR_TYPER 0x0008
#define GICR_WAKER 0x0014
#define GICR_IGROUPR0 0x0080
#define GICR_ISENABLER0 0x0100
#define GICR_ICENABLER0 0x0180
#define GICR_ISPENDR0 0x0200
#define GICR_ICPENDR0 0x0280
#define GICR_IPRIORITYR 0x0400
#define SPURIOUS 1023

static inline u32 mmio_r32(u64 a) { return *(volatile u32 *)a; }
static inline void mmio_w32(u64 a, u32 v) { *(volatile u32 *)a = v; }
static inline u64 mmio_r64(u64 a) { return *(volatile u64 *)a; }

#define SYSREG_R(name) ({ u64 _v; __asm__ volatile("mrs %0, " #name : "=r"(_v)); _v; })
#define SYSREG_W(name, v) __asm__ volatile("msr " #name ", %0\n isb" : : "r"((u64)(v)) : "memory")

static inline void irq_enable(void) { __asm__ volatile("msr daifclr, #2" ::: "memory"); }
static inline void irq_disable(void) { __asm__ volatile("msr daifset, #2" ::: "memory"); }
static inline void wfi(void) { __asm__ volatile("dsb sy\n wfi" ::: "memory"); }

static void gic_init(void)
{
    mmio_w32(GICD + GICD_CTLR, 1u << 4 | 1u << 1);                 /* ARE, EnableGrp1 */
    mmio_w32(GICR + GICR_WAKER, mmio_r32(GICR + GICR_WAKER) & ~2u); /* ProcessorSleep = 0 */
    while (mmio_r32(GICR + GICR_WAKER) & 4u)                         /* ChildrenAsleep */
        ;
    mmio_w32(GICR_SGI + GICR_IGROUPR0, ~0u);                         /* SGIs and PPIs: Group 1 */
    mmio_w32(GICR_SGI + GICR_ICENABLER0, ~0u);
    for (int i = 0; i < 32; i += 4)
        mmio_w32(GICR_SGI + GICR_IPRIORITYR + i, 0xa0a0a0a0u);
    SYSREG_W(S3_0_C12_C12_5, SYSREG_R(S3_0_C12_C12_5) | 1);         /* ICC_SRE_EL1.SRE */
    SYSREG_W(S3_0_C4_C6_0, 0xff);                                    /* ICC_PMR_EL1 */
    SYSREG_W(S3_0_C12_C12_4, 0);                                     /* ICC_CTLR_EL1: EOImode 0 */
    SYSREG_W(S3_0_C12_C12_7, 1);                                     /* ICC_IGRPEN1_EL1 */
}

static inline void gic_enable_ppi(int intid) { mmio_w32(GICR_SGI + GICR_ISENABLER0, 1u << intid); }
static inline u64 gic_ack(void) { return SYSREG_R(S3_0_C12_C12_0) & 0xffffff; } /* ICC_IAR1_EL1 */
static inline void gic_eoi(u64 intid) { SYSREG_W(S3_0_C12_C12_1, intid); }       /* ICC_EOIR1_EL1 */
static inline u64 gic_hppir(void) { return SYSREG_R(S3_0_C12_C12_2) & 0xffffff; } /* ICC_HPPIR1_EL1 */

#define VEC_IRQ_CURRENT_SPX 5
#endif
