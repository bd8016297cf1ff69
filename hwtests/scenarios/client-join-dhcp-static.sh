# Addressing when the GO allocates nothing in the handshake: directd runs a DHCP client
# (here against busybox udhcpd on the GO side); with --address it uses that address
# instead of asking anyone.
# radios: 2
# timeout: 300

start_wpas 0
start_directd 1 || fail "directd did not start"
go=$(dev_addr 0)
[ "$(cli 0 p2p_group_add freq=2437)" = OK ] || fail "p2p_group_add"
goif=$(wait_event 0 "^P2P-GROUP-STARTED .* GO " 30 | awk '{print $2}')
[ -n "$goif" ] || fail "no GO group"
on 0 ip addr add 192.168.49.1/24 dev "$goif" || fail "GO address"
touch "$HW/udhcpd.leases"
printf 'start 192.168.49.150\nend 192.168.49.160\ninterface %s\nlease_file %s\noption subnet 255.255.255.0\noption router 192.168.49.1\n' \
  "$goif" "$HW/udhcpd.leases" > "$HW/udhcpd.conf"
on 0 busybox udhcpd -f "$HW/udhcpd.conf" > "$ART/udhcpd.log" 2>&1 &
log "wpa_supplicant GO on $goif without IP allocation; busybox udhcpd serves 192.168.49.150-160"

join() { # join EXPECTED_IP_REGEX
  cli 1 p2p_find > /dev/null
  # Ask this directd (the event log spans restarts): P2P_PEER answers once it knows the GO.
  n=0
  until cli 1 p2p_peer "$go" | grep -q "^$go"; do
    [ $n -ge 400 ] && fail "directd did not find the GO"
    sleep 0.1; n=$((n + 1))
  done
  [ "$(cli_if 0 "$goif" wps_pbc)" = OK ] || fail "wps_pbc"
  [ "$(cli 1 p2p_connect "$go" pbc join)" = OK ] || fail "P2P_CONNECT join"
  started=$(wait_event 1 "^P2P-GROUP-STARTED " 60) || fail "no P2P-GROUP-STARTED"
  log "directd: $started"
  echo "$started" | grep -q "ip_addr=" && fail "the GO allocated nothing, yet P2P-GROUP-STARTED has ip_addr="
  clif=$(echo "$started" | awk '{print $2}')
  n=0; ip=""
  while [ $n -lt 200 ] && ! echo "$ip" | grep -Eq "$1"; do sleep 0.1; n=$((n + 1)); ip=$(group_ip 1 "$clif"); done
  echo "$ip" | grep -Eq "$1" || fail "address on $clif is '$ip', expected $1"
  log "address on $clif: $ip"
  on 1 busybox ping -c 2 -W 5 192.168.49.1 || fail "ping client -> GO"
  on 0 busybox ping -c 2 -W 5 "$ip" || fail "ping GO -> client"
}

join '^192\.168\.49\.1(5[0-9]|60)$'
grep -q "DHCP lease" "$ART/directd-1.log" || fail "directd did not log a DHCP lease"
[ "$(cli 1 p2p_group_remove "$clif")" = OK ] || fail "P2P_GROUP_REMOVE"
wait_event 1 "^P2P-GROUP-REMOVED $clif" 10 >/dev/null || fail "no P2P-GROUP-REMOVED"

log "restarting directd with --address 192.168.49.77/24"
stop_daemon 1 || fail "directd did not stop"
start_directd 1 --address 192.168.49.77/24 || fail "directd did not restart"
join '^192\.168\.49\.77$'
log "DHCP and static addressing ok"
