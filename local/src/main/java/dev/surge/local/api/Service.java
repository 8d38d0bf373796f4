package dev.surge.local.api;

import java.util.List;

/** One AWS service of the local cloud behind the endpoint: the operations it serves. */
interface Service {
  /** Its signing name, as in a SigV4 credential scope ({@code monitoring}, {@code sns}, ...). */
  String signingName();

  /** Its name for people ({@code CloudWatch}). */
  String title();

  /** The operations it serves, as AWS names them. */
  List<String> operations();

  /** Whether it serves reads only (its refusals say so). */
  default boolean readOnly() {
    return false;
  }

  /** Its query protocol's XML namespace (empty for a service that does not speak it). */
  default String xmlNamespace() {
    return "";
  }

  /**
   * Whether its JSON and CBOR errors carry the query protocol's code too ({@code
   * x-amzn-query-error}), as CloudWatch's do.
   */
  default boolean queryCompatible() {
    return false;
  }

  /**
   * {@code request} with its operation named, for a REST service that tells it from the method and
   * path; as it is for the others.
   */
  default ApiRequest route(ApiRequest request) {
    return request;
  }

  /**
   * Answers {@code request}, one of {@link #operations()}.
   *
   * @return the answer as {@link Wire} writes it
   * @throws ApiException for an answer that is an error
   */
  Object call(ApiRequest request);
}
