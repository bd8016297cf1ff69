# GO negotiation with a PIN directd displays (the intent of hostap's test_grpform with
# go_neg_pin_authorized: the responder displays and authorises, the initiator types):
# `P2P_CONNECT <wpas> pin auth go_intent=15` on directd replies with a generated 8-digit
# PIN (checksum checked) and authorises the peer in advance; wpa_supplicant types it in
# (`p2p_connect <directd> <PIN> keypad go_intent=0`) and starts the negotiation: directd
# answers at once (no P2P-GO-NEG-REQUEST), becomes GO with wps_method=Display, its
# registrar takes exactly that PIN from that peer; the wpa_supplicant client is in the
# group with the address from the handshake, ping both ways, 1 MB intact.
# radios: 2
# timeout: 300

# info, not debug: a debug line per probe request and nl80211 event slowed directd's
# answers under TCG past the 100 ms a wpa_supplicant peer waits for them.
RUST_LOG=${RUST_LOG:-info} start_directd 0 || fail "directd did not start"
start_wpas 1 || fail "wpa_supplicant did not start"
d=$(dev_addr 0); w=$(dev_addr 1)
meet 0 1 || fail "directd and wpa_supplicant did not find each other"

pin=$(cli 0 p2p_connect "$w" pin auth go_intent=15)
wps_pin_ok "$pin" || fail "P2P_CONNECT pin auth replied '$pin', not a valid 8-digit PIN"
t=$(now)
[ "$(cli 1 p2p_connect "$d" "$pin" keypad go_intent=0)" = OK ] || fail "p2p_connect keypad on wpa_supplicant"
go=$(wait_event 0 "^P2P-GROUP-STARTED .* GO " 40) || fail "directd: no P2P-GROUP-STARTED GO"
figure formation_seconds_go_directd "$(since "$t")"
cl=$(wait_event 1 "^P2P-GROUP-STARTED .* client " 40) || fail "wpa_supplicant: no P2P-GROUP-STARTED client"
figure formation_seconds_client_wpas "$(since "$t")"
log "directd: $go"; log "wpa_supplicant: $cl"
wait_event 0 "^P2P-GO-NEG-SUCCESS role=GO .* peer_dev=$w .* wps_method=Display$" 1 >/dev/null \
  || fail "directd: P2P-GO-NEG-SUCCESS: $(events 0 | grep GO-NEG)"
wait_event 1 "^P2P-GO-NEG-SUCCESS role=client .* peer_dev=$d .* wps_method=Keypad$" 1 >/dev/null \
  || fail "wpa_supplicant: P2P-GO-NEG-SUCCESS: $(events 1 | grep GO-NEG)"
events 0 | grep -q "P2P-GO-NEG-REQUEST" && fail "directd asked its user although it had authorised the peer"
wait_event 0 "^WPS-REG-SUCCESS " 1 >/dev/null || fail "directd: no WPS-REG-SUCCESS"
ip=$(go_client_traffic 0 1 "$cl" directd) || exit 1
log "client address $ip"
