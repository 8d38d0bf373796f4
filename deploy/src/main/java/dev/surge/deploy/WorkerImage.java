package dev.surge.deploy;

import dev.surge.core.ConfigException;
import dev.surge.standins.SourceTree;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * How the worker image is built and pushed: Jib (no Docker daemon) in module {@code worker},
 * through its {@code worker-image} profile. {@code surge deploy} and {@code surge image} run
 * exactly {@link #command()} with {@link #environment()}.
 *
 * @param reference where to push, {@code registry/repository:tag}
 * @param baseImage the base image; empty = the one {@code worker/pom.xml} names ({@value
 *     #DEFAULT_BASE})
 * @param insecureRegistry allow plain HTTP and unverified TLS (a registry on loopback)
 * @param credentials user name and password for the target registry; empty = Jib's own lookup
 *     (credential helpers, {@code ~/.docker/config.json})
 */
public record WorkerImage(
    String reference,
    Optional<String> baseImage,
    boolean insecureRegistry,
    Optional<Credentials> credentials) {

  /** The base image {@code worker/pom.xml} names: a maintained Java 21 runtime. */
  public static final String DEFAULT_BASE = "eclipse-temurin:21-jre";

  // An ECR registry's host: <account>.dkr.ecr.<region>.amazonaws.com (.com.cn in China).
  private static final Pattern ECR =
      Pattern.compile("[0-9]{12}\\.dkr\\.ecr(-fips)?\\.[a-z0-9-]+\\.amazonaws\\.com(\\.cn)?/.*");

  private static final Pattern TAG = Pattern.compile("[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}");

  // registry[:port]/path[:tag] or @digest; a light check that catches a missing tag or a typo.
  private static final Pattern REFERENCE =
      Pattern.compile(
          "[a-z0-9.-]+(:[0-9]+)?/[a-z0-9._/-]+(:[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}|@sha256:[0-9a-f]{64})");

  /**
   * A registry login.
   *
   * @param username user name ({@code AWS} for ECR)
   * @param password password or token
   */
  public record Credentials(String username, String password) {
    /** Requires both. */
    public Credentials {
      Objects.requireNonNull(username, "username");
      Objects.requireNonNull(password, "password");
    }

    @Override
    public String toString() {
      return "Credentials[username=" + username + ", password=<hidden>]";
    }
  }

  /** Checks the references' shape. */
  public WorkerImage {
    requireReference(reference, "the image reference");
    Objects.requireNonNull(baseImage, "baseImage");
    Objects.requireNonNull(credentials, "credentials");
  }

  /**
   * Fails with what a reference looks like when {@code ref} is not {@code registry/repository:tag}.
   */
  static String requireReference(String ref, String what) {
    if (ref == null || !REFERENCE.matcher(ref).matches()) {
      throw new ConfigException(
          what
              + " '"
              + ref
              + "' is not registry/repository:tag, e.g."
              + " 123456789012.dkr.ecr.us-east-1.amazonaws.com/fasttracksaa:20261201-120000 or"
              + " 127.0.0.1:5000/fasttracksaa:dev");
    }
    return ref;
  }

  /**
   * The Maven command, run from the repository root. Holds no secret (see {@link #environment}).
   */
  public List<String> command() {
    List<String> cmd = new ArrayList<>();
    cmd.addAll(
        List.of(
            "mvn",
            "-B",
            "-q",
            "-Dstyle.color=never",
            // -am builds the modules worker needs; the profile adds jib:build to worker's package.
            "-pl",
            "worker",
            "-am",
            "package",
            "-Pworker-image",
            "-Dmaven.test.skip=true",
            "-Dspotless.check.skip=true",
            "-Djib.to.image=" + reference));
    baseImage.ifPresent(b -> cmd.add("-Djib.from.image=" + b));
    if (insecureRegistry) {
      cmd.add("-Djib.allowInsecureRegistries=true");
    }
    return cmd;
  }

  /** Whether {@code tag} is a valid image tag. */
  static boolean isTag(String tag) {
    return tag != null && TAG.matcher(tag).matches();
  }

  /** This image pushed with {@code login}. */
  public WorkerImage withCredentials(Optional<Credentials> login) {
    return new WorkerImage(reference, baseImage, insecureRegistry, login);
  }

  /** Whether the image goes to an Amazon ECR registry (whose login comes from the AWS account). */
  public boolean toEcr() {
    return ECR.matcher(reference).matches();
  }

  /** Builds and pushes the image from {@code tree}, the output passed through to {@code out}. */
  Commands.Result push(SourceTree tree, PrintWriter out) {
    return Commands.run(command(), tree.root(), environment(), out);
  }

  /**
   * The variables {@code worker/pom.xml} reads the registry login from. Empty values when there is
   * none, so Jib falls back to its own credential lookup.
   */
  public Map<String, String> environment() {
    Map<String, String> env = new LinkedHashMap<>();
    env.put("SURGE_REGISTRY_USERNAME", credentials.map(Credentials::username).orElse(""));
    env.put("SURGE_REGISTRY_PASSWORD", credentials.map(Credentials::password).orElse(""));
    return env;
  }
}
