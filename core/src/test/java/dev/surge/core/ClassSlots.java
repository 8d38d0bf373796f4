package dev.surge.core;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * At most {@code surge.it.slots} integration test classes of the whole build run at once, across
 * every test JVM the build forks: a class takes one of that many slots (a lock on a file in {@code
 * surge.it.slots.dir}) before its first test and gives it back after its last. Maven builds modules
 * side by side and each module runs several classes at once; on 2 cores, more classes than that at
 * once only make each slower (a benchmark's or a drain's timeout then fires) without the whole
 * finishing sooner. Without {@code surge.it.slots.dir} (a class run from an IDE) there is no limit.
 *
 * <p>{@code surge.it.slots.reserved} of the slots are kept for the JVMs whose {@code
 * surge.it.slots.priority} is true (the end-to-end tests of {@code cli}, the longest, which would
 * otherwise wait behind the modules' tests that started a few seconds before them); a JVM with
 * priority takes the others too when they are free. Once the priority JVM has ended, the reserved
 * slots are everyone's: a priority JVM holds a lock on {@code priority-<build>.lock} ({@code
 * surge.it.slots.build}: the build's start) from its first class until it exits, and a JVM without
 * priority takes a reserved slot only when that file exists and nobody holds its lock. (Before the
 * priority JVM starts they stay free for it, as when it runs.)
 *
 * <p>Registered for the integration tests by JUnit's extension auto-detection (the root pom's
 * failsafe configuration), through this test jar's service file.
 */
public final class ClassSlots implements BeforeAllCallback {
  private static final ExtensionContext.Namespace NAMESPACE =
      ExtensionContext.Namespace.create(ClassSlots.class);

  /** How often a class waiting for a slot looks again. */
  private static final long POLL_MILLIS = 200;

  /**
   * The slots this JVM holds. It never opens a slot's file again while it holds it: closing any
   * descriptor of a file drops every lock the process has on it (POSIX record locks).
   */
  private static final Set<Integer> held = new HashSet<>();

  /** In a priority JVM, the open channel whose lock says it is running (see holdPresence). */
  private static FileChannel presence;

  @Override
  public void beforeAll(ExtensionContext context) throws Exception {
    Optional<String> dir = context.getConfigurationParameter("surge.it.slots.dir");
    if (dir.isEmpty() || dir.get().isBlank()) {
      dir = Optional.ofNullable(System.getProperty("surge.it.slots.dir"));
    }
    if (dir.isEmpty() || dir.get().isBlank()) {
      return;
    }
    int slots = Integer.getInteger("surge.it.slots", 4);
    int reserved = Math.min(slots - 1, Integer.getInteger("surge.it.slots.reserved", 0));
    boolean priority = Boolean.getBoolean("surge.it.slots.priority");
    Path folder = Path.of(dir.get());
    Files.createDirectories(folder);
    long waitedFrom = System.nanoTime();
    // The reserved slots first for a JVM with priority; the others take them only once it ended.
    List<Integer> shared = new ArrayList<>();
    for (int i = 0; i < slots - reserved; i++) {
      shared.add(i);
    }
    List<Integer> kept = new ArrayList<>();
    for (int i = slots - reserved; i < slots; i++) {
      kept.add(i);
    }
    // Named after this build (Maven's start time), so that one a build before left is no sign.
    Path presence =
        folder.resolve(
            "priority-"
                + System.getProperty("surge.it.slots.build", "").replaceAll("[^0-9A-Za-z]", "")
                + ".lock");
    if (priority) {
      holdPresence(presence);
    }
    Slot slot =
        take(
            folder,
            () -> {
              List<Integer> order = new ArrayList<>();
              if (priority || priorityEnded(presence)) {
                order.addAll(kept);
              }
              order.addAll(shared);
              return order;
            });
    long waited = (System.nanoTime() - waitedFrom) / 1_000_000;
    if (waited >= 1_000) {
      System.out.printf(
          "%s waited %.1f s for one of %d test class slots%n",
          context.getRequiredTestClass().getSimpleName(), waited / 1000.0, slots);
    }
    context.getStore(NAMESPACE).put(Slot.class, slot);
  }

  private static Slot take(Path folder, Supplier<List<Integer>> slots) throws InterruptedException {
    while (true) {
      for (int i : slots.get()) {
        synchronized (held) {
          if (held.contains(i)) {
            continue;
          }
          Optional<Slot> slot = tryTake(i, folder.resolve("slot-" + i + ".lock"));
          if (slot.isPresent()) {
            held.add(i);
            return slot.get();
          }
        }
      }
      Thread.sleep(POLL_MILLIS);
    }
  }

  /**
   * Locks {@code presence} until this JVM exits (the channel stays open in {@link #presence}): the
   * sign for the other JVMs that the priority JVM is running. Its lock is only ever taken here.
   */
  private static void holdPresence(Path presence) {
    synchronized (held) {
      if (ClassSlots.presence != null) {
        return;
      }
      try {
        FileChannel channel =
            FileChannel.open(presence, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        channel.lock();
        ClassSlots.presence = channel;
      } catch (IOException e) {
        throw new UncheckedIOException("cannot lock " + presence, e);
      }
    }
  }

  /** Whether a priority JVM ran and has ended: {@code presence} exists and nobody holds it. */
  static boolean priorityEnded(Path presence) {
    if (!Files.exists(presence)) {
      return false;
    }
    // One thread of this JVM at a time: two locks of one JVM on a file overlap.
    synchronized (held) {
      try (FileChannel channel = FileChannel.open(presence, StandardOpenOption.WRITE)) {
        FileLock lock = channel.tryLock();
        if (lock == null) {
          return false;
        }
        lock.release();
        return true;
      } catch (IOException | OverlappingFileLockException e) {
        return false;
      }
    }
  }

  private static Optional<Slot> tryTake(int index, Path file) {
    FileChannel channel = null;
    try {
      channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
      FileLock lock = channel.tryLock();
      if (lock != null) {
        return Optional.of(new Slot(index, channel));
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot lock " + file, e);
    }
    close(channel);
    return Optional.empty();
  }

  private static void close(FileChannel channel) {
    if (channel != null) {
      try {
        channel.close();
      } catch (IOException ignored) {
        // the lock goes with the channel
      }
    }
  }

  /**
   * A slot held until the class's context closes (after its last test and its {@code @AfterAll}).
   */
  private record Slot(int index, FileChannel channel) implements AutoCloseable {
    @Override
    public void close() {
      synchronized (held) {
        ClassSlots.close(channel); // releases the lock
        held.remove(index);
      }
    }
  }
}
