package dev.surge.dashboard;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** The server serves only the scripts it lists: the list must be the page's whole script. */
class StaticAssetsTest {
  private static final Pattern IMPORT = Pattern.compile("from '\\./([a-z-]+\\.js)'");

  private static Path web() throws URISyntaxException {
    return Path.of(StaticAssets.class.getResource("/dev/surge/dashboard/web/index.html").toURI())
        .getParent();
  }

  @Test
  void everyScriptOfThePageIsListedAndNothingElse() throws Exception {
    List<String> files;
    try (Stream<Path> listing = Files.list(web())) {
      files = listing.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".js")).toList();
    }
    assertThat(StaticAssets.SCRIPTS).containsExactlyInAnyOrderElementsOf(files);
  }

  @Test
  void everyImportIsAListedScript() throws Exception {
    List<String> imported = new ArrayList<>();
    for (String script : StaticAssets.SCRIPTS) {
      Matcher m = IMPORT.matcher(read(script));
      while (m.find()) {
        imported.add(m.group(1));
      }
    }
    assertThat(imported).isNotEmpty();
    assertThat(StaticAssets.SCRIPTS).containsAll(imported);
    // app.js is the entry; every other script is imported by some script.
    assertThat(imported).containsAll(StaticAssets.SCRIPTS.subList(1, StaticAssets.SCRIPTS.size()));
    assertThat(read("index.html")).contains("<script type=\"module\" src=\"app.js\"></script>");
  }

  private static String read(String name) throws IOException, URISyntaxException {
    return Files.readString(web().resolve(name), StandardCharsets.UTF_8);
  }
}
