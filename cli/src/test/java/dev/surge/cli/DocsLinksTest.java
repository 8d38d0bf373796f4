package dev.surge.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The README is a front door: short, and linking every page under {@code docs/}; and no relative
 * link of the README or a page leads nowhere, neither to a file nor to a heading.
 */
class DocsLinksTest {
  private static final Path ROOT = DocPages.ROOT;
  private static final Pattern LINK = Pattern.compile("!?\\[[^\\]]*\\]\\(([^)\\s]+)\\)");
  private static final Pattern CODE_SPAN = Pattern.compile("`[^`]*`");

  @Test
  void theReadmeIsAtMost220Lines() throws IOException {
    assertThat(Files.readAllLines(ROOT.resolve("README.md"), StandardCharsets.UTF_8))
        .hasSizeLessThanOrEqualTo(220);
  }

  @Test
  void theReadmeLinksEveryDocsPage() throws IOException {
    Set<Path> linked = new LinkedHashSet<>();
    for (String target : links(ROOT.resolve("README.md"))) {
      linked.add(resolve(ROOT.resolve("README.md"), target));
    }
    assertThat(pages()).isNotEmpty();
    for (Path page : pages()) {
      assertThat(linked).as("the README links %s", ROOT.relativize(page)).contains(page);
    }
  }

  @Test
  void everyRelativeLinkResolvesToAFileAndAHeading() throws IOException {
    List<Path> documents = new ArrayList<>(pages());
    documents.add(ROOT.resolve("README.md"));
    documents.add(ROOT.resolve("infra/DEPLOY.md"));
    List<String> broken = new ArrayList<>();
    int checked = 0;
    for (Path doc : documents) {
      for (String target : links(doc)) {
        if (target.matches("^[a-zA-Z][a-zA-Z0-9+.-]*:.*")) {
          continue; // http:, https:, mailto: — not this test's business
        }
        checked++;
        Path file = resolve(doc, target);
        int hash = target.indexOf('#');
        String where = ROOT.relativize(doc) + ": " + target;
        if (!Files.exists(file)) {
          broken.add(where + " (no such file)");
        } else if (hash >= 0 && !anchors(file).contains(target.substring(hash + 1))) {
          broken.add(where + " (no such heading; there are " + anchors(file) + ")");
        }
      }
    }
    assertThat(checked).isGreaterThan(20);
    assertThat(broken).isEmpty();
  }

  private static List<Path> pages() throws IOException {
    try (Stream<Path> files = Files.list(ROOT.resolve("docs"))) {
      return files.filter(p -> p.toString().endsWith(".md")).sorted().toList();
    }
  }

  /** The file a link of {@code doc} points at (its own file for {@code #anchor}). */
  private static Path resolve(Path doc, String target) {
    int hash = target.indexOf('#');
    String path = hash >= 0 ? target.substring(0, hash) : target;
    return path.isEmpty() ? doc : doc.getParent().resolve(path).normalize();
  }

  /** The link targets of a Markdown file, outside fenced code blocks and code spans. */
  static List<String> links(Path doc) throws IOException {
    List<String> out = new ArrayList<>();
    boolean fenced = false;
    for (String line : Files.readAllLines(doc, StandardCharsets.UTF_8)) {
      if (line.startsWith("```")) {
        fenced = !fenced;
        continue;
      }
      if (fenced) {
        continue;
      }
      Matcher m = LINK.matcher(CODE_SPAN.matcher(line).replaceAll("code"));
      while (m.find()) {
        out.add(m.group(1));
      }
    }
    return out;
  }

  /** The anchors GitHub gives a Markdown file's headings. */
  static Set<String> anchors(Path file) throws IOException {
    Set<String> out = new LinkedHashSet<>();
    if (!file.toString().endsWith(".md")) {
      return out;
    }
    Map<String, Integer> seen = new HashMap<>();
    boolean fenced = false;
    for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
      if (line.startsWith("```")) {
        fenced = !fenced;
      }
      if (fenced || !line.matches("#{1,6} .*")) {
        continue;
      }
      String slug = slug(line.replaceFirst("^#+ ", ""));
      int n = seen.merge(slug, 1, Integer::sum);
      out.add(n == 1 ? slug : slug + "-" + (n - 1));
    }
    return out;
  }

  /** GitHub's heading anchor: lower case, punctuation dropped, spaces to hyphens. */
  static String slug(String heading) {
    return heading.toLowerCase(Locale.ROOT).replaceAll("[^\\p{L}\\p{N} _-]", "").replace(' ', '-');
  }

  @Test
  void slugsAreGitHubs() {
    assertThat(slug("What `destroy` removes, and what it does not"))
        .isEqualTo("what-destroy-removes-and-what-it-does-not");
    assertThat(slug("The worker against a raw loop and the seed's loop"))
        .isEqualTo("the-worker-against-a-raw-loop-and-the-seeds-loop");
    assertThat(slug("Faults, proven by `surge chaos`")).isEqualTo("faults-proven-by-surge-chaos");
  }
}
