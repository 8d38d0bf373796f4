package dev.surge.standins

import com.typesafe.config.ConfigFactory
import dev.surge.core.LoopbackRequests
import java.util.concurrent.TimeUnit
import java.util.concurrent.atomic.{AtomicBoolean, AtomicReference}
import org.apache.pekko.actor.{ActorRef, ActorSystem, Props}
import org.apache.pekko.http.scaladsl.Http
import org.apache.pekko.http.scaladsl.model.{ContentTypes, HttpEntity, HttpRequest, HttpResponse, StatusCodes}
import org.apache.pekko.http.scaladsl.server.{Directives, Route}
import org.apache.pekko.stream.Materializer
import org.apache.pekko.util.Timeout
import org.elasticmq.{Limits, NodeAddress, StrictSQSLimits}
import org.elasticmq.actor.QueueManagerActor
import org.elasticmq.rest.sqs._
import org.elasticmq.rest.sqs.XmlNsVersion.extractXmlNs
import org.elasticmq.rest.sqs.directives.{AWSProtocolDirectives, AnyParamDirectives, ElasticMQDirectives, UnmatchedActionRoutes}
import org.elasticmq.rest.sqs.model.RequestPayload
import org.elasticmq.util.NowProvider
import org.slf4j.LoggerFactory
import scala.concurrent.Future
import scala.concurrent.duration._

/** ElasticMQ's SQS API behind the local cloud's request rule.
  *
  * ElasticMQ's own builder binds its routes to a port with no way to wrap them, so a request from a
  * web page (a foreign `Origin`, a `Sec-Fetch-Site` other than `none`), one addressed to a name that
  * is not loopback, or one whose target is not a plain path would be served. This object composes
  * the same ElasticMQ route modules and serves them only to requests that [[LoopbackRequests]]
  * accepts; every other one gets 403 and reaches no queue.
  */
object GuardedSqsServer {
  // ElasticMqServer's logger, by name: this file compiles before the module's Java sources.
  private val log = LoggerFactory.getLogger("dev.surge.standins.ElasticMqServer")
  private val warned = new AtomicBoolean()

  /** Starts the SQS API on `interface`:`port` (0 = a free port). Queue URLs name `advertised`
    * when given, otherwise the address it binds.
    */
  def start(
      interface: String,
      port: Int,
      advertised: NodeAddress,
      region: String,
      accountId: String
  ): SQSRestServer = {
    // The request line as sent, so that an absolute URL or a `//host` path can be told from a path.
    // The scheduler's clock ticks every 100 ms, not pekko's 10 ms: it only times long polls and
    // idle connections, which need no finer steps, and an idle server then wakes ten times a second
    // instead of a hundred (about 0.7% of a core each, in every local cloud and test JVM).
    val config = ConfigFactory
      .parseString(
        "pekko.http.server.raw-request-uri-header = on\npekko.scheduler.tick-duration = 100ms"
      )
      .withFallback(ConfigFactory.load())
    implicit val system: ActorSystem = ActorSystem("elasticmq", config)
    val materializer0 = Materializer(system)
    val address = new AtomicReference[NodeAddress](
      Option(advertised).getOrElse(NodeAddress(host = interface, port = port))
    )
    val queues = system.actorOf(Props(new QueueManagerActor(new NowProvider(), StrictSQSLimits, None)))
    val modules = new SqsModules {
      def serverAddress: NodeAddress = address.get()
      lazy val actorSystem: ActorSystem = system
      lazy val materializer: Materializer = materializer0
      lazy val queueManagerActor: ActorRef = queues
      lazy val sqsLimits: Limits = StrictSQSLimits
      lazy val timeout: Timeout = Timeout(21, TimeUnit.SECONDS)
      lazy val contextPath: String = address.get().contextPathStripped
      lazy val awsRegion: String = region
      lazy val awsAccountId: String = accountId
    }
    import system.dispatcher
    val binding = Http().newServerAt(interface, port).bindFlow(guarded(modules.route))
    binding.foreach { b =>
      if (advertised == null && port != b.localAddress.getPort) {
        address.set(address.get().copy(port = b.localAddress.getPort))
      }
    }
    // A binding that failed (a port taken) still stops the actor system.
    val stop = () =>
      binding
        .flatMap(_.terminate(1.minute))
        .recover { case _ => () }
        .flatMap(_ => system.terminate())
    SQSRestServer(binding, stop)
  }

  /** `route` for the requests [[LoopbackRequests]] accepts, 403 with the reason for the others. */
  private def guarded(route: Route): Route = Directives.extractRequest { request =>
    refusal(request) match {
      case Some(why) =>
        if (warned.compareAndSet(false, true)) {
          log.warn("refused a request at ElasticMQ: {} (refusals are logged once)", why)
        }
        Directives.complete(
          HttpResponse(StatusCodes.Forbidden, entity = HttpEntity(ContentTypes.`text/plain(UTF-8)`, s"surge: $why\n"))
        )
      case None => route
    }
  }

  private def refusal(request: HttpRequest): Option[String] = {
    def header(name: String): String = request.headers.find(_.is(name)).map(_.value).orNull
    val target = Option(header("raw-request-uri")).getOrElse(request.uri.toString)
    val why = LoopbackRequests.refusal(
      false,
      request.method.value,
      target,
      header("host"),
      header("origin"),
      header("sec-fetch-site")
    )
    if (why.isPresent) Some(why.get) else None
  }
}

/** ElasticMQ's route modules, the SQS actions each serves, and the directives that read a request. */
private abstract class SqsModules
    extends QueueManagerActorModule
    with QueueURLModule
    with ContextPathModule
    with SQSLimitsModule
    with BatchRequestsModule
    with ElasticMQDirectives
    with AnyParamDirectives
    with CreateQueueDirectives
    with DeleteQueueDirectives
    with AWSProtocolDirectives
    with QueueAttributesDirectives
    with ListQueuesDirectives
    with SendMessageDirectives
    with SendMessageBatchDirectives
    with ReceiveMessageDirectives
    with DeleteMessageDirectives
    with DeleteMessageBatchDirectives
    with ChangeMessageVisibilityDirectives
    with ChangeMessageVisibilityBatchDirectives
    with GetQueueUrlDirectives
    with PurgeQueueDirectives
    with AddPermissionDirectives
    with RemovePermissionDirectives
    with AttributesModule
    with TagQueueDirectives
    with TagsModule
    with UnmatchedActionRoutes
    with ResponseMarshaller
    with QueueAttributesOps
    with ListDeadLetterSourceQueuesDirectives
    with StartMessageMoveTaskDirectives
    with CancelMessageMoveTaskDirectives
    with ListMessageMoveTasksDirectives {

  private def actions(p: RequestPayload)(implicit deps: MarshallerDependencies): Route =
    Directives.concat(
      sendMessage(p),
      sendMessageBatch(p),
      receiveMessage(p),
      deleteMessage(p),
      deleteMessageBatch(p),
      getQueueUrl(p),
      createQueue(p),
      listQueues(p),
      purgeQueue(p),
      changeMessageVisibility(p),
      changeMessageVisibilityBatch(p),
      deleteQueue(p),
      getQueueAttributes(p),
      setQueueAttributes(p),
      addPermission(p),
      removePermission(p),
      tagQueue(p),
      untagQueue(p),
      listQueueTags(p),
      listDeadLetterSourceQueues(p),
      startMessageMoveTask(p),
      cancelMessageMoveTask(p),
      listMessageMoveTasks(p),
      unmatchedAction(p)
    )

  /** Every SQS action in either protocol (query or JSON), errors in the protocol's own form. */
  lazy val route: Route = Directives.concat(
    Directives.path("health")(Directives.get(Directives.complete("OK"))),
    extractXmlNs { (ns: XmlNsVersion) =>
      implicit val version: XmlNsVersion = ns
      extractProtocol { (pr: AWSProtocol) =>
        implicit val protocol: AWSProtocol = pr
        handleServerExceptions(protocol) {
          handleRejectionsWithSQSError(protocol) {
            anyParamsMap(protocol) { p =>
              actions(p)(MarshallerDependencies(protocol, version))
            }
          }
        }
      }
    }
  )
}
