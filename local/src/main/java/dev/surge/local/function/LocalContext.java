package dev.surge.local.function;

import com.amazonaws.services.lambda.runtime.ClientContext;
import com.amazonaws.services.lambda.runtime.CognitoIdentity;
import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.LambdaLogger;
import java.time.Clock;
import java.time.Instant;
import java.util.function.Consumer;

/** The {@link Context} of one local invocation. */
public final class LocalContext implements Context {
  private final String requestId;
  private final FunctionConfig config;
  private final String logStream;
  private final Instant deadline;
  private final Clock clock;
  private final LambdaLogger logger;
  private final Consumer<String> stream;

  LocalContext(
      String requestId,
      FunctionConfig config,
      String logStream,
      Instant deadline,
      Clock clock,
      LambdaLogger logger,
      Consumer<String> stream) {
    this.requestId = requestId;
    this.config = config;
    this.logStream = logStream;
    this.deadline = deadline;
    this.clock = clock;
    this.logger = logger;
    this.stream = stream;
  }

  /**
   * Writes {@code line} to the function's log stream only, not to the JVM's log: for what Lambda
   * would capture from the handler's own logging, which locally goes to the console already.
   */
  public void record(String line) {
    stream.accept(line);
  }

  @Override
  public String getAwsRequestId() {
    return requestId;
  }

  @Override
  public String getLogGroupName() {
    return "/aws/lambda/" + config.name();
  }

  @Override
  public String getLogStreamName() {
    return logStream;
  }

  @Override
  public String getFunctionName() {
    return config.name();
  }

  @Override
  public String getFunctionVersion() {
    return "$LATEST";
  }

  @Override
  public String getInvokedFunctionArn() {
    return config.arn();
  }

  /** None: SNS and EventBridge invoke without a Cognito identity. */
  @Override
  public CognitoIdentity getIdentity() {
    return null;
  }

  /** None: Lambda passes a client context to synchronous invocations only. */
  @Override
  public ClientContext getClientContext() {
    return null;
  }

  @Override
  public int getRemainingTimeInMillis() {
    long left = deadline.toEpochMilli() - clock.millis();
    return (int) Math.max(0, Math.min(Integer.MAX_VALUE, left));
  }

  @Override
  public int getMemoryLimitInMB() {
    return config.memoryMb();
  }

  @Override
  public LambdaLogger getLogger() {
    return logger;
  }
}
