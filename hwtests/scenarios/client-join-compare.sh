# Side by side in one guest run: directd (radio 1) and a wpa_supplicant client (radio 2)
# each join the same wpa_supplicant GO (radio 0) by PBC with P2P_CONNECT <GO> pbc join;
# seconds from P2P_CONNECT to P2P-GROUP-STARTED and peak RSS of both clients.
# wpa_supplicant's join works here (also with no P2P_FIND before it). The
# "nl80211: Scan trigger failed: ret=-22" seen in this guest came from its GO-negotiation
# path instead: the group-formation scan on p2p-wlan1-0 listed the 5 GHz frequencies twice,
# and the kernel refuses a scan whose frequency list has a duplicate (validate_scan_freqs
# in net/wireless/nl80211.c returns 0 channels, hence EINVAL).
# bench: yes
# radios: 3
# timeout: 300

start_wpas 0 "ip_addr_go=192.168.49.1" "ip_addr_mask=255.255.255.0" \
  "ip_addr_start=192.168.49.100" "ip_addr_end=192.168.49.120"
start_directd 1 || fail "directd did not start"
start_wpas 2 || fail "wpa_supplicant client did not start"
go=$(dev_addr 0)

[ "$(cli 0 p2p_group_add freq=2437)" = OK ] || fail "p2p_group_add"
goif=$(wait_event 0 "^P2P-GROUP-STARTED .* GO " 30 | awk '{print $2}') || fail "no GO group"
on 0 ip addr add 192.168.49.1/24 dev "$goif" || fail "GO address"
log "wpa_supplicant GO on $goif ($go)"

# directd
[ "$(cli 1 p2p_find)" = OK ] || fail "directd P2P_FIND"
wait_event 1 "^P2P-DEVICE-FOUND .* p2p_dev_addr=$go " 40 >/dev/null || fail "directd did not find the GO"
[ "$(cli_if 0 "$goif" wps_pbc)" = OK ] || fail "wps_pbc on the GO (directd)"
t=$(now); c=$(cpu_seconds 1)
[ "$(cli 1 p2p_connect "$go" pbc join)" = OK ] || fail "directd P2P_CONNECT join"
started=$(wait_event 1 "^P2P-GROUP-STARTED " 60) || fail "directd: no P2P-GROUP-STARTED"
figure join_seconds_directd "$(since_event "$t")"
figure cpu_seconds_join_directd "$(cpu_since 1 "$c")"
log "directd: $started"
wait_event 0 "^AP-STA-CONNECTED .* p2p_dev_addr=$(dev_addr 1)" 10 >/dev/null || fail "the GO did not report directd"

# wpa_supplicant as client, same join. The button first, then the find (as in go-pbc):
# with the find first, the wpa_supplicant client kept the GO's probe response from before
# the button and skipped it as "WPS-AP-AVAILABLE" without an active PBC registrar.
[ "$(cli_if 0 "$goif" wps_pbc)" = OK ] || fail "wps_pbc on the GO (wpa_supplicant)"
[ "$(cli 2 p2p_find)" = OK ] || fail "wpa_supplicant P2P_FIND"
wait_event 2 "^P2P-DEVICE-FOUND .* p2p_dev_addr=$go " 40 >/dev/null || fail "wpa_supplicant did not find the GO"
[ "$(cli 2 p2p_stop_find)" = OK ] || fail "wpa_supplicant P2P_STOP_FIND"
t=$(now); c=$(cpu_seconds 2)
[ "$(cli 2 p2p_connect "$go" pbc join)" = OK ] || fail "wpa_supplicant P2P_CONNECT join"
wstarted=$(wait_event 2 "^P2P-GROUP-STARTED " 60) || fail "wpa_supplicant client: no P2P-GROUP-STARTED ($(events 2 | cut -f2 | grep -E 'FAIL|SCAN' | tail -n 3 | tr '\n' ' '))"
figure join_seconds_wpas "$(since_event "$t")"
figure cpu_seconds_join_wpas "$(cpu_since 2 "$c")"
log "wpa_supplicant: $wstarted"

on 1 busybox ping -c 2 -W 5 192.168.49.1 || fail "ping directd -> GO"
figure peak_rss_kb_directd "$(peak_rss_kb 1)"
figure peak_rss_kb_wpas_client "$(peak_rss_kb 2)"
figure peak_rss_kb_wpas_go "$(peak_rss_kb 0)"
log "side by side done"
