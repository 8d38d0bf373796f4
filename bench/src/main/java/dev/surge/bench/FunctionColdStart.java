package dev.surge.bench;

import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.UUID;

/**
 * A cold start of the Lambda function, in a fresh JVM, the way the Lambda Java runtime makes one:
 * the function's packaged jar in a class loader of its own (its parent the platform loader, so it
 * sees nothing of this class path), the handler class loaded by name and built with its no-argument
 * constructor (Lambda's init: it reads this process's environment), then {@code handleRequest}
 * called through the jar's {@code RequestHandler} with an SNS event carrying an alarm notification,
 * twice: the first invocation of a fresh instance, then a warm one. The event is built with the
 * jar's own event classes (Lambda's runtime would deserialize it from JSON; that step is not
 * counted).
 *
 * <p>Arguments: the jar, the handler class, the SNS message. Prints {@value #RESULT_PREFIX}JSON:
 * milliseconds from the process's start to the handler's class loading, to the end of init, and the
 * durations of the two invocations, with the process's CPU time at each point.
 */
public final class FunctionColdStart {
  /** Prefix of the result line. */
  public static final String RESULT_PREFIX = "SURGE_FUNCTION_START ";

  private static final String RUNTIME = "com.amazonaws.services.lambda.runtime.";

  private FunctionColdStart() {}

  /** Runs the cold start; exit 0 when both invocations returned. */
  public static void main(String[] args) throws Exception {
    Path jar = Path.of(args[0]);
    String message = args[2];
    long mainAt = sinceStart();
    try (URLClassLoader function =
        new URLClassLoader(
            "function", new URL[] {jar.toUri().toURL()}, ClassLoader.getPlatformClassLoader())) {
      Class<?> handlerClass = function.loadClass(args[1]);
      long initStart = System.nanoTime();
      Object handler = handlerClass.getConstructor().newInstance();
      long initMs = ms(System.nanoTime() - initStart);
      long initAt = sinceStart();
      long initCpu = cpu();
      Class<?> contextClass = function.loadClass(RUNTIME + "Context");
      Method handle =
          function
              .loadClass(RUNTIME + "RequestHandler")
              .getMethod("handleRequest", Object.class, contextClass);
      Object context =
          Proxy.newProxyInstance(
              function,
              new Class<?>[] {contextClass},
              (proxy, m, a) ->
                  switch (m.getName()) {
                    case "getAwsRequestId" -> UUID.randomUUID().toString();
                    case "getFunctionName" -> "fasttrack-saa";
                    case "getRemainingTimeInMillis" -> 60_000;
                    case "getMemoryLimitInMB" -> 1024;
                    case "hashCode" -> System.identityHashCode(proxy);
                    case "equals" -> proxy == a[0];
                    case "toString" -> "LambdaContext[bench]";
                    default -> null;
                  });
      long t1 = System.nanoTime();
      Object first = handle.invoke(handler, event(function, message), context);
      long firstMs = ms(System.nanoTime() - t1);
      long firstCpu = cpu();
      long t2 = System.nanoTime();
      handle.invoke(handler, event(function, message), context);
      long secondMs = ms(System.nanoTime() - t2);
      System.out.println(
          RESULT_PREFIX
              + String.format(
                  Locale.ROOT,
                  "{\"mainMs\":%d,\"initMs\":%d,\"initDoneMs\":%d,\"initCpuMs\":%d,"
                      + "\"firstInvokeMs\":%d,\"firstInvokeCpuMs\":%d,\"warmInvokeMs\":%d,"
                      + "\"firstResult\":\"%s\"}",
                  mainAt,
                  initMs,
                  initAt,
                  initCpu,
                  firstMs,
                  firstCpu - initCpu,
                  secondMs,
                  String.valueOf(first)
                      .replace("\\", "\\\\")
                      .replace("\"", "\\\"")
                      .replace("\n", " | ")));
    }
    System.exit(0);
  }

  // An SNSEvent of the jar's own classes with one record holding the message.
  private static Object event(ClassLoader function, String message) throws Exception {
    String events = RUNTIME + "events.SNSEvent";
    Object sns = function.loadClass(events + "$SNS").getConstructor().newInstance();
    sns.getClass().getMethod("setMessage", String.class).invoke(sns, message);
    sns.getClass()
        .getMethod("setMessageId", String.class)
        .invoke(sns, UUID.randomUUID().toString());
    sns.getClass().getMethod("setType", String.class).invoke(sns, "Notification");
    Object record = function.loadClass(events + "$SNSRecord").getConstructor().newInstance();
    record.getClass().getMethod("setSns", sns.getClass()).invoke(record, sns);
    record.getClass().getMethod("setEventSource", String.class).invoke(record, "aws:sns");
    Object event = function.loadClass(events).getConstructor().newInstance();
    event.getClass().getMethod("setRecords", List.class).invoke(event, List.of(record));
    return event;
  }

  private static long sinceStart() {
    return ProcessHandle.current()
        .info()
        .startInstant()
        .map(s -> Duration.between(s, Instant.now()).toMillis())
        .orElse(-1L);
  }

  private static long cpu() {
    return ProcessHandle.current().info().totalCpuDuration().map(Duration::toMillis).orElse(-1L);
  }

  private static long ms(long nanos) {
    return nanos / 1_000_000;
  }
}
