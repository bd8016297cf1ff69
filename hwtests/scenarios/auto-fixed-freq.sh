# The automatic mode on a fixed channel (issue #14, `p2p-freq`): two directd with
# --freq 2462, then (both restarted) --freq 5180 (the guest's country is US): the group
# runs there (P2P-GO-NEG-SUCCESS and P2P-GROUP-STARTED say so, iw agrees on the client),
# ping. Then a frequency the radio does not allow (--freq 5500, DFS: no initiating
# radiation) is refused before anything is sent: non-zero exit, a clear message.
# radios: 2
# timeout: 300

ip0=10.7.0.1; ip1=10.7.0.2
for f in 2462 5180; do
  m0=$(event_mark 0); m1=$(event_mark 1)
  start_directd_auto 0 1 "$ip0/24" --freq "$f" || fail "r0 did not start ($f)"
  start_directd_auto 1 0 "$ip1/24" --freq "$f" || fail "r1 did not start ($f)"
  auto_linked 0 "$m0" 90 >/dev/null || fail "r0: no link on $f"
  auto_linked 1 "$m1" 30 >/dev/null || fail "r1: no link on $f"
  for r in 0 1; do
    m=$m0; [ $r = 1 ] && m=$m1
    wait_event_since "$r" "$m" "^P2P-GROUP-STARTED .* freq=$f " 1 >/dev/null || fail "r$r: the group is not on $f: $(events $r | grep GROUP-STARTED | tail -1)"
  done
  ping_fast 0 "$ip1" || fail "ping on $f"
  log "$f: $(wait_event_since 0 "$m0" "^P2P-GROUP-STARTED " 0)"
  stop_daemon 0 || fail "r0 did not stop"
  stop_daemon 1 || fail "r1 did not stop"
done

out=$(on 0 "$DIRECTD" run --ifname wlan0 --ctrl-dir /run/directd-x --peer-mac "$(hw_p2p_addr 1)" --freq 5500 2>&1); rc=$?
log "--freq 5500: exit $rc: $out"
[ $rc != 0 ] || fail "--freq 5500 accepted"
echo "$out" | grep -q "freq 5500" || fail "no clear message for --freq 5500: $out"
if on 0 iw dev | grep -q "type P2P-device"; then fail "a P2P device was created before the check"; fi
