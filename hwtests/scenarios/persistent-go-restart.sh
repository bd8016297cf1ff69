# A persistent group owned by directd survives the group's end and the daemon's restarts
# (issue 13; the intent of hostap's test_persistent_group and test_persistent_go_client_list):
#   1. directd (r0) runs `P2P_GROUP_ADD persistent`: P2P-GROUP-STARTED ... [PERSISTENT];
#      wpa_supplicant (r1) joins by PBC and stores the group too (it reads the persistent
#      bit of the GO's group capability); directd lists it (LIST_NETWORKS) with the
#      client in its p2p_client_list; the state file is mode 0600.
#      The state file holds one older group already, in the format written before ids
#      were (no `#directd:id=` line): it is listed as 0, the new group gets 1.
#   2. the group is removed, and the older one (`REMOVE_NETWORK 0`): the new group keeps
#      id 1 (ids are stable, as wpa_supplicant's); directd is stopped with TERM and
#      started again, then killed with -9 and started again: the group is still listed
#      as 1 each time.
#   3. `P2P_GROUP_ADD persistent=1`: the same SSID and passphrase; directd re-invokes its
#      stored client (`P2P_INVITE persistent=1`), which accepts on its own
#      (persistent_reconnect=1) and reconnects with its stored key: no WPS exchange on
#      the air since (the pcap has EAP-WSC frames only from the first join), ping works.
#      (wpa_supplicant's own `p2p_group_add persistent=<client id>` cannot be used on
#      hwsim: its scan of every channel with the P2P rate mask is refused, EINVAL.)
#   4. a corrupt state file: directd starts, the error names the file and the line,
#      nothing is stored (P2P_GROUP_ADD persistent runs a temporary group), the file is
#      left as it was.
# radios: 2
# timeout: 240

RUST_LOG=${RUST_LOG:-info}

# wpas_p2p R CMD...: wpa_cli to wpa_supplicant's P2P device interface, whose configuration
# holds the persistent groups it stores (the ids its p2p_group_add/p2p_invite take).
wpas_p2p() { local _r=$1; shift; cli_if "$_r" "p2p-dev-wlan$_r" "$@"; }
STATE=/run/state-r0

mkdir -m 700 -p "$STATE"
printf 'network={\n\tssid="DIRECT-old"\n\tbssid=02:11:22:33:44:55\n\tpsk="older-pass"\n\tmode=3\n\tdisabled=2\n}\n' > "$STATE/persistent.conf"
chmod 600 "$STATE/persistent.conf"
start_directd 0 --state-dir "$STATE" || fail "directd did not start"
start_wpas 1 "persistent_reconnect=1" || fail "wpa_supplicant did not start"
da=$(dev_addr 0); wa=$(dev_addr 1)
[ "$(cli 0 list_networks | tail -n 1)" = "$(printf '0\tDIRECT-old\t02:11:22:33:44:55\t[DISABLED][P2P-PERSISTENT]')" ] \
  || fail "the older file's group is not listed as 0: $(cli 0 list_networks)"

# 1. The persistent group and its first client (WPS).
[ "$(cli 0 p2p_group_add persistent freq=2437)" = OK ] || fail "P2P_GROUP_ADD persistent"
st=$(wait_event 0 "^P2P-GROUP-STARTED .* GO ssid=\"DIRECT-..\" freq=2437 passphrase=\"[^\"]{8}\" go_dev_addr=$da \[PERSISTENT\]$" 20) \
  || fail "no persistent P2P-GROUP-STARTED: $(events 0 | grep GROUP)"
gif=$(echo "$st" | awk '{print $2}')
ssid=$(echo "$st" | sed 's/.* ssid="\([^"]*\)".*/\1/')
pass=$(echo "$st" | sed 's/.* passphrase="\([^"]*\)".*/\1/')
log "directd GO: $st"
find_go 1 "$da" 40 || fail "wpa_supplicant did not find the GO"
[ "$(cli_if 0 "$gif" wps_pbc)" = OK ] || fail "WPS_PBC"
[ "$(cli 1 p2p_connect "$da" pbc join)" = OK ] || fail "p2p_connect join"
cst=$(wait_event 1 "^P2P-GROUP-STARTED .* client ssid=\"$ssid\" .*\[PERSISTENT\]" 60) \
  || fail "wpa_supplicant did not join (or store) the group: $(events 1 | grep -E 'GROUP|WPS')"
wait_event 0 "^AP-STA-CONNECTED .* p2p_dev_addr=$wa" 15 >/dev/null || fail "the GO did not report the client"
wid=$(wpas_p2p 1 list_networks | awk -F'\t' -v s="$ssid" '$2 == s && /P2P-PERSISTENT/ {print $1; exit}')
[ -n "$wid" ] || fail "wpa_supplicant did not store the group: $(wpas_p2p 1 list_networks)"
[ "$(cli 0 list_networks | tail -n 1)" = "$(printf '1\t%s\t%s\t[DISABLED][P2P-PERSISTENT]' "$ssid" "$da")" ] \
  || fail "LIST_NETWORKS: $(cli 0 list_networks)"
n=0; until [ "$(cli 0 get_network 1 p2p_client_list)" = "$wa" ]; do
  [ $n -ge 30 ] && fail "p2p_client_list: $(cli 0 get_network 1 p2p_client_list)"
  sleep 0.1; n=$((n + 1))
done
[ "$(stat -c %a "$STATE/persistent.conf")" = 600 ] || fail "state file mode $(stat -c %a "$STATE/persistent.conf")"
grep -q "^	p2p_client_list=$wa$" "$STATE/persistent.conf" || fail "the state file lacks the client: $(grep -v psk "$STATE/persistent.conf")"
wsc_first=$(eap_packets_since 0)
[ "$wsc_first" -gt 0 ] || fail "the first join's WPS exchange is not seen in the capture"
log "first join: $wsc_first EAP packets (WPS)"

# 2. The group ends; directd restarts (TERM, then kill -9).
remove_groups 0 "$st"
wait_event 1 "^P2P-GROUP-REMOVED " 15 >/dev/null || fail "the client did not see the group end"
[ "$(cli 0 remove_network 7)" = FAIL ] || fail "REMOVE_NETWORK of an unknown id"
[ "$(cli 0 remove_network 0)" = OK ] || fail "REMOVE_NETWORK 0 (the older group)"
[ "$(cli 0 list_networks | tail -n 1)" = "$(printf '1\t%s\t%s\t[DISABLED][P2P-PERSISTENT]' "$ssid" "$da")" ] \
  || fail "REMOVE_NETWORK 0 renumbered the group: $(cli 0 list_networks)"
grep -q "^	#directd:id=1$" "$STATE/persistent.conf" || fail "the state file lacks the id: $(grep -v psk "$STATE/persistent.conf")"
for sig in TERM KILL; do
  stop_daemon 0 "$sig" || fail "directd did not stop on $sig"
  start_directd 0 --state-dir "$STATE" || fail "directd did not start again after $sig"
  [ "$(cli 0 list_networks | tail -n 1)" = "$(printf '1\t%s\t%s\t[DISABLED][P2P-PERSISTENT]' "$ssid" "$da")" ] \
    || fail "after $sig the group is not listed: $(cli 0 list_networks)"
  log "after $sig: still stored"
done
[ "$(cli 0 list_networks | wc -l)" = 2 ] || fail "after the restarts: $(cli 0 list_networks)"
[ "$(cli 0 get_network 1 p2p_client_list)" = "$wa" ] || fail "the client list after the restarts"

# 3. The GO again from the store (id 1); it re-invokes its stored client (`P2P_INVITE
# persistent=1`, peer= omitted: the newest of its p2p_client_list), which accepts on its
# own and comes back into the running group with its stored key alone.
m0=$(event_mark 0); m1=$(event_mark 1)
t=$(now)
[ "$(cli 0 p2p_group_add persistent=1 freq=2437)" = OK ] || fail "P2P_GROUP_ADD persistent=1"
st2=$(wait_event_since 0 "$m0" "^P2P-GROUP-STARTED .* GO ssid=\"$ssid\" freq=2437 passphrase=\"$pass\" go_dev_addr=$da \[PERSISTENT\]$" 20) \
  || fail "the restarted group differs: $(events 0 | grep GROUP-STARTED)"
figure go_restart_seconds "$(since "$t")"
[ "$(cli 1 p2p_listen)" = OK ] || fail "p2p_listen on wpa_supplicant"
find_go 0 "$wa" 30 || fail "directd did not find wpa_supplicant after its restart"
[ "$(cli 1 p2p_listen)" = OK ] || fail "p2p_listen on wpa_supplicant (again)"
t=$(now)
[ "$(cli 0 p2p_invite persistent=1)" = OK ] || fail "P2P_INVITE persistent=1"
wait_event_since 1 "$m1" "^P2P-INVITATION-ACCEPTED sa=$da persistent=$wid" 30 >/dev/null \
  || fail "wpa_supplicant did not accept the re-invocation: $(events 1 | grep INVITATION)"
cst2=$(wait_event_since 1 "$m1" "^P2P-GROUP-STARTED .* client ssid=\"$ssid\" freq=2437 .*\[PERSISTENT\]" 40) \
  || fail "the old client did not come back: $(events 1 | tail -n 5)"
figure client_back_seconds "$(since "$t")"
wait_event_since 0 "$m0" "^AP-STA-CONNECTED .* p2p_dev_addr=$wa" 15 >/dev/null || fail "the GO did not report the client again"
ip=$(group_pair_ping 0 "$st2" 1 "$cst2") || exit 1
log "client back at $ip"
sleep 1
wsc=$(eap_packets_since "$t")
[ "$wsc" = 0 ] || fail "$wsc EAP packets on the air after the restart: WPS ran again"
log "no WPS after the restart"

# 4. A corrupt state file: directd still starts, names the file and the line, stores
# nothing (a persistent group runs as a temporary one) and leaves the file as it is.
remove_groups 0 "$st2"
stop_daemon 0 || fail "directd did not stop"
sed -i 's/^\tmode=3$/\tmode=9/' "$STATE/persistent.conf"
cp "$STATE/persistent.conf" "$ART/corrupt.conf"
start_directd 0 --state-dir "$STATE" || fail "directd did not start with a corrupt state file"
grep -q "the state file $STATE/persistent.conf is corrupt: line [0-9]*: mode must be 3 (GO) or 0 (client)" "$ART/directd-0.log" \
  || fail "no clear error for the corrupt file: $(grep -i 'state file' "$ART/directd-0.log")"
[ "$(cli 0 list_networks)" = "network id / ssid / bssid / flags" ] || fail "a corrupt store listed: $(cli 0 list_networks)"
[ "$(cli 0 remove_network all)" = FAIL ] || fail "REMOVE_NETWORK all on a corrupt store"
m0=$(event_mark 0)
[ "$(cli 0 p2p_group_add persistent freq=2437)" = OK ] || fail "P2P_GROUP_ADD persistent with a corrupt store"
st3=$(wait_event_since 0 "$m0" "^P2P-GROUP-STARTED .* GO " 20) || fail "no group with a corrupt store"
case "$st3" in *PERSISTENT*) fail "stored although the file is corrupt: $st3" ;; esac
cmp -s "$STATE/persistent.conf" "$ART/corrupt.conf" || fail "the corrupt state file was overwritten"
log "corrupt state file reported and left alone"
