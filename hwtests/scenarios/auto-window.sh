# The automatic mode when the peer is not there (issue #14): directd on r0 with
# --discover-window 15 (longer than the event recorder may take to attach under load) reports `P2P-AUTO-FAILED reason=peer-not-found ... retry_in=10` when
# the window ends (and listens until the retry); the peer (directd, automatic, on r1) then
# starts and the two connect (on r0's retry, or earlier when r1 finds r0 listening), ping
# both ways. Then `--once` on r2 with an absent peer: the failure event, and directd exits
# non-zero by itself. Figures: seconds from start to the failure event; from the peer's
# start to ping.
# radios: 3
# timeout: 240

ip0=10.7.0.1; ip1=10.7.0.2
t=$(now)
start_directd_auto 0 1 "$ip0/24" --discover-window 15 || fail "r0 did not start"
failed=$(wait_event 0 "^P2P-AUTO-FAILED " 40) || fail "r0: no P2P-AUTO-FAILED after its 15 s window"
figure auto_window_failure_seconds "$(since "$t")"
[ "$failed" = "P2P-AUTO-FAILED reason=peer-not-found peer=$(hw_p2p_addr 1) retry_in=10" ] || fail "failure text: $failed"
cli 0 status | grep -qx "p2p_state=LISTEN_ONLY" || fail "r0 does not listen between attempts: $(cli 0 status | grep p2p_state)"

m0=$(event_mark 0)
t=$(now)
start_directd_auto 1 0 "$ip1/24" --discover-window 5 || fail "r1 did not start"
if0=$(auto_linked 0 "$m0" 120) || fail "r0: no P2P-AUTO-CONNECTED after the peer came"
auto_linked 1 0 30 >/dev/null || fail "r1: no P2P-AUTO-CONNECTED"
ping_fast 0 "$ip1" || fail "ping r0 -> r1"
figure auto_window_late_peer_to_ping_seconds "$(since "$t")"
ping_fast 1 "$ip0" || fail "ping r1 -> r0"
[ "$(group_ip 0 "$if0")" = "$ip0" ] || fail "r0's group address"

# --once: the daemon gives up by itself, non-zero.
t=$(now)
start_directd 2 --peer-mac 42:00:00:00:09:00 --discover-window 3 --once || fail "r2 did not start"
pid=$(daemon_pid 2)
wait "$pid"; rc=$?
figure auto_once_exit_seconds "$(since "$t")"
[ "$rc" != 0 ] || fail "--once: directd exited 0"
wait_event 2 "^P2P-AUTO-FAILED reason=peer-not-found peer=42:00:00:00:09:00$" 1 >/dev/null || fail "--once: no failure event: $(events 2 | tail -3)"
grep -q "automatic mode: no link with 42:00:00:00:09:00 (peer-not-found)" "$ART/directd-2.log" || fail "--once: no error line"
log "--once exit status $rc"
