# --ndn-auto (the NDN app's aggressive mode) with three directd daemons named ndn-0..2,
# each only `directd run --ndn --ndn-auto` (discovery every 10 s here instead of 30, probes
# every 2 s): nobody types a command, yet they find each other by name and end in one
# group (one GO, two clients: the first pair negotiates, the third joins the GO by push
# button after a provision discovery). A python-ndn producer on radio 1 serves /hw/data;
# the probe protocol routes it; a python-ndn consumer on radio 2 fetches it. A fourth
# device, a wpa_supplicant not named ndn-*, listens all along and is never asked.
# Figures: seconds from the last start to one group of three, and to the fetched object.
# radios: 4
# timeout: 300

start_wpas 3 || fail "wpa_supplicant did not start"
[ "$(cli 3 p2p_listen)" = OK ] || fail "P2P_LISTEN on wpa_supplicant"
for r in 0 1 2; do
  start_directd $r --ndn --ndn-socket "$(ndn_sock $r)" --probe-interval 2 --ndn-auto \
    --ndn-discovery-interval 10 --device-name "ndn-$r" || fail "directd $r did not start"
done
t=$(now)
ip netns exec r1 "$NDN_PY" "$REPO/hwtests/lib/ndn-app.py" producer "$(ndn_sock 1)" /hw/data 102400 > "$ART/producer.log" 2>&1 &
prod=$!

# One group of three: every daemon reports P2P-GROUP-STARTED with the same GO, one as GO.
gos=0; godev=""
for r in 0 1 2; do
  ev=$(wait_event $r "^P2P-GROUP-STARTED " 150) || fail "directd $r: no group: $(events $r | grep -v CTRL | tail -n 5)"
  log "directd $r: $ev"
  case "$ev" in *" GO "*) gos=$((gos + 1)) ;; esac
  g=$(echo "$ev" | sed -n 's/.*go_dev_addr=\([0-9a-f:]*\).*/\1/p')
  [ -z "$godev" ] && godev=$g
  [ "$g" = "$godev" ] || fail "two groups: GO $godev and GO $g"
done
[ $gos = 1 ] || fail "$gos GOs"
figure seconds_to_one_group "$(since "$t")"
events 3 | grep -q "P2P-GO-NEG-REQUEST\|P2P-PROV-DISC\|P2P-INVITATION" && fail "the device not named ndn-* was asked: $(events 3 | grep P2P-)"

ndn_ready "$ART/producer.log" "$prod" || fail "producer did not register /hw/data: $(cat "$ART/producer.log")"
want=$(sed -n 's/^READY sha256=//p' "$ART/producer.log")
n=0
until cli 2 raw NDN_FIB | grep -q "^/hw/data "; do
  [ $n -ge 300 ] && fail "radio 2 never learnt /hw/data: $(cli 2 raw NDN_FIB)"
  sleep 0.1; n=$((n + 1))
done
out=$(ndn_app 2 consumer "$(ndn_sock 2)" /hw/data 60) || fail "consumer failed"
log "consumer on radio 2: $out"
got=$(echo "$out" | python3 -c 'import json,sys; print(json.load(sys.stdin).get("sha256",""))')
[ "$got" = "$want" ] || fail "fetched object differs: $out"
figure seconds_to_data "$(since "$t")"
kill "$prod" 2>/dev/null
for r in 0 1 2 3; do [ "$(cli $r ping)" = PONG ] || fail "daemon $r stopped answering"; done
log "ndn auto three ok"
