# The README's main job on simulated radios: directd on two radios joins a group that a
# real wpa_supplicant runs as GO on a third radio, one client after the other by push
# button; the two directd clients then reach each other through the GO. Narrated.
# radios: 3
# timeout: 300

say() { echo; echo "== $*"; }
say "Three simulated radios (mac80211_hwsim), each in its own network namespace:"
for r in 0 1 2; do echo "   r$r: $(on $r iw dev | awk '/Interface/{i=$2} /addr/{a=$2} END{print i, a}')"; done

say "r2: wpa_supplicant runs an autonomous group (GO), handing out addresses in the handshake"
start_wpas 2 "ip_addr_go=192.168.49.1" "ip_addr_mask=255.255.255.0" \
  "ip_addr_start=192.168.49.100" "ip_addr_end=192.168.49.120"
[ "$(cli 2 p2p_group_add freq=2437)" = OK ] || fail "p2p_group_add on r2"
goif=$(wait_event 2 "^P2P-GROUP-STARTED .* GO " 30 | awk '{print $2}')
[ -n "$goif" ] || fail "no group on r2"
on 2 ip addr add 192.168.49.1/24 dev "$goif"
go=$(dev_addr 2)
echo "   GO $go on $goif"

say "r0 and r1: directd (no wpa_supplicant there), driven with the real wpa_cli"
start_directd 0 || fail "directd on r0 did not start"
start_directd 1 || fail "directd on r1 did not start"
for r in 0 1; do echo "   r$r: P2P device $(dev_addr $r), socket /run/directd-r$r/p2p-dev-wlan$r"; done
echo "   the kernel's view in r0 (a P2P-Device wdev has no netdev):"
on 0 iw dev | sed 's/^/      /'

for c in 0 1; do
  say "r$c: p2p_find, then p2p_connect $go pbc join"
  # (the helpers use $r themselves: the loop counts with $c)
  cli $c p2p_find >/dev/null
  found=$(wait_event $c "^P2P-DEVICE-FOUND .* p2p_dev_addr=$go " 40) || fail "r$c did not find the GO"
  echo "   $found"
  cli_if 2 "$goif" wps_pbc >/dev/null
  t=$(now)
  [ "$(cli $c p2p_connect "$go" pbc join)" = OK ] || fail "p2p_connect on r$c"
  started=$(wait_event $c "^P2P-GROUP-STARTED " 60) || fail "r$c did not join"
  echo "   $started"
  echo "   joined in $(since "$t") s"
  figure "join_seconds_r$c" "$(since "$t")"
  sleep 1
done

ip0=$(group_ip 0 p2p-wlan0-0); ip1=$(group_ip 1 p2p-wlan1-0)
say "Two directd clients talk through the wpa_supplicant GO: r0 $ip0 -> r1 $ip1"
out=$(on 0 busybox ping -c 3 -W 5 "$ip1") || { echo "$out"; fail "r0 cannot reach r1 through the GO"; }
echo "$out" | sed 's/^/   /'

say "Stopping: TERMINATE on r0, SIGTERM on r1; nothing is left behind"
cli 0 terminate >/dev/null; stop_daemon 0 || fail "r0 did not stop"
stop_daemon 1 TERM || fail "r1 did not stop"
for r in 0 1; do
  n=$(on $r iw dev | grep -c "type P2P-device"); g=$(on $r iw dev | grep -c "p2p-wlan")
  echo "   r$r: $n P2P-device(s), $g group interface(s) left"
  [ "$n" = 0 ] && [ "$g" = 0 ] || fail "left behind on r$r"
done
say "demo done"
