"""Deletes or creates a mac80211_hwsim radio over generic netlink ("MAC80211_HWSIM").

Usage:
  hwsim-radio.py del NAME      HWSIM_CMD_DEL_RADIO by wiphy name (phy0): the radio goes
                               away as an unplugged device does (its interfaces first,
                               then the wiphy)
  hwsim-radio.py new [NAME]    HWSIM_CMD_NEW_RADIO with a P2P device, one channel; prints
                               the new radio's id (the kernel names it phy<N>, or NAME)

hwsim finds a radio to delete only in the caller's network namespace: run it where the
radio is (`on R python3 .../hwsim-radio.py del phyR`). A new radio lands in the caller's
namespace, and hwsim carries frames only between radios created in the same namespace
(its "netgroup"): create it in the initial namespace, where the module made the others,
then move it (`iw phy phyN set netns name rR`).
Exits non-zero with the kernel's error otherwise.
"""
import errno
import os
import socket
import struct
import sys

NETLINK_GENERIC = 16
GENL_ID_CTRL = 0x10
CTRL_CMD_GETFAMILY = 3
CTRL_ATTR_FAMILY_ID = 1
CTRL_ATTR_FAMILY_NAME = 2
NLM_F_REQUEST = 0x1
NLM_F_ACK = 0x4
NLMSG_ERROR = 0x2

# include/uapi/linux/mac80211_hwsim.h (drivers/net/wireless/virtual/mac80211_hwsim.h)
HWSIM_CMD_NEW_RADIO = 4
HWSIM_CMD_DEL_RADIO = 5
HWSIM_ATTR_CHANNELS = 9
HWSIM_ATTR_SUPPORT_P2P_DEVICE = 14
HWSIM_ATTR_RADIO_NAME = 17


def attr(kind, payload):
    n = 4 + len(payload)
    return struct.pack("=HH", n, kind) + payload + b"\0" * ((4 - n % 4) % 4)


def attrs(buf):
    out = {}
    while len(buf) >= 4:
        n, kind = struct.unpack_from("=HH", buf)
        if n < 4:
            break
        out[kind & 0x3FFF] = buf[4:n]
        buf = buf[(n + 3) & ~3:]
    return out


class Genl:
    def __init__(self):
        self.s = socket.socket(socket.AF_NETLINK, socket.SOCK_RAW, NETLINK_GENERIC)
        self.s.bind((0, 0))
        self.seq = 0

    def call(self, family, cmd, payload, version=1):
        """One request with an ACK; returns the reply messages' payloads (after the genl
        header) and the ACK's code (NEW_RADIO's is the new radio's id), or raises OSError
        with the kernel's errno."""
        self.seq += 1
        body = struct.pack("=BBH", cmd, version, 0) + payload
        msg = struct.pack("=IHHII", 16 + len(body), family, NLM_F_REQUEST | NLM_F_ACK, self.seq, 0) + body
        self.s.send(msg)
        replies = []
        while True:
            data = self.s.recv(65536)
            while len(data) >= 16:
                n, kind, _flags, seq, _pid = struct.unpack_from("=IHHII", data)
                if seq == self.seq:
                    if kind == NLMSG_ERROR:
                        (code,) = struct.unpack_from("=i", data, 16)
                        if code >= 0:
                            return replies, code
                        raise OSError(-code, os.strerror(-code))
                    replies.append(data[20:n])
                data = data[(n + 3) & ~3:]

    def family(self, name):
        r, _ = self.call(GENL_ID_CTRL, CTRL_CMD_GETFAMILY, attr(CTRL_ATTR_FAMILY_NAME, name.encode() + b"\0"))
        return struct.unpack("=H", attrs(r[0])[CTRL_ATTR_FAMILY_ID][:2])[0]


def main(argv):
    if len(argv) < 2 or argv[1] not in ("del", "new") or (argv[1] == "del" and len(argv) != 3):
        print(__doc__, file=sys.stderr)
        return 2
    g = Genl()
    try:
        fam = g.family("MAC80211_HWSIM")
    except OSError as e:
        print(f"hwsim-radio: no MAC80211_HWSIM family (is mac80211_hwsim loaded?): {e}", file=sys.stderr)
        return 1
    try:
        if argv[1] == "del":
            g.call(fam, HWSIM_CMD_DEL_RADIO, attr(HWSIM_ATTR_RADIO_NAME, argv[2].encode() + b"\0"))
            print(f"deleted {argv[2]}")
        else:
            p = attr(HWSIM_ATTR_SUPPORT_P2P_DEVICE, b"") + attr(HWSIM_ATTR_CHANNELS, struct.pack("=I", 1))
            if len(argv) > 2:
                p += attr(HWSIM_ATTR_RADIO_NAME, argv[2].encode() + b"\0")
            _, idx = g.call(fam, HWSIM_CMD_NEW_RADIO, p)
            print(idx)
    except OSError as e:
        what = "no such radio in this network namespace" if e.errno == errno.ENODEV else e.strerror
        print(f"hwsim-radio: {argv[1]} {' '.join(argv[2:])}: {what} (errno {e.errno})", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
