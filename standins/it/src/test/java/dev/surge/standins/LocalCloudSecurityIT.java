package dev.surge.standins;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import dev.surge.aws.AwsClients;
import dev.surge.aws.AwsTarget;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeDefinition;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.KeySchemaElement;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

/**
 * What a web page could send to the local cloud's SQS and DynamoDB endpoints, on the wire: a
 * cross-site request (with {@code Origin} or {@code Sec-Fetch-Site}), a request to a rebound DNS
 * name (a {@code Host} that is not loopback), a request line naming another server (absolute URL or
 * {@code //host} path) and a CORS preflight. Each is refused and changes nothing; what an SDK sends
 * still works. The same on the one AWS endpoint, whose requests for the chain's other services are
 * refused before those services see them.
 */
@ExtendWith(StandInsExtension.class)
class LocalCloudSecurityIT {
  private static StandIns standIns;
  private static SqsClient sqs;
  private static DynamoDbClient dynamodb;
  private static String queue;
  private static HttpServer other;
  private static final AtomicInteger otherHits = new AtomicInteger();

  @BeforeAll
  static void start(StandIns s) throws Exception {
    standIns = s;
    AwsClients clients =
        new AwsClients(AwsTarget.local(s.sqsEndpoint(), s.dynamoDbEndpoint()), 2, List.of());
    sqs = clients.build(SqsClient.builder(), "SQS");
    dynamodb = clients.build(DynamoDbClient.builder(), "DynamoDB");
    queue = sqs.createQueue(b -> b.queueName("security-it")).queueUrl();
    dynamodb.createTable(
        b ->
            b.tableName("security-it")
                .billingMode(BillingMode.PAY_PER_REQUEST)
                .attributeDefinitions(
                    AttributeDefinition.builder()
                        .attributeName("k")
                        .attributeType(ScalarAttributeType.S)
                        .build())
                .keySchema(
                    KeySchemaElement.builder().attributeName("k").keyType(KeyType.HASH).build()));
    dynamodb.waiter().waitUntilTableExists(b -> b.tableName("security-it"));
    // Another server on this machine, which no request to the local cloud may reach.
    other = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 10);
    other.createContext(
        "/",
        x -> {
          otherHits.incrementAndGet();
          byte[] b = "{\"secret\":true}".getBytes(StandardCharsets.UTF_8);
          x.sendResponseHeaders(200, b.length);
          try (OutputStream o = x.getResponseBody()) {
            o.write(b);
          }
        });
    other.start();
  }

  @AfterAll
  static void stop() {
    other.stop(0);
    sqs.close();
    dynamodb.close();
  }

  private static int visible() {
    return visible(queue);
  }

  private static int visible(String url) {
    return Integer.parseInt(
        sqs.getQueueAttributes(
                b ->
                    b.queueUrl(url)
                        .attributeNames(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES))
            .attributes()
            .get(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES));
  }

  private static int items() {
    return dynamodb.scan(b -> b.tableName("security-it")).count();
  }

  /**
   * One raw HTTP/1.1 request, exactly as written (a browser's, or an attacker's), and its answer.
   */
  private static String raw(URI endpoint, String method, String target, String headers, String body)
      throws Exception {
    try (Socket s = new Socket(endpoint.getHost(), endpoint.getPort())) {
      s.setSoTimeout(10_000);
      byte[] b = body.getBytes(StandardCharsets.UTF_8);
      String head =
          method
              + " "
              + target
              + " HTTP/1.1\r\n"
              + headers
              + "Content-Length: "
              + b.length
              + "\r\nConnection: close\r\n\r\n";
      OutputStream out = s.getOutputStream();
      out.write(head.getBytes(StandardCharsets.UTF_8));
      out.write(b);
      out.flush();
      InputStream in = s.getInputStream();
      ByteArrayOutputStream all = new ByteArrayOutputStream();
      in.transferTo(all);
      return all.toString(StandardCharsets.UTF_8);
    }
  }

  private static String host(URI endpoint) {
    return "Host: 127.0.0.1:" + endpoint.getPort() + "\r\n";
  }

  private static String sendMessage() {
    return "{\"QueueUrl\":\"" + queue + "\",\"MessageBody\":\"injected\"}";
  }

  private static final String SQS_JSON =
      "Content-Type: application/x-amz-json-1.0\r\nX-Amz-Target: AmazonSQS.SendMessage\r\n";
  private static final String PUT_ITEM =
      "Content-Type: application/x-amz-json-1.0\r\nX-Amz-Target: DynamoDB_20120810.PutItem\r\n"
          + "Authorization: AWS4-HMAC-SHA256 Credential=x/20260101/us-east-1/dynamodb/aws4_request,"
          + " SignedHeaders=host, Signature=00\r\nX-Amz-Date: 20260101T000000Z\r\n";
  private static final String PUT_BODY =
      "{\"TableName\":\"security-it\",\"Item\":{\"k\":{\"S\":\"injected\"}}}";

  private static int status(String answer) {
    return Integer.parseInt(answer.substring(9, 12));
  }

  @Test
  void elasticMqsOwnPortIsOneNoBrowserConnectsTo() {
    // Besides refusing what the endpoint refuses (below), it is a port no browser connects to:
    // LocalCloudBrowserSecurityIT shows a page cannot reach it at all.
    assertThat(BrowserBlockedPorts.blocked(standIns.sqsDirectEndpoint().getPort())).isTrue();
    assertThat(BrowserBlockedPorts.blocked(standIns.sqsEndpoint().getPort())).isFalse();
  }

  @Test
  void bothSqsPortsRefuseWebPagesAndRebindingAndChangeNothing() throws Exception {
    // The endpoint clients are given, ElasticMQ's own port behind it, and the chaos harness's
    // fault proxy, which forwards raw bytes to ElasticMQ's port.
    try (FaultProxy proxy = FaultProxy.in(standIns.sqsDirectEndpoint())) {
      for (URI sqsAt :
          List.of(standIns.sqsEndpoint(), standIns.sqsDirectEndpoint(), proxy.endpoint())) {
        refusesWebPagesAndRebindingAndChangesNothing(sqsAt);
      }
    }
  }

  private static void refusesWebPagesAndRebindingAndChangesNothing(URI sqsAt) throws Exception {
    int before = visible();
    for (String extra :
        List.of(
            "Origin: http://evil.example\r\n",
            "Origin: null\r\n",
            "Sec-Fetch-Site: cross-site\r\n",
            "Sec-Fetch-Site: same-site\r\n")) {
      String a = raw(sqsAt, "POST", "/", host(sqsAt) + extra + SQS_JSON, sendMessage());
      assertThat(status(a)).as(sqsAt + " " + extra).isEqualTo(403);
      assertThat(a.toLowerCase(Locale.ROOT)).doesNotContain("access-control-allow");
    }
    String rebound =
        raw(
            sqsAt,
            "POST",
            "/",
            "Host: rebind.attacker.example:" + sqsAt.getPort() + "\r\n" + SQS_JSON,
            sendMessage());
    assertThat(status(rebound)).as(sqsAt + " rebound").isEqualTo(403);
    // A form post, as a page can send without a preflight (the query protocol).
    String form =
        raw(
            sqsAt,
            "POST",
            "/",
            host(sqsAt)
                + "Origin: http://evil.example\r\n"
                + "Content-Type: application/x-www-form-urlencoded\r\n",
            "Action=SendMessage&QueueUrl=" + queue + "&MessageBody=injected");
    assertThat(status(form)).as(sqsAt + " form").isEqualTo(403);
    assertThat(visible()).as(sqsAt.toString()).isEqualTo(before);
    // What an SDK sends still works.
    String ok = raw(sqsAt, "POST", "/", host(sqsAt) + SQS_JSON, sendMessage());
    assertThat(status(ok)).as(sqsAt.toString()).isEqualTo(200);
    assertThat(visible()).isEqualTo(before + 1);
    sqs.purgeQueue(b -> b.queueUrl(queue));
  }

  @Test
  void noEndpointPassesARequestToAnotherServer() throws Exception {
    int port = other.getAddress().getPort();
    for (URI at :
        List.of(
            standIns.sqsEndpoint(), standIns.sqsDirectEndpoint(), standIns.dynamoDbEndpoint())) {
      String doubleSlash =
          raw(at, "GET", "//127.0.0.1:" + port + "/VIA-DOUBLE-SLASH", host(at), "");
      String absolute = raw(at, "GET", "http://127.0.0.1:" + port + "/api/snapshot", host(at), "");
      assertThat(doubleSlash).as(at.toString()).doesNotContain("secret");
      assertThat(absolute).as(at.toString()).doesNotContain("secret");
      assertThat(status(doubleSlash)).as(at + " //host").isGreaterThanOrEqualTo(400);
      assertThat(status(absolute)).as(at + " absolute").isGreaterThanOrEqualTo(400);
    }
    assertThat(otherHits.get()).isZero();
  }

  @Test
  void theDynamoDbEndpointRefusesWebPagesGrantsNoCorsAndChangesNothing() throws Exception {
    URI ddb = standIns.dynamoDbEndpoint();
    String preflight =
        raw(
            ddb,
            "OPTIONS",
            "/",
            host(ddb)
                + "Origin: http://evil.example\r\nAccess-Control-Request-Method: POST\r\n"
                + "Access-Control-Request-Headers: x-amz-target,content-type\r\n",
            "");
    assertThat(status(preflight)).isEqualTo(403);
    assertThat(preflight.toLowerCase(Locale.ROOT)).doesNotContain("access-control-allow");
    String scan =
        raw(
            ddb,
            "POST",
            "/",
            host(ddb) + "Origin: http://evil.example\r\n" + PUT_ITEM.replace("PutItem", "Scan"),
            "{\"TableName\":\"security-it\"}");
    assertThat(status(scan)).isEqualTo(403);
    assertThat(scan).doesNotContain("Count");
    for (String extra :
        List.of(
            "Origin: http://evil.example\r\n" + host(ddb),
            "Sec-Fetch-Site: same-site\r\n" + host(ddb),
            "Host: rebind.attacker.example:" + ddb.getPort() + "\r\n")) {
      assertThat(status(raw(ddb, "POST", "/", extra + PUT_ITEM, PUT_BODY)))
          .as(extra)
          .isEqualTo(403);
    }
    assertThat(items()).isZero();
    // What an SDK sends still works, and grants no CORS either.
    String ok = raw(ddb, "POST", "/", host(ddb) + PUT_ITEM, PUT_BODY);
    assertThat(status(ok)).isEqualTo(200);
    assertThat(ok.toLowerCase(Locale.ROOT)).doesNotContain("access-control-allow");
    assertThat(items()).isEqualTo(1);
  }

  @Test
  void theOneAwsEndpointRefusesWebPagesAndRebindingBeforeAnyServiceSeesThem() throws Exception {
    String awsQueue = sqs.createQueue(b -> b.queueName("security-it-aws")).queueUrl();
    int itemsBefore = items();
    AtomicInteger served = new AtomicInteger();
    AwsEndpoint.Services services =
        (exchange, body) -> {
          served.incrementAndGet();
          try (exchange) {
            exchange.sendResponseHeaders(200, -1);
          }
        };
    try (AwsEndpoint endpoint = AwsEndpoint.bind(StandIns.LOOPBACK, 0).start(standIns, services)) {
      URI at = endpoint.endpoint();
      String send = "{\"QueueUrl\":\"" + awsQueue + "\",\"MessageBody\":\"injected\"}";
      String cloudWatch =
          "Content-Type: application/x-amz-json-1.0\r\n"
              + "X-Amz-Target: GraniteServiceVersion20100801.SetAlarmState\r\n";
      for (String page :
          List.of(
              "Origin: http://evil.example\r\n" + host(at),
              "Origin: null\r\n" + host(at),
              "Sec-Fetch-Site: cross-site\r\n" + host(at),
              "Sec-Fetch-Site: same-site\r\n" + host(at),
              "Host: rebind.attacker.example:" + at.getPort() + "\r\n")) {
        String sent = raw(at, "POST", "/", page + SQS_JSON, send);
        assertThat(status(sent)).as("SQS " + page).isEqualTo(403);
        assertThat(sent.toLowerCase(Locale.ROOT)).doesNotContain("access-control-allow");
        assertThat(status(raw(at, "POST", "/", page + PUT_ITEM, PUT_BODY)))
            .as("DynamoDB " + page)
            .isEqualTo(403);
        assertThat(status(raw(at, "POST", "/", page + cloudWatch, "{}")))
            .as("CloudWatch " + page)
            .isEqualTo(403);
        assertThat(status(raw(at, "GET", "/2015-03-31/functions", page, "")))
            .as("Lambda " + page)
            .isEqualTo(403);
        // A form post, as a page can send without a preflight (SNS's query protocol).
        String form =
            raw(
                at,
                "POST",
                "/",
                page + "Content-Type: application/x-www-form-urlencoded\r\n",
                "Action=Publish&TopicArn=arn:aws:sns:us-east-1:000000000000:t&Message=injected");
        assertThat(status(form)).as("SNS " + page).isEqualTo(403);
        // The writes a page could try without a preflight: an invocation sent as text/plain, and
        // CloudWatch's SetAlarmState as a form post (its query protocol).
        String invoke =
            raw(
                at,
                "POST",
                "/2015-03-31/functions/fasttrack-saa/invocations",
                page + "Content-Type: text/plain\r\nX-Amz-Invocation-Type: Event\r\n",
                "{}");
        assertThat(status(invoke)).as("Lambda Invoke " + page).isEqualTo(403);
        String setState =
            raw(
                at,
                "POST",
                "/",
                page + "Content-Type: application/x-www-form-urlencoded\r\n",
                "Action=SetAlarmState&Version=2010-08-01&AlarmName=a&StateValue=ALARM"
                    + "&StateReason=injected");
        assertThat(status(setState)).as("CloudWatch form " + page).isEqualTo(403);
        // ECS's writes: a task definition whose program would run, a task, a stop.
        for (String[] call :
            new String[][] {
              {
                "RegisterTaskDefinition",
                "{\"family\":\"injected\",\"containerDefinitions\":[{\"name\":\"c\","
                    + "\"image\":\"i\",\"entryPoint\":[\"sh\",\"-c\",\"touch /tmp/x\"]}]}"
              },
              {"RunTask", "{\"cluster\":\"c\",\"taskDefinition\":\"injected\",\"count\":10}"},
              {"StopTask", "{\"cluster\":\"c\",\"task\":\"task-0001\"}"}
            }) {
          String ecs =
              raw(
                  at,
                  "POST",
                  "/",
                  page
                      + "Content-Type: application/x-amz-json-1.1\r\n"
                      + "X-Amz-Target: AmazonEC2ContainerServiceV20141113."
                      + call[0]
                      + "\r\n",
                  call[1]);
          assertThat(status(ecs)).as("ECS " + call[0] + " " + page).isEqualTo(403);
          assertThat(ecs.toLowerCase(Locale.ROOT)).doesNotContain("access-control-allow");
        }
      }
      String preflight =
          raw(
              at,
              "OPTIONS",
              "/",
              host(at)
                  + "Origin: http://evil.example\r\nAccess-Control-Request-Method: POST\r\n"
                  + "Access-Control-Request-Headers: x-amz-target,content-type\r\n",
              "");
      assertThat(status(preflight)).isEqualTo(403);
      assertThat(preflight.toLowerCase(Locale.ROOT)).doesNotContain("access-control-allow");
      int port = other.getAddress().getPort();
      String doubleSlash =
          raw(at, "GET", "//127.0.0.1:" + port + "/VIA-DOUBLE-SLASH", host(at), "");
      String absolute = raw(at, "GET", "http://127.0.0.1:" + port + "/api/snapshot", host(at), "");
      assertThat(status(doubleSlash)).isEqualTo(403);
      assertThat(status(absolute)).isEqualTo(403);
      assertThat(doubleSlash + absolute).doesNotContain("secret");
      assertThat(otherHits.get()).isZero();
      assertThat(served.get()).as("requests that reached the chain's services").isZero();
      assertThat(visible(awsQueue)).isZero();
      assertThat(items()).isEqualTo(itemsBefore);

      // What an SDK sends still works: SQS through its boundary, DynamoDB at dynalite, the rest
      // to the chain's services.
      assertThat(status(raw(at, "POST", "/", host(at) + SQS_JSON, send))).isEqualTo(200);
      assertThat(visible(awsQueue)).isEqualTo(1);
      String scan =
          raw(
              at,
              "POST",
              "/",
              host(at) + PUT_ITEM.replace("PutItem", "Scan"),
              "{\"TableName\":\"security-it\",\"Select\":\"COUNT\"}");
      assertThat(status(scan)).isEqualTo(200);
      assertThat(scan).contains("\"Count\":" + itemsBefore);
      assertThat(status(raw(at, "POST", "/", host(at) + cloudWatch, "{}"))).isEqualTo(200);
      assertThat(served.get()).isEqualTo(1);
    } finally {
      sqs.deleteQueue(b -> b.queueUrl(awsQueue));
    }
  }

  @Test
  void noSqsPortAnswersAPreflight() throws Exception {
    for (URI sqsAt : List.of(standIns.sqsEndpoint(), standIns.sqsDirectEndpoint())) {
      String preflight =
          raw(
              sqsAt,
              "OPTIONS",
              "/",
              host(sqsAt)
                  + "Origin: http://evil.example\r\nAccess-Control-Request-Method: POST\r\n",
              "");
      assertThat(status(preflight)).as(sqsAt.toString()).isEqualTo(403);
      assertThat(preflight.toLowerCase(Locale.ROOT)).doesNotContain("access-control-allow");
    }
  }
}
