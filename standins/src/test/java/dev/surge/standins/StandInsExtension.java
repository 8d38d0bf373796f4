package dev.surge.standins;

import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * Starts the two stand-ins once per test JVM (on free ports of 127.0.0.1) and stops them when the
 * run ends; test classes get them as a parameter. Each test isolates itself with its own queue and
 * table names.
 */
public final class StandInsExtension implements BeforeAllCallback, ParameterResolver {
  private static final ExtensionContext.Namespace NS =
      ExtensionContext.Namespace.create(StandInsExtension.class);

  @Override
  public void beforeAll(ExtensionContext context) {
    standIns(context);
  }

  @Override
  public boolean supportsParameter(ParameterContext p, ExtensionContext e) {
    return p.getParameter().getType() == StandIns.class;
  }

  @Override
  public Object resolveParameter(ParameterContext p, ExtensionContext e) {
    return standIns(e);
  }

  private static StandIns standIns(ExtensionContext context) {
    // The root store lives for the whole run and closes AutoCloseable values at its end.
    return context
        .getRoot()
        .getStore(NS)
        .getOrComputeIfAbsent("standins", k -> StandIns.start(0, 0), StandIns.class);
  }
}
