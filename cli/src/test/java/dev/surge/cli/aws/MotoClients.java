package dev.surge.cli.aws;

import dev.surge.standins.aws.MotoServer;
import java.net.URI;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentials;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.client.builder.AwsClientBuilder;
import software.amazon.awssdk.awscore.client.builder.AwsSyncClientBuilder;
import software.amazon.awssdk.http.apache5.Apache5HttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.utils.SdkAutoCloseable;

/**
 * SDK clients for moto, signed with one identity: moto's static test keys, an IAM user's keys, or a
 * role's session credentials (what Lambda and ECS give a function or a task). One client per
 * service, made on first use and closed with {@link #close()}.
 */
final class MotoClients implements AutoCloseable {
  private static final Map<String, MotoClients> BY_KEY = new ConcurrentHashMap<>();

  private final URI endpoint;
  private final AwsCredentials credentials;
  private final Map<Class<?>, SdkAutoCloseable> clients = new ConcurrentHashMap<>();

  private MotoClients(URI endpoint, AwsCredentials credentials) {
    this.endpoint = endpoint;
    this.credentials = credentials;
  }

  /** Clients signed with moto's static keys (any keys pass until IAM is enforced). */
  static MotoClients anonymous(MotoServer moto) {
    return of(moto.endpoint(), AwsBasicCredentials.create("testing", "testing"));
  }

  /** The clients of {@code credentials} at {@code endpoint} (the same instance each time). */
  static MotoClients of(URI endpoint, AwsCredentials credentials) {
    return BY_KEY.computeIfAbsent(
        endpoint + "|" + credentials.accessKeyId(), k -> new MotoClients(endpoint, credentials));
  }

  /** The same endpoint, signed with {@code other}. */
  MotoClients as(AwsCredentials other) {
    return of(endpoint, other);
  }

  /** This identity's client of the service {@code builder} builds. */
  @SuppressWarnings("unchecked")
  <B extends AwsClientBuilder<B, C> & AwsSyncClientBuilder<B, C>, C extends SdkAutoCloseable>
      C build(B builder) {
    return (C)
        clients.computeIfAbsent(
            builder.getClass(),
            k ->
                builder
                    .region(Region.of(MotoServer.REGION))
                    .endpointOverride(endpoint)
                    .credentialsProvider(StaticCredentialsProvider.create(credentials))
                    .httpClientBuilder(Apache5HttpClient.builder())
                    .build());
  }

  /** The variables that give a process these credentials (and the region and endpoint). */
  Map<String, String> environment() {
    Map<String, String> env = new LinkedHashMap<>();
    env.put("AWS_ENDPOINT_URL", endpoint.toString());
    env.put("AWS_REGION", MotoServer.REGION);
    env.put("AWS_DEFAULT_REGION", MotoServer.REGION);
    env.put("AWS_ACCESS_KEY_ID", credentials.accessKeyId());
    env.put("AWS_SECRET_ACCESS_KEY", credentials.secretAccessKey());
    if (credentials instanceof AwsSessionCredentials s) {
      env.put("AWS_SESSION_TOKEN", s.sessionToken());
    }
    env.put("AWS_EC2_METADATA_DISABLED", "true");
    env.put("AWS_CONFIG_FILE", "/nonexistent/surge/aws-config");
    env.put("AWS_SHARED_CREDENTIALS_FILE", "/nonexistent/surge/aws-credentials");
    return env;
  }

  /** Closes every client of every identity. */
  static void closeAll() {
    BY_KEY.values().forEach(MotoClients::close);
    BY_KEY.clear();
  }

  @Override
  public void close() {
    clients.values().forEach(SdkAutoCloseable::close);
    clients.clear();
  }
}
