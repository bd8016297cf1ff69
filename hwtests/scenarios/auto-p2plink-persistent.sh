# The newer ConnectCore `p2plink` hook (meta-digi; stanza option p2p-network-id) against
# directd (issues #13, #14): the hook's steps as in auto-p2plink (hwtests/lib/p2plink.sh),
# with its connect line `p2p_connect <peer> pbc persistent=0 auto`. directd on r0 has a
# stored GO group as network 0 (its state file), wpa_supplicant on r1 one of its own (the
# id must name a GO group: wpa_supplicant 2.10 refuses another); wpa_supplicant has
# p2p_go_intent=0, so directd is the GO: its group is its stored one (same SSID and
# passphrase, [PERSISTENT]), wpa_supplicant joins it by WPS; the stanza's addresses, ping
# both ways. Figure: seconds from the hooks' start to the ping.
# radios: 2
# timeout: 150

. "$REPO/hwtests/lib/p2plink.sh"

mkdir -p /run/p2plink-state-r0 && chmod 700 /run/p2plink-state-r0
stored_ssid=DIRECT-p2-stored; stored_pass=p2plink-stored-pass
printf 'network={\n\tssid="%s"\n\tbssid=%s\n\tpsk="%s"\n\tproto=RSN\n\tkey_mgmt=WPA-PSK\n\tpairwise=CCMP\n\tmode=3\n\tdisabled=2\n}\n' \
  "$stored_ssid" "$(hw_p2p_addr 0)" "$stored_pass" > /run/p2plink-state-r0/persistent.conf
chmod 600 /run/p2plink-state-r0/persistent.conf
wpas_networks=$(printf 'network={\n\tssid="DIRECT-w1-stored"\n\tbssid=%s\n\tpsk="wpas-stored-pass"\n\tproto=RSN\n\tkey_mgmt=WPA-PSK\n\tpairwise=CCMP\n\tmode=3\n\tdisabled=2\n}\n_' "$(hw_p2p_addr 1)")
wpas_networks=${wpas_networks%_}
end_directd 0 --state-dir /run/p2plink-state-r0 || fail "directd r0 did not start with the stored group"
end_wpas 1 || fail "wpa_supplicant r1 did not start"
[ "$(end_run 0 wpa_cli -ip2p0 list_networks | awk -F'\t' '$1 == 0 {print $2}')" = "$stored_ssid" ] \
  || fail "directd did not load the stored group: $(end_run 0 wpa_cli -ip2p0 list_networks)"
mark=$(event_mark 0)
netid=0; leg newer_hook_persistent; netid=
events 0 | tail -n "+$((mark + 1))" | grep -q "P2P-GROUP-STARTED p2p-p2p0-[0-9]* GO ssid=\"$stored_ssid\" .*passphrase=\"$stored_pass\" .*\[PERSISTENT\]" \
  || fail "leg newer_hook_persistent: directd's GO is not the stored group: $(events 0 | tail -n "+$((mark + 1))" | grep GROUP-STARTED)"
log "directd ran its stored group $stored_ssid for p2p_connect ... persistent=0"
