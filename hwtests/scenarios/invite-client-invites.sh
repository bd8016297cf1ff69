# A client of a group invites a peer into it (the intent of hostap's test_p2p_cli_invite,
# by push button): the Invitation Request names the GO (P2P Group ID: the GO's device
# address and SSID; Group BSSID; the GO's channel), not the inviting client; nothing is
# sent to the GO, whose user arms WPS for the invitee. One wpa_supplicant GO (r0), two
# legs into its group, figures side by side (seconds from P2P_INVITE to the result and
# to the invitee's P2P-GROUP-STARTED; the finds are social-channel ones, as the hostap
# test's):
#   1. directd (r1) joins the GO by PBC and invites wpa_supplicant (r2): r2 reports
#      P2P-INVITATION-RECEIVED sa=<directd> go_dev_addr=<GO> bssid=<GO iface>
#      unknown-network, directd P2P-INVITATION-RESULT status=1; the GO's user runs
#      wps_pbc, r2 joins with `p2p_connect <GO> pbc join`; ping both ways.
#   2. the reverse: wpa_supplicant (r2, now a client) invites directd (r3): directd
#      reports the same event text, joins the GO with `P2P_CONNECT <GO> pbc join` (it
#      scans the GO's channel: no find saw the group); ping both ways.
# bench: yes
# radios: 4
# timeout: 240

RUST_LOG=${RUST_LOG:-info}

# cli_invites INVITER INVITER_IF INVITEE LEG: INVITER (a client of r0's group on
# INVITER_IF) invites INVITEE, which listens; the GO's user arms push button and the
# invitee joins. Prints the invitee's P2P-GROUP-STARTED.
cli_invites() {
  local i=$1 iif=$2 c=$3 leg=$4 ia ca t st
  ia=$(dev_addr "$i"); ca=$(dev_addr "$c")
  [ "$(cli "$c" p2p_listen)" = OK ] || fail "$leg: p2p_listen on r$c"
  find_go "$i" "$ca" 40 type=social >&2 || fail "$leg: r$i did not find r$c"
  [ "$(cli "$c" p2p_listen)" = OK ] || fail "$leg: p2p_listen on r$c (again)"
  t=$(now)
  [ "$(cli "$i" p2p_invite "group=$iif" "peer=$ca")" = OK ] || fail "$leg: P2P_INVITE on r$i"
  wait_event "$c" "^P2P-INVITATION-RECEIVED sa=$ia go_dev_addr=$ga bssid=$gaddr unknown-network$" 40 >/dev/null \
    || fail "$leg: r$c P2P-INVITATION-RECEIVED: $(events "$c" | grep INVITATION)"
  figure "cli_invite_received_seconds_$leg" "$(since_event "$t")" >&2
  wait_event "$i" "^P2P-INVITATION-RESULT status=1( |$)" 20 >/dev/null \
    || fail "$leg: r$i P2P-INVITATION-RESULT: $(events "$i" | grep INVITATION)"
  figure "cli_invite_result_seconds_$leg" "$(since_event "$t")" >&2
  cli "$c" p2p_stop_find >/dev/null
  [ "$(cli_if 0 "$gif" wps_pbc)" = OK ] || fail "$leg: wps_pbc on the GO"
  [ "$(cli "$c" p2p_connect "$ga" pbc join)" = OK ] || fail "$leg: p2p_connect join on r$c"
  st=$(wait_event "$c" "^P2P-GROUP-STARTED .* client " 60) || fail "$leg: r$c no P2P-GROUP-STARTED client"
  figure "cli_invite_to_started_seconds_$leg" "$(since_event "$t")" >&2
  echo "$st" | grep -Eq "^P2P-GROUP-STARTED [^ ]+ client ssid=\"DIRECT-..\" freq=2437 (psk=[0-9a-f]{64}|passphrase=\"[^\"]{8,63}\") go_dev_addr=$ga( |$)" \
    || fail "$leg: client P2P-GROUP-STARTED text: $st"
  wait_event 0 "^AP-STA-CONNECTED .* p2p_dev_addr=$ca" 15 >/dev/null || fail "$leg: the GO did not report r$c"
  echo "$st"
}

gif=$(start_go 0 wpas 2437) || fail "wpa_supplicant GO did not start"
ga=$(dev_addr 0); gaddr=$(on 0 cat "/sys/class/net/$gif/address")
start_directd 1 || fail "directd 1 did not start"
start_wpas 2 || fail "wpa_supplicant 2 did not start"
start_directd 3 || fail "directd 3 did not start"

# directd joins the GO by push button.
find_go 1 "$ga" 40 type=social || fail "directd did not find the GO"
[ "$(cli_if 0 "$gif" wps_pbc)" = OK ] || fail "wps_pbc on the GO"
[ "$(cli 1 p2p_connect "$ga" pbc join)" = OK ] || fail "p2p_connect join on directd"
st1=$(wait_event 1 "^P2P-GROUP-STARTED .* client " 60) || fail "directd did not join the GO"
cif1=$(echo "$st1" | awk '{print $2}')
log "r1: $st1"

# Leg 1: directd, a client, invites wpa_supplicant.
st2=$(cli_invites 1 "$cif1" 2 directd_client) || exit 1
log "r2: $st2"
ip2=$(client_take_ip 2 "$st2") || fail "leg 1: no address for r2"
ping_reach 2 192.168.49.1 || fail "leg 1: ping r2 -> GO"
ping_reach 0 "$ip2" || fail "leg 1: ping GO -> r2"
ip1=$(echo "$st1" | sed -n 's/.* ip_addr=\([0-9.]*\).*/\1/p')
[ -n "$ip1" ] && ping_reach 2 "$ip1" || fail "leg 1: ping r2 -> directd ($ip1) through the GO"

# Leg 2: wpa_supplicant, a client, invites directd.
cif2=$(echo "$st2" | awk '{print $2}')
st3=$(cli_invites 2 "$cif2" 3 wpas_client) || exit 1
log "r3: $st3"
cif3=$(echo "$st3" | awk '{print $2}')
ip3=$(echo "$st3" | sed -n 's/.* ip_addr=\([0-9.]*\).*/\1/p')
[ -n "$ip3" ] && [ "$(group_ip 3 "$cif3")" = "$ip3" ] || fail "leg 2: directd has no address $ip3 on $cif3"
ping_reach 3 192.168.49.1 || fail "leg 2: ping directd -> GO"
ping_reach 0 "$ip3" || fail "leg 2: ping GO -> directd"
log "client invitation legs ok"
