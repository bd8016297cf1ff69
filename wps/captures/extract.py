#!/usr/bin/env python3
"""Turns the artifacts of a wps capture scenario into a test-vector file.

usage: extract.py ARTIFACTS_DIR OUT_FILE [NOTE...]

ARTIFACTS_DIR is target/hwtests/<scenario>/ (air.pcap, wpas-0.log = registrar side,
wpas-1.log = enrollee side). The output has `name hex` lines:
  eap_N_<to-enrollee|to-registrar>   every EAP packet carried in EAPOL on the air, in order
                                     (802.11 retries of an identical frame dropped)
  enrollee_<label> / registrar_<label>
                                     every distinct value each side logged as
                                     "WPS: <label> - hexdump(len=N): ..." (wpa_supplicant -ddK);
                                     later values of a label are named <label>_#2, _#3...
  ie_<frame kind>_<n>                 distinct WSC IE payloads of beacons, probe requests and
                                     responses, (re)association requests and responses
  credential_ssid / credential_passphrase
                                     from the scenario log (the group's P2P-GROUP-STARTED)
"""
import re
import struct
import sys

art, out = sys.argv[1], sys.argv[2]
notes = sys.argv[3:]


def eapol_frames(path):
    data = open(path, 'rb').read()
    magic = struct.unpack('<I', data[:4])[0]
    endian = '<' if magic in (0xa1b2c3d4, 0xa1b23c4d) else '>'
    linktype = struct.unpack(endian + 'I', data[20:24])[0]
    assert linktype == 127, f'expected radiotap (127), got {linktype}'
    pos, last = 24, None
    while pos + 16 <= len(data):
        _, _, incl, _ = struct.unpack(endian + 'IIII', data[pos:pos + 16])
        pkt = data[pos + 16:pos + 16 + incl]
        pos += 16 + incl
        rt_len = struct.unpack('<H', pkt[2:4])[0]
        f = pkt[rt_len:]
        if len(f) < 24:
            continue
        fc0, fc1 = f[0], f[1]
        ftype, subtype = (fc0 >> 2) & 3, fc0 >> 4
        if ftype != 2:
            continue
        hdr = 24 + (6 if (fc1 & 3) == 3 else 0) + (2 if subtype & 8 else 0)
        body = f[hdr:]
        if body[:8] != b'\xaa\xaa\x03\x00\x00\x00\x88\x8e':
            continue
        eapol = body[8:]
        if len(eapol) < 4 or eapol[1] != 0:  # type 0: EAP packet
            continue
        length = struct.unpack('>H', eapol[2:4])[0]
        eap = eapol[4:4 + length]
        tx = f[10:16]
        key = (tx, eap)
        if key == last:
            continue  # 802.11 retry of the same frame
        last = key
        yield f[4:10], tx, eap


MGMT = {0: ('assoc_request', 4), 1: ('assoc_response', 6), 2: ('reassoc_request', 10),
        4: ('probe_request', 0), 5: ('probe_response', 12), 8: ('beacon', 12)}


def wsc_elements(path, per_kind=3):
    """Distinct WSC IE payloads (vendor elements 00:50:F2:04 concatenated) per frame kind."""
    data = open(path, 'rb').read()
    endian = '<' if struct.unpack('<I', data[:4])[0] in (0xa1b2c3d4, 0xa1b23c4d) else '>'
    found, pos = {}, 24
    while pos + 16 <= len(data):
        incl = struct.unpack(endian + 'I', data[pos + 8:pos + 12])[0]
        pkt = data[pos + 16:pos + 16 + incl]
        pos += 16 + incl
        f = pkt[struct.unpack('<H', pkt[2:4])[0]:]
        if len(f) < 24 or (f[0] >> 2) & 3 != 0 or (f[0] >> 4) not in MGMT:
            continue
        kind, fixed = MGMT[f[0] >> 4]
        ies, i, wsc = f[24 + fixed:], 0, b''
        while i + 2 <= len(ies):
            eid, ln = ies[i], ies[i + 1]
            body = ies[i + 2:i + 2 + ln]
            if eid == 221 and body[:4] == b'\x00\x50\xf2\x04':
                wsc += body[4:]
            i += 2 + ln
        lst = found.setdefault(kind, [])
        if wsc and wsc not in lst and len(lst) < per_kind:
            lst.append(wsc)
    return found


def log_values(path):
    vals = {}
    pat = re.compile(r'WPS: (.+?) - hexdump\(len=(\d+)\):((?: [0-9a-f]{2})*)')
    for line in open(path, errors='replace'):
        m = pat.search(line)
        if not m:
            continue
        label = re.sub(r'[^a-z0-9]+', '_', m.group(1).strip().lower()).strip('_')
        hexv = m.group(3).replace(' ', '')
        if len(hexv) // 2 != int(m.group(2)):
            continue  # truncated or [REMOVED]
        # A label logged again with a new value gets a numbered name (label_2, ...).
        seen = [k for k in vals if k == label or k.startswith(label + '_#')]
        if any(vals[k] == hexv for k in seen):
            continue
        vals[label if not seen else f'{label}_#{len(seen) + 1}'] = hexv
    return vals


lines = ['# ' + n for n in notes]
frames = list(eapol_frames(f'{art}/air.pcap'))
# The registrar (EAP server) sends Requests (code 1) and Failure (4).
for i, (dst, src, eap) in enumerate(frames):
    d = 'to_enrollee' if eap[0] in (1, 3, 4) else 'to_registrar'
    lines.append(f'eap_{i:02d}_{d} {eap.hex()}')
for kind, payloads in sorted(wsc_elements(f'{art}/air.pcap').items()):
    for j, w in enumerate(payloads):
        lines.append(f'ie_{kind}_{j} {w.hex()}')
for side, log in (('registrar', 'wpas-0.log'), ('enrollee', 'wpas-1.log')):
    for k, v in log_values(f'{art}/{log}').items():
        lines.append(f'{side}_{k} {v}')
for line in open(f'{art}/scenario.log', errors='replace'):
    m = re.search(r'\] (ssid|passphrase): (.+)$', line.rstrip('\n'))
    if m:
        lines.append(f'credential_{m.group(1)} {m.group(2).encode().hex()}')
open(out, 'w').write('\n'.join(lines) + '\n')
print(f'{len(frames)} EAP packets, {len(lines) - len(frames) - len(notes)} logged values -> {out}')
