# directd owns a P2P-Device wdev: it appears in `iw dev`, PING/STATUS answer through the
# real wpa_cli (one-shot and interactive), TERMINATE and SIGTERM leave no wdev and no
# socket, and a restart after `kill -9` cleans up and works.
# radios: 1
# timeout: 240

p2p_devices() { on 0 iw dev | grep -c "type P2P-device"; }
sock=/run/directd-r0/p2p-dev-wlan0

t=$(now)
start_directd 0 || fail "directd did not start"
figure startup_seconds "$(since "$t")"
[ "$(p2p_devices)" = 1 ] || { on 0 iw dev; fail "no P2P-device wdev in iw dev of r0"; }
log "iw dev in r0:"; on 0 iw dev

[ "$(cli 0 ping)" = PONG ] || fail "PING through wpa_cli"
addr=$(dev_addr 0)
echo "$addr" | grep -Eq '^([0-9a-f]{2}:){5}[0-9a-f]{2}$' || fail "STATUS has no p2p_device_address (got '$addr')"
on 0 iw dev | grep -q "addr $addr" || fail "p2p_device_address $addr is not the wdev's address"
[ "$addr" != "02:00:00:00:00:00" ] || fail "P2P device address equals the station address"
log "P2P device address: $addr"
cli 0 raw INTERFACES | grep -qx "p2p-dev-wlan0" || fail "INTERFACES does not list p2p-dev-wlan0"
[ "$(cli 0 raw P2P_NO_SUCH_THING)" = "UNKNOWN COMMAND" ] || fail "unknown command not answered UNKNOWN COMMAND"

# Interactive wpa_cli keeps an attached second connection and PINGs on its own.
out=$(printf 'ping\nstatus\nquit\n' | wpa_cli -p /run/directd-r0 -i p2p-dev-wlan0 2>&1)
echo "$out" | grep -q PONG || { echo "$out"; fail "interactive wpa_cli got no PONG"; }
echo "$out" | grep -q "p2p_device_address=$addr" || { echo "$out"; fail "interactive STATUS"; }
figure peak_rss_kb_directd "$(peak_rss_kb 0)"

[ "$(cli 0 terminate)" = OK ] || fail "TERMINATE not answered OK"
stop_daemon 0 0 || fail "directd still running 10 s after TERMINATE"
[ "$(p2p_devices)" = 0 ] || { on 0 iw dev; fail "P2P-device left after TERMINATE"; }
[ ! -e "$sock" ] || fail "control socket left after TERMINATE"

start_directd 0 || fail "second start failed"
stop_daemon 0 KILL || fail "kill -9 did not stop directd"
# directd creates its wdev with NL80211_ATTR_SOCKET_OWNER: the kernel removes it when the
# killed process's netlink socket closes; the control socket file is left for the next
# start to replace.
log "after kill -9: $(p2p_devices) P2P-device(s), socket $( [ -e "$sock" ] && echo left || echo gone)"
[ "$(p2p_devices)" = 0 ] || fail "the killed run's P2P-device is still there"
[ -S "$sock" ] || fail "expected the killed run's socket file to be left behind"
start_directd 0 || fail "start after kill -9 failed"
[ "$(p2p_devices)" = 1 ] || fail "expected exactly one P2P-device after restart, found $(p2p_devices)"
[ "$(cli 0 ping)" = PONG ] || fail "PING after restart"
grep -q "stale" "$ART/directd-0.log" || fail "the restart did not report replacing the stale socket"

stop_daemon 0 TERM || fail "directd ignored SIGTERM"
[ "$(p2p_devices)" = 0 ] || fail "P2P-device left after SIGTERM"
[ ! -e "$sock" ] || fail "control socket left after SIGTERM"
log "device lifecycle ok"
