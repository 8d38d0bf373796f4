package dev.surge.standins.aws;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * cfn-lint, AWS's CloudFormation linter (the pinned version, see {@link PinnedPython}), run on a
 * template file; its findings read from its JSON output.
 */
public final class CfnLint {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String RUN =
      "import sys; from cfnlint.runner import main; sys.argv[0] = 'cfn-lint'; sys.exit(main())";

  private CfnLint() {}

  /**
   * One finding.
   *
   * @param level {@code Error}, {@code Warning} or {@code Informational}
   * @param rule the rule id, e.g. {@code E3002}
   * @param path where in the template, e.g. {@code Resources/Fn/DependsOn/1}
   * @param message what the rule says
   */
  public record Finding(String level, String rule, String path, String message) {
    @Override
    public String toString() {
      return level + " " + rule + " at " + path + ": " + message;
    }
  }

  /**
   * Lints {@code template} for {@code regions}.
   *
   * @throws IllegalStateException when cfn-lint cannot run or its output is not its JSON
   */
  public static List<Finding> lint(Path template, String... regions) {
    return lint(List.of(template), regions).get(template);
  }

  /**
   * Lints {@code templates} for {@code regions} in one run of cfn-lint (its start-up, loading the
   * resource specifications of every region, costs more than a template's checks), and returns each
   * template's findings.
   *
   * @throws IllegalStateException when cfn-lint cannot run or its output is not its JSON
   */
  public static Map<Path, List<Finding>> lint(List<Path> templates, String... regions) {
    List<String> cmd = new ArrayList<>(List.of(PinnedPython.interpreter().toString(), "-c", RUN));
    cmd.addAll(List.of("--format", "json"));
    if (regions.length > 0) {
      cmd.add("--regions");
      cmd.addAll(List.of(regions));
    }
    cmd.add("--");
    Map<String, Path> byName = new LinkedHashMap<>();
    Map<Path, List<Finding>> findings = new LinkedHashMap<>();
    for (Path template : templates) {
      cmd.add(template.toString());
      byName.put(template.toString(), template);
      findings.put(template, new ArrayList<>());
    }
    try {
      Path out = Files.createTempFile("cfn-lint", ".json");
      Process p =
          new ProcessBuilder(cmd)
              .redirectOutput(out.toFile())
              .redirectError(ProcessBuilder.Redirect.INHERIT)
              .start();
      p.getOutputStream().close();
      if (!p.waitFor(5, TimeUnit.MINUTES)) {
        p.destroyForcibly();
        throw new IllegalStateException("cfn-lint did not finish within 5 minutes");
      }
      String text = Files.readString(out, StandardCharsets.UTF_8);
      Files.deleteIfExists(out);
      // Exit codes are a bit mask of the levels found (2 error, 4 warning, 8 informational); 1
      // is cfn-lint failing to run.
      if (p.exitValue() == 1 || text.isBlank() && p.exitValue() != 0) {
        throw new IllegalStateException("cfn-lint failed (exit " + p.exitValue() + "): " + text);
      }
      for (JsonNode f : JSON.readTree(text.isBlank() ? "[]" : text)) {
        String file = f.path("Filename").asText();
        Path template = byName.get(file);
        if (template == null) {
          throw new IllegalStateException("cfn-lint reported on a file it was not given: " + f);
        }
        List<String> path = new ArrayList<>();
        f.path("Location").path("Path").forEach(e -> path.add(e.asText()));
        findings
            .get(template)
            .add(
                new Finding(
                    f.path("Level").asText(),
                    f.path("Rule").path("Id").asText(),
                    String.join("/", path),
                    f.path("Message").asText()));
      }
      return findings;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot run cfn-lint", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
