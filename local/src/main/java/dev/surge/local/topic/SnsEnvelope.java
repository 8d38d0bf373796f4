package dev.surge.local.topic;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import java.util.Objects;

/**
 * One SNS notification as a subscriber receives it: the fields of SNS's JSON envelope ({@code
 * Type}, {@code MessageId}, {@code TopicArn}, {@code Subject}, {@code Message}, {@code Timestamp},
 * {@code SignatureVersion}, {@code Signature}, {@code SigningCertURL}, {@code UnsubscribeURL},
 * {@code MessageAttributes}).
 *
 * <p>A local topic holds no signing key: {@link #signature()} is a Base64 SHA-1 digest of SNS's
 * string to sign, not an RSA signature, so a subscriber that verifies signatures rejects it, as it
 * should reject any message that SNS did not sign.
 *
 * @param type always {@code Notification} for a published message
 * @param messageId the id {@code Publish} returned, the same for every subscription
 * @param topicArn the topic's ARN
 * @param subject the subject, or {@code null} when the publisher gave none
 * @param message the body
 * @param timestamp when the message was published, whole milliseconds
 * @param signatureVersion {@code 1}
 * @param signature see above
 * @param signingCertUrl where SNS's certificate would be
 * @param unsubscribeUrl the URL that would end this subscription
 * @param messageAttributes the message attributes (a published alarm notification has none)
 */
public record SnsEnvelope(
    String type,
    String messageId,
    String topicArn,
    String subject,
    String message,
    Instant timestamp,
    String signatureVersion,
    String signature,
    String signingCertUrl,
    String unsubscribeUrl,
    Map<String, Attribute> messageAttributes) {

  /** The type of a published message. */
  public static final String NOTIFICATION = "Notification";

  private static final DateTimeFormatter ISO_MILLIS =
      DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);

  /** Requires every field but the subject; the timestamp must be whole milliseconds. */
  public SnsEnvelope {
    Objects.requireNonNull(type, "type");
    Objects.requireNonNull(messageId, "messageId");
    Objects.requireNonNull(topicArn, "topicArn");
    Objects.requireNonNull(message, "message");
    Objects.requireNonNull(timestamp, "timestamp");
    Objects.requireNonNull(signatureVersion, "signatureVersion");
    Objects.requireNonNull(signature, "signature");
    Objects.requireNonNull(signingCertUrl, "signingCertUrl");
    Objects.requireNonNull(unsubscribeUrl, "unsubscribeUrl");
    messageAttributes = Map.copyOf(messageAttributes);
    if (!timestamp.truncatedTo(ChronoUnit.MILLIS).equals(timestamp)) {
      throw new IllegalArgumentException("timestamp must be whole milliseconds, was " + timestamp);
    }
  }

  /**
   * One message attribute, as the envelope carries it.
   *
   * @param type {@code String}, {@code Number}, {@code Binary} or {@code String.Array}
   * @param value the value as text (Base64 for binary)
   */
  public record Attribute(String type, String value) {
    /** Requires both parts. */
    public Attribute {
      Objects.requireNonNull(type, "type");
      Objects.requireNonNull(value, "value");
    }
  }

  /** A copy carrying {@code value} as its signature. */
  SnsEnvelope withSignature(String value) {
    return new SnsEnvelope(
        type,
        messageId,
        topicArn,
        subject,
        message,
        timestamp,
        signatureVersion,
        value,
        signingCertUrl,
        unsubscribeUrl,
        messageAttributes);
  }

  /** The timestamp as SNS writes it: ISO-8601 in UTC with milliseconds, e.g. {@code ...07.000Z}. */
  public String timestampText() {
    return ISO_MILLIS.format(timestamp);
  }
}
