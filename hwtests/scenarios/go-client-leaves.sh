# A real wpa_supplicant client leaves the group (P2P_GROUP_REMOVE on the client): the GO
# reports AP-STA-DISCONNECTED with that client's P2P device address, keeps serving, and
# frees the client's address: the next client to join gets that same address (both GOs
# here hand out the lowest free address from 192.168.49.2 up, so a lease kept after the
# leave would push the next client to .3).
# wpa_supplicant's GO for comparison: AP-STA-DISCONNECTED within about 1.5 s (the client
# deauthenticates), and client 2 gets 192.168.49.2 again.
# The GO is directd unless the header below says wpas.
# go-impl: directd
# radios: 3
# timeout: 300

impl=$(go_impl)
goif=$(start_go 0 "$impl" 2437) || fail "$impl GO did not start"
start_wpas 1 || fail "client 1 did not start"
start_wpas 2 || fail "client 2 did not start"
go=$(dev_addr 0); cl1=$(dev_addr 1)

find_go 1 "$go" || fail "client 1 did not find the GO"
[ "$(cli_if 0 "$goif" wps_pbc)" = OK ] || fail "WPS_PBC on the GO (client 1)"
[ "$(cli 1 p2p_connect "$go" pbc join)" = OK ] || fail "client 1 P2P_CONNECT pbc join"
started=$(wait_event 1 "^P2P-GROUP-STARTED " 60) || fail "client 1: no P2P-GROUP-STARTED"
sta=$(wait_event 0 "^AP-STA-CONNECTED .* p2p_dev_addr=$cl1" 10) || fail "the GO did not report client 1"
sta_addr=$(echo "$sta" | awk '{print $2}')
clif=$(echo "$started" | awk '{print $2}')
ip1=$(client_take_ip 1 "$started") || fail "no address allocated to client 1"
log "client 1 ($cl1, interface address $sta_addr) has $ip1"
on 1 busybox ping -c 2 -W 5 192.168.49.1 || fail "ping client 1 -> GO"

log "client 1 removes its group"
m0=$(event_mark 0)
t=$(now)
[ "$(cli 1 p2p_group_remove "$clif")" = OK ] || fail "client 1 P2P_GROUP_REMOVE"
wait_event 1 "^P2P-GROUP-REMOVED $clif client reason=REQUESTED" 10 >/dev/null || fail "client 1: no P2P-GROUP-REMOVED"
gone=$(wait_event_since 0 "$m0" "^AP-STA-DISCONNECTED " 20) || fail "the GO reported no AP-STA-DISCONNECTED"
figure leave_detect_seconds "$(since "$t")"
log "GO: $gone"
echo "$gone" | grep -Eq "^AP-STA-DISCONNECTED $sta_addr p2p_dev_addr=$cl1( |$)" || fail "AP-STA-DISCONNECTED text: $gone"
on 0 busybox ping -c 1 -W 2 "$ip1" >/dev/null 2>&1 && fail "$ip1 still answers after client 1 left"
[ "$(cli_if 0 "$goif" ping)" = PONG ] || fail "the GO's group interface does not answer"
# (information only: directd logs the end of the lease, e.g. "DHCP server ... Ended { mac:
# <addr>, ip: <ip>, reason: Left }"; the check that counts is the address reuse below)
grep -E "Ended \{ mac: $sta_addr" "$ART"/directd-0.log 2>/dev/null | sed 's/\x1b\[[0-9;]*m//g' | tail -n 2

# The freed address goes to the next client.
find_go 2 "$go" || fail "client 2 did not find the GO"
[ "$(cli_if 0 "$goif" wps_pbc)" = OK ] || fail "WPS_PBC on the GO (client 2)"
[ "$(cli 2 p2p_connect "$go" pbc join)" = OK ] || fail "client 2 P2P_CONNECT pbc join"
started2=$(wait_event 2 "^P2P-GROUP-STARTED " 60) || fail "client 2: no P2P-GROUP-STARTED"
ip2=$(client_take_ip 2 "$started2") || fail "no address allocated to client 2"
log "client 2 has $ip2"
[ "$ip2" = "$ip1" ] || fail "client 2 got $ip2, not the address $ip1 client 1 left (lease not freed?)"
on 2 busybox ping -c 2 -W 5 192.168.49.1 || fail "ping client 2 -> GO"
log "client leave reported, lease freed"
