# WPS PIN brute force at a directd GO (issue 16), with a shorter lock (--wps-lockout-seconds
# 45; hostapd's first lock, and directd's default, is 60 s; under TCG the locked attempt's
# M2D came 23 s after the lock): a real wpa_supplicant client
# enters wrong PINs; the first two only fail (WPS-FAIL config_error=18), the third locks
# the registrar (WPS-AP-SETUP-LOCKED on the GO). While locked, the client's right PIN is
# refused with M2D (WPS-M2D ... config_error=15, setup locked) and no credential; after the
# lock (WPS-AP-SETUP-UNLOCKED) the right PIN joins.
# Figures: lock_seconds (the GO's third WPS-FAIL to WPS-AP-SETUP-UNLOCKED, as seen here),
# join_seconds_after_unlock (to the client's P2P-GROUP-STARTED; the attempt made during
# the lock is cancelled and the client tries again: its own retries after M2D back off).
# go-impl: directd
# radios: 2
# timeout: 420

lockout=45
goif=$(start_go 0 directd 2437 --wps-lockout-seconds "$lockout") || fail "directd GO did not start"
start_wpas 1 || fail "wpa_supplicant client did not start"
go=$(dev_addr 0); cl=$(dev_addr 1)
pin=$(cli_if 0 "$goif" wps_pin get)
wps_pin_ok "$pin" || fail "WPS_PIN get on the GO replied '$pin'"
[ "$(cli_if 0 "$goif" wps_pin any "$pin")" = "$pin" ] || fail "WPS_PIN any $pin on the GO"

# try_pin PIN: one join attempt from the client; prints the mark taken before it.
try_pin() {
  local _tm
  find_go 1 "$go" >&2 || return 1
  _tm=$(event_mark 1)
  [ "$(cli 1 p2p_connect "$go" "$1" join)" = OK ] || { echo "P2P_CONNECT $go $1 join refused" >&2; return 1; }
  echo "$_tm"
}

wrongs="12345670 11111115 22222220"
n=0
for w in $wrongs; do
  [ "$w" = "$pin" ] && fail "the generated PIN is one of the wrong ones; run again"
  n=$((n + 1))
  gm=$(event_mark 0)
  m=$(try_pin "$w") || fail "wrong PIN $n: no attempt"
  f=$(wait_event_since 1 "$m" "^WPS-FAIL " 60) || fail "wrong PIN $n: no WPS-FAIL on the client"
  echo "$f" | grep -q " config_error=18" || fail "wrong PIN $n: client $f (expected config_error=18)"
  wait_event_since 0 "$gm" "^WPS-FAIL .*config_error=18" 10 >/dev/null || fail "wrong PIN $n: no WPS-FAIL on the GO"
  t_lock=$(now)  # the third failure locks at once
  wait_event_since 1 "$m" "^P2P-GROUP-FORMATION-FAILURE|^P2P-GROUP-REMOVED " 30 >/dev/null \
    || fail "wrong PIN $n: the client's attempt did not end"
  if [ $n -lt 3 ]; then
    sleep 1
    events 0 | grep -q "WPS-AP-SETUP-LOCKED" && fail "locked after only $n wrong PINs"
  fi
  log "wrong PIN $n refused"
done
wait_event 0 "^WPS-AP-SETUP-LOCKED" 10 >/dev/null || fail "no WPS-AP-SETUP-LOCKED after 3 wrong PINs"
log "locked after 3 wrong PINs"

# The right PIN while locked: M2D with config error 15, no credential.
gm=$(event_mark 0)
m=$(try_pin "$pin") || fail "the right PIN while locked: no attempt"
m2d=$(wait_event_since 1 "$m" "^WPS-M2D .*config_error=15" 60) \
  || fail "the right PIN while locked: no WPS-M2D config_error=15 on the client (events: $(events 1 | tail -n 5 | tr '\n' '|'))"
log "while locked: $m2d"
wait_event 0 "^WPS-AP-SETUP-UNLOCKED" $((lockout + 30)) >/dev/null || fail "no WPS-AP-SETUP-UNLOCKED"
t_unlock=$(now)
figure lock_seconds "$(echo "$t_unlock $t_lock" | awk '{printf "%.1f", $1 - $2}')"
# Nothing was handed out before the unlock (the GO's events in order).
locked_part=$(tail -n +"$((gm + 1))" "$ART/events-0.log" | cut -f2- | sed '/^WPS-AP-SETUP-UNLOCKED/q')
echo "$locked_part" | grep -Eq "^WPS-REG-SUCCESS|^AP-STA-CONNECTED" && fail "a credential went out while locked: $locked_part"

# After the lock: the attempt under way may have joined already; if not, it is cancelled
# and the client tries again at once (wpa_supplicant's own retries after an M2D back off,
# 3 to 77 s seen: waiting for them measured its back-off, not the GO).
t=$(now)
if started=$(wait_event_since 1 "$m" "^P2P-GROUP-STARTED " 0) && [ -n "$started" ]; then
  log "the attempt made during the lock joined after the unlock"
else
  cli 1 p2p_cancel >/dev/null
  cli 1 p2p_group_remove "*" >/dev/null 2>&1
  wait_event_since 1 "$m" "^P2P-GROUP-FORMATION-FAILURE|^P2P-GROUP-REMOVED " 10 >/dev/null
  m=$(try_pin "$pin") || fail "the right PIN after the unlock: no attempt"
  started=$(wait_event_since 1 "$m" "^P2P-GROUP-STARTED " 60) || fail "the right PIN after the unlock: no P2P-GROUP-STARTED"
fi
figure join_seconds_after_unlock "$(since_event "$t")"
log "client: $started"
wait_event 0 "^AP-STA-CONNECTED .* p2p_dev_addr=$cl" 15 >/dev/null || fail "the GO did not report the client"
client_take_ip 1 "$started" >/dev/null || fail "no address allocated to the client"
ping_reach 1 192.168.49.1 || fail "ping client -> GO"
# No secret in directd's log (default level): the PIN, the passphrase the client got.
pass=$(echo "$started" | sed -n 's/.* passphrase="\([^"]*\)".*/\1/p')
[ -n "$pass" ] || fail "no passphrase in the client's P2P-GROUP-STARTED: $started"
for secret in "$pin" "$pass"; do
  grep -qF -- "$secret" "$ART/directd-0.log" && fail "a secret ($secret) is in directd's log"
done
grep -q 'passphrase="<redacted>"' "$ART/directd-0.log" || fail "directd's log has no redacted P2P-GROUP-STARTED"
log "3 wrong PINs locked the registrar, the right PIN was refused while locked and joined after; no secret in directd's log"
