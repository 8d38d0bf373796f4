package dev.surge.cli;

import java.nio.file.Path;
import java.util.List;

/** How tests start the packaged {@code surge}: in a JVM of its own, as a user does. */
public final class SurgeJar {
  private SurgeJar() {}

  /** The jar the build packaged. */
  public static final Path JAR = Path.of("target", "surge.jar").toAbsolutePath();

  /**
   * {@code java}, its flags and {@code -jar target/surge.jar}: the arguments follow. The JVM
   * compiles with C1 only and collects with one thread: a test's run lasts seconds to a couple of
   * minutes, in which C2's compiling costs more CPU than it gives back, and the suite is bound by
   * CPU on 2 cores. What the command does is the same; its speed is measured by {@code surge
   * bench}, not here.
   */
  public static List<String> command() {
    return List.of(
        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-XX:TieredStopAtLevel=1",
        "-XX:+UseSerialGC",
        "-jar",
        JAR.toString());
  }
}
