# The automatic mode refuses strangers (issue #14): directd on r0 waits for its peer (r1);
# a wpa_supplicant on r2 finds it and runs `p2p_connect <r0> pbc`: it is refused
# (P2P-GO-NEG-FAILURE status=11 on r2, no group on r0). The configured peer then starts,
# the link comes up; the stranger tries again and gets no group; the link stays (no
# P2P-AUTO-LINK-LOST, ping still answered).
# radios: 3
# timeout: 240

ip0=10.7.0.1; ip1=10.7.0.2
d0=$(hw_p2p_addr 0)
start_directd_auto 0 1 "$ip0/24" || fail "r0 did not start"
start_wpas 2 || fail "stranger wpa_supplicant did not start"
find_go 2 "$d0" 40 || fail "the stranger did not find r0"
[ "$(cli 2 p2p_connect "$d0" pbc)" = OK ] || fail "stranger p2p_connect"
failure=$(wait_event 2 "^P2P-GO-NEG-FAILURE " 40) || fail "the stranger's negotiation did not end"
[ "$failure" = "P2P-GO-NEG-FAILURE status=11" ] || fail "stranger: $failure"
events 0 | grep -qE "P2P-GO-NEG-SUCCESS|P2P-GROUP-STARTED" && fail "r0 formed something with the stranger"

start_directd_auto 1 0 "$ip1/24" || fail "r1 did not start"
auto_linked 0 0 120 >/dev/null || fail "r0: no link with its peer"
ping_fast 0 "$ip1" || fail "ping r0 -> r1"
m0=$(event_mark 0)
cli 2 p2p_find >/dev/null
sleep 3
r=$(cli 2 p2p_connect "$d0" pbc)
log "stranger's second p2p_connect: $r"
wait_event 2 "^P2P-GROUP-STARTED " 20 >/dev/null && fail "the stranger got a group"
wait_event_since 0 "$m0" "^P2P-AUTO-LINK-LOST" 0 >/dev/null && fail "the link was disturbed"
ping_fast 0 "$ip1" 5 || fail "the link is gone after the stranger's attempt"
