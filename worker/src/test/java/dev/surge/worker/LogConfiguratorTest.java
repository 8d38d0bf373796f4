package dev.surge.worker;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.JsonEncoder;
import ch.qos.logback.classic.spi.Configurator.ExecutionStatus;
import ch.qos.logback.core.ConsoleAppender;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Logging set up in code, and when it leaves the job to logback's files. */
class LogConfiguratorTest {
  @AfterEach
  void clear() {
    System.clearProperty(LogConfigurator.FORMAT);
    System.clearProperty("SURGE_LOG_LEVEL");
  }

  private static ExecutionStatus configure(LoggerContext context) {
    LogConfigurator c = new LogConfigurator();
    c.setContext(context);
    return c.configure(context);
  }

  @Test
  void jsonLinesOnStandardOutputWhenAskedFor() {
    System.setProperty(LogConfigurator.FORMAT, "json");
    System.setProperty("SURGE_LOG_LEVEL", "DEBUG");
    LoggerContext context = new LoggerContext();
    assertThat(configure(context)).isEqualTo(ExecutionStatus.DO_NOT_INVOKE_NEXT_IF_ANY);
    Logger root = context.getLogger(Logger.ROOT_LOGGER_NAME);
    assertThat(root.getLevel()).isEqualTo(Level.WARN);
    ConsoleAppender<?> out = (ConsoleAppender<?>) root.getAppender("OUT");
    assertThat(out).isNotNull();
    assertThat(out.getTarget()).isEqualTo("System.out");
    assertThat(out.getEncoder()).isInstanceOf(JsonEncoder.class);
    assertThat(context.getLogger("dev.surge").getLevel()).isEqualTo(Level.DEBUG);
    assertThat(context.getLogger("software.amazon.awssdk").getLevel()).isEqualTo(Level.WARN);
  }

  @Test
  void theTestsOwnLogbackFileWinsOverReadableLines() {
    // This module's test class path has a logback-test.xml.
    assertThat(configure(new LoggerContext())).isEqualTo(ExecutionStatus.INVOKE_NEXT_IF_ANY);
  }

  @Test
  void surgesLevelComesFromThePropertyThenTheEnvironment() {
    assertThat(LogConfigurator.level(Map.of())).isEqualTo("INFO");
    assertThat(LogConfigurator.level(Map.of("SURGE_LOG_LEVEL", "WARN"))).isEqualTo("WARN");
    System.setProperty("SURGE_LOG_LEVEL", "DEBUG");
    assertThat(LogConfigurator.level(Map.of("SURGE_LOG_LEVEL", "WARN"))).isEqualTo("DEBUG");
  }
}
