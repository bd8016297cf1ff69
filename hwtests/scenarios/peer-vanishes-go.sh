# A wpa_supplicant client vanishes (frozen with SIGSTOP at the step, silent as a peer gone
# out of range; killed only once directd has given up) in the middle of joining a directd
# GO, and directd recovers by itself:
# 1. during WPS (the client has sent its EAP start; directd logged its M1 or is about to):
#    the registrar's retransmissions run out, the station is removed;
# 2. during the 4-way handshake (WPS done, the client associated again with the new key:
#    frozen at its "Associated with"): the authenticator's retries run out, the station is
#    removed.
# Each time: the failure is reported on directd's sockets (WPS-FAIL for the registration;
# no AP-STA-CONNECTED for the handshake that never ended), no station is left on the group
# interface, the group runs on (PING, STATUS), and a fresh wpa_supplicant on the same radio
# joins by PBC and pings the GO.
# radios: 2
# timeout: 240

start_directd 0 || fail "directd did not start"
[ "$(cli 0 p2p_group_add freq=2437)" = OK ] || fail "P2P_GROUP_ADD"
goif=$(wait_event 0 "^P2P-GROUP-STARTED .* GO " 30 | awk '{print $2}')
[ -n "$goif" ] || fail "no P2P-GROUP-STARTED"
go=$(dev_addr 0)
T=$(printf '\t')
stations() { on 0 iw dev "$goif" station dump | grep -c '^Station'; }

# vanish LEG FILE STEP_REGEX NTH [AFTER]: a fresh client joins by PBC; frozen when FILE
# (the client's events, or directd's log) has the NTH line matching STEP_REGEX since the
# join began (since a line matching AFTER, if given: the recorder may attach to the new
# group interface's socket after its first association), then killed once directd has
# given up; what it left on its radio is deleted.
vanish() {
  local leg=$1 file=$2 step=$3 nth=$4 after=${5:-} n=0 m0 m1 fpid t
  start_wpas 1 || fail "$leg: wpa_supplicant did not start"
  m1=$(event_mark 1)
  [ "$(cli_if 0 "$goif" wps_pbc)" = OK ] || fail "$leg: WPS_PBC"
  find_go 1 "$go" 40 type=social || fail "$leg: the client did not find the GO"
  m0=$(event_mark 0); vmark=$m0
  /usr/bin/python3 "$HW_LIB/freeze-at.py" "$file" "$step" "$nth" "$(daemon_pid 1)" 60 ${after:+"$after"} > "$HW/freeze.out" 2>&1 &
  fpid=$!
  n=0; until grep -q watching "$HW/freeze.out"; do [ $n -ge 200 ] && fail "$leg: freeze-at.py did not start"; sleep 0.1; n=$((n + 1)); done
  [ "$(cli 1 p2p_connect "$go" pbc join)" = OK ] || fail "$leg: P2P_CONNECT pbc join"
  wait "$fpid" || fail "$leg: the client never reached '$step' ($nth): $(cat "$HW/freeze.out")"
  log "$leg: client $(tail -n 1 "$HW/freeze.out")"
  t=$(now)
  # Frozen, the client says nothing more, not even the deauthentication its kernel would
  # send if it were killed now: a peer gone out of range. directd must give up by itself.
  log "$leg: the client is frozen; stations on $goif: $(stations)"
  n=0
  until [ "$(stations)" = 0 ]; do
    [ $n -ge 60 ] && { on 0 iw dev "$goif" station dump; fail "$leg: the frozen client's station is still on $goif after 60 s"; }
    sleep 1; n=$((n + 1))
  done
  figure "station_removed_seconds_$leg" "$(since "$t")"
  log "$leg: directd after the vanishing: $(events 0 | tail -n +"$((m0 + 1))" | cut -f2- | grep -v "^P2P-DEVICE-\|^P2P-PROV-DISC" | sort -u | tr '\n' ';')"
  kill -KILL "$(daemon_pid 1)"
  rm -f /run/wpas-r1/*  # its sockets: the next wpa_supplicant's recorder must not find them
  [ "$(cli 0 ping)" = PONG ] || fail "$leg: PING"
  cli_if 0 "$goif" status | grep -q "^num_sta=0" || fail "$leg: STATUS of $goif: $(cli_if 0 "$goif" status | tr '\n' ' ')"
  # What the killed wpa_supplicant left on its radio (group interface, P2P device) goes,
  # so the next client starts from a clean radio.
  for i in $(on 1 iw dev | awk '$1 == "Interface" && $2 ~ /^p2p-/ {print $2}'); do on 1 iw dev "$i" del; done
  for w in $(on 1 iw dev | awk '$1 == "wdev" {w = $2} $1 == "type" && $2 == "P2P-device" {print w}'); do on 1 iw wdev "$w" del; done
}

# join_ok LEG: a fresh client joins by PBC and pings the GO.
join_ok() {
  local leg=$1 st m1
  start_wpas 1 || fail "$leg: wpa_supplicant did not start"
  m1=$(event_mark 1)
  [ "$(cli_if 0 "$goif" wps_pbc)" = OK ] || fail "$leg: WPS_PBC"
  find_go 1 "$go" 40 type=social || fail "$leg: the client did not find the GO"
  [ "$(cli 1 p2p_connect "$go" pbc join)" = OK ] || fail "$leg: P2P_CONNECT pbc join"
  st=$(wait_event_since 1 "$m1" "^P2P-GROUP-STARTED " 60) || fail "$leg: no P2P-GROUP-STARTED on the new client"
  client_take_ip 1 "$st" >/dev/null || fail "$leg: no address allocated"
  on 1 busybox ping -c 2 -W 5 192.168.49.1 >/dev/null || fail "$leg: ping client -> GO"
  [ "$(cli 1 p2p_group_remove "$(echo "$st" | awk '{print $2}')")" = OK ] || fail "$leg: client P2P_GROUP_REMOVE"
  stop_daemon 1 || fail "$leg: wpa_supplicant did not stop"
  log "$leg: a new client joined and left"
}

# directd's M1 line: the registrar has M1 and sends M2; the client is stopped before M3.
vanish wps "$ART/directd-0.log" "WPS enrollee [(]M1[)]" 1
tail -n +"$((vmark + 1))" "$ART/events-0.log" | grep -q "WPS-REG-SUCCESS" && fail "wps: the registration ended before the client was stopped"
tail -n +"$((vmark + 1))" "$ART/events-0.log" | grep -q "${T}WPS-FAIL " || fail "wps: directd reported no WPS-FAIL for the abandoned exchange"
join_ok after-wps
vanish four-way "$ART/events-1.log" "${T}Associated with" 1 "${T}WPS-SUCCESS"
tail -n +"$((vmark + 1))" "$ART/events-0.log" | grep -q "${T}AP-STA-CONNECTED" && fail "four-way: AP-STA-CONNECTED for a client that never finished the handshake"
join_ok after-four-way
grep -q "panicked" "$ART/directd-0.log" && fail "directd panicked"
log "peer vanishing mid-WPS and mid-4-way: directd GO recovered"
