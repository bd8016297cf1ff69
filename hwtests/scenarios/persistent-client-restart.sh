# A persistent group that directd stored as its client comes back from directd's side with
# `P2P_GROUP_ADD persistent=<id>`, as wpa_supplicant's own command does for a client-mode
# persistent network (no invitation: the client joins the group where its GO runs it):
#   1. wpa_supplicant (r1) runs `p2p_group_add persistent`; directd (r0) joins it by PBC
#      with `P2P_CONNECT <wpas> pbc join persistent` and stores it (network 0, its GO
#      wpa_supplicant's device address).
#   2. both remove the group; wpa_supplicant restarts it (`p2p_group_add persistent=<id>`:
#      same SSID and passphrase).
#   3. directd `P2P_GROUP_ADD persistent=0`: OK, P2P-GROUP-STARTED ... client ssid=<same>
#      ... [PERSISTENT], wpa_supplicant's AP-STA-CONNECTED, ping both ways, and no EAP
#      packet (WPS) on the air since the request: the stored key alone.
# Figure: seconds from the request to directd's P2P-GROUP-STARTED (directd's only:
# wpa_supplicant's own client-mode `p2p_group_add persistent=<id>` cannot run on hwsim,
# its scan of every channel with the P2P rate mask is refused with EINVAL).
# radios: 2
# timeout: 240

RUST_LOG=${RUST_LOG:-info}

STATE=/run/state-r0
mkdir -m 700 -p "$STATE"
start_directd 0 --state-dir "$STATE" || fail "directd did not start"
start_wpas 1 "persistent_reconnect=1" "ip_addr_go=192.168.49.1" "ip_addr_mask=255.255.255.0" \
  "ip_addr_start=192.168.49.2" "ip_addr_end=192.168.49.254" || fail "wpa_supplicant did not start"
da=$(dev_addr 0); wa=$(dev_addr 1)

# 1. wpa_supplicant's persistent group; directd joins it and stores it.
[ "$(cli 1 p2p_group_add persistent freq=2437)" = OK ] || fail "p2p_group_add persistent on wpa_supplicant"
gst=$(wait_event 1 "^P2P-GROUP-STARTED .* GO ssid=\"DIRECT-[^\"]*\" freq=2437 .*\[PERSISTENT\]" 30) \
  || fail "no persistent group on wpa_supplicant: $(events 1 | grep GROUP)"
gif=$(echo "$gst" | awk '{print $2}')
ssid=$(echo "$gst" | sed 's/.* ssid="\([^"]*\)".*/\1/')
# (wpa_supplicant stores its group just after it reports it started.)
n=0
# (It stores it in the configuration of the interface the command came on, wlan1.)
until wid=$(cli 1 list_networks | awk -F'\t' -v s="$ssid" '$2 == s && /P2P-PERSISTENT/ {print $1; exit}'); [ -n "$wid" ]; do
  [ $n -ge 30 ] && fail "wpa_supplicant did not store its group: $(cli 1 list_networks)"
  sleep 0.1; n=$((n + 1))
done
find_go 0 "$wa" 40 || fail "directd did not find the GO"
[ "$(cli_if 1 "$gif" wps_pbc)" = OK ] || fail "wps_pbc on wpa_supplicant's group"
[ "$(cli 0 p2p_connect "$wa" pbc join persistent)" = OK ] || fail "P2P_CONNECT join persistent"
cst=$(wait_event 0 "^P2P-GROUP-STARTED .* client ssid=\"$ssid\" .*\[PERSISTENT\]" 60) \
  || fail "directd did not join (or store) the group: $(events 0 | grep -E 'GROUP|WPS')"
wait_event 1 "^AP-STA-CONNECTED .* p2p_dev_addr=$da" 15 >/dev/null || fail "the GO did not report directd"
[ "$(cli 0 list_networks | tail -n 1)" = "$(printf '0\t%s\t%s\t[DISABLED][P2P-PERSISTENT]' "$ssid" "$wa")" ] \
  || fail "LIST_NETWORKS on directd: $(cli 0 list_networks)"
log "stored: $(cli 0 list_networks | tail -n 1)"

# 2. Both end the group; wpa_supplicant runs it again from its store.
remove_groups 0 "$cst"
remove_groups 1 "$gst"
m1=$(event_mark 1)
[ "$(cli 1 p2p_group_add persistent="$wid" freq=2437)" = OK ] || fail "p2p_group_add persistent=$wid on wpa_supplicant"
gst2=$(wait_event_since 1 "$m1" "^P2P-GROUP-STARTED .* GO ssid=\"$ssid\" freq=2437 .*\[PERSISTENT\]" 30) \
  || fail "wpa_supplicant did not restart its group: $(events 1 | grep GROUP)"

# 3. directd's P2P_GROUP_ADD persistent=0: it joins with the stored key.
m0=$(event_mark 0); m1=$(event_mark 1)
t=$(now)
[ "$(cli 0 p2p_group_add persistent=0)" = OK ] || fail "P2P_GROUP_ADD persistent=0 (a client's stored group)"
cst2=$(wait_event_since 0 "$m0" "^P2P-GROUP-STARTED .* client ssid=\"$ssid\" freq=2437 .*go_dev_addr=$wa \[PERSISTENT\]" 60) \
  || fail "directd did not rejoin the stored group: $(events 0 | tail -n 5)"
figure client_rejoin_seconds "$(since_event "$t")"
wait_event_since 1 "$m1" "^AP-STA-CONNECTED .* p2p_dev_addr=$da" 15 >/dev/null || fail "the GO did not report directd again"
ip=$(group_pair_ping 0 "$cst2" 1 "$gst2") || exit 1
log "directd back in the group at $ip"
sleep 1
wsc=$(eap_packets_since "$t")
[ "$wsc" = 0 ] || fail "$wsc EAP packets on the air after P2P_GROUP_ADD persistent=0: WPS ran again"
log "the stored client rejoined its GO's restarted group with the stored key (no WPS)"
