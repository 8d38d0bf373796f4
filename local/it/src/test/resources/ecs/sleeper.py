"""A task that sleeps until it is stopped; with 'ignore-term' it ignores SIGTERM, so only SIGKILL
ends it."""

import signal
import sys
import time

if sys.argv[1:] == ["ignore-term"]:
    signal.signal(signal.SIGTERM, signal.SIG_IGN)
print("sleeping", flush=True)
while True:
    time.sleep(1)
