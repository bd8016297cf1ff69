# The nl80211 crate's client against the real kernel: connect (family and groups),
# split wiphy dump, interface dump, NEW_INTERFACE P2P-Device, START/STOP_P2P_DEVICE,
# DEL_INTERFACE by wdev id, config events, extended-ack errors, SOCKET_OWNER cleanup,
# and a P2P-Device listening (REGISTER_FRAME + REMAIN_ON_CHANNEL): the probe requests of
# r1's scan arrive as unsolicited unicast FRAME events; then a P2P scan (scan group).
# Runs nl80211/examples/nlinfo.rs (build it first: cargo build -p nl80211 --example nlinfo).
# radios: 2
# timeout: 180

NLINFO="$(dirname "$DIRECTD")/examples/nlinfo"
[ -x "$NLINFO" ] || fail "nlinfo not built: cargo build -p nl80211 --example nlinfo"

on 0 "$NLINFO" > "$ART/nlinfo.txt" 2>&1 || fail "nlinfo failed: $(tail -n 1 "$ART/nlinfo.txt")"
cat "$ART/nlinfo.txt"
grep -q '^family id=[0-9]* .*config:[0-9]*.*mlme:[0-9]*' "$ART/nlinfo.txt" || fail "no family/groups line"
grep -q '^wiphy index=0 name=phy0 ' "$ART/nlinfo.txt" || fail "phy0 not in the wiphy dump"
grep -q '^wiphy-p2p name=phy0 p2p_device=yes p2p_go=yes p2p_client=yes remain_on_channel=yes start_p2p_device=yes' \
  "$ART/nlinfo.txt" || fail "P2P capabilities of phy0 not read"
grep -q '^iface wdev=0x1 ifindex=[0-9]* name=wlan0 type=managed mac=02:00:00:00:00:00 wiphy=0' "$ART/nlinfo.txt" \
  || fail "wlan0 not in the interface dump"
# The same numbers as iw's own decoding of the kernel's dump.
ours=$(awk '/^band wiphy=phy0/ { for (i = 1; i <= NF; i++) if ($i ~ /^freqs=/) { sub("freqs=", "", $i); n += $i } } END { print n + 0 }' "$ART/nlinfo.txt")
theirs=$(on 0 iw phy phy0 info | grep -c ' MHz \[')
[ "$ours" = "$theirs" ] && [ "$ours" -gt 0 ] || fail "frequencies: nlinfo $ours, iw $theirs"
log "frequencies: $ours (iw agrees)"

on 0 "$NLINFO" p2p-cycle 0 p2p-dev-nl > "$ART/p2p-cycle.txt" 2>&1 || fail "p2p-cycle failed: $(tail -n 1 "$ART/p2p-cycle.txt")"
cat "$ART/p2p-cycle.txt"
wdev=$(sed -n 's/^created iface wdev=\(0x[0-9a-f]*\) ifindex=none name=none type=P2P-device .*/\1/p' "$ART/p2p-cycle.txt")
[ -n "$wdev" ] || fail "no P2P-Device created (or it had a netdev)"
grep -q "^listed-after-create wdev=$wdev found=yes" "$ART/p2p-cycle.txt" || fail "created wdev not in the dump"
grep -q "^started wdev=$wdev" "$ART/p2p-cycle.txt" || fail "not started"
grep -q "^stopped wdev=$wdev" "$ART/p2p-cycle.txt" || fail "not stopped"
grep -q "^deleted wdev=$wdev" "$ART/p2p-cycle.txt" || fail "not deleted"
grep -q "^listed-after-delete wdev=$wdev gone=yes" "$ART/p2p-cycle.txt" || fail "deleted wdev still listed"
grep -q "^event cmd=NewInterface group=config wdev=$wdev" "$ART/p2p-cycle.txt" || fail "no NEW_INTERFACE config event"
grep -q "^event cmd=DelInterface group=config wdev=$wdev" "$ART/p2p-cycle.txt" || fail "no DEL_INTERFACE config event"
on 0 iw dev | grep -q P2P-device && fail "a P2P-Device is left behind"

on 0 "$NLINFO" bad-ifname 0 > "$ART/bad-ifname.txt" 2>&1 || fail "bad-ifname run failed"
cat "$ART/bad-ifname.txt"
grep -q '^bad-ifname errno=22 ext_ack=Attribute_failed_policy_validation text=kernel error EINVAL (22)' "$ART/bad-ifname.txt" \
  || fail "no errno/ext-ack on a refused request"

on 0 "$NLINFO" owned 0 p2p-dev-own > "$ART/owned.txt" 2>&1 || fail "owned run failed"
cat "$ART/owned.txt"
grep -q '^owned iface wdev=0x[0-9a-f]* ifindex=none' "$ART/owned.txt" || fail "owned P2P-Device not created"
sleep 0.5
on 0 iw dev | grep -q P2P-device && fail "SOCKET_OWNER P2P-Device survived its socket"
on 0 "$NLINFO" p2p-listen 0 4000 > "$ART/p2p-listen.txt" 2>&1 &
lpid=$!
n=0; until grep -q '^roc started' "$ART/p2p-listen.txt" || [ $n -gt 100 ]; do sleep 0.1; n=$((n + 1)); done
on 1 ip link set wlan1 up
on 1 iw dev wlan1 scan freq 2412 > /dev/null 2>&1
on 1 iw dev wlan1 scan freq 2412 > /dev/null 2>&1
wait $lpid || fail "p2p-listen failed: $(tail -n 1 "$ART/p2p-listen.txt")"
cat "$ART/p2p-listen.txt"
cookie=$(sed -n 's/^roc-requested cookie=\(0x[0-9a-f]*\) .*/\1/p' "$ART/p2p-listen.txt")
grep -q "^roc started cookie=$cookie same_cookie=yes" "$ART/p2p-listen.txt" || fail "no ROC started event for $cookie"
grep -q "^roc ended cookie=$cookie same_cookie=yes" "$ART/p2p-listen.txt" || fail "no ROC ended event for $cookie"
grep -q '^rx-frame type=0x40 group=unicast freq=2412 from=02:00:00:00:01:00' "$ART/p2p-listen.txt" \
  || fail "r1's probe requests did not arrive as unsolicited FRAME events"
grep -q '^scan-event cmd=NewScanResults group=scan' "$ART/p2p-listen.txt" || fail "no NEW_SCAN_RESULTS on the scan group"
grep -q '^scan-results count=[0-9]*' "$ART/p2p-listen.txt" || fail "no scan dump"
log "nl80211 client: all checks passed"
