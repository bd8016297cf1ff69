# Two wpa_supplicants form a PBC group over the simulated air (GO intent 15 vs 0),
# then ping crosses the air between the two network namespaces.
# bench: yes
# radios: 2
# timeout: 180

start_wpas 0
start_wpas 1
a0=$(dev_addr 0); a1=$(dev_addr 1)
[ -n "$a0" ] && [ -n "$a1" ] || fail "no P2P device address from STATUS"
log "device addresses: r0=$a0 r1=$a1"

t=$(now)
cli 0 p2p_find >/dev/null; cli 1 p2p_find >/dev/null
wait_event 0 "P2P-DEVICE-FOUND $a1" 30 >/dev/null || fail "r0 did not find r1"
wait_event 1 "P2P-DEVICE-FOUND $a0" 30 >/dev/null || fail "r1 did not find r0"
figure discovery_seconds "$(since "$t")"

t=$(now)
# r1 authorizes first (`auth`), then r0 starts the negotiation: when both started it
# within a few hundred ms of each other, a slow guest sometimes had r1's Request cross r0's
# and both wpa_supplicants gave up with GO-NEG-FAILURE status=-1.
[ "$(cli 1 p2p_connect "$a0" pbc go_intent=0 auth)" = OK ] || fail "p2p_connect auth on r1"
[ "$(cli 0 p2p_connect "$a1" pbc go_intent=15)" = OK ] || fail "p2p_connect on r0"
go=$(wait_event 0 "^P2P-GROUP-STARTED .* GO " 40) || fail "no group on r0"
cl=$(wait_event 1 "^P2P-GROUP-STARTED .* client " 40) || fail "no group on r1"
polled=$(since "$t")
figure formation_seconds "$(since_event "$t")"
# since_event reads when the recorder received the event: after T, and no later than the
# polling wait_event saw it.
[ "$(echo "$(since_event "$t") $polled" | awk '{print ($1 > 0 && $1 <= $2)}')" = 1 ] \
  || fail "since_event $(since_event "$t") s is not within (0, $polled s]"
goif=$(echo "$go" | awk '{print $2}'); clif=$(echo "$cl" | awk '{print $2}')
log "GO on r0: $goif; client on r1: $clif"

on 0 ip addr add 192.168.49.1/24 dev "$goif" || fail "address on $goif"
on 1 ip addr add 192.168.49.2/24 dev "$clif" || fail "address on $clif"
on 1 busybox ping -c 3 -W 5 192.168.49.1 || fail "ping r1 -> r0 over the air"
on 0 busybox ping -c 3 -W 5 192.168.49.2 || fail "ping r0 -> r1 over the air"
figure peak_rss_kb_wpas "$(peak_rss_kb 0)"

# The helpers are a product (hardware-in-the-loop users write scenarios on them): calling
# them must leave the caller's variables alone, a loop variable included.
r=mine; i=mine; n=mine; p=mine; d=mine; to=mine; line=mine
for i in 1 2 3; do
  [ "$(cli_if 0 "$goif" ping)" = PONG ] || fail "cli_if ping on $goif (round $i)"
  [ "$(cli 1 ping)" = PONG ] || fail "cli ping (round $i)"
  wait_event 0 "^P2P-GROUP-STARTED" 1 >/dev/null || fail "wait_event (round $i)"
  on 1 true
done
[ "$i" = 3 ] || fail "a helper changed the loop variable i (now '$i')"
for v in "r=$r" "n=$n" "p=$p" "d=$d" "to=$to" "line=$line"; do
  [ "${v#*=}" = mine ] || fail "a helper changed the caller's variable ${v%%=*} (now '${v#*=}')"
done
