package dev.surge.worker;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.w3c.dom.NodeList;

/**
 * The worker image's Jib configuration, checked offline. The image itself is built, pushed to a
 * real registry and read back by the CLI's {@code AwsTargetIT}.
 */
class JibImageConfigTest {
  private static Element jib;
  private static Element profileJib;

  @BeforeAll
  static void read() throws Exception {
    Document pom =
        DocumentBuilderFactory.newInstance()
            .newDocumentBuilder()
            .parse(Path.of("pom.xml").toFile());
    NodeList plugins = pom.getElementsByTagName("plugin");
    for (int i = 0; i < plugins.getLength(); i++) {
      Element p = (Element) plugins.item(i);
      if (!text(p, "artifactId").equals("jib-maven-plugin")) {
        continue;
      }
      if (p.getParentNode().getParentNode().getParentNode().getNodeName().equals("profile")) {
        profileJib = p;
      } else {
        jib = p;
      }
    }
    assertThat(jib).as("jib-maven-plugin in worker/pom.xml").isNotNull();
    assertThat(profileJib).as("jib-maven-plugin in profile worker-image").isNotNull();
  }

  private static String text(Element e, String tag) {
    NodeList l = e.getElementsByTagName(tag);
    return l.getLength() == 0 ? "" : l.item(0).getTextContent().trim();
  }

  private static List<String> texts(Element e, String tag) {
    List<String> out = new ArrayList<>();
    NodeList l = e.getElementsByTagName(tag);
    for (int i = 0; i < l.getLength(); i++) {
      out.add(l.item(i).getTextContent().trim());
    }
    return out;
  }

  @Test
  void theEntryPointIsTheWorkerMain() {
    assertThat(text(jib, "mainClass")).isEqualTo(WorkerMain.class.getName());
  }

  @Test
  void theBaseIsAMaintainedJava21Runtime() {
    Element from = (Element) jib.getElementsByTagName("from").item(0);
    assertThat(text(from, "image")).startsWith("eclipse-temurin:21-jre");
    assertThat(texts(from, "architecture")).containsExactly("amd64");
  }

  @Test
  void containersLogJsonLines() {
    Node env = jib.getElementsByTagName("environment").item(0);
    assertThat(((Element) env).getElementsByTagName(WorkerMain.LOG_FORMAT).item(0).getTextContent())
        .isEqualTo("json");
  }

  @Test
  void theImageRunsTheWorkerWithTheLaunchersJvmOptions() {
    // The local launcher and surge bench use WorkerJvm.OPTIONS: what is measured is what deploys.
    assertThat(texts(jib, "jvmFlag")).containsExactlyElementsOf(WorkerJvm.OPTIONS);
  }

  @Test
  void theImageDoesNotRunAsRoot() {
    assertThat(text(jib, "user")).isNotEmpty().isNotEqualTo("0").isNotEqualTo("root");
  }

  @Test
  void buildingTheProjectNeverRunsJib() {
    assertThat(jib.getElementsByTagName("executions").getLength()).isZero();
  }

  @Test
  void profileWorkerImageRunsJibBuildInThePackagePhase() {
    // `surge deploy` and `surge image` run `mvn -pl worker -am package -Pworker-image`: a goal
    // given
    // on the command line would be looked up in every module of that reactor.
    Element profile = (Element) profileJib.getParentNode().getParentNode().getParentNode();
    assertThat(text(profile, "id")).isEqualTo("worker-image");
    assertThat(text(profileJib, "phase")).isEqualTo("package");
    assertThat(texts(profileJib, "goal")).containsExactly("build");
  }
}
