"""CloudWatch over Smithy RPC v2 CBOR, in front of moto 5.2.1.

The AWS SDK for Java (2.30 and later) calls CloudWatch with the Smithy RPC v2 CBOR protocol:
``POST /service/GraniteServiceVersion20100801/operation/<Operation>``, header
``smithy-protocol: rpc-v2-cbor``, a CBOR body. moto 5.2.1 answers only CloudWatch's query and JSON
protocols (404 on that path). This WSGI middleware translates each such call into the same call
in the JSON protocol (``X-Amz-Target: GraniteServiceVersion20100801.<Operation>``), which moto
does implement, and the answer back into CBOR, shaped by botocore's model of the service. Nothing
else passes through it.
"""

import base64
import collections
import datetime
import io
import json
import math
import re
import struct

Patch = collections.namedtuple("Patch", "name moto aws apply")

PATCHES = [
    Patch(
        "cloudwatch-rpc-v2-cbor",
        moto="answers CloudWatch in its query and JSON protocols only: the Smithy RPC v2 CBOR"
        " requests of the AWS SDK for Java 2.30+ get HTTP 404",
        aws="CloudWatch accepts Smithy RPC v2 CBOR: POST /service/<target>/operation/<name>,"
        " header smithy-protocol: rpc-v2-cbor, CBOR bodies, errors as a map with __type"
        " (Smithy 'RPC v2 CBOR protocol' specification; CloudWatch API 'protocols')",
        apply=None,
    )
]

# The services whose JSON protocol moto implements, by the target prefix of their operations.
SERVICES = {"GraniteServiceVersion20100801": "cloudwatch"}

PATH = re.compile(r"/service/(?P<target>[A-Za-z0-9_]+)/operation/(?P<operation>[A-Za-z0-9_]+)")

ORIGINAL_REQUEST = "surge.cbor.original_request"


def wrap(app):
    """``app`` with CBOR calls of the services in SERVICES translated; other calls untouched."""

    def middleware(environ, start_response):
        match = PATH.fullmatch(environ.get("PATH_INFO", ""))
        if (
            match is None
            or environ.get("REQUEST_METHOD") != "POST"
            or "rpc-v2-cbor" not in environ.get("HTTP_SMITHY_PROTOCOL", "")
            or match.group("target") not in SERVICES
        ):
            return app(environ, start_response)
        return translate(app, environ, start_response, match.group("target"), match.group("operation"))

    return middleware


def translate(app, environ, start_response, target, operation):
    length = int(environ.get("CONTENT_LENGTH") or 0)
    body = environ["wsgi.input"].read(length) if length else b""
    request = decode(body) if body else {}
    json_body = json.dumps(request, default=_json_default).encode("utf-8")

    inner = dict(environ)
    inner.pop("HTTP_SMITHY_PROTOCOL", None)
    inner.pop("HTTP_ACCEPT", None)
    inner["PATH_INFO"] = "/"
    inner["QUERY_STRING"] = ""
    inner["CONTENT_TYPE"] = "application/x-amz-json-1.0"
    inner["HTTP_X_AMZ_TARGET"] = "%s.%s" % (target, operation)
    inner["CONTENT_LENGTH"] = str(len(json_body))
    inner["wsgi.input"] = io.BytesIO(json_body)
    # The signature covers the request as sent; moto_patches checks it against this one.
    inner[ORIGINAL_REQUEST] = {
        "method": "POST",
        "path": environ.get("PATH_INFO", ""),
        "body": body,
        "environ": dict(environ),
    }

    captured = {}

    def capture(status, headers, exc_info=None):
        captured["status"] = status
        captured["headers"] = headers
        return lambda data: None

    chunks = app(inner, capture)
    try:
        answer = b"".join(chunks)
    finally:
        if hasattr(chunks, "close"):
            chunks.close()
    status = captured["status"]
    code = int(status.split(" ", 1)[0])
    headers = [
        (k, v) for k, v in captured["headers"] if k.lower() not in ("content-type", "content-length")
    ]
    payload = _answer(SERVICES[target], operation, code, answer)
    headers += [
        ("Content-Type", "application/cbor"),
        ("smithy-protocol", "rpc-v2-cbor"),
        ("Content-Length", str(len(payload))),
    ]
    start_response(status, headers)
    return [payload]


def _answer(service, operation, code, answer):
    text = answer.decode("utf-8") if answer else ""
    if code >= 300:
        try:
            error = json.loads(text) if text else {}
        except ValueError:
            error = {"message": text}
        kind = error.get("__type") or error.get("code") or error.get("Code") or "InternalFailure"
        message = error.get("message") or error.get("Message") or ""
        return encode({"__type": kind, "message": message})
    if not text:
        return encode({})
    output = _operation(service, operation).output_shape
    return encode(shaped(json.loads(text), output))


_MODELS = {}


def _operation(service, operation):
    if service not in _MODELS:
        import botocore.session

        _MODELS[service] = botocore.session.get_session().get_service_model(service)
    return _MODELS[service].operation_model(operation)


def shaped(value, shape):
    """A JSON-protocol value as the CBOR protocol carries it: timestamps and blobs typed."""
    if value is None or shape is None:
        return value
    kind = shape.type_name
    if kind == "structure":
        return {
            name: shaped(value[name], member)
            for name, member in shape.members.items()
            if name in value and value[name] is not None
        }
    if kind == "list":
        return [shaped(v, shape.member) for v in value]
    if kind == "map":
        return {k: shaped(v, shape.value) for k, v in value.items()}
    if kind == "timestamp":
        return Timestamp(_epoch(value))
    if kind == "blob":
        return base64.b64decode(value) if isinstance(value, str) else bytes(value)
    if kind in ("double", "float"):
        return float(value)
    if kind in ("integer", "long", "short", "byte"):
        return int(value)
    return value


def _epoch(value):
    if isinstance(value, (int, float)):
        return float(value)
    return datetime.datetime.fromisoformat(str(value).replace("Z", "+00:00")).timestamp()


def _json_default(value):
    if isinstance(value, Timestamp):
        return value.seconds
    if isinstance(value, (bytes, bytearray)):
        return base64.b64encode(value).decode("ascii")
    raise TypeError("not JSON: %r" % (value,))


# --- CBOR (RFC 8949), the part Smithy RPC v2 uses ------------------------------------------------


class Timestamp:
    """CBOR tag 1: seconds since the epoch."""

    def __init__(self, seconds):
        self.seconds = seconds

    def __eq__(self, other):
        return isinstance(other, Timestamp) and other.seconds == self.seconds

    def __repr__(self):
        return "Timestamp(%r)" % (self.seconds,)


def encode(value):
    out = bytearray()
    _encode(value, out)
    return bytes(out)


def _head(major, n, out):
    if n < 24:
        out.append(major << 5 | n)
    elif n < 0x100:
        out += bytes([major << 5 | 24, n])
    elif n < 0x10000:
        out.append(major << 5 | 25)
        out += struct.pack(">H", n)
    elif n < 0x100000000:
        out.append(major << 5 | 26)
        out += struct.pack(">I", n)
    else:
        out.append(major << 5 | 27)
        out += struct.pack(">Q", n)


def _encode(value, out):
    if value is None:
        out.append(0xF6)
    elif value is True:
        out.append(0xF5)
    elif value is False:
        out.append(0xF4)
    elif isinstance(value, Timestamp):
        _head(6, 1, out)
        _encode(float(value.seconds), out)
    elif isinstance(value, int):
        if value >= 0:
            _head(0, value, out)
        else:
            _head(1, -1 - value, out)
    elif isinstance(value, float):
        out.append(0xFB)
        out += struct.pack(">d", value)
    elif isinstance(value, str):
        data = value.encode("utf-8")
        _head(3, len(data), out)
        out += data
    elif isinstance(value, (bytes, bytearray)):
        _head(2, len(value), out)
        out += value
    elif isinstance(value, (list, tuple)):
        _head(4, len(value), out)
        for v in value:
            _encode(v, out)
    elif isinstance(value, dict):
        _head(5, len(value), out)
        for k, v in value.items():
            _encode(k, out)
            _encode(v, out)
    else:
        raise TypeError("cannot encode %r as CBOR" % (value,))


_BREAK = object()


def decode(data):
    value, end = _decode(data, 0)
    if end != len(data):
        raise ValueError("%d bytes after the CBOR value" % (len(data) - end))
    return value


def _length(data, i, info):
    if info < 24:
        return info, i
    if info == 24:
        return data[i], i + 1
    if info == 25:
        return struct.unpack_from(">H", data, i)[0], i + 2
    if info == 26:
        return struct.unpack_from(">I", data, i)[0], i + 4
    if info == 27:
        return struct.unpack_from(">Q", data, i)[0], i + 8
    if info == 31:
        return None, i  # indefinite length
    raise ValueError("reserved CBOR length %d" % info)


def _decode(data, i):
    initial = data[i]
    major, info = initial >> 5, initial & 0x1F
    i += 1
    if major == 7:
        if info == 20:
            return False, i
        if info == 21:
            return True, i
        if info in (22, 23):
            return None, i
        if info == 25:
            return _half(struct.unpack_from(">H", data, i)[0]), i + 2
        if info == 26:
            return struct.unpack_from(">f", data, i)[0], i + 4
        if info == 27:
            return struct.unpack_from(">d", data, i)[0], i + 8
        if info == 31:
            return _BREAK, i
        raise ValueError("unsupported CBOR simple value %d" % info)
    n, i = _length(data, i, info)
    if major == 0:
        return n, i
    if major == 1:
        return -1 - n, i
    if major in (2, 3):
        if n is None:
            parts = []
            while data[i] != 0xFF:
                part, i = _decode(data, i)
                parts.append(part)
            i += 1
            return ("" if major == 3 else b"").join(parts), i
        raw = bytes(data[i : i + n])
        return (raw.decode("utf-8") if major == 3 else raw), i + n
    if major == 4:
        items = []
        while n is None or len(items) < n:
            item, i = _decode(data, i)
            if item is _BREAK:
                break
            items.append(item)
        return items, i
    if major == 5:
        result = {}
        count = 0
        while n is None or count < n:
            key, i = _decode(data, i)
            if key is _BREAK:
                break
            result[key], i = _decode(data, i)
            count += 1
        return result, i
    if major == 6:
        tagged, i = _decode(data, i)
        if n == 1:
            return Timestamp(tagged), i
        raise ValueError("unsupported CBOR tag %d" % n)
    raise ValueError("unknown CBOR major type %d" % major)


def _half(bits):
    sign = -1.0 if bits & 0x8000 else 1.0
    exponent = (bits >> 10) & 0x1F
    fraction = bits & 0x3FF
    if exponent == 0:
        return sign * fraction * 2.0**-24
    if exponent == 31:
        return sign * math.inf if fraction == 0 else math.nan
    return sign * (1 + fraction / 1024.0) * 2.0 ** (exponent - 15)
