#!/usr/bin/env python3
"""Seeds corpus/<target>/ from the stored test vectors (iwd and hwsim captures).

usage: cd wps/fuzz && ./seed_corpus.py  (fuzz/seed_corpus.py runs it too) && RUSTC_BOOTSTRAP=1 cargo fuzz run -O message corpus/message -- -max_total_time=20
"""
import os

for d in ('attr', 'message', 'eap', 'ie', 'reassembly', 'machines'):
    os.makedirs(f'corpus/{d}', exist_ok=True)


def put(target, name, data):
    # seed-*: committed; libFuzzer's own finds (hex names) are not (.gitignore).
    open(f'corpus/{target}/seed-{name}', 'wb').write(data)


for fname in ('../tests/vectors/iwd-test-wsc.txt', '../tests/vectors/hwsim-p2p-pin.txt'):
    for line in open(fname):
        if line.startswith('#') or ' ' not in line:
            continue
        k, v = line.split(' ', 1)
        b = bytes.fromhex(v.strip())
        if k.startswith('eap_'):
            eap = b[4:] if k.startswith(('eap_wsc', 'eap_identity', 'eap_fail')) else b  # iwd keeps EAPOL headers
            for t in ('eap', 'machines'):
                put(t, k, eap)
            put('reassembly', k, len(eap).to_bytes(2, 'big') + eap)
            if len(eap) > 14:
                put('message', k, eap[14:])
                put('attr', k, eap[14:])
        elif k.startswith('ie_') or k in ('wsc_attrs1', 'beacon1', 'probe_request1'):
            put('ie', k, bytes([221, min(len(b), 251) + 4, 0, 0x50, 0xf2, 4]) + b[:251])
            put('ie', k + '.payload', b)
            put('attr', k, b)
print('seeded', sum(len(os.listdir('corpus/' + d)) for d in os.listdir('corpus')), 'inputs')
