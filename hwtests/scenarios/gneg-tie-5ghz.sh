# GO negotiation, two more decisions against wpa_supplicant (the intent of hostap's
# test_grpform (equal intents) and test_grpform_force_chan_cli / the 5 GHz cases):
# - tie: both intents 7 (wpa_supplicant authorised, directd initiates): the tie-breaker
#   bit decides; exactly one side is GO, both report the same roles in P2P-GO-NEG-SUCCESS
#   and P2P-GROUP-STARTED, ping both ways.
# - 5 GHz: directd initiates with `freq=5180` and intent 15 (wpa_supplicant authorised with
#   intent 0): both report freq=5180, directd's GO interface runs on channel 36, ping.
# radios: 2
# timeout: 300

# info, not debug: a debug line per probe request and nl80211 event slowed directd's
# answers under TCG past the 100 ms a wpa_supplicant peer waits for them.
RUST_LOG=${RUST_LOG:-info} start_directd 0 || fail "directd did not start"
start_wpas 1 "ip_addr_go=192.168.49.1" "ip_addr_mask=255.255.255.0" \
  "ip_addr_start=192.168.49.2" "ip_addr_end=192.168.49.254" || fail "wpa_supplicant did not start"
d=$(dev_addr 0); w=$(dev_addr 1)
meet 0 1 || fail "the two did not find each other"

# Tie.
[ "$(cli 1 p2p_connect "$d" pbc go_intent=7 auth)" = OK ] || fail "auth on wpa_supplicant"
t=$(now)
[ "$(cli 0 p2p_connect "$w" pbc go_intent=7)" = OK ] || fail "P2P_CONNECT on directd"
n0=$(wait_event 0 "^P2P-GO-NEG-SUCCESS " 30) || fail "directd: no P2P-GO-NEG-SUCCESS: $(events 0 | grep GO-NEG)"
n1=$(wait_event 1 "^P2P-GO-NEG-SUCCESS " 30) || fail "wpa_supplicant: no P2P-GO-NEG-SUCCESS: $(events 1 | grep GO-NEG)"
r0=$(echo "$n0" | sed -n 's/.* role=\([^ ]*\) .*/\1/p'); r1=$(echo "$n1" | sed -n 's/.* role=\([^ ]*\) .*/\1/p')
case "$r0/$r1" in GO/client|client/GO) ;; *) fail "roles directd=$r0 wpa_supplicant=$r1" ;; esac
f0=$(echo "$n0" | sed -n 's/.* freq=\([0-9]*\) .*/\1/p'); f1=$(echo "$n1" | sed -n 's/.* freq=\([0-9]*\) .*/\1/p')
[ "$f0" = "$f1" ] || fail "frequencies differ: directd $f0, wpa_supplicant $f1"
g0=$(wait_event 0 "^P2P-GROUP-STARTED .* $r0 " 60) || fail "directd: no P2P-GROUP-STARTED $r0"
g1=$(wait_event 1 "^P2P-GROUP-STARTED .* $r1 " 60) || fail "wpa_supplicant: no P2P-GROUP-STARTED $r1"
figure formation_seconds_tie "$(since "$t")"
log "tie: directd $r0, wpa_supplicant $r1 on $f0 MHz"
group_pair_ping 0 "$g0" 1 "$g1" >/dev/null
remove_groups 0 "$g0"; remove_groups 1 "$g1"

# 5 GHz.
m0=$(event_mark 0); m1=$(event_mark 1)
[ "$(cli 1 p2p_connect "$d" pbc go_intent=0 auth)" = OK ] || fail "auth on wpa_supplicant (5 GHz)"
[ "$(cli 1 p2p_listen)" = OK ] || fail "P2P_LISTEN on wpa_supplicant"
t=$(now)
[ "$(cli 0 p2p_connect "$w" pbc go_intent=15 freq=5180)" = OK ] || fail "P2P_CONNECT freq=5180 on directd"
g0=$(wait_event_since 0 "$m0" "^P2P-GROUP-STARTED .* GO " 60) || fail "directd: no P2P-GROUP-STARTED GO (5 GHz): $(events 0 | tail -n 5)"
g1=$(wait_event_since 1 "$m1" "^P2P-GROUP-STARTED .* client " 60) || fail "wpa_supplicant: no P2P-GROUP-STARTED client (5 GHz)"
figure formation_seconds_5ghz "$(since "$t")"
echo "$g0" | grep -q " freq=5180 " || fail "directd's group is not on 5180: $g0"
echo "$g1" | grep -q " freq=5180 " || fail "wpa_supplicant's group is not on 5180: $g1"
gif=$(echo "$g0" | awk '{print $2}')
on 0 iw dev "$gif" info | grep -q "channel 36 (5180 MHz)" || fail "$gif not on channel 36: $(on 0 iw dev "$gif" info)"
group_pair_ping 0 "$g0" 1 "$g1" >/dev/null
figure peak_rss_kb_directd "$(peak_rss_kb 0)"
remove_groups 0 "$g0"
[ "$(cli 0 ping)" = PONG ] || fail "directd stopped answering"
