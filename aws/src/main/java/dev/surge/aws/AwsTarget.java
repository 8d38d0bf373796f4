package dev.surge.aws;

import dev.surge.core.ConfigException;
import dev.surge.core.Env;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Where the SDK clients go: region, per-service endpoint overrides, and whether to use static dummy
 * credentials. Built from the standard variables ({@code AWS_REGION}, {@code AWS_ENDPOINT_URL},
 * {@code AWS_ENDPOINT_URL_<SERVICE>}), so a worker never knows which target it runs on.
 *
 * @param region the region id
 * @param endpoints endpoint per service id in the variables' spelling ({@code SQS}, {@code
 *     DYNAMODB}, {@code ECS}, {@code CLOUDWATCH}); {@code ""} holds the global {@code
 *     AWS_ENDPOINT_URL}
 * @param dummyCredentials use static dummy credentials (local stand-ins accept any)
 */
public record AwsTarget(String region, Map<String, URI> endpoints, boolean dummyCredentials) {

  /** The local SQS stand-in's default endpoint (what {@code surge up} binds). */
  public static final URI LOCAL_SQS = URI.create("http://127.0.0.1:9324");

  /** The local DynamoDB stand-in's default endpoint (what {@code surge up} binds). */
  public static final URI LOCAL_DYNAMODB = URI.create("http://127.0.0.1:8000");

  /** The region used locally when none is set: the seed's. */
  public static final String LOCAL_REGION = "us-east-1";

  /** The access key id of the dummy credentials (the stand-ins accept any). */
  public static final String DUMMY_KEY = "surge-local";

  /** Copies the map, keeping its order (the order {@link #toEnvironment()} lists them in). */
  public AwsTarget {
    Objects.requireNonNull(region, "region");
    Map<String, URI> copy = new LinkedHashMap<>();
    endpoints.forEach(
        (service, uri) ->
            copy.put(
                Objects.requireNonNull(service, "service"), Objects.requireNonNull(uri, service)));
    endpoints = java.util.Collections.unmodifiableMap(copy);
  }

  /**
   * The local target: the standard variables win; without them SQS is {@link #LOCAL_SQS} and
   * DynamoDB {@link #LOCAL_DYNAMODB}; credentials are dummies unless {@code AWS_ACCESS_KEY_ID} is
   * set.
   */
  public static AwsTarget local(Env env) {
    Map<String, URI> endpoints = new LinkedHashMap<>(standardEndpoints(env));
    if (!endpoints.containsKey("")) {
      endpoints.putIfAbsent("SQS", LOCAL_SQS);
      endpoints.putIfAbsent("DYNAMODB", LOCAL_DYNAMODB);
    }
    String region = region(env).orElse(LOCAL_REGION);
    boolean dummy = env.get("AWS_ACCESS_KEY_ID").map(DUMMY_KEY::equals).orElse(true);
    return new AwsTarget(region, endpoints, dummy);
  }

  /** The local target on explicit stand-in endpoints (what tests and the local launcher use). */
  public static AwsTarget local(URI sqs, URI dynamodb) {
    Map<String, URI> endpoints = new LinkedHashMap<>();
    endpoints.put("SQS", sqs);
    endpoints.put("DYNAMODB", dynamodb);
    return new AwsTarget(LOCAL_REGION, endpoints, true);
  }

  /**
   * The local cloud as other tools reach it: every service at its one AWS endpoint ({@code
   * AWS_ENDPOINT_URL}), and SQS and DynamoDB at their own ports too.
   */
  public static AwsTarget local(URI aws, URI sqs, URI dynamodb) {
    Map<String, URI> endpoints = new LinkedHashMap<>();
    endpoints.put("", aws);
    endpoints.put("SQS", sqs);
    endpoints.put("DYNAMODB", dynamodb);
    return new AwsTarget(LOCAL_REGION, endpoints, true);
  }

  /** The AWS target: the SDK's standard chain; only explicitly set endpoint variables apply. */
  public static AwsTarget aws(Env env) {
    return new AwsTarget(region(env).orElse(""), standardEndpoints(env), false);
  }

  /** The endpoint for {@code service} ({@code SQS}, {@code DYNAMODB}, ...), if overridden. */
  public Optional<URI> endpoint(String service) {
    URI specific = endpoints.get(service.toUpperCase(Locale.ROOT));
    return Optional.ofNullable(specific != null ? specific : endpoints.get(""));
  }

  /** The variables a child process needs to reach the same endpoints with the same settings. */
  public Map<String, String> toEnvironment() {
    Map<String, String> env = new LinkedHashMap<>();
    if (!region.isEmpty()) {
      env.put("AWS_REGION", region);
      // The SDKs for Java and Go read AWS_REGION; boto3 and the aws CLI read only this one.
      env.put("AWS_DEFAULT_REGION", region);
    }
    endpoints.forEach(
        (service, uri) ->
            env.put(
                service.isEmpty() ? "AWS_ENDPOINT_URL" : "AWS_ENDPOINT_URL_" + service,
                uri.toString()));
    if (dummyCredentials) {
      env.put("AWS_ACCESS_KEY_ID", DUMMY_KEY);
      env.put("AWS_SECRET_ACCESS_KEY", DUMMY_KEY);
    }
    return env;
  }

  private static Optional<String> region(Env env) {
    return env.get("AWS_REGION").or(() -> env.get("AWS_DEFAULT_REGION"));
  }

  private static Map<String, URI> standardEndpoints(Env env) {
    Map<String, URI> endpoints = new LinkedHashMap<>();
    env.get("AWS_ENDPOINT_URL").ifPresent(v -> endpoints.put("", uri("AWS_ENDPOINT_URL", v)));
    for (String service : new String[] {"SQS", "DYNAMODB", "ECS", "CLOUDWATCH", "SNS", "LAMBDA"}) {
      String name = "AWS_ENDPOINT_URL_" + service;
      env.get(name).ifPresent(v -> endpoints.put(service, uri(name, v)));
    }
    return endpoints;
  }

  private static URI uri(String name, String value) {
    try {
      URI uri = new URI(value);
      if (uri.getScheme() == null || uri.getHost() == null) {
        throw new URISyntaxException(value, "needs a scheme and a host");
      }
      return uri;
    } catch (URISyntaxException e) {
      throw new ConfigException(
          name + "='" + value + "' is not a URL; use e.g. http://127.0.0.1:9324", e);
    }
  }
}
