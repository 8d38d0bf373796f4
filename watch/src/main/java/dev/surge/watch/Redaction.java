package dev.surge.watch;

import java.util.regex.Pattern;

/** Hides AWS account ids in ARNs, queue URLs and repository URIs shown to viewers. */
final class Redaction {
  /** What an account id is replaced with. */
  static final String ACCOUNT = "<account>";

  // Account ids are exactly 12 digits; ARNs, queue URLs and ECR hosts all carry them so.
  private static final Pattern ACCOUNT_ID = Pattern.compile("(?<![0-9])[0-9]{12}(?![0-9])");

  private Redaction() {}

  /** {@code text} with every 12-digit account id replaced by {@value #ACCOUNT}. */
  static String withoutAccount(String text) {
    return ACCOUNT_ID.matcher(text).replaceAll(ACCOUNT);
  }
}
