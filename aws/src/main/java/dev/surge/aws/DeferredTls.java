package dev.surge.aws;

import java.io.IOException;
import java.net.Socket;
import java.security.GeneralSecurityException;
import java.util.Objects;
import java.util.function.Supplier;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import org.apache.hc.client5.http.ssl.DefaultHostnameVerifier;
import org.apache.hc.client5.http.ssl.TlsSocketStrategy;
import org.apache.hc.core5.http.protocol.HttpContext;
import software.amazon.awssdk.http.SystemPropertyTlsKeyManagersProvider;
import software.amazon.awssdk.http.apache5.internal.conn.SdkTlsSocketFactory;

/**
 * The SDK Apache client's TLS, made on the first {@code https} connection instead of with the
 * client. Given no strategy, {@code Apache5HttpClient} builds this one as it is built: an {@code
 * SSLContext} (the JSSE provider, the JDK's trust store, the key managers of the {@code
 * javax.net.ssl.keyStore} properties) and its socket factory with the default hostname verifier.
 * That is about 0.2 CPU seconds of every JVM that builds a client (measured with the worker's
 * class-data archive), which a worker, {@code surge} or a test talking to the local cloud's {@code
 * http} endpoints pays for nothing. Against AWS the first connection pays it instead, with the same
 * verification. Thread-safe.
 */
final class DeferredTls implements TlsSocketStrategy {
  private final Supplier<TlsSocketStrategy> make;
  private volatile TlsSocketStrategy made;

  /** The SDK's own TLS, made on first use. */
  DeferredTls() {
    this(DeferredTls::sdkDefault);
  }

  DeferredTls(Supplier<TlsSocketStrategy> make) {
    this.make = Objects.requireNonNull(make, "make");
  }

  @Override
  public SSLSocket upgrade(
      Socket socket, String target, int port, Object attachment, HttpContext context)
      throws IOException {
    return strategy().upgrade(socket, target, port, attachment, context);
  }

  /** Whether a connection has needed TLS yet. */
  boolean made() {
    return made != null;
  }

  private TlsSocketStrategy strategy() {
    TlsSocketStrategy s = made;
    if (s == null) {
      synchronized (this) {
        s = made;
        if (s == null) {
          s = Objects.requireNonNull(make.get(), "made strategy");
          made = s;
        }
      }
    }
    return s;
  }

  /**
   * What {@code Apache5HttpClient} makes when it is given neither a strategy nor trust or key
   * managers: its own socket factory over {@code SSLContext.getInstance("TLS")} with the system
   * property key managers and the default trust managers, verifying host names.
   */
  static TlsSocketStrategy sdkDefault() {
    try {
      SSLContext context = SSLContext.getInstance("TLS");
      context.init(SystemPropertyTlsKeyManagersProvider.create().keyManagers(), null, null);
      return new SdkTlsSocketFactory(context, new DefaultHostnameVerifier());
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("cannot set up TLS: " + e.getMessage(), e);
    }
  }
}
