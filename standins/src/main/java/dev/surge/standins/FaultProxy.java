package dev.surge.standins;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.net.URI;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A TCP forwarder on 127.0.0.1 in front of an endpoint, which can be taken down and brought back:
 * while down, open connections are reset and new ones are accepted and reset at once, as a network
 * partition or a restarting service looks to a client; while stalled, connections are accepted and
 * what is sent is read and dropped with no answer, as a hung server looks. Used to make SQS or
 * DynamoDB unreachable for a while without touching the server behind it.
 */
public final class FaultProxy implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(FaultProxy.class);

  private final InetSocketAddress target;
  private final ServerSocket server;
  private final Thread acceptor;
  private final Set<Socket> open = ConcurrentHashMap.newKeySet();
  private final AtomicLong refused = new AtomicLong();
  private volatile Mode mode = Mode.UP;
  private volatile boolean closed;

  private FaultProxy(InetSocketAddress target) throws IOException {
    this.target = target;
    // It forwards bytes without reading them, so it cannot refuse a web page's request: it
    // listens where no browser connects.
    this.server =
        BrowserBlockedPorts.listen(InetAddress.getLoopbackAddress().getHostAddress(), 200);
    this.acceptor = new Thread(this::accept, "fault-proxy-" + server.getLocalPort());
    acceptor.setDaemon(true);
    acceptor.start();
  }

  /** A proxy in front of {@code endpoint} (an http URL with host and port). */
  public static FaultProxy in(URI endpoint) {
    Objects.requireNonNull(endpoint, "endpoint");
    int port = endpoint.getPort() >= 0 ? endpoint.getPort() : 80;
    try {
      return new FaultProxy(new InetSocketAddress(endpoint.getHost(), port));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot listen for a proxy to " + endpoint, e);
    }
  }

  /** The proxy's own endpoint: {@code http://127.0.0.1:<port>}. */
  public URI endpoint() {
    return URI.create("http://127.0.0.1:" + server.getLocalPort());
  }

  /** Resets every open connection and every new one until {@link #up()}. */
  public void down() {
    mode = Mode.DOWN;
    resetAll();
    log.info("proxy {} -> {} down", server.getLocalPort(), target);
  }

  /** Answers nothing until {@link #up()}: requests are read and dropped, connections kept open. */
  public void stall() {
    mode = Mode.STALLED;
    log.info("proxy {} -> {} stalled", server.getLocalPort(), target);
  }

  /** Forwards again; connections that lost data while stalled are reset. */
  public void up() {
    Mode was = mode;
    mode = Mode.UP;
    if (was == Mode.STALLED) {
      resetAll();
    }
    log.info("proxy {} -> {} up", server.getLocalPort(), target);
  }

  /** Whether the proxy is down or stalled. */
  public boolean isDown() {
    return mode != Mode.UP;
  }

  private void resetAll() {
    for (Socket s : open) {
      reset(s);
    }
  }

  /** Connections reset because the proxy was down. */
  public long refused() {
    return refused.get();
  }

  private void accept() {
    while (!closed) {
      Socket client;
      try {
        client = server.accept();
      } catch (IOException e) {
        if (!closed) {
          log.warn("proxy accept failed: {}", e.toString());
        }
        return;
      }
      if (mode == Mode.DOWN) {
        refused.incrementAndGet();
        reset(client);
        continue;
      }
      if (mode == Mode.STALLED) {
        open.add(client);
        pump(client, null);
        continue;
      }
      Socket upstream = new Socket();
      try {
        upstream.connect(target, 5_000);
      } catch (IOException e) {
        reset(client);
        closeQuietly(upstream);
        continue;
      }
      open.add(client);
      open.add(upstream);
      pump(client, upstream);
      pump(upstream, client);
    }
  }

  private void pump(Socket from, Socket to) {
    Thread t =
        new Thread(
            () -> {
              byte[] buf = new byte[16 * 1024];
              try (InputStream in = from.getInputStream();
                  OutputStream out =
                      to == null ? OutputStream.nullOutputStream() : to.getOutputStream()) {
                int n;
                while ((n = in.read(buf)) >= 0) {
                  if (mode == Mode.DOWN) {
                    break;
                  }
                  if (to != null && mode == Mode.UP) {
                    out.write(buf, 0, n);
                    out.flush();
                  }
                }
              } catch (IOException e) {
                // the other side went away, or down() reset it
              } finally {
                open.remove(from);
                if (to != null) {
                  open.remove(to);
                }
                if (mode == Mode.UP) {
                  closeQuietly(from);
                  if (to != null) {
                    closeQuietly(to);
                  }
                } else {
                  reset(from);
                  if (to != null) {
                    reset(to);
                  }
                }
              }
            },
            "fault-proxy-pump");
    t.setDaemon(true);
    t.start();
  }

  private enum Mode {
    UP,
    DOWN,
    STALLED
  }

  /** Closes with a TCP reset (SO_LINGER 0), as a dropped connection looks to a client. */
  private static void reset(Socket s) {
    try {
      s.setSoLinger(true, 0);
    } catch (SocketException e) {
      // already closed
    }
    closeQuietly(s);
  }

  private static void closeQuietly(Socket s) {
    try {
      s.close();
    } catch (IOException e) {
      // nothing to do
    }
  }

  /** Stops listening and resets every connection. */
  @Override
  public void close() {
    closed = true;
    try {
      server.close();
    } catch (IOException e) {
      // nothing to do
    }
    for (Socket s : open) {
      reset(s);
    }
    try {
      acceptor.join(2_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
