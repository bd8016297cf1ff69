# The automatic mode (issue #14) between two directd configured with each other's P2P
# device address (--peer-mac) and their own address (--local-address): started 3 s apart,
# r0 first, then (after both stopped) r1 first. Each time the group forms with one GO and
# one client (P2P-AUTO-CONNECTED on both), each side has its configured address on its
# group interface, and ping crosses both ways. Figures: seconds from the second start to
# the first answered ping, per order.
# radios: 2
# timeout: 300

leg() {
  local first=$1 second=$2 m0 m1 t if0 if1
  m0=$(event_mark 0); m1=$(event_mark 1)
  start_directd_auto "$first" "$second" "$(ipof "$first")/24" || fail "r$first did not start"
  sleep 3
  t=$(now)
  start_directd_auto "$second" "$first" "$(ipof "$second")/24" || fail "r$second did not start"
  if0=$(auto_linked 0 "$m0" 120) || fail "r0: no P2P-AUTO-CONNECTED (r$first first)"
  if1=$(auto_linked 1 "$m1" 60) || fail "r1: no P2P-AUTO-CONNECTED (r$first first)"
  ping_fast 0 "$ip1" || fail "ping r0 -> r1 (r$first first)"
  figure "auto_pair_seconds_r${first}_first" "$(since "$t")"
  ping_fast 1 "$ip0" || fail "ping r1 -> r0 (r$first first)"
  [ "$(group_ip 0 "$if0")" = "$ip0" ] || fail "r0's $if0 has $(group_ip 0 "$if0"), not $ip0"
  [ "$(group_ip 1 "$if1")" = "$ip1" ] || fail "r1's $if1 has $(group_ip 1 "$if1"), not $ip1"
  log "r$first first: $(wait_event_since 0 "$m0" "^P2P-AUTO-CONNECTED " 0) / $(wait_event_since 1 "$m1" "^P2P-AUTO-CONNECTED " 0)"
  events 0 | tail -n +"$((m0 + 1))" | grep -q "P2P-AUTO-FAILED" && fail "r0 reported a failure"
  stop_daemon 0 || fail "r0 did not stop"
  stop_daemon 1 || fail "r1 did not stop"
}

ip0=10.7.0.1; ip1=10.7.0.2
ipof() { if [ "$1" = 0 ]; then echo "$ip0"; else echo "$ip1"; fi; }
leg 0 1
leg 1 0
