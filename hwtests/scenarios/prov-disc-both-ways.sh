# Provision discovery between directd and a real wpa_supplicant, neither a GO, each
# method both ways, with the events on both sides (hostap test_discovery):
# - directd `P2P_PROV_DISC <wpas> display|keypad|pbc`: wpas P2P-PROV-DISC-SHOW-PIN /
#   ENTER-PIN / PBC-REQ, directd P2P-PROV-DISC-ENTER-PIN / SHOW-PIN <PIN> / PBC-RESP;
# - wpa_supplicant `p2p_prov_disc <directd> ...` while directd finds: the same the other
#   way round.
# radios: 2
# timeout: 600

start_directd 0 --device-name directd-0 || fail "directd did not start"
start_wpas 1 || fail "wpa_supplicant did not start"
d=$(dev_addr 0); w=$(dev_addr 1)
[ "$(cli 0 p2p_find)" = OK ] || fail "directd P2P_FIND"
[ "$(cli 1 p2p_find)" = OK ] || fail "wpas P2P_FIND"
wait_event 0 "^P2P-DEVICE-FOUND .*p2p_dev_addr=$w " 60 >/dev/null || fail "directd did not find wpas"
wait_event 1 "^P2P-DEVICE-FOUND .*p2p_dev_addr=$d " 60 >/dev/null || fail "wpas did not find directd"

# pd FROM TO TO_ADDR FROM_ADDR METHOD FROM_EVENT TO_EVENT: FROM asks TO; both events must
# come; the asker's event is left in $HW/pd-from.
pd() {
  from=$1; to=$2; toaddr=$3; fromaddr=$4; m=$5; fe=$6; te=$7
  mf=$(event_mark "$from"); mt=$(event_mark "$to")
  t=$(now)
  [ "$(cli "$from" p2p_prov_disc "$toaddr" "$m")" = OK ] || fail "radio $from P2P_PROV_DISC $m"
  got=$(wait_event_since "$to" "$mt" "^$te $fromaddr" 20) || fail "radio $to: no $te for $m ($(events "$to" | tail -n 3 | cut -f2 | tr '\n' ' '))"
  log "radio $to: $got"
  got=$(wait_event_since "$from" "$mf" "^$fe $toaddr" 20) || fail "radio $from: no $fe for $m ($(events "$from" | tail -n 3 | cut -f2 | tr '\n' ' '))"
  log "radio $from: $got"
  figure "pd_${m}_from_${from}_seconds" "$(since "$t")"
  echo "$got" > "$HW/pd-from"
}

# directd asks.
pd 0 1 "$w" "$d" pbc P2P-PROV-DISC-PBC-RESP P2P-PROV-DISC-PBC-REQ
ev=$(wait_event 1 "^P2P-PROV-DISC-PBC-REQ $d" 1)
echo "$ev" | grep -q "p2p_dev_addr=$d pri_dev_type=1-0050F204-1 name='directd-0' config_methods=0x188 dev_capab=0x24 group_capab=0x0" \
  || fail "wpas's PBC-REQ names directd wrongly: $ev"
pd 0 1 "$w" "$d" display P2P-PROV-DISC-ENTER-PIN P2P-PROV-DISC-SHOW-PIN
show=$(wait_event 1 "^P2P-PROV-DISC-SHOW-PIN $d" 1)
wps_pin_ok "$(echo "$show" | awk '{print $3}')" || fail "wpas shows no valid PIN: $show"
pd 0 1 "$w" "$d" keypad P2P-PROV-DISC-SHOW-PIN P2P-PROV-DISC-ENTER-PIN
shown=$(cat "$HW/pd-from")
pin=$(echo "$shown" | awk '{print $3}')
wps_pin_ok "$pin" || fail "directd's SHOW-PIN has no valid PIN: $shown"

# wpa_supplicant asks directd (which is finding, so it listens part of the time).
pd 1 0 "$d" "$w" pbc P2P-PROV-DISC-PBC-RESP P2P-PROV-DISC-PBC-REQ
ev=$(wait_event 0 "^P2P-PROV-DISC-PBC-REQ $w" 1)
echo "$ev" | grep -q "^P2P-PROV-DISC-PBC-REQ $w p2p_dev_addr=$w pri_dev_type=1-0050F204-1 name='wpas-1' config_methods=0x188 dev_capab=0x25 group_capab=0x0$" \
  || fail "directd's PBC-REQ is not wpa_supplicant's text: $ev"
pd 1 0 "$d" "$w" display P2P-PROV-DISC-ENTER-PIN P2P-PROV-DISC-SHOW-PIN
show=$(wait_event 0 "^P2P-PROV-DISC-SHOW-PIN $w" 1)
wps_pin_ok "$(echo "$show" | awk '{print $3}')" || fail "directd shows no valid PIN: $show"
pd 1 0 "$d" "$w" keypad P2P-PROV-DISC-SHOW-PIN P2P-PROV-DISC-ENTER-PIN

# An unknown peer, a bad method: FAIL, and directd goes on.
r=$(cli 0 p2p_prov_disc 02:00:00:00:0a:00 pbc); [ "$r" = FAIL ] || fail "PD to an unknown peer got '$r'"
r=$(cli 0 p2p_prov_disc "$w" frobnicate); case "$r" in FAIL*) ;; *) fail "bad method got '$r'" ;; esac
[ "$(cli 0 ping)" = PONG ] || fail "directd not serving"
cli 0 p2p_stop_find >/dev/null; cli 1 p2p_stop_find >/dev/null
log "provision discovery both ways done"
