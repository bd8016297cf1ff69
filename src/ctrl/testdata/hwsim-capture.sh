# Captures real wpa_supplicant control-interface text (the host's Debian wpasupplicant) for
# the ctrl formatter tests: discovery, provision discovery (display/keypad/pbc), a PIN group
# formation, WPS_PIN on the GO, group removal on both sides, flush; and the replies to
# STATUS, P2P_PEER, P2P_CONNECT ... pin auth, WPS_PIN get, P2P_GET_PASSPHRASE, ALL_STA / STA.
# Run: HWTESTS_CACHE=/work/main/target/hwtests-cache hwtests/run src/ctrl/testdata/hwsim-capture.sh
# The events land in target/hwtests/hwsim-capture/events-R.log, replies in reply-*.txt.
# radios: 2
# timeout: 400

start_wpas 0
start_wpas 1
a0=$(dev_addr 0); a1=$(dev_addr 1)
[ -n "$a0" ] && [ -n "$a1" ] || fail "no P2P device address from STATUS"
cli 0 status > "$ART/reply-status-p2pdev-0.txt"

cli 0 p2p_find >/dev/null; cli 1 p2p_find >/dev/null
wait_event 0 "P2P-DEVICE-FOUND $a1" 90 >/dev/null || fail "r0 did not find r1"
wait_event 1 "P2P-DEVICE-FOUND $a0" 90 >/dev/null || fail "r1 did not find r0"
cli 0 p2p_peer "$a1" > "$ART/reply-p2p-peer-0.txt"
cli 0 p2p_peers > "$ART/reply-p2p-peers-0.txt"

# Provision discovery with each config method; both sides report something.
for m in display keypad pbc; do
  n0=$(events 0 | grep -c PROV-DISC); n1=$(events 1 | grep -c PROV-DISC)
  r=$(cli 0 p2p_prov_disc "$a1" "$m"); log "p2p_prov_disc $m -> $r"
  [ "$r" = OK ] || fail "p2p_prov_disc $m: $r"
  for i in $(seq 1 50); do
    [ "$(events 0 | grep -c PROV-DISC)" -gt "$n0" ] && [ "$(events 1 | grep -c PROV-DISC)" -gt "$n1" ] && break
    busybox sleep 0.2
  done
done

# PIN group formation: r1 authorizes with a generated PIN it displays, r0 types it in.
pin=$(cli 1 p2p_connect "$a0" pin auth go_intent=0)
printf '%s' "$pin" > "$ART/reply-p2p-connect-pin-auth-1.txt"
echo "$pin" | grep -Eq '^[0-9]{8}$' || fail "p2p_connect pin auth replied '$pin'"
[ "$(cli 0 p2p_connect "$a1" "$pin" keypad go_intent=15)" = OK ] || fail "p2p_connect keypad on r0"
go=$(wait_event 0 "^P2P-GROUP-STARTED .* GO " 40) || fail "no group on r0"
cl=$(wait_event 1 "^P2P-GROUP-STARTED .* client " 40) || fail "no group on r1"
goif=$(echo "$go" | awk '{print $2}'); clif=$(echo "$cl" | awk '{print $2}')
wait_event 0 "^AP-STA-CONNECTED" 20 >/dev/null || fail "no AP-STA-CONNECTED on r0"

cli_if 0 "$goif" wps_pin get > "$ART/reply-wps-pin-get-go.txt"
cli_if 0 "$goif" p2p_get_passphrase > "$ART/reply-p2p-get-passphrase-go.txt"
cli_if 0 "$goif" status > "$ART/reply-status-go.txt"
# The GO's station list (wpa_cli all_sta: STA-FIRST, STA-NEXT) and one station by address.
cli_if 0 "$goif" all_sta > "$ART/reply-all-sta-go.txt"
sta=$(head -n 1 "$ART/reply-all-sta-go.txt")
cli_if 0 "$goif" sta "$sta" > "$ART/reply-sta-go.txt"
cli_if 0 "$goif" raw STA-NEXT "$sta" > "$ART/reply-sta-next-last-go.txt"
# What wpa_cli without -i picks (the first entry of the directory that is not p2p-dev-*,
# in readdir order) while the group runs.
ls -f /run/wpas-r0 > "$ART/readdir-order-0.txt"
wpa_cli -p /run/wpas-r0 status > "$ART/reply-status-default-0.txt"
cli_if 1 "$clif" status > "$ART/reply-status-client.txt"

# The client leaves, then the GO ends its group.
cli 1 p2p_group_remove "$clif" > /dev/null
wait_event 1 "^P2P-GROUP-REMOVED $clif client" 20 >/dev/null || fail "no P2P-GROUP-REMOVED on r1"
wait_event 0 "^AP-STA-DISCONNECTED" 20 >/dev/null || fail "no AP-STA-DISCONNECTED on r0"
cli 0 p2p_group_remove "$goif" > /dev/null
wait_event 0 "^P2P-GROUP-REMOVED $goif GO" 20 >/dev/null || fail "no P2P-GROUP-REMOVED on r0"

cli 0 p2p_flush > /dev/null
wait_event 0 "^P2P-DEVICE-LOST" 10 >/dev/null || log "no P2P-DEVICE-LOST after P2P_FLUSH"
cli 0 p2p_no_such_command > "$ART/reply-unknown-0.txt"
exit 0
