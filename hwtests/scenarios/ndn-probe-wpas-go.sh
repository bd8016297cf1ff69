# directd --ndn as client of a wpa_supplicant GO, which has no NDN: the client opens its
# face to the GO and probes it every 2 s (--probe-interval 2); no probe is answered, so
# after 5 the GO is dropped (NDN-PEER-REMOVED 192.168.49.1 reason=timeout). No crash, the
# group is intact (no P2P-GROUP-REMOVED, ping still crosses), and one interval later the
# client opens its face to the GO again, as to a new peer. Figure: seconds from the
# client's P2P-GROUP-STARTED to the removal.
# radios: 2
# timeout: 300

goif=$(start_go 0 wpas 2437) || fail "wpa_supplicant GO did not start"
start_directd 1 --ndn --ndn-socket "$(ndn_sock 1)" --probe-interval 2 || fail "directd client did not start"
go=$(dev_addr 0)
find_go 1 "$go" || fail "the client did not find the GO"
[ "$(cli_if 0 "$goif" wps_pbc)" = OK ] || fail "WPS_PBC on the GO"
[ "$(cli 1 p2p_connect "$go" pbc join)" = OK ] || fail "P2P_CONNECT $go pbc join"
started=$(wait_event 1 "^P2P-GROUP-STARTED " 60) || fail "client: no P2P-GROUP-STARTED"
t=$(now)
clif=$(echo "$started" | awk '{print $2}')
log "client: $started"
wait_event 1 "^NDN-PEER-ADDED 192\.168\.49\.1$" 30 >/dev/null || fail "client: no NDN-PEER-ADDED for the GO"
m=$(event_mark 1)
ev=$(wait_event 1 "^NDN-PEER-REMOVED 192\.168\.49\.1 " 60) || fail "client: the silent GO was not dropped"
[ "$ev" = "NDN-PEER-REMOVED 192.168.49.1 reason=timeout" ] || fail "client: $ev"
figure ndn_silent_go_dropped_seconds "$(since "$t")"
# Five probes went out, and each counted as a timeout (the log says so).
n=$(grep -c "probe failed" "$ART/directd-1.log")
[ "$n" -ge 5 ] || fail "only $n failed probes logged before the drop"
wait_event_since 1 "$m" "^NDN-PEER-ADDED 192\.168\.49\.1$" 10 >/dev/null || fail "client did not try the GO again"
wait_event 1 "^P2P-GROUP-REMOVED" 0 >/dev/null && fail "the group went away"
on 1 busybox ping -c 2 -W 5 192.168.49.1 || fail "ping client -> GO after the drop"
[ "$(cli 1 ping)" = PONG ] || fail "directd stopped answering"
on 1 ip link show "$clif" >/dev/null 2>&1 || fail "$clif is gone"
log "silent GO handled"
