# A real wpa_supplicant client joins an autonomous group with a PIN the client shows
# (P2P_CONNECT <GO> <PIN> display join) and the GO's user enters (WPS_PIN any <PIN> on
# the group interface). The GO is armed before the client connects so that nothing races:
# the PIN is one the client's display would show (random, valid checksum). WPS, WPA2-PSK
# and the address from the handshake follow; ping both ways and 1 MB intact.
# The GO is directd unless the header below says wpas.
# go-impl: directd
# radios: 2
# timeout: 240

impl=$(go_impl)
goif=$(start_go 0 "$impl" 2437) || fail "$impl GO did not start"
start_wpas 1 || fail "wpa_supplicant client did not start"
go=$(dev_addr 0); cl=$(dev_addr 1)
log "$impl GO $go on $goif"

find_go 1 "$go" || fail "the client did not find the GO"
pin=$(wps_pin_valid)
log "the client shows PIN $pin; the GO's user enters it"
[ "$(cli_if 0 "$goif" wps_pin any "$pin")" = "$pin" ] || fail "WPS_PIN any $pin on the GO"
t=$(now)
[ "$(cli 1 p2p_connect "$go" "$pin" display join)" = OK ] || fail "P2P_CONNECT $go $pin display join"
started=$(wait_event 1 "^P2P-GROUP-STARTED " 60) || fail "client: no P2P-GROUP-STARTED"
figure join_seconds "$(since "$t")"
log "client: $started"
go_client_started_ok "$started" "$go"
wait_event 1 "^WPS-SUCCESS" 1 >/dev/null || fail "client: no WPS-SUCCESS"
wait_event 0 "^WPS-REG-SUCCESS " 10 >/dev/null || fail "the GO did not report WPS-REG-SUCCESS"
wait_event 0 "^AP-STA-CONNECTED .* p2p_dev_addr=$cl" 10 >/dev/null || fail "the GO did not report AP-STA-CONNECTED for $cl"
events 0 | grep -q "WPS-FAIL" && fail "the GO reported WPS-FAIL"
wait_event 0 "^P2P-PROV-DISC-ENTER-PIN [0-9a-f:]+ p2p_dev_addr=$cl " 1 || fail "the GO reported no P2P-PROV-DISC-ENTER-PIN for $cl"
go_client_traffic 0 1 "$started" "$impl" >/dev/null
log "join with the client's PIN ok"
