package dev.surge.demo;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import java.util.function.IntSupplier;

/**
 * The width of the terminal this process writes to, in columns. Java has no call for it, so it is
 * asked of {@code stty size} on {@code /dev/tty} (as shells do), again at most every two seconds so
 * a resized window is followed; without a terminal, {@code COLUMNS}, else 80.
 */
final class TerminalWidth {
  /** The width assumed when nothing says otherwise. */
  static final int DEFAULT = 80;

  private static final long RECHECK_NANOS = TimeUnit.SECONDS.toNanos(2);

  private TerminalWidth() {}

  /** A width that follows the terminal. */
  static IntSupplier detect() {
    return new IntSupplier() {
      private int width = ask();
      private long askedAt = System.nanoTime();

      @Override
      public synchronized int getAsInt() {
        if (System.nanoTime() - askedAt > RECHECK_NANOS) {
          width = ask();
          askedAt = System.nanoTime();
        }
        return width;
      }
    };
  }

  private static int ask() {
    try {
      Process p =
          new ProcessBuilder("sh", "-c", "stty size < /dev/tty 2>/dev/null")
              .redirectErrorStream(true)
              .start();
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
      if (p.waitFor(2, TimeUnit.SECONDS) && p.exitValue() == 0) {
        String[] rowsCols = out.split("\\s+");
        if (rowsCols.length == 2) {
          int cols = Integer.parseInt(rowsCols[1]);
          if (cols > 0) {
            return cols;
          }
        }
      }
    } catch (IOException | NumberFormatException e) {
      // no terminal to ask
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    return parse(System.getenv("COLUMNS"));
  }

  static int parse(String columns) {
    try {
      int c = columns == null ? 0 : Integer.parseInt(columns.trim());
      return c > 0 ? c : DEFAULT;
    } catch (NumberFormatException e) {
      return DEFAULT;
    }
  }
}
