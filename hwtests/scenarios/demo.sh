# The README's main job on simulated radios, narrated: directd runs a P2P group as GO on
# one radio; directd on a second radio and a real wpa_supplicant on a third join it (push
# button, then a PIN the GO shows); the two clients reach each other through directd's
# GO; everything stops cleanly.
# radios: 3
# timeout: 300

say() { echo; echo "== $*"; }
say "Three simulated radios (mac80211_hwsim), each in its own network namespace:"
for r in 0 1 2; do echo "   r$r: $(on $r iw dev | awk '/Interface/{i=$2} /addr/{a=$2} END{print i, a}')"; done

say "r0 and r1: directd (no wpa_supplicant there), driven with the real wpa_cli; r2: wpa_supplicant"
start_directd 0 || fail "directd on r0 did not start"
start_directd 1 || fail "directd on r1 did not start"
start_wpas 2 || fail "wpa_supplicant on r2 did not start"
for r in 0 1; do echo "   r$r: P2P device $(dev_addr $r), socket /run/directd-r$r/p2p-dev-wlan$r"; done
echo "   the kernel's view in r0 (a P2P-Device wdev has no netdev):"
on 0 iw dev | sed 's/^/      /'

say "r0: directd runs an autonomous group: p2p_group_add"
[ "$(cli 0 p2p_group_add)" = OK ] || fail "p2p_group_add on r0"
started=$(wait_event 0 "^P2P-GROUP-STARTED .* GO " 30) || fail "no group on r0"
echo "   $started"
goif=$(echo "$started" | awk '{print $2}')
go=$(dev_addr 0)
echo "   r0's group interface: $(on 0 iw dev "$goif" info | awk '/type|channel/' | tr -s ' \t' ' ' | tr '\n' ';')"
echo "   address: $(group_ip 0 "$goif")/24, DHCP server and handshake allocation for the clients"

say "r1 (directd): p2p_find, then p2p_connect $go pbc join; r0's user pushes the button (wps_pbc)"
cli 1 p2p_find >/dev/null
found=$(wait_event 1 "^P2P-DEVICE-FOUND .* p2p_dev_addr=$go " 40) || fail "r1 did not find the GO"
echo "   $found"
cli 1 p2p_stop_find >/dev/null
[ "$(cli_if 0 "$goif" wps_pbc)" = OK ] || fail "wps_pbc on r0"
t=$(now)
[ "$(cli 1 p2p_connect "$go" pbc join)" = OK ] || fail "p2p_connect on r1"
c1=$(wait_event 1 "^P2P-GROUP-STARTED " 60) || fail "r1 did not join"
echo "   r1: $c1"
echo "   joined in $(since "$t") s"
figure join_seconds_directd "$(since "$t")"
echo "   r0: $(wait_event 0 "^AP-STA-CONNECTED .* p2p_dev_addr=$(dev_addr 1)" 10)"

say "r2 (wpa_supplicant): joins with the PIN r0 shows (r0: wps_pin any <PIN>)"
pin=$(cli_if 0 "$goif" wps_pin get)
[ "$(cli_if 0 "$goif" wps_pin any "$pin")" = "$pin" ] || fail "wps_pin on r0"
echo "   r0 shows PIN $pin"
cli 2 p2p_find >/dev/null
wait_event 2 "^P2P-DEVICE-FOUND .* p2p_dev_addr=$go " 40 >/dev/null || fail "r2 did not find the GO"
cli 2 p2p_stop_find >/dev/null
t=$(now)
[ "$(cli 2 p2p_connect "$go" "$pin" join)" = OK ] || fail "p2p_connect on r2"
c2=$(wait_event 2 "^P2P-GROUP-STARTED " 60) || fail "r2 did not join"
echo "   r2: $c2"
echo "   joined in $(since "$t") s"
figure join_seconds_wpas "$(since "$t")"
echo "   r0: $(wait_event 0 "^AP-STA-CONNECTED .* p2p_dev_addr=$(dev_addr 2)" 10)"
# wpa_supplicant reports the address the GO allocated; setting it is the user's job.
ip2=$(client_take_ip 2 "$c2") || fail "address on r2"

ip1=$(group_ip 1 p2p-wlan1-0)
say "The two clients talk through directd's GO: r1 $ip1 -> r2 $ip2"
out=$(on 1 busybox ping -c 3 -W 5 "$ip2") || { echo "$out"; fail "r1 cannot reach r2 through the GO"; }
echo "$out" | sed 's/^/   /'

say "r0 ends the group: p2p_group_remove $goif"
[ "$(cli 0 p2p_group_remove "$goif")" = OK ] || fail "p2p_group_remove on r0"
echo "   r0: $(wait_event 0 "^P2P-GROUP-REMOVED " 10)"
echo "   r1: $(wait_event 1 "^P2P-GROUP-REMOVED " 20)"
echo "   r2: $(wait_event 2 "^P2P-GROUP-REMOVED " 20)"

say "Stopping: TERMINATE on r0, SIGTERM on r1; nothing is left behind"
figure peak_rss_kb_directd_go "$(peak_rss_kb 0)"
cli 0 terminate >/dev/null; stop_daemon 0 || fail "r0 did not stop"
stop_daemon 1 TERM || fail "r1 did not stop"
for r in 0 1; do
  n=$(on $r iw dev | grep -c "type P2P-device"); g=$(on $r iw dev | grep -c "p2p-wlan")
  echo "   r$r: $n P2P-device(s), $g group interface(s) left"
  [ "$n" = 0 ] && [ "$g" = 0 ] || fail "left behind on r$r"
done
say "demo done"
