# GO negotiation by push button with directd as client (the intent of hostap's
# test_grpform2/test_grpform3: the other side's intent wins): directd authorises
# wpa_supplicant with intent 0 (`P2P_CONNECT <wpas> pbc go_intent=0 auth`, then
# P2P_LISTEN), wpa_supplicant runs `p2p_connect <directd> pbc go_intent=15`: roles as
# negotiated on both sides, directd joins the wpa_supplicant GO it negotiated with (WPS,
# then WPA2; the address from the handshake), ping both ways, 1 MB intact; both remove the
# group cleanly.
# radios: 2
# timeout: 300

# info, not debug: a debug line per probe request and nl80211 event slowed directd's
# answers under TCG past the 100 ms a wpa_supplicant peer waits for them.
RUST_LOG=${RUST_LOG:-info} start_directd 0 || fail "directd did not start"
start_wpas 1 "ip_addr_go=192.168.49.1" "ip_addr_mask=255.255.255.0" \
  "ip_addr_start=192.168.49.2" "ip_addr_end=192.168.49.254" || fail "wpa_supplicant did not start"
d=$(dev_addr 0); w=$(dev_addr 1)
meet 0 1 || fail "directd and wpa_supplicant did not find each other"

[ "$(cli 0 p2p_connect "$w" pbc go_intent=0 auth)" = OK ] || fail "P2P_CONNECT auth on directd"
[ "$(cli 0 p2p_listen)" = OK ] || fail "P2P_LISTEN on directd"
t=$(now)
[ "$(cli 1 p2p_connect "$d" pbc go_intent=15)" = OK ] || fail "p2p_connect on wpa_supplicant"


go=$(wait_event 1 "^P2P-GROUP-STARTED .* GO " 40) || fail "wpa_supplicant: no P2P-GROUP-STARTED GO"
figure formation_seconds_go_wpas "$(since "$t")"
cl=$(wait_event 0 "^P2P-GROUP-STARTED .* client " 60) || fail "directd: no P2P-GROUP-STARTED client"
figure formation_seconds_client_directd "$(since "$t")"
log "wpa_supplicant: $go"; log "directd: $cl"
goif=$(echo "$go" | awk '{print $2}'); clif=$(echo "$cl" | awk '{print $2}')
on 1 ip addr add 192.168.49.1/24 dev "$goif" || fail "address on $goif"
goaddr=$(on 1 cat "/sys/class/net/$goif/address")
wait_event 0 "^P2P-GO-NEG-SUCCESS role=client freq=[0-9]+ ht40=0 peer_dev=$w peer_iface=$goaddr wps_method=PBC$" 1 >/dev/null \
  || fail "directd: P2P-GO-NEG-SUCCESS text: $(events 0 | grep GO-NEG)"
wait_event 1 "^P2P-GO-NEG-SUCCESS role=GO .* peer_dev=$d .* wps_method=PBC$" 1 >/dev/null \
  || fail "wpa_supplicant: P2P-GO-NEG-SUCCESS: $(events 1 | grep GO-NEG)"
wait_event 0 "^P2P-GROUP-FORMATION-SUCCESS" 1 >/dev/null || fail "directd: no P2P-GROUP-FORMATION-SUCCESS"
echo "$cl" | grep -Eq "^P2P-GROUP-STARTED $clif client ssid=\"DIRECT-..\" freq=[0-9]+ psk=[0-9a-f]{64} go_dev_addr=$w ip_addr=192\.168\.49\.[0-9]+ ip_mask=255\.255\.255\.0 go_ip_addr=192\.168\.49\.1" \
  || fail "directd P2P-GROUP-STARTED text: $cl"
ip=$(group_ip 0 "$clif"); [ -n "$ip" ] || fail "no address on $clif"
on 0 busybox ping -c 3 -W 5 192.168.49.1 >&2 || fail "ping directd -> GO"
on 1 busybox ping -c 3 -W 5 "$ip" >&2 || fail "ping GO -> directd"
s=$(transfer_check 0 1 192.168.49.1 1048576) || fail "1 MB directd -> GO not intact"
figure transfer_1mb_seconds "$s"
figure peak_rss_kb_directd "$(peak_rss_kb 0)"
[ "$(cli 0 p2p_group_remove "$clif")" = OK ] || fail "P2P_GROUP_REMOVE on directd"
wait_event 0 "^P2P-GROUP-REMOVED $clif client reason=REQUESTED" 10 >/dev/null || fail "directd: no P2P-GROUP-REMOVED"
on 0 ip link show "$clif" >/dev/null 2>&1 && fail "$clif still exists"
[ "$(cli 0 ping)" = PONG ] || fail "directd stopped answering"
