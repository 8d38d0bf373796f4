# Runs the aws CLI once per request line, in this one interpreter, as its `aws` script runs it:
# the same `awscli.clidriver.main()` with the request's arguments and environment, standard output
# and error captured. What is saved is the interpreter's start and the CLI's imports (about three
# quarters of a short command's CPU). Test code: AwsCliHost (Java) writes this file and talks to it.
#
# Protocol, one JSON object per line: in {"args": [...], "env": {...}}; out {"exit": n, "out": "...",
# "err": "..."}. Ends when its standard input closes.
import io
import json
import os
import sys

# What the `aws` script does before it imports the CLI.
if os.environ.get('LC_CTYPE', '') == 'UTF-8':
    os.environ['LC_CTYPE'] = 'en_US.UTF-8'
import awscli.clidriver  # noqa: E402

# What importing awscli adds to the environment (where its own data is), as in every run of the
# script; besides it, each command sees exactly the environment it was sent with.
IMPORTED = {'AWS_DATA_PATH': os.environ['AWS_DATA_PATH']}


def run(args, env):
    os.environ.clear()
    os.environ.update(env)
    os.environ.update(IMPORTED)
    out = io.TextIOWrapper(io.BytesIO(), encoding='utf-8', newline='')
    err = io.TextIOWrapper(io.BytesIO(), encoding='utf-8', newline='')
    channel = sys.stdout
    sys.argv = ['aws'] + args
    sys.stdout, sys.stderr = out, err
    try:
        try:
            code = awscli.clidriver.main()
        except SystemExit as e:
            code = e.code if isinstance(e.code, int) else (0 if e.code is None else 1)
    finally:
        sys.stdout, sys.stderr = channel, sys.__stderr__
    out.flush()
    err.flush()
    return {'exit': code,
            'out': out.buffer.getvalue().decode('utf-8', 'replace'),
            'err': err.buffer.getvalue().decode('utf-8', 'replace')}


def main():
    channel = sys.stdout
    for line in sys.stdin:
        request = json.loads(line)
        reply = run(request['args'], request['env'])
        channel.write(json.dumps(reply) + '\n')
        channel.flush()


main()
