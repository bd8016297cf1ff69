#!/usr/bin/env python3
"""Cuts the nlmon captures of capture.sh into per-step test data, records copied verbatim.

usage: split.py ARTIFACTS_DIR OUT_DIR          (capture.sh's artifacts)
       split.py --ap ARTIFACTS_DIR OUT_DIR     (capture-ap.sh's: ap-r0, ap-r1)

Keeps only generic netlink records (cooked header protocol 16) and, for step i, only the
records captured before the first record of step i+1 (the tcpdumps of earlier steps may
keep running). wpas-r0/wpas-r1 are cut to the nl80211 messages of interest for the
second-part codec tests (everything else in them is dropped to keep the files small).
"""
import struct, sys, os

STEPS = ["iw-phy", "iw-dev", "p2pdev-add", "iw-dev-p2p", "p2p-start", "p2p-stop",
         "p2pdev-del", "bad-ifname", "scan"]

def records(path):
    d = open(path, "rb").read()
    hdr, off, out = d[:24], 24, []
    while off + 16 <= len(d):
        sec, usec, incl, orig = struct.unpack("<IIII", d[off:off + 16])
        out.append((sec + usec / 1e6, d[off:off + 16 + incl]))
        off += 16 + incl
    return hdr, out

def generic(rec):
    return struct.unpack(">H", rec[16 + 14:16 + 16])[0] == 16

# Dump replies already covered by iw-phy (wiphy) or of no interest (survey): dropped.
BULKY = {3, 51}  # NL80211_CMD_NEW_WIPHY, NL80211_CMD_NEW_SURVEY_RESULTS

def bulky(rec):
    body, o, cmds = rec[32:], 0, set()
    while o + 20 <= len(body):
        ln, ty = struct.unpack("<IH", body[o:o + 6])
        if ln < 16:
            break
        cmds.add(body[o + 16] if ty >= 16 else None)
        o += (ln + 3) & ~3
    return bool(cmds) and cmds <= BULKY

def write(path, hdr, recs):
    with open(path, "wb") as f:
        f.write(hdr)
        for r in recs:
            f.write(r)

if sys.argv[1] == "--ap":
    art, out = sys.argv[2], sys.argv[3]
    os.makedirs(out, exist_ok=True)
    for s in ["ap-r0", "ap-r1"]:
        hdr, recs = records(os.path.join(art, s + ".pcap"))
        keep = [r for t, r in recs if generic(r) and not bulky(r)]
        write(os.path.join(out, s + ".pcap"), hdr, keep)
        print(s, len(keep), sum(len(r) for r in keep))
    sys.exit(0)

art, out = sys.argv[1], sys.argv[2]
os.makedirs(out, exist_ok=True)
loaded = {s: records(os.path.join(art, s + ".pcap")) for s in STEPS}
for i, s in enumerate(STEPS):
    hdr, recs = loaded[s]
    cut = float("inf")
    nxt = loaded[STEPS[i + 1]][1] if i + 1 < len(STEPS) else records(os.path.join(art, "wpas-r0.pcap"))[1]
    if nxt:
        cut = nxt[0][0]
    keep = [r for t, r in recs if t < cut and generic(r)]
    write(os.path.join(out, s + ".pcap"), hdr, keep)
    print(s, len(keep), sum(len(r) for r in keep))
for s in ["wpas-r0", "wpas-r1"]:
    hdr, recs = records(os.path.join(art, s + ".pcap"))
    keep = [r for t, r in recs if generic(r) and not bulky(r)]
    write(os.path.join(out, s + ".pcap"), hdr, keep)
    print(s, len(keep), sum(len(r) for r in keep))
