# directd only listens (P2P_LISTEN): a searching wpa_supplicant finds it, and directd's
# STATUS says p2p_state=LISTEN_ONLY; directd answered its probe requests, and learned it
# from them only ([PROBE_REQ_ONLY], not reported). Then the reverse: wpa_supplicant
# p2p_listen, directd P2P_FIND finds it. Also a short P2P_LISTEN goes back to IDLE by itself.
# radios: 2
# timeout: 600

start_directd 0 --device-name directd-0 || fail "directd did not start"
start_wpas 1 || fail "wpa_supplicant did not start"
d=$(dev_addr 0); w=$(dev_addr 1)

# A short listen ends by itself (8 s: a loaded guest takes seconds per wpa_cli call).
[ "$(cli 0 p2p_listen 8)" = OK ] || fail "P2P_LISTEN 8"
[ "$(cli 0 status | sed -n 's/^p2p_state=//p')" = LISTEN_ONLY ] || fail "p2p_state is not LISTEN_ONLY"
n=0
until [ "$(cli 0 status | sed -n 's/^p2p_state=//p')" = IDLE ]; do
  n=$((n + 1)); [ $n -ge 30 ] && fail "p2p_state is not IDLE 30 s after P2P_LISTEN 8"
  sleep 1
done

[ "$(cli 0 p2p_listen)" = OK ] || fail "P2P_LISTEN"
t=$(now)
[ "$(cli 1 p2p_find)" = OK ] || fail "wpas P2P_FIND"
found=$(wait_event 1 "^P2P-DEVICE-FOUND .*p2p_dev_addr=$d " 30) || fail "wpa_supplicant did not find the listening directd"
figure wpas_finds_listening_directd_seconds "$(since "$t")"
echo "$found" | grep -q "name='directd-0'" || fail "name: $found"
[ "$(cli 0 status | sed -n 's/^p2p_state=//p')" = LISTEN_ONLY ] || fail "p2p_state is not LISTEN_ONLY while listening"
p=$(cli 0 p2p_peer "$w")
echo "$p" | grep -qx "flags=\[PROBE_REQ_ONLY\]" || fail "directd knows wpas only from its probe requests: $p"
echo "$p" | grep -qx "device_name=wpas-1" || fail "its name from the WSC IE: $p"
cli 0 p2p_peers discovered | grep -qx "$w" && fail "a PROBE_REQ_ONLY peer is listed as discovered"
events 0 | grep -q "P2P-DEVICE-FOUND" && fail "directd reported a peer while only listening"
cli 1 p2p_stop_find >/dev/null
[ "$(cli 0 p2p_stop_find)" = OK ] || fail "P2P_STOP_FIND ends the listen"
[ "$(cli 0 status | sed -n 's/^p2p_state=//p')" = IDLE ] || fail "p2p_state after stopping the listen"

# The reverse.
[ "$(cli 1 p2p_listen)" = OK ] || fail "wpas p2p_listen"
t=$(now)
[ "$(cli 0 p2p_find)" = OK ] || fail "directd P2P_FIND"
found=$(wait_event 0 "^P2P-DEVICE-FOUND .*p2p_dev_addr=$w " 30) || fail "directd did not find the listening wpa_supplicant"
figure directd_finds_listening_wpas_seconds "$(since "$t")"
echo "$found" | grep -q "name='wpas-1' config_methods=0x188" || fail "found: $found"
p=$(cli 0 p2p_peer "$w")
echo "$p" | grep -qx "flags=\[REPORTED\]" || fail "found from its probe response now: $p"
cli 0 p2p_stop_find >/dev/null; cli 1 p2p_stop_find >/dev/null
log "listen only both ways done"
