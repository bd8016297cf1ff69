# Helpers for hwtests scenarios (POSIX sh with `local`, run inside the guest by dash).
# Documented in hwtests/README.md; scenarios written outside the repository rely on these
# names. Every helper keeps its variables `local`: a scenario's own variables (a loop's
# `i`, an `r`) are never changed by calling one (harness-selftest checks it).
HW=/tmp/hw
DIRECTD=$(cat "$ART/directd-path")
HW_LIB="$REPO/hwtests/lib"

fail() { echo "FAIL: $*" | tee -a "$ART/failure" >&2; exit 1; }
log() { echo "[$(hw_elapsed)] $*"; }
hw_elapsed() { echo "$(date +%s.%N) $(cat "$HW/t0")" | awk '{printf "%.2f", $1 - $2}'; }
now() { date +%s.%N; }
since() { echo "$(date +%s.%N) $1" | awk '{printf "%.3f", $1 - $2}'; }
figure() { echo "$1 $2" >> "$ART/figures"; log "figure $1 = $2"; }

# on R CMD...: run a command in radio R's network namespace.
on() { local r=$1; shift; ip netns exec "r$r" "$@"; }

# Starts the event recorder for daemon R once its control directory exists.
hw_record() {
  [ -f "$HW/recpid-$1" ] && kill "$(cat "$HW/recpid-$1")" 2>/dev/null
  /usr/bin/python3 "$HW_LIB/ctrl-recorder.py" "$2" "$ART/events-$1.log" > "$ART/recorder-$1.log" 2>&1 &
  echo $! > "$HW/recpid-$1"
}

# Waits until the daemon on R answers PING on its P2P control socket.
hw_wait_ping() {
  local n=0
  while [ $n -lt 100 ]; do
    [ "$(cli "$1" ping 2>/dev/null)" = PONG ] && return 0
    kill -0 "$(cat "$HW/pid-$1")" 2>/dev/null || { echo "daemon on radio $1 exited" >&2; return 1; }
    sleep 0.1; n=$((n + 1))
  done
  echo "daemon on radio $1 does not answer PING" >&2; return 1
}

# Waits (up to 10 s) until R's recorder is attached to every control socket R's daemon
# has opened, so that wait_event sees everything from the daemon's start on.
hw_wait_recorder() {
  local d n=0 missing s
  d=$(cat "$HW/dir-$1")
  while [ $n -lt 100 ]; do
    missing=0
    for s in "$d"/*; do
      [ -S "$s" ] || continue
      grep -qx "attached $(basename "$s")" "$ART/recorder-$1.log" 2>/dev/null || missing=1
    done
    [ $missing = 0 ] && return 0
    sleep 0.1; n=$((n + 1))
  done
  echo "event recorder of radio $1 did not attach to every socket" >&2; return 1
}

# start_wpas R [config lines...]: wpa_supplicant with P2P on wlanR in netns rR.
start_wpas() {
  local r=$1 conf l; shift
  conf="$HW/wpas-$r.conf"
  {
    echo "ctrl_interface=DIR=/run/wpas-r$r"
    echo "device_name=wpas-$r"
    echo "device_type=1-0050F204-1"
    echo "config_methods=virtual_push_button virtual_display keypad"
    echo "country=US"
    for l in "$@"; do echo "$l"; done
  } > "$conf"
  echo wpas > "$HW/kind-$r"; echo "/run/wpas-r$r" > "$HW/dir-$r"; echo "wlan$r" > "$HW/if-$r"
  ip netns exec "r$r" wpa_supplicant -Dnl80211 -i "wlan$r" -c "$conf" -ddK -t > "$ART/wpas-$r.log" 2>&1 &
  echo $! > "$HW/pid-$r"
  hw_record "$r" "/run/wpas-r$r"
  hw_wait_ping "$r" && hw_wait_recorder "$r"
}

# start_directd R [args...]: `directd run` on radio R in netns rR, args appended.
start_directd() {
  local r=$1; shift
  echo directd > "$HW/kind-$r"; echo "/run/directd-r$r" > "$HW/dir-$r"; echo "p2p-dev-wlan$r" > "$HW/if-$r"
  RUST_LOG=${RUST_LOG:-debug} ip netns exec "r$r" "$DIRECTD" run --ifname "wlan$r" --ctrl-dir "/run/directd-r$r" "$@" \
    >> "$ART/directd-$r.log" 2>&1 &
  echo $! > "$HW/pid-$r"
  hw_record "$r" "/run/directd-r$r"
  hw_wait_ping "$r" && hw_wait_recorder "$r"
}

# stop_daemon R [SIGNAL]: signals R's daemon (default TERM) and waits up to 10 s for it to exit;
# returns 1 if it is still running.
stop_daemon() {
  local p n=0
  p=$(daemon_pid "$1"); kill "-${2:-TERM}" "$p" 2>/dev/null
  while kill -0 "$p" 2>/dev/null; do
    [ $n -ge 100 ] && return 1
    sleep 0.1; n=$((n + 1))
  done
  return 0
}

# daemon_pid R: pid of the daemon started on R.
daemon_pid() { cat "$HW/pid-$1"; }
# peak_rss_kb R: peak resident set size (VmHWM) of R's daemon, in KiB.
peak_rss_kb() { awk '/^VmHWM:/{print $2}' "/proc/$(daemon_pid "$1")/status"; }
# cpu_seconds R: CPU time (user + system) R's daemon has used so far, in seconds; the
# difference of two readings is the CPU a step cost.
cpu_seconds() {
  local hz
  hz=$(getconf CLK_TCK 2>/dev/null || echo 100)
  awk -v hz="$hz" '{ sub(/^.*\) /, ""); printf "%.3f\n", ($12 + $13) / hz }' "/proc/$(daemon_pid "$1")/stat"
}
# cpu_since R BEFORE: CPU seconds R's daemon used since the reading BEFORE.
cpu_since() { echo "$(cpu_seconds "$1") $2" | awk '{printf "%.3f", $1 - $2}'; }

# cli R CMD [ARGS...]: wpa_cli to the socket of R's daemon that takes P2P commands.
cli() { local r=$1; shift; wpa_cli -p "$(cat "$HW/dir-$r")" -i "$(cat "$HW/if-$r")" "$@"; }
# cli_if R IFNAME CMD [ARGS...]: wpa_cli to another interface of R's daemon.
cli_if() { local r=$1 i=$2; shift 2; wpa_cli -p "$(cat "$HW/dir-$r")" -i "$i" "$@"; }

# dev_addr R: R's P2P device address.
dev_addr() { cli "$1" status | sed -n 's/^p2p_device_address=//p'; }

# wait_event R REGEX [SECONDS]: first event of R's daemon (any interface, recorded since
# the daemon started) whose text matches the extended regex; prints it, 0 or 1 on timeout.
# The time the recorder received it is kept for since_event.
wait_event() {
  local line
  line=$(hw_follow "$1" 1 "$2" "${3:-30}")
  [ -n "$line" ] || return 1
  hw_event_time "$1" "${line%%:*}"; echo "${line#*:}"
}

# hw_follow R FROM REGEX SECONDS: "N:TEXT" of the first of R's events from its FROMth on
# (N counted from FROM) whose text matches, waiting for it up to SECONDS; nothing on
# timeout. One follower (tail -F, which sleeps on inotify) instead of a polling loop: the
# guest has one TCG vCPU, and a loop forking cut, grep, date and awk ten times a second
# took CPU from the daemons under test while every step was being timed.
hw_follow() {
  # 0 seconds: only what is there now (for timeout(1), 0 would mean no limit).
  if [ "$4" = 0 ]; then
    tail -n +"$2" "$ART/events-$1.log" 2>/dev/null | sed "s/^[^	]*	//" | grep -n -E -m1 -- "$3"
    return 0
  fi
  timeout "$4" sh -c 'tail -n +"$1" -F -s 0.1 "$0" 2>/dev/null | sed -u "s/^[^	]*	//" | { grep -n -E -m1 -- "$2"; kill 0; }' \
    "$ART/events-$1.log" "$2" "$3" 2>/dev/null
}

# hw_event_time R N: keeps the receive time of R's Nth event (events-R.log.times) for
# since_event; the current time if the recorder has not written it.
hw_event_time() {
  local _et
  _et=$(sed -n "${2}p" "$ART/events-$1.log.times" 2>/dev/null | cut -f1)
  _et=${_et:-$(date +%s.%N)}
  echo "$_et" > "$HW/last-event-time"; echo "$_et" > "$HW/last-event-time-$1"
}
# since_event T [R]: seconds from T (from now) to when the recorder received the event the
# last wait_event / wait_event_since returned (of radio R's daemon: for waits running in
# parallel); a figure without the polling's lag.
since_event() { echo "$(cat "$HW/last-event-time${2:+-$2}") $1" | awk '{printf "%.3f", $1 - $2}'; }

# events R: every event recorded so far for R's daemon (IFNAME<TAB>TEXT lines).
events() { cat "$ART/events-$1.log" 2>/dev/null; }

# transfer_check FROM TO TO_IP BYTES: sends BYTES random bytes over TCP from radio FROM's
# netns to TO_IP (radio TO listening on port 5001) and compares SHA-256 sums. Prints the
# seconds it took; returns 1 if the data did not arrive intact.
transfer_check() {
  local from=$1 to=$2 ip=$3 bytes=$4 lpid t
  head -c "$bytes" /dev/urandom > "$HW/tx-$from-$to"
  rm -f "$HW/rx-$from-$to"
  on "$to" /usr/bin/python3 "$HW_LIB/transfer.py" recv 5001 "$HW/rx-$from-$to" &
  lpid=$!
  sleep 0.5
  t=$(now)
  on "$from" /usr/bin/python3 "$HW_LIB/transfer.py" send "$ip" 5001 "$HW/tx-$from-$to" || echo "transfer: sender failed" >&2
  wait "$lpid"
  since "$t"
  [ "$(sha256sum < "$HW/tx-$from-$to")" = "$(sha256sum < "$HW/rx-$from-$to")" ]
}

# group_ip R IFNAME: the first IPv4 address on R's interface.
group_ip() { on "$1" ip -4 -o addr show dev "$2" | awk '{print $4}' | cut -d/ -f1 | head -n1; }

# ---- GO-role helpers (go-* scenarios).

# go_impl: which daemon runs the group owner in a go-* scenario: the scenario's $GO_IMPL
# if set, else its "# go-impl: NAME" header line, else directd. NAME is directd or wpas.
go_impl() {
  local _gimpl
  if [ -n "${GO_IMPL:-}" ]; then echo "$GO_IMPL"; return; fi
  _gimpl=$(sed -n 's/^# go-impl: *\([a-z]*\).*/\1/p' "$ART/scenario.sh" 2>/dev/null | head -n1)
  echo "${_gimpl:-directd}"
}

# start_go R IMPL [FREQ]: starts IMPL (directd or wpas) on radio R and an autonomous group
# there (P2P_GROUP_ADD [freq=FREQ]); prints the group interface (also kept for go_if R).
# The group owner has 192.168.49.1/24 on that interface and hands clients addresses from
# 192.168.49.2 up in the 4-way handshake: wpa_supplicant is configured so (ip_addr_*) and
# the address is added here; directd does both itself (checked here, up to 10 s).
start_go() {
  local _gf _gif _gimpl _gn _gr _grep _gstarted
  _gr=$1; _gimpl=$2; _gf=${3:-}
  shift 2; [ $# -gt 0 ] && shift  # the rest: extra arguments for directd (e.g. --ndn)
  case "$_gimpl" in
    wpas) start_wpas "$_gr" "ip_addr_go=192.168.49.1" "ip_addr_mask=255.255.255.0" \
            "ip_addr_start=192.168.49.2" "ip_addr_end=192.168.49.254" || return 1 ;;
    directd) start_directd "$_gr" "$@" || return 1 ;;
    *) echo "start_go: unknown GO implementation '$_gimpl' (directd or wpas)" >&2; return 1 ;;
  esac
  if [ -n "$_gf" ]; then _grep=$(cli "$_gr" p2p_group_add "freq=$_gf"); else _grep=$(cli "$_gr" p2p_group_add); fi
  [ "$_grep" = OK ] || { echo "start_go: P2P_GROUP_ADD on radio $_gr replied '$_grep'" >&2; return 1; }
  _gstarted=$(wait_event "$_gr" "^P2P-GROUP-STARTED .* GO " 60) \
    || { echo "start_go: no P2P-GROUP-STARTED ... GO on radio $_gr" >&2; return 1; }
  echo "$_gstarted" > "$HW/gostarted-$_gr"
  _gif=$(echo "$_gstarted" | awk '{print $2}')
  echo "$_gif" > "$HW/goif-$_gr"
  if [ "$_gimpl" = wpas ]; then
    on "$_gr" ip addr add 192.168.49.1/24 dev "$_gif" || { echo "start_go: address on $_gif" >&2; return 1; }
  else
    _gn=0
    until [ "$(group_ip "$_gr" "$_gif")" = 192.168.49.1 ]; do
      [ $_gn -ge 100 ] && { echo "start_go: directd put no 192.168.49.1 on $_gif" >&2; return 1; }
      sleep 0.1; _gn=$((_gn + 1))
    done
  fi
  echo "$_gif"
}

# ndn_app R ROLE [ARGS...]: hwtests/lib/ndn-app.py (python-ndn 0.5.2) in R's netns, with
# the host's python that has python-ndn ($NDN_PY).
NDN_PY=$(cat "$ART/ndn-python" 2>/dev/null || echo python3)
ndn_app() { local _gr=$1; shift; ip netns exec "r$_gr" "$NDN_PY" "$REPO/hwtests/lib/ndn-app.py" "$@"; }
# ndn_ready LOG PID [SECONDS]: waits (default 240 s: python-ndn loads slowly under TCG)
# for a background ndn_app's READY line; 1 if it exited or did not register.
ndn_ready() {
  local _nd
  _nd=$(($(date +%s) + ${3:-240}))
  until grep -q '^READY' "$1"; do
    kill -0 "$2" 2>/dev/null && [ "$(date +%s)" -lt "$_nd" ] || return 1
    sleep 0.2
  done
}
# ndn_wait PID [SECONDS]: waits (default 240 s) for a background ndn_app to exit.
ndn_wait() {
  local _nd
  _nd=$(($(date +%s) + ${2:-240}))
  while kill -0 "$1" 2>/dev/null; do
    [ "$(date +%s)" -lt "$_nd" ] || return 1
    sleep 0.2
  done
}
# ndn_sock R: the NDN socket the ndn-probe scenarios give R's directd (--ndn-socket).
ndn_sock() { echo "/run/nfd-r$1.sock"; }

# go_if R: the group interface start_go created on R; go_started R: its P2P-GROUP-STARTED.
go_if() { cat "$HW/goif-$1"; }
go_started() { cat "$HW/gostarted-$1"; }

# event_mark R: a mark (the number of R's events so far) for wait_event_since.
event_mark() { events "$1" | wc -l | tr -d ' '; }
# wait_event_since R MARK REGEX [SECONDS]: like wait_event, but only events recorded after
# MARK (from event_mark) count. For a second join, a second group, and so on.
wait_event_since() {
  local _gline
  _gline=$(hw_follow "$1" "$(($2 + 1))" "$3" "${4:-30}")
  [ -n "$_gline" ] || return 1
  hw_event_time "$1" "$(($2 + ${_gline%%:*}))"; echo "${_gline#*:}"
}

# find_go R GO_DEV_ADDR [SECONDS [P2P_FIND ARGS...]]: P2P_FIND [ARGS] on R until
# GO_DEV_ADDR is listed (default 40 s), then P2P_STOP_FIND. Returns 1 if it was not found.
# Without ARGS the find is `type=social`: both implementations put a GO on a social
# channel unless told otherwise, and a full first scan took about 4 s of guest time at
# every call (a GO elsewhere is found with freq=, as client-join-5ghz and go-5ghz do).
find_go() {
  local _ga _gm _gr _grc _gto
  _gr=$1; _ga=$2; _gto=${3:-40}; shift 2; [ $# -gt 0 ] && shift
  [ $# -gt 0 ] || set -- type=social
  _gm=$(event_mark "$_gr")
  [ "$(cli "$_gr" p2p_find "$@")" = OK ] || { echo "find_go: P2P_FIND $* on radio $_gr failed" >&2; return 1; }
  wait_event_since "$_gr" "$_gm" "^P2P-DEVICE-FOUND .*p2p_dev_addr=$_ga( |$)" "$_gto" >/dev/null
  _grc=$?
  cli "$_gr" p2p_stop_find >/dev/null
  [ $_grc = 0 ] || echo "find_go: radio $_gr did not find $_ga" >&2
  return $_grc
}

# client_take_ip R STARTED: a wpa_supplicant client reports the address the GO allocated
# in its P2P-GROUP-STARTED (ip_addr=, ip_mask=) but does not configure it: this puts it
# on the group interface named in STARTED and prints it. Returns 1 if none was allocated.
client_take_ip() {
  local _gev _gif _gip _gmask _gplen _gr
  _gr=$1; _gev=$2
  _gif=$(echo "$_gev" | awk '{print $2}')
  _gip=$(echo "$_gev" | sed -n 's/.* ip_addr=\([0-9.]*\).*/\1/p')
  _gmask=$(echo "$_gev" | sed -n 's/.* ip_mask=\([0-9.]*\).*/\1/p')
  [ -n "$_gip" ] && [ -n "$_gmask" ] || { echo "client_take_ip: no ip_addr/ip_mask in: $_gev" >&2; return 1; }
  _gplen=$(echo "$_gmask" | awk -F. '{ n = 0; for (i = 1; i <= 4; i++) { v = $i; while (v > 0) { n += v % 2; v = int(v / 2) } } print n }')
  on "$_gr" ip addr add "$_gip/$_gplen" dev "$_gif" || return 1
  echo "$_gip"
}

# ping_reach R ADDR [SECONDS]: one ping a second from R to ADDR until one is answered
# (default 15 s); on failure R's neighbours and stations go to stderr (the artifacts).
# For reference legs between two wpa_supplicants, whose first frames after the handshake
# were seen lost under TCG load.
ping_reach() {
  local _gr _ga _gend
  _gr=$1; _ga=$2; _gend=$(($(date +%s) + ${3:-15}))
  until on "$_gr" busybox ping -c 1 -W 1 "$_ga" >/dev/null 2>&1; do
    if [ "$(date +%s)" -ge "$_gend" ]; then
      { echo "ping_reach: $_ga unanswered from radio $_gr"; on "$_gr" ip neigh; on "$_gr" ip addr; on "$_gr" iw dev; } >&2
      return 1
    fi
    sleep 1
  done
}

# wps_pin_valid: a random 8-digit PIN with a valid WPS checksum (WSC 2.0.5, 7.4.1).
wps_pin_valid() {
  local _gp
  _gp=$(od -An -N4 -tu4 /dev/urandom | awk '{ printf "%07d", $1 % 10000000 }')
  echo "$_gp$(wps_check_digit "$_gp")"
}

# go_client_started_ok STARTED GO_DEV: the client's (radio 1) P2P-GROUP-STARTED from a GO
# on 2437 MHz at 192.168.49.1/24 has wpa_supplicant's text, with the PSK or the passphrase
# and the address allocated in the handshake; fails the scenario otherwise.
go_client_started_ok() {
  echo "$1" | grep -Eq "^P2P-GROUP-STARTED p2p-wlan1-0 client ssid=\"DIRECT-[^\"]+\" freq=2437 (psk=[0-9a-f]{64}|passphrase=\"[^\"]{8,63}\") go_dev_addr=$2 ip_addr=192\.168\.49\.[0-9]+ ip_mask=255\.255\.255\.0 go_ip_addr=192\.168\.49\.1$" \
    || fail "client P2P-GROUP-STARTED text: $1"
}

# go_client_traffic GO_R CL_R STARTED IMPL: the client puts on the address of its
# P2P-GROUP-STARTED, ping crosses the air both ways and 1 MB arrives intact at the GO
# (192.168.49.1); figures transfer_1mb_seconds and peak_rss_kb_go_IMPL. Prints the
# client's address; fails the scenario otherwise.
go_client_traffic() {
  local _gcif _gcip _gcl _ggo _gimpl _gs _gst
  _ggo=$1; _gcl=$2; _gst=$3; _gimpl=$4
  _gcif=$(echo "$_gst" | awk '{print $2}')
  _gcip=$(client_take_ip "$_gcl" "$_gst") || fail "no address allocated to the client"
  [ "$(group_ip "$_gcl" "$_gcif")" = "$_gcip" ] || fail "address $_gcip not on $_gcif"
  on "$_gcl" busybox ping -c 3 -W 5 192.168.49.1 >&2 || fail "ping client -> GO"
  on "$_ggo" busybox ping -c 3 -W 5 "$_gcip" >&2 || fail "ping GO -> client"
  _gs=$(transfer_check "$_gcl" "$_ggo" 192.168.49.1 1048576) || fail "1 MB client -> GO not intact"
  figure transfer_1mb_seconds "$_gs" >&2
  figure "peak_rss_kb_go_$_gimpl" "$(peak_rss_kb "$_ggo")" >&2
  echo "$_gcip"
}

# wps_check_digit SEVEN: the WPS checksum digit of a 7-digit PIN body (WSC 2.0.5, 7.4.1:
# digits weighted 3,1,3,... from the left of the seven).
wps_check_digit() {
  echo "$1" | awk '{ s = 0; for (i = 1; i <= 7; i++) { d = substr($0, i, 1); s += (i % 2 ? 3 * d : d) } print (10 - s % 10) % 10 }'
}

# wps_pin_ok PIN: PIN is 8 digits and its last is the checksum of the first seven.
wps_pin_ok() {
  echo "$1" | grep -Eq '^[0-9]{8}$' && [ "$(wps_check_digit "$(echo "$1" | cut -c1-7)")" = "$(echo "$1" | cut -c8)" ]
}

# meet R1 R2 [SECONDS]: both run P2P_FIND until each has found the other
# (P2P-DEVICE-FOUND, default 40 s each); returns 1 (saying who) otherwise. The find goes on.
meet() {
  local _ma=$1 _mb=$2 _mto=${3:-40} _mda _mdb
  _mda=$(dev_addr "$_ma"); _mdb=$(dev_addr "$_mb")
  cli "$_ma" p2p_find >/dev/null; cli "$_mb" p2p_find >/dev/null
  wait_event "$_ma" "^P2P-DEVICE-FOUND $_mdb" "$_mto" >/dev/null || { echo "meet: radio $_ma did not find $_mdb" >&2; return 1; }
  wait_event "$_mb" "^P2P-DEVICE-FOUND $_mda" "$_mto" >/dev/null || { echo "meet: radio $_mb did not find $_mda" >&2; return 1; }
}

# group_pair_ping RA STARTED_A RB STARTED_B: the two ends of one group (their
# P2P-GROUP-STARTED lines; one GO, one client) reach each other: a wpa_supplicant GO gets
# 192.168.49.1/24 on its interface (wpa_supplicant configures none), a wpa_supplicant
# client puts on the address its GO allocated (directd sets its own), then ping both ways.
# Prints the client's address; fails the scenario otherwise.
group_pair_ping() {
  local _pgo _pgost _pcl _pclst _pip _pn=0
  if echo "$2" | grep -q "^P2P-GROUP-STARTED [^ ]* GO "; then _pgo=$1; _pgost=$2; _pcl=$3; _pclst=$4
  else _pgo=$3; _pgost=$4; _pcl=$1; _pclst=$2; fi
  echo "$_pgost" | grep -q "^P2P-GROUP-STARTED [^ ]* GO " && echo "$_pclst" | grep -q "^P2P-GROUP-STARTED [^ ]* client " \
    || fail "not one GO and one client: '$2' / '$4'"
  if [ "$(cat "$HW/kind-$_pgo")" = wpas ]; then
    on "$_pgo" ip addr add 192.168.49.1/24 dev "$(echo "$_pgost" | awk '{print $2}')" || fail "address on the wpa_supplicant GO"
  fi
  if [ "$(cat "$HW/kind-$_pcl")" = wpas ]; then
    _pip=$(client_take_ip "$_pcl" "$_pclst") || fail "no address allocated to the wpa_supplicant client"
  else
    until _pip=$(group_ip "$_pcl" "$(echo "$_pclst" | awk '{print $2}')"); [ -n "$_pip" ]; do
      [ $_pn -ge 50 ] && fail "no address on directd's client interface"
      sleep 0.1; _pn=$((_pn + 1))
    done
  fi
  on "$_pcl" busybox ping -c 3 -W 5 192.168.49.1 >&2 || fail "ping client (radio $_pcl) -> GO"
  on "$_pgo" busybox ping -c 3 -W 5 "$_pip" >&2 || fail "ping GO (radio $_pgo) -> client $_pip"
  echo "$_pip"
}

# eap_packets_since T: EAP packets (EAPOL type 0: WPS runs over them here) on the air
# (the scenario's air.pcap) after the timestamp T (seconds since the epoch): a
# re-invoked or re-joined persistent group must show none.
eap_packets_since() {
  tcpdump -r "$ART/air.pcap" -tt -n 2>/dev/null | awk -v t="$1" '$1 > t' | grep -c 'EAP packet'
}

# remove_groups R STARTED...: P2P_GROUP_REMOVE on R for each group (P2P-GROUP-STARTED
# lines) and waits for its P2P-GROUP-REMOVED; fails the scenario otherwise.
remove_groups() {
  local _rr=$1 _rst _rif _rm; shift
  for _rst in "$@"; do
    _rif=$(echo "$_rst" | awk '{print $2}')
    # From the group's own P2P-GROUP-STARTED on: its end may have come already (the
    # other side removed the group first).
    _rm=$(grep -n -F -- "$_rst" "$ART/events-$_rr.log" 2>/dev/null | tail -n 1 | cut -d: -f1)
    _rm=${_rm:-$(event_mark "$_rr")}
    cli "$_rr" p2p_group_remove "$_rif" >/dev/null
    wait_event_since "$_rr" "$_rm" "^P2P-GROUP-REMOVED $_rif " 15 >/dev/null || fail "radio $_rr: no P2P-GROUP-REMOVED $_rif"
  done
}

# hw_p2p_addr R: the P2P device address a daemon on radio R gets (mac80211_hwsim gives the
# P2P-Device wdev its second address, 42:00:00:00:0R:00; directd and wpa_supplicant alike),
# known before the daemon starts (for the automatic mode's --peer-mac).
hw_p2p_addr() { printf '42:00:00:00:%02x:00\n' "$1"; }

# start_directd_auto R PEER_R LOCAL [args...]: directd on radio R in the automatic mode,
# configured with radio PEER_R's P2P device address and LOCAL (ip/prefix) as its address.
start_directd_auto() {
  local _gr _gp _gl
  _gr=$1; _gp=$2; _gl=$3; shift 3
  start_directd "$_gr" --peer-mac "$(hw_p2p_addr "$_gp")" --local-address "$_gl" "$@"
}

# auto_linked R MARK [SECONDS]: waits for R's P2P-AUTO-CONNECTED after MARK (event_mark);
# prints its group interface. Returns 1 on timeout (default 60 s).
auto_linked() {
  local _gl
  _gl=$(wait_event_since "$1" "$2" "^P2P-AUTO-CONNECTED " "${3:-60}") || return 1
  echo "$_gl" | awk '{print $2}'
}

# ping_fast R ADDR [SECONDS]: pings from R every 0.2 s until ADDR answers (default 20 s).
ping_fast() {
  local _gr _ga _gend
  _gr=$1; _ga=$2; _gend=$(($(date +%s) + ${3:-20}))
  until on "$_gr" busybox ping -c 1 -W 1 "$_ga" >/dev/null 2>&1; do
    [ "$(date +%s)" -ge "$_gend" ] && { echo "ping_fast: $_ga unanswered from radio $_gr" >&2; return 1; }
    sleep 0.2
  done
}

# rss_kb R: the current resident set size (VmRSS) of R's daemon, in KiB.
rss_kb() { awk '/^VmRSS:/{print $2}' "/proc/$(daemon_pid "$1")/status"; }

# monitor_up R FREQ: a monitor interface mon0 on radio R's phy (in netns rR), up on FREQ,
# for hwtests/lib/inject.py. R must run no daemon (its wlanR stays down).
monitor_up() {
  local _mr=$1 _mf=$2
  on "$_mr" iw phy "phy$_mr" interface add mon0 type monitor || return 1
  on "$_mr" ip link set mon0 up || return 1
  on "$_mr" iw dev mon0 set freq "$_mf" || return 1
}

# inject R NAME [inject.py options...]: hwtests/lib/inject.py on R's mon0 in the
# background, its output in $ART/inject-NAME.txt; inject_wait NAME waits for it and
# prints how many frames it sent (0 if it failed); it polls, so it works in $(...);
# inject_stop NAME ends it early (it still prints its counts).
inject() {
  local _ir=$1 _in=$2; shift 2
  rm -f "$HW/inject-$_in.pid"
  on "$_ir" /usr/bin/python3 "$HW_LIB/inject.py" mon0 --pidfile "$HW/inject-$_in.pid" "$@" > "$ART/inject-$_in.txt" 2>&1 &
}
inject_stop() { kill "$(cat "$HW/inject-$1.pid" 2>/dev/null)" 2>/dev/null; }
inject_wait() {
  local _in=0
  # Until it printed its counts or its python is gone (the background shell that ran it
  # stays a zombie until the scenario's shell reaps it: no use to poll).
  until grep -q '^sent ' "$ART/inject-$1.txt" 2>/dev/null; do
    [ -f "$HW/inject-$1.pid" ] && ! kill -0 "$(cat "$HW/inject-$1.pid")" 2>/dev/null && break
    [ ! -f "$HW/inject-$1.pid" ] && [ $_in -ge 100 ] && break
    sleep 0.2; _in=$((_in + 1))
  done
  sed -n 's/^sent //p' "$ART/inject-$1.txt" | grep . || echo 0
}

# daemon_alive R: R's daemon still runs, answers PING, and (directd) logged no panic.
daemon_alive() {
  kill -0 "$(daemon_pid "$1")" 2>/dev/null || return 1
  [ "$(cli "$1" ping 2>/dev/null)" = PONG ] || return 1
  ! grep -q "panicked at" "$ART/directd-$1.log" 2>/dev/null
}
