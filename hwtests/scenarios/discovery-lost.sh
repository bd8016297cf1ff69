# directd finds a wpa_supplicant, which then stops: directd reports P2P-DEVICE-LOST once
# the peer has not been seen for the expiry time (60 s, checked every 10 s, as hostap),
# and P2P_PEER no longer knows it.
# radios: 2
# timeout: 600

start_directd 0 || fail "directd did not start"
start_wpas 1 || fail "wpa_supplicant did not start"
w=$(dev_addr 1)
[ "$(cli 1 p2p_listen)" = OK ] || fail "wpas p2p_listen"
[ "$(cli 0 p2p_find)" = OK ] || fail "directd P2P_FIND"
wait_event 0 "^P2P-DEVICE-FOUND .*p2p_dev_addr=$w " 30 >/dev/null || fail "directd did not find wpas"
stop_daemon 1 || fail "wpa_supplicant did not stop"
t=$(now)
lost=$(wait_event 0 "^P2P-DEVICE-LOST p2p_dev_addr=$w$" 100) || fail "no P2P-DEVICE-LOST"
figure lost_after_seconds "$(since "$t")"
log "$lost"
[ "$(cli 0 p2p_peer "$w")" = FAIL ] || fail "P2P_PEER still knows the lost peer"
[ "$(cli 0 ping)" = PONG ] || fail "directd not serving"
cli 0 p2p_stop_find >/dev/null
