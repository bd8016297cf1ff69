# Bad input gets clear errors and never takes the daemon down: a missing interface, a bad
# config file, a second daemon on the same device, unknown and malformed commands, an
# oversized request, bad GO requests (channel, second group, PINs) and bad invitations
# (hostap's test_p2p_invite_invalid).
# radios: 1
# timeout: 200

expect_start_error() { # expect_start_error WHAT PATTERN ARGS...
  what=$1; pat=$2; shift 2
  out=$(on 0 "$DIRECTD" run "$@" 2>&1); rc=$?
  log "$what -> exit $rc: $(echo "$out" | tail -n 1)"
  [ $rc -ne 0 ] || fail "$what: exit status 0"
  echo "$out" | grep -Eq "$pat" || fail "$what: message does not match '$pat': $out"
  echo "$out" | grep -q "panicked" && fail "$what: panic"
  return 0
}

expect_start_error "missing interface" "wlan9" --ifname wlan9 --ctrl-dir /run/x
expect_start_error "missing phy" "phy7" --phy phy7 --ctrl-dir /run/x
expect_start_error "invalid interface name" "interface name" --ifname "a/b" --ctrl-dir /run/x
printf 'ifname=wlan0\ncolour=blue\n' > /tmp/bad.conf
expect_start_error "bad config file" "bad.conf:2" --config /tmp/bad.conf
expect_start_error "bad GO address" "GO address" --ifname wlan0 --ctrl-dir /run/x --go-address 192.168.49.1/31
expect_start_error "bad passphrase length" "passphrase length" --ifname wlan0 --ctrl-dir /run/x --passphrase-len 5
[ "$(on 0 iw dev | grep -c 'type P2P-device')" = 0 ] || fail "a failed start left a P2P-device"

start_directd 0 || fail "directd did not start"
expect_start_error "second daemon on the same device" "already|another|busy" --ifname wlan0 --ctrl-dir /run/directd-r0
[ "$(cli 0 ping)" = PONG ] || fail "first daemon hurt by the second start"

r=$(cli 0 raw FROBNICATE now); [ "$r" = "UNKNOWN COMMAND" ] || fail "unknown command got '$r'"
r=$(cli 0 p2p_connect not-a-mac pbc); case "$r" in FAIL*) ;; *) fail "malformed P2P_CONNECT got '$r'" ;; esac
r=$(cli 0 level abc); case "$r" in FAIL*) ;; *) fail "LEVEL abc got '$r'" ;; esac
big=$(/usr/bin/python3 - <<'PY'
import socket
s = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
s.bind("/tmp/big-request")
s.connect("/run/directd-r0/p2p-dev-wlan0")
s.send(b"P2P_FIND " + b"9" * 9000)
s.settimeout(5)
print(s.recv(4096).decode().strip())
PY
)
log "oversized request -> '$big'"
case "$big" in FAIL*) ;; *) fail "oversized request got '$big'" ;; esac
# The GO side: a channel the radio does not have, a second group, bad PINs, a passphrase
# without a group.
r=$(cli 0 p2p_get_passphrase); case "$r" in FAIL*) ;; *) fail "P2P_GET_PASSPHRASE without a group got '$r'" ;; esac
r=$(cli 0 p2p_group_add freq=2000); [ "$r" = FAIL-CHANNEL-UNSUPPORTED ] || fail "P2P_GROUP_ADD freq=2000 got '$r'"
[ "$(cli 0 p2p_group_add freq=2437)" = OK ] || fail "P2P_GROUP_ADD"
goif=$(wait_event 0 "^P2P-GROUP-STARTED .* GO " 20 | awk '{print $2}') || fail "no group"
r=$(cli 0 p2p_group_add); case "$r" in FAIL*) ;; *) fail "a second P2P_GROUP_ADD got '$r'" ;; esac
for bad in 12345678 1234567 abcdefgh; do
  r=$(cli_if 0 "$goif" wps_pin any "$bad"); case "$r" in FAIL*) ;; *) fail "WPS_PIN any $bad got '$r'" ;; esac
done
# P2P_INVITE: hostap's test_p2p_invite_invalid list, an unknown peer into our group, a
# stored id that does not exist, freq=0.
for args in "foo=bar" "persistent=123 peer=foo" "persistent=123" "group=foo" "group=foo peer=foo" \
    "group=foo peer=00:11:22:33:44:55 go_dev_addr=foo" "group=$goif peer=02:00:00:00:0a:00" "persistent=0 freq=0"; do
  # shellcheck disable=SC2086
  r=$(cli 0 p2p_invite $args); case "$r" in FAIL*) ;; *) fail "P2P_INVITE $args got '$r'" ;; esac
done
r=$(cli 0 p2p_group_remove p2p-nonexistent-0); case "$r" in FAIL*) ;; *) fail "P2P_GROUP_REMOVE of no group got '$r'" ;; esac
[ "$(cli 0 p2p_group_remove "$goif")" = OK ] || fail "P2P_GROUP_REMOVE"
log "GO bad input handled"

# Discovery: an unknown peer, a bad method or timeout, a channel the radio lacks, a listen
# channel that is not social; P2P_LISTEN twice is fine.
r=$(cli 0 p2p_prov_disc 02:00:00:00:0a:00 pbc); [ "$r" = FAIL ] || fail "P2P_PROV_DISC to an unknown peer got '$r'"
r=$(cli 0 p2p_prov_disc 02:00:00:00:0a:00 frobnicate); case "$r" in FAIL*) ;; *) fail "P2P_PROV_DISC bad method got '$r'" ;; esac
r=$(cli 0 p2p_find soon); case "$r" in FAIL*) ;; *) fail "P2P_FIND soon got '$r'" ;; esac
r=$(cli 0 p2p_find freq=2000); case "$r" in FAIL*) ;; *) fail "P2P_FIND freq=2000 got '$r'" ;; esac
r=$(cli 0 p2p_find type=loud); case "$r" in FAIL*) ;; *) fail "P2P_FIND type=loud got '$r'" ;; esac
r=$(cli 0 p2p_listen later); case "$r" in FAIL*) ;; *) fail "P2P_LISTEN later got '$r'" ;; esac
r=$(cli 0 p2p_set listen_channel 3); case "$r" in FAIL*) ;; *) fail "P2P_SET listen_channel 3 got '$r'" ;; esac
[ "$(cli 0 p2p_listen 5)" = OK ] || fail "P2P_LISTEN 5"
[ "$(cli 0 p2p_listen 5)" = OK ] || fail "P2P_LISTEN 5 a second time"
[ "$(cli 0 status | sed -n 's/^p2p_state=//p')" = LISTEN_ONLY ] || fail "p2p_state after P2P_LISTEN twice"
[ "$(cli 0 p2p_stop_find)" = OK ] || fail "P2P_STOP_FIND after a listen"
log "discovery bad input handled"

[ "$(cli 0 ping)" = PONG ] || fail "daemon not serving after bad input"
kill -0 "$(daemon_pid 0)" || fail "daemon died"
log "bad input handled"
