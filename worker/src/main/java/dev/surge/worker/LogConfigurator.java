package dev.surge.worker;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.JsonEncoder;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.Configurator;
import ch.qos.logback.classic.spi.ConfiguratorRank;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.ConsoleAppender;
import ch.qos.logback.core.encoder.Encoder;
import ch.qos.logback.core.spi.ContextAwareBase;
import ch.qos.logback.core.status.OnErrorConsoleStatusListener;
import java.util.Map;

/**
 * Surge's logging set-up, in code: readable lines on standard error, or with {@value #FORMAT}
 * {@code =json} JSON lines on standard output (containers, CloudWatch Logs); {@code
 * SURGE_LOG_LEVEL} (a system property or the environment) sets Surge's level, INFO by default; the
 * SDK, the HTTP client and the stand-ins' servers log warnings only.
 *
 * <p>Logback finds it by its service file and runs it before its own XML configuration, which it
 * replaces: parsing a logback XML file loads an XML parser and several hundred classes, a
 * noticeable part of a worker task's start-up CPU. An explicit {@code -Dlogback.configurationFile}
 * still applies, and so does a {@code logback-test.xml} on the class path (the tests') unless JSON
 * lines are asked for: then this steps aside.
 */
@ConfiguratorRank(ConfiguratorRank.CUSTOM_HIGH_PRIORITY)
public final class LogConfigurator extends ContextAwareBase implements Configurator {
  /**
   * System property: {@code json} for JSON lines (set by the worker's main from the environment).
   */
  public static final String FORMAT = "surge.log.format";

  /** Called by logback's service loader. */
  public LogConfigurator() {}

  @Override
  public ExecutionStatus configure(LoggerContext context) {
    boolean json = "json".equalsIgnoreCase(System.getProperty(FORMAT, ""));
    if (System.getProperty("logback.configurationFile") != null
        || (!json
            && LogConfigurator.class.getClassLoader().getResource("logback-test.xml") != null)) {
      // Logback prints its whole status to stdout when the file it then reads warns (a test class
      // path holding two logback-test.xml does): that would land in a worker's output, which its
      // launcher reads. Errors are still printed.
      OnErrorConsoleStatusListener errors = new OnErrorConsoleStatusListener();
      errors.setContext(context);
      errors.start();
      context.getStatusManager().add(errors);
      return ExecutionStatus.INVOKE_NEXT_IF_ANY;
    }
    ConsoleAppender<ILoggingEvent> appender = new ConsoleAppender<>();
    appender.setContext(context);
    appender.setName(json ? "OUT" : "ERR");
    appender.setTarget(json ? "System.out" : "System.err");
    appender.setEncoder(json ? jsonEncoder(context) : lineEncoder(context));
    appender.start();
    Logger root = context.getLogger(Logger.ROOT_LOGGER_NAME);
    root.setLevel(Level.WARN);
    root.addAppender(appender);
    context.getLogger("dev.surge").setLevel(Level.toLevel(level(System.getenv()), Level.INFO));
    for (String quiet :
        new String[] {
          "org.apache.pekko", "org.elasticmq", "software.amazon.awssdk", "org.apache.hc"
        }) {
      context.getLogger(quiet).setLevel(Level.WARN);
    }
    // Pekko logs a port it could not take as an ERROR with a stack trace; Surge then takes the
    // next port or says in one line what is wrong, so this would only be noise.
    context.getLogger("org.apache.pekko.io.TcpListener").setLevel(Level.OFF);
    return ExecutionStatus.DO_NOT_INVOKE_NEXT_IF_ANY;
  }

  /** {@code SURGE_LOG_LEVEL}: the system property, else the environment variable, else INFO. */
  static String level(Map<String, String> env) {
    String p = System.getProperty("SURGE_LOG_LEVEL");
    if (p != null && !p.isBlank()) {
      return p;
    }
    return env.getOrDefault("SURGE_LOG_LEVEL", "INFO");
  }

  private static Encoder<ILoggingEvent> lineEncoder(LoggerContext context) {
    PatternLayoutEncoder e = new PatternLayoutEncoder();
    e.setContext(context);
    e.setPattern("%d{HH:mm:ss.SSS} %-5level %logger{0} - %msg%n");
    e.start();
    return e;
  }

  private static Encoder<ILoggingEvent> jsonEncoder(LoggerContext context) {
    JsonEncoder e = new JsonEncoder();
    e.setContext(context);
    e.setWithSequenceNumber(false);
    e.setWithNanoseconds(false);
    e.setWithContext(false);
    e.setWithArguments(false);
    e.setWithFormattedMessage(true);
    e.setWithMessage(false);
    e.start();
    return e;
  }
}
