# The ConnectCore `p2plink` ifupdown hook (meta-digi, if-up.d), unmodified, against
# directd (issue #14): a device that swaps wpa_supplicant for
# `directd run --ctrl-dir /var/run/wpa_supplicant --p2p-name p2p0` keeps its hook. Each end
# runs the hook's steps as the hook runs them (hwtests/lib/p2plink.sh, the same
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
# Figures: seconds from the hooks' start to the ping, per leg. The newer hook's line
# (p2p-network-id: `persistent=<id>`) is auto-p2plink-persistent.
# In the suite since a find's scan is aborted when a negotiation starts: before, it passed
# 5 of 11 runs (a status-1 Response delayed 1.4 s by the peer's radio still scanning was
# taken for the answer to a later retry of our Request, and both ends ended as responders);
# after, 7 of 7 runs with two guests at once. If that failure comes back: the Requests of
# one exchange share a dialog token, so a late Response matches a later retry.
# radios: 2
# timeout: 200

. "$REPO/hwtests/lib/p2plink.sh"

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
