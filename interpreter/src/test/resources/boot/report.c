extern unsigned long regs[16] __attribute__((visibility("hidden")));
static char buf[1024];
static int n;
static void puts_(const char *s) { while (*s) buf[n++] = *s++; }
static void hex(unsigned long v) { puts_("0x"); for (int i = 60; i >= 0; i -= 4) buf[n++] = "0123456789abcdef"[(v >> i) & 15]; }
static long semi(long op, void *a) { register long x0 __asm__("x0") = op; register void *x1 __asm__("x1") = a;
  __asm__ volatile("hlt #0xf000" : "+r"(x0) : "r"(x1) : "memory"); return x0; }
static const char names[12][12] = {"x0","x1","x2","x3","x4","x5","sp","CurrentEL","DAIF","SPSel","head","SCTLR_EL1"};
void report(void) {
  for (int i = 0; i < 12; i++) { puts_(names[i]); puts_("="); hex(regs[i]); puts_("\n"); }
  puts_("[0x0]="); hex(*(volatile unsigned long *)0); puts_("\n");
  puts_("[0x40000000]="); hex(*(volatile unsigned long *)0x40000000); puts_("\n");
  if (regs[0]) { puts_("[x0]="); hex(*(volatile unsigned long *)regs[0]); puts_("\n"); }
  buf[n] = 0; semi(4, buf);
  static unsigned long blk[2] = {0x20026, 0}; semi(0x20, blk);
}
