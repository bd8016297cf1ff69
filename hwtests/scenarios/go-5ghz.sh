# The autonomous group runs on 5180 MHz (P2P_GROUP_ADD freq=5180; the guest sets country
# US): the GO says so, a real wpa_supplicant client finds it and joins by push button on
# 5180 (its P2P-GROUP-STARTED says freq=5180, iw link agrees); ping both ways.
# Then discovery while the group runs: the GO finds a listening peer and is found while
# it listens (one radio: the group is off the air meanwhile); traffic again after.
# The GO is directd unless the header below says wpas.
# go-impl: directd
# radios: 2
# timeout: 240

impl=$(go_impl)
goif=$(start_go 0 "$impl" 5180) || fail "$impl GO did not start on 5180"
start_wpas 1 || fail "wpa_supplicant client did not start"
go=$(dev_addr 0); cl=$(dev_addr 1)
log "$impl GO: $(go_started 0)"
go_started 0 | grep -q " freq=5180 " || fail "GO group not on 5180: $(go_started 0)"

t=$(now)
# wpa_supplicant's P2P_FIND scans every channel once, then only the social ones (plus
# freq= if given): one full scan can miss a 5 GHz GO (the dwell on 5180 is short and
# under QEMU a probe response takes 5-95 ms, from either GO), so the client searches
# 5180 in every round.
find_go 1 "$go" 60 freq=5180 || fail "the client did not find the GO on 5180"
figure discovery_seconds "$(since "$t")"
[ "$(cli_if 0 "$goif" wps_pbc)" = OK ] || fail "WPS_PBC on the GO"
t=$(now)
[ "$(cli 1 p2p_connect "$go" pbc join)" = OK ] || fail "P2P_CONNECT $go pbc join"
started=$(wait_event 1 "^P2P-GROUP-STARTED " 60) || fail "client: no P2P-GROUP-STARTED"
figure join_seconds "$(since "$t")"
log "client: $started"
echo "$started" | grep -Eq "^P2P-GROUP-STARTED p2p-wlan1-0 client ssid=\"DIRECT-[^\"]+\" freq=5180 .*go_dev_addr=$go( |$)" \
  || fail "client P2P-GROUP-STARTED not on 5180 with $go: $started"
wait_event 0 "^AP-STA-CONNECTED .* p2p_dev_addr=$cl" 10 >/dev/null || fail "the GO did not report AP-STA-CONNECTED for $cl"
clif=$(echo "$started" | awk '{print $2}')
on 1 iw dev "$clif" link | grep -q "freq: 5180" || fail "iw link on $clif: $(on 1 iw dev "$clif" link | tr '\n' ' ')"
ip=$(client_take_ip 1 "$started") || fail "no address allocated to the client"
on 1 busybox ping -c 3 -W 5 192.168.49.1 || fail "ping client -> GO"
on 0 busybox ping -c 3 -W 5 "$ip" || fail "ping GO -> client"
log "5 GHz group ok"

# Discovery while the group runs (issue 11): the GO's P2P device still finds a listening
# peer on the social channels (its group on 5180), and is found while it listens.
if [ "$impl" = directd ]; then
  cli 1 p2p_listen >/dev/null
  m=$(event_mark 0)
  [ "$(cli 0 p2p_find)" = OK ] || fail "P2P_FIND while the group runs"
  wait_event_since 0 "$m" "^P2P-DEVICE-FOUND .*p2p_dev_addr=$cl " 40 >/dev/null || fail "the GO's P2P device found no one while its group ran"
  [ "$(cli 0 p2p_stop_find)" = OK ] || fail "P2P_STOP_FIND"
  cli 1 p2p_stop_find >/dev/null
  [ "$(cli 0 p2p_listen)" = OK ] || fail "P2P_LISTEN while the group runs"
  m1=$(event_mark 1)
  cli 1 p2p_flush >/dev/null; cli 1 p2p_find >/dev/null
  wait_event_since 1 "$m1" "^P2P-DEVICE-FOUND .*p2p_dev_addr=$go " 40 >/dev/null || fail "the GO's listening P2P device was not found"
  # One radio: while the P2P device listens on 2.4 GHz the 5 GHz group is off the air; it
  # carries traffic again once the listen ends.
  [ "$(cli 0 p2p_stop_find)" = OK ] || fail "P2P_STOP_FIND (listen)"
  ping_reach 1 192.168.49.1 15 || fail "the group carries no traffic after discovery"
  log "discovery while the group runs ok"
fi
