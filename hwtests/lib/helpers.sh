# Helpers for hwtests scenarios (POSIX sh, run inside the guest). Documented in
# hwtests/README.md; scenarios written outside the repository rely on these names.
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
on() { r=$1; shift; ip netns exec "r$r" "$@"; }

# Starts the event recorder for daemon R once its control directory exists.
hw_record() {
  [ -f "$HW/recpid-$1" ] && kill "$(cat "$HW/recpid-$1")" 2>/dev/null
  /usr/bin/python3 "$HW_LIB/ctrl-recorder.py" "$2" "$ART/events-$1.log" > "$ART/recorder-$1.log" 2>&1 &
  echo $! > "$HW/recpid-$1"
}

# Waits until the daemon on R answers PING on its P2P control socket.
hw_wait_ping() {
  n=0
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
  d=$(cat "$HW/dir-$1"); n=0
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
  r=$1; shift
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
  r=$1; shift
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
  p=$(daemon_pid "$1"); kill "-${2:-TERM}" "$p" 2>/dev/null
  n=0
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

# cli R CMD [ARGS...]: wpa_cli to the socket of R's daemon that takes P2P commands.
cli() { r=$1; shift; wpa_cli -p "$(cat "$HW/dir-$r")" -i "$(cat "$HW/if-$r")" "$@"; }
# cli_if R IFNAME CMD [ARGS...]: wpa_cli to another interface of R's daemon.
cli_if() { r=$1; i=$2; shift 2; wpa_cli -p "$(cat "$HW/dir-$r")" -i "$i" "$@"; }

# dev_addr R: R's P2P device address.
dev_addr() { cli "$1" status | sed -n 's/^p2p_device_address=//p'; }

# wait_event R REGEX [SECONDS]: first event of R's daemon (any interface, recorded since
# the daemon started) whose text matches the extended regex; prints it, 0 or 1 on timeout.
wait_event() {
  r=$1; re=$2; to=${3:-30}
  end=$(echo "$(date +%s.%N) $to" | awk '{printf "%.2f", $1 + $2}')
  while :; do
    line=$(cut -f2- "$ART/events-$r.log" 2>/dev/null | grep -E -m1 -- "$re")
    [ -n "$line" ] && { echo "$line"; return 0; }
    [ "$(echo "$(date +%s.%N) $end" | awk '{print ($1 > $2)}')" = 1 ] && return 1
    sleep 0.1
  done
}

# events R: every event recorded so far for R's daemon (IFNAME<TAB>TEXT lines).
events() { cat "$ART/events-$1.log" 2>/dev/null; }

# transfer_check FROM TO TO_IP BYTES: sends BYTES random bytes over TCP from radio FROM's
# netns to TO_IP (radio TO listening on port 5001) and compares SHA-256 sums. Prints the
# seconds it took; returns 1 if the data did not arrive intact.
transfer_check() {
  from=$1; to=$2; ip=$3; bytes=$4
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
