# Captures a real PBC WSC registration between two wpa_supplicants for the wps crate's
# known-answer tests: r0 becomes P2P group owner (registrar, push button), r1 joins
# as P2P client (enrollee, push button). wpa_supplicant runs with
# -ddK, so its log holds the nonces, DH keys, secret nonces and derived keys; air.pcap holds
# the EAPOL frames (M1..M8). wps/captures/extract.py turns both into
# wps/tests/vectors/hwsim-p2p-pbc.txt.
# radios: 2
# timeout: 240

start_wpas 0
start_wpas 1
a0=$(dev_addr 0); a1=$(dev_addr 1)
[ -n "$a0" ] && [ -n "$a1" ] || fail "no P2P device address from STATUS"
log "device addresses: r0=$a0 r1=$a1"

cli 0 p2p_find >/dev/null; cli 1 p2p_find >/dev/null
wait_event 0 "P2P-DEVICE-FOUND $a1" 30 >/dev/null || fail "r0 did not find r1"
wait_event 1 "P2P-DEVICE-FOUND $a0" 30 >/dev/null || fail "r1 did not find r0"

t=$(now)
[ "$(cli 0 p2p_connect "$a1" pbc go_intent=15)" = OK ] || fail "p2p_connect on r0"
[ "$(cli 1 p2p_connect "$a0" pbc go_intent=0)" = OK ] || fail "p2p_connect on r1"
go=$(wait_event 0 "^P2P-GROUP-STARTED .* GO " 60) || fail "no group on r0"
cl=$(wait_event 1 "^P2P-GROUP-STARTED .* client " 60) || fail "no group on r1"
figure formation_seconds "$(since "$t")"
log "GO: $go"
log "client: $cl"
wait_event 0 "WPS-REG-SUCCESS" 5 >/dev/null || log "no WPS-REG-SUCCESS event on r0"
wait_event 1 "WPS-CRED-RECEIVED|WPS-SUCCESS" 5 >/dev/null || log "no WPS-SUCCESS event on r1"
events 0 > "$ART/events-0.txt"; events 1 > "$ART/events-1.txt"
# The group's passphrase, for the credential check.
goif=$(echo "$go" | awk '{print $2}')
log "passphrase: $(echo "$go" | sed -n 's/.*passphrase="\([^"]*\)".*/\1/p')"
log "ssid: $(echo "$go" | sed -n 's/.*ssid="\([^"]*\)".*/\1/p')"
log "go interface: $goif"
