# The intent of hostap's discovery tests beyond the basic find, with directd (radio 0)
# and two wpa_supplicants (radios 1, 2), none a GO:
# - test_discovery_dev_id: `P2P_FIND dev_id=<wpas 2>` reports wpa_supplicant 2 and not
#   wpa_supplicant 1 (both listening); a dev_id no one has finds nothing; wpa_supplicant's
#   `p2p_find dev_id=<directd>` finds directd.
# - test_p2p_peer_command: `P2P_PEER FIRST`, `NEXT-<addr>` walk both peers once,
#   `P2P_PEER <addr>` has the fields, an unknown address is FAIL.
# - test_discovery_listen_find: `P2P_FIND` while in `P2P_LISTEN` turns into a find
#   (p2p_state SEARCH) and finds.
# - test_discovery_stop: after `P2P_STOP_FIND` (P2P-FIND-STOPPED, p2p_state IDLE) and
#   `P2P_FLUSH`, a listening peer is not reported.
# - test_discovery_device_name_change: a peer's new name shows in `P2P_PEER` on the next
#   find, and directd's own `SET device_name` reaches wpa_supplicant.
# - test_p2p_listen_and_offchannel_tx: directd in `P2P_LISTEN` sends a provision discovery
#   (off-channel TX), gets its answer, and still listens (wpa_supplicant 2 finds it after).
# radios: 3
# timeout: 400

RUST_LOG=${RUST_LOG:-info} start_directd 0 --device-name directd-0 || fail "directd did not start"
start_wpas 1 || fail "wpa_supplicant 1 did not start"
start_wpas 2 || fail "wpa_supplicant 2 did not start"
d=$(dev_addr 0); w1=$(dev_addr 1); w2=$(dev_addr 2)
state() { cli 0 status | sed -n 's/^p2p_state=//p'; }

# dev_id.
cli 1 p2p_listen >/dev/null; cli 2 p2p_listen >/dev/null
m=$(event_mark 0)
[ "$(cli 0 p2p_find dev_id="$w2")" = OK ] || fail "P2P_FIND dev_id="
wait_event_since 0 "$m" "^P2P-DEVICE-FOUND .*p2p_dev_addr=$w2 " 40 >/dev/null || fail "dev_id: wpa_supplicant 2 not found"
sleep 3
events 0 | tail -n +"$((m + 1))" | grep -q "P2P-DEVICE-FOUND .*p2p_dev_addr=$w1 " && fail "dev_id: wpa_supplicant 1 was reported"
[ "$(cli 0 p2p_stop_find)" = OK ] || fail "P2P_STOP_FIND"
m=$(event_mark 0)
[ "$(cli 0 p2p_find 6 dev_id=02:00:00:00:0b:00)" = OK ] || fail "P2P_FIND dev_id= of no one"
wait_event_since 0 "$m" "^P2P-FIND-STOPPED" 30 >/dev/null || fail "a 6 s find did not stop"
events 0 | tail -n +"$((m + 1))" | grep -q "P2P-DEVICE-FOUND" && fail "dev_id of no one: something was reported"
[ "$(cli 0 p2p_listen)" = OK ] || fail "P2P_LISTEN"
m1=$(event_mark 1)
cli 1 p2p_find dev_id="$d" >/dev/null
wait_event_since 1 "$m1" "^P2P-DEVICE-FOUND .*p2p_dev_addr=$d " 40 >/dev/null || fail "wpa_supplicant's find dev_id=<directd> did not find directd"
cli 1 p2p_stop_find >/dev/null

# listen, then find.
[ "$(state)" = LISTEN_ONLY ] || fail "p2p_state while listening: $(state)"
cli 1 p2p_listen >/dev/null
m=$(event_mark 0)
[ "$(cli 0 p2p_find)" = OK ] || fail "P2P_FIND during P2P_LISTEN"
[ "$(state)" = SEARCH ] || fail "p2p_state after P2P_FIND during a listen: $(state)"
wait_event_since 0 "$m" "^P2P-DEVICE-FOUND .*p2p_dev_addr=$w1 " 40 >/dev/null || fail "listen then find: wpa_supplicant 1 not found"
wait_event 0 "^P2P-DEVICE-FOUND .*p2p_dev_addr=$w2 " 40 >/dev/null || fail "wpa_supplicant 2 not found"

# P2P_PEER.
first=$(cli 0 p2p_peer FIRST | head -n 1)
case "$first" in "$w1"|"$w2") ;; *) fail "P2P_PEER FIRST: $first" ;; esac
second=$(cli 0 p2p_peer "NEXT-$first" | head -n 1)
case "$second" in "$w1"|"$w2") [ "$second" != "$first" ] || fail "NEXT- repeats $first" ;; *) fail "P2P_PEER NEXT-$first: $second" ;; esac
[ "$(cli 0 p2p_peer "NEXT-$second")" = FAIL ] || fail "P2P_PEER NEXT- past the last: $(cli 0 p2p_peer "NEXT-$second")"
p=$(cli 0 p2p_peer "$w1")
for f in "pri_dev_type=1-0050F204-1" "device_name=wpas-1" "config_methods=0x" "dev_capab=0x" "group_capab=0x" "level=" "listen_freq="; do
  echo "$p" | grep -q "^$f" || fail "P2P_PEER $w1 has no $f: $p"
done
[ "$(cli 0 p2p_peer 02:00:00:00:0b:00)" = FAIL ] || fail "P2P_PEER of an unknown address"

# stop.
m=$(event_mark 0)
[ "$(cli 0 p2p_stop_find)" = OK ] || fail "P2P_STOP_FIND"
wait_event_since 0 "$m" "^P2P-FIND-STOPPED" 5 >/dev/null || fail "no P2P-FIND-STOPPED"
[ "$(state)" = IDLE ] || fail "p2p_state after P2P_STOP_FIND: $(state)"
[ "$(cli 0 p2p_flush)" = OK ] || fail "P2P_FLUSH"
[ "$(cli 0 p2p_peer FIRST)" = FAIL ] || fail "peers left after P2P_FLUSH"
m=$(event_mark 0)
sleep 4
events 0 | tail -n +"$((m + 1))" | grep -q "P2P-DEVICE-FOUND" && fail "a peer was reported after P2P_STOP_FIND"

# Names.
[ "$(cli 1 set device_name wpas-renamed)" = OK ] || fail "wpa_supplicant set device_name"
m=$(event_mark 0)
[ "$(cli 0 p2p_find)" = OK ] || fail "P2P_FIND (names)"
wait_event_since 0 "$m" "^P2P-DEVICE-FOUND .*p2p_dev_addr=$w1 .*name='wpas-renamed'" 40 >/dev/null || fail "the new name was not seen: $(events 0 | grep "$w1" | tail -n 2)"
cli 0 p2p_peer "$w1" | grep -qx "device_name=wpas-renamed" || fail "P2P_PEER: $(cli 0 p2p_peer "$w1" | grep device_name)"
[ "$(cli 0 set device_name directd-renamed)" = OK ] || fail "SET device_name on directd"
[ "$(cli 0 get device_name)" = directd-renamed ] || fail "GET device_name: $(cli 0 get device_name)"
[ "$(cli 0 p2p_stop_find)" = OK ] || fail "P2P_STOP_FIND (names)"

# Off-channel TX while listening.
cli 1 p2p_stop_find >/dev/null; cli 2 p2p_stop_find >/dev/null
cli 1 p2p_listen >/dev/null
[ "$(cli 0 p2p_listen)" = OK ] || fail "P2P_LISTEN (offchannel)"
m=$(event_mark 0)
[ "$(cli 0 p2p_prov_disc "$w1" display)" = OK ] || fail "P2P_PROV_DISC display during a listen"
wait_event_since 0 "$m" "^P2P-PROV-DISC-ENTER-PIN $w1" 30 >/dev/null || fail "no answer to the PD sent while listening: $(events 0 | tail -n 3)"
[ "$(state)" = LISTEN_ONLY ] || fail "p2p_state after the PD: $(state)"
m2=$(event_mark 2)
cli 2 p2p_find >/dev/null
f=$(wait_event_since 2 "$m2" "^P2P-DEVICE-FOUND .*p2p_dev_addr=$d " 40) || fail "wpa_supplicant 2 did not find the listening directd after its PD"
echo "$f" | grep -q "name='directd-renamed'" || fail "wpa_supplicant 2 sees the old name: $f"
[ "$(cli 0 ping)" = PONG ] || fail "directd stopped answering"
