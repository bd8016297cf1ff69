# An invitation authorised in advance (the intent of hostap's test_p2p_go_invite_auth,
# by push button): directd (r1) runs `P2P_CONNECT <GO> pbc join auth`, the wpa_supplicant
# GO (r0) arms push button and invites it: directd answers status 0 at once
# (P2P-INVITATION-ACCEPTED sa=<GO> go_dev_addr=<GO> bssid=<GO iface> unknown-network, no
# P2P-INVITATION-RECEIVED: its user is not asked), the GO gets P2P-INVITATION-RESULT
# status=0, and directd joins by itself (it scans the GO's channel: no find saw the
# group); ping both ways. Figures: seconds from P2P_INVITE to the result and to
# directd's P2P-GROUP-STARTED.
# radios: 2
# timeout: 150

RUST_LOG=${RUST_LOG:-info}

gif=$(start_go 0 wpas 2437) || fail "wpa_supplicant GO did not start"
ga=$(dev_addr 0); gaddr=$(on 0 cat "/sys/class/net/$gif/address")
start_directd 1 || fail "directd did not start"
da=$(dev_addr 1)
[ "$(cli 1 p2p_listen)" = OK ] || fail "P2P_LISTEN on directd"
find_go 0 "$da" 40 type=social || fail "the GO did not find directd"
[ "$(cli 1 p2p_connect "$ga" pbc join auth)" = OK ] || fail "P2P_CONNECT join auth on directd"
[ "$(cli 1 p2p_listen)" = OK ] || fail "P2P_LISTEN on directd (again)"
[ "$(cli_if 0 "$gif" wps_pbc)" = OK ] || fail "wps_pbc on the GO"
t=$(now)
[ "$(cli 0 p2p_invite "group=$gif" "peer=$da")" = OK ] || fail "P2P_INVITE on the GO"
wait_event 1 "^P2P-INVITATION-ACCEPTED sa=$ga go_dev_addr=$ga bssid=$gaddr unknown-network$" 40 >/dev/null \
  || fail "directd: no P2P-INVITATION-ACCEPTED: $(events 1 | grep INVITATION)"
wait_event 0 "^P2P-INVITATION-RESULT status=0( |$)" 20 >/dev/null || fail "the GO: $(events 0 | grep INVITATION)"
figure invite_auth_result_seconds "$(since "$t")"
st=$(wait_event 1 "^P2P-GROUP-STARTED .* client ssid=\"DIRECT-..\" freq=2437 .* go_dev_addr=$ga( |$)" 60) \
  || fail "directd did not join: $(events 1 | tail -n 5)"
figure invite_auth_to_started_seconds "$(since "$t")"
log "r1: $st"
events 1 | grep -q "P2P-INVITATION-RECEIVED" && fail "directd asked its user although the invitation was authorised"
wait_event 0 "^AP-STA-CONNECTED .* p2p_dev_addr=$da" 15 >/dev/null || fail "the GO did not report directd"
cif=$(echo "$st" | awk '{print $2}')
ip=$(echo "$st" | sed -n 's/.* ip_addr=\([0-9.]*\).*/\1/p')
[ -n "$ip" ] && [ "$(group_ip 1 "$cif")" = "$ip" ] || fail "directd has no address $ip on $cif"
ping_reach 1 192.168.49.1 || fail "ping directd -> GO"
ping_reach 0 "$ip" || fail "ping GO -> directd"
log "authorised invitation ok"
