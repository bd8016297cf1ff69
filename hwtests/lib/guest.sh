# Guest side of the harness, run in a chroot of the host root by the initramfs /init.
# Puts radio i in network namespace r<i>, starts the air capture, runs the scenario
# with the helpers, stops every daemon, and leaves result, dmesg and logs in $ART.
HW=/tmp/hw
mkdir -p "$HW"
: > "$ART/figures"
cd /tmp || exit 1
ip link set lo up
i=0
while [ "$i" -lt "$RADIOS" ]; do
  ip netns add "r$i"
  iw phy "phy$i" set netns name "r$i" || echo "guest: moving phy$i into r$i failed"
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
( . "$REPO/hwtests/lib/helpers.sh"; . "$ART/scenario.sh" ) > "$ART/scenario.log" 2>&1
rc=$?
echo "$rc" > "$ART/result.tmp"
# Stop daemons (SIGTERM first so they clean up and flush logs), then the recorders.
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
dmesg > "$ART/dmesg.txt"
mv "$ART/result.tmp" "$ART/result"
sync
