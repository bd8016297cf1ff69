#!/usr/bin/env python3
"""python-ndn applications for the ndn-probe-* scenarios (python-ndn 0.5.2, unmodified).

Roles:
  producer SOCKET PREFIX BYTES       serve BYTES of seeded pseudo-random content under
                                     PREFIX/seg=N (4096-byte segments, FinalBlockId on the
                                     last); prints `READY sha256=<hex>` once registered
  consumer SOCKET PREFIX DEADLINE_S [START_FILE]
                                     (once START_FILE exists, if given) fetch PREFIX/seg=0
                                     every 0.2 s until the first Data (or DEADLINE_S), then
                                     every segment with 8 Interests in flight; prints one JSON
                                     line: first_data (unix time), segments, seconds (after the
                                     first Data), sha256, errors; READY on stderr once loaded
  fetch SOCKET NAME LIFETIME_MS      one Interest; prints JSON {ok, nack|timeout, seconds}
  standin OWN_IP GO_IP PREFIX SECS   a stand-in for the Android app (NDNOverWifiDirect) over
                                     UDP port 6363 on OWN_IP: probes the GO every SECS with
                                     the app's unique names (`probe?<ms>`), answers probes in
                                     the app's format (decimal count, `\\n`-joined prefixes),
                                     serves PREFIX; prints a line per event

Applications attach to a daemon's Unix socket (`--ndn-socket`), as they would to NFD's.
"""
import asyncio
import hashlib
import json
import random
import socket
import sys
import time

SEGMENT = 4096
WINDOW = 8


def content_of(size):
    rng = random.Random(20261203)
    return bytes(rng.getrandbits(8) for _ in range(size))


def make_app(sock):
    from ndn.app import NDNApp
    from ndn.security import KeychainDigest
    from ndn.transport.stream_face import UnixFace
    return NDNApp(face=UnixFace(sock), keychain=KeychainDigest())


def role_producer(sock, prefix, size):
    from ndn.encoding import Component, Name
    app = make_app(sock)
    data = content_of(int(size))
    segs = [data[i:i + SEGMENT] for i in range(0, len(data), SEGMENT)] or [b'']
    last = Component.from_segment(len(segs) - 1)
    base = Name.from_str(prefix)

    def on_interest(name, _param, _app_param):
        if len(name) != len(base) + 1 or Component.get_type(name[-1]) != Component.TYPE_SEGMENT:
            return
        i = Component.to_number(name[-1])
        if i < len(segs):
            app.put_data(name, content=segs[i], freshness_period=10000, final_block_id=last)

    async def started():
        ok = await app.register(prefix, on_interest)
        print(('READY sha256=' + hashlib.sha256(data).hexdigest()) if ok else 'REGFAIL', flush=True)

    app.run_forever(after_start=started())


def role_consumer(sock, prefix, deadline_s, start_file=None):
    from ndn.encoding import Component, Name
    from ndn.types import InterestNack, InterestTimeout
    app = make_app(sock)
    base = Name.from_str(prefix)
    out = {'errors': 0}

    async def get(i, lifetime):
        _name, meta, content = await app.express_interest(
            base + [Component.from_segment(i)], must_be_fresh=False, can_be_prefix=False, lifetime=lifetime)
        return meta, bytes(content or b'')

    async def run():
        try:
            print('READY', file=sys.stderr, flush=True)
            if start_file:
                import os
                while not os.path.exists(start_file):
                    await asyncio.sleep(0.05)
            end = time.time() + float(deadline_s)
            first = None
            while first is None and time.time() < end:
                try:
                    first = await get(0, 1000)
                except (InterestNack, InterestTimeout):
                    out['errors'] += 1
                    await asyncio.sleep(0.2)
            if first is None:
                out['error'] = 'no Data before the deadline'
                return
            out['first_data'] = time.time()
            meta, c0 = first
            n = Component.to_number(meta.final_block_id) + 1 if meta.final_block_id else 1
            parts = {0: c0}
            t0 = time.time()
            queue = list(range(1, n))

            async def worker():
                while queue:
                    i = queue.pop(0)
                    for _ in range(5):
                        try:
                            _m, c = await get(i, 2000)
                            parts[i] = c
                            break
                        except (InterestNack, InterestTimeout):
                            out['errors'] += 1
            await asyncio.gather(*(worker() for _ in range(WINDOW)))
            out['seconds'] = round(time.time() - t0, 3)
            out['segments'] = len(parts)
            out['sha256'] = hashlib.sha256(b''.join(parts[i] for i in sorted(parts))).hexdigest()
        except Exception as e:  # noqa: BLE001 - reported as JSON
            out['error'] = repr(e)
        finally:
            app.shutdown()

    app.run_forever(after_start=run())
    print(json.dumps(out), flush=True)


def role_fetch(sock, name, lifetime_ms):
    from ndn.types import InterestNack, InterestTimeout
    app = make_app(sock)
    out = {}

    async def run():
        t0 = time.time()
        try:
            _n, _m, content = await app.express_interest(name, must_be_fresh=False, lifetime=int(lifetime_ms))
            out.update(ok=True, content=bytes(content or b'')[:64].decode(errors='replace'))
        except InterestNack as e:
            out.update(ok=False, nack=e.reason)
        except InterestTimeout:
            out.update(ok=False, timeout=True)
        except Exception as e:  # noqa: BLE001
            out.update(ok=False, error=repr(e))
        finally:
            out['seconds'] = round(time.time() - t0, 3)
            app.shutdown()

    app.run_forever(after_start=run())
    print(json.dumps(out), flush=True)


def parse_app_answer(content):
    """The app's format only: decimal count, then the prefixes (strict)."""
    text = content.decode()
    lines = text.split('\n')
    count = int(lines[0])
    prefixes = [p for p in lines[1:] if p]
    if count != len(prefixes):
        raise ValueError(f'count {count} but {len(prefixes)} prefixes')
    return prefixes


def role_standin(own_ip, go_ip, prefix, every):
    from ndn.encoding import (Component, InterestParam, MetaInfo, Name, make_data, make_interest,
                              parse_data, parse_interest)
    from ndn.security import DigestSha256Signer
    signer = DigestSha256Signer()
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    s.bind((own_ip, 6363))
    s.settimeout(0.2)
    own_probe = Name.from_str(f'/localhop/wifidirect/{own_ip}')
    mine = Name.from_str(prefix)
    go = (go_ip, 6363)
    next_probe = time.time()
    print('READY', flush=True)

    def say(*a):
        print(*a, flush=True)

    def is_prefix(p, n):
        return len(n) >= len(p) and all(a == b for a, b in zip(p, n))

    while True:
        if time.time() >= next_probe:
            next_probe = time.time() + float(every)
            stamp = str(int(time.time() * 1000)).encode()
            name = Name.from_str(f'/localhop/wifidirect/{go_ip}/{own_ip}') + [Component.from_bytes(b'probe?' + stamp)]
            wire = make_interest(name, InterestParam(must_be_fresh=True, lifetime=4000, nonce=random.getrandbits(32)))
            s.sendto(wire, go)
            say('PROBE-SENT', Name.to_str(name))
        try:
            pkt, frm = s.recvfrom(9000)
        except socket.timeout:
            continue
        if not pkt or pkt[0] not in (5, 6):
            say('SKIP', pkt[:1].hex(), frm)
            continue
        try:
            if pkt[0] == 5:
                name, _param, _ap, _sig = parse_interest(pkt, with_tl=True)
                if is_prefix(own_probe, name):
                    answer = f'1\n{prefix}'.encode()
                    s.sendto(make_data(name, MetaInfo(), answer, signer=signer), frm)
                    say('PROBE-ANSWERED', Name.to_str(name), frm[0])
                elif is_prefix(mine, name):
                    s.sendto(make_data(name, MetaInfo(freshness_period=1000), b'from the app stand-in', signer=signer), frm)
                    say('DATA-SERVED', Name.to_str(name))
                else:
                    say('INTEREST-IGNORED', Name.to_str(name))
            else:
                name, _meta, content, _sig = parse_data(pkt, with_tl=True)
                prefixes = parse_app_answer(bytes(content or b''))
                say('ANSWER', Name.to_str(name), 'prefixes=' + ','.join(prefixes))
        except Exception as e:  # noqa: BLE001 - a stand-in logs and goes on
            say('ERROR', repr(e))


def main():
    role, args = sys.argv[1], sys.argv[2:]
    print(f'LOADING {role} {time.time():.3f}', file=sys.stderr, flush=True)
    {'producer': role_producer, 'consumer': role_consumer, 'fetch': role_fetch, 'standin': role_standin}[role](*args)


if __name__ == '__main__':
    main()
