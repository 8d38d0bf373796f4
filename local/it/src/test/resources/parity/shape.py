"""An answer's shape, as the parity suite compares it: for a dict its keys with the shapes of their
values, for a list the merged shape of its elements, for a scalar its type. No values.

    python3 shape.py collect DIR   the aws CLI's answers in DIR (NAME.out, NAME.err, NAME.rc) as
                                   one JSON object: per call its shape, or its error code
"""

import datetime
import json
import os
import re
import sys


def shape(value):
    if isinstance(value, dict):
        return {k: shape(v) for k, v in sorted(value.items()) if k != "ResponseMetadata"}
    if isinstance(value, list):
        merged = None
        for element in value:
            merged = merge(merged, shape(element))
        return [] if merged is None else [merged]
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, (int, float)):
        # JSON does not tell 100 from 100.0; the query protocols' numbers are parsed by the model.
        return "number"
    if isinstance(value, str):
        return "string"
    if isinstance(value, datetime.datetime):
        return "timestamp"
    if isinstance(value, (bytes, bytearray)):
        return "blob"
    if value is None:
        return "null"
    if hasattr(value, "read"):
        return "stream"
    return type(value).__name__


def merge(a, b):
    """The shape of a list whose elements have shapes a and b."""
    if a is None:
        return b
    if b is None:
        return a
    if isinstance(a, dict) and isinstance(b, dict):
        return {k: merge(a.get(k), b.get(k)) for k in sorted(set(a) | set(b))}
    if isinstance(a, list) and isinstance(b, list):
        if not a or not b:
            return a or b
        return [merge(a[0], b[0])]
    if a == b:
        return a
    return "|".join(sorted(set(str(a).split("|")) | set(str(b).split("|"))))


ERROR = re.compile(r"An error occurred \(([^)]+)\)")


def collect(directory):
    answers = {}
    for name in sorted(f[: -len(".rc")] for f in os.listdir(directory) if f.endswith(".rc")):
        with open(os.path.join(directory, name + ".rc")) as f:
            rc = int(f.read().strip())
        with open(os.path.join(directory, name + ".out")) as f:
            out = f.read()
        with open(os.path.join(directory, name + ".err")) as f:
            err = f.read()
        if rc == 0:
            answers[name] = {"shape": shape(json.loads(out) if out.strip() else {})}
        else:
            found = ERROR.search(err)
            answers[name] = {"error": found.group(1) if found else "exit %d: %s" % (rc, err.strip())}
    return answers


if __name__ == "__main__":
    if sys.argv[1:2] != ["collect"] or len(sys.argv) != 3:
        raise SystemExit("usage: shape.py collect DIR")
    json.dump(collect(sys.argv[2]), sys.stdout, indent=1, sort_keys=True)
