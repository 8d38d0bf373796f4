package dev.surge.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Resident set sizes read from {@code /proc/<pid>/status}: Linux only, -1 elsewhere. */
final class ProcMemory {
  private ProcMemory() {}

  /** The process's resident set size now ({@code VmRSS}) in MB, or -1 if it cannot be read. */
  static long rssMb(long pid) {
    return field(pid, "VmRSS:");
  }

  /** The process's peak resident set size ({@code VmHWM}) in MB, or -1 if it cannot be read. */
  static long peakRssMb(long pid) {
    return field(pid, "VmHWM:");
  }

  private static long field(long pid, String name) {
    try {
      for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
        if (line.startsWith(name)) {
          return Long.parseLong(line.substring(name.length()).trim().split("\\s+")[0]) / 1024;
        }
      }
    } catch (IOException | RuntimeException e) {
      // not Linux, or the process has ended
    }
    return -1;
  }
}
