#!/usr/bin/env python3
"""Seeds the fuzz corpora of every fuzz crate from the captures in the repository.

    fuzz/seed_corpus.py            # from anywhere; rewrites every corpus/<target>/seed-*

Sources (all recorded from real wpa_supplicant / busybox in the hwtests guest):
  src/p2p/wire/tests/data/*/air.pcap, wps/captures/*/air.pcap.gz   802.11 (radiotap)
  nl80211/tests/data/*.pcap                                        netlink (nlmon)
  src/dhcp/captures/udhcpc-udhcpd.pcap                             Ethernet
  src/eapol/captures/*.txt                                         EAPOL-Key hex
  src/ctrl/request/tests.rs                                        control requests
  ndn/fuzz/corpus/decode_packet/seed-*                             NDN packets
The wps crate's seeds come from its own script (wps/fuzz/seed_corpus.py).

Seeds are named seed-<what>; libFuzzer's own finds (hex names) are not committed. The
total is kept to a few hundred KiB: each target gets at most MAX_PER_TARGET seeds,
the first of each kind found.
"""
import gzip
import hashlib
import os
import re
import struct
import subprocess
import sys
import zlib

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
MAX_PER_TARGET = 40
BSSID = bytes([2, 0, 0, 0, 0, 0])  # the go_machine target's group address
GO_SSID = b'DIRECT-fz'             # and its SSID

seeds = {}  # (crate dir, target) -> {name: bytes}


def put(crate, target, name, data):
    d = seeds.setdefault((crate, target), {})
    if len(d) >= MAX_PER_TARGET or data in d.values():
        return
    d[re.sub(r'[^A-Za-z0-9_.-]', '_', name)] = bytes(data)


def pcap_records(path):
    raw = open(path, 'rb').read()
    if path.endswith('.gz'):
        raw = gzip.decompress(raw)
    linktype = struct.unpack('<I', raw[20:24])[0]
    off = 24
    while off + 16 <= len(raw):
        incl = struct.unpack('<I', raw[off + 8:off + 12])[0]
        yield linktype, raw[off + 16:off + 16 + incl]
        off += 16 + incl


def elements(ies):
    i = 0
    while i + 2 <= len(ies) and i + 2 + ies[i + 1] <= len(ies):
        yield ies[i], ies[i + 2:i + 2 + ies[i + 1]]
        i += 2 + ies[i + 1]


def vendor_payload(ies, oui_type):
    out = b''
    for eid, body in elements(ies):
        if eid == 221 and body[:4] == oui_type:
            out += body[4:]
    return out


P2P = bytes([0x50, 0x6f, 0x9a, 0x09])
MGMT_FIXED = {0: 4, 1: 6, 2: 10, 3: 6, 4: 0, 5: 12, 8: 12, 10: 2, 11: 6, 12: 2}
SUBTYPE = {0: 'assoc_req', 1: 'assoc_resp', 2: 'reassoc_req', 3: 'reassoc_resp', 4: 'probe_req',
           5: 'probe_resp', 8: 'beacon', 10: 'disassoc', 11: 'auth', 12: 'deauth', 13: 'action'}


def with_ssid(frame, ssid):
    """The frame with its SSID element replaced (probe/assoc requests)."""
    st = frame[0] >> 4
    fixed = 24 + MGMT_FIXED.get(st, 0)
    out = bytearray(frame[:fixed])
    for eid, body in elements(frame[fixed:]):
        out += bytes([eid, len(ssid)]) + ssid if eid == 0 else bytes([eid, len(body)]) + body
    return bytes(out)


go_records = {}  # capture -> list of records for go_machine


def go_record(capture, kind, data):
    go_records.setdefault(capture, []).append(bytes([kind]) + struct.pack('>H', len(data)) + data)


def on_80211(capture, f, go_client=None):
    """One 802.11 frame (no radiotap, no FCS). go_client: the station whose frames to
    the GO go into a go_machine seed."""
    if len(f) < 24:
        return
    ftype, st = (f[0] >> 2) & 3, f[0] >> 4
    if ftype == 0:
        name = f'{capture}-{SUBTYPE.get(st, st)}'
        put('fuzz', 'mgmt_frame', name, f)
        body = f[24:]
        if st in MGMT_FIXED and st != 13:
            ies = body[MGMT_FIXED[st]:]
            put('fuzz', 'ies', name, ies)
            p2p = vendor_payload(ies, P2P)
            if p2p:
                put('fuzz', 'p2p_attr', name, p2p)
            if st in (5, 8) and p2p:
                put('fuzz', 'peers', name, ies)
            for eid, b in elements(ies):
                if eid == 48:
                    put('fuzz', 'eapol_kde', name + '-rsne', bytes([48, len(b)]) + b)
        if st == 13 and (body[:6] == bytes([4, 9]) + P2P or body[:5] == bytes([0x7f]) + P2P):
            sub = body[6] if body[0] == 4 else body[5]
            put('fuzz', 'p2p_frame', f'{capture}-action-{body[0]}-{sub}', body)
            put('fuzz', 'mgmt_frame', f'{capture}-action-{body[0]}-{sub}', f)
            p2p = vendor_payload(body[8 if body[0] == 4 else 7:], P2P)
            if p2p:
                put('fuzz', 'p2p_attr', f'{capture}-action-{body[0]}-{sub}', p2p)
            if body[0] == 4 and sub == 7:
                put('fuzz', 'pd_answer', f'{capture}-pd-req', body)
            if body[0] == 4 and sub in (3, 4):
                # The invitation target: a flags byte (persistent, active GO), then bodies
                # separated by 0xfe (the first body's first byte also picks the policy).
                for flags in range(4):
                    put('fuzz', 'invitation', f'{capture}-inv-{sub}-flags{flags}', bytes([flags]) + body)
        if go_client and f[10:16] == go_client and st in (0, 2, 4, 10, 11, 12):
            g = bytearray(with_ssid(f, GO_SSID) if st in (0, 2, 4) else f)
            if st != 4:
                g[4:10] = BSSID
            g[16:22] = BSSID if st != 4 else g[16:22]
            go_record(capture, 0, bytes(g))
            if st in (0, 2):
                go_record(capture, 2, b'\x01')  # the association response was acked
    elif ftype == 2:
        hdr = 24 + (6 if f[1] & 3 == 3 else 0) + (2 if st & 8 else 0)
        llc = f[hdr:hdr + 8]
        if llc == bytes([0xaa, 0xaa, 3, 0, 0, 0, 0x88, 0x8e]):
            pdu = f[hdr + 8:]
            if len(pdu) > 1 and pdu[1] == 3:
                put('fuzz', 'eapol_key', f'{capture}-eapol-key', pdu)
            if go_client and f[10:16] == go_client:
                go_record(capture, 1, pdu)


def strip_radiotap(rec):
    f = rec[struct.unpack('<H', rec[2:4])[0]:]
    if len(f) > 4 and zlib.crc32(f[:-4]) == struct.unpack('<I', f[-4:])[0]:
        f = f[:-4]
    return f


def air_captures():
    paths = []
    for d in ('src/p2p/wire/tests/data', 'wps/captures'):
        for sub in sorted(os.listdir(os.path.join(ROOT, d))):
            for n in ('air.pcap', 'air.pcap.gz'):
                p = os.path.join(ROOT, d, sub, n)
                if os.path.exists(p):
                    paths.append((sub, p))
    for name, p in paths:
        frames = [strip_radiotap(r) for lt, r in pcap_records(p) if lt == 127]
        # The P2P client: the transmitter of the first association request.
        client = next((f[10:16] for f in frames if len(f) >= 24 and f[0] == 0x00), None)
        for f in frames:
            on_80211(name, f, client if 'p2p-p' in name else None)


def genl(rec):
    """(from user?, netlink message) of an nlmon record (16-byte cooked header)."""
    nl = rec[16:]
    if len(nl) < 20:
        return None
    ln = struct.unpack('<I', nl[:4])[0]
    return (struct.unpack('<H', nl[6:8])[0] & 1 != 0), nl[:ln]


def nla(buf):
    i = 0
    while i + 4 <= len(buf):
        ln, kind = struct.unpack('<HH', buf[i:i + 4])
        if ln < 4 or i + ln > len(buf):
            return
        yield kind & 0x3fff, buf[i + 4:i + ln]
        i += (ln + 3) & ~3


def nl80211_captures():
    d = os.path.join(ROOT, 'nl80211/tests/data')
    for n in sorted(os.listdir(d)):
        if not n.endswith('.pcap'):
            continue
        msgs = [m for lt, r in pcap_records(os.path.join(d, n)) if lt == 253 for m in [genl(r)] if m]
        types = [struct.unpack('<H', m[4:6])[0] for u, m in msgs if u]
        fam = max(set(t for t in types if t > 0x10), key=types.count, default=None)
        base = n[:-5]
        for from_user, m in msgs:
            kind, flags, seq = struct.unpack('<HHI', m[4:12])
            if from_user:
                continue
            cmd = m[16] if len(m) > 16 else -1
            if kind == fam:
                put('nl80211/fuzz', 'message', f'{base}-cmd{cmd}', m[16:])
                dg = bytearray(m)
                dg[4:6] = struct.pack('<H', 0x1c)
                if seq:
                    dg[8:12] = struct.pack('<I', seq % 3 + 1)
                put('nl80211/fuzz', 'datagram', f'{base}-cmd{cmd}', bytes(dg))
                # Management frames and EAPOL the kernel hands an AP (ap-r0: a station
                # joins wpa_supplicant's AP at 02:00:00:00:00:00).
                if base == 'ap-r0' and cmd in (59, 129):
                    for k, v in nla(m[20:]):
                        if k == 51 and cmd == 59:
                            go_record(base, 0, with_ssid(v, GO_SSID) if v and v[0] in (0x00, 0x20, 0x40) else v)
                            if v and v[0] in (0x00, 0x20):
                                go_record(base, 2, b'\x01')
                            on_80211(base, v)
                        elif k == 51:
                            go_record(base, 1, v)
                            put('fuzz', 'eapol_key', f'{base}-eapol-key', v)
            elif kind in (2, 3, 0x10):
                put('nl80211/fuzz', 'datagram', f'{base}-type{kind}', m)


def dhcp_capture():
    p = os.path.join(ROOT, 'src/dhcp/captures/udhcpc-udhcpd.pcap')
    server_stream, client_stream = b'', b''
    for lt, r in pcap_records(p):
        if lt != 1 or r[12:14] != b'\x08\x00':
            continue
        ihl = (r[14] & 15) * 4
        udp = r[14 + ihl:]
        sport, dport = struct.unpack('>HH', udp[:4])
        msg = udp[8:]
        kind = next((b[0] for c, b in elements_dhcp(msg) if c == 53), 0)
        rec_len = struct.pack('>H', len(msg))
        if sport == 68:
            put('fuzz', 'dhcp_server', f'udhcpc-type{kind}', rec_len + b'\x00' + msg)
            server_stream += rec_len + b'\x00' + msg
        elif sport == 67:
            put('fuzz', 'dhcp_client', f'udhcpd-type{kind}', rec_len + b'\x03' + msg)
            client_stream += rec_len + b'\x03' + msg
    put('fuzz', 'dhcp_server', 'udhcpc-exchange', server_stream)
    put('fuzz', 'dhcp_client', 'udhcpd-exchange', client_stream)


def elements_dhcp(msg):
    opts, i = msg[240:], 0
    while i < len(opts) and opts[i] != 255:
        if opts[i] == 0:
            i += 1
            continue
        if i + 2 > len(opts):
            return
        yield opts[i], opts[i + 2:i + 2 + opts[i + 1]]
        i += 2 + opts[i + 1]


def eapol_captures():
    d = os.path.join(ROOT, 'src/eapol/captures')
    for n in sorted(os.listdir(d)):
        if not n.endswith('.txt'):
            continue
        for line in open(os.path.join(d, n)):
            k, _, v = line.strip().partition(' ')
            if re.fullmatch(r'msg[1-4]', k):
                put('fuzz', 'eapol_key', f'{n[:-4]}-{k}', bytes.fromhex(v))
            elif k == 'msg3_key_data':
                put('fuzz', 'eapol_kde', f'{n[:-4]}-{k}', bytes.fromhex(v))


def ctrl_requests():
    text = open(os.path.join(ROOT, 'src/ctrl/request/tests.rs')).read()
    per_word = {}
    for s in re.findall(r'\b[a-z_]+\("((?:[^"\\]|\\.)*)"\)', text):
        word = s.split(' ')[0].upper()
        per_word[word] = per_word.get(word, 0) + 1
        if re.match(r'(IFNAME=)?[A-Za-z0-9_-]+', s) and per_word[word] <= 2:
            b = s.encode().decode('unicode_escape').encode('latin-1', 'replace')
            put('fuzz', 'ctrl_request', hashlib.sha1(b).hexdigest()[:8] + '-' + s.split(' ')[0][:24], b)


def tlv_num(n):
    if n < 253:
        return bytes([n])
    if n <= 0xffff:
        return b'\xfd' + struct.pack('>H', n)
    return b'\xfe' + struct.pack('>I', n)


def tlv(t, v):
    return tlv_num(t) + tlv_num(len(v)) + v


def tlv_walk(b):
    i = 0
    while i < len(b):
        def num():
            nonlocal i
            x = b[i]
            i += 1
            if x < 253:
                return x
            w = {253: 2, 254: 4, 255: 8}[x]
            v = int.from_bytes(b[i:i + w], 'big')
            i += w
            return v
        try:
            t, ln = num(), num()
        except (IndexError, KeyError):
            return
        yield t, b[i:i + ln]
        i += ln


def ndn_seeds():
    src = os.path.join(ROOT, 'ndn/fuzz/corpus/decode_packet')
    for n in sorted(os.listdir(src)):
        if not n.startswith('seed-'):
            continue
        b = open(os.path.join(src, n), 'rb').read()
        for t, v in tlv_walk(b):
            whole = tlv(t, v)
            if t == 0x64:
                put('ndn/fuzz', 'lp', n[5:], whole)
                for t2, v2 in tlv_walk(v):
                    if t2 == 0x50:  # Fragment: the network-layer packet
                        ndn_packet(n[5:] + '-frag', v2)
            else:
                ndn_packet(n[5:], whole)
            break
    name = tlv(7, tlv(8, b'localhost') + tlv(8, b'nfd') + tlv(8, b'rib') + tlv(8, b'register'))
    cp = tlv(0x68, name + tlv(0x69, b'\x01') + tlv(0x6f, b'\x00') + tlv(0x6a, b'\x0a') + tlv(0x6c, b'\x01')
             + tlv(0x70, b'\x01') + tlv(0x6d, b'\x00\x00\xea\x60') + tlv(0x6b, tlv(7, tlv(8, b'best-route'))))
    put('ndn/fuzz', 'control_params', 'rib-register', cp)
    put('ndn/fuzz', 'control_params', 'face-create',
        tlv(0x68, tlv(0x72, b'udp4://192.0.2.1:6363') + tlv(0x85, b'\x01') + tlv(0x89, b'\x05\xdc')))
    put('ndn/fuzz', 'control_params', 'response-ok', tlv(0x65, tlv(0x66, b'\xc8') + tlv(0x67, b'OK') + cp))
    put('ndn/fuzz', 'control_params', 'response-nack', tlv(0x65, tlv(0x66, b'\x01\x95') + tlv(0x67, b'not found')))
    for uri in ('/', '/localhost/nfd/faces/list', 'ndn:/a/b%00c/%FF', '/8=a/32=metadata/54=%01',
                '/a/sha256digest=' + '00' * 32, '/v=5/seg=3/t=1700000000', '/.../....', '/%2F%2e'):
        put('ndn/fuzz', 'name', 'uri-' + hashlib.sha1(uri.encode()).hexdigest()[:8], uri.encode())


def ndn_packet(name, whole):
    t = whole[0]
    if t == 5:
        put('ndn/fuzz', 'interest', name, whole)
    elif t == 6:
        put('ndn/fuzz', 'data', name, whole)
    for t2, v2 in tlv_walk(whole[2:] if whole[1] < 253 else whole[4:]):
        if t2 == 7:
            put('ndn/fuzz', 'name', name, tlv(7, v2))
            break


def main():
    air_captures()
    nl80211_captures()
    for cap, recs in go_records.items():
        put('fuzz', 'go_machine', f'{cap}-pin', b'\x00' + b''.join(recs))
        put('fuzz', 'go_machine', f'{cap}-pbc', b'\x01' + b''.join(recs))
    dhcp_capture()
    eapol_captures()
    ctrl_requests()
    ndn_seeds()
    total = 0
    for (crate, target), files in sorted(seeds.items()):
        d = os.path.join(ROOT, crate, 'corpus', target)
        os.makedirs(d, exist_ok=True)
        for old in os.listdir(d):
            if old.startswith('seed-'):
                os.remove(os.path.join(d, old))
        for n, b in files.items():
            open(os.path.join(d, 'seed-' + n), 'wb').write(b)
            total += len(b)
        print(f'{crate}/corpus/{target}: {len(files)} seeds, {sum(map(len, files.values()))} bytes')
    wps = os.path.join(ROOT, 'wps/fuzz')
    subprocess.run([sys.executable, 'seed_corpus.py'], cwd=wps, check=True)
    print(f'total {total} bytes (plus wps)')


if __name__ == '__main__':
    main()
