package dev.surge.aws;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.client.builder.AwsClientBuilder;
import software.amazon.awssdk.awscore.client.builder.AwsSyncClientBuilder;
import software.amazon.awssdk.core.client.config.ClientOverrideConfiguration;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.http.apache5.Apache5HttpClient;
import software.amazon.awssdk.regions.Region;

/**
 * Configures SDK client builders for an {@link AwsTarget}: region, endpoint override, credentials,
 * a pooled HTTP client sized for the caller's concurrency (its TLS made on the first {@code https}
 * connection: {@code DeferredTls}), and interceptors (request counting).
 */
public final class AwsClients {
  private final AwsTarget target;
  private final int maxConnections;
  private final List<ExecutionInterceptor> interceptors;

  /**
   * Clients for {@code target} with up to {@code maxConnections} pooled connections each.
   *
   * @param interceptors added to every client, in order
   */
  public AwsClients(AwsTarget target, int maxConnections, List<ExecutionInterceptor> interceptors) {
    this.target = Objects.requireNonNull(target, "target");
    if (maxConnections < 1) {
      throw new IllegalArgumentException("maxConnections must be >= 1");
    }
    this.maxConnections = maxConnections;
    this.interceptors = List.copyOf(interceptors);
  }

  /** The target these clients reach. */
  public AwsTarget target() {
    return target;
  }

  /**
   * Configures {@code builder} for service {@code service} (the endpoint variable's suffix, e.g.
   * {@code SQS}) and builds the client.
   */
  public <B extends AwsClientBuilder<B, C> & AwsSyncClientBuilder<B, C>, C> C build(
      B builder, String service) {
    if (!target.region().isEmpty()) {
      builder.region(Region.of(target.region()));
    }
    target.endpoint(service).ifPresent(builder::endpointOverride);
    if (target.dummyCredentials()) {
      builder.credentialsProvider(
          StaticCredentialsProvider.create(
              AwsBasicCredentials.create(AwsTarget.DUMMY_KEY, AwsTarget.DUMMY_KEY)));
    }
    ClientOverrideConfiguration.Builder override = ClientOverrideConfiguration.builder();
    interceptors.forEach(override::addExecutionInterceptor);
    builder.overrideConfiguration(override.build());
    builder.httpClientBuilder(
        Apache5HttpClient.builder()
            .maxConnections(maxConnections)
            // Long polls hold a connection up to 20 s; the read timeout must exceed that.
            .socketTimeout(Duration.ofSeconds(35))
            .connectionTimeout(Duration.ofSeconds(5))
            // TLS when an https connection first needs it, not with every client.
            .tlsSocketStrategy(new DeferredTls()));
    return builder.build();
  }

  /** The endpoint the clients of {@code service} use, or empty for the SDK's default. */
  public java.util.Optional<URI> endpoint(String service) {
    return target.endpoint(service);
  }
}
