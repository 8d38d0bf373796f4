package dev.surge.trigger;

import com.amazonaws.services.lambda.runtime.events.SNSEvent;
import com.amazonaws.services.lambda.runtime.serialization.PojoSerializer;
import com.amazonaws.services.lambda.runtime.serialization.events.LambdaEventSerializers;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/** Test fixtures: Lambda events read with the Lambda runtime's own serializer. */
final class Fixtures {
  private static final PojoSerializer<SNSEvent> SNS =
      LambdaEventSerializers.serializerFor(SNSEvent.class, Fixtures.class.getClassLoader());

  private Fixtures() {}

  /** The text of resource {@code path}. */
  static String text(String path) {
    try (InputStream in = open(path)) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The resource {@code path}; fails when it does not exist. */
  static InputStream open(String path) {
    InputStream in = Fixtures.class.getResourceAsStream("/" + path);
    if (in == null) {
      throw new IllegalArgumentException("no fixture " + path);
    }
    return in;
  }

  /** The SNS event in {@code events/<name>}, as Lambda would deserialize it. */
  static SNSEvent sns(String name) {
    return SNS.fromJson(text("events/" + name));
  }

  /** The message of the first record of {@code events/<name>}. */
  static String message(String name) {
    return sns(name).getRecords().get(0).getSNS().getMessage();
  }

  /** The SNS message id of the first record of {@code events/<name>}. */
  static String messageId(String name) {
    return sns(name).getRecords().get(0).getSNS().getMessageId();
  }
}
