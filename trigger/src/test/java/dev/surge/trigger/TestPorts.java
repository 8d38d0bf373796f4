package dev.surge.trigger;

import dev.surge.core.alarm.AlarmState;
import dev.surge.core.port.AlarmStateProbe;
import dev.surge.core.port.BacklogProbe;
import dev.surge.core.port.LaunchFailure;
import dev.surge.core.port.LaunchResult;
import dev.surge.core.port.QueueDepth;
import dev.surge.core.port.TaskLauncher;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/** Hand-written implementations of the core ports, for testing the decision alone. */
final class TestPorts {
  private TestPorts() {}

  /** A queue whose depth the test sets. */
  static final class FixedBacklog implements BacklogProbe {
    volatile QueueDepth depth = new QueueDepth(0, 0, 0);
    volatile RuntimeException failure;
    int reads;

    FixedBacklog(long visible, long inFlight) {
      depth = new QueueDepth(visible, inFlight, 0);
    }

    @Override
    public synchronized QueueDepth depth() {
      reads++;
      if (failure != null) {
        throw failure;
      }
      return depth;
    }
  }

  /**
   * A launcher that counts: each launched task is running until {@link #stopAll}; the first {@link
   * #failNext} tasks of the next launch fail with reason {@code RESOURCE:MEMORY}.
   */
  static final class CountingLauncher implements TaskLauncher {
    final List<Integer> launches = new ArrayList<>();
    int running;
    int failNext;
    private int next;

    CountingLauncher(int running) {
      this.running = running;
    }

    @Override
    public synchronized LaunchResult launch(int count) {
      launches.add(count);
      int failed = Math.min(failNext, count);
      failNext = 0;
      List<String> ids = new ArrayList<>();
      for (int i = 0; i < count - failed; i++) {
        ids.add("task-" + ++next);
      }
      running += ids.size();
      return new LaunchResult(
          ids, Collections.nCopies(failed, new LaunchFailure("RESOURCE:MEMORY", "no capacity")));
    }

    @Override
    public synchronized int running() {
      return running;
    }

    synchronized int launched() {
      return launches.stream().mapToInt(Integer::intValue).sum();
    }

    synchronized void stopAll() {
      running = 0;
    }
  }

  /**
   * A lease in this JVM that says when it is held and how often it was taken; {@link #busy} makes
   * the next takes fail as a lease another instance keeps.
   */
  static final class InstanceLease implements FleetLease {
    int taken;
    boolean held;
    volatile String busy;

    @Override
    public synchronized <T> T holding(java.util.function.Supplier<T> decision) {
      if (busy != null) {
        throw new FleetLeaseException(busy);
      }
      taken++;
      held = true;
      try {
        return decision.get();
      } finally {
        held = false;
      }
    }
  }

  /**
   * A launcher around {@code inner} that notes, for each count and each launch, whether {@code
   * lease} was held.
   */
  static final class LeaseWatchingLauncher implements TaskLauncher {
    final List<Boolean> heldWhenCounting = new ArrayList<>();
    final List<Boolean> heldWhenLaunching = new ArrayList<>();
    private final TaskLauncher inner;
    private final InstanceLease lease;

    LeaseWatchingLauncher(TaskLauncher inner, InstanceLease lease) {
      this.inner = inner;
      this.lease = lease;
    }

    @Override
    public LaunchResult launch(int count) {
      heldWhenLaunching.add(lease.held);
      return inner.launch(count);
    }

    @Override
    public int running() {
      heldWhenCounting.add(lease.held);
      return inner.running();
    }
  }

  /** An alarm whose state the test sets. */
  static final class FixedAlarm implements AlarmStateProbe {
    volatile AlarmState state;

    FixedAlarm(AlarmState state) {
      this.state = state;
    }

    @Override
    public AlarmState state() {
      return state;
    }
  }
}
