package dev.surge.local.function;

import com.amazonaws.services.lambda.runtime.LambdaLogger;
import com.amazonaws.services.lambda.runtime.logging.LogLevel;
import java.nio.charset.StandardCharsets;
import java.util.function.Consumer;
import org.slf4j.Logger;

/**
 * A function's {@link LambdaLogger}: what Lambda would send to CloudWatch Logs goes to SLF4J, and
 * to the function's own log stream.
 */
final class Slf4jLambdaLogger implements LambdaLogger {
  private final Logger logger;
  private final Consumer<String> stream;

  Slf4jLambdaLogger(Logger logger, Consumer<String> stream) {
    this.logger = logger;
    this.stream = stream;
  }

  @Override
  public void log(String message) {
    log(message, LogLevel.UNDEFINED);
  }

  @Override
  public void log(byte[] message) {
    log(new String(message, StandardCharsets.UTF_8), LogLevel.UNDEFINED);
  }

  @Override
  public void log(byte[] message, LogLevel level) {
    log(new String(message, StandardCharsets.UTF_8), level);
  }

  @Override
  public void log(String message, LogLevel level) {
    String text = strip(message);
    stream.accept(text);
    switch (level == null ? LogLevel.UNDEFINED : level) {
      case TRACE -> logger.trace(text);
      case DEBUG -> logger.debug(text);
      case WARN -> logger.warn(text);
      case ERROR, FATAL -> logger.error(text);
      default -> logger.info(text);
    }
  }

  // Handlers often end their lines with a newline, as Lambda's console expects; SLF4J adds its own.
  private static String strip(String message) {
    if (message == null) {
      return "null";
    }
    int end = message.length();
    while (end > 0 && (message.charAt(end - 1) == '\n' || message.charAt(end - 1) == '\r')) {
      end--;
    }
    return message.substring(0, end);
  }
}
