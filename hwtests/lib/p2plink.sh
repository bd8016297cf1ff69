# The ConnectCore `p2plink` hook's steps and their harness, shared by auto-p2plink and
# auto-p2plink-persistent (sourced by the scenario; auto-p2plink.sh's header says what the
# steps are). Sets ip0/ip1 and defines end_run, end_pid, end_directd, end_wpas, hook and
# leg; hook reads $freq (stanza p2p-freq) and $netid (p2p-network-id), end_wpas
# $wpas_networks (network blocks for wpa_supplicant's configuration).

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

# end_directd R [ARGS...]: `directd run --ifname wlanR --ctrl-dir /var/run/wpa_supplicant
# --p2p-name p2p0 [ARGS...]`.
end_directd() {
  local _dr=$1; shift
  rm -f "$HW/endpid-$_dr"
  echo directd > "$HW/kind-$_dr"; echo "/run/p2plink-r$_dr" > "$HW/dir-$_dr"; echo p2p0 > "$HW/if-$_dr"
  RUST_LOG=${RUST_LOG:-debug} end_run "$_dr" "$DIRECTD" run --ifname "wlan$_dr" --ctrl-dir /var/run/wpa_supplicant \
    --p2p-name p2p0 "$@" >> "$ART/directd-$_dr.log" 2>&1 &
  set -- "$_dr"
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
  if ! on "$1" ip link show p2p0 > /dev/null 2>&1; then
    on "$1" ip link set "wlan$1" down && on "$1" ip link set "wlan$1" name p2p0 || return 1
  fi
  printf '%s\n' "ctrl_interface=/var/run/wpa_supplicant" "device_name=wpas-$1" "device_type=1-0050F204-1" \
    "config_methods=display keypad push_button" "persistent_reconnect=1" "p2p_go_intent=0" "country=US" \
    > "$HW/wpas-$1.conf"
  [ -z "${wpas_networks:-}" ] || printf '%s' "$wpas_networks" >> "$HW/wpas-$1.conf"
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
    IF_P2P_LOCAL_ADDRESS="$3" IF_P2P_LOCAL_NETMASK=255.255.255.0 ${freq:+IF_P2P_FREQ=$freq} ${netid:+IF_P2P_NETWORK_ID=$netid} sh "$steps" \
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
