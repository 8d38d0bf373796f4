package dev.surge.worker;

import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.SdkException;

/** Recognises AWS's answer that the caller's role may not do what it asked. */
final class AccessDenied {
  private AccessDenied() {}

  /** Whether {@code e} is an {@code AccessDenied…} answer (SQS and DynamoDB name it alike). */
  static boolean is(SdkException e) {
    return e instanceof AwsServiceException a
        && a.awsErrorDetails() != null
        && a.awsErrorDetails().errorCode() != null
        && a.awsErrorDetails().errorCode().contains("AccessDenied");
  }
}
