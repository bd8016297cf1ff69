# Two real wpa_supplicant clients join one autonomous group by push button, one after the
# other: each gets its own address from the handshake, reaches the GO, and the two reach
# each other through the GO (traffic between clients of one BSS). Then the GO removes the
# group: both clients report GO_ENDING_SESSION, the GO's interface is gone.
# The GO is directd unless the header below says wpas.
# go-impl: directd
# radios: 3
# timeout: 300

impl=$(go_impl)
goif=$(start_go 0 "$impl" 2437) || fail "$impl GO did not start"
start_wpas 1 || fail "client 1 did not start"
start_wpas 2 || fail "client 2 did not start"
go=$(dev_addr 0)
log "$impl GO $go on $goif"

for c in 1 2; do
  # (the helpers use $r themselves: the loop counts with $c)
  find_go $c "$go" || fail "client $c did not find the GO"
  [ "$(cli_if 0 "$goif" wps_pbc)" = OK ] || fail "WPS_PBC on the GO for client $c"
  t=$(now)
  [ "$(cli $c p2p_connect "$go" pbc join)" = OK ] || fail "client $c P2P_CONNECT $go pbc join"
  started=$(wait_event $c "^P2P-GROUP-STARTED " 60) || fail "client $c: no P2P-GROUP-STARTED"
  figure "join_seconds_client$c" "$(since "$t")"
  log "client $c: $started"
  echo "$started" | grep -q " go_dev_addr=$go " || fail "client $c joined another group: $started"
  wait_event 0 "^AP-STA-CONNECTED .* p2p_dev_addr=$(dev_addr $c)" 10 >/dev/null || fail "the GO did not report client $c"
  ip=$(client_take_ip $c "$started") || fail "no address allocated to client $c"
  eval "ip$c=\$ip; if$c=\$(echo \"\$started\" | awk '{print \$2}')"
  on $c busybox ping -c 2 -W 5 192.168.49.1 || fail "ping client $c -> GO"
done
log "addresses: client 1 $ip1, client 2 $ip2"
[ "$ip1" != "$ip2" ] || fail "both clients got $ip1"

# Both still associated after the second join, and each reaches the GO and the other.
wait_event 0 "^AP-STA-DISCONNECTED " 0 && fail "the GO reported a disconnection"
on 0 busybox ping -c 2 -W 5 "$ip1" || fail "ping GO -> client 1"
on 0 busybox ping -c 2 -W 5 "$ip2" || fail "ping GO -> client 2"
on 1 busybox ping -c 3 -W 5 "$ip2" || fail "ping client 1 -> client 2"
on 2 busybox ping -c 3 -W 5 "$ip1" || fail "ping client 2 -> client 1"
s=$(transfer_check 1 2 "$ip2" 262144) || fail "256 KiB client 1 -> client 2 not intact"
figure transfer_256k_client_to_client_seconds "$s"
figure "peak_rss_kb_go_$impl" "$(peak_rss_kb 0)"

# The GO ends the group: both clients are told (deauthentication), the GO reports the
# removal and its group interface is gone.
m1=$(event_mark 1); m2=$(event_mark 2)
[ "$(cli 0 p2p_group_remove "$goif")" = OK ] || fail "P2P_GROUP_REMOVE $goif on the GO"
wait_event 0 "^P2P-GROUP-REMOVED $goif GO reason=REQUESTED$" 10 >/dev/null || fail "GO: no P2P-GROUP-REMOVED $goif GO reason=REQUESTED"
for c in 1 2; do
  ev=$(wait_event_since $c "$(eval echo \$m$c)" "^P2P-GROUP-REMOVED " 20) || fail "client $c did not see the group end"
  log "client $c: $ev"
  echo "$ev" | grep -q " client reason=GO_ENDING_SESSION" || fail "client $c: $ev"
done
sleep 0.5
on 0 ip link show "$goif" >/dev/null 2>&1 && fail "$goif still exists after P2P_GROUP_REMOVE"
[ "$(cli 0 ping)" = PONG ] || fail "the GO daemon is not serving after the group"
log "two clients ok"
