# The ifupdown hook of the automatic mode (contrib/ifupdown/directd-p2p), run as ifup and
# ifdown run it: ifupdown's environment (IFACE, MODE, IF_P2P_PEER_MAC,
# IF_P2P_DISCOVER_WINDOW, IF_P2P_FREQ, IF_P2P_LOCAL_ADDRESS, IF_P2P_LOCAL_NETMASK) on r0;
# a directd peer on r1 started the ordinary way. The link comes up with the stanza's
# address (netmask given apart) and frequency, ping both ways; MODE=stop stops directd and
# nothing is left (no P2P device); a malformed MAC fails the ifup with directd's message.
# radios: 2
# timeout: 240

ip0=10.7.0.1; ip1=10.7.0.2
hook="$REPO/contrib/ifupdown/directd-p2p"
ifup_env() {
  on 0 env IFACE=wlan0 LOGICAL=wlan0 ADDRFAM=inet METHOD=manual PHASE="$1" MODE="$2" \
    IF_P2P_PEER_MAC="$3" IF_P2P_DISCOVER_WINDOW=60 IF_P2P_FREQ=2437 \
    IF_P2P_LOCAL_ADDRESS="$ip0" IF_P2P_LOCAL_NETMASK=255.255.255.0 \
    IF_P2P_CTRL_DIR=/run/directd-r0 DIRECTD="$DIRECTD" DIRECTD_RUN_DIR="$ART" RUST_LOG=info sh "$hook"
}
echo directd > "$HW/kind-0"; echo /run/directd-r0 > "$HW/dir-0"; echo p2p-dev-wlan0 > "$HW/if-0"
ifup_env post-up start "$(hw_p2p_addr 1)" || fail "the hook (start) failed: $(tail -3 "$ART/directd-wlan0.log")"
cp "$ART/directd-wlan0.pid" "$HW/pid-0"
hw_record 0 /run/directd-r0
hw_wait_ping 0 && hw_wait_recorder 0 || fail "directd from the hook does not answer"
start_directd_auto 1 0 "$ip1/24" --freq 2437 || fail "r1 did not start"
auto_linked 1 0 120 >/dev/null || fail "r1: no link"
sleep 1
grep -q "P2P-AUTO-CONNECTED" "$ART/directd-wlan0.log" || fail "r0 (hook): no link"
if0=$(on 0 ip -o link show | awk -F': ' '{print $2}' | grep '^p2p-wlan0-' | head -n1)
[ "$(group_ip 0 "$if0")" = "$ip0" ] || fail "r0's $if0 has $(group_ip 0 "$if0"), not $ip0"
ping_fast 0 "$ip1" || fail "ping r0 -> r1"
ping_fast 1 "$ip0" || fail "ping r1 -> r0"
grep -q "freq=2437" "$ART/directd-wlan0.log" || fail "not on the stanza's frequency"

ifup_env pre-down stop "$(hw_p2p_addr 1)" || fail "the hook (stop) failed"
if kill -0 "$(cat "$HW/pid-0")" 2>/dev/null; then fail "directd still runs after MODE=stop"; fi
if [ -f "$ART/directd-wlan0.pid" ]; then fail "pid file left"; fi
if on 0 iw dev | grep -q "type P2P-device"; then fail "P2P device left after MODE=stop"; fi

out=$(ifup_env post-up start zz:00:00:00:01:00 2>&1) && fail "a malformed MAC was accepted"
log "malformed MAC: $out"
echo "$out" | grep -q "invalid peer MAC" || fail "no clear message: $out"
