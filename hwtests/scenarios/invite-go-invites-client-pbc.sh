# Invitation into a running group, joined by push button (the intent of hostap's
# test_p2p_go_invite, with PBC): a GO invites a peer that listens, the peer answers
# status 1 and tells its user (P2P-INVITATION-RECEIVED sa=<go> go_dev_addr=<go>
# bssid=<go iface> unknown-network), the inviter gets P2P-INVITATION-RESULT status=1, the
# invitee's user runs `p2p_connect <go> pbc join` and the group has a client; ping both
# ways. Three legs in this guest run, figures side by side (seconds from P2P_INVITE to
# the result and to the client's P2P-GROUP-STARTED):
#   1. directd GO (r0) invites wpa_supplicant (r1); directd armed push button itself.
#   2. wpa_supplicant GO (r2) invites directd (r3); the GO's user runs wps_pbc.
#   3. the reference: wpa_supplicant GO (r4) invites wpa_supplicant (r5), as in leg 2.
# bench: yes
# radios: 6
# timeout: 420

RUST_LOG=${RUST_LOG:-info}

# invite GO_R CL_R GOIF LEG: the GO on GO_R invites CL_R (listening) into GOIF; checks
# both events, the client joins by PBC; figures for LEG. Prints the client's started event.
invite() {
  local g=$1 c=$2 gif=$3 leg=$4 ga ca gaddr t st
  ga=$(dev_addr "$g"); ca=$(dev_addr "$c"); gaddr=$(on "$g" cat "/sys/class/net/$gif/address")
  [ "$(cli "$c" p2p_listen)" = OK ] || fail "$leg: p2p_listen on r$c"
  find_go "$g" "$ca" 40 >&2 || fail "$leg: r$g did not find r$c"
  [ "$(cli "$c" p2p_listen)" = OK ] || fail "$leg: p2p_listen on r$c (again)"
  t=$(now)
  [ "$(cli "$g" p2p_invite "group=$gif" "peer=$ca")" = OK ] || fail "$leg: P2P_INVITE on r$g"
  wait_event "$c" "^P2P-INVITATION-RECEIVED sa=$ga go_dev_addr=$ga bssid=$gaddr unknown-network$" 40 >/dev/null \
    || fail "$leg: r$c P2P-INVITATION-RECEIVED: $(events "$c" | grep INVITATION)"
  figure "invite_received_seconds_$leg" "$(since_event "$t")" >&2
  wait_event "$g" "^P2P-INVITATION-RESULT status=1( |$)" 20 >/dev/null \
    || fail "$leg: r$g P2P-INVITATION-RESULT: $(events "$g" | grep INVITATION)"
  figure "invite_result_seconds_$leg" "$(since_event "$t")" >&2
  cli "$c" p2p_stop_find >/dev/null
  [ "$(go_impl_of "$g")" = wpas ] && { [ "$(cli_if "$g" "$gif" wps_pbc)" = OK ] || fail "$leg: wps_pbc on the GO"; }
  [ "$(cli "$c" p2p_connect "$ga" pbc join)" = OK ] || fail "$leg: p2p_connect join on r$c"
  st=$(wait_event "$c" "^P2P-GROUP-STARTED .* client " 60) || fail "$leg: r$c no P2P-GROUP-STARTED client"
  figure "invite_to_started_seconds_$leg" "$(since_event "$t")" >&2
  echo "$st" | grep -Eq "^P2P-GROUP-STARTED [^ ]+ client ssid=\"DIRECT-..\" freq=2437 (psk=[0-9a-f]{64}|passphrase=\"[^\"]{8,63}\") go_dev_addr=$ga( |$)" \
    || fail "$leg: client P2P-GROUP-STARTED text: $st"
  wait_event "$g" "^AP-STA-CONNECTED .* p2p_dev_addr=$ca" 15 >/dev/null || fail "$leg: the GO did not report the client"
  echo "$st"
}
go_impl_of() { cat "$HW/kind-$1"; }

# Leg 1: directd GO invites wpa_supplicant.
gif0=$(start_go 0 directd 2437) || fail "directd GO did not start"
start_wpas 1 || fail "wpa_supplicant 1 did not start"
st=$(invite 0 1 "$gif0" directd_go) || exit 1
log "r1: $st"
ip=$(go_client_traffic 0 1 "$st" directd) || exit 1
log "leg 1: client address $ip"

# Leg 2: wpa_supplicant GO invites directd.
gif2=$(start_go 2 wpas 2437) || fail "wpa_supplicant GO did not start"
start_directd 3 || fail "directd 3 did not start"
st=$(invite 2 3 "$gif2" directd_client) || exit 1
log "r3: $st"
cif=$(echo "$st" | awk '{print $2}')
ip=$(echo "$st" | sed -n 's/.* ip_addr=\([0-9.]*\).*/\1/p')
[ -n "$ip" ] && [ "$(group_ip 3 "$cif")" = "$ip" ] || fail "leg 2: directd has no address $ip on $cif"
on 3 busybox ping -c 3 -W 5 192.168.49.1 >&2 || fail "leg 2: ping client -> GO"
on 2 busybox ping -c 3 -W 5 "$ip" >&2 || fail "leg 2: ping GO -> client"
figure peak_rss_kb_directd_client "$(peak_rss_kb 3)"

# Leg 3: the reference, a wpa_supplicant pair.
gif4=$(start_go 4 wpas 2437) || fail "reference GO did not start"
start_wpas 5 || fail "wpa_supplicant 5 did not start"
st=$(invite 4 5 "$gif4" wpas_pair) || exit 1
log "r5: $st"
ip=$(client_take_ip 5 "$st") || fail "leg 3: no address for the client"
ping_reach 5 192.168.49.1 || fail "leg 3: ping client -> GO"
ping_reach 4 "$ip" || fail "leg 3: ping GO -> client"
log "invitation legs ok"
