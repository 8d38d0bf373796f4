package dev.surge.local.function;

import dev.surge.local.topic.TopicConfig;
import java.time.Duration;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * A local function's identity and limits, as Lambda configures them.
 *
 * @param name the function's name (1-64 letters, digits, hyphens and underscores)
 * @param region the region written into its ARN
 * @param account the account id written into its ARN (12 digits)
 * @param memoryMb the memory setting reported to the handler (128-10240 MB)
 * @param timeout the time an invocation may take (1 s to 15 min); the handler sees what is left
 */
public record FunctionConfig(
    String name, String region, String account, int memoryMb, Duration timeout) {

  /** The seed function's timeout. */
  public static final Duration SEED_TIMEOUT = Duration.ofSeconds(20);

  /** Lambda's default memory setting. */
  public static final int DEFAULT_MEMORY_MB = 128;

  private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_-]{1,64}");
  private static final Pattern ACCOUNT = Pattern.compile("\\d{12}");

  /** Validates every setting within Lambda's limits. */
  public FunctionConfig {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(region, "region");
    Objects.requireNonNull(account, "account");
    Objects.requireNonNull(timeout, "timeout");
    if (!NAME.matcher(name).matches()) {
      throw new IllegalArgumentException(
          "function name '" + name + "' must be 1-64 letters, digits, hyphens or underscores");
    }
    if (region.isBlank()) {
      throw new IllegalArgumentException("region must not be blank");
    }
    if (!ACCOUNT.matcher(account).matches()) {
      throw new IllegalArgumentException("account must be 12 digits, was '" + account + "'");
    }
    if (memoryMb < 128 || memoryMb > 10_240) {
      throw new IllegalArgumentException("memory must be 128-10240 MB, was " + memoryMb);
    }
    if (timeout.compareTo(Duration.ofSeconds(1)) < 0
        || timeout.compareTo(Duration.ofMinutes(15)) > 0) {
      throw new IllegalArgumentException("timeout must be 1 s to 15 min, was " + timeout);
    }
  }

  /** The seed's function locally: its 20 s timeout, Lambda's default memory, the local account. */
  public static FunctionConfig local(String name, String region) {
    return new FunctionConfig(
        name, region, TopicConfig.LOCAL_ACCOUNT, DEFAULT_MEMORY_MB, SEED_TIMEOUT);
  }

  /** {@code arn:aws:lambda:<region>:<account>:function:<name>}. */
  public String arn() {
    return "arn:aws:lambda:" + region + ":" + account + ":function:" + name;
  }
}
