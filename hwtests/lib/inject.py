"""Hostile 802.11 frames for hwtests: `inject.py IFNAME [options]` sends radiotap-framed
frames through an AF_PACKET socket on a monitor interface (on another hwsim radio, set to
the target's channel) and prints how many it sent, per kind, as `sent N` then
`KIND N` lines.

The frames are built and mangled by a generator seeded with --seed, so a run that broke
something is repeated exactly by giving the same seed (and the same options):
  probe    probe requests (wildcard or DIRECT- SSID) with P2P and WSC IEs mangled:
           truncated, oversized, wrong lengths, garbage attributes
  action   every P2P public action subtype (GO Negotiation Request/Response/Confirmation,
           Invitation Request/Response, Device Discoverability Request/Response,
           Provision Discovery Request/Response) and P2P action frames (NoA, presence,
           GO discoverability), with garbage attributes, to --dev and to broadcast
  auth     open-system authentication from random addresses to --bssid
  assoc    (re)association requests from random addresses, mangled IEs (SSID, rates,
           RSN, WSC, P2P)
  deauth   deauthentication and disassociation to --bssid from random addresses (never
           the real client's), also to --sta when given (as if from someone else)
  eapol    EAPOL-Key data frames to --bssid: bad MIC, replayed counters, wrong lengths;
           from random addresses and, with --sta, from that station (spoofed: only an
           associated station's EAPOL reaches the authenticator)

options: --seed N (default 1), --rate FRAMES_PER_SECOND (default 100), --seconds S
(default 10), --count N (stop after N frames), --kinds probe,action,... (default all),
--bssid MAC (the GO's group interface; default broadcast), --dev MAC (the P2P device
address of the target), --sta MAC (a real station of the group), --to-sta (EAPOL and
deauth towards --sta from --bssid, for a target that is the client), --pidfile FILE
(SIGTERM to that pid ends the flood early; the counts are still printed), --clean F
(the fraction of frames whose elements are left well formed, default 0.2: those are
answered, probe responses, authentication responses, and cost the target most)."""
import argparse
import os
import random
import signal
import socket
import struct
import sys
import time

BCAST = b"\xff" * 6
P2P_OUI = b"\x50\x6f\x9a\x09"
WSC_OUI = b"\x00\x50\xf2\x04"

# Radiotap: version 0, length 10, TX flags present (bit 15) = NOACK (0x0008): no
# retries of frames nobody acknowledges.
RADIOTAP = struct.pack("<BBHIH", 0, 0, 10, 1 << 15, 0x0008)


def mac(s):
    return bytes(int(x, 16) for x in s.split(":"))


class Gen:
    def __init__(self, seed, bssid, dev, sta, to_sta, clean):
        self.r = random.Random(seed)
        self.clean = clean
        self.bssid = bssid
        self.dev = dev
        self.sta = sta
        self.to_sta = to_sta
        self.seq = 0

    def rand_mac(self):
        # Locally administered unicast, never the real station's.
        while True:
            a = bytes([0x02 | (self.r.randrange(256) & 0xfc)]) + bytes(self.r.randrange(256) for _ in range(5))
            if a != self.sta and a != self.dev and a != self.bssid:
                return a

    def garbage(self, n):
        return self.r.randbytes(n)

    def hdr(self, fc, da, sa, bssid):
        self.seq = (self.seq + 1) & 0xfff
        return struct.pack("<HH", fc, 0) + da + sa + bssid + struct.pack("<H", self.seq << 4)

    # ---- elements and their mangling

    def ie(self, eid, body):
        return bytes([eid, len(body) & 0xff]) + body[:255]

    def attrs(self, n):
        """P2P attributes: real ids (0..27, 221) with random or wrong lengths."""
        out = b""
        for _ in range(n):
            aid = self.r.choice(list(range(0, 28)) + [221, self.r.randrange(256)])
            body = self.garbage(self.r.choice([0, 1, 2, 3, 6, 8, 17, 40, self.r.randrange(200)]))
            ln = len(body)
            if self.r.random() < 0.25:
                ln = self.r.choice([0, 1, ln + 1, ln + 7, 0xffff, self.r.randrange(0x10000)])
            out += bytes([aid]) + struct.pack("<H", ln & 0xffff) + body
        return out

    def wsc(self, n):
        """WSC attributes (big-endian type/length), some with wrong lengths."""
        out = b""
        for _ in range(n):
            t = self.r.choice([0x1008, 0x1012, 0x103a, 0x103b, 0x1047, 0x1054, 0x1011, 0x1049, 0x104a, self.r.randrange(0x10000)])
            body = self.garbage(self.r.choice([0, 1, 2, 16, 32, self.r.randrange(120)]))
            ln = len(body)
            if self.r.random() < 0.25:
                ln = self.r.choice([0, ln + 1, ln + 20, 0xffff])
            out += struct.pack(">HH", t, ln) + body
        return out

    def vendor_ies(self):
        out = b""
        if self.r.random() < 0.8:
            out += self.ie(221, P2P_OUI + self.attrs(self.r.randrange(0, 6)))
        if self.r.random() < 0.6:
            out += self.ie(221, WSC_OUI + self.wsc(self.r.randrange(0, 6)))
        return out

    def mangle(self, ies):
        """As is (with the probability --clean), else one of: truncated, an element
        claiming more than is left, an oversized run of elements, random bytes flipped,
        random bytes instead."""
        if self.r.random() < self.clean:
            return ies
        k = self.r.randrange(1, 6)
        if not ies:
            return ies
        if k == 1:
            return ies[: self.r.randrange(len(ies))]
        if k == 2:
            return ies + bytes([self.r.choice([0, 1, 3, 50, 221, 48]), 255]) + self.garbage(self.r.randrange(40))
        if k == 3:
            return ies + b"".join(self.ie(self.r.choice([221, 0, 1, 48, 50, 127]), self.garbage(255)) for _ in range(self.r.randrange(1, 6)))
        if k == 4:
            b = bytearray(ies)
            for _ in range(self.r.randrange(1, 8)):
                b[self.r.randrange(len(b))] = self.r.randrange(256)
            return bytes(b)
        return self.garbage(self.r.randrange(0, 300))

    def ssid(self):
        return self.ie(0, self.r.choice([b"", b"DIRECT-", b"DIRECT-" + self.garbage(2), self.garbage(self.r.randrange(0, 40))]))

    def rates(self):
        return self.ie(1, bytes([12, 18, 24, 36, 48, 72, 96, 108][: self.r.randrange(0, 9)]))

    # ---- frames

    def probe(self):
        ies = self.ssid() + self.rates() + self.vendor_ies()
        return self.hdr(0x0040, BCAST, self.rand_mac(), BCAST) + self.mangle(ies)

    def action(self):
        sa = self.rand_mac()
        da = self.r.choice([self.dev or BCAST, BCAST, self.bssid or BCAST])
        bssid = self.r.choice([da, BCAST, sa])
        if self.r.random() < 0.8:
            subtype = self.r.randrange(0, 10)  # 0..8 and one unknown
            body = bytes([4, 9]) + P2P_OUI + bytes([subtype, self.r.randrange(256)])
        else:
            subtype = self.r.randrange(0, 5)  # NoA, presence req/resp, GO disc req, unknown
            body = bytes([127]) + P2P_OUI + bytes([subtype, self.r.randrange(256)])
        tail = self.ie(221, P2P_OUI + self.attrs(self.r.randrange(0, 8)))
        if self.r.random() < 0.4:
            tail += self.ie(221, WSC_OUI + self.wsc(self.r.randrange(0, 5)))
        return self.hdr(0x00d0, da, sa, bssid) + body + self.mangle(tail)

    def auth(self):
        body = struct.pack("<HHH", self.r.choice([0, 0, 0, 1, 3, self.r.randrange(65536)]), self.r.choice([1, 1, 2, 3]), 0)
        if self.r.random() < 0.2:
            body = body[: self.r.randrange(len(body))]
        return self.hdr(0x00b0, self.bssid or BCAST, self.rand_mac(), self.bssid or BCAST) + body

    def assoc(self):
        reassoc = self.r.random() < 0.3
        fixed = struct.pack("<HH", self.r.randrange(65536), self.r.randrange(65536))
        if reassoc:
            fixed += self.bssid or BCAST
        ies = self.ssid() + self.rates()
        if self.r.random() < 0.5:
            ies += self.ie(48, self.garbage(self.r.choice([2, 18, 20, 22, self.r.randrange(60)])))
        ies += self.vendor_ies()
        fc = 0x0020 if reassoc else 0x0000
        return self.hdr(fc, self.bssid or BCAST, self.rand_mac(), self.bssid or BCAST) + fixed + self.mangle(ies)

    def deauth(self):
        fc = self.r.choice([0x00c0, 0x00a0])
        reason = struct.pack("<H", self.r.randrange(1, 60))
        if self.to_sta and self.sta:
            # To the client, as if from another address of the air.
            return self.hdr(fc, self.sta, self.rand_mac(), self.rand_mac()) + reason
        da = self.bssid or BCAST
        return self.hdr(fc, da, self.rand_mac(), da) + reason

    def eapol_key(self):
        """An EAPOL-Key (802.1X-2004, RSN descriptor): MIC set but wrong, replay counters
        low (replayed) or random, key data lengths that disagree with the body."""
        info = self.r.choice([0x010a, 0x030a, 0x13ca, 0x008a, 0x0309, self.r.randrange(65536)])
        counter = self.r.choice([0, 1, 2, self.r.randrange(1 << 64)])
        kd = self.garbage(self.r.choice([0, 22, 56, self.r.randrange(100)]))
        kd_len = len(kd)
        if self.r.random() < 0.3:
            kd_len = self.r.choice([kd_len + 1, kd_len + 100, 0xffff])
        body = struct.pack(">BHHQ", 2, info, 16, counter) + self.garbage(32) + self.garbage(16) + bytes(8) + bytes(8) + self.garbage(16) + struct.pack(">H", kd_len) + kd
        ln = len(body)
        if self.r.random() < 0.2:
            ln = self.r.choice([0, ln - 1, ln + 10, 0xffff])
        pdu = struct.pack(">BBH", 2, 3, ln & 0xffff) + body
        if self.r.random() < 0.15:
            pdu = pdu[: self.r.randrange(4, len(pdu))]
        llc = b"\xaa\xaa\x03\x00\x00\x00\x88\x8e"
        if self.to_sta and self.sta:
            # To the client (from-DS), as if from the GO.
            return self.hdr(0x0208, self.sta, self.bssid or BCAST, self.bssid or BCAST) + llc + pdu
        sa = self.sta if (self.sta and self.r.random() < 0.5) else self.rand_mac()
        da = self.bssid or BCAST
        # To the GO (to-DS): addr1 BSSID, addr2 SA, addr3 DA.
        return self.hdr(0x0108, da, sa, da) + llc + pdu


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("ifname")
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("--rate", type=float, default=100.0)
    p.add_argument("--seconds", type=float, default=10.0)
    p.add_argument("--count", type=int, default=0)
    p.add_argument("--kinds", default="probe,action,auth,assoc,deauth,eapol")
    p.add_argument("--bssid")
    p.add_argument("--dev")
    p.add_argument("--sta")
    p.add_argument("--to-sta", action="store_true")
    p.add_argument("--clean", type=float, default=0.2, help="fraction of frames left well formed (answered)")
    p.add_argument("--pidfile", help="write our pid here; SIGTERM ends the flood early, counts printed")
    a = p.parse_args()
    stop = []
    signal.signal(signal.SIGTERM, lambda *_: stop.append(1))
    if a.pidfile:
        with open(a.pidfile, "w") as f:
            f.write(f"{os.getpid()}\n")
    g = Gen(a.seed, mac(a.bssid) if a.bssid else None, mac(a.dev) if a.dev else None, mac(a.sta) if a.sta else None, a.to_sta, a.clean)
    makers = {"probe": g.probe, "action": g.action, "auth": g.auth, "assoc": g.assoc, "deauth": g.deauth, "eapol": g.eapol_key}
    kinds = [k for k in a.kinds.split(",") if k]
    for k in kinds:
        if k not in makers:
            sys.exit(f"inject.py: unknown kind {k!r} (one of {', '.join(makers)})")
    s = socket.socket(socket.AF_PACKET, socket.SOCK_RAW)
    s.bind((a.ifname, 0))
    counts = {k: 0 for k in kinds}
    sent = failed = 0
    start = time.monotonic()
    end = start + a.seconds
    gap = 1.0 / a.rate if a.rate > 0 else 0.0
    while not stop and time.monotonic() < end and (a.count == 0 or sent < a.count):
        k = kinds[g.r.randrange(len(kinds))]
        frame = makers[k]()
        try:
            s.send(RADIOTAP + frame)
            counts[k] += 1
            sent += 1
        except OSError:
            failed += 1
        # Paced against the start, so a slow send does not lower the rate.
        due = start + sent * gap
        d = due - time.monotonic()
        if d > 0:
            time.sleep(d)
    print(f"sent {sent}")
    for k in kinds:
        print(f"{k} {counts[k]}")
    if failed:
        print(f"failed {failed}")
    return 0 if sent else 1


if __name__ == "__main__":
    sys.exit(main())
