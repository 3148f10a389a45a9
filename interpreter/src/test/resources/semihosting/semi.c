static long semi(long op, void *a) { register long x0 __asm__("x0") = op; register void *x1 __asm__("x1") = a;
  __asm__ volatile("hlt #0xf000" : "+r"(x0) : "r"(x1) : "memory"); return x0; }
static char buf[2048]; static int n;
static void puts_(const char *s) { while (*s) buf[n++] = *s++; }
static void hex(unsigned long v) { puts_("0x"); for (int i = 60; i >= 0; i -= 4) buf[n++] = "0123456789abcdef"[(v >> i) & 15]; }
static void kv(const char *k, unsigned long v) { puts_(k); puts_("="); hex(v); puts_("\n"); }
static char cmd[256];
void main_(void) {
  long b[4];
  b[0] = (long)":tt"; b[1] = 0; b[2] = 3; kv("open_r", semi(1, b));
  b[1] = 4; long fo = semi(1, b); kv("open_w", fo);
  b[1] = 8; long fa = semi(1, b); kv("open_a", fa);
  b[1] = 12; kv("open_mode12", semi(1, b)); kv("errno_after_mode12", semi(0x13, 0));
  b[0] = (long)"/nonexistent/x"; b[1] = 0; b[2] = 14; kv("open_missing", semi(1, b)); kv("errno_after_missing", semi(0x13, 0));
  b[0] = (long)":semihosting-features"; b[1] = 0; b[2] = 21; long ff = semi(1, b); kv("open_features", ff);
  unsigned char fb[8] = {0}; b[0] = ff; b[1] = (long)fb; b[2] = 8; kv("read_features_left", semi(6, b));
  kv("features", *(unsigned long *)fb);
  b[0] = fo; kv("istty_w", semi(9, b));
  b[0] = 99; kv("istty_99", semi(9, b)); kv("errno_after_istty99", semi(0x13, 0));
  b[0] = fo; b[1] = (long)"to-tt-w\n"; b[2] = 8; kv("write_w_left", semi(5, b));
  b[0] = fa; b[1] = (long)"to-tt-a\n"; b[2] = 8; kv("write_a_left", semi(5, b));
  b[0] = 77; b[1] = (long)"x"; b[2] = 1; kv("write_bad_left", semi(5, b)); kv("errno_after_bad_write", semi(0x13, 0));
  b[0] = fo; kv("close_w", semi(2, b)); kv("close_again", semi(2, b)); kv("errno_after_close_again", semi(0x13, 0));
  char c = 'C'; kv("writec_ret", semi(3, &c));
  kv("write0_ret", semi(4, "W0\n"));
  b[0] = (long)cmd; b[1] = sizeof cmd; kv("cmdline_ret", semi(0x15, b)); kv("cmdline_len", b[1]);
  puts_("cmdline=["); puts_(cmd); puts_("]\n");
  b[0] = (long)cmd; b[1] = 2; kv("cmdline_small_ret", semi(0x15, b)); kv("errno_after_small", semi(0x13, 0));
  long h[4]; b[0] = (long)h; kv("heapinfo_ret", semi(0x16, b)); kv("heap_base", h[0]); kv("heap_limit", h[1]); kv("stack_base", h[2]); kv("stack_limit", h[3]);
  { char rb[8] = {0}; b[0] = 1; b[1] = (long)rb; b[2] = 4; kv("read_tt_left", semi(6, b)); kv("read_tt_bytes", *(unsigned long *)rb); }

  { char rb[8] = {0}; b[0] = 1; b[1] = (long)rb; b[2] = 8; kv("read_tt_eof_left", semi(6, b)); }
  kv("tickfreq", semi(0x31, 0));
  kv("iserror_neg", ({ long e[1] = {-5}; semi(8, e); }));
  buf[n] = 0; semi(4, buf);
  static unsigned long blk[2] = {0x20026, 0x1234}; semi(0x20, blk);
}
