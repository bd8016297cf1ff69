# The GO's user arms one PIN (WPS_PIN any), a real wpa_supplicant client enters another
# (both with a valid checksum): the client's WPS fails (WPS-FAIL, group formation fails),
# the GO reports WPS-FAIL too and reports no station; the group keeps serving, and the
# same client then joins with the right PIN.
# wpa_supplicant (both sides) for comparison: the client checks the registrar's R-Hash in
# M4 and NACKs: WPS-FAIL msg=8 config_error=18 on the client and on the GO's group
# interface, then the client's P2P-GROUP-FORMATION-FAILURE and P2P-GROUP-REMOVED ...
# reason=FORMATION_FAILED. (Its GO also emits P2P-PROV-DISC-SHOW-PIN with a PIN of its own
# on the client's provision discovery; that PIN is not armed.) Re-arming the same PIN joins.
# directd's GO says WPS-FAIL msg=14 config_error=18 (14 = the WSC_NACK it received), where
# wpa_supplicant's says msg=8 (M4, the last message the registrar sent); only
# config_error=18 is checked here.
# The GO is directd unless the header below says wpas.
# go-impl: directd
# radios: 2
# timeout: 240

impl=$(go_impl)
goif=$(start_go 0 "$impl" 2437) || fail "$impl GO did not start"
start_wpas 1 || fail "wpa_supplicant client did not start"
go=$(dev_addr 0); cl=$(dev_addr 1)

find_go 1 "$go" || fail "the client did not find the GO"
# The GO's user has the GO generate a PIN (WPS_PIN get: a fresh 8-digit PIN, not armed)
# and arms it.
pin=$(cli_if 0 "$goif" wps_pin get)
wps_pin_ok "$pin" || fail "WPS_PIN get on the GO replied '$pin' (8 digits, valid checksum expected)"
wrong=12345670; [ "$pin" = "$wrong" ] && wrong=00000000
[ "$(cli_if 0 "$goif" wps_pin any "$pin")" = "$pin" ] || fail "WPS_PIN any $pin on the GO"
log "the GO expects $pin; the client enters $wrong"
[ "$(cli 1 p2p_connect "$go" "$wrong" join)" = OK ] || fail "P2P_CONNECT $go $wrong join"
failed=$(wait_event 1 "^WPS-FAIL " 60) || fail "client: no WPS-FAIL"
echo "$failed" | grep -q " config_error=18" || fail "client: $failed (expected config_error=18, device password authentication failure)"
log "client: $failed"
gofail=$(wait_event 0 "^WPS-FAIL " 10) || fail "the GO did not report WPS-FAIL"
echo "$gofail" | grep -q " config_error=18" || fail "GO: $gofail (expected config_error=18)"
log "GO: $gofail"
wait_event 1 "^P2P-GROUP-FORMATION-FAILURE|^P2P-GROUP-REMOVED " 30 >/dev/null || fail "client: no group formation failure"
events 1 | grep -q "P2P-GROUP-STARTED" && fail "the client reported a group with the wrong PIN"
events 0 | grep -q "AP-STA-CONNECTED" && fail "the GO reported a station with the wrong PIN"
# The group keeps serving: the GO answers on its group interface, still beacons (the
# client finds it again) and the right PIN joins.
[ "$(cli_if 0 "$goif" ping)" = PONG ] || fail "the GO's group interface does not answer"
on 0 ip link show "$goif" >/dev/null || fail "$goif gone after the failure"
sleep 2
m=$(event_mark 1)
find_go 1 "$go" || fail "the client did not find the GO after the failure"
[ "$(cli_if 0 "$goif" wps_pin any "$pin")" = "$pin" ] || fail "WPS_PIN any $pin on the GO (again)"
t=$(now)
[ "$(cli 1 p2p_connect "$go" "$pin" join)" = OK ] || fail "P2P_CONNECT $go $pin join"
started=$(wait_event_since 1 "$m" "^P2P-GROUP-STARTED " 60) || fail "client: no P2P-GROUP-STARTED with the right PIN"
figure join_seconds_right_pin "$(since "$t")"
log "client: $started"
wait_event 0 "^AP-STA-CONNECTED .* p2p_dev_addr=$cl" 10 >/dev/null || fail "the GO did not report the client"
ip=$(client_take_ip 1 "$started") || fail "no address allocated to the client"
on 1 busybox ping -c 2 -W 5 192.168.49.1 || fail "ping client -> GO"
log "wrong PIN refused, group kept serving, right PIN joined"
