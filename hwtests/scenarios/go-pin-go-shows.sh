# A real wpa_supplicant client joins an autonomous group with the PIN the GO shows: the
# GO's user generates it (WPS_PIN any on the group interface replies the PIN), the
# client's user types it in (P2P_CONNECT <GO> <PIN> join); WPS, WPA2-PSK and the address
# from the handshake follow; ping crosses the air both ways and 1 MB arrives intact.
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
pin=$(cli_if 0 "$goif" wps_pin any)
wps_pin_ok "$pin" || fail "WPS_PIN any on the GO replied '$pin' (8 digits, valid checksum expected)"
log "the GO shows PIN $pin"
t=$(now)
[ "$(cli 1 p2p_connect "$go" "$pin" join)" = OK ] || fail "P2P_CONNECT $go $pin join"
started=$(wait_event 1 "^P2P-GROUP-STARTED " 60) || fail "client: no P2P-GROUP-STARTED"
figure join_seconds "$(since "$t")"
log "client: $started"
go_client_started_ok "$started" "$go"
wait_event 1 "^WPS-SUCCESS" 1 >/dev/null || fail "client: no WPS-SUCCESS"
wait_event 0 "^WPS-REG-SUCCESS " 10 >/dev/null || fail "the GO did not report WPS-REG-SUCCESS"
wait_event 0 "^AP-STA-CONNECTED .* p2p_dev_addr=$cl" 10 >/dev/null || fail "the GO did not report AP-STA-CONNECTED for $cl"
events 0 | grep -q "WPS-FAIL" && fail "the GO reported WPS-FAIL"
# The client's provision discovery (keypad) asks the GO to show a PIN. (directd shows the
# armed one; wpa_supplicant's GO shows a new PIN it does not arm, so only the event is checked.)
wait_event 0 "^P2P-PROV-DISC-SHOW-PIN [0-9a-f:]+ [0-9]{8} p2p_dev_addr=$cl " 1 || fail "the GO reported no P2P-PROV-DISC-SHOW-PIN for $cl"
go_client_traffic 0 1 "$started" "$impl" >/dev/null
log "join with the GO's PIN ok"
