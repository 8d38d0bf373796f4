package dev.surge.standins;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Starts a class of the test class path in a child JVM, as tests of process handling need. */
public final class JavaProcess {
  private JavaProcess() {}

  /** What the parent pom's profile {@code transparent-huge-pages} adds to a test JVM's options. */
  private static final List<String> HUGE_PAGE_OPTIONS =
      List.of("-XX:+UseTransparentHugePages", "-Xlog:pagesize=off");

  /** The {@code java} of the running JVM. */
  public static String java() {
    return Path.of(System.getProperty("java.home"), "bin", "java").toString();
  }

  /**
   * The options of a child JVM of a test, as the test JVMs themselves run (the build's {@code
   * argLine}): C1 only, one collector thread. It lives seconds to a minute, in which C2 and G1's
   * threads cost more CPU than they give back on a busy 2-core machine. Its heap takes transparent
   * huge pages when the test JVM's does (the build's profile {@code transparent-huge-pages}, where
   * Linux offers them): fewer page faults and address-cache misses for a heap a 64th of the
   * machine's memory (see the parent pom).
   */
  public static final List<String> TEST_JVM_OPTIONS = testJvmOptions();

  private static List<String> testJvmOptions() {
    List<String> options = new ArrayList<>(List.of("-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC"));
    // The huge-page options the build gave this JVM (the profile decides where), given on.
    for (String option : ManagementFactory.getRuntimeMXBean().getInputArguments()) {
      if (HUGE_PAGE_OPTIONS.contains(option)) {
        options.add(option);
      }
    }
    return List.copyOf(options);
  }

  /**
   * A builder for {@code java <TEST_JVM_OPTIONS> -cp <test class path> mainClass args...}.
   *
   * @see #TEST_JVM_OPTIONS
   */
  public static ProcessBuilder builder(Class<?> mainClass, Map<String, String> env, String... args)
      throws IOException {
    return builder(TEST_JVM_OPTIONS, mainClass, env, args);
  }

  /**
   * A builder for {@code java <options> -cp <test class path> mainClass args...}: for a class that
   * always runs with options of its own (the worker's, {@code WorkerJvm.OPTIONS}).
   */
  public static ProcessBuilder builder(
      List<String> options, Class<?> mainClass, Map<String, String> env, String... args)
      throws IOException {
    List<String> cmd = new ArrayList<>();
    cmd.add(java());
    cmd.addAll(options);
    cmd.add("-cp");
    cmd.add(System.getProperty("java.class.path"));
    cmd.add(mainClass.getName());
    cmd.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(cmd);
    pb.environment().putAll(env);
    return pb;
  }
}
