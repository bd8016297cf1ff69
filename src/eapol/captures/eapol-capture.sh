# Captures a real WPA2-PSK 4-way handshake between two wpa_supplicants for the eapol
# module's known-answer tests: r0 runs an autonomous P2P group (p2p_group_add) with IP
# address allocation configured (ip_addr_go & co.), so it is the authenticator and hands
# out an address in message 3; r1 joins with WPS PBC and then runs the handshake as
# supplicant, asking for an address in message 2. Both run with -ddK: their logs hold the
# PMK, the PTK and every EAPOL-Key frame sent and received (hexdumps).
# src/eapol/captures/extract.py turns the logs into src/eapol/captures/wpas-p2p-ip.txt.
# radios: 2
# timeout: 240

start_wpas 0 "ip_addr_go=192.168.49.1" "ip_addr_mask=255.255.255.0" \
  "ip_addr_start=192.168.49.200" "ip_addr_end=192.168.49.220"
start_wpas 1
a0=$(dev_addr 0); a1=$(dev_addr 1)
[ -n "$a0" ] && [ -n "$a1" ] || fail "no P2P device address from STATUS"
log "device addresses: r0=$a0 r1=$a1"

[ "$(cli 0 p2p_group_add freq=2437)" = OK ] || fail "p2p_group_add on r0"
go=$(wait_event 0 "^P2P-GROUP-STARTED .* GO " 30) || fail "no group on r0"
goif=$(echo "$go" | awk '{print $2}')
log "GO: $go"
[ "$(cli_if 0 "$goif" wps_pbc)" = OK ] || fail "wps_pbc on $goif"

cli 1 p2p_find >/dev/null
wait_event 1 "P2P-DEVICE-FOUND .*p2p_dev_addr=$a0" 30 >/dev/null || fail "r1 did not find the GO"
t=$(now)
[ "$(cli 1 p2p_connect "$a0" pbc join)" = OK ] || fail "p2p_connect join on r1"
cl=$(wait_event 1 "^P2P-GROUP-STARTED .* client " 60) || fail "no group on r1"
figure join_seconds "$(since "$t")"
log "client: $cl"
echo "$cl" | grep -q "ip_addr=" || log "client got no address in the handshake"
wait_event 0 "AP-STA-CONNECTED" 10 >/dev/null || log "no AP-STA-CONNECTED on r0"
sleep 1
events 0 > "$ART/events-0.txt"; events 1 > "$ART/events-1.txt"
log "passphrase: $(echo "$go" | sed -n 's/.*passphrase="\([^"]*\)".*/\1/p')"
log "ssid: $(echo "$go" | sed -n 's/.*ssid="\([^"]*\)".*/\1/p')"
