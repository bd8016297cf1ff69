# Push-button session overlap: after one WPS_PBC on the GO, two real wpa_supplicant
# clients run P2P_CONNECT <GO> pbc join at about the same time. The GO reports
# WPS-OVERLAP-DETECTED and lets neither in (no P2P-GROUP-STARTED on either client within
# 30 s, no AP-STA-CONNECTED on the GO); the group keeps serving: one client then joins
# with the PIN the GO shows.
# wpa_supplicant's GO for comparison: WPS-OVERLAP-DETECTED a few seconds after the
# connects, each client gets WPS-M2D config_error=12 (twice), reports WPS-OVERLAP-DETECTED
# and ends with P2P-GROUP-FORMATION-FAILURE, about 20 s after its P2P_CONNECT.
# The GO is directd unless the header below says wpas.
# go-impl: directd
# radios: 3
# timeout: 300

impl=$(go_impl)
goif=$(start_go 0 "$impl" 2437) || fail "$impl GO did not start"
start_wpas 1 || fail "client 1 did not start"
start_wpas 2 || fail "client 2 did not start"
go=$(dev_addr 0)
find_go 1 "$go" || fail "client 1 did not find the GO"
find_go 2 "$go" || fail "client 2 did not find the GO"

[ "$(cli_if 0 "$goif" wps_pbc)" = OK ] || fail "WPS_PBC on the GO"
t=$(now)
[ "$(cli 1 p2p_connect "$go" pbc join)" = OK ] || fail "client 1 P2P_CONNECT pbc join"
[ "$(cli 2 p2p_connect "$go" pbc join)" = OK ] || fail "client 2 P2P_CONNECT pbc join"
ov=$(wait_event 0 "^WPS-OVERLAP-DETECTED" 30) || fail "the GO reported no WPS-OVERLAP-DETECTED"
figure overlap_detect_seconds "$(since "$t")"
log "GO: $ov"
# Neither joins: wait out the rest of a 30 s window from the connects.
while [ "$(echo "$(since "$t")" | awk '{print ($1 < 30)}')" = 1 ]; do
  events 1 | grep -q "P2P-GROUP-STARTED" && fail "client 1 joined despite the overlap"
  events 2 | grep -q "P2P-GROUP-STARTED" && fail "client 2 joined despite the overlap"
  events 0 | grep -q "AP-STA-CONNECTED" && fail "the GO let a station in despite the overlap"
  sleep 1
done
# Each client was told why (wpa_supplicant's registrar answers M1 with an M2D carrying
# config error 12, multiple PBC sessions; the wpa_supplicant client then reports the overlap).
for c in 1 2; do
  log "client $c: $(events $c | cut -f2 | grep -E 'WPS-|P2P-GROUP' | cut -c1-80 | tr '\n' '|')"
  # An enrollee that was already past M1 when the second one pressed is refused later in
  # the exchange, with a NACK carrying the same config error (WPS-FAIL msg=11 config_error=12).
  wait_event $c "^WPS-M2D .*config_error=12|^WPS-OVERLAP-DETECTED|^WPS-FAIL .*config_error=12" 0 >/dev/null \
    || fail "client $c was not told of the overlap (no M2D or NACK with config error 12)"
done

# The group keeps serving: stop both clients' attempts, then client 1 joins by PIN.
for c in 1 2; do
  cli $c p2p_cancel >/dev/null
  for i in $(on $c ip -o link | sed -n 's/^[0-9]*: \(p2p-wlan[0-9]*-[0-9]*\)[:@].*/\1/p'); do
    cli $c p2p_group_remove "$i" >/dev/null
  done
done
sleep 2
[ "$(cli_if 0 "$goif" ping)" = PONG ] || fail "the GO's group interface does not answer"
m=$(event_mark 1)
find_go 1 "$go" || fail "client 1 did not find the GO after the overlap"
pin=$(cli_if 0 "$goif" wps_pin any)
echo "$pin" | grep -Eq '^[0-9]{8}$' || fail "WPS_PIN any on the GO replied '$pin'"
t=$(now)
[ "$(cli 1 p2p_connect "$go" "$pin" join)" = OK ] || fail "client 1 P2P_CONNECT $pin join"
started=$(wait_event_since 1 "$m" "^P2P-GROUP-STARTED " 60) || fail "client 1: no P2P-GROUP-STARTED by PIN after the overlap"
figure join_seconds_pin_after_overlap "$(since "$t")"
log "client 1: $started"
wait_event 0 "^AP-STA-CONNECTED .* p2p_dev_addr=$(dev_addr 1)" 10 >/dev/null || fail "the GO did not report client 1"
ip=$(client_take_ip 1 "$started") || fail "no address allocated to client 1"
on 1 busybox ping -c 2 -W 5 192.168.49.1 || fail "ping client 1 -> GO"
log "overlap refused, group kept serving"
