package dev.a64trap.gdb;

import java.nio.charset.StandardCharsets;

/** Hex helpers for RSP; parse errors throw {@link BadPacket}. */
final class Hex {
    private static final byte[] DIGITS = "0123456789abcdef".getBytes(StandardCharsets.US_ASCII);

    private Hex() {}

    /** Thrown for a malformed packet; the session answers E01. */
    static final class BadPacket extends RuntimeException {
        BadPacket(String message) {
            super(message, null, false, false);
        }
    }

    /** Parses 1-16 hex digits as an unsigned 64-bit value. */
    static long parseLong(String s) {
        if (s.isEmpty() || s.length() > 16) throw new BadPacket("bad hex number '" + s + "'");
        long v = 0;
        for (int i = 0; i < s.length(); i++) {
            int d = Character.digit(s.charAt(i), 16);
            if (d < 0) throw new BadPacket("bad hex number '" + s + "'");
            v = v << 4 | d;
        }
        return v;
    }

    /** Parses a non-negative hex number that fits in an int. */
    static int parseInt(String s) {
        long v = parseLong(s);
        if (v < 0 || v > Integer.MAX_VALUE) throw new BadPacket("number out of range '" + s + "'");
        return (int) v;
    }

    /** Decodes an even-length hex string to bytes. */
    static byte[] decode(String s) {
        if ((s.length() & 1) != 0) throw new BadPacket("odd hex length");
        byte[] out = new byte[s.length() / 2];
        for (int i = 0; i < out.length; i++) {
            int hi = Character.digit(s.charAt(2 * i), 16);
            int lo = Character.digit(s.charAt(2 * i + 1), 16);
            if (hi < 0 || lo < 0) throw new BadPacket("bad hex data");
            out[i] = (byte) (hi << 4 | lo);
        }
        return out;
    }

    /** Appends {@code len} bytes as lowercase hex. */
    static void encode(StringBuilder sb, byte[] b, int off, int len) {
        for (int i = off; i < off + len; i++) {
            sb.append((char) DIGITS[b[i] >> 4 & 0xf]).append((char) DIGITS[b[i] & 0xf]);
        }
    }

    /** Two hex digits per byte value, as one little-endian short (low byte = the high digit). */
    private static final short[] PAIRS = new short[256];

    static {
        for (int v = 0; v < 256; v++) {
            PAIRS[v] = (short) (DIGITS[v >> 4] | DIGITS[v & 0xf] << 8);
        }
    }

    /** Hex of {@code len} bytes as ASCII bytes (the m reply payload). */
    static byte[] encodeBytes(byte[] b, int off, int len) {
        byte[] out = new byte[2 * len];
        for (int i = 0; i < len; i++) {
            short pair = PAIRS[b[off + i] & 0xff];
            out[2 * i] = (byte) pair;
            out[2 * i + 1] = (byte) (pair >> 8);
        }
        return out;
    }

    static String encode(String text) {
        byte[] b = text.getBytes(StandardCharsets.UTF_8);
        StringBuilder sb = new StringBuilder(b.length * 2);
        encode(sb, b, 0, b.length);
        return sb.toString();
    }

    /** Appends the low {@code bytes} bytes of {@code v} in target (little-endian) order. */
    static void appendLe(StringBuilder sb, long v, int bytes) {
        for (int i = 0; i < bytes; i++) {
            int b = (int) (v >>> (8 * i)) & 0xff;
            sb.append((char) DIGITS[b >> 4]).append((char) DIGITS[b & 0xf]);
        }
    }

    /** Parses {@code 2*bytes} hex digits at {@code pos} as a little-endian value. */
    static long parseLe(String s, int pos, int bytes) {
        if (pos < 0 || pos + 2 * bytes > s.length()) throw new BadPacket("register data too short");
        long v = 0;
        for (int i = 0; i < bytes; i++) {
            int hi = Character.digit(s.charAt(pos + 2 * i), 16);
            int lo = Character.digit(s.charAt(pos + 2 * i + 1), 16);
            if (hi < 0 || lo < 0) throw new BadPacket("bad register data");
            v |= (long) (hi << 4 | lo) << (8 * i);
        }
        return v;
    }

    static String twoDigits(int v) {
        return new String(new char[] {(char) DIGITS[v >> 4 & 0xf], (char) DIGITS[v & 0xf]});
    }
}
