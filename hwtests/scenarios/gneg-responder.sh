# wpa_supplicant starts the GO negotiation (the intent of hostap's test_grpform_pd /
# test_grpform_wait_peer / test_grpform_not_ready): directd has not authorised it, answers
# status 1 and emits `P2P-GO-NEG-REQUEST <wpas> dev_passwd_id=4 go_intent=7`; the scenario
# (directd's user) answers with `P2P_CONNECT <wpas> pbc go_intent=0`, directd negotiates
# with the waiting peer and joins its group as client. After both remove the group, the
# `auth` variant: directd authorises in advance (`P2P_CONNECT <wpas> pbc go_intent=15
# auth`, then P2P_LISTEN), wpa_supplicant connects with intent 0: directd answers at once,
# no P2P-GO-NEG-REQUEST, and runs the group as GO. Ping crosses both groups.
# radios: 2
# timeout: 300

# info, not debug: a debug line per probe request and nl80211 event slowed directd's
# answers under TCG past the 100 ms a wpa_supplicant peer waits for them.
RUST_LOG=${RUST_LOG:-info} start_directd 0 || fail "directd did not start"
start_wpas 1 "ip_addr_go=192.168.49.1" "ip_addr_mask=255.255.255.0" \
  "ip_addr_start=192.168.49.2" "ip_addr_end=192.168.49.254" || fail "wpa_supplicant did not start"
d=$(dev_addr 0); w=$(dev_addr 1)
meet 0 1 || fail "directd and wpa_supplicant did not find each other"

[ "$(cli 1 p2p_connect "$d" pbc go_intent=7)" = OK ] || fail "p2p_connect on wpa_supplicant"
req=$(wait_event 0 "^P2P-GO-NEG-REQUEST $w " 30) || fail "directd: no P2P-GO-NEG-REQUEST"
[ "$req" = "P2P-GO-NEG-REQUEST $w dev_passwd_id=4 go_intent=7" ] || fail "P2P-GO-NEG-REQUEST text: $req"
t=$(now)
[ "$(cli 0 p2p_connect "$w" pbc go_intent=0)" = OK ] || fail "P2P_CONNECT on directd"
go=$(wait_event 1 "^P2P-GROUP-STARTED .* GO " 40) || fail "wpa_supplicant: no P2P-GROUP-STARTED GO"
cl=$(wait_event 0 "^P2P-GROUP-STARTED .* client " 60) || fail "directd: no P2P-GROUP-STARTED client"
figure formation_seconds_after_request "$(since "$t")"
goif=$(echo "$go" | awk '{print $2}'); clif=$(echo "$cl" | awk '{print $2}')
on 1 ip addr add 192.168.49.1/24 dev "$goif" || fail "address on $goif"
on 0 busybox ping -c 3 -W 5 192.168.49.1 >&2 || fail "ping directd -> GO"
[ "$(cli 0 p2p_group_remove "$clif")" = OK ] || fail "P2P_GROUP_REMOVE on directd"
wait_event 0 "^P2P-GROUP-REMOVED $clif client" 10 >/dev/null || fail "directd: no P2P-GROUP-REMOVED"
cli 1 p2p_group_remove "$goif" >/dev/null
wait_event 1 "^P2P-GROUP-REMOVED $goif GO" 10 >/dev/null || fail "wpa_supplicant: no P2P-GROUP-REMOVED"

# Authorised in advance.
m0=$(event_mark 0); m1=$(event_mark 1)
[ "$(cli 0 p2p_connect "$w" pbc go_intent=15 auth)" = OK ] || fail "P2P_CONNECT auth on directd"
[ "$(cli 0 p2p_listen)" = OK ] || fail "P2P_LISTEN on directd"
t=$(now)
[ "$(cli 1 p2p_connect "$d" pbc go_intent=0)" = OK ] || fail "p2p_connect on wpa_supplicant (auth leg)"
go=$(wait_event_since 0 "$m0" "^P2P-GROUP-STARTED .* GO " 40) || fail "directd: no P2P-GROUP-STARTED GO (auth leg)"
figure formation_seconds_go_directd_auth "$(since "$t")"
cl=$(wait_event_since 1 "$m1" "^P2P-GROUP-STARTED .* client " 40) || fail "wpa_supplicant: no P2P-GROUP-STARTED client (auth leg)"
figure formation_seconds_client_wpas_auth "$(since "$t")"
# (The first leg may have asked twice: wpa_supplicant repeats a Request whose status-1
# Response it missed.)
[ "$(events 0 | tail -n +"$((m0 + 1))" | grep -c "P2P-GO-NEG-REQUEST")" = 0 ] || fail "directd asked its user in the auth leg"
ip=$(go_client_traffic 0 1 "$cl" directd) || exit 1
log "client address $ip"
