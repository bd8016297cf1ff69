"""A bounded TCP transfer for hwtests: `transfer.py recv PORT OUTFILE` accepts one
connection and writes what arrives (30 s limit); `transfer.py send IP PORT INFILE` sends
the file and closes. busybox's small nc stops after its first read of a file, so the
harness uses this instead."""
import socket
import sys

mode = sys.argv[1]
if mode == "recv":
    port, path = int(sys.argv[2]), sys.argv[3]
    srv = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    srv.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    srv.bind(("0.0.0.0", port))
    srv.listen(1)
    srv.settimeout(30)
    conn, _ = srv.accept()
    conn.settimeout(30)
    with open(path, "wb") as f:
        while True:
            chunk = conn.recv(65536)
            if not chunk:
                break
            f.write(chunk)
elif mode == "send":
    ip, port, path = sys.argv[2], int(sys.argv[3]), sys.argv[4]
    with socket.create_connection((ip, port), timeout=30) as s, open(path, "rb") as f:
        s.sendall(f.read())
else:
    sys.exit("usage: transfer.py recv PORT OUTFILE | send IP PORT INFILE")
