package dev.surge.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import dev.surge.aws.AwsClients;
import dev.surge.aws.AwsTarget;
import dev.surge.core.observe.EventLog;
import dev.surge.dashboard.DashboardOptions;
import dev.surge.dashboard.DashboardServer;
import dev.surge.dashboard.browser.DashboardBrowser;
import dev.surge.standins.AwsEndpoint;
import dev.surge.standins.FaultProxy;
import dev.surge.standins.StandIns;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.parallel.Isolated;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeDefinition;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.KeySchemaElement;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

/**
 * A page of another origin, opened in real Chromium, tries what a malicious site could against
 * every port of the local cloud (the SQS endpoint, ElasticMQ's own port and the chaos proxy in
 * front of it, dynalite, the dashboard, the one AWS endpoint): form posts and {@code fetch} calls
 * that would send a message, create and purge queues, put and scan items, and read the dashboard's
 * JSON. Afterwards the queue, the queue list and the table are as they were, and the page read
 * nothing.
 *
 * <p>Isolated: for a moment it listens on the free browser-blocked ports, which a local cloud
 * starting in another test class of this JVM could need. It leaves {@link #LEFT_FREE} of them free
 * for the local clouds other test JVMs of the build start meanwhile, which {@code @Isolated} does
 * not hold back: holding them all once made such a cloud fail to start.
 */
@Isolated
class LocalCloudBrowserSecurityIT {
  /** Browser-blocked ports left free while the page runs: five test classes at once, and more. */
  private static final int LEFT_FREE = 6;

  private static final String PAGE =
      """
      <!doctype html><html><body><iframe name="sink"></iframe><script>
      const sqs = '%1$s', ddb = '%2$s', dash = '%3$s', queue = '%4$s';
      const direct = '%5$s', proxy = '%6$s', blocked = [%7$s], aws = '%8$s';
      const results = {};
      function form(name, action, fields) {
        const f = document.createElement('form');
        f.method = 'POST'; f.action = action; f.target = 'sink';
        f.enctype = 'application/x-www-form-urlencoded';
        for (const [k, v] of Object.entries(fields)) {
          const i = document.createElement('input'); i.name = k; i.value = v; f.appendChild(i);
        }
        document.body.appendChild(f); f.submit(); results[name] = 'posted';
      }
      async function attempt(name, url, init) {
        try {
          const r = await fetch(url, init);
          results[name] = r.type === 'opaque' ? 'opaque' : 'read ' + r.status + ' ' + await r.text();
        } catch (e) { results[name] = 'blocked'; }
      }
      const q = 'application/x-www-form-urlencoded';
      (async () => {
        form('form-send', sqs + '/', {Action: 'SendMessage', QueueUrl: queue, MessageBody: 'form'});
        await new Promise(r => setTimeout(r, 500));
        form('form-create', sqs + '/', {Action: 'CreateQueue', QueueName: 'from-a-page'});
        await new Promise(r => setTimeout(r, 500));
        await attempt('nocors-send', sqs + '/', {method: 'POST', mode: 'no-cors',
          headers: {'Content-Type': q},
          body: 'Action=SendMessage&QueueUrl=' + encodeURIComponent(queue) + '&MessageBody=nocors'});
        await attempt('cors-send', sqs + '/', {method: 'POST',
          headers: {'Content-Type': 'application/x-amz-json-1.0',
                    'X-Amz-Target': 'AmazonSQS.SendMessage'},
          body: JSON.stringify({QueueUrl: queue, MessageBody: 'cors'})});
        await attempt('cors-put', ddb + '/', {method: 'POST',
          headers: {'Content-Type': 'application/x-amz-json-1.0',
                    'X-Amz-Target': 'DynamoDB_20120810.PutItem',
                    'Authorization': 'AWS4-HMAC-SHA256 Credential=x/20260101/us-east-1/dynamodb/aws4_request, SignedHeaders=host, Signature=00',
                    'X-Amz-Date': '20260101T000000Z'},
          body: JSON.stringify({TableName: 'browser-it', Item: {k: {S: 'from-a-page'}}})});
        await attempt('cors-scan', ddb + '/', {method: 'POST',
          headers: {'Content-Type': 'application/x-amz-json-1.0',
                    'X-Amz-Target': 'DynamoDB_20120810.Scan',
                    'Authorization': 'AWS4-HMAC-SHA256 Credential=x/20260101/us-east-1/dynamodb/aws4_request, SignedHeaders=host, Signature=00',
                    'X-Amz-Date': '20260101T000000Z'},
          body: JSON.stringify({TableName: 'browser-it'})});
        await attempt('nocors-put', ddb + '/', {method: 'POST', mode: 'no-cors',
          headers: {'Content-Type': 'text/plain'},
          body: JSON.stringify({TableName: 'browser-it', Item: {k: {S: 'nocors'}}})});
        await attempt('read-dashboard', dash + '/api/snapshot', {});
        // ElasticMQ's own port and the chaos proxy in front of it: ports no browser connects to.
        form('form-direct-send', direct + '/',
          {Action: 'SendMessage', QueueUrl: queue, MessageBody: 'direct'});
        await new Promise(r => setTimeout(r, 500));
        form('form-direct-create', direct + '/', {Action: 'CreateQueue', QueueName: 'page-direct'});
        await new Promise(r => setTimeout(r, 500));
        await attempt('nocors-direct-send', direct + '/', {method: 'POST', mode: 'no-cors',
          headers: {'Content-Type': q},
          body: 'Action=SendMessage&QueueUrl=' + encodeURIComponent(queue) + '&MessageBody=d'});
        form('form-proxy-send', proxy + '/',
          {Action: 'SendMessage', QueueUrl: queue, MessageBody: 'proxy'});
        await new Promise(r => setTimeout(r, 500));
        await attempt('nocors-proxy-send', proxy + '/', {method: 'POST', mode: 'no-cors',
          headers: {'Content-Type': q},
          body: 'Action=SendMessage&QueueUrl=' + encodeURIComponent(queue) + '&MessageBody=p'});
        // The one AWS endpoint: a form post of SNS's query protocol, a Lambda invocation and a
        // cross-origin read of the functions, a SendMessage relayed to SQS.
        form('form-aws-publish', aws + '/',
          {Action: 'Publish', TopicArn: 'arn:aws:sns:us-east-1:000000000000:fasttrack-saa',
           Message: 'from-a-page'});
        await new Promise(r => setTimeout(r, 500));
        await attempt('nocors-aws-invoke', aws + '/2015-03-31/functions/fasttrack-saa/invocations',
          {method: 'POST', mode: 'no-cors', headers: {'Content-Type': 'text/plain'}, body: '{}'});
        await attempt('read-aws-functions', aws + '/2015-03-31/functions/', {});
        await attempt('cors-aws-send', aws + '/', {method: 'POST',
          headers: {'Content-Type': 'application/x-amz-json-1.0',
                    'X-Amz-Target': 'AmazonSQS.SendMessage'},
          body: JSON.stringify({QueueUrl: queue, MessageBody: 'aws'})});
        // Every port the local cloud may put ElasticMQ or the chaos proxy on: none is reached.
        const tries = await Promise.all(blocked.map(p =>
          fetch('http://127.0.0.1:' + p + '/', {method: 'POST', mode: 'no-cors', body: 'x'})
            .then(() => 'reached', () => 'blocked')));
        results['blocked-ports'] = tries.filter(t => t === 'reached').length + ' reached';
        window.surgeResults = results;
      })();
      </script></body></html>
      """;

  @Test
  void aPageOfAnotherOriginNeitherReadsNorChangesAnything() throws Exception {
    // What the AWS endpoint serves beyond SQS and DynamoDB, counting what reaches it.
    java.util.concurrent.atomic.AtomicInteger served =
        new java.util.concurrent.atomic.AtomicInteger();
    AwsEndpoint.Services counting =
        (exchange, body) -> {
          served.incrementAndGet();
          try (exchange) {
            byte[] b = "{\"Functions\":[]}".getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(200, b.length);
            exchange.getResponseBody().write(b);
          }
        };
    try (StandIns standIns = StandIns.start(0, 0);
        AwsEndpoint aws = AwsEndpoint.bind("127.0.0.1", 0).start(standIns, counting);
        FaultProxy proxy = FaultProxy.in(standIns.sqsDirectEndpoint());
        DashboardServer dashboard =
            new DashboardServer(new EventLog(100), DashboardOptions.defaults().withPort(0))
                .start()) {
      AwsClients clients =
          new AwsClients(
              AwsTarget.local(standIns.sqsEndpoint(), standIns.dynamoDbEndpoint()), 2, List.of());
      try (SqsClient sqs = clients.build(SqsClient.builder(), "SQS");
          DynamoDbClient dynamodb = clients.build(DynamoDbClient.builder(), "DynamoDB")) {
        String queue = sqs.createQueue(b -> b.queueName("browser-it")).queueUrl();
        dynamodb.createTable(
            b ->
                b.tableName("browser-it")
                    .billingMode(BillingMode.PAY_PER_REQUEST)
                    .attributeDefinitions(
                        AttributeDefinition.builder()
                            .attributeName("k")
                            .attributeType(ScalarAttributeType.S)
                            .build())
                    .keySchema(
                        KeySchemaElement.builder()
                            .attributeName("k")
                            .keyType(KeyType.HASH)
                            .build()));
        dynamodb.waiter().waitUntilTableExists(b -> b.tableName("browser-it"));
        List<String> queuesBefore = sqs.listQueues().queueUrls();

        // A listener on each browser-blocked port that is free, counting what connects.
        java.util.Map<Integer, java.net.ServerSocket> listening = new java.util.TreeMap<>();
        java.util.concurrent.atomic.AtomicInteger connected =
            new java.util.concurrent.atomic.AtomicInteger();
        for (int p : dev.surge.standins.BrowserBlockedPorts.PORTS) {
          try {
            java.net.ServerSocket l =
                new java.net.ServerSocket(p, 50, java.net.InetAddress.getLoopbackAddress());
            listening.put(p, l);
            Thread t =
                new Thread(
                    () -> {
                      while (!l.isClosed()) {
                        try {
                          l.accept().close();
                          connected.incrementAndGet();
                        } catch (java.io.IOException e) {
                          return;
                        }
                      }
                    });
            t.setDaemon(true);
            t.start();
          } catch (java.io.IOException taken) {
            // in use (this run's ElasticMQ and proxy, or another test's): the page tries the rest
          }
        }
        // Some free again, for the local clouds of other test JVMs (see the class's comment).
        List<Integer> held = new java.util.ArrayList<>(listening.keySet());
        for (int p : held.subList(Math.max(0, held.size() - LEFT_FREE), held.size())) {
          listening.remove(p).close();
        }
        System.out.printf("browser-blocked ports listened on: %s%n", listening.keySet());
        // The page is served as http://localhost:<port>: another site than 127.0.0.1's ports.
        String page =
            PAGE.formatted(
                standIns.sqsEndpoint(),
                standIns.dynamoDbEndpoint(),
                dashboard.uri().toString().replaceAll("/$", ""),
                queue,
                standIns.sqsDirectEndpoint(),
                proxy.endpoint(),
                String.join(",", listening.keySet().stream().map(String::valueOf).toList()),
                aws.endpoint());
        HttpServer site = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 10);
        site.createContext(
            "/",
            x -> {
              byte[] b = page.getBytes(StandardCharsets.UTF_8);
              x.getResponseHeaders().set("Content-Type", "text/html; charset=utf-8");
              x.sendResponseHeaders(200, b.length);
              try (OutputStream o = x.getResponseBody()) {
                o.write(b);
              }
            });
        site.start();
        try (DashboardBrowser browser = DashboardBrowser.start(800, 600)) {
          browser.open(URI.create("http://localhost:" + site.getAddress().getPort() + "/"));
          Map<String, Object> results = null;
          long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
          while (results == null && System.nanoTime() < deadline) {
            Thread.sleep(200);
            @SuppressWarnings("unchecked")
            Map<String, Object> r =
                (Map<String, Object>)
                    browser.driver().executeScript("return window.surgeResults || null;");
            results = r;
          }
          assertThat(results).as("the page's attempts finished").isNotNull();
          assertThat(results).hasSize(18);
          assertThat(results.get("blocked-ports")).isEqualTo("0 reached");
          // Nothing the page tried could be read back.
          results.forEach(
              (name, outcome) -> assertThat(outcome.toString()).as(name).doesNotStartWith("read"));
        } finally {
          site.stop(0);
          for (java.net.ServerSocket l : listening.values()) {
            l.close();
          }
        }
        assertThat(connected.get()).as("connections to browser-blocked ports").isZero();
        assertThat(served.get()).as("requests of the page the AWS endpoint served").isZero();
        // What a program that is not a browser sends is served: the count above could see one.
        java.net.http.HttpResponse<String> sdkLike =
            java.net.http.HttpClient.newHttpClient()
                .send(
                    java.net.http.HttpRequest.newBuilder(
                            aws.endpoint().resolve("/2015-03-31/functions/"))
                        .build(),
                    java.net.http.HttpResponse.BodyHandlers.ofString());
        assertThat(sdkLike.statusCode()).isEqualTo(200);
        assertThat(served.get()).isEqualTo(1);
        // ... and nothing changed.
        assertThat(
                sqs.getQueueAttributes(
                        b ->
                            b.queueUrl(queue)
                                .attributeNames(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES))
                    .attributes()
                    .get(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES))
            .isEqualTo("0");
        assertThat(sqs.listQueues().queueUrls()).isEqualTo(queuesBefore);
        assertThat(dynamodb.scan(b -> b.tableName("browser-it")).count()).isZero();
      }
    }
  }
}
