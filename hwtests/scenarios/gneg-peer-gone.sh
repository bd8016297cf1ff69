# The peer vanishes during GO negotiation (the intent of hostap's test_grpform_go_neg_stopped
# and the peer-gone cases): wpa_supplicant is found, then stops (its P2P device goes away);
# directd's P2P_CONNECT sends Requests no one acknowledges, retries them on their bounded
# schedule, and reports P2P-GO-NEG-FAILURE. Nothing is left behind: STATUS p2p_state IDLE,
# no group interface, PING, and P2P_FIND still runs. Then the peer that vanished after
# answering status 1 (its user never accepted): P2P_CANCEL ends the wait at once.
# Then a provision discovery to it (hostap test_discovery_pd_retries): retried, then
# P2P-PROV-DISC-FAILURE status=1.
# Figures: seconds from P2P_CONNECT to the failure, and from P2P_PROV_DISC to its failure.
# radios: 2
# timeout: 300

RUST_LOG=${RUST_LOG:-info} start_directd 0 || fail "directd did not start"
start_wpas 1 || fail "wpa_supplicant did not start"
d=$(dev_addr 0); w=$(dev_addr 1)
meet 0 1 || fail "the two did not find each other"
[ "$(cli 0 p2p_stop_find)" = OK ] || fail "P2P_STOP_FIND"

# Status 1, then the peer goes: P2P_CANCEL.
[ "$(cli 0 p2p_connect "$w" pbc go_intent=7)" = OK ] || fail "P2P_CONNECT on directd"
wait_event 1 "^P2P-GO-NEG-REQUEST $d " 30 >/dev/null || fail "wpa_supplicant was not asked"
n=0; until [ "$(cli 0 status | sed -n 's/^p2p_state=//p')" = WAIT_PEER_CONNECT ]; do
  [ $n -ge 50 ] && fail "directd is not waiting for the peer: $(cli 0 status | grep p2p_state)"; sleep 0.1; n=$((n + 1))
done
stop_daemon 1 || fail "wpa_supplicant did not stop"
[ "$(cli 0 p2p_cancel)" = OK ] || fail "P2P_CANCEL while waiting for the peer"
[ "$(cli 0 status | sed -n 's/^p2p_state=//p')" = IDLE ] || fail "p2p_state after P2P_CANCEL: $(cli 0 status | grep p2p_state)"

# No one answers at all.
t=$(now)
[ "$(cli 0 p2p_connect "$w" pbc go_intent=7)" = OK ] || fail "P2P_CONNECT on directd (peer gone)"
f=$(wait_event 0 "^P2P-GO-NEG-FAILURE " 90) || fail "no P2P-GO-NEG-FAILURE: $(events 0 | tail -n 5)"
figure failure_seconds "$(since "$t")"
log "$f"
events 0 | grep -q "P2P-GROUP-STARTED\|P2P-GO-NEG-SUCCESS" && fail "a group with no peer"
on 0 iw dev | grep -q "p2p-wlan0-" && fail "a group interface is left: $(on 0 iw dev)"
[ "$(cli 0 status | sed -n 's/^p2p_state=//p')" = IDLE ] || fail "p2p_state: $(cli 0 status | grep p2p_state)"
[ "$(cli 0 ping)" = PONG ] || fail "directd stopped answering"
[ "$(cli 0 p2p_find)" = OK ] || fail "P2P_FIND after the failure"
sleep 1
st=$(cli 0 status | sed -n 's/^p2p_state=//p')
case "$st" in SEARCH|LISTEN_ONLY|IDLE) ;; *) fail "p2p_state after P2P_FIND: $st" ;; esac

# Provision discovery to the peer that is gone (hostap's test_discovery_pd_retries): retried
# while it does not answer, then P2P-PROV-DISC-FAILURE with status 1 (timeout).
m=$(event_mark 0)
[ "$(cli 0 p2p_stop_find)" = OK ] || fail "P2P_STOP_FIND"
t=$(now)
[ "$(cli 0 p2p_prov_disc "$w" display)" = OK ] || fail "P2P_PROV_DISC to the peer that is gone"
wait_event_since 0 "$m" "^P2P-PROV-DISC-FAILURE p2p_dev_addr=$w status=1" 70 >/dev/null || fail "no P2P-PROV-DISC-FAILURE: $(events 0 | tail -n 3)"
figure pd_failure_seconds "$(since "$t")"
[ "$(cli 0 ping)" = PONG ] || fail "directd stopped answering"
