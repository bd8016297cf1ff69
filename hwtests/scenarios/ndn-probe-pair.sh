# NDN over Wi-Fi Direct between two directd daemons, both --ndn: an autonomous directd GO
# (radio 0) and a directd client joining by push button (WPS_PBC on the GO, P2P_CONNECT
# <go> pbc join). A python-ndn producer on the client registers /hw/data and serves a
# 100 KiB object in 25 segments; a python-ndn consumer on the GO fetches it through the
# group, with no route configured by hand: the probe protocol learns it. Figures: seconds
# from the client's P2P-GROUP-STARTED to the first Data at the GO, segments/s through the
# air, both daemons' peak RSS. Then the client removes the group: its peer (the GO) goes
# with reason=group-removed.
# radios: 2
# timeout: 480

s0=$(ndn_sock 0); s1=$(ndn_sock 1)
goif=$(start_go 0 directd 2437 --ndn --ndn-socket "$s0") || fail "directd GO did not start"
start_directd 1 --ndn --ndn-socket "$s1" || fail "directd client did not start"
go=$(dev_addr 0)
log "GO $go on $goif"

# The producer attaches to the client's forwarder before the group exists; the consumer
# on the GO is loaded too (python-ndn loads slowly under TCG) and, once the client has
# its group, asks for /hw/data/seg=0 every 0.2 s until the first Data comes.
ip netns exec r1 "$NDN_PY" "$REPO/hwtests/lib/ndn-app.py" producer "$s1" /hw/data 102400 > "$ART/producer.log" 2>&1 &
prod=$!
ip netns exec r0 "$NDN_PY" "$REPO/hwtests/lib/ndn-app.py" consumer "$s0" /hw/data 120 "$HW/go-fetch" > "$ART/consumer.log" 2> "$ART/consumer.err" &
cons=$!
ndn_ready "$ART/producer.log" "$prod" || fail "producer did not register /hw/data: $(cat "$ART/producer.log")"
want=$(sed -n 's/^READY sha256=//p' "$ART/producer.log")
ndn_ready "$ART/consumer.err" "$cons" || fail "the consumer did not start: $(cat "$ART/consumer.err")"

find_go 1 "$go" || fail "the client did not find the GO"
[ "$(cli_if 0 "$goif" wps_pbc)" = OK ] || fail "WPS_PBC on the GO"
[ "$(cli 1 p2p_connect "$go" pbc join)" = OK ] || fail "P2P_CONNECT $go pbc join"
started=$(wait_event 1 "^P2P-GROUP-STARTED " 60) || fail "client: no P2P-GROUP-STARTED"
t=$(now)
touch "$HW/go-fetch"
clif=$(echo "$started" | awk '{print $2}')
log "client: $started"

# The probe exchange: each side adds the other, the GO learns the client's prefix.
wait_event 1 "^NDN-PEER-ADDED 192\.168\.49\.1$" 30 >/dev/null || fail "client: no NDN-PEER-ADDED for the GO"
ev=$(wait_event 0 "^NDN-PEER-ADDED 192\.168\.49\." 30) || fail "GO: no NDN-PEER-ADDED for the client"
clip=$(echo "$ev" | awk '{print $2}')
wait_event 0 "^NDN-ROUTES $clip n=1$" 30 >/dev/null || fail "GO: no NDN-ROUTES $clip n=1"
log "client at $clip"

ndn_wait "$cons" 240 || fail "the consumer did not finish: $(cat "$ART/consumer.err")"
out=$(tail -n 1 "$ART/consumer.log")
log "consumer: $out"
got=$(echo "$out" | python3 -c 'import json,sys; print(json.load(sys.stdin).get("sha256",""))')
[ "$got" = "$want" ] || fail "fetched object differs: $out (want $want)"
echo "$out" | python3 -c 'import json,sys; sys.exit(0 if json.load(sys.stdin).get("segments") == 25 else 1)' \
  || fail "not all 25 segments: $out"
figure ndn_first_data_seconds "$(echo "$out $t" | python3 -c 'import json,sys; a=sys.stdin.read().rsplit(" ",1); print("%.3f" % (json.loads(a[0])["first_data"] - float(a[1])))')"
figure ndn_segments_per_second "$(echo "$out" | python3 -c 'import json,sys; d=json.load(sys.stdin); print("%.1f" % ((d["segments"] - 1) / max(d["seconds"], 0.001)))')"

peers=$(cli 0 raw NDN_PEERS)
log "GO NDN_PEERS: $peers"
echo "$peers" | grep -Eq "^$clip ifname=$goif role=client face=[0-9]+ timeouts=0 last_answer=[0-9.]+ prefixes=/hw/data$" \
  || fail "GO NDN_PEERS: $peers"
fib=$(cli 0 raw NDN_FIB)
log "GO NDN_FIB: $fib"
echo "$fib" | grep -q "^/hw/data nexthops={faceid=[0-9]* (cost=10) udp4://$clip:6363}" || fail "GO NDN_FIB has no /hw/data via $clip"
cpeers=$(cli 1 raw NDN_PEERS)
echo "$cpeers" | grep -Eq "^192\.168\.49\.1 ifname=$clif role=GO .* prefixes=$" || fail "client NDN_PEERS: $cpeers"
figure peak_rss_kb_go_ndn "$(peak_rss_kb 0)"
figure peak_rss_kb_client_ndn "$(peak_rss_kb 1)"

[ "$(cli 1 p2p_group_remove "$clif")" = OK ] || fail "client P2P_GROUP_REMOVE"
wait_event 1 "^NDN-PEER-REMOVED 192\.168\.49\.1 reason=group-removed$" 10 >/dev/null || fail "client: no NDN-PEER-REMOVED reason=group-removed"
[ -z "$(cli 1 raw NDN_PEERS)" ] || fail "client still lists peers after the group"
kill "$prod" 2>/dev/null
log "ndn pair ok"
