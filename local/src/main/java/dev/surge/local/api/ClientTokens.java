package dev.surge.local.api;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * {@code RunTask}'s idempotency: what each client token started, for as long as ECS keeps a token
 * (24 hours). A request repeated with its token gets the same tasks and starts nothing; the token
 * with other parameters is a {@code ConflictException}. Thread-safe.
 */
final class ClientTokens {
  /** How long ECS keeps a {@code RunTask} client token. */
  static final Duration TTL = Duration.ofHours(24);

  /** What a token's request was and what it started. */
  record Use(JsonNode request, List<String> tasks, List<Object> failures, Instant at) {}

  // Guarded by this, oldest first.
  private final Map<String, Use> uses = new LinkedHashMap<>();

  /**
   * What {@code token} started, if it was used for {@code request} within {@link #TTL} of {@code
   * now}.
   *
   * @throws ApiException {@code ConflictException} when it was used for another request
   */
  synchronized Optional<Use> find(String token, JsonNode request, Instant now) {
    uses.values().removeIf(u -> u.at().plus(TTL).isBefore(now));
    Use use = uses.get(token);
    if (use == null) {
      return Optional.empty();
    }
    if (!use.request().equals(request)) {
      throw new ApiException(
          "ConflictException",
          "The client token '"
              + token
              + "' was used for another RunTask request within the last 24 hours; use a new"
              + " token for a new request",
          400);
    }
    return Optional.of(use);
  }

  synchronized void remember(String token, Use use) {
    uses.put(token, use);
  }
}
