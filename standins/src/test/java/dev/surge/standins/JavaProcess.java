package dev.surge.standins;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Starts a class of the test class path in a child JVM, as tests of process handling need. */
public final class JavaProcess {
  private JavaProcess() {}

  /** The {@code java} of the running JVM. */
  public static String java() {
    return Path.of(System.getProperty("java.home"), "bin", "java").toString();
  }

  /** A builder for {@code java -cp <test class path> mainClass args...}. */
  public static ProcessBuilder builder(Class<?> mainClass, Map<String, String> env, String... args)
      throws IOException {
    List<String> cmd = new ArrayList<>();
    cmd.add(java());
    cmd.add("-cp");
    cmd.add(System.getProperty("java.class.path"));
    cmd.add(mainClass.getName());
    cmd.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(cmd);
    pb.environment().putAll(env);
    return pb;
  }
}
