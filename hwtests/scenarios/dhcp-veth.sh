# directd's DHCP socket glue against busybox over a veth pair between two network
# namespaces (no radio): our server (examples/dhcp-probe) leases to busybox udhcpc, and
# our client gets a lease from busybox udhcpd, renews it at T1 by unicast from the
# address it configured, and releases it. Needs
# `cargo build --example dhcp-probe` in the same target directory as directd.
# radios: 1
# timeout: 180

PROBE=$(dirname "$DIRECTD")/examples/dhcp-probe
[ -x "$PROBE" ] || fail "no $PROBE: run cargo build --example dhcp-probe first"
D=/tmp/dhcpveth; mkdir -p $D
ip netns add dsrv || fail "netns dsrv"
ip netns add dcli || fail "netns dcli"
ip link add vs netns dsrv address 02:dc:00:00:00:01 type veth peer name vc netns dcli address 02:dc:00:00:00:02 \
  || fail "veth pair"
ip -n dsrv addr add 192.168.49.1/24 dev vs
ip -n dsrv link set vs up; ip -n dcli link set vc up

ip netns exec dsrv tcpdump -i vs -n -U -s 0 -w "$ART/dhcp-veth.pcap" udp port 67 or udp port 68 \
  > "$ART/tcpdump.log" 2>&1 &
tcpd=$!
n=0; while ! grep -q listening "$ART/tcpdump.log" && [ $n -lt 50 ]; do sleep 0.1; n=$((n+1)); done

# 1. Our server, busybox udhcpc.
cat > $D/script.sh <<'SCRIPT'
#!/bin/sh
echo "$1 ip=$ip subnet=$subnet router=$router dns=$dns lease=$lease serverid=$serverid" >> "$EVENTS"
case "$1" in bound|renew) ip addr add "$ip/$subnet" dev "$interface" ;; deconfig) ip addr flush dev "$interface" ;; esac
exit 0
SCRIPT
chmod +x $D/script.sh
export EVENTS="$ART/udhcpc-events.txt"; : > "$EVENTS"
RUST_LOG=${RUST_LOG:-directd=trace} ip netns exec dsrv "$PROBE" server vs 1 > "$ART/probe-server.out" 2> "$ART/probe-server.log" &
srv=$!
sleep 0.5
t=$(now)
ip netns exec dcli busybox udhcpc -i vc -f -q -n -t 5 -T 2 -s $D/script.sh > "$ART/udhcpc.log" 2>&1 \
  || fail "udhcpc got no lease from our server"
figure server_lease_seconds "$(since "$t")"
grep -q '^bound ip=192.168.49.2 subnet=255.255.255.0 router=192.168.49.1 dns=192.168.49.1 lease=3600 serverid=192.168.49.1$' "$EVENTS" \
  || fail "udhcpc's lease is not the expected one: $(cat "$EVENTS")"
wait $srv || fail "our server exited with an error: $(tail -3 "$ART/probe-server.log")"
grep -q '^LEASED 02:dc:00:00:00:02 192.168.49.2$' "$ART/probe-server.out" || fail "our server did not report the lease"
ip netns exec dcli busybox ping -c 1 -W 3 192.168.49.1 > /dev/null || fail "no ping over the leased address"
log "our server leased 192.168.49.2 to udhcpc"
ip -n dcli addr flush dev vc

# 2. Busybox udhcpd, our client.
cat > $D/udhcpd.conf <<CONF
start 192.168.49.50
end 192.168.49.50
interface vs
lease_file $D/udhcpd.leases
pidfile $D/udhcpd.pid
option subnet 255.255.255.0
option router 192.168.49.1
option dns 192.168.49.1
option lease 60
CONF
: > $D/udhcpd.leases
ip netns exec dsrv busybox udhcpd -f $D/udhcpd.conf > "$ART/udhcpd.log" 2>&1 &
udhcpd=$!
sleep 0.5
t=$(now)
# Lease 60 s: T1 at 30 s; hold the lease 36 s so the renewal happens.
RUST_LOG=${RUST_LOG:-directd=trace} ip netns exec dcli "$PROBE" client vc 36 > "$ART/probe-client.out" 2> "$ART/probe-client.log" &
cli=$!
n=0; while ! grep -q '^BOUND' "$ART/probe-client.out" && [ $n -lt 300 ]; do sleep 0.1; n=$((n+1)); done
figure client_lease_seconds "$(since "$t")"
grep -q '^BOUND 192.168.49.50/24 router=192.168.49.1 dns=192.168.49.1 lease=60$' "$ART/probe-client.out" \
  || fail "our client's lease is not the expected one: $(cat "$ART/probe-client.out")"
ip -n dcli -4 addr show dev vc | grep -q 'inet 192.168.49.50/24' || fail "the leased address is not on vc"
ip netns exec dsrv busybox ping -c 1 -W 3 192.168.49.50 > /dev/null || fail "no ping to our client's address"
wait $cli || fail "our client failed: $(tail -3 "$ART/probe-client.log")"
grep -q '^RENEWED 192.168.49.50/24 router=192.168.49.1 dns=192.168.49.1 lease=60$' "$ART/probe-client.out" \
  || fail "our client did not renew: $(cat "$ART/probe-client.out")"
grep -q '^DECONFIGURED 192.168.49.50$' "$ART/probe-client.out" || fail "our client did not remove its address"
grep -q '^RELEASED$' "$ART/probe-client.out" || fail "our client did not release"
ip -n dcli -4 addr show dev vc | grep -q 'inet ' && fail "an address is left on vc"
sleep 0.5
kill $udhcpd
kill -INT $tcpd; wait $tcpd
tcpdump -n -v -r "$ART/dhcp-veth.pcap" > "$ART/decoded.txt" 2>&1
grep -c "DHCP-Message (53), length 1: Release" "$ART/decoded.txt" | grep -q '^1$' || fail "no RELEASE from our client on the wire"
grep -q '192.168.49.50.68 > 192.168.49.1.67: .*Request from 02:dc:00:00:00:02' "$ART/decoded.txt" \
  || fail "the renewal was not unicast from the leased address"
log "our client leased 192.168.49.50 from udhcpd, renewed it and released it"
