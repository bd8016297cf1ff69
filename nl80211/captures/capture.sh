# Captures nl80211 traffic of iw and wpa_supplicant with nlmon, for the nl80211 crate's
# codec tests (nl80211/tests/data/). Run with: hwtests/run nl80211/captures/capture.sh
# Each step writes $ART/<step>.pcap (netlink of netns r0, or r1 for *-r1) and the tool's
# text output beside it.
# radios: 2
# timeout: 280

for r in 0 1; do
  on $r ip link add nlmon0 type nlmon || fail "nlmon in r$r"
  on $r ip link set nlmon0 up
done

cap_start() { # NETNS NAME
  # Not through `on`: a backgrounded shell function would leave $! pointing at a subshell.
  ip netns exec "r$1" tcpdump -i nlmon0 -U -s 0 -w "$ART/$2.pcap" > "$ART/$2.tcpdump.log" 2>&1 &
  echo $! > "/tmp/cap-$2.pid"
  n=0; while [ $n -lt 50 ] && ! grep -q listening "$ART/$2.tcpdump.log"; do sleep 0.1; n=$((n + 1)); done
}
cap_stop() { # NAME
  sleep 0.3; kill -INT "$(cat "/tmp/cap-$1.pid")"; sleep 0.5
}

cap_start 0 iw-phy;     on 0 iw phy > "$ART/iw-phy.txt" 2>&1;  cap_stop iw-phy
cap_start 0 iw-dev;     on 0 iw dev > "$ART/iw-dev.txt" 2>&1;  cap_stop iw-dev
cap_start 0 p2pdev-add; on 0 iw phy phy0 interface add p2p-dev-x type __p2pdev > "$ART/p2pdev-add.txt" 2>&1; cap_stop p2pdev-add
cap_start 0 iw-dev-p2p; on 0 iw dev > "$ART/iw-dev-p2p.txt" 2>&1; cap_stop iw-dev-p2p
# The P2P-Device: the wdev whose block says "type P2P-device".
wdev=$(awk '/wdev 0x/{w=$2} /type P2P-device/{print w; exit}' "$ART/iw-dev-p2p.txt")
log "p2p wdev: $wdev"
cap_start 0 p2p-start;  on 0 iw wdev "$wdev" p2p start > "$ART/p2p-start.txt" 2>&1; cap_stop p2p-start
cap_start 0 p2p-stop;   on 0 iw wdev "$wdev" p2p stop > "$ART/p2p-stop.txt" 2>&1; cap_stop p2p-stop
cap_start 0 p2pdev-del; on 0 iw wdev "$wdev" del > "$ART/p2pdev-del.txt" 2>&1; cap_stop p2pdev-del
cap_start 0 bad-ifname; on 0 iw phy phy0 interface add averyveryverylongname0123456789 type managed > "$ART/bad-ifname.txt" 2>&1; cap_stop bad-ifname
cap_start 0 scan;       on 0 ip link set wlan0 up; on 0 iw dev wlan0 scan > "$ART/scan.txt" 2>&1; on 0 ip link set wlan0 down; cap_stop scan

# wpa_supplicant on both radios: P2P discovery, PBC group formation (r0 GO), ping.
cap_start 0 wpas-r0; cap_start 1 wpas-r1
start_wpas 0
start_wpas 1
a0=$(dev_addr 0); a1=$(dev_addr 1)
cli 0 p2p_find >/dev/null; cli 1 p2p_find >/dev/null
wait_event 0 "P2P-DEVICE-FOUND $a1" 30 >/dev/null || fail "r0 did not find r1"
wait_event 1 "P2P-DEVICE-FOUND $a0" 30 >/dev/null || fail "r1 did not find r0"
cli 0 p2p_connect "$a1" pbc go_intent=15 >/dev/null
cli 1 p2p_connect "$a0" pbc go_intent=0 >/dev/null
go=$(wait_event 0 "^P2P-GROUP-STARTED .* GO " 40) || fail "no group on r0"
cl=$(wait_event 1 "^P2P-GROUP-STARTED .* client " 40) || fail "no group on r1"
sleep 2
cli_if 0 "$(echo "$go" | awk '{print $2}')" p2p_group_remove "$(echo "$go" | awk '{print $2}')" > /dev/null
sleep 2
cap_stop wpas-r0; cap_stop wpas-r1
ls -l "$ART"/*.pcap
