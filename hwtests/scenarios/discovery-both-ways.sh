# directd and a real wpa_supplicant, neither a GO, each P2P_FIND and find each other:
# P2P-DEVICE-FOUND with the right name on both sides, P2P_PEER on both shows the other's
# device name and config methods, and directd's STATUS says p2p_state=SEARCH. Figures in
# the same guest run: seconds until each finds the other, and the same for a pair of
# wpa_supplicants (radios 2 and 3) started the same way.
# radios: 4
# timeout: 300

start_directd 0 --device-name directd-0 || fail "directd did not start"
start_wpas 1 || fail "wpa_supplicant 1 did not start"
start_wpas 2 || fail "wpa_supplicant 2 did not start"
start_wpas 3 || fail "wpa_supplicant 3 did not start"
d=$(dev_addr 0); w=$(dev_addr 1); a=$(dev_addr 2); b=$(dev_addr 3)
log "directd $d, wpa_supplicant $w; pair $a / $b"

# The wpa_supplicant pair first (nobody else searches or listens meanwhile).
t=$(now)
[ "$(cli 2 p2p_find)" = OK ] || fail "wpas 2 P2P_FIND"
[ "$(cli 3 p2p_find)" = OK ] || fail "wpas 3 P2P_FIND"
ta=""; tb=""
while [ -z "$ta" ] || [ -z "$tb" ]; do
  [ -z "$ta" ] && events 2 | grep -q "P2P-DEVICE-FOUND .*p2p_dev_addr=$b " && ta=$(since "$t")
  [ -z "$tb" ] && events 3 | grep -q "P2P-DEVICE-FOUND .*p2p_dev_addr=$a " && tb=$(since "$t")
  [ "$(awk "BEGIN{print ($(since "$t") > 60)}")" = 1 ] && fail "the wpa_supplicant pair did not meet in 60 s"
  sleep 0.05
done
cli 2 p2p_stop_find >/dev/null; cli 3 p2p_stop_find >/dev/null
figure wpas_pair_finds_seconds "$ta"
figure wpas_pair_found_seconds "$tb"

# directd and wpa_supplicant.
t=$(now)
[ "$(cli 0 p2p_find)" = OK ] || fail "directd P2P_FIND"
[ "$(cli 1 p2p_find)" = OK ] || fail "wpas P2P_FIND"
[ "$(cli 0 status | sed -n 's/^p2p_state=//p')" = SEARCH ] || fail "directd STATUS p2p_state is not SEARCH: $(cli 0 status | tr '\n' ' ')"
td=""; tw=""
while [ -z "$td" ] || [ -z "$tw" ]; do
  [ -z "$td" ] && events 0 | grep -q "P2P-DEVICE-FOUND .*p2p_dev_addr=$w " && td=$(since "$t")
  [ -z "$tw" ] && events 1 | grep -q "P2P-DEVICE-FOUND .*p2p_dev_addr=$d " && tw=$(since "$t")
  [ "$(awk "BEGIN{print ($(since "$t") > 60)}")" = 1 ] && fail "directd and wpa_supplicant did not meet in 60 s (directd found: ${td:-no}, wpas found: ${tw:-no})"
  sleep 0.05
done
figure directd_finds_wpas_seconds "$td"
figure wpas_finds_directd_seconds "$tw"

found0=$(wait_event 0 "^P2P-DEVICE-FOUND .*p2p_dev_addr=$w " 1)
found1=$(wait_event 1 "^P2P-DEVICE-FOUND .*p2p_dev_addr=$d " 1)
log "directd: $found0"; log "wpas: $found1"
echo "$found0" | grep -q "^P2P-DEVICE-FOUND $w p2p_dev_addr=$w pri_dev_type=1-0050F204-1 name='wpas-1' config_methods=0x188 dev_capab=0x25 group_capab=0x0 new=1$" \
  || fail "directd's DEVICE-FOUND is not wpa_supplicant's text: $found0"
echo "$found1" | grep -q "name='directd-0' config_methods=0x188 .* new=1" || fail "wpas's DEVICE-FOUND: $found1"

p0=$(cli 0 p2p_peer "$w"); p1=$(cli 1 p2p_peer "$d")
echo "$p0" | grep -qx "device_name=wpas-1" || fail "directd P2P_PEER: $p0"
echo "$p0" | grep -qx "config_methods=0x188" || fail "directd P2P_PEER config methods: $p0"
echo "$p0" | grep -q "^listen_freq=24[0-9][0-9]$" || fail "directd P2P_PEER listen_freq: $p0"
echo "$p0" | grep -qx "flags=\[REPORTED\]" || fail "directd P2P_PEER flags: $p0"
echo "$p1" | grep -qx "device_name=directd-0" || fail "wpas P2P_PEER: $p1"
echo "$p1" | grep -qx "config_methods=0x188" || fail "wpas P2P_PEER config methods: $p1"
# wpa_cli's own filter: the peer is listed as discovered on both sides.
cli 0 p2p_peers discovered | grep -qx "$w" || fail "directd: wpa_cli p2p_peers discovered lacks $w"
cli 1 p2p_peers discovered | grep -qx "$d" || fail "wpas: p2p_peers discovered lacks $d"

[ "$(cli 0 p2p_stop_find)" = OK ] || fail "P2P_STOP_FIND"
wait_event 0 "^P2P-FIND-STOPPED" 5 >/dev/null || fail "no P2P-FIND-STOPPED"
[ "$(cli 0 status | sed -n 's/^p2p_state=//p')" = IDLE ] || fail "p2p_state after stop: $(cli 0 status | tr '\n' ' ')"
cli 1 p2p_stop_find >/dev/null
figure peak_rss_kb_directd "$(peak_rss_kb 0)"
log "both ways done"
