package dev.surge.aws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.SSLPeerUnverifiedException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * The TLS {@link AwsClients} defers is the SDK's own: against a real TLS server (the JDK's, with a
 * certificate for {@code localhost} made by {@code keytool}) an untrusted certificate and a host
 * the certificate does not name are both refused, and a trusted one answers. Plain {@code http}
 * never makes it.
 */
class DeferredTlsTest {
  @TempDir static Path dir;
  private static HttpsServer server;
  private static Path trustStore;
  private static final AtomicInteger requests = new AtomicInteger();

  @BeforeAll
  static void startServer() throws Exception {
    Path keys = dir.resolve("server.p12");
    Process keytool =
        new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "keytool").toString(),
                "-genkeypair",
                "-alias",
                "server",
                "-keyalg",
                "EC",
                "-dname",
                "CN=localhost",
                "-ext",
                "SAN=dns:localhost",
                "-validity",
                "2",
                "-storetype",
                "PKCS12",
                "-keystore",
                keys.toString(),
                "-storepass",
                "changeit")
            .redirectErrorStream(true)
            .start();
    String out = new String(keytool.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(keytool.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(keytool.exitValue()).as(out).isZero();
    char[] pass = "changeit".toCharArray();
    KeyStore serverKeys = KeyStore.getInstance("PKCS12");
    try (InputStream in = Files.newInputStream(keys)) {
      serverKeys.load(in, pass);
    }
    KeyStore trusted = KeyStore.getInstance("PKCS12");
    trusted.load(null, null);
    trusted.setCertificateEntry("server", serverKeys.getCertificate("server"));
    trustStore = dir.resolve("trust.p12");
    try (OutputStream o = Files.newOutputStream(trustStore)) {
      trusted.store(o, pass);
    }

    KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
    kmf.init(serverKeys, pass);
    SSLContext context = SSLContext.getInstance("TLS");
    context.init(kmf.getKeyManagers(), null, null);
    server = HttpsServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.setHttpsConfigurator(new HttpsConfigurator(context));
    server.createContext(
        "/",
        exchange -> {
          requests.incrementAndGet();
          exchange.getRequestBody().readAllBytes();
          byte[] body = "{\"QueueUrls\":[]}".getBytes(StandardCharsets.UTF_8);
          exchange.getResponseHeaders().add("Content-Type", "application/x-amz-json-1.0");
          exchange.sendResponseHeaders(200, body.length);
          exchange.getResponseBody().write(body);
          exchange.close();
        });
    server.start();
  }

  @AfterAll
  static void stopServer() {
    server.stop(0);
  }

  private static SqsClient client(String host) {
    URI endpoint = URI.create("https://" + host + ":" + server.getAddress().getPort());
    return new AwsClients(AwsTarget.local(endpoint, endpoint), 1, List.of())
        .build(SqsClient.builder(), "SQS");
  }

  /** One call in a JVM whose default trust store is {@code store} (read when TLS is made). */
  private static void callTrusting(Path store, String host) {
    String before = System.getProperty("javax.net.ssl.trustStore");
    System.setProperty("javax.net.ssl.trustStore", store.toString());
    System.setProperty("javax.net.ssl.trustStorePassword", "changeit");
    try (SqsClient sqs = client(host)) {
      sqs.listQueues();
    } finally {
      if (before == null) {
        System.clearProperty("javax.net.ssl.trustStore");
      } else {
        System.setProperty("javax.net.ssl.trustStore", before);
      }
      System.clearProperty("javax.net.ssl.trustStorePassword");
    }
  }

  @Test
  void aCertificateTheJdkDoesNotTrustIsRefused() {
    int before = requests.get();
    try (SqsClient sqs = client("localhost")) {
      assertThatThrownBy(sqs::listQueues)
          .isInstanceOf(SdkClientException.class)
          .hasRootCauseInstanceOf(java.security.cert.CertPathBuilderException.class)
          .hasCauseInstanceOf(SSLHandshakeException.class);
    }
    assertThat(requests.get()).isEqualTo(before);
  }

  @Test
  void aTrustedCertificateForAnotherHostIsRefusedAndForItsOwnAnswers() {
    int before = requests.get();
    assertThatThrownBy(() -> callTrusting(trustStore, "127.0.0.1"))
        .isInstanceOf(SdkClientException.class)
        .hasCauseInstanceOf(SSLPeerUnverifiedException.class);
    assertThat(requests.get()).isEqualTo(before);

    callTrusting(trustStore, "localhost");
    assertThat(requests.get()).isEqualTo(before + 1);
  }

  @Test
  void tlsIsMadeOnTheFirstConnectionThatNeedsItAndOnce() throws IOException {
    AtomicInteger made = new AtomicInteger();
    DeferredTls tls =
        new DeferredTls(
            () -> {
              made.incrementAndGet();
              return DeferredTls.sdkDefault();
            });
    assertThat(tls.made()).isFalse();
    assertThat(made).hasValue(0);
    for (int i = 0; i < 2; i++) {
      try (java.net.Socket socket =
          new java.net.Socket(InetAddress.getLoopbackAddress(), server.getAddress().getPort())) {
        tls.upgrade(socket, "localhost", server.getAddress().getPort(), null, null).close();
      } catch (SSLHandshakeException untrusted) {
        // the JDK's trust store does not hold the test's certificate
      }
    }
    assertThat(tls.made()).isTrue();
    assertThat(made).hasValue(1);
  }
}
