# Captures nl80211 traffic of wpa_supplicant running a WPA2-PSK AP (r0, mode=2) and a
# station joining it (r1), with nlmon, for the second-part codec tests (START_AP,
# NEW_STATION, SET_STATION, NEW_KEY, AUTHENTICATE, ASSOCIATE, CONTROL_PORT_FRAME...).
# Run with: hwtests/run nl80211/captures/capture-ap.sh
# radios: 2
# timeout: 200

for r in 0 1; do
  on $r ip link add nlmon0 type nlmon || fail "nlmon in r$r"
  on $r ip link set nlmon0 up
  ip netns exec "r$r" tcpdump -i nlmon0 -U -s 0 -w "$ART/ap-r$r.pcap" > "$ART/ap-r$r.tcpdump.log" 2>&1 &
  echo $! > "/tmp/cap-r$r.pid"
  n=0; while [ $n -lt 50 ] && ! grep -q listening "$ART/ap-r$r.tcpdump.log"; do sleep 0.1; n=$((n + 1)); done
done

start_wpas 0 "p2p_disabled=1" "ap_scan=2" "network={" "  ssid=\"nl80211-test\"" "  mode=2" "  frequency=2412" \
  "  key_mgmt=WPA-PSK" "  proto=RSN" "  pairwise=CCMP" "  group=CCMP" "  psk=\"password123\"" "}"
# AP-ENABLED can come before the event recorder attaches: poll STATUS instead.
n=0; until cli 0 status | grep -q "^mode=AP" && cli 0 status | grep -q "^wpa_state=COMPLETED"; do
  n=$((n + 1)); [ $n -gt 60 ] && fail "AP not enabled on r0"; sleep 0.5
done
start_wpas 1 "p2p_disabled=1" "network={" "  ssid=\"nl80211-test\"" "  key_mgmt=WPA-PSK" "  proto=RSN" \
  "  pairwise=CCMP" "  group=CCMP" "  psk=\"password123\"" "  scan_freq=2412" "}"
wait_event 1 "CTRL-EVENT-CONNECTED" 60 > /dev/null || fail "r1 did not connect"
wait_event 0 "AP-STA-CONNECTED" 10 > /dev/null || fail "r0 saw no station"
sleep 1
cli 1 disconnect > /dev/null
wait_event 0 "AP-STA-DISCONNECTED" 10 > /dev/null || log "no AP-STA-DISCONNECTED"
sleep 1
for r in 0 1; do kill -INT "$(cat "/tmp/cap-r$r.pid")"; done
sleep 1
ls -l "$ART"/*.pcap
