package dev.surge.trigger;

import java.lang.reflect.Array;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import software.amazon.awssdk.core.SdkClient;

/**
 * What Lambda SnapStart does to the objects a function's init built, within one JVM. Lambda runs
 * the init once, snapshots the initialized JVM, and starts every execution environment it scales to
 * from that one snapshot (Lambda Developer Guide, "Handling uniqueness with Lambda SnapStart"):
 * each environment has a copy of the same heap, so whatever the init drew (an id, a random seed, a
 * clock read) is the same in all of them. {@link #restore} makes such a copy of an object graph:
 * field by field, without running a constructor, as a restore brings a heap back, so a value a
 * constructor drew is copied, not drawn again.
 *
 * <p>What one JVM cannot copy is shared instead: immutable values (strings, boxed primitives,
 * enums, records, {@code java.time} values and clocks), the SDK clients (each copy then shares
 * their connection pools: fewer connections, nothing unique of the trigger's), and static state (a
 * JVM has one copy of each class). Any other kind of object the graph reaches and this class does
 * not know fails the copy, so a test cannot pass on a graph it did not really copy.
 */
final class Snapshot {
  private static final Unsafe UNSAFE = new Unsafe();

  private final Map<Object, Object> copies = new IdentityHashMap<>();

  private Snapshot() {}

  /** A copy of everything reachable from {@code root}, as an environment restored would have it. */
  static <T> T restore(T root) {
    @SuppressWarnings("unchecked")
    T copy = (T) new Snapshot().copy(root);
    return copy;
  }

  private Object copy(Object o) {
    if (o == null || shared(o)) {
      return o;
    }
    Object done = copies.get(o);
    if (done != null) {
      return done;
    }
    Class<?> type = o.getClass();
    if (type.isArray()) {
      return copyArray(o, type);
    }
    if (!copied(type)) {
      throw new IllegalArgumentException(
          "does not know how a snapshot keeps a " + type.getName() + " (" + o + ")");
    }
    Object copy = UNSAFE.allocateInstance(type);
    copies.put(o, copy);
    for (Field f : instanceFields(type)) {
      if (f.getType().isPrimitive()) {
        UNSAFE.copyPrimitive(f, o, copy);
      } else {
        UNSAFE.putObject(f, copy, copy(UNSAFE.getObject(f, o)));
      }
    }
    return copy;
  }

  private Object copyArray(Object o, Class<?> type) {
    int length = Array.getLength(o);
    Object copy = Array.newInstance(type.getComponentType(), length);
    copies.put(o, copy);
    if (type.getComponentType().isPrimitive()) {
      System.arraycopy(o, 0, copy, 0, length);
    } else {
      for (int i = 0; i < length; i++) {
        Array.set(copy, i, copy(Array.get(o, i)));
      }
    }
    return copy;
  }

  private static boolean shared(Object o) {
    Class<?> type = o.getClass();
    if (o instanceof SdkClient
        || o instanceof String
        || o instanceof Number
        || o instanceof Boolean
        || o instanceof Character
        || o instanceof Class
        || type.isEnum()
        || (type.getSuperclass() != null && type.getSuperclass().isEnum())
        || type.isRecord()
        || type.getName().startsWith("java.time.")) {
      return true;
    }
    if (type.isHidden()) {
      // A lambda or method reference: shared as long as it captured nothing.
      if (!instanceFields(type).isEmpty()) {
        throw new IllegalArgumentException(
            "cannot copy the state a lambda captured: " + type.getName());
      }
      return true;
    }
    return false;
  }

  /** The trigger's own classes, and the JDK's collections, locks and optionals they hold. */
  private static boolean copied(Class<?> type) {
    String name = type.getName();
    return name.startsWith("dev.surge.")
        || name.startsWith("java.util.")
        || type == Object.class
        || type == ThreadLocal.class;
  }

  private static List<Field> instanceFields(Class<?> type) {
    List<Field> fields = new ArrayList<>();
    for (Class<?> c = type; c != null; c = c.getSuperclass()) {
      for (Field f : c.getDeclaredFields()) {
        if (!Modifier.isStatic(f.getModifiers())) {
          fields.add(f);
        }
      }
    }
    return fields;
  }

  /**
   * {@code sun.misc.Unsafe}, reached by reflection (module {@code jdk.unsupported} opens it): it
   * allocates an object without running a constructor, and reads and writes fields of the JDK's
   * classes, which reflection may not open.
   */
  private static final class Unsafe {
    private final Object unsafe;
    private final Method allocateInstance;
    private final Method objectFieldOffset;
    private final Method getObject;
    private final Method putObject;
    private final Map<Class<?>, Method[]> primitives = new IdentityHashMap<>();

    Unsafe() {
      try {
        Class<?> c = Class.forName("sun.misc.Unsafe");
        Field theUnsafe = c.getDeclaredField("theUnsafe");
        theUnsafe.setAccessible(true);
        unsafe = theUnsafe.get(null);
        allocateInstance = c.getMethod("allocateInstance", Class.class);
        objectFieldOffset = c.getMethod("objectFieldOffset", Field.class);
        getObject = c.getMethod("getObject", Object.class, long.class);
        putObject = c.getMethod("putObject", Object.class, long.class, Object.class);
        for (Class<?> p :
            List.of(
                boolean.class,
                byte.class,
                char.class,
                short.class,
                int.class,
                long.class,
                float.class,
                double.class)) {
          String name = Character.toUpperCase(p.getName().charAt(0)) + p.getName().substring(1);
          primitives.put(
              p,
              new Method[] {
                c.getMethod("get" + name, Object.class, long.class),
                c.getMethod("put" + name, Object.class, long.class, p)
              });
        }
      } catch (ReflectiveOperationException e) {
        throw new IllegalStateException("sun.misc.Unsafe is not available", e);
      }
    }

    Object allocateInstance(Class<?> type) {
      return call(allocateInstance, type);
    }

    Object getObject(Field f, Object from) {
      return call(getObject, from, offset(f));
    }

    void putObject(Field f, Object to, Object value) {
      call(putObject, to, offset(f), value);
    }

    void copyPrimitive(Field f, Object from, Object to) {
      Method[] getAndPut = Objects.requireNonNull(primitives.get(f.getType()));
      long offset = offset(f);
      call(getAndPut[1], to, offset, call(getAndPut[0], from, offset));
    }

    private long offset(Field f) {
      return (Long) call(objectFieldOffset, f);
    }

    private Object call(Method m, Object... args) {
      try {
        return m.invoke(unsafe, args);
      } catch (ReflectiveOperationException e) {
        throw new IllegalStateException(m.getName() + " failed", e);
      }
    }
  }
}
