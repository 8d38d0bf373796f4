package dev.surge.cli;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.Objects;
import java.util.function.BooleanSupplier;

/**
 * {@code surge logs -f}: what a log file holds, then what is appended to it, as {@code tail -f}
 * prints it, until the writer is done.
 */
final class LogFollower {
  private LogFollower() {}

  /**
   * Prints {@code file} to {@code out}, then every line appended to it, every {@code poll}, until
   * {@code ended} says the writer is done; what it wrote before that is printed too (the last line
   * even without its line end). Runs until then, or until the thread is interrupted.
   */
  static void follow(Path file, PrintWriter out, BooleanSupplier ended, Duration poll)
      throws IOException, InterruptedException {
    Tail tail = new Tail(file);
    while (true) {
      // Asked before reading: whatever was written before the end is in this last read.
      boolean last = ended.getAsBoolean();
      out.print(tail.lines());
      if (last) {
        out.print(tail.rest());
        out.flush();
        return;
      }
      out.flush();
      Thread.sleep(poll.toMillis());
    }
  }

  /**
   * The lines appended to a file since the last read. A file that became shorter was started anew
   * (a new detached {@code surge up} writes its log from the start): it is read from its start.
   */
  static final class Tail {
    private final Path file;
    private long position;
    private final ByteArrayOutputStream partial = new ByteArrayOutputStream();

    Tail(Path file) {
      this.file = Objects.requireNonNull(file, "file");
    }

    /** The whole lines appended since the last call, line ends included; "" when none. */
    String lines() throws IOException {
      read();
      byte[] bytes = partial.toByteArray();
      int end = bytes.length;
      while (end > 0 && bytes[end - 1] != '\n') {
        end--;
      }
      if (end == 0) {
        return "";
      }
      partial.reset();
      partial.write(bytes, end, bytes.length - end);
      return new String(bytes, 0, end, StandardCharsets.UTF_8);
    }

    /** The last line, written without its line end so far; "" when none. */
    String rest() {
      String text = partial.toString(StandardCharsets.UTF_8);
      partial.reset();
      return text;
    }

    private void read() throws IOException {
      try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
        long size = channel.size();
        if (size < position) {
          position = 0;
          partial.reset();
        }
        ByteBuffer buffer = ByteBuffer.allocate(64 * 1024);
        while (position < size) {
          buffer.clear();
          int n = channel.read(buffer, position);
          if (n <= 0) {
            break;
          }
          partial.write(buffer.array(), 0, n);
          position += n;
        }
      } catch (NoSuchFileException e) {
        // not written yet, or removed: nothing to read for now
      }
    }
  }
}
