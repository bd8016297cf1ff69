# The ConnectCore `p2plink` ifupdown hook (meta-digi, if-up.d), unmodified, against
# directd (issue #14): a device that swaps wpa_supplicant for
# `directd run --ctrl-dir /var/run/wpa_supplicant --p2p-name p2p0` keeps its hook. Each end
# runs the hook's steps as the hook runs them (the scenario's own shell below, the same
# wpa_cli calls in the same order with the same polling): `wpa_cli -ip2p0 p2p_find`,
# `p2p_peers discovered` once a second until the peer's address is listed,
# `p2p_stop_find`, `p2p_connect <peer> pbc [freq=] auto`, then once a second `wpa_cli
# status` and `wpa_cli all_sta` WITHOUT -i (wpa_cli picks the first entry of
# /var/run/wpa_supplicant that is not p2p-dev-*) until `wpa_state=COMPLETED` with
# `mode=P2P GO` and a `p2p_device_addr=<peer>` station, or `mode=station`; then ifconfig
# of p2p-p2p0-<N> with the stanza's address. Each end has its own mount namespace with
# its own /var/run/wpa_supplicant (a bind of /run/p2plink-r<R>) and its own netns.
# Leg a: directd at both ends. Leg b: directd on r0, wpa_supplicant on r1 (its interface
# renamed p2p0, so its sockets are p2p0, p2p-dev-p2p0, p2p-p2p0-<N>, as on the device;
# p2p_go_intent=0 in its config, so that directd is the GO with a wpa_supplicant client).
# Both ends end with the link up, their address on p2p-p2p0-<N>, ping both ways.
# Figures: seconds from the hooks' start to the ping, per leg.
# In the suite since a find's scan is aborted when a negotiation starts: before, it passed
# 5 of 11 runs (a status-1 Response delayed 1.4 s by the peer's radio still scanning was
# taken for the answer to a later retry of our Request, and both ends ended as responders);
# after, 7 of 7 runs with two guests at once. If that failure comes back: the Requests of
# one exchange share a dialog token, so a late Response matches a later retry.
# radios: 2
# timeout: 200

ip0=10.7.0.1; ip1=10.7.0.2
steps="$HW/p2plink-steps.sh"
# The hook's steps for MODE=start, written for this scenario (ifupdown's environment:
# IFACE, MODE, IF_P2P_*). Logs to stderr instead of syslog.
cat > "$steps" <<'EOF'
[ "$IFACE" = p2p0 ] || exit 0
[ -n "$IF_P2P_PEER_MAC" ] || { echo "p2plink: no peer address" >&2; exit 0; }
[ "$MODE" = start ] || exit 0
peer=$(echo "$IF_P2P_PEER_MAC" | tr 'A-F' 'a-f')
wpa_cli -i"$IFACE" p2p_find && sleep 1
found=
for _ in $(seq "${IF_P2P_DISCOVER_WINDOW:-120}"); do
  if wpa_cli -i"$IFACE" p2p_peers discovered | grep -i -qs "$peer"; then found=1; break; fi
  sleep 1
done
wpa_cli -i"$IFACE" p2p_stop_find
[ -n "$found" ] || { echo "p2plink: peer $peer not found" >&2; exit 1; }
echo "p2plink: peer found, connecting" >&2
wpa_cli -i"$IFACE" p2p_connect "$peer" pbc ${IF_P2P_NETWORK_ID:+persistent=$IF_P2P_NETWORK_ID} \
  ${IF_P2P_FREQ:+freq=$IF_P2P_FREQ} auto
linked=
for _ in $(seq 20); do
  if wpa_cli status 2>&1 | grep -qs '^wpa_state=COMPLETED$'; then
    if wpa_cli status 2>&1 | grep -qs '^mode=P2P GO$'; then
      wpa_cli all_sta 2>&1 | grep -i -qs "^p2p_device_addr=$peer$" && linked=1
    elif wpa_cli status 2>&1 | grep -qs '^mode=station$'; then
      linked=1
    fi
  fi
  if [ -n "$linked" ]; then
    if [ -n "$IF_P2P_LOCAL_ADDRESS" ]; then
      for dev in /sys/class/net/p2p-"$IFACE"-*; do
        [ -e "$dev" ] || continue
        ifconfig "${dev##*/}" "$IF_P2P_LOCAL_ADDRESS" ${IF_P2P_LOCAL_NETMASK:+netmask $IF_P2P_LOCAL_NETMASK} up
        break
      done
    fi
    break
  fi
  sleep 1
done
[ -n "$linked" ]
EOF

# end_run R CMD...: CMD in R's netns and in a mount namespace of its own where
# /var/run/wpa_supplicant (/run/wpa_supplicant) is R's directory /run/p2plink-rR. The
# pid of CMD (the shell that execs it) goes to $HW/endpid-R.
mkdir -p /run/wpa_supplicant
end_run() {
  local _er=$1; shift
  mkdir -p "/run/p2plink-r$_er"
  ip netns exec "r$_er" unshare -m sh -c 'echo $$ > "$1"; mount --bind "$0" /run/wpa_supplicant && shift && exec "$@"' \
    "/run/p2plink-r$_er" "$HW/endpid-$_er" "$@"
}

# end_pid R: the pid end_run wrote for R's daemon (waits for it up to 5 s).
end_pid() {
  local _n=0
  until [ -s "$HW/endpid-$1" ]; do [ $_n -ge 50 ] && return 1; sleep 0.1; _n=$((_n + 1)); done
  cat "$HW/endpid-$1"
}

# end_directd R: `directd run --ifname wlanR --ctrl-dir /var/run/wpa_supplicant --p2p-name p2p0`.
end_directd() {
  rm -f "$HW/endpid-$1"
  echo directd > "$HW/kind-$1"; echo "/run/p2plink-r$1" > "$HW/dir-$1"; echo p2p0 > "$HW/if-$1"
  RUST_LOG=${RUST_LOG:-debug} end_run "$1" "$DIRECTD" run --ifname "wlan$1" --ctrl-dir /var/run/wpa_supplicant \
    --p2p-name p2p0 >> "$ART/directd-$1.log" 2>&1 &
  end_pid "$1" > "$HW/pid-$1" || return 1
  hw_record "$1" "/run/p2plink-r$1"
  hw_wait_ping "$1" && hw_wait_recorder "$1"
}

# end_wpas R: wpa_supplicant on R's radio renamed p2p0, configured as the ConnectCore's
# wpa_supplicant_p2p.conf (ctrl_interface=/var/run/wpa_supplicant, its config methods),
# plus p2p_go_intent=0: the hook gives no go_intent, so this makes directd the GO and its
# station list answer the hook's all_sta for a wpa_supplicant client (leg a has a directd
# GO and a directd client; wpa_supplicant as GO with a directd client passed the same steps
# while the intents were equal).
end_wpas() {
  rm -f "$HW/endpid-$1"
  on "$1" ip link set "wlan$1" down && on "$1" ip link set "wlan$1" name p2p0 || return 1
  printf '%s\n' "ctrl_interface=/var/run/wpa_supplicant" "device_name=wpas-$1" "device_type=1-0050F204-1" \
    "config_methods=display keypad push_button" "persistent_reconnect=1" "p2p_go_intent=0" "country=US" \
    > "$HW/wpas-$1.conf"
  echo wpas > "$HW/kind-$1"; echo "/run/p2plink-r$1" > "$HW/dir-$1"; echo p2p0 > "$HW/if-$1"
  end_run "$1" wpa_supplicant -Dnl80211 -i p2p0 -c "$HW/wpas-$1.conf" -ddK -t > "$ART/wpas-$1.log" 2>&1 &
  end_pid "$1" > "$HW/pid-$1" || return 1
  hw_record "$1" "/run/p2plink-r$1"
  hw_wait_ping "$1" && hw_wait_recorder "$1"
}

# hook R PEER_R LOCAL: the hook's steps on R as ifup runs them (MODE=start; the stanza's
# p2p-freq when $freq is set), in the background; its output goes to
# $ART/hook-<leg>-R.log, its pid to $HW/hookpid-R.
hook() {
  end_run "$1" env IFACE=p2p0 LOGICAL=p2p0 ADDRFAM=inet METHOD=manual PHASE=post-up MODE=start \
    IF_P2P_PEER_MAC="$(hw_p2p_addr "$2" | tr 'a-f' 'A-F')" IF_P2P_DISCOVER_WINDOW=40 \
    IF_P2P_LOCAL_ADDRESS="$3" IF_P2P_LOCAL_NETMASK=255.255.255.0 ${freq:+IF_P2P_FREQ=$freq} sh "$steps" \
    > "$ART/hook-$leg-$1.log" 2>&1 &
  echo $! > "$HW/hookpid-$1"
}

# leg NAME: both hooks at once; both succeed, the addresses are on p2p-p2p0-<N>, ping
# both ways; what wpa_cli without -i picked on each end goes to the log.
leg() {
  local _lt _lr _lif _lok
  leg=$1; _lt=$(now)
  hook 0 1 "$ip0"; hook 1 0 "$ip1"
  _lok=1
  for _lr in 0 1; do
    wait "$(cat "$HW/hookpid-$_lr")" || { log "leg $leg: the hook on r$_lr failed: $(tail -5 "$ART/hook-$leg-$_lr.log")"; _lok=; }
  done
  [ -n "$_lok" ] || fail "leg $leg: a hook failed"
  for _lr in 0 1; do
    log "leg $leg r$_lr: $(ls -f "/run/p2plink-r$_lr" | grep -v '^\.' | tr '\n' ' ')|" \
      "$(end_run "$_lr" wpa_cli status | grep -E "^Selected|^mode=|^wpa_state=" | tr '\n' ' ')"
  done
  _lif=$(on 0 ip -o link show | awk -F': ' '{print $2}' | grep '^p2p-p2p0-' | head -n1)
  [ "$(group_ip 0 "$_lif")" = "$ip0" ] || fail "leg $leg: r0's $_lif has '$(group_ip 0 "$_lif")', not $ip0"
  _lif=$(on 1 ip -o link show | awk -F': ' '{print $2}' | grep '^p2p-p2p0-' | head -n1)
  [ "$(group_ip 1 "$_lif")" = "$ip1" ] || fail "leg $leg: r1's $_lif has '$(group_ip 1 "$_lif")', not $ip1"
  ping_fast 0 "$ip1" || fail "leg $leg: ping r0 -> r1"
  ping_fast 1 "$ip0" || fail "leg $leg: ping r1 -> r0"
  figure "auto_p2plink_${leg}_seconds" "$(since "$_lt")"
}

# Leg a: directd at both ends, the stanza with p2p-freq (`p2p_connect ... freq=2437 auto`).
end_directd 0 || fail "directd r0 did not start"
end_directd 1 || fail "directd r1 did not start"
freq=2437; leg directd_pair; freq=
grep -q "P2P-GROUP-STARTED .* freq=2437 " "$ART/events-0.log" || fail "leg directd_pair: the group is not on p2p-freq 2437"

# Leg b: directd on r0 (started anew), wpa_supplicant on r1; directd is the GO.
stop_daemon 0 || fail "directd r0 did not stop"
stop_daemon 1 || fail "directd r1 did not stop"
rm -f /run/p2plink-r0/* /run/p2plink-r1/*
mark=$(event_mark 0)
# Each radio's kernel still lists leg a's group for 30 s: `p2p_connect ... auto` would
# take the other end for a GO from that entry and try to join a group that is gone
# (wpa_supplicant: "Peer was found running GO in older scan"; directd's discovery reports
# the old GO from the scan results too). A scan with the flush flag drops it (a device
# running the hook again within 30 s of a link's end would see the same).
for r in 0 1; do
  on $r ip link set wlan$r up && on $r iw dev wlan$r scan flush freq 2412 > /dev/null \
    && on $r ip link set wlan$r down || fail "flushing r$r's scan results"
done
end_directd 0 || fail "directd r0 did not start again"
end_wpas 1 || fail "wpa_supplicant r1 did not start"
leg directd_wpas
events 0 | tail -n "+$((mark + 1))" | grep -q "P2P-GROUP-STARTED p2p-p2p0-[0-9]* GO " \
  || fail "leg directd_wpas: directd was not the GO"
