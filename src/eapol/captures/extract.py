#!/usr/bin/env python3
"""Turns the -ddK log of a wpa_supplicant P2P client (and the scenario log) into the
key/value text file the eapol tests read.

usage: extract.py CLIENT_LOG[.gz] SCENARIO_LOG OUT.txt [note lines...]

Kept from the client's log, first occurrence of the 4-way handshake only:
  aa, spa           PTK derivation addresses (A2 = authenticator, A1 = supplicant)
  pmk, ptk          logged with -K
  msg1..msg4        the EAPOL-Key frames received (RX) and sent (TX), in order
  later_rx/later_tx frames after those, up to the next message 1 (retransmissions)
  msg3_key_data     the key data of message 3 after AES key unwrap
Kept from the scenario log: passphrase, ssid, and the client's P2P-GROUP-STARTED event.
"""
import gzip
import re
import sys


def lines(path):
    opener = gzip.open if path.endswith(".gz") else open
    with opener(path, "rt", errors="replace") as f:
        return f.read().splitlines()


def hexdump(line):
    m = re.search(r"hexdump\(len=(\d+)\):((?: [0-9a-f]{2})*)", line)
    if not m:
        return None
    data = m.group(2).replace(" ", "")
    assert len(data) == 2 * int(m.group(1)), line
    return data


def main():
    log, scen, out = sys.argv[1:4]
    notes = sys.argv[4:]
    kv = []
    frames = []
    seen = set()
    for line in lines(log):
        if "WPA: RX EAPOL-Key - hexdump" in line or "WPA: TX EAPOL-Key - hexdump" in line:
            frames.append(("rx" if "RX EAPOL" in line else "tx", hexdump(line)))
        elif "WPA: PTK derivation - A1=" in line and "aa" not in seen:
            m = re.search(r"A1=([0-9a-f:]{17}) A2=([0-9a-f:]{17})", line)
            kv += [("spa", m.group(1)), ("aa", m.group(2))]
            seen.add("aa")
        elif "WPA: PMK - hexdump" in line and "pmk" not in seen:
            kv.append(("pmk", hexdump(line)))
            seen.add("pmk")
        elif "WPA: PTK - hexdump" in line and "ptk" not in seen:
            kv.append(("ptk", hexdump(line)))
            seen.add("ptk")
        elif "decrypted EAPOL-Key key data - hexdump" in line and "kd" not in seen:
            kv.append(("msg3_key_data", hexdump(line)))
            seen.add("kd")
    assert [d for d, _ in frames[:4]] == ["rx", "tx", "rx", "tx"], frames[:4]
    for i, (_, f) in enumerate(frames[:4], 1):
        kv.append(("msg%d" % i, f))
    # Later frames of the same association (retransmitted message 3 and the
    # answer), up to the next message 1 (Key Information 0x008a).
    for d, f in frames[4:]:
        if d == "rx" and f[10:14] == "008a":
            break
        kv.append(("later_" + d, f))
    for line in lines(scen):
        m = re.search(r"\] (passphrase|ssid): (.*)$", line)
        if m:
            kv.append((m.group(1), m.group(2)))
        m = re.search(r"\] client: (P2P-GROUP-STARTED .*)$", line)
        if m:
            kv.append(("client_event", m.group(1)))
    with open(out, "w") as f:
        for n in notes:
            f.write("# %s\n" % n)
        for k, v in kv:
            f.write("%s %s\n" % (k, v))


main()
