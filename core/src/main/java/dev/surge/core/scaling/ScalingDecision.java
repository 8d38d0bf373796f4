package dev.surge.core.scaling;

/**
 * The outcome of one scaling decision.
 *
 * @param backlog messages visible plus in flight when deciding
 * @param running tasks alive when deciding
 * @param desired the fleet size the policy wants
 * @param toStart tasks to start now: {@code max(0, desired - running)}
 */
public record ScalingDecision(long backlog, int running, int desired, int toStart) {}
