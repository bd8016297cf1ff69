# After directd joined a wpa_supplicant GO (PBC), the GO removes its group: directd sees the
# deauthentication, reports P2P-GROUP-REMOVED <if> client reason=GO_ENDING_SESSION, deletes
# its group interface, and keeps serving.
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
[ "$(cli_if 0 "$goif" wps_pbc)" = OK ] || fail "wps_pbc on the GO"
[ "$(cli 1 p2p_connect "$go" pbc join)" = OK ] || fail "P2P_CONNECT join"
started=$(wait_event 1 "^P2P-GROUP-STARTED " 60) || fail "directd: no P2P-GROUP-STARTED"
clif=$(echo "$started" | awk '{print $2}')
on 1 busybox ping -c 2 -W 5 192.168.49.1 || fail "ping client -> GO"

log "the GO removes its group"
t=$(now)
[ "$(cli 0 p2p_group_remove "$goif")" = OK ] || fail "P2P_GROUP_REMOVE on the GO"
removed=$(wait_event 1 "^P2P-GROUP-REMOVED " 20) || fail "directd: no P2P-GROUP-REMOVED"
figure go_leave_detect_seconds "$(since "$t")"
log "directd: $removed"
echo "$removed" | grep -Eq "^P2P-GROUP-REMOVED $clif client reason=GO_ENDING_SESSION$" || fail "P2P-GROUP-REMOVED text: $removed"
sleep 0.5
on 1 ip link show "$clif" 2>/dev/null && fail "$clif still exists after the GO left"
on 1 ip link | grep -q "p2p-wlan1-" && fail "a group interface is left"
[ "$(cli 1 ping)" = PONG ] || fail "directd not serving after the GO left"
log "GO leaving handled"
