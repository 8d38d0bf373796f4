package dev.surge.local.tasks;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The task definitions of the local cloud: the chain's own (its family's revision 1, Surge's
 * worker) and every revision registered since, each family's revisions counting up from 1. None is
 * ever deregistered, so the latest revision of a family is its latest ACTIVE one. Thread-safe.
 */
public final class TaskDefinitions {
  // Guarded by this: each family's revisions, oldest first, families by name.
  private final Map<String, List<TaskDefinition>> families = new TreeMap<>();

  /** The registry holding {@code chains}, the chain's own definition, as its family's first. */
  public TaskDefinitions(TaskDefinition chains) {
    register(chains);
  }

  /**
   * Registers {@code draft} (whatever its revision) as the next revision of its family.
   *
   * @return it, with its revision
   */
  public synchronized TaskDefinition register(TaskDefinition draft) {
    List<TaskDefinition> revisions =
        families.computeIfAbsent(draft.family(), f -> new ArrayList<>());
    TaskDefinition registered = draft.withRevision(revisions.size() + 1);
    revisions.add(registered);
    return registered;
  }

  /** The latest revision of {@code family}, if it has any. */
  public synchronized Optional<TaskDefinition> latest(String family) {
    List<TaskDefinition> revisions = families.get(family);
    return revisions == null ? Optional.empty() : Optional.of(revisions.get(revisions.size() - 1));
  }

  /** Revision {@code revision} of {@code family}, if it was registered. */
  public synchronized Optional<TaskDefinition> find(String family, int revision) {
    List<TaskDefinition> revisions = families.get(family);
    return revisions == null || revision < 1 || revision > revisions.size()
        ? Optional.empty()
        : Optional.of(revisions.get(revision - 1));
  }

  /** What {@code ref} names: {@code family} (its latest revision) or {@code family:revision}. */
  public Optional<TaskDefinition> find(String ref) {
    int colon = ref.lastIndexOf(':');
    if (colon < 0) {
      return latest(ref);
    }
    try {
      return find(ref.substring(0, colon), Integer.parseInt(ref.substring(colon + 1)));
    } catch (NumberFormatException e) {
      return Optional.empty();
    }
  }

  /** Every revision, by family name and then by revision. */
  public synchronized List<TaskDefinition> all() {
    List<TaskDefinition> out = new ArrayList<>();
    families.values().forEach(out::addAll);
    out.sort(Comparator.comparing(TaskDefinition::family).thenComparing(TaskDefinition::revision));
    return out;
  }
}
