# GO negotiation between two directd instances (no wpa_supplicant): by push button (radio
# 1 authorised with intent 0 and listening, radio 0 initiates with intent 15) and by PIN
# (radio 1 authorises with a PIN it generates and displays, intent 15; radio 0 types it in
# with intent 0). Each time the roles are as negotiated on both sides, the client has the
# address its GO allocated, ping crosses both ways, and both remove the group.
# Figures: seconds from the initiator's P2P_CONNECT to both P2P-GROUP-STARTED.
# radios: 2
# timeout: 240

RUST_LOG=${RUST_LOG:-info} start_directd 0 || fail "directd 0 did not start"
RUST_LOG=${RUST_LOG:-info} start_directd 1 || fail "directd 1 did not start"
a=$(dev_addr 0); b=$(dev_addr 1)
meet 0 1 || fail "the two did not find each other"

# Push button.
[ "$(cli 1 p2p_connect "$a" pbc go_intent=0 auth)" = OK ] || fail "auth on radio 1"
[ "$(cli 1 p2p_listen)" = OK ] || fail "P2P_LISTEN on radio 1"
t=$(now)
[ "$(cli 0 p2p_connect "$b" pbc go_intent=15)" = OK ] || fail "P2P_CONNECT on radio 0"
g0=$(wait_event 0 "^P2P-GROUP-STARTED .* GO " 40) || fail "radio 0: no P2P-GROUP-STARTED GO: $(events 0 | tail -n 5)"
g1=$(wait_event 1 "^P2P-GROUP-STARTED .* client " 40) || fail "radio 1: no P2P-GROUP-STARTED client: $(events 1 | tail -n 5)"
figure formation_seconds_pbc "$(since "$t")"
wait_event 0 "^P2P-GO-NEG-SUCCESS role=GO .* peer_dev=$b .* wps_method=PBC$" 1 >/dev/null || fail "radio 0 GO-NEG-SUCCESS"
wait_event 1 "^P2P-GO-NEG-SUCCESS role=client .* peer_dev=$a .* wps_method=PBC$" 1 >/dev/null || fail "radio 1 GO-NEG-SUCCESS"
group_pair_ping 0 "$g0" 1 "$g1" >/dev/null
remove_groups 1 "$g1"; remove_groups 0 "$g0"

# PIN: radio 1 displays, radio 0 types it in.
m0=$(event_mark 0); m1=$(event_mark 1)
pin=$(cli 1 p2p_connect "$a" pin go_intent=15 auth)
wps_pin_ok "$pin" || fail "P2P_CONNECT pin auth on radio 1 replied '$pin'"
[ "$(cli 1 p2p_listen)" = OK ] || fail "P2P_LISTEN on radio 1"
t=$(now)
[ "$(cli 0 p2p_connect "$b" "$pin" keypad go_intent=0)" = OK ] || fail "P2P_CONNECT <PIN> keypad on radio 0"
g1=$(wait_event_since 1 "$m1" "^P2P-GROUP-STARTED .* GO " 40) || fail "radio 1: no P2P-GROUP-STARTED GO: $(events 1 | tail -n 5)"
g0=$(wait_event_since 0 "$m0" "^P2P-GROUP-STARTED .* client " 40) || fail "radio 0: no P2P-GROUP-STARTED client: $(events 0 | tail -n 5)"
figure formation_seconds_pin "$(since "$t")"
wait_event_since 1 "$m1" "^P2P-GO-NEG-SUCCESS role=GO .* wps_method=Display$" 1 >/dev/null || fail "radio 1 GO-NEG-SUCCESS: $(events 1 | grep GO-NEG)"
wait_event_since 0 "$m0" "^P2P-GO-NEG-SUCCESS role=client .* wps_method=Keypad$" 1 >/dev/null || fail "radio 0 GO-NEG-SUCCESS: $(events 0 | grep GO-NEG)"
group_pair_ping 1 "$g1" 0 "$g0" >/dev/null
figure peak_rss_kb_directd "$(peak_rss_kb 0)"
remove_groups 0 "$g0"; remove_groups 1 "$g1"
for r in 0 1; do [ "$(cli $r ping)" = PONG ] || fail "radio $r stopped answering"; done
