# Long run: one directd through many join/leave cycles, every cycle must succeed, and what
# it holds stays flat.
# Leg 1, directd GO on radio 0, a wpa_supplicant client on radio 1: the client joins by WPS
# (PBC) the first time and every 10th cycle (P2P_GROUP_REMOVE, WPS_PBC, P2P_CONNECT ...
# join); the other cycles are DISCONNECT/RECONNECT on the client's group interface with the
# profile WPS gave it: deauthentication and station removal on the GO, then association,
# the 4-way handshake with the address allocation, a ping.
# Leg 2, directd client of a wpa_supplicant GO on radio 2: each cycle a full join by WPS
# (WPS_PBC on the GO, P2P_CONNECT <go> pbc join: scan, provision discovery, WPS, 4-way,
# address, ping) and P2P_GROUP_REMOVE.
# Cycles per leg: $SOAK_CYCLES on the host (hwtests/run passes it), default 100.
# Figures: cycles, mean seconds per cycle of each kind, and directd's RSS (KiB), open fds
# and p2p-* interface count after the first and the last cycle of each leg; the last may
# exceed the first by at most 2 MiB of RSS and 2 fds, interfaces equal.
# radios: 3
# timeout: 2400

cycles=$(cat "$ART/soak-cycles" 2>/dev/null); cycles=${cycles:-100}
echo "$cycles" | grep -Eq '^[1-9][0-9]*$' || fail "SOAK_CYCLES '$cycles' is not a count"
log "$cycles cycles per leg"

# rss fds ifaces of directd (radio 0) now.
held() {
  echo "$(awk '/^VmRSS:/{print $2}' "/proc/$(daemon_pid 0)/status") $(ls "/proc/$(daemon_pid 0)/fd" | wc -l) $(on 0 ip -o link | grep -c ': p2p-')"
}
# flat LEG FIRST LAST: figures and the bound.
flat() {
  set -- "$1" $2 $3
  figure "soak_${1}_rss_kb_first" "$2"; figure "soak_${1}_rss_kb_last" "$5"
  figure "soak_${1}_fds_first" "$3"; figure "soak_${1}_fds_last" "$6"
  figure "soak_${1}_ifaces_first" "$4"; figure "soak_${1}_ifaces_last" "$7"
  [ "$5" -le $(($2 + 2048)) ] || fail "$1: directd's RSS grew from $2 to $5 KiB"
  [ "$6" -le $(($3 + 2)) ] || fail "$1: directd's open fds grew from $3 to $6"
  [ "$7" = "$4" ] || fail "$1: p2p interfaces went from $4 to $7"
}
# The cycles are mostly harness time under TCG: these waits fork less per poll than
# event_mark / wait_event_since (REGEX is matched against IFNAME<TAB>TEXT: start it with
# $T for the start of the text).
T=$(printf '\t')
mark() { wc -l < "$ART/events-$1.log"; }
# until R MARK REGEX [SECONDS]: 0 when an event of R after MARK matches, 1 after SECONDS
# (default 15, counted in polls: a slow guest waits longer, never shorter).
until_ev() {
  local n=0 lim=$(( ${4:-15} * 20 ))
  until tail -n +"$(($2 + 1))" "$ART/events-$1.log" | grep -q -E -- "$3"; do
    [ $n -ge $lim ] && return 1
    sleep 0.05; n=$((n + 1))
  done
}
# mean TOTAL N
mean() { echo "$1 $2" | awk '{ printf "%.2f", ($2 > 0 ? $1 / $2 : 0) }'; }
add() { echo "$1 $2" | awk '{ printf "%.3f", $1 + $2 }'; }

goif=$(start_go 0 directd 2437) || fail "directd GO did not start"
start_wpas 1 || fail "wpa_supplicant client did not start"
go=$(dev_addr 0); cl=$(dev_addr 1)

# wps_join: the client joins directd's group by PBC; sets clif. The client knows the GO
# from the last join (peers expire after minutes): a find only when P2P_CONNECT fails.
wps_join() {
  local m0 m1 st
  m0=$(mark 0); m1=$(mark 1)
  [ "$(cli_if 0 "$goif" wps_pbc)" = OK ] || fail "cycle $c: WPS_PBC on the GO"
  if [ "$(cli 1 p2p_connect "$go" pbc join)" != OK ]; then
    find_go 1 "$go" 40 type=social || fail "cycle $c: the client did not find the GO"
    [ "$(cli 1 p2p_connect "$go" pbc join)" = OK ] || fail "cycle $c: P2P_CONNECT pbc join"
  fi
  until_ev 1 "$m1" "${T}P2P-GROUP-STARTED " 60 || fail "cycle $c: client: no P2P-GROUP-STARTED"
  st=$(tail -n +"$((m1 + 1))" "$ART/events-1.log" | cut -f2- | grep -m1 "^P2P-GROUP-STARTED ")
  until_ev 0 "$m0" "${T}AP-STA-CONNECTED .* p2p_dev_addr=$cl" 15 || fail "cycle $c: the GO did not report the client"
  clif=$(echo "$st" | awk '{print $2}')
  client_take_ip 1 "$st" >/dev/null || fail "cycle $c: no address allocated"
  # RECONNECT scans first: only the GO's channel (a full scan of hwsim's bands takes
  # longer than the client's 10 s group idle timeout under TCG).
  [ "$(cli_if 1 "$clif" set_network 0 scan_freq 2437)" = OK ] || fail "cycle $c: scan_freq on the client's profile"
}

# ping_once R: one ping to the GO (192.168.49.1), a second try after the first is lost.
ping_once() {
  on "$1" busybox ping -c 1 -W 2 192.168.49.1 >/dev/null 2>&1 || on "$1" busybox ping -c 1 -W 3 192.168.49.1 >/dev/null 2>&1
}

# Leg 1: directd GO.
c=1; wps_n=0; wps_t=0; re_n=0; re_t=0
while [ $c -le "$cycles" ]; do
  t=$(now)
  if [ $c = 1 ] || [ $((c % 10)) = 0 ]; then
    if [ $c != 1 ]; then
      m0=$(mark 0); m1=$(mark 1)
      [ "$(cli 1 p2p_group_remove "$clif")" = OK ] || fail "cycle $c: client P2P_GROUP_REMOVE"
      until_ev 1 "$m1" "${T}P2P-GROUP-REMOVED $clif " || fail "cycle $c: client: no P2P-GROUP-REMOVED"
      until_ev 0 "$m0" "${T}AP-STA-DISCONNECTED .* p2p_dev_addr=$cl" || fail "cycle $c: the GO did not see the client leave"
    fi
    wps_join
    kind=wps
  else
    m0=$(mark 0); m1=$(mark 1)
    [ "$(cli_if 1 "$clif" disconnect)" = OK ] || fail "cycle $c: DISCONNECT"
    until_ev 0 "$m0" "${T}AP-STA-DISCONNECTED .* p2p_dev_addr=$cl" || fail "cycle $c: the GO did not see the client go"
    m0=$(mark 0)
    [ "$(cli_if 1 "$clif" reconnect)" = OK ] || fail "cycle $c: RECONNECT"
    until_ev 1 "$m1" "${T}CTRL-EVENT-CONNECTED " 20 || fail "cycle $c: the client did not connect again"
    until_ev 0 "$m0" "${T}AP-STA-CONNECTED .* p2p_dev_addr=$cl" || fail "cycle $c: the GO did not report the client back"
    kind=re
  fi
  ping_once 1 || fail "cycle $c ($kind): no ping client -> GO"
  dt=$(since "$t")
  if [ $kind = wps ]; then wps_n=$((wps_n + 1)); wps_t=$(add "$wps_t" "$dt"); else re_n=$((re_n + 1)); re_t=$(add "$re_t" "$dt"); fi
  [ $c = 1 ] && first=$(held)
  [ $((c % 10)) = 0 ] && log "GO leg: cycle $c done ($kind, ${dt} s); rss fds ifaces: $(held)"
  c=$((c + 1))
done
last=$(held)
stations=$(on 0 iw dev "$goif" station dump | grep -c '^Station')
[ "$stations" = 1 ] || fail "GO leg: $stations stations on $goif with one client"
figure soak_go_cycles "$cycles"
figure soak_go_wps_cycle_seconds "$(mean "$wps_t" "$wps_n")"
figure soak_go_reconnect_cycle_seconds "$(mean "$re_t" "$re_n")"
flat go "$first" "$last"

m0=$(event_mark 0)
[ "$(cli 0 p2p_group_remove "$goif")" = OK ] || fail "P2P_GROUP_REMOVE on the GO"
wait_event_since 0 "$m0" "^P2P-GROUP-REMOVED $goif " 15 >/dev/null || fail "no P2P-GROUP-REMOVED on the GO"
stop_daemon 1 || fail "the wpa_supplicant client did not stop"

# Leg 2: directd client of a wpa_supplicant GO.
goif2=$(start_go 2 wpas 2437) || fail "wpa_supplicant GO did not start"
go2=$(dev_addr 2)
c=1; cl_t=0
while [ $c -le "$cycles" ]; do
  t=$(now)
  m0=$(mark 0); m2=$(mark 2)
  [ "$(cli_if 2 "$goif2" wps_pbc)" = OK ] || fail "cycle $c: WPS_PBC on the wpa_supplicant GO"
  [ "$(cli 0 p2p_connect "$go2" pbc join)" = OK ] || fail "cycle $c: directd P2P_CONNECT pbc join"
  until_ev 0 "$m0" "${T}P2P-GROUP-STARTED .* client " 60 || fail "cycle $c: directd: no P2P-GROUP-STARTED"
  dif=$(tail -n +"$((m0 + 1))" "$ART/events-0.log" | cut -f2- | grep -m1 "^P2P-GROUP-STARTED " | awk '{print $2}')
  until_ev 2 "$m2" "${T}AP-STA-CONNECTED " || fail "cycle $c: the wpa_supplicant GO did not report directd"
  ping_once 0 || fail "cycle $c: no ping directd -> GO"
  m0=$(mark 0)
  [ "$(cli 0 p2p_group_remove "$dif")" = OK ] || fail "cycle $c: directd P2P_GROUP_REMOVE"
  until_ev 0 "$m0" "${T}P2P-GROUP-REMOVED $dif client reason=REQUESTED" || fail "cycle $c: directd: no P2P-GROUP-REMOVED"
  until_ev 2 "$m2" "${T}AP-STA-DISCONNECTED " || fail "cycle $c: the wpa_supplicant GO did not see directd leave"
  dt=$(since "$t"); cl_t=$(add "$cl_t" "$dt")
  [ $c = 1 ] && first=$(held)
  [ $((c % 10)) = 0 ] && log "client leg: cycle $c done (${dt} s); rss fds ifaces: $(held)"
  c=$((c + 1))
done
last=$(held)
figure soak_client_cycles "$cycles"
figure soak_client_cycle_seconds "$(mean "$cl_t" "$cycles")"
flat client "$first" "$last"
[ "$(cli 0 ping)" = PONG ] || fail "directd does not answer PING after the soak"
[ "$(cli 0 p2p_find)" = OK ] || fail "P2P_FIND after the soak"
grep -q "panicked" "$ART/directd-0.log" && fail "directd panicked"
log "soak ok"
