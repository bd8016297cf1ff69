"""Records every event of one daemon's control sockets (wpa_supplicant or directd).

Usage: ctrl-recorder.py CTRL_DIR OUTFILE. Attaches to each socket that appears in the
directory (group interfaces included) and appends `IFNAME<TAB>TEXT` lines, the level
prefix stripped, flushed at once so the harness's wait_event sees them immediately.
OUTFILE.times gets the same lines in the same order, each led by the time it was received
(seconds since the epoch, `date +%s.%N`'s clock), written first: the harness reads an
event's time there (since_event), not when its polling saw it.
"""
import os
import select
import socket
import sys
import time

ctrl_dir, out_path = sys.argv[1], sys.argv[2]
out = open(out_path, "a", buffering=1)
times = open(out_path + ".times", "a", buffering=1)
conns = {}  # ifname -> socket
counter = 0


def attach(name):
    global counter
    s = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
    local = f"/tmp/hwrec_{os.getpid()}_{counter}"
    counter += 1
    try:
        os.unlink(local)
    except FileNotFoundError:
        pass
    s.bind(local)
    try:
        s.connect(os.path.join(ctrl_dir, name))
        s.send(b"ATTACH")
        deadline = time.time() + 2
        while time.time() < deadline:
            r, _, _ = select.select([s], [], [], 0.2)
            if r:
                data = s.recv(65536)
                if data.startswith(b"OK"):
                    print(f"attached {name}", file=sys.stderr, flush=True)
                    return s
                handle(name, data)
    except OSError as e:
        print(f"attach {name}: {e}", file=sys.stderr, flush=True)
    s.close()
    os.unlink(local)
    return None


def handle(name, data):
    text = data.decode("utf-8", "replace")
    if text.startswith("IFNAME="):
        ifn, _, text = text.partition(" ")
        name = ifn[len("IFNAME="):]
    if text.startswith("<") and ">" in text[:4]:
        text = text[text.index(">") + 1:]
        line = f"{name}\t{text.replace(chr(10), ' ')}\n"
        times.write(f"{time.time():.6f}\t{line}")
        out.write(line)


while True:
    try:
        present = set(os.listdir(ctrl_dir))
    except FileNotFoundError:
        present = set()
    for name in sorted(present - set(conns)):
        s = attach(name)
        if s is not None:
            conns[name] = s
    for name in list(conns):
        if name not in present:
            conns.pop(name).close()
    if not conns:
        time.sleep(0.1)
        continue
    r, _, _ = select.select(list(conns.values()), [], [], 0.2)
    for s in r:
        name = next(n for n, c in conns.items() if c is s)
        try:
            handle(name, s.recv(65536))
        except OSError:
            conns.pop(name).close()
