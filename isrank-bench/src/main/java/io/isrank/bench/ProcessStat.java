package io.isrank.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/**
 * This process's CPU time by mode, minor page faults and resident size, from Linux's
 * /proc/self/stat and /proc/self/status; null elsewhere (the benchmark then leaves the columns
 * empty).
 */
final class ProcessStat {
  static final int USER = 0;
  static final int SYSTEM = 1;
  static final int FAULTS = 2;
  static final int RESIDENT = 3;
  /** Clock ticks per second of /proc's CPU times (USER_HZ: 100 on every Linux build in use). */
  private static final double TICKS = 100;

  private ProcessStat() {}

  /** {user ticks, system ticks, minor faults, resident bytes}, or null when /proc cannot tell. */
  static long[] read() {
    try {
      String stat = Files.readString(Path.of("/proc/self/stat"));
      // fields after the command name (which may hold spaces) start at field 3, state
      String[] f = stat.substring(stat.lastIndexOf(')') + 2).trim().split("\\s+");
      // VmRSS in kB, whatever the page size
      long residentKb = Files.readAllLines(Path.of("/proc/self/status")).stream()
          .filter(l -> l.startsWith("VmRSS:")).mapToLong(l -> Long.parseLong(l.replaceAll("\\D", "")))
          .findFirst().orElseThrow();
      return new long[] {Long.parseLong(f[14 - 3]), Long.parseLong(f[15 - 3]), Long.parseLong(f[10 - 3]),
          residentKb * 1024};
    } catch (IOException | RuntimeException e) {
      return null;
    }
  }

  /** Milliseconds the JIT compilers have spent so far (all compiler threads), or −1 when not monitored. */
  static long compileMillis() {
    java.lang.management.CompilationMXBean jit = java.lang.management.ManagementFactory.getCompilationMXBean();
    return jit != null && jit.isCompilationTimeMonitoringSupported() ? jit.getTotalCompilationTime() : -1;
  }

  /** CPU seconds in one mode between two readings, or "" without them. */
  static String seconds(long[] before, long[] after, int mode) {
    return before == null || after == null ? ""
        : String.format(Locale.ROOT, "%.1f", (after[mode] - before[mode]) / TICKS);
  }

  /** Millions of page faults between two readings, or "" without them. */
  static String millions(long[] before, long[] after, int field) {
    return before == null || after == null ? ""
        : String.format(Locale.ROOT, "%.2f", (after[field] - before[field]) / 1e6);
  }
}
