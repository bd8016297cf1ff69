# Persistent group formed by GO negotiation, then re-invoked from either side with no
# WPS (issue 13; the intent of hostap's test_persistent_group and test_persistent_group2):
#   1. wpa_supplicant (r1, persistent_reconnect=1) authorises directd (r0) with
#      `p2p_connect <directd> pbc persistent go_intent=0 auth`, directd runs
#      `P2P_CONNECT <wpas> pbc persistent go_intent=15`: both report
#      P2P-GROUP-STARTED ... [PERSISTENT] and store the group; both remove it.
#   2. directd re-invokes it: `P2P_INVITE persistent=0 peer=<wpas>`; wpa_supplicant accepts
#      on its own, the group comes back (directd GO, same SSID), ping works.
#   3. both remove it again; wpa_supplicant re-invokes toward directd
#      (`p2p_invite persistent=<its id> peer=<directd>`): directd accepts (it has the
#      group: P2P-INVITATION-ACCEPTED sa=<wpas> persistent=0 freq=<f>), runs it as GO
#      again, same SSID, ping works.
#   3b. directd `SET persistent_reconnect 0`: wpa_supplicant's re-invocation is answered 1
#      (P2P-INVITATION-RESULT status=1 there), directd reports P2P-INVITATION-RECEIVED
#      sa=<wpas> persistent=0 freq=<f> and starts nothing; its user's `P2P_INVITE
#      persistent=0 peer=<wpas> freq=<f>` is accepted by wpa_supplicant (its p2p_auth_invite).
#   Each re-invocation: no EAP packet (WPS) on the air (air.pcap) after the invitation.
#   3c. wpa_supplicant forgets the group (remove_network); directd re-invokes it:
#      P2P-INVITATION-RESULT status=8, and directd drops wpa_supplicant from the group's
#      p2p_client_list (GET_NETWORK 0 p2p_client_list is FAIL, the state file has none),
#      the group stays (hostap's test_persistent_group_peer_dropped2).
#   4. the reference: a wpa_supplicant pair (r2 GO, r3) forms a persistent group the same
#      way and r2 re-invokes it. Figures: seconds from the invitation to each side's
#      P2P-GROUP-STARTED.
# bench: yes
# radios: 4
# timeout: 300

RUST_LOG=${RUST_LOG:-info}

# wpas_p2p R CMD...: wpa_cli to wpa_supplicant's P2P device interface, whose configuration
# holds the persistent groups it stores (the ids its p2p_group_add/p2p_invite take).
wpas_p2p() { local _r=$1; shift; cli_if "$_r" "p2p-dev-wlan$_r" "$@"; }

# seen R ADDR: R searches (at least 2 s, at most 30 s) until ADDR is in its peer table
# (directd reports a peer it knows already with no new P2P-DEVICE-FOUND).
seen() {
  local _sr=$1 _sa=$2 _sn=0
  cli "$_sr" p2p_find >/dev/null
  sleep 2
  until [ "$(cli "$_sr" p2p_peer "$_sa" | head -n 1)" = "$_sa" ]; do
    [ $_sn -ge 140 ] && { cli "$_sr" p2p_stop_find >/dev/null; return 1; }
    sleep 0.2; _sn=$((_sn + 1))
  done
  cli "$_sr" p2p_stop_find >/dev/null
}

# reinvoked LEG T GO_R GO_M CL_R CL_M SSID: both sides report the persistent group again
# since their marks, as GO and client, with SSID; figures; ping; no WPS since T. Prints
# the GO's P2P-GROUP-STARTED.
reinvoked() {
  local leg=$1 t=$2 g=$3 gm=$4 c=$5 cm=$6 ssid=$7 gst cst n
  gst=$(wait_event_since "$g" "$gm" "^P2P-GROUP-STARTED .* GO ssid=\"$ssid\" .*\[PERSISTENT\]" 40) \
    || fail "$leg: r$g no persistent GO: $(events "$g" | tail -n 8)"
  figure "reinvoke_go_started_seconds_$leg" "$(since_event "$t")" >&2
  cst=$(wait_event_since "$c" "$cm" "^P2P-GROUP-STARTED .* client ssid=\"$ssid\" .*\[PERSISTENT\]" 40) \
    || fail "$leg: r$c no persistent client: $(events "$c" | tail -n 8)"
  figure "reinvoke_client_started_seconds_$leg" "$(since_event "$t")" >&2
  group_pair_ping "$g" "$gst" "$c" "$cst" >&2 || exit 1
  n=$(eap_packets_since "$t")
  [ "$n" = 0 ] || fail "$leg: $n EAP packets on the air since the invitation: WPS ran"
  echo "$gst"
}

start_directd 0 --state-dir /run/state-r0 || fail "directd did not start"
start_wpas 1 "persistent_reconnect=1" || fail "wpa_supplicant did not start"
d=$(dev_addr 0); w=$(dev_addr 1)
meet 0 1 || fail "directd and wpa_supplicant did not find each other"

# 1. Formed by negotiation, persistent on both sides.
[ "$(cli 1 p2p_connect "$d" pbc persistent go_intent=0 auth)" = OK ] || fail "p2p_connect auth on wpa_supplicant"
[ "$(cli 0 p2p_connect "$w" pbc persistent go_intent=15)" = OK ] || fail "P2P_CONNECT persistent on directd"
go=$(wait_event 0 "^P2P-GROUP-STARTED .* GO .*go_dev_addr=$d \[PERSISTENT\]$" 40) || fail "directd: no persistent GO: $(events 0 | grep GROUP)"
cl=$(wait_event 1 "^P2P-GROUP-STARTED .* client .*\[PERSISTENT\]" 40) || fail "wpa_supplicant: no persistent client: $(events 1 | grep GROUP)"
ssid=$(echo "$go" | sed 's/.* ssid="\([^"]*\)".*/\1/')
wid=$(wpas_p2p 1 list_networks | awk -F'\t' -v s="$ssid" '$2 == s && /P2P-PERSISTENT/ {print $1; exit}')
[ -n "$wid" ] || fail "wpa_supplicant did not store the group: $(wpas_p2p 1 list_networks)"
[ "$(cli 0 list_networks | tail -n 1)" = "$(printf '0\t%s\t%s\t[DISABLED][P2P-PERSISTENT]' "$ssid" "$d")" ] \
  || fail "directd LIST_NETWORKS: $(cli 0 list_networks)"
group_pair_ping 0 "$go" 1 "$cl" >/dev/null || exit 1
[ "$(eap_packets_since 0)" -gt 0 ] || fail "the formation's WPS exchange is not seen in the capture"
remove_groups 0 "$go"
wait_event 1 "^P2P-GROUP-REMOVED " 15 >/dev/null || fail "wpa_supplicant did not see the group end"

# 2. directd re-invokes.
[ "$(cli 1 p2p_listen)" = OK ] || fail "p2p_listen on wpa_supplicant"
seen 0 "$w" || fail "directd did not find wpa_supplicant again"
# P2P_PEER names the stored group (hostap's invite() builds P2P_INVITE persistent= from it).
cli 0 p2p_peer "$w" | grep -qx "persistent=0" || fail "P2P_PEER $w has no persistent=0: $(cli 0 p2p_peer "$w" | head -n 12)"
[ "$(cli 1 p2p_listen)" = OK ] || fail "p2p_listen on wpa_supplicant (again)"
m0=$(event_mark 0); m1=$(event_mark 1); t=$(now)
[ "$(cli 0 p2p_invite persistent=0 "peer=$w")" = OK ] || fail "P2P_INVITE persistent=0"
wait_event_since 0 "$m0" "^P2P-INVITATION-RESULT status=0" 30 >/dev/null || fail "directd: $(events 0 | grep INVITATION)"
gst=$(reinvoked directd_invites "$t" 0 "$m0" 1 "$m1" "$ssid") || exit 1
remove_groups 0 "$gst"
wait_event_since 1 "$m1" "^P2P-GROUP-REMOVED " 15 >/dev/null || fail "wpa_supplicant did not see the group end (2)"

# 3. wpa_supplicant re-invokes toward directd.
[ "$(cli 0 p2p_listen)" = OK ] || fail "P2P_LISTEN on directd"
seen 1 "$d" || fail "wpa_supplicant did not find directd again"
m0=$(event_mark 0); m1=$(event_mark 1); t=$(now)
[ "$(wpas_p2p 1 p2p_invite "persistent=$wid" "peer=$d")" = OK ] || fail "wpa_supplicant p2p_invite persistent=$wid"
wait_event_since 0 "$m0" "^P2P-INVITATION-ACCEPTED sa=$w persistent=0 freq=[0-9]+$" 30 >/dev/null \
  || fail "directd: no P2P-INVITATION-ACCEPTED: $(events 0 | grep INVITATION)"
gst=$(reinvoked wpas_invites_directd "$t" 0 "$m0" 1 "$m1" "$ssid") || exit 1
remove_groups 0 "$gst"
wait_event_since 1 "$m1" "^P2P-GROUP-REMOVED " 15 >/dev/null || fail "wpa_supplicant did not see the group end (3)"

# 3b. directd with persistent_reconnect=0 (hostap's
#     test_persistent_group_without_persistent_reconnect, directd the one asked):
#     wpa_supplicant's re-invocation is answered 1 and reported, nothing starts; directd's
#     user re-invokes it on the reported channel, wpa_supplicant accepts (it waits for that).
[ "$(cli 0 set persistent_reconnect 0)" = OK ] || fail "SET persistent_reconnect 0"
# (wpa_supplicant still knows directd's listen channel from leg 3.)
[ "$(cli 0 p2p_listen)" = OK ] || fail "P2P_LISTEN on directd (3b)"
m0=$(event_mark 0); m1=$(event_mark 1)
[ "$(wpas_p2p 1 p2p_invite "persistent=$wid" "peer=$d")" = OK ] || fail "3b: wpa_supplicant p2p_invite persistent=$wid"
rcv=$(wait_event_since 0 "$m0" "^P2P-INVITATION-RECEIVED sa=$w persistent=0 freq=[0-9]+$" 30) \
  || fail "3b: directd did not report the invitation: $(events 0 | grep INVITATION)"
wait_event_since 1 "$m1" "^P2P-INVITATION-RESULT status=1" 10 >/dev/null || fail "3b: wpa_supplicant: $(events 1 | grep INVITATION)"
wait_event_since 0 "$m0" "^P2P-GROUP-STARTED " 1 >/dev/null && fail "3b: directd started the group without its user"
f=${rcv##*freq=}
[ "$(cli 1 p2p_listen)" = OK ] || fail "3b: p2p_listen on wpa_supplicant"
seen 0 "$w" || fail "3b: directd did not find wpa_supplicant again"
[ "$(cli 1 p2p_listen)" = OK ] || fail "3b: p2p_listen on wpa_supplicant (again)"
t=$(now)
[ "$(cli 0 p2p_invite persistent=0 "peer=$w" "freq=$f")" = OK ] || fail "3b: P2P_INVITE persistent=0 freq=$f"
wait_event_since 0 "$m0" "^P2P-INVITATION-RESULT status=0" 30 >/dev/null || fail "3b: directd: $(events 0 | grep INVITATION)"
gst=$(reinvoked no_persistent_reconnect "$t" 0 "$m0" 1 "$m1" "$ssid") || exit 1
echo "$gst" | grep -q " freq=$f " || fail "3b: the group is not on the reported channel $f: $gst"
remove_groups 0 "$gst"
wait_event_since 1 "$m1" "^P2P-GROUP-REMOVED " 15 >/dev/null || fail "wpa_supplicant did not see the group end (3b)"

# 3c. wpa_supplicant forgets the group; directd re-invokes it: status 8, and wpa_supplicant
# leaves the group's p2p_client_list (the group itself stays).
[ "$(cli 0 get_network 0 p2p_client_list)" = "$w" ] || fail "p2p_client_list before: $(cli 0 get_network 0 p2p_client_list)"
[ "$(wpas_p2p 1 remove_network "$wid")" = OK ] || fail "wpa_supplicant remove_network $wid"
[ "$(cli 1 p2p_listen)" = OK ] || fail "p2p_listen on wpa_supplicant (3c)"
seen 0 "$w" || fail "directd did not find wpa_supplicant again (3c)"
[ "$(cli 1 p2p_listen)" = OK ] || fail "p2p_listen on wpa_supplicant (3c, again)"
m0=$(event_mark 0)
[ "$(cli 0 p2p_invite persistent=0 "peer=$w")" = OK ] || fail "P2P_INVITE persistent=0 (3c)"
wait_event_since 0 "$m0" "^P2P-INVITATION-RESULT status=8( |$)" 30 >/dev/null || fail "3c: no status 8: $(events 0 | grep INVITATION)"
[ "$(cli 0 get_network 0 p2p_client_list)" = FAIL ] || fail "3c: still listed: $(cli 0 get_network 0 p2p_client_list)"
[ "$(cli 0 list_networks | tail -n 1)" = "$(printf '0\t%s\t%s\t[DISABLED][P2P-PERSISTENT]' "$ssid" "$d")" ] \
  || fail "3c: the group itself must stay: $(cli 0 list_networks)"
grep -q p2p_client_list /run/state-r0/persistent.conf && fail "3c: the state file still has a client list"
log "3c: status 8, the client dropped from p2p_client_list"

# 4. The reference: a wpa_supplicant pair.
start_wpas 2 "persistent_reconnect=1" "ip_addr_go=192.168.49.1" "ip_addr_mask=255.255.255.0" \
  "ip_addr_start=192.168.49.2" "ip_addr_end=192.168.49.254" || fail "reference GO did not start"
start_wpas 3 "persistent_reconnect=1" || fail "reference client did not start"
a2=$(dev_addr 2); a3=$(dev_addr 3)
meet 2 3 || fail "reference: the pair did not meet"
[ "$(cli 3 p2p_connect "$a2" pbc persistent go_intent=0 auth)" = OK ] || fail "reference auth"
[ "$(cli 2 p2p_connect "$a3" pbc persistent go_intent=15)" = OK ] || fail "reference p2p_connect"
rgo=$(wait_event 2 "^P2P-GROUP-STARTED .* GO .*\[PERSISTENT\]" 40) || fail "reference: no persistent GO"
wait_event 3 "^P2P-GROUP-STARTED .* client .*\[PERSISTENT\]" 40 >/dev/null || fail "reference: no persistent client"
rssid=$(echo "$rgo" | sed 's/.* ssid="\([^"]*\)".*/\1/')
rid=$(wpas_p2p 2 list_networks | awk -F'\t' -v s="$rssid" '$2 == s && /P2P-PERSISTENT/ {print $1; exit}')
remove_groups 2 "$rgo"
wait_event 3 "^P2P-GROUP-REMOVED " 15 >/dev/null || fail "reference: the client did not see the group end"
[ "$(cli 3 p2p_listen)" = OK ] || fail "reference: p2p_listen"
seen 2 "$a3" || fail "reference: r2 did not find r3 again"
[ "$(cli 3 p2p_listen)" = OK ] || fail "reference: p2p_listen (again)"
m2=$(event_mark 2); m3=$(event_mark 3); t=$(now)
[ "$(wpas_p2p 2 p2p_invite "persistent=$rid" "peer=$a3")" = OK ] || fail "reference p2p_invite"
reinvoked wpas_pair "$t" 2 "$m2" 3 "$m3" "$rssid" >/dev/null || exit 1
log "persistent re-invocation legs ok"
