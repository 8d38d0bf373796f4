package dev.surge.standins;

/**
 * Starts dynalite, prints "PID dynalite-pid", and waits to be killed; used to prove that dynalite
 * does not outlive a JVM killed with SIGKILL.
 */
public final class DynaliteChildMain {
  private DynaliteChildMain() {}

  /** Entry point. */
  public static void main(String[] args) throws InterruptedException {
    try {
      DynaliteServer server = DynaliteServer.start("127.0.0.1", 0);
      System.out.println("PID " + server.pid());
      System.out.flush();
      Thread.sleep(Long.MAX_VALUE);
    } catch (dev.surge.core.ConfigException e) {
      System.out.println("CONFIG " + e.getMessage());
      System.exit(2);
    }
  }
}
