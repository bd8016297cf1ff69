"""Stops a process (SIGSTOP) the moment a line matching a regex is written to a file.

Usage: freeze-at.py FILE REGEX NTH PID [SECONDS [AFTER]]
Follows FILE from its current end (a daemon's log, or a recorder's events file), and at
the NTH line matching the extended REGEX (Python re, search) sends SIGSTOP to PID: a peer
frozen at an exact protocol step, which a shell poll of the file would miss (a whole WPS
exchange after M1 takes about 0.3 s in the guest). With AFTER (a regex), matches count
only once a line matching AFTER was written (e.g. the association after WPS-SUCCESS). Start it in the background before the
step can happen, then wait for it. Exits 0 once PID is stopped, 1 after SECONDS (default
60) without the NTH match, 2 if PID is gone.
"""
import os
import re
import signal
import sys
import time

path, pattern, nth, pid = sys.argv[1], re.compile(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4])
deadline = time.time() + (float(sys.argv[5]) if len(sys.argv) > 5 else 60.0)
f = open(path, "r", errors="replace")
f.seek(0, os.SEEK_END)
print("watching", flush=True)
after = re.compile(sys.argv[6]) if len(sys.argv) > 6 else None
seen, buf = 0, ""
while time.time() < deadline:
    chunk = f.read()
    if not chunk:
        time.sleep(0.003)
        continue
    buf += chunk
    *lines, buf = buf.split("\n")
    for line in lines:
        if after is not None:
            if after.search(line):
                after = None
            continue
        if pattern.search(line):
            seen += 1
            if seen >= nth:
                try:
                    os.kill(pid, signal.SIGSTOP)
                except ProcessLookupError:
                    sys.exit(2)
                print("stopped at:", line[:200], flush=True)
                sys.exit(0)
sys.exit(1)
