# The automatic mode with --persistent (issue 13 with issue 14): two directd configured
# with each other negotiate a persistent group (both store it, P2P-GROUP-STARTED ...
# [PERSISTENT]); r1's group is removed: the link comes back by re-invocation
# (P2P_INVITE persistent=, P2P-INVITATION-RESULT status=0 on one side,
# P2P-INVITATION-ACCEPTED ... persistent=0 on the other), with no negotiation and no EAP
# packet (WPS) on the air since, the same SSID and addresses, ping. Figure: seconds from
# the removal to ping.
# Both ends would re-invoke at once (they lose the link together); the higher address (r1)
# leaves it to r0 (REINVOKE_YIELD), so no Invitation Requests cross (they did before: both
# ended with P2P-INVITATION-RESULT status=-1 and the link came back only by a new
# negotiation 43 s later, 1 run in 6).
# radios: 2
# timeout: 240

RUST_LOG=${RUST_LOG:-info}
ip0=10.7.0.1; ip1=10.7.0.2
start_directd_auto 0 1 "$ip0/24" --persistent --state-dir /run/state-r0 || fail "r0 did not start"
start_directd_auto 1 0 "$ip1/24" --persistent --state-dir /run/state-r1 || fail "r1 did not start"
if1=$(auto_linked 1 0 120) || fail "r1: no first link"
auto_linked 0 0 60 >/dev/null || fail "r0: no first link"
ping_fast 0 "$ip1" || fail "first ping"
st=$(wait_event 0 "^P2P-GROUP-STARTED .*\[PERSISTENT\]" 5) || fail "r0: the group is not persistent: $(events 0 | grep GROUP-STARTED)"
ssid=$(echo "$st" | sed 's/.* ssid="\([^"]*\)".*/\1/')
for r in 0 1; do
  cli "$r" list_networks | grep -q "^0	$ssid	" || fail "r$r did not store the group: $(cli "$r" list_networks)"
done

m0=$(event_mark 0); m1=$(event_mark 1)
t=$(now)
[ "$(cli 1 p2p_group_remove "$if1")" = OK ] || fail "P2P_GROUP_REMOVE on r1"
if0=$(auto_linked 0 "$m0" 90) || fail "r0: no link after the removal: $(events 0 | tail -n 6)"
if1=$(auto_linked 1 "$m1" 30) || fail "r1: no link after the removal: $(events 1 | tail -n 6)"
ping_fast 0 "$ip1" || fail "ping r0 -> r1 after the re-invocation"
figure auto_reinvoke_seconds "$(since "$t")"
ping_fast 1 "$ip0" || fail "ping r1 -> r0 after the re-invocation"
[ "$(group_ip 0 "$if0")" = "$ip0" ] && [ "$(group_ip 1 "$if1")" = "$ip1" ] || fail "addresses after the re-invocation"
{ wait_event_since 0 "$m0" "^P2P-INVITATION-RESULT status=0" 1 && wait_event_since 1 "$m1" "^P2P-INVITATION-ACCEPTED sa=$(hw_p2p_addr 0) persistent=0" 1; } >/dev/null \
  || { wait_event_since 1 "$m1" "^P2P-INVITATION-RESULT status=0" 1 && wait_event_since 0 "$m0" "^P2P-INVITATION-ACCEPTED sa=$(hw_p2p_addr 1) persistent=0" 1; } >/dev/null \
  || fail "no re-invocation: $(events 0 | grep INVITATION) / $(events 1 | grep INVITATION)"
for r in 0 1; do
  wait_event_since "$r" "$(eval echo \$m$r)" "^P2P-GO-NEG-" 1 >/dev/null && fail "r$r negotiated again"
  wait_event_since "$r" "$(eval echo \$m$r)" "^P2P-GROUP-STARTED .* ssid=\"$ssid\" .*\[PERSISTENT\]" 1 >/dev/null || fail "r$r: not the same group"
done
n=$(tcpdump -r "$ART/air.pcap" -tt -n 2>/dev/null | awk -v t="$t" '$1 > t' | grep -c 'EAP packet')
[ "$n" = 0 ] || fail "$n EAP packets on the air since the removal: WPS ran"
log "the link came back by re-invocation, no WPS"
