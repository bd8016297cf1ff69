# The radio directd runs on disappears (HWSIM_CMD_DEL_RADIO: what an unplugged USB
# adapter or an unloaded driver looks like to nl80211) while directd runs a group with a
# wpa_supplicant client: directd logs the radio's removal, ends the group with
# `P2P-GROUP-REMOVED <if> GO reason=UNAVAILABLE` (wpa_supplicant's reason for a group
# whose interface disappeared), says `CTRL-EVENT-TERMINATING` and exits non-zero with
# "the radio phy0 (wiphy 0) was removed; directd does not wait for it: start it again once
# the radio is back". Nothing is left behind: no control socket, no interface, no process.
# The client notices its GO gone. Then a new radio is created (HWSIM_CMD_NEW_RADIO) in the
# same place, directd started on it again serves PING and is found by P2P_FIND.
# radios: 2
# timeout: 150

hwsim_radio() { on 0 /usr/bin/python3 "$HW_LIB/hwsim-radio.py" "$@"; }

# Started here, not in $(...): the scenario's shell is then directd's parent and `wait`
# gets its exit status.
start_directd 0 || fail "directd did not start"
pid=$(daemon_pid 0)
[ "$(cli 0 p2p_group_add freq=2437)" = OK ] || fail "P2P_GROUP_ADD"
goif=$(wait_event 0 "^P2P-GROUP-STARTED .* GO " 30 | awk '{print $2}')
[ -n "$goif" ] || fail "no P2P-GROUP-STARTED on directd"
start_wpas 1 || fail "wpa_supplicant client did not start"
go=$(dev_addr 0); cl=$(dev_addr 1)
[ "$(cli_if 0 "$goif" wps_pbc)" = OK ] || fail "WPS_PBC on the GO"
find_go 1 "$go" || fail "the client did not find the GO"
[ "$(cli 1 p2p_connect "$go" pbc join)" = OK ] || fail "P2P_CONNECT $go pbc join"
started=$(wait_event 1 "^P2P-GROUP-STARTED " 60) || fail "client: no P2P-GROUP-STARTED"
wait_event 0 "^AP-STA-CONNECTED .* p2p_dev_addr=$cl" 10 >/dev/null || fail "the GO did not report the client"
clif=$(echo "$started" | awk '{print $2}')
ip=$(client_take_ip 1 "$started") || fail "no address allocated to the client"
on 1 busybox ping -c 2 -W 5 192.168.49.1 >/dev/null || fail "ping client -> GO"
[ -n "$(on 0 iw dev "$goif" station dump)" ] || fail "no station on $goif before the removal"
log "group $goif runs with the client $cl ($ip); deleting phy0"

m0=$(event_mark 0); m1=$(event_mark 1)
t=$(now)
hwsim_radio del phy0 || fail "HWSIM_CMD_DEL_RADIO phy0"
removed=$(wait_event_since 0 "$m0" "^P2P-GROUP-REMOVED $goif " 10) || fail "directd reported no P2P-GROUP-REMOVED"
log "directd: $removed"
[ "$removed" = "P2P-GROUP-REMOVED $goif GO reason=UNAVAILABLE" ] || fail "P2P-GROUP-REMOVED text: $removed"
wait_event_since 0 "$m0" "^CTRL-EVENT-TERMINATING" 10 >/dev/null || fail "directd did not say CTRL-EVENT-TERMINATING"
n=0
while kill -0 "$pid" 2>/dev/null; do
  [ $n -ge 100 ] && fail "directd still runs 10 s after its radio was removed"
  sleep 0.1; n=$((n + 1))
done
wait "$pid"; rc=$?
figure exit_seconds "$(since "$t")"
log "directd exited with status $rc"
[ "$rc" != 0 ] || fail "directd exited 0 after losing its radio"
sed 's/\x1b\[[0-9;]*m//g' "$ART/directd-0.log" | grep -E "ERROR|^directd:" | tail -n 5
grep -q "^directd: the radio phy0 (wiphy 0) was removed; directd does not wait for it" "$ART/directd-0.log" \
  || fail "no clear error naming the removed radio on directd's stderr"
sed 's/\x1b\[[0-9;]*m//g' "$ART/directd-0.log" | grep -q "ERROR.*the radio phy0 (wiphy 0) was removed: ending every group" \
  || fail "no ERROR log line about the removed radio"
grep -q "panicked" "$ART/directd-0.log" && fail "directd panicked"
# Nothing left: no control socket (device or group), no interface, no radio in r0.
left=$(ls -A /run/directd-r0 2>/dev/null)
[ -z "$left" ] || fail "left in /run/directd-r0: $left"
[ -z "$(on 0 iw dev)" ] || { on 0 iw dev; fail "interfaces left in r0"; }
on 0 ip -o link | grep -v ": lo:" && fail "network interfaces left in r0"

# The client: its GO is gone (beacon loss; nobody sent a deauthentication).
gone=$(wait_event_since 1 "$m1" "^P2P-GROUP-REMOVED $clif client " 30) || fail "the client did not notice its GO gone"
figure client_noticed_seconds "$(since "$t")"
log "client: $gone"

# The radio comes back (a new radio: new phy index, its netdev named as the kernel likes):
# directd runs on it again, from a clean start.
# Created in the initial namespace and moved to r0 like the others: hwsim carries frames
# only between radios created in the same namespace.
id=$(/usr/bin/python3 "$HW_LIB/hwsim-radio.py" new) || fail "HWSIM_CMD_NEW_RADIO"
phy=$(iw phy | awk '/^Wiphy /{print $2}' | head -n1)
[ -n "$phy" ] || fail "the new radio (id $id) has no wiphy in the initial namespace"
iw phy "$phy" set netns name r0 || fail "moving $phy into r0"
log "new radio id $id, $phy: $(on 0 iw dev | tr '\n' ' ')"
newif=$(on 0 iw dev | awk '$1 == "Interface" {print $2}' | head -n1)
[ -n "$newif" ] || fail "the new radio has no interface in r0"
[ "$newif" = wlan0 ] || on 0 ip link set "$newif" name wlan0 || fail "renaming $newif to wlan0"
start_directd 0 || fail "directd did not start on the new radio"
[ "$(cli 0 ping)" = PONG ] || fail "PING on the new radio"
grep -q "stale" "$ART/directd-0.log" && log "(the restart replaced a stale socket)"
new=$(dev_addr 0)
[ "$(cli 0 p2p_find)" = OK ] || fail "P2P_FIND on the new radio"
find_go 1 "$new" || fail "wpa_supplicant did not find directd on the new radio"
cli 0 p2p_stop_find >/dev/null
log "directd on the new radio ($new) found by wpa_supplicant"
m0=$(event_mark 0)
stop_daemon 0 TERM || fail "directd ignored SIGTERM"
wait_event_since 0 "$m0" "^CTRL-EVENT-TERMINATING" 2 >/dev/null || fail "no CTRL-EVENT-TERMINATING at a normal stop"
[ -z "$(ls -A /run/directd-r0 2>/dev/null)" ] || fail "sockets left after SIGTERM"
log "radio removal ok"
