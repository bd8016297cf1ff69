# The automatic mode keeps the link up (issue #14): two directd configured with each other
# connect; then r1's daemon is stopped (SIGTERM: it leaves the group) and started again:
# r0 reports P2P-AUTO-LINK-LOST and a new P2P-AUTO-SEARCH, and the link comes back by
# itself with the same addresses; then the same with SIGKILL (no goodbye: the kernel
# removes r1's interfaces with the process). Figures: seconds from each restart to ping.
# radios: 2
# timeout: 300

ip0=10.7.0.1; ip1=10.7.0.2
start_directd_auto 0 1 "$ip0/24" || fail "r0 did not start"
start_directd_auto 1 0 "$ip1/24" || fail "r1 did not start"
auto_linked 0 0 120 >/dev/null || fail "r0: no first link"
auto_linked 1 0 60 >/dev/null || fail "r1: no first link"
ping_fast 0 "$ip1" || fail "first ping"

for sig in TERM KILL; do
  m0=$(event_mark 0)
  stop_daemon 1 "$sig" || fail "r1 did not stop on SIG$sig"
  lost=$(wait_event_since 0 "$m0" "^P2P-AUTO-LINK-LOST " 40) || fail "r0 did not notice the link loss (SIG$sig)"
  log "r0: $lost"
  # After SIGKILL the dead daemon's group socket files stay in its control directory
  # (directd cleans its interfaces at the next start, not stale group sockets): the event
  # recorder cannot attach to them, so they go before the restart.
  [ "$sig" = KILL ] && rm -f /run/directd-r1/p2p-wlan1-*
  m1=$(event_mark 1)
  t=$(now)
  start_directd_auto 1 0 "$ip1/24" || fail "r1 did not restart"
  if0=$(auto_linked 0 "$m0" 90) || fail "r0: no link after r1's restart (SIG$sig)"
  if1=$(auto_linked 1 "$m1" 30) || fail "r1: no link after its restart (SIG$sig)"
  ping_fast 0 "$ip1" || fail "ping r0 -> r1 after SIG$sig"
  figure "auto_reconnect_seconds_sig$sig" "$(since "$t")"
  ping_fast 1 "$ip0" || fail "ping r1 -> r0 after SIG$sig"
  [ "$(group_ip 0 "$if0")" = "$ip0" ] && [ "$(group_ip 1 "$if1")" = "$ip1" ] || fail "addresses after SIG$sig"
  wait_event_since 0 "$m0" "^P2P-AUTO-SEARCH peer=$(hw_p2p_addr 1) window=120 attempt=" 1 >/dev/null || fail "r0: no new attempt"
done
