package dev.surge.local.api;

/**
 * An error answer in the service's own terms: its code, a message for the user, the HTTP status,
 * and the code CloudWatch's query protocol uses where it differs (CloudWatch answers its JSON and
 * CBOR clients with {@code InvalidParameterValueException} and its query clients with {@code
 * InvalidParameterValue}). Thrown by an operation, written by the endpoint in the request's
 * protocol.
 */
final class ApiException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final String code;
  private final String queryCode;
  private final int status;

  ApiException(String code, String message, int status) {
    this(code, message, status, code);
  }

  ApiException(String code, String message, int status, String queryCode) {
    super(message, null, false, false);
    this.code = code;
    this.status = status;
    this.queryCode = queryCode;
  }

  /** A 400 with {@code code}. */
  static ApiException invalid(String code, String message) {
    return new ApiException(code, message, 400);
  }

  String code() {
    return code;
  }

  String queryCode() {
    return queryCode;
  }

  int status() {
    return status;
  }
}
