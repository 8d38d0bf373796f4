package dev.surge.cli.aws;

import com.amazonaws.services.lambda.runtime.serialization.PojoSerializer;
import com.amazonaws.services.lambda.runtime.serialization.events.LambdaEventSerializers;
import java.io.ByteArrayInputStream;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * One invocation of a Java Lambda function, in a process of its own, the way the Lambda Java
 * runtime makes it: the function's jar in a class loader that sees nothing of this class path, the
 * handler built with its no-argument constructor (so it reads the process environment, which the
 * caller sets to the function's configuration and role credentials), the event read from standard
 * input and deserialized by the runtime's own serializer into the jar's event class, {@code
 * handleRequest} called through the jar's {@code RequestHandler}. What the handler prints goes to
 * standard output, as in Lambda; the result is written to a file.
 *
 * <p>Arguments: the jar, {@code class::method}, the result file. Exit 0 when the handler returned,
 * 1 when it threw (its stack trace on standard error, as Lambda logs it).
 */
public final class LambdaRuntimeMain {
  private static final String RUNTIME = "com.amazonaws.services.lambda.runtime.";

  private LambdaRuntimeMain() {}

  /** Runs the invocation. */
  public static void main(String[] args) throws Exception {
    Path jar = Path.of(args[0]);
    String[] handler = args[1].split("::", 2);
    Path result = Path.of(args[2]);
    byte[] event = System.in.readAllBytes();
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
      Object input = serializer.fromJson(new ByteArrayInputStream(event));
      Object context =
          Proxy.newProxyInstance(
              function, new Class<?>[] {contextClass}, LambdaRuntimeMain::context);
      Object out;
      try {
        out = handle.invoke(instance, input, context);
      } catch (InvocationTargetException e) {
        e.getCause().printStackTrace();
        System.exit(1);
        return;
      }
      Files.writeString(result, String.valueOf(out), StandardCharsets.UTF_8);
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
      case "getAwsRequestId" -> System.getenv().getOrDefault("SURGE_TEST_REQUEST_ID", "request");
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
