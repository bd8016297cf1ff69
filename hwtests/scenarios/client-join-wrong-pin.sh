# directd joins a wpa_supplicant GO with a PIN other than the one the GO expects (both with
# a valid checksum): WPS fails, directd reports WPS-FAIL and P2P-GROUP-FORMATION-FAILURE,
# leaves no group interface behind, keeps serving, and a following join with the right
# PIN succeeds.
# radios: 2
# timeout: 240

start_wpas 0 "ip_addr_go=192.168.49.1" "ip_addr_mask=255.255.255.0" \
  "ip_addr_start=192.168.49.100" "ip_addr_end=192.168.49.120"
start_directd 1 || fail "directd did not start"
go=$(dev_addr 0)

[ "$(cli 0 p2p_group_add freq=2437)" = OK ] || fail "p2p_group_add"
goif=$(wait_event 0 "^P2P-GROUP-STARTED .* GO " 30 | awk '{print $2}') || fail "no GO group"
on 0 ip addr add 192.168.49.1/24 dev "$goif" || fail "GO address"

[ "$(cli 1 p2p_find)" = OK ] || fail "P2P_FIND"
wait_event 1 "^P2P-DEVICE-FOUND .* p2p_dev_addr=$go " 40 >/dev/null || fail "directd did not find the GO"

pin=$(cli_if 0 "$goif" wps_pin any)
echo "$pin" | grep -Eq '^[0-9]{8}$' || fail "WPS_PIN any on the GO replied '$pin'"
# Another PIN with a valid checksum (12345670 and 00000000 both check).
wrong=12345670; [ "$pin" = "$wrong" ] && wrong=00000000
log "the GO expects $pin; directd enters $wrong"
[ "$(cli 1 p2p_connect "$go" "$wrong" join)" = OK ] || fail "P2P_CONNECT $wrong join"
failed=$(wait_event 1 "^WPS-FAIL " 60) || fail "directd: no WPS-FAIL"
log "directd: $failed"
wait_event 1 "^P2P-GROUP-FORMATION-FAILURE" 10 >/dev/null || fail "directd: no P2P-GROUP-FORMATION-FAILURE"
events 1 | grep -q "P2P-GROUP-STARTED" && fail "directd reported a group with the wrong PIN"
wait_event 0 "^WPS-(FAIL|REG-FAIL)|^CTRL-EVENT-EAP-FAILURE" 5 || log "(the GO reported no WPS failure event)"
sleep 1
on 1 ip link | grep -q "p2p-wlan1-" && { on 1 ip link; fail "a group interface is left after the failure"; }
[ "$(cli 1 ping)" = PONG ] || fail "directd not serving after the failure"

# The right PIN now: the GO's user arms it again.
pin=$(cli_if 0 "$goif" wps_pin any)
echo "$pin" | grep -Eq '^[0-9]{8}$' || fail "second WPS_PIN any replied '$pin'"
t=$(now)
[ "$(cli 1 p2p_connect "$go" "$pin" join)" = OK ] || fail "P2P_CONNECT $pin join (second)"
started=$(wait_event 1 "^P2P-GROUP-STARTED " 60) || fail "directd: no P2P-GROUP-STARTED with the right PIN"
figure join_seconds_directd "$(since "$t")"
log "directd: $started"
clif=$(echo "$started" | awk '{print $2}')
ip=$(group_ip 1 "$clif")
[ -n "$ip" ] || fail "no address on $clif"
on 1 busybox ping -c 2 -W 5 192.168.49.1 || fail "ping client -> GO"
[ "$(cli 1 p2p_group_remove "$clif")" = OK ] || fail "P2P_GROUP_REMOVE"
wait_event 1 "^P2P-GROUP-REMOVED $clif client reason=REQUESTED" 10 >/dev/null || fail "no P2P-GROUP-REMOVED"
log "wrong PIN refused, right PIN joined"
