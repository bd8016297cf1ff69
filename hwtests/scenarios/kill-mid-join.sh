# `kill -9` of directd in the middle of things, as GO with a wpa_supplicant client, and a
# restart that cleans up and works:
# 1. mid-join: the client's WPS exchange has begun (its EAP started; the client is frozen
#    there with SIGSTOP) when directd is killed: the kernel deletes directd's socket-owned interfaces (P2P device,
#    group interface, with its station and address); the control sockets stay as files
#    (nobody can delete them after kill -9); the client gives up (P2P_CANCEL); a restart
#    replaces the stale sockets, serves only its own, and a new join works (ping);
# 2. mid-group: that client connected, directd killed again: nothing left in the kernel,
#    the client notices its GO gone; a restart and a new join work again.
# Nothing left means: no p2p-* interface or P2P device in r0, no station, no address of
# the group, no socket but the running daemon's.
# radios: 2
# timeout: 240

p2p_left() { on 0 iw dev | grep -Ec "Interface p2p-|type P2P-device"; }
plain() { sed 's/\x1b\[[0-9;]*m//g' "$ART/directd-0.log"; }

# kernel_clean: after a kill -9, the kernel removed everything directd had created.
kernel_clean() {
  local n=0
  until [ "$(p2p_left)" = 0 ]; do
    [ $n -ge 30 ] && { on 0 iw dev; fail "$1: directd's interfaces are still there after kill -9"; }
    sleep 0.1; n=$((n + 1))
  done
  on 0 ip -4 -o addr | grep -q "192.168.49." && fail "$1: the group's address is still there"
  log "$1: the kernel removed directd's interfaces; files left in /run/directd-r0: $(ls /run/directd-r0 | tr '\n' ' ')"
}

# fresh_start LEG: directd again, only its device socket served, stale group sockets gone.
fresh_start() {
  start_directd 0 || fail "$1: restart after kill -9 failed"
  [ "$(cli 0 ping)" = PONG ] || fail "$1: PING after the restart"
  [ "$(ls /run/directd-r0)" = p2p-dev-wlan0 ] || fail "$1: sockets after the restart: $(ls /run/directd-r0 | tr '\n' ' ')"
  [ "$(p2p_left)" = 1 ] || fail "$1: expected only the new P2P device after the restart"
}

# group_and_join LEG: P2P_GROUP_ADD, the client joins by PBC and pings the GO; sets goif,
# clif, started.
group_and_join() {
  local m0 m1
  m0=$(event_mark 0); m1=$(event_mark 1)
  [ "$(cli 0 p2p_group_add freq=2437)" = OK ] || fail "$1: P2P_GROUP_ADD"
  goif=$(wait_event_since 0 "$m0" "^P2P-GROUP-STARTED .* GO " 30 | awk '{print $2}')
  [ -n "$goif" ] || fail "$1: no P2P-GROUP-STARTED"
  [ "$(cli_if 0 "$goif" wps_pbc)" = OK ] || fail "$1: WPS_PBC"
  find_go 1 "$go" 40 type=social || fail "$1: the client did not find the GO"
  [ "$(cli 1 p2p_connect "$go" pbc join)" = OK ] || fail "$1: P2P_CONNECT pbc join"
}

start_directd 0 || fail "directd did not start"
start_wpas 1 || fail "wpa_supplicant did not start"
go=$(dev_addr 0); cl=$(dev_addr 1)

# 1. Killed during the client's WPS exchange: the client is frozen (SIGSTOP) as soon as
#    it reports the EAP start, so directd is caught with the exchange open (its M1 line
#    may or may not be there yet; a registration that ended before the kill fails here).
/usr/bin/python3 "$HW_LIB/freeze-at.py" "$ART/events-1.log" "CTRL-EVENT-EAP-STARTED" 1 "$(daemon_pid 1)" 90 > "$HW/freeze.out" 2>&1 &
fpid=$!
n=0; until grep -q watching "$HW/freeze.out"; do [ $n -ge 200 ] && fail "freeze-at.py did not start"; sleep 0.1; n=$((n + 1)); done
group_and_join mid-join
wait "$fpid" || fail "mid-join: the client's EAP never started: $(cat "$HW/freeze.out")"
kill -KILL "$(daemon_pid 0)"
t=$(now)
log "mid-join: client frozen at its EAP start, directd killed; its last WPS lines:"
plain | grep -E "WPS enrollee|M2D|WPS-REG-SUCCESS|registrar" | tail -n 3 | cut -c1-200
plain | grep -q "WPS-REG-SUCCESS" && fail "mid-join: the registration had already ended: the kill came late"
kill -CONT "$(daemon_pid 1)"
kernel_clean mid-join
m1=$(event_mark 1)
cli 1 p2p_cancel >/dev/null
for i in $(on 1 iw dev | awk '$1 == "Interface" && $2 ~ /^p2p-wlan1-/ {print $2}'); do cli 1 p2p_group_remove "$i" >/dev/null; done
n=0
while on 1 iw dev | grep -q "Interface p2p-wlan1-"; do
  [ $n -ge 100 ] && fail "mid-join: the client's group interface stays after P2P_CANCEL"
  sleep 0.1; n=$((n + 1))
done
log "mid-join: client after the kill: $(events 1 | tail -n +"$((m1 + 1))" | cut -f2- | grep -E "^(WPS-|P2P-GROUP|CTRL-EVENT-DISC)" | tr '\n' ';')"
fresh_start mid-join
figure restart_seconds_mid_join "$(since "$t")"
plain | grep -q "removing stale control socket" || fail "mid-join: the restart did not report the stale socket"
m1=$(event_mark 1)
group_and_join after-mid-join
started=$(wait_event_since 1 "$m1" "^P2P-GROUP-STARTED " 60) || fail "after-mid-join: client: no P2P-GROUP-STARTED"
clif=$(echo "$started" | awk '{print $2}')
ip=$(client_take_ip 1 "$started") || fail "after-mid-join: no address allocated"
on 1 busybox ping -c 2 -W 5 192.168.49.1 >/dev/null || fail "after-mid-join: ping client -> GO"
[ "$(on 0 iw dev "$goif" station dump | grep -c '^Station')" = 1 ] || fail "after-mid-join: not one station on $goif"
log "after-mid-join: the client is back in $goif with $ip"

# 2. Killed while the group runs.
m1=$(event_mark 1)
kill -KILL "$(daemon_pid 0)"
t=$(now)
log "mid-group: directd killed"
kernel_clean mid-group
gone=$(wait_event_since 1 "$m1" "^P2P-GROUP-REMOVED $clif " 30) || fail "mid-group: the client did not notice its GO gone"
figure client_noticed_seconds "$(since "$t")"
log "mid-group: client: $gone"
fresh_start mid-group
m1=$(event_mark 1)
group_and_join after-mid-group
started=$(wait_event_since 1 "$m1" "^P2P-GROUP-STARTED " 60) || fail "after-mid-group: client: no P2P-GROUP-STARTED"
ip=$(client_take_ip 1 "$started") || fail "after-mid-group: no address allocated"
on 1 busybox ping -c 2 -W 5 192.168.49.1 >/dev/null || fail "after-mid-group: ping client -> GO"
grep -q "panicked" "$ART/directd-0.log" && fail "directd panicked"
stop_daemon 0 TERM || fail "directd ignored SIGTERM"
[ "$(p2p_left)" = 0 ] || fail "interfaces left after SIGTERM"
[ -z "$(ls -A /run/directd-r0)" ] || fail "sockets left after SIGTERM"
log "kill -9 mid-join and mid-group ok"
