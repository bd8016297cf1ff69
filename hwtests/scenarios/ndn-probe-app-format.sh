# The original Android app's probe format against a directd GO run with --ndn
# --probe-format app. The client is wpa_supplicant (no NDN of its own) carrying a small
# Python stand-in for the app (hwtests/lib/ndn-app.py standin: NDN over UDP port 6363
# with python-ndn's encoder): it probes the GO with the app's unique names
# (`probe?<ms>`), answers the GO's probes in the app's format ("1\n/app/data") and
# serves /app/data. The GO opens the complementary face when the first probe arrives,
# learns /app/data, and a python-ndn consumer on the GO reaches the stand-in's data; the
# stand-in parses the GO's answers strictly in the app's format.
# radios: 2
# timeout: 480

s0=$(ndn_sock 0)
goif=$(start_go 0 directd 2437 --ndn --ndn-socket "$s0" --probe-format app) || fail "directd GO did not start"
start_wpas 1 || fail "wpa_supplicant client did not start"
go=$(dev_addr 0)
find_go 1 "$go" || fail "the client did not find the GO"
[ "$(cli_if 0 "$goif" wps_pbc)" = OK ] || fail "WPS_PBC on the GO"
[ "$(cli 1 p2p_connect "$go" pbc join)" = OK ] || fail "P2P_CONNECT $go pbc join"
started=$(wait_event 1 "^P2P-GROUP-STARTED " 60) || fail "client: no P2P-GROUP-STARTED"
ip=$(client_take_ip 1 "$started") || fail "no address for the client"
log "client at $ip"
ip netns exec r1 "$NDN_PY" "$REPO/hwtests/lib/ndn-app.py" standin "$ip" 192.168.49.1 /app/data 12 > "$ART/standin.log" 2>&1 &
sp=$!
ndn_ready "$ART/standin.log" "$sp" || fail "the stand-in did not start: $(cat "$ART/standin.log")"
wait_event 0 "^NDN-PEER-ADDED $ip$" 30 >/dev/null || fail "GO: no complementary face to the stand-in"
wait_event 0 "^NDN-ROUTES $ip n=1$" 30 >/dev/null || fail "GO: /app/data not learnt from the app-format answer"
res=$(ndn_app 0 fetch "$s0" /app/data/hello 4000)
log "fetch: $res"
echo "$res" | grep -q '"content": "from the app stand-in"' || fail "consumer on the GO: $res"
n=0; until grep -q "^ANSWER /localhop/wifidirect/192.168.49.1/$ip/probe" "$ART/standin.log"; do
  [ $n -ge 100 ] && fail "the stand-in parsed no answer from the GO: $(tail -n 5 "$ART/standin.log")"
  sleep 0.1; n=$((n + 1))
done
grep -q '^ERROR' "$ART/standin.log" && fail "stand-in: $(grep '^ERROR' "$ART/standin.log" | head -n 3)"
grep -q "^PROBE-ANSWERED " "$ART/standin.log" || fail "the GO never probed the stand-in"
cli 0 raw NDN_PEERS | grep -Eq "^$ip ifname=$goif role=client face=[0-9]+ timeouts=0 .* prefixes=/app/data$" \
  || fail "GO NDN_PEERS: $(cli 0 raw NDN_PEERS)"
kill "$sp" 2>/dev/null
log "app format ok"
