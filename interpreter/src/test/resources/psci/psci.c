long hvc_call(long a, long b, long c, long d);
long smc_call(long a, long b, long c, long d);
extern unsigned long last_esr;
static long semi(long op, void *a) { register long x0 __asm__("x0") = op; register void *x1 __asm__("x1") = a;
  __asm__ volatile("hlt #0xf000" : "+r"(x0) : "r"(x1) : "memory"); return x0; }
static char buf[4096]; static int n;
static void puts_(const char *s) { while (*s) buf[n++] = *s++; }
static void hex(unsigned long v) { puts_("0x"); for (int i = 60; i >= 0; i -= 4) buf[n++] = "0123456789abcdef"[(v >> i) & 15]; }
static void kv(const char *k, unsigned long v) { puts_(k); puts_("="); hex(v); puts_(" esr="); hex(last_esr); puts_("\n"); last_esr = 0; }
void main_(void) {
  kv("version", hvc_call(0x84000000, 0, 0, 0));
  kv("features_version", hvc_call(0x8400000A, 0x84000000, 0, 0));
  kv("features_cpu_on64", hvc_call(0x8400000A, 0xC4000003, 0, 0));
  kv("features_system_off", hvc_call(0x8400000A, 0x84000008, 0, 0));
  kv("features_system_reset", hvc_call(0x8400000A, 0x84000009, 0, 0));
  kv("features_migrate", hvc_call(0x8400000A, 0x84000005, 0, 0));
  kv("features_unknown", hvc_call(0x8400000A, 0x84000099, 0, 0));
  kv("features_smccc_version", hvc_call(0x8400000A, 0x80000000, 0, 0));
  kv("features_system_reset2", hvc_call(0x8400000A, 0x84000012, 0, 0));
  kv("migrate_info_type", hvc_call(0x84000006, 0, 0, 0));
  kv("affinity_info_cpu0", hvc_call(0xC4000004, 0, 0, 0));
  kv("affinity_info_cpu1", hvc_call(0xC4000004, 1, 0, 0));
  kv("affinity_info_level1", hvc_call(0xC4000004, 0, 1, 0));
  kv("cpu_on_self", hvc_call(0xC4000003, 0, 0x40000000, 0));
  kv("cpu_on_cpu1", hvc_call(0xC4000003, 1, 0x40000000, 0));
  kv("cpu_suspend_bad", hvc_call(0xC4000001, 0x00020000, 0, 0));
  kv("migrate", hvc_call(0x84000005, 0, 0, 0));
  kv("migrate_info_up_cpu", hvc_call(0x84000007, 0, 0, 0));
  kv("smccc_version", hvc_call(0x80000000, 0, 0, 0));
  kv("hvc_unknown", hvc_call(0x84000099, 0, 0, 0));
  kv("hvc_upper_bits", hvc_call(0x184000000L, 0, 0, 0));
  kv("smc_version", smc_call(0x84000000, 0, 0, 0));
  buf[n] = 0; semi(4, buf);
  hvc_call(0x84000008, 0, 0, 0);   // SYSTEM_OFF
  semi(4, "after system_off\n");
}
