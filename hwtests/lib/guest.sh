# Guest side of the harness, run in a chroot of the host root by the initramfs /init.
# Runs a batch of scenarios one after the other in this one boot. For each: fresh radios
# (cfg80211, mac80211 and mac80211_hwsim reloaded, so radio i is again phy<i>/wlan<i> with
# address 02:00:00:00:0<i>:00 and a fresh regulatory state), radio i in network namespace
# r<i>, the air capture, the scenario with the helpers under its own time limit, then every
# process it started stopped, every namespace deleted and /tmp and /run emptied, so the
# next scenario starts as on a fresh boot. Leaves result, seconds, dmesg and logs in each
# scenario's $ART. The batch file has one line per scenario: NAME RADIOS TIMEOUT_S.
HW=/tmp/hw
MOD=/run/.hwmod
BB="$MOD/busybox"
cd /tmp || exit 1
ip link set lo up

# Loads the wireless modules with $1 radios; on every scenario but the first, unloads
# them first. Returns 1 if that fails (the rest of the batch then needs a fresh boot).
hw_radios() {
  if [ -n "${hw_loaded:-}" ]; then
    "$BB" rmmod mac80211_hwsim && "$BB" rmmod mac80211 && "$BB" rmmod cfg80211 || return 1
    "$BB" insmod "$MOD/cfg80211.ko" && "$BB" insmod "$MOD/mac80211.ko" || return 1
  fi
  "$BB" insmod "$MOD/mac80211_hwsim.ko" radios="$1" || return 1
  hw_loaded=1
}

# Stops everything the scenario started and empties /tmp and /run but the modules.
hw_teardown() {
  for f in "$HW"/pid-*; do [ -f "$f" ] && kill -TERM "$(cat "$f")" 2>/dev/null; done
  n=0
  while [ $n -lt 30 ]; do
    alive=0
    for f in "$HW"/pid-*; do [ -f "$f" ] && kill -0 "$(cat "$f")" 2>/dev/null && alive=1; done
    [ $alive = 0 ] && break
    sleep 0.1; n=$((n + 1))
  done
  for f in "$HW"/pid-* "$HW"/recpid-*; do [ -f "$f" ] && kill -KILL "$(cat "$f")" 2>/dev/null; done
  [ -f "$HW/tcpdump.pid" ] && { kill -INT "$(cat "$HW/tcpdump.pid")"; sleep 0.5; }
  for ns in $(ip netns list | awk '{print $1}'); do
    for p in $(ip netns pids "$ns" 2>/dev/null); do kill -KILL "$p" 2>/dev/null; done
    ip netns del "$ns" 2>/dev/null
  done
  sleep 0.2
  find /tmp -mindepth 1 -maxdepth 1 -exec rm -rf {} + 2>/dev/null
  find /run -mindepth 1 -maxdepth 1 ! -name .hwmod ! -name lock ! -name netns ! -name art -exec rm -rf {} + 2>/dev/null
}

exec < /dev/null
while read -r name radios to <&3; do
  [ -n "$name" ] || continue
  FINAL="$OUT/$name"
  [ -f "$FINAL/scenario.sh" ] || continue
  echo started > "$FINAL/state"
  # The scenario writes its artifacts (daemon logs, events, the air capture) to a tmpfs
  # and they are copied to the output directory at the end: every write to the 9p share
  # blocks the guest's vCPU until QEMU has done it, and wpa_supplicant at -ddK, the event
  # recorders, tcpdump and the polls of wait_event made that a steady load that delayed
  # the daemons' answers past their peers' timeouts.
  ART=/run/art/$name
  rm -rf /run/art && mkdir -p "$ART" && cp "$FINAL"/* "$ART"/ 2>/dev/null
  export ART REPO RADIOS="$radios"
  mkdir -p "$HW"
  : > "$ART/figures"
  if ! hw_radios "$radios"; then
    echo "guest: reloading the wireless modules failed; the rest of the batch needs a fresh boot" > "$FINAL/failure"
    rm -f "$FINAL/state"
    break
  fi
  i=0
  while [ "$i" -lt "$radios" ]; do
    ip netns add "r$i"
    iw phy "phy$i" set netns name "r$i" || echo "guest: moving phy$i into r$i failed" >> "$ART/scenario.log"
    ip netns exec "r$i" ip link set lo up
    i=$((i + 1))
  done
  ip link set hwsim0 up 2>/dev/null && {
    tcpdump -i hwsim0 -U -Z root -w "$ART/air.pcap" >"$HW/tcpdump.log" 2>&1 &
    echo $! > "$HW/tcpdump.pid"
  }
  iw reg set US
  sleep 0.3
  date +%s.%N > "$HW/t0"
  # The scenario and everything it starts run in timeout's process group: at the limit
  # all of it is killed and the next scenario still runs.
  timeout -k 5 "$to" /bin/sh -c '. "$REPO/hwtests/lib/helpers.sh"; . "$ART/scenario.sh"' \
    < /dev/null > "$ART/scenario.log" 2>&1
  rc=$?
  [ $rc = 124 ] && echo "guest: the scenario hit its time limit of ${to}s" >> "$ART/failure"
  echo "$(date +%s.%N) $(cat "$HW/t0")" | awk '{printf "%.1f\n", $1 - $2}' > "$ART/seconds"
  hw_teardown < /dev/null
  dmesg > "$ART/dmesg.txt"; "$BB" dmesg -c > /dev/null 2>&1
  cp -a "$ART"/. "$FINAL"/ || echo "guest: copying the artifacts from $ART failed" >> "$FINAL/failure"
  rm -rf /run/art
  echo "$rc" > "$FINAL/result"
  rm -f "$FINAL/state"
  sync
done 3< "$BATCH"
sync
