# NDN over Wi-Fi Direct with three directd daemons, all --ndn --probe-interval 2: a GO
# (radio 0) and two clients joining by push button. A python-ndn producer on client 1
# serves /hw/data; a python-ndn consumer on client 2 fetches it through the GO (the GO's
# probe answer to client 2 lists every prefix it has, client 1's included). Then client
# 1's daemon is killed (SIGKILL): after 5 unanswered probes the GO drops it
# (NDN-PEER-REMOVED ... reason=timeout), client 2's next answer from the GO no longer
# lists /hw/data, and a fetch from client 2 fails fast with a Nack. Figures: segments/s
# client to client through the GO, seconds from the kill to the GO's removal, peak RSS
# of the GO with two NDN peers and of a wpa_supplicant GO (radio 3) in the same run.
# radios: 4
# timeout: 480

for r in 0 1 2; do eval "s$r=\$(ndn_sock $r)"; done
goif=$(start_go 0 directd 2437 --ndn --ndn-socket "$s0" --probe-interval 2) || fail "directd GO did not start"
go=$(dev_addr 0)
for c in 1 2; do
  start_directd $c --ndn --ndn-socket "$(ndn_sock $c)" --probe-interval 2 || fail "directd client $c did not start"
done
ip netns exec r1 "$NDN_PY" "$REPO/hwtests/lib/ndn-app.py" producer "$s1" /hw/data 102400 > "$ART/producer.log" 2>&1 &
prod=$!
ndn_ready "$ART/producer.log" "$prod" || fail "producer did not register /hw/data: $(cat "$ART/producer.log")"
want=$(sed -n 's/^READY sha256=//p' "$ART/producer.log")

for c in 1 2; do
  find_go $c "$go" || fail "client $c did not find the GO"
  [ "$(cli_if 0 "$goif" wps_pbc)" = OK ] || fail "WPS_PBC on the GO for client $c"
  [ "$(cli $c p2p_connect "$go" pbc join)" = OK ] || fail "client $c P2P_CONNECT $go pbc join"
  started=$(wait_event $c "^P2P-GROUP-STARTED " 60) || fail "client $c: no P2P-GROUP-STARTED"
  log "client $c: $started"
  wait_event $c "^NDN-PEER-ADDED 192\.168\.49\.1$" 30 >/dev/null || fail "client $c: no NDN-PEER-ADDED for the GO"
  ip=$(group_ip $c "$(echo "$started" | awk '{print $2}')")
  [ -n "$ip" ] || fail "client $c has no address"
  eval "ip$c=\$ip"
  wait_event 0 "^NDN-PEER-ADDED $ip$" 30 >/dev/null || fail "GO: no NDN-PEER-ADDED $ip"
done
log "clients at $ip1 and $ip2"
wait_event 0 "^NDN-ROUTES $ip1 n=1$" 30 >/dev/null || fail "GO: no route learnt from client 1"
# Client 2 learns /hw/data from the GO's answer (the GO lists every prefix).
wait_event 2 "^NDN-ROUTES 192\.168\.49\.1 n=1$" 30 >/dev/null || fail "client 2: /hw/data not learnt from the GO"
cli 2 raw NDN_FIB | grep -q "^/hw/data nexthops={faceid=[0-9]* (cost=10) udp4://192.168.49.1:6363}" || fail "client 2 NDN_FIB: $(cli 2 raw NDN_FIB)"

out=$(ndn_app 2 consumer "$s2" /hw/data 60) || fail "consumer failed"
log "consumer on client 2: $out"
got=$(echo "$out" | python3 -c 'import json,sys; print(json.load(sys.stdin).get("sha256",""))')
[ "$got" = "$want" ] || fail "fetched object differs: $out"
figure ndn_segments_per_second_client_to_client "$(echo "$out" | python3 -c 'import json,sys; d=json.load(sys.stdin); print("%.1f" % ((d["segments"] - 1) / max(d["seconds"], 0.001)))')"
figure peak_rss_kb_go_ndn_two_peers "$(peak_rss_kb 0)"

# Client 1's daemon dies.
m0=$(event_mark 0); m2=$(event_mark 2)
t=$(now)
stop_daemon 1 KILL || fail "client 1's daemon did not die"
kill "$prod" 2>/dev/null
ev=$(wait_event_since 0 "$m0" "^NDN-PEER-REMOVED $ip1 " 60) || fail "GO: client 1 not dropped"
[ "$ev" = "NDN-PEER-REMOVED $ip1 reason=timeout" ] || fail "GO: $ev"
figure ndn_peer_timeout_seconds "$(since "$t")"
wait_event_since 0 "$m0" "^NDN-PEER-REMOVED $ip2 " 0 >/dev/null && fail "GO dropped client 2 too"
cli 0 raw NDN_FIB | grep -q "^/hw/data " && fail "GO still routes /hw/data: $(cli 0 raw NDN_FIB)"
wait_event_since 2 "$m2" "^NDN-ROUTES 192\.168\.49\.1 n=0$" 30 >/dev/null || fail "client 2 kept /hw/data"
# (a name client 2 never fetched: its content store must not answer)
res=$(ndn_app 2 fetch "$s2" /hw/data/after-the-drop 4000)
log "fetch after the drop: $res"
echo "$res" | python3 -c 'import json,sys; d=json.load(sys.stdin); sys.exit(0 if d.get("nack") and d["seconds"] < 1 else 1)' \
  || fail "the fetch did not fail fast with a Nack: $res"
[ "$(cli 2 ping)" = PONG ] && [ "$(cli 0 ping)" = PONG ] || fail "a daemon stopped answering"

# Reference: wpa_supplicant alone as GO in the same run.
start_go 3 wpas 2437 >/dev/null || fail "reference wpa_supplicant GO did not start"
figure peak_rss_kb_go_wpas "$(peak_rss_kb 3)"
log "ndn three ok"
