# GO negotiation with a PIN the peer displays (the intent of hostap's test_grpform2 and
# test_both_go_neg_display's valid half): wpa_supplicant shows a PIN and authorises directd
# with intent 15 (`p2p_connect <directd> <PIN> display auth go_intent=15`); directd types it
# in (`P2P_CONNECT <wpas> <PIN> keypad go_intent=0`): directd is the client with
# wps_method=Keypad, joins with that PIN (WPS, then WPA2, the address from the handshake),
# ping both ways, 1 MB intact.
# radios: 2
# timeout: 300

# info, not debug: a debug line per probe request and nl80211 event slowed directd's
# answers under TCG past the 100 ms a wpa_supplicant peer waits for them.
RUST_LOG=${RUST_LOG:-info} start_directd 0 || fail "directd did not start"
start_wpas 1 "ip_addr_go=192.168.49.1" "ip_addr_mask=255.255.255.0" \
  "ip_addr_start=192.168.49.2" "ip_addr_end=192.168.49.254" || fail "wpa_supplicant did not start"
d=$(dev_addr 0); w=$(dev_addr 1)
meet 0 1 || fail "directd and wpa_supplicant did not find each other"

pin=$(wps_pin_valid)
[ "$(cli 1 p2p_connect "$d" "$pin" display auth go_intent=15)" = OK ] || fail "p2p_connect display auth on wpa_supplicant"
t=$(now)
[ "$(cli 0 p2p_connect "$w" "$pin" keypad go_intent=0)" = OK ] || fail "P2P_CONNECT keypad on directd"
go=$(wait_event 1 "^P2P-GROUP-STARTED .* GO " 40) || fail "wpa_supplicant: no P2P-GROUP-STARTED GO"
figure formation_seconds_go_wpas "$(since "$t")"
cl=$(wait_event 0 "^P2P-GROUP-STARTED .* client " 60) || fail "directd: no P2P-GROUP-STARTED client"
figure formation_seconds_client_directd "$(since "$t")"
log "wpa_supplicant: $go"; log "directd: $cl"
goif=$(echo "$go" | awk '{print $2}'); clif=$(echo "$cl" | awk '{print $2}')
on 1 ip addr add 192.168.49.1/24 dev "$goif" || fail "address on $goif"
wait_event 0 "^P2P-GO-NEG-SUCCESS role=client .* peer_dev=$w .* wps_method=Keypad$" 1 >/dev/null \
  || fail "directd: P2P-GO-NEG-SUCCESS: $(events 0 | grep GO-NEG)"
wait_event 1 "^P2P-GO-NEG-SUCCESS role=GO .* peer_dev=$d .* wps_method=Display$" 1 >/dev/null \
  || fail "wpa_supplicant: P2P-GO-NEG-SUCCESS: $(events 1 | grep GO-NEG)"
wait_event 0 "^WPS-SUCCESS" 1 >/dev/null || fail "directd: no WPS-SUCCESS"
ip=$(group_ip 0 "$clif"); [ -n "$ip" ] || fail "no address on $clif"
on 0 busybox ping -c 3 -W 5 192.168.49.1 >&2 || fail "ping directd -> GO"
on 1 busybox ping -c 3 -W 5 "$ip" >&2 || fail "ping GO -> directd"
s=$(transfer_check 0 1 192.168.49.1 1048576) || fail "1 MB directd -> GO not intact"
figure transfer_1mb_seconds "$s"
