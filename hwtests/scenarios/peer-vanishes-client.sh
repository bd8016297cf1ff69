# The wpa_supplicant GO vanishes (frozen with SIGSTOP at the step, silent as a peer gone
# out of range; killed only once directd has given up) while directd joins it:
# 1. during WPS: directd has received the registrar's M2 (and sends M3, unanswered);
# 2. during the 4-way handshake: directd has received message 1/4 and sent 2/4.
# Each time directd gives up by itself: the failure is reported (WPS-TIMEOUT during WPS, and
# P2P-GROUP-FORMATION-FAILURE), its group interface and the group's socket are gone, no
# address is left, it keeps serving (PING, P2P_FIND), and it joins a fresh wpa_supplicant
# GO on the same radio, ping.
# radios: 2
# timeout: 240

start_directd 0 || fail "directd did not start"
grp_left() { on 0 iw dev | grep -c "Interface p2p-wlan0-"; }

# vanish LEG REGEX: a fresh wpa_supplicant GO on radio 1 arms PBC, directd joins; the GO is
# frozen when directd's log has a line matching REGEX (freeze-at.py).
vanish() {
  local leg=$1 step=$2 goif go m0 fpid n=0 t
  goif=$(start_go 1 wpas 2437) || fail "$leg: wpa_supplicant GO did not start"
  go=$(dev_addr 1)
  [ "$(cli_if 1 "$goif" wps_pbc)" = OK ] || fail "$leg: WPS_PBC on the GO"
  m0=$(event_mark 0)
  /usr/bin/python3 "$HW_LIB/freeze-at.py" "$ART/directd-0.log" "$step" 1 "$(daemon_pid 1)" 60 > "$HW/freeze.out" 2>&1 &
  fpid=$!
  until grep -q watching "$HW/freeze.out"; do [ $n -ge 200 ] && fail "$leg: freeze-at.py did not start"; sleep 0.1; n=$((n + 1)); done
  [ "$(cli 0 p2p_connect "$go" pbc join)" = OK ] || fail "$leg: P2P_CONNECT pbc join"
  wait "$fpid" || fail "$leg: directd never reached '$step': $(cat "$HW/freeze.out")"
  t=$(now)
  log "$leg: GO frozen at: $(tail -n 1 "$HW/freeze.out" | sed 's/\x1b\[[0-9;]*m//g' | cut -c1-200)"
  fl=$(wait_event_since 0 "$m0" "^(WPS-FAIL|WPS-TIMEOUT|P2P-GROUP-FORMATION-FAILURE)" 60) || fail "$leg: directd reported no failure"
  figure "failure_seconds_$leg" "$(since "$t")"
  n=0
  until [ "$(grp_left)" = 0 ]; do
    [ $n -ge 100 ] && { on 0 iw dev; fail "$leg: directd's group interface is still there"; }
    sleep 0.1; n=$((n + 1))
  done
  log "$leg: directd: $(events 0 | tail -n +"$((m0 + 1))" | cut -f2- | grep -E "^(WPS-|P2P-GROUP|CTRL-EVENT-(CONNECTED|DISCONNECTED))" | tr '\n' ';')"
  events 0 | tail -n +"$((m0 + 1))" | cut -f2- | grep -q "^P2P-GROUP-STARTED" && fail "$leg: directd reported a group it never had"
  [ "$(ls /run/directd-r0)" = p2p-dev-wlan0 ] || fail "$leg: sockets left: $(ls /run/directd-r0 | tr '\n' ' ')"
  on 0 ip -4 -o addr | grep -q "192.168.49." && fail "$leg: an address of the group is left"
  [ "$(cli 0 ping)" = PONG ] || fail "$leg: PING"
  [ "$(cli 0 p2p_find)" = OK ] || fail "$leg: P2P_FIND"
  cli 0 p2p_stop_find >/dev/null
  # The frozen GO goes; what it left on its radio is deleted, its events kept aside (the
  # next GO's recorder starts a new file, so its P2P-GROUP-STARTED is the only one).
  kill -KILL "$(daemon_pid 1)"
  for i in $(on 1 iw dev | awk '$1 == "Interface" && $2 ~ /^p2p-/ {print $2}'); do on 1 iw dev "$i" del; done
  for w in $(on 1 iw dev | awk '$1 == "wdev" {w = $2} $1 == "type" && $2 == "P2P-device" {print w}'); do on 1 iw wdev "$w" del; done
  rm -f /run/wpas-r1/*
  kill "$(cat "$HW/recpid-1")" 2>/dev/null
  mv "$ART/events-1.log" "$ART/events-1.$leg.log"
}

# join_ok LEG: a fresh wpa_supplicant GO, directd joins by PBC and pings it, then leaves.
join_ok() {
  local leg=$1 goif go m0 st dif
  goif=$(start_go 1 wpas 2437) || fail "$leg: wpa_supplicant GO did not start"
  go=$(dev_addr 1)
  [ "$(cli_if 1 "$goif" wps_pbc)" = OK ] || fail "$leg: WPS_PBC on the GO"
  m0=$(event_mark 0)
  [ "$(cli 0 p2p_connect "$go" pbc join)" = OK ] || fail "$leg: P2P_CONNECT pbc join"
  st=$(wait_event_since 0 "$m0" "^P2P-GROUP-STARTED .* client " 60) || fail "$leg: directd: no P2P-GROUP-STARTED"
  dif=$(echo "$st" | awk '{print $2}')
  ping_fast 0 192.168.49.1 15 || fail "$leg: no ping directd -> GO"
  m0=$(event_mark 0)
  [ "$(cli 0 p2p_group_remove "$dif")" = OK ] || fail "$leg: P2P_GROUP_REMOVE"
  wait_event_since 0 "$m0" "^P2P-GROUP-REMOVED $dif " 15 >/dev/null || fail "$leg: no P2P-GROUP-REMOVED"
  stop_daemon 1 || fail "$leg: the wpa_supplicant GO did not stop"
  kill "$(cat "$HW/recpid-1")" 2>/dev/null
  mv "$ART/events-1.log" "$ART/events-1.$leg.log"
  log "$leg: directd joined a fresh GO and left"
}

# M2: the only EAPOL frame of 300 bytes or more from the registrar.
vanish wps "EAPOL from [0-9a-f:]+ [(][3-9][0-9][0-9] bytes[)]"
join_ok after-wps
vanish four-way "message 1/4 received, sending 2/4"
join_ok after-four-way
grep -q "panicked" "$ART/directd-0.log" && fail "directd panicked"
log "the GO vanishing mid-WPS and mid-4-way: directd client recovered"
