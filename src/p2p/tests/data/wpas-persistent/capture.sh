# Capture: the configuration files wpa_supplicant 2.10 writes (update_config=1) after it
# formed a persistent group by negotiation, as GO (r0) and as client (r1).
# radios: 2
# timeout: 200
start_wpas 0 update_config=1 persistent_reconnect=1 || fail "wpas 0"
start_wpas 1 update_config=1 persistent_reconnect=1 || fail "wpas 1"
a0=$(dev_addr 0); a1=$(dev_addr 1)
meet 0 1 || fail "meet"
[ "$(cli 1 p2p_connect "$a0" pbc persistent go_intent=0 auth)" = OK ] || fail auth
[ "$(cli 0 p2p_connect "$a1" pbc persistent go_intent=15)" = OK ] || fail connect
wait_event 0 "^P2P-GROUP-STARTED .* GO .*\[PERSISTENT\]" 40 >/dev/null || fail "no GO"
wait_event 1 "^P2P-GROUP-STARTED .* client .*\[PERSISTENT\]" 40 >/dev/null || fail "no client"
wait_event 0 "^AP-STA-CONNECTED " 20 >/dev/null || fail "no sta"
sleep 2
cp "$HW/wpas-0.conf" "$ART/wpas-go.conf"; cp "$HW/wpas-1.conf" "$ART/wpas-client.conf"
log "captured"
