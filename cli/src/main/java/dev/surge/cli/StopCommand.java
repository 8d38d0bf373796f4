package dev.surge.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Spec;

/** {@code surge stop}: stops the detached {@code surge up}. */
@Command(
    name = "stop",
    mixinStandardHelpOptions = true,
    description = {
      "Stop the local cloud started with 'surge up --detach', as Ctrl-C stops an attached one:"
          + " the reconciler, then the tasks, then the stand-ins."
    })
final class StopCommand implements Callable<Integer> {
  @Spec picocli.CommandLine.Model.CommandSpec spec;

  StopCommand(Map<String, String> env) {
    // nothing to configure
  }

  @Override
  public Integer call() throws IOException, InterruptedException {
    ProcessHandle up = Detached.require();
    up.destroy(); // SIGTERM: the same ordered stop as Ctrl-C
    boolean stopped = up.onExit().completeOnTimeout(null, 90, TimeUnit.SECONDS).join() != null;
    if (!stopped) {
      spec.commandLine()
          .getErr()
          .printf("surge: the local cloud (pid %d) did not stop within 90 s%n", up.pid());
      return 1;
    }
    Files.deleteIfExists(Detached.pidFile());
    spec.commandLine().getOut().printf("stopped the local cloud (pid %d)%n", up.pid());
    return 0;
  }
}
