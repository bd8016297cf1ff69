# directd joins a group that wpa_supplicant runs as autonomous GO with a PIN directd shows:
# P2P_CONNECT <GO> pin join replies with a generated 8-digit PIN (valid checksum) and the
# GO's user enters it (WPS_PIN any <PIN>); WPS, WPA2-PSK and the address from message 3
# follow; ping both ways and 1 MB intact.
# radios: 2
# timeout: 240

start_wpas 0 "ip_addr_go=192.168.49.1" "ip_addr_mask=255.255.255.0" \
  "ip_addr_start=192.168.49.100" "ip_addr_end=192.168.49.120"
start_directd 1 || fail "directd did not start"
go=$(dev_addr 0)

[ "$(cli 0 p2p_group_add freq=2437)" = OK ] || fail "p2p_group_add"
goif=$(wait_event 0 "^P2P-GROUP-STARTED .* GO " 30 | awk '{print $2}') || fail "no GO group"
on 0 ip addr add 192.168.49.1/24 dev "$goif" || fail "GO address"
log "wpa_supplicant GO on $goif ($go)"

[ "$(cli 1 p2p_find)" = OK ] || fail "P2P_FIND"
wait_event 1 "^P2P-DEVICE-FOUND .* p2p_dev_addr=$go " 40 >/dev/null || fail "directd did not find the GO"

t=$(now)
pin=$(cli 1 p2p_connect "$go" pin join)
# 8 digits, the last the WPS checksum of the first seven.
wps_pin_ok "$pin" || fail "P2P_CONNECT pin join replied '$pin' (8 digits, valid checksum expected)"
log "directd shows PIN $pin; the GO's user enters it"
[ "$(cli_if 0 "$goif" wps_pin any "$pin")" = "$pin" ] || fail "WPS_PIN any $pin on the GO"
started=$(wait_event 1 "^P2P-GROUP-STARTED " 60) || fail "directd: no P2P-GROUP-STARTED"
figure join_seconds_directd "$(since "$t")"
log "directd: $started"
wait_event 1 "^WPS-SUCCESS" 1 >/dev/null || fail "no WPS-SUCCESS before the group started"
echo "$started" | grep -Eq "^P2P-GROUP-STARTED p2p-wlan1-0 client ssid=\"DIRECT-..\" freq=2437 psk=[0-9a-f]{64} go_dev_addr=$go ip_addr=192.168.49.1[0-9]{2} ip_mask=255.255.255.0 go_ip_addr=192.168.49.1$" \
  || fail "P2P-GROUP-STARTED text: $started"
wait_event 0 "^AP-STA-CONNECTED .* p2p_dev_addr=$(dev_addr 1)" 10 >/dev/null || fail "the GO did not report the client"
clif=$(echo "$started" | awk '{print $2}')
ip=$(group_ip 1 "$clif")
[ -n "$ip" ] || fail "no address on $clif"

on 1 busybox ping -c 3 -W 5 192.168.49.1 || fail "ping client -> GO"
on 0 busybox ping -c 3 -W 5 "$ip" || fail "ping GO -> client"
s=$(transfer_check 1 0 192.168.49.1 1048576) || fail "1 MB client -> GO not intact"
figure transfer_1mb_seconds "$s"
figure peak_rss_kb_directd "$(peak_rss_kb 1)"

[ "$(cli 1 p2p_group_remove "$clif")" = OK ] || fail "P2P_GROUP_REMOVE"
wait_event 1 "^P2P-GROUP-REMOVED $clif client reason=REQUESTED" 10 >/dev/null || fail "no P2P-GROUP-REMOVED"
log "client join with directd's PIN ok"
