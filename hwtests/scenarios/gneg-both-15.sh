# Both sides insist on being GO (the intent of hostap's test_both_go_intent_15 and
# test_grpform_go_neg_stopped): intent 15 on both, once with directd initiating and once
# with wpa_supplicant initiating (the other authorised): P2P-GO-NEG-FAILURE status=9 on
# the initiator and on directd as responder (wpa_supplicant 2.10 as responder sends the
# status 9 Response but reports nothing), no group on either side, no group interface left on directd, STATUS p2p_state not stuck in a
# negotiation, both keep serving (PING, P2P_FIND). Then the bad P2P_CONNECT arguments of
# test_invalid_p2p_connect_command with hostap's replies.
# radios: 2
# timeout: 240

# info, not debug: a debug line per probe request and nl80211 event slowed directd's
# answers under TCG past the 100 ms a wpa_supplicant peer waits for them.
RUST_LOG=${RUST_LOG:-info} start_directd 0 || fail "directd did not start"
start_wpas 1 || fail "wpa_supplicant did not start"
d=$(dev_addr 0); w=$(dev_addr 1)
meet 0 1 || fail "directd and wpa_supplicant did not find each other"

[ "$(cli 1 p2p_connect "$d" pbc go_intent=15 auth)" = OK ] || fail "auth on wpa_supplicant"
[ "$(cli 0 p2p_connect "$w" pbc go_intent=15)" = OK ] || fail "P2P_CONNECT on directd"
wait_event 0 "^P2P-GO-NEG-FAILURE status=9$" 30 >/dev/null || fail "directd: no P2P-GO-NEG-FAILURE status=9: $(events 0 | grep GO-NEG)"
sleep 2
events 1 | grep -q "P2P-GO-NEG-SUCCESS\|P2P-GROUP-STARTED" && fail "wpa_supplicant (responder) went on: $(events 1 | grep P2P-G)"

m0=$(event_mark 0); m1=$(event_mark 1)
[ "$(cli 0 p2p_connect "$w" pbc go_intent=15 auth)" = OK ] || fail "P2P_CONNECT auth on directd"
[ "$(cli 0 p2p_find)" = OK ] || fail "P2P_FIND on directd"
[ "$(cli 1 p2p_connect "$d" pbc go_intent=15)" = OK ] || fail "p2p_connect on wpa_supplicant"
wait_event_since 1 "$m1" "^P2P-GO-NEG-FAILURE status=9$" 30 >/dev/null || fail "wpa_supplicant (initiator): no status=9: $(events 1 | grep GO-NEG)"
wait_event_since 0 "$m0" "^P2P-GO-NEG-FAILURE status=9$" 10 >/dev/null || fail "directd (responder): no status=9: $(events 0 | grep GO-NEG)"
sleep 2
events 0 | grep -q "P2P-GROUP-STARTED" && fail "directd started a group"
on 0 iw dev | grep -q "p2p-wlan0-" && fail "a group interface is left: $(on 0 iw dev)"
st=$(cli 0 status | sed -n 's/^p2p_state=//p')
case "$st" in IDLE|SEARCH) ;; *) fail "directd p2p_state=$st after the failures" ;; esac
[ "$(cli 0 ping)" = PONG ] || fail "directd stopped answering"
[ "$(cli 1 ping)" = PONG ] || fail "wpa_supplicant stopped answering"
[ "$(cli 0 p2p_stop_find)" = OK ] || fail "P2P_STOP_FIND"

# Bad arguments (hostap test_invalid_p2p_connect_command), each with hostap's reply (wpa_cli
# itself refuses `p2p_connect foo` before sending it: that case is a ctrl unit test).
[ "$(cli 0 p2p_connect "$w" pbc go_intent=-1)" = FAIL ] || fail "go_intent=-1"
[ "$(cli 0 p2p_connect "$w" pbc go_intent=16)" = FAIL ] || fail "go_intent=16"
[ "$(cli 0 p2p_connect "$w" 1234567 keypad)" = FAIL-INVALID-PIN ] || fail "a 7-digit PIN"
[ "$(cli 0 p2p_connect "$w" pbc freq=12345)" = FAIL-CHANNEL-UNSUPPORTED ] || fail "freq=12345: $(cli 0 p2p_connect "$w" pbc freq=12345)"
[ "$(cli 0 p2p_connect 02:00:00:00:0a:00 pbc)" = FAIL ] || fail "an unknown peer"
[ "$(cli 0 p2p_cancel)" = FAIL ] || fail "P2P_CANCEL with nothing to cancel"
[ "$(cli 0 ping)" = PONG ] || fail "directd stopped answering"
