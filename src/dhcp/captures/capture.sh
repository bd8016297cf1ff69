# Captures real DHCPv4 exchanges between busybox udhcpc and busybox udhcpd over a veth
# pair joining two network namespaces in the hwsim guest (no radio is used), for the
# known-bytes tests in src/dhcp/captures.rs. Run from the repository root:
#   hwtests/run src/dhcp/captures/capture.sh
# then copy target/hwtests/capture/udhcpc-udhcpd.pcap next to this file.
# The exchange: DISCOVER/OFFER/REQUEST/ACK, a renewal forced with SIGUSR1 (unicast
# REQUEST/ACK), a release on exit (udhcpc -R), a second udhcpc that asks for an address
# outside the pool (-r, sent in its DISCOVER) and gets a lease, then a SELECTING REQUEST
# crafted here for an address udhcpd never offered, which udhcpd refuses (NAK).
# radios: 1
# timeout: 120

D=/tmp/dhcpcap; mkdir -p $D
ip netns add dsrv || fail "netns dsrv"
ip netns add dcli || fail "netns dcli"
ip link add vs netns dsrv address 02:dc:00:00:00:01 type veth peer name vc netns dcli address 02:dc:00:00:00:02 \
  || fail "veth pair"
ip -n dsrv addr add 192.168.49.1/24 dev vs
ip -n dsrv link set vs up; ip -n dcli link set vc up
ip -n dsrv link set lo up; ip -n dcli link set lo up

cat > $D/udhcpd.conf <<CONF
start 192.168.49.2
end 192.168.49.254
interface vs
max_leases 253
lease_file $D/udhcpd.leases
pidfile $D/udhcpd.pid
option subnet 255.255.255.0
option router 192.168.49.1
option dns 192.168.49.1
option lease 3600
CONF
: > $D/udhcpd.leases

cat > $D/script.sh <<'SCRIPT'
#!/bin/sh
echo "$1 ip=$ip subnet=$subnet router=$router dns=$dns lease=$lease serverid=$serverid" >> "$EVENTS"
case "$1" in
  bound|renew) ip addr flush dev "$interface"; ip addr add "$ip/$subnet" dev "$interface" ;;
  deconfig|leasefail|nak) ip addr flush dev "$interface" ;;
esac
exit 0
SCRIPT
chmod +x $D/script.sh
export EVENTS="$ART/udhcpc-events.txt"; : > "$EVENTS"

ip netns exec dsrv tcpdump -i vs -n -U -s 0 -w "$ART/udhcpc-udhcpd.pcap" udp port 67 or udp port 68 \
  > "$ART/tcpdump.log" 2>&1 &
tcpd=$!
n=0; while ! grep -q listening "$ART/tcpdump.log" && [ $n -lt 50 ]; do sleep 0.1; n=$((n+1)); done

ip netns exec dsrv busybox udhcpd -f $D/udhcpd.conf > "$ART/udhcpd.log" 2>&1 &
srv=$!
sleep 0.5

wait_line() { # wait_line REGEX SECONDS
  n=0; while [ $n -lt $(($2 * 10)) ]; do grep -Eq "$1" "$EVENTS" && return 0; sleep 0.1; n=$((n+1)); done; return 1
}

ip netns exec dcli busybox udhcpc -i vc -f -R -t 5 -T 2 -x hostname:dhcpcap -s $D/script.sh \
  > "$ART/udhcpc.log" 2>&1 &
cli=$!
wait_line '^bound ip=192\.168\.49\.' 20 || fail "udhcpc got no lease"
log "bound: $(grep ^bound "$EVENTS")"
kill -USR1 $cli
wait_line '^renew ip=' 20 || fail "udhcpc did not renew"
log "renewed: $(grep ^renew "$EVENTS")"
kill -TERM $cli; wait $cli
sleep 0.5

# INIT-REBOOT for an address outside udhcpd's pool: udhcpd answers NAK, then udhcpc
# falls back to DISCOVER and gets a lease.
ip netns exec dcli busybox udhcpc -i vc -f -q -t 5 -T 2 -r 10.9.9.9 -s $D/script.sh \
  > "$ART/udhcpc2.log" 2>&1
log "second udhcpc exit $?"
sleep 0.5

# A SELECTING REQUEST (written here, xid 0x4e414b21, broadcast bit set) for
# 192.168.49.99, which udhcpd never offered: udhcpd answers NAK.
ip netns exec dcli python3 - <<'PY' || fail "crafted REQUEST not sent"
import socket, struct
mac = bytes.fromhex('02dc00000002')
hdr = struct.pack('!BBBBIHH16s', 1, 1, 6, 0, 0x4e414b21, 0, 0x8000, bytes(16))
opts = bytes([53, 1, 3, 50, 4, 192, 168, 49, 99, 54, 4, 192, 168, 49, 1, 61, 7, 1]) + mac + bytes([255])
pkt = hdr + mac + bytes(10 + 64 + 128) + bytes([99, 130, 83, 99]) + opts
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.setsockopt(socket.SOL_SOCKET, socket.SO_BROADCAST, 1)
s.setsockopt(socket.SOL_SOCKET, socket.SO_BINDTODEVICE, b'vc')
s.bind(('0.0.0.0', 68))
s.sendto(pkt, ('255.255.255.255', 67))
PY
sleep 1

kill -INT $tcpd; wait $tcpd
kill $srv
cp $D/udhcpd.leases "$ART/" 2>/dev/null
log "events:"; cat "$EVENTS"
tcpdump -n -v -r "$ART/udhcpc-udhcpd.pcap" > "$ART/decoded.txt" 2>&1
cat "$ART/decoded.txt"
grep -q "DHCP-Message (53), length 1: NACK" "$ART/decoded.txt" || fail "no NAK captured"
[ "$(grep -c 'DHCP-Message' "$ART/decoded.txt")" -ge 8 ] || fail "too few DHCP messages captured"
