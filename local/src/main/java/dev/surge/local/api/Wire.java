package dev.surge.local.api;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.dataformat.cbor.CBORFactory;
import com.fasterxml.jackson.dataformat.cbor.CBORGenerator;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Map;

/**
 * Writes an answer in each protocol the endpoint speaks. An answer is a tree of plain values:
 * {@link Map} (a structure, in order), {@link List}, {@link String}, {@link Number}, {@link
 * Boolean}, {@link Instant} (a timestamp, which each protocol writes its own way) and {@link
 * Entries} (a map shape, which the query protocol writes as {@code entry} elements).
 */
final class Wire {
  private static final JsonFactory JSON = new JsonFactory();
  private static final CBORFactory CBOR = new CBORFactory();
  private static final DateTimeFormatter ISO =
      DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);

  /** A map shape of strings (SNS's attributes): an object in JSON, {@code entry} items in XML. */
  record Entries(Map<String, String> values) {}

  /**
   * The answer of an operation without output ({@code SetAlarmState}, {@code DeleteAlarms}): an
   * empty structure in JSON and CBOR, and no result element in the query protocol's XML.
   */
  static final Map<String, Object> NO_OUTPUT =
      java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>());

  /**
   * An answer written as it is, whatever the protocol: a REST operation whose output is its body
   * and headers (Lambda's {@code Invoke}).
   *
   * @param status the HTTP status
   * @param headers headers besides the content type and the request id
   * @param contentType the body's type
   * @param body the body
   * @param requestId the request id to answer with, instead of a new one (Lambda answers an
   *     invocation with the invocation's)
   */
  record Raw(
      int status,
      Map<String, String> headers,
      String contentType,
      byte[] body,
      java.util.Optional<String> requestId) {}

  private Wire() {}

  /**
   * A structure of {@code name, value, name, value, ...} in that order; a null or empty {@link
   * java.util.Optional} value leaves its member out, as AWS leaves out what is not set.
   */
  static Map<String, Object> struct(Object... namesAndValues) {
    if (namesAndValues.length % 2 != 0) {
      throw new IllegalArgumentException("names and values must pair up");
    }
    Map<String, Object> m = new java.util.LinkedHashMap<>();
    for (int i = 0; i < namesAndValues.length; i += 2) {
      Object v = namesAndValues[i + 1];
      if (v instanceof java.util.Optional<?> o) {
        v = o.orElse(null);
      }
      if (v != null) {
        m.put((String) namesAndValues[i], v);
      }
    }
    return m;
  }

  /** JSON (AWS JSON 1.0 and 1.1, REST-JSON): timestamps as epoch seconds with milliseconds. */
  static byte[] json(Object value) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (JsonGenerator g = JSON.createGenerator(out)) {
      write(g, value, false);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toByteArray();
  }

  /** Smithy RPC v2 CBOR: timestamps as tag 1 (epoch seconds), as the protocol requires. */
  static byte[] cbor(Object value) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (CBORGenerator g = CBOR.createGenerator(out)) {
      write(g, value, true);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toByteArray();
  }

  /**
   * The query protocol's answer: {@code <OpResponse xmlns><OpResult>...</OpResult>
   * <ResponseMetadata>} with lists as {@code member} elements and timestamps in ISO 8601.
   */
  static byte[] xml(String operation, String namespace, Object result, String requestId) {
    StringBuilder b = new StringBuilder("<?xml version=\"1.0\" encoding=\"UTF-8\"?>");
    b.append('<').append(operation).append("Response xmlns=\"").append(namespace).append("\">");
    if (result != NO_OUTPUT) {
      b.append('<').append(operation).append("Result>");
      if (result instanceof Map<?, ?> m) {
        members(b, m);
      }
      b.append("</").append(operation).append("Result>");
    }
    b.append("<ResponseMetadata><RequestId>")
        .append(requestId)
        .append("</RequestId></ResponseMetadata>");
    b.append("</").append(operation).append("Response>");
    return b.toString().getBytes(StandardCharsets.UTF_8);
  }

  /** The query protocol's error document. */
  static byte[] xmlError(String namespace, String code, String message, String requestId) {
    String xml =
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?><ErrorResponse xmlns=\""
            + namespace
            + "\"><Error><Type>Sender</Type><Code>"
            + escape(code)
            + "</Code><Message>"
            + escape(message)
            + "</Message></Error><RequestId>"
            + requestId
            + "</RequestId></ErrorResponse>";
    return xml.getBytes(StandardCharsets.UTF_8);
  }

  /** The REST-XML protocol's error document (S3's, for one). */
  static byte[] restXmlError(String code, String message, String requestId) {
    String xml =
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?><Error><Code>"
            + escape(code)
            + "</Code><Message>"
            + escape(message)
            + "</Message><RequestId>"
            + requestId
            + "</RequestId></Error>";
    return xml.getBytes(StandardCharsets.UTF_8);
  }

  /** Epoch seconds with the milliseconds as decimals, e.g. {@code 1795816207.251}. */
  static BigDecimal epochSeconds(Instant t) {
    return BigDecimal.valueOf(t.toEpochMilli(), 3);
  }

  private static void write(JsonGenerator g, Object v, boolean cbor) throws IOException {
    if (v == null) {
      g.writeNull();
    } else if (v instanceof Map<?, ?> m) {
      g.writeStartObject();
      for (Map.Entry<?, ?> e : m.entrySet()) {
        g.writeFieldName(e.getKey().toString());
        write(g, e.getValue(), cbor);
      }
      g.writeEndObject();
    } else if (v instanceof Entries e) {
      write(g, e.values(), cbor);
    } else if (v instanceof List<?> l) {
      g.writeStartArray();
      for (Object o : l) {
        write(g, o, cbor);
      }
      g.writeEndArray();
    } else if (v instanceof Instant t) {
      if (cbor) {
        ((CBORGenerator) g).writeTag(1);
        g.writeNumber(t.toEpochMilli() / 1000.0);
      } else {
        g.writeNumber(epochSeconds(t));
      }
    } else if (v instanceof String s) {
      g.writeString(s);
    } else if (v instanceof Boolean b) {
      g.writeBoolean(b);
    } else if (v instanceof Integer n) {
      g.writeNumber(n);
    } else if (v instanceof Long n) {
      g.writeNumber(n);
    } else if (v instanceof Double d) {
      g.writeNumber(d);
    } else {
      throw new IllegalArgumentException("cannot write " + v.getClass().getName());
    }
  }

  private static void members(StringBuilder b, Map<?, ?> structure) {
    for (Map.Entry<?, ?> e : structure.entrySet()) {
      if (e.getValue() == null) {
        continue;
      }
      String name = e.getKey().toString();
      b.append('<').append(name).append('>');
      value(b, e.getValue());
      b.append("</").append(name).append('>');
    }
  }

  private static void value(StringBuilder b, Object v) {
    if (v instanceof Map<?, ?> m) {
      members(b, m);
    } else if (v instanceof Entries entries) {
      entries
          .values()
          .forEach(
              (k, val) ->
                  b.append("<entry><key>")
                      .append(escape(k))
                      .append("</key><value>")
                      .append(escape(val))
                      .append("</value></entry>"));
    } else if (v instanceof List<?> l) {
      for (Object o : l) {
        b.append("<member>");
        value(b, o);
        b.append("</member>");
      }
    } else if (v instanceof Instant t) {
      b.append(ISO.format(t));
    } else {
      b.append(escape(v.toString()));
    }
  }

  static String escape(String s) {
    StringBuilder b = new StringBuilder(s.length());
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '&' -> b.append("&amp;");
        case '<' -> b.append("&lt;");
        case '>' -> b.append("&gt;");
        case '"' -> b.append("&quot;");
        case '\'' -> b.append("&apos;");
        default -> b.append(c);
      }
    }
    return b.toString();
  }
}
