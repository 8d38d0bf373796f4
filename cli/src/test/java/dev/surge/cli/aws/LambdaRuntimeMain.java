package dev.surge.cli.aws;

import com.amazonaws.services.lambda.runtime.serialization.PojoSerializer;
import com.amazonaws.services.lambda.runtime.serialization.events.LambdaEventSerializers;
import java.io.BufferedReader;
import java.io.ByteArrayInputStream;
import java.io.InputStreamReader;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A Java Lambda function's execution environment, in a process of its own, the way the Lambda Java
 * runtime runs one: the function's jar in a class loader that sees nothing of this class path, the
 * handler built once with its no-argument constructor (so it reads the process environment, which
 * the caller sets to the function's configuration and role credentials), then invocation after
 * invocation on that one instance, as Lambda reuses a warm environment: each event deserialized by
 * the runtime's own serializer into the jar's event class, {@code handleRequest} called through the
 * jar's {@code RequestHandler}. What the handler prints goes to standard output, as in Lambda.
 *
 * <p>Arguments: the jar and {@code class::method}. Each line of standard input is one invocation:
 * its request id, the event's file and the result's file, separated by tabs. When the handler has
 * returned, its result is written to the result file; when it threw, its stack trace is printed as
 * Lambda logs it. Either way the invocation ends with one line, {@link #END} then the request id
 * and 0 (returned) or 1 (threw), and the environment waits for the next one. It ends when standard
 * input does.
 */
public final class LambdaRuntimeMain {
  private static final String RUNTIME = "com.amazonaws.services.lambda.runtime.";

  /** What starts the line that ends an invocation (not text a handler prints). */
  static final String END = "\u001eSURGE-INVOCATION-END ";

  private static volatile String requestId = "request";

  private LambdaRuntimeMain() {}

  /** Runs invocations until standard input ends. */
  public static void main(String[] args) throws Exception {
    Path jar = Path.of(args[0]);
    String[] handler = args[1].split("::", 2);
    BufferedReader in =
        new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
    try (URLClassLoader function =
        new URLClassLoader(
            "function", new URL[] {jar.toUri().toURL()}, ClassLoader.getPlatformClassLoader())) {
      Class<?> handlerClass = function.loadClass(handler[0]);
      Object instance = handlerClass.getConstructor().newInstance();
      Class<?> requestHandler = function.loadClass(RUNTIME + "RequestHandler");
      Class<?> contextClass = function.loadClass(RUNTIME + "Context");
      Method handle = requestHandler.getMethod(handler[1], Object.class, contextClass);
      Class<?> eventClass = eventClass(handlerClass, function);
      PojoSerializer<?> serializer = LambdaEventSerializers.serializerFor(eventClass, function);
      Object context =
          Proxy.newProxyInstance(
              function, new Class<?>[] {contextClass}, LambdaRuntimeMain::context);
      String line;
      while ((line = in.readLine()) != null) {
        String[] invocation = line.split("\t", 3);
        requestId = invocation[0];
        int code = 0;
        try {
          Object input =
              serializer.fromJson(
                  new ByteArrayInputStream(Files.readAllBytes(Path.of(invocation[1]))));
          Object out = handle.invoke(instance, input, context);
          Files.writeString(Path.of(invocation[2]), String.valueOf(out), StandardCharsets.UTF_8);
        } catch (InvocationTargetException e) {
          e.getCause().printStackTrace(System.out);
          code = 1;
        } catch (RuntimeException e) {
          e.printStackTrace(System.out);
          code = 1;
        }
        System.out.println(END + requestId + " " + code);
        System.out.flush();
      }
    }
    System.exit(0);
  }

  /** The event type of the handler's {@code RequestHandler<I, O>}. */
  private static Class<?> eventClass(Class<?> handlerClass, ClassLoader loader) throws Exception {
    for (java.lang.reflect.Type t : handlerClass.getGenericInterfaces()) {
      if (t instanceof java.lang.reflect.ParameterizedType p
          && p.getRawType().getTypeName().equals(RUNTIME + "RequestHandler")) {
        return loader.loadClass(p.getActualTypeArguments()[0].getTypeName());
      }
    }
    throw new IllegalArgumentException(handlerClass + " is not a RequestHandler<I, O>");
  }

  private static Object context(Object proxy, Method method, Object[] args) {
    String fn = System.getenv().getOrDefault("AWS_LAMBDA_FUNCTION_NAME", "function");
    return switch (method.getName()) {
      case "getAwsRequestId" -> requestId;
      case "getFunctionName" -> fn;
      case "getFunctionVersion" ->
          System.getenv().getOrDefault("AWS_LAMBDA_FUNCTION_VERSION", "$LATEST");
      case "getLogGroupName" -> System.getenv("AWS_LAMBDA_LOG_GROUP_NAME");
      case "getLogStreamName" -> System.getenv("AWS_LAMBDA_LOG_STREAM_NAME");
      case "getRemainingTimeInMillis" -> 60_000;
      case "getMemoryLimitInMB" ->
          Integer.parseInt(System.getenv().getOrDefault("AWS_LAMBDA_FUNCTION_MEMORY_SIZE", "512"));
      case "toString" -> "LambdaContext[" + fn + "]";
      case "hashCode" -> System.identityHashCode(proxy);
      case "equals" -> proxy == args[0];
      default -> null;
    };
  }
}
