"""moto server, patched where moto 5.2.1 differs from what AWS documents.

Surge's AWS target is tested end to end against moto, an AWS emulator written by others. Where
moto is wrong, or lacks a piece Surge's stack uses, this launcher patches moto (never Surge): each
patch in moto_patches.py and cbor_shim.py names the moto behaviour it replaces and what AWS
documents instead (``--list-patches`` prints them). Run:

    python3 surge_moto.py [--host 127.0.0.1] [--port 0] [--exit-with-stdin] [--list-patches]

It prints one line ``SURGE_MOTO_PORT=<port>`` once it listens (port 0 picks a free one). It exits
on SIGTERM/SIGINT (Ctrl-C), and with --exit-with-stdin also when its standard input closes, so a
test that starts it through a pipe never leaves it behind.
"""

import argparse
import os
import signal
import sys
import threading

PINNED_MOTO = "5.2.1"


def require_pinned_moto():
    """Exits 3 with what to install when moto is missing or not the pinned version."""
    try:
        import moto
    except ImportError:
        sys.stderr.write(
            "surge-moto: moto is not installed for %s; install moto[server]==%s\n"
            % (sys.executable, PINNED_MOTO)
        )
        sys.exit(3)
    if moto.__version__ != PINNED_MOTO:
        sys.stderr.write(
            "surge-moto: moto %s is installed for %s, but the patches are written for moto %s;"
            " install moto[server]==%s\n"
            % (moto.__version__, sys.executable, PINNED_MOTO, PINNED_MOTO)
        )
        sys.exit(3)
    try:
        import flask  # noqa: F401  (moto[server]'s extra)
        import flask_cors  # noqa: F401
    except ImportError:
        sys.stderr.write(
            "surge-moto: moto's server extra is missing; install moto[server]==%s\n" % PINNED_MOTO
        )
        sys.exit(3)


def exit_when_stdin_closes():
    """The parent holds our standard input: when it goes away, so do we."""

    def watch():
        try:
            while sys.stdin.buffer.read(4096):
                pass
        finally:
            os._exit(0)

    threading.Thread(target=watch, name="stdin-watch", daemon=True).start()


def serve(host, port, exit_with_stdin):
    # Every AWS account has the AWS managed policies (the CDK bootstrap's deploy role reads stacks
    # through AWSCloudFormationReadOnlyAccess); moto has them only when asked.
    os.environ.setdefault("MOTO_IAM_LOAD_MANAGED_POLICIES", "true")
    # Imported here: moto reads its settings from the environment on import.
    from werkzeug.serving import make_server

    from moto.moto_server.werkzeug_app import DomainDispatcherApplication, create_backend_app

    import cbor_shim
    import moto_patches

    moto_patches.apply_all()
    app = DomainDispatcherApplication(create_backend_app)
    server = make_server(host, port, moto_patches.control(cbor_shim.wrap(app)), threaded=True)
    # moto builds some URLs (Lambda's endpoint for functions) from MOTO_PORT.
    os.environ["MOTO_PORT"] = str(server.server_port)
    signal.signal(signal.SIGTERM, lambda *_: os._exit(0))
    signal.signal(signal.SIGINT, lambda *_: os._exit(0))
    if exit_with_stdin:
        exit_when_stdin_closes()
    print("SURGE_MOTO_PORT=%d" % server.server_port, flush=True)
    server.serve_forever()
    return 0


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=0)
    parser.add_argument(
        "--exit-with-stdin", action="store_true", help="exit when standard input closes"
    )
    parser.add_argument("--list-patches", action="store_true", help="print the patches and exit")
    args = parser.parse_args(argv)
    sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
    require_pinned_moto()
    if args.list_patches:
        import cbor_shim
        import moto_patches

        for p in moto_patches.PATCHES + cbor_shim.PATCHES:
            print("%s\n  moto %s: %s\n  AWS: %s\n" % (p.name, PINNED_MOTO, p.moto, p.aws))
        return 0
    return serve(args.host, args.port, args.exit_with_stdin)


if __name__ == "__main__":
    sys.exit(main())
