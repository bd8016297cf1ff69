# directd and a real wpa_supplicant, neither a GO, each P2P_FIND and find each other:
# P2P-DEVICE-FOUND with the right name on both sides, P2P_PEER on both shows the other's
# device name and config methods, wpa_cli's `p2p_peers discovered` lists the other, and
# directd's STATUS says p2p_state=SEARCH, then IDLE after P2P_STOP_FIND. Figures in the
# same guest run: seconds until each finds the other, and the same for a pair of
# wpa_supplicants (radios 1 and 2) started the same way right after (a reference: when the
# pair does not meet within 120 s, its figure is "none" and the scenario goes on).
# bench: yes
# radios: 3
# timeout: 600

start_directd 0 --device-name directd-0 || fail "directd did not start"
start_wpas 1 || fail "wpa_supplicant 1 did not start"
start_wpas 2 || fail "wpa_supplicant 2 did not start"
d=$(dev_addr 0); w=$(dev_addr 1); b=$(dev_addr 2)
log "directd $d, wpa_supplicant $w, wpa_supplicant $b"

# meet A B ADDR_A ADDR_B NAME [optional]: both P2P_FIND at once; figures NAME_finds_seconds
# (A finds B) and NAME_found_seconds (B finds A), from the first P2P_FIND; fails after
# 120 s unless "optional".
meet() {
  ma=$(event_mark "$1"); mb=$(event_mark "$2")
  t=$(now)
  [ "$(cli "$1" p2p_find)" = OK ] || fail "radio $1 P2P_FIND"
  [ "$(cli "$2" p2p_find)" = OK ] || fail "radio $2 P2P_FIND"
  rm -f "$HW/meet-a" "$HW/meet-b"
  ( wait_event_since "$1" "$ma" "^P2P-DEVICE-FOUND .*p2p_dev_addr=$4 " 120 >/dev/null && since_event "$t" "$1" > "$HW/meet-a" ) &
  pa=$!
  ( wait_event_since "$2" "$mb" "^P2P-DEVICE-FOUND .*p2p_dev_addr=$3 " 120 >/dev/null && since_event "$t" "$2" > "$HW/meet-b" ) &
  pb=$!
  wait "$pa" "$pb"
  for x in a b; do
    [ -s "$HW/meet-$x" ] && continue
    [ "$6" = optional ] || fail "radios $1 and $2 did not find each other in 120 s ($x)"
    echo none > "$HW/meet-$x"
  done
  figure "${5}_finds_seconds" "$(cat "$HW/meet-a")"
  figure "${5}_found_seconds" "$(cat "$HW/meet-b")"
}

# directd and wpa_supplicant: directd_finds_seconds is directd finding wpa_supplicant,
# directd_found_seconds wpa_supplicant finding directd.
meet 0 1 "$d" "$w" directd
[ "$(cli 0 status | sed -n 's/^p2p_state=//p')" = SEARCH ] || fail "directd STATUS p2p_state is not SEARCH: $(cli 0 status | tr '\n' ' ')"

found0=$(wait_event 0 "^P2P-DEVICE-FOUND .*p2p_dev_addr=$w " 1)
found1=$(wait_event 1 "^P2P-DEVICE-FOUND .*p2p_dev_addr=$d " 1)
log "directd: $found0"; log "wpas: $found1"
[ "$found0" = "P2P-DEVICE-FOUND $w p2p_dev_addr=$w pri_dev_type=1-0050F204-1 name='wpas-1' config_methods=0x188 dev_capab=0x25 group_capab=0x0 new=1" ] \
  || fail "directd's DEVICE-FOUND is not wpa_supplicant's text: $found0"
echo "$found1" | grep -q "name='directd-0' config_methods=0x188 dev_capab=0x24 group_capab=0x0 new=1" || fail "wpas's DEVICE-FOUND: $found1"

p0=$(cli 0 p2p_peer "$w"); p1=$(cli 1 p2p_peer "$d")
echo "$p0" | grep -qx "device_name=wpas-1" || fail "directd P2P_PEER: $p0"
echo "$p0" | grep -qx "config_methods=0x188" || fail "directd P2P_PEER config methods: $p0"
echo "$p0" | grep -q "^listen_freq=24[0-9][0-9]$" || fail "directd P2P_PEER listen_freq: $p0"
echo "$p0" | grep -qx "flags=\[REPORTED\]" || fail "directd P2P_PEER flags: $p0"
echo "$p1" | grep -qx "device_name=directd-0" || fail "wpas P2P_PEER: $p1"
echo "$p1" | grep -qx "config_methods=0x188" || fail "wpas P2P_PEER config methods: $p1"
cli 0 p2p_peers discovered | grep -qx "$w" || fail "directd: wpa_cli p2p_peers discovered lacks $w"
cli 1 p2p_peers discovered | grep -qx "$d" || fail "wpas: p2p_peers discovered lacks $d"

[ "$(cli 0 p2p_stop_find)" = OK ] || fail "P2P_STOP_FIND"
wait_event 0 "^P2P-FIND-STOPPED" 5 >/dev/null || fail "no P2P-FIND-STOPPED"
[ "$(cli 0 status | sed -n 's/^p2p_state=//p')" = IDLE ] || fail "p2p_state after stop: $(cli 0 status | tr '\n' ' ')"
cli 1 p2p_stop_find >/dev/null
[ "$(cli 1 p2p_flush)" = OK ] || fail "wpas P2P_FLUSH"
figure peak_rss_kb_directd "$(peak_rss_kb 0)"

# The wpa_supplicant pair (directd idle: it neither searches nor listens).
meet 2 1 "$b" "$w" wpas_pair optional
cli 1 p2p_stop_find >/dev/null; cli 2 p2p_stop_find >/dev/null
log "both ways done"
