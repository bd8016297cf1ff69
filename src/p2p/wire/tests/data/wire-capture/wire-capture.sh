# Captures real wpa_supplicant P2P frames for the p2p::wire tests (not a product
# scenario; run with `hwtests/run src/p2p/wire/tests/data/wire-capture/wire-capture.sh`):
# r0 runs an autonomous GO on 2437 MHz; r1 finds it, sends a join provision discovery
# (PBC), is invited into the group by r0, and the group is removed. Steps after the
# discovery are best effort: whatever frames they produce are kept.
# radios: 2
# timeout: 300

start_wpas 0
start_wpas 1
a0=$(dev_addr 0); a1=$(dev_addr 1)
log "device addresses: r0=$a0 r1=$a1"

[ "$(cli 0 p2p_group_add freq=2437)" = OK ] || fail "p2p_group_add on r0"
go=$(wait_event 0 "^P2P-GROUP-STARTED .* GO " 30) || fail "no group on r0"
goif=$(echo "$go" | awk '{print $2}')
log "r0: $go"

cli 1 p2p_find >/dev/null
wait_event 1 "P2P-DEVICE-FOUND .*p2p_dev_addr=$a0" 90 || fail "r1 did not find the GO"

log "join provision discovery r1 -> r0: $(cli 1 p2p_prov_disc "$a0" pbc join)"
wait_event 0 "P2P-PROV-DISC-PBC-REQ $a1" 30 || log "the GO saw no provision discovery request"
wait_event 1 "P2P-PROV-DISC-PBC-RESP|P2P-PROV-DISC-FAILURE" 30 || log "no provision discovery outcome on r1"

log "invitation r0 -> r1: $(cli 0 p2p_invite group="$goif" peer="$a1")"
wait_event 1 "P2P-INVITATION-RECEIVED" 30 || log "r1 got no invitation"
wait_event 0 "P2P-INVITATION-RESULT" 30 || log "r0 got no invitation result"

log "r0 ends the group: $(cli 0 p2p_group_remove "$goif")"
wait_event 0 "P2P-GROUP-REMOVED" 20 || log "no P2P-GROUP-REMOVED on r0"
sleep 1
