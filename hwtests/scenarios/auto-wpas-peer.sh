# The automatic mode with a wpa_supplicant peer (issue #14): directd on r0 configured with
# r1's address; wpa_supplicant on r1 does what a script on the other end does: `p2p_find`,
# wait for directd in `p2p_peers`, `p2p_stop_find`, `p2p_connect <r0> pbc go_intent=7`.
# The group forms (either role), directd has its configured address, the wpa_supplicant
# side is given 10.7.0.2/24 (as the p2plink hook's ifconfig does), ping both ways.
# Figure: seconds from p2p_connect to ping.
# radios: 2
# timeout: 240

ip0=10.7.0.1; ip1=10.7.0.2
d0=$(hw_p2p_addr 0)
start_directd_auto 0 1 "$ip0/24" || fail "directd did not start"
start_wpas 1 || fail "wpa_supplicant did not start"
[ "$(cli 1 p2p_find)" = OK ] || fail "p2p_find"
n=0
until cli 1 p2p_peers discovered | grep -qi "$d0"; do
  n=$((n + 1)); [ $n -gt 40 ] && fail "wpa_supplicant did not discover directd"
  sleep 1
done
cli 1 p2p_stop_find >/dev/null
t=$(now)
[ "$(cli 1 p2p_connect "$d0" pbc go_intent=7)" = OK ] || fail "p2p_connect"
started=$(wait_event 1 "^P2P-GROUP-STARTED " 60) || fail "wpa_supplicant: no group"
if0=$(auto_linked 0 0 30) || fail "directd: no P2P-AUTO-CONNECTED"
wif=$(echo "$started" | awk '{print $2}')
log "wpa_supplicant: $started"
on 1 ip addr add "$ip1/24" dev "$wif" || fail "address on $wif"
ping_fast 1 "$ip0" || fail "ping wpa_supplicant -> directd"
figure auto_wpas_peer_connect_to_ping_seconds "$(since "$t")"
ping_fast 0 "$ip1" || fail "ping directd -> wpa_supplicant"
[ "$(group_ip 0 "$if0")" = "$ip0" ] || fail "directd's group address"
