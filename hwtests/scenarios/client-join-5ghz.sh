# directd joins (PBC) a group that wpa_supplicant runs as autonomous GO on 5180 MHz
# (channel 36; the guest's regulatory domain is US): discovery finds it on 5 GHz, first
# with `P2P_FIND freq=5180` (that channel first and in every round: issue 11's
# discovery-5ghz), then, after P2P_FLUSH, with a plain P2P_FIND (a full first scan, then
# one more channel per round); the join runs there, ping crosses the air both ways and
# 1 MB arrives intact.
# radios: 2
# timeout: 240

start_wpas 0 "ip_addr_go=192.168.49.1" "ip_addr_mask=255.255.255.0" \
  "ip_addr_start=192.168.49.100" "ip_addr_end=192.168.49.120"
start_directd 1 || fail "directd did not start"
go=$(dev_addr 0)

[ "$(cli 0 p2p_group_add freq=5180)" = OK ] || fail "p2p_group_add freq=5180"
gostarted=$(wait_event 0 "^P2P-GROUP-STARTED .* GO " 30) || fail "no GO group"
echo "$gostarted" | grep -q " freq=5180 " || fail "the GO is not on 5180: $gostarted"
goif=$(echo "$gostarted" | awk '{print $2}')
on 0 ip addr add 192.168.49.1/24 dev "$goif" || fail "GO address"
log "wpa_supplicant GO on $goif at 5180 MHz"

t=$(now)
find_go 1 "$go" 30 freq=5180 || fail "directd P2P_FIND freq=5180 did not find the GO on 5180"
figure discovery_seconds_directd_freq "$(since "$t")"
[ "$(cli 1 p2p_flush)" = OK ] || fail "P2P_FLUSH"
[ -z "$(cli 1 p2p_peer "$go" | grep -v '^FAIL')" ] || fail "P2P_FLUSH left the GO in the peer table"
m=$(event_mark 1)
t=$(now)
[ "$(cli 1 p2p_find)" = OK ] || fail "P2P_FIND"
wait_event_since 1 "$m" "^P2P-DEVICE-FOUND .* p2p_dev_addr=$go " 60 >/dev/null || fail "directd did not find the GO on 5 GHz"
figure discovery_seconds_directd "$(since "$t")"
[ "$(cli_if 0 "$goif" wps_pbc)" = OK ] || fail "wps_pbc on the GO"
t=$(now)
[ "$(cli 1 p2p_connect "$go" pbc join)" = OK ] || fail "P2P_CONNECT join"
started=$(wait_event 1 "^P2P-GROUP-STARTED " 60) || fail "directd: no P2P-GROUP-STARTED"
figure join_seconds_directd "$(since "$t")"
log "directd: $started"
echo "$started" | grep -Eq "^P2P-GROUP-STARTED p2p-wlan1-0 client ssid=\"DIRECT-..\" freq=5180 psk=[0-9a-f]{64} go_dev_addr=$go ip_addr=192.168.49.1[0-9]{2} ip_mask=255.255.255.0 go_ip_addr=192.168.49.1$" \
  || fail "P2P-GROUP-STARTED text: $started"
clif=$(echo "$started" | awk '{print $2}')
on 1 iw dev "$clif" link | grep -q "freq: 5180" || { on 1 iw dev "$clif" link; fail "$clif is not associated on 5180"; }
ip=$(group_ip 1 "$clif")
[ -n "$ip" ] || fail "no address on $clif"
on 1 busybox ping -c 3 -W 5 192.168.49.1 || fail "ping client -> GO"
on 0 busybox ping -c 3 -W 5 "$ip" || fail "ping GO -> client"
s=$(transfer_check 1 0 192.168.49.1 1048576) || fail "1 MB client -> GO not intact"
figure transfer_1mb_seconds "$s"
[ "$(cli 1 p2p_group_remove "$clif")" = OK ] || fail "P2P_GROUP_REMOVE"
wait_event 1 "^P2P-GROUP-REMOVED $clif client reason=REQUESTED" 10 >/dev/null || fail "no P2P-GROUP-REMOVED"
log "5 GHz join ok"
