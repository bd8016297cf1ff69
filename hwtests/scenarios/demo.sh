# The README's main job on simulated radios: directd on two radios, narrated.
# (Grows with the project until it shows two directd forming a group and exchanging NDN data.)
# radios: 2
# timeout: 300

say() { echo; echo "== $*"; }
say "Two simulated radios (mac80211_hwsim), each in its own network namespace:"
for r in 0 1; do echo "   r$r: $(on $r iw dev | awk '/Interface/{i=$2} /addr/{a=$2} END{print i, a}')"; done

say "Starting directd on both radios (no wpa_supplicant anywhere)"
start_directd 0 || fail "directd on r0 did not start"
start_directd 1 || fail "directd on r1 did not start"
for r in 0 1; do
  echo "   r$r: P2P device address $(dev_addr $r), control socket /run/directd-r$r/p2p-dev-wlan$r"
done

say "The kernel's view in r0 (a P2P-Device wdev has no netdev):"
on 0 iw dev | sed 's/^/   /'

say "Driving directd with the real wpa_cli:"
echo "   \$ wpa_cli -i p2p-dev-wlan0 ping    -> $(cli 0 ping)"
echo "   \$ wpa_cli -i p2p-dev-wlan0 status  ->"; cli 0 status | sed 's/^/       /'

say "Stopping: TERMINATE on r0, SIGTERM on r1; nothing is left behind"
cli 0 terminate >/dev/null; stop_daemon 0 || fail "r0 did not stop"
stop_daemon 1 TERM || fail "r1 did not stop"
for r in 0 1; do
  n=$(on $r iw dev | grep -c "type P2P-device")
  echo "   r$r: $n P2P-device(s) left"; [ "$n" = 0 ] || fail "P2P-device left on r$r"
done
say "demo done"
