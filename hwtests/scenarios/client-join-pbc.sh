# directd joins a group that wpa_supplicant runs as autonomous GO, by push button:
# P2P_FIND lists the GO, P2P_CONNECT <GO> pbc join sends a provision discovery (the GO
# reports P2P-PROV-DISC-PBC-REQ ... group=), then provisions with WPS (EAP-WSC over
# EAPOL), reconnects with WPA2-PSK, runs the 4-way handshake and takes the address the GO
# allocates in message 3; ping crosses the air both ways and 1 MB arrives intact.
# Then the join of a GO directd has not seen (as wpa_supplicant's join scans): after
# P2P_FLUSH, `P2P_CONNECT <GO> pbc join` is answered OK while the peer runs no group;
# wpa_supplicant then starts one on channel 11 and presses its button: directd's scans
# find it and it joins (figure join_seconds_after_go_start). P2P_FIND during a join is
# refused (FAIL, as wpa_supplicant while provisioning).
# radios: 2
# timeout: 240

start_wpas 0 "ip_addr_go=192.168.49.1" "ip_addr_mask=255.255.255.0" \
  "ip_addr_start=192.168.49.100" "ip_addr_end=192.168.49.120"
start_directd 1 || fail "directd did not start"
go=$(dev_addr 0)

[ "$(cli 0 p2p_group_add freq=2437)" = OK ] || fail "p2p_group_add"
goif=$(wait_event 0 "^P2P-GROUP-STARTED .* GO " 30 | awk '{print $2}') || fail "no GO group"
on 0 ip addr add 192.168.49.1/24 dev "$goif" || fail "GO address"
log "wpa_supplicant GO on $goif ($go)"

[ "$(cli 1 p2p_find)" = OK ] || fail "P2P_FIND"
found=$(wait_event 1 "^P2P-DEVICE-FOUND .* p2p_dev_addr=$go " 40) || fail "directd did not find the GO"
log "directd: $found"
cli 1 p2p_peer "$go" | grep -q "^$go" || fail "P2P_PEER $go"

[ "$(cli_if 0 "$goif" wps_pbc)" = OK ] || fail "wps_pbc on the GO"
t=$(now)
[ "$(cli 1 p2p_connect "$go" pbc join)" = OK ] || fail "P2P_CONNECT join"
# As wpa_supplicant: no find while the group is provisioned.
[ "$(cli 1 p2p_find)" = FAIL ] || fail "P2P_FIND during the join was not refused"
started=$(wait_event 1 "^P2P-GROUP-STARTED " 60) || fail "directd: no P2P-GROUP-STARTED"
figure join_seconds_directd "$(since "$t")"
log "directd: $started"
wait_event 1 "^WPS-SUCCESS" 1 >/dev/null || fail "no WPS-SUCCESS before the group started"
wait_event 1 "^CTRL-EVENT-CONNECTED" 1 >/dev/null || fail "no CTRL-EVENT-CONNECTED"
echo "$started" | grep -Eq "^P2P-GROUP-STARTED p2p-wlan1-0 client ssid=\"DIRECT-..\" freq=2437 psk=[0-9a-f]{64} go_dev_addr=$go ip_addr=192.168.49.1[0-9]{2} ip_mask=255.255.255.0 go_ip_addr=192.168.49.1$" \
  || fail "P2P-GROUP-STARTED text: $started"
wait_event 0 "^AP-STA-CONNECTED .* p2p_dev_addr=$(dev_addr 1)" 10 >/dev/null || fail "the GO did not report the client"
# The join began with a provision discovery, as wpa_supplicant's: the GO's user saw it.
wait_event 0 "^P2P-PROV-DISC-PBC-REQ $(dev_addr 1) .* group=$goif" 1 >/dev/null || fail "the GO saw no provision discovery: $(events 0 | grep PROV-DISC)"
clif=$(echo "$started" | awk '{print $2}')
ip=$(group_ip 1 "$clif")
[ -n "$ip" ] || fail "no address on $clif"
log "client address $ip"

on 1 busybox ping -c 3 -W 5 192.168.49.1 || fail "ping client -> GO"
on 0 busybox ping -c 3 -W 5 "$ip" || fail "ping GO -> client"
s=$(transfer_check 1 0 192.168.49.1 1048576) || fail "1 MB client -> GO not intact"
figure transfer_1mb_seconds "$s"
figure peak_rss_kb_directd "$(peak_rss_kb 1)"
figure peak_rss_kb_wpas "$(peak_rss_kb 0)"

[ "$(cli 1 p2p_group_remove "$clif")" = OK ] || fail "P2P_GROUP_REMOVE"
wait_event 1 "^P2P-GROUP-REMOVED $clif client reason=REQUESTED" 10 >/dev/null || fail "no P2P-GROUP-REMOVED"
sleep 0.5
on 1 ip link show "$clif" 2>/dev/null && fail "$clif still exists after removal"
[ "$(cli 1 ping)" = PONG ] || fail "directd not serving after the group"
log "client join by PBC ok"

# The GO not seen yet.
cli 0 p2p_group_remove "$goif" >/dev/null
wait_event 0 "^P2P-GROUP-REMOVED $goif " 10 >/dev/null || fail "wpa_supplicant: no P2P-GROUP-REMOVED"
[ "$(cli 1 p2p_flush)" = OK ] || fail "P2P_FLUSH"
m0=$(event_mark 0); m1=$(event_mark 1)
[ "$(cli 1 p2p_connect "$go" pbc join)" = OK ] || fail "P2P_CONNECT join of a GO not seen"
sleep 2
events 1 | tail -n +"$((m1 + 1))" | grep -q "P2P-GROUP-FORMATION-FAILURE" && fail "the search gave up at once"
[ "$(cli 0 p2p_group_add freq=2462)" = OK ] || fail "p2p_group_add freq=2462"
goif=$(wait_event_since 0 "$m0" "^P2P-GROUP-STARTED .* GO " 30 | awk '{print $2}') || fail "no second GO group"
[ "$(cli_if 0 "$goif" wps_pbc)" = OK ] || fail "wps_pbc on the second GO"
t=$(now)
started=$(wait_event_since 1 "$m1" "^P2P-GROUP-STARTED |^P2P-GROUP-FORMATION-FAILURE" 60) || fail "directd: nothing after the GO started"
echo "$started" | grep -q "^P2P-GROUP-STARTED p2p-wlan1-1 client .* freq=2462 .*go_dev_addr=$go " || fail "directd: $started"
figure join_seconds_after_go_start "$(since "$t")"
on 0 ip addr add 192.168.49.1/24 dev "$goif" || fail "GO address"
on 1 busybox ping -c 3 -W 5 192.168.49.1 || fail "ping client -> second GO"
