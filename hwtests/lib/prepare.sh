# Host side: check/install the packages, fetch and unpack Debian's kernel, build the
# initramfs, build directd. Sourced by hwtests/run and hwtests/demo (needs $ROOT).

HW_CACHE=${HWTESTS_CACHE:-$ROOT/target/hwtests-cache}
HW_PKGS="qemu-system-x86 cpio busybox-static iw wpasupplicant wireless-regdb tcpdump iproute2 python3"

hw_log() { printf 'hwtests: %s\n' "$*" >&2; }

# Installs what the harness needs if root, or says the one apt-get line that would.
hw_need_packages() {
  local missing="" p
  for p in $HW_PKGS; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing="$missing $p"
  done
  [ -z "$missing" ] && return 0
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    hw_log "installing:$missing"
    apt-get update -qq >/dev/null && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $missing >/dev/null \
      || { hw_log "apt-get install failed"; return 1; }
  else
    hw_log "missing packages; run: sudo apt-get install -y$missing"
    return 1
  fi
}

# Unpacks Debian's current kernel image (never installed on the host) into $HW_CACHE/kernel.
hw_kernel() {
  if ! ls "$HW_CACHE"/kernel/boot/vmlinuz-* >/dev/null 2>&1; then
    mkdir -p "$HW_CACHE"
    local pkg
    pkg=$(apt-cache depends linux-image-amd64 2>/dev/null | awk '/Depends: linux-image-/{print $2; exit}')
    if [ -z "$pkg" ]; then
      [ "$(id -u)" = 0 ] && apt-get update -qq >/dev/null
      pkg=$(apt-cache depends linux-image-amd64 2>/dev/null | awk '/Depends: linux-image-/{print $2; exit}')
    fi
    [ -n "$pkg" ] || { hw_log "cannot resolve linux-image-amd64 (apt-get update?)"; return 1; }
    hw_log "downloading guest kernel $pkg"
    (cd "$HW_CACHE" && rm -f ./*.deb && apt-get download "$pkg" >/dev/null 2>&1) || { hw_log "apt-get download $pkg failed"; return 1; }
    rm -rf "$HW_CACHE/kernel.tmp" && dpkg-deb -x "$HW_CACHE"/"$pkg"_*.deb "$HW_CACHE/kernel.tmp" \
      && mv "$HW_CACHE/kernel.tmp" "$HW_CACHE/kernel" && rm -f "$HW_CACHE"/*.deb
  fi
  HW_VMLINUZ=$(ls "$HW_CACHE"/kernel/boot/vmlinuz-* | head -n1)
  HW_KMOD=$(ls -d "$HW_CACHE"/kernel/lib/modules/* | head -n1)
}

# Prints the modules to load, dependencies first, resolved from each .ko's modinfo.
hw_resolve_modules() {
  local seen=" " out=""
  visit() {
    case "$seen" in *" $1 "*) return ;; esac
    seen="$seen$1 "
    local f deps d
    f=$(find "$HW_KMOD/kernel" -name "$1.ko" -o -name "$(echo "$1" | tr _ -).ko" | head -n1)
    [ -n "$f" ] || { hw_log "module $1 not found (built in?)"; return; }
    deps=$(tr '\0' '\n' < "$f" | sed -n 's/^depends=//p' | tr , ' ')
    for d in $deps; do visit "$d"; done
    out="$out $1:$f"
  }
  for m in "$@"; do visit "$m"; done
  echo "$out"
}

# Builds (and caches by content) the initramfs.
hw_initrd() {
  local mods="rfkill cfg80211 mac80211 ctr ccm gcm cmac ghash-generic 9p 9pnet_virtio virtio_pci nlmon veth"
  local key
  key=$( (cat "$ROOT/hwtests/lib/init"; echo "$mods"; basename "$HW_VMLINUZ") | sha256sum | cut -c1-16)
  HW_INITRD="$HW_CACHE/initrd-$key.gz"
  [ -f "$HW_INITRD" ] && return 0
  local d="$HW_CACHE/initrd.tmp" pair name file
  rm -rf "$d" && mkdir -p "$d/bin" "$d/modules" "$d/proc" "$d/sys" "$d/dev" "$d/lib/firmware"
  cp /bin/busybox "$d/bin/busybox"
  if ldd /bin/busybox >/dev/null 2>&1; then hw_log "/bin/busybox is not static (install busybox-static)"; return 1; fi
  cp "$ROOT/hwtests/lib/init" "$d/init" && chmod 755 "$d/init"
  : > "$d/modules/order"
  for pair in $(hw_resolve_modules $mods mac80211_hwsim); do
    name=${pair%%:*}; file=${pair#*:}
    cp "$file" "$d/modules/$name.ko"
    [ "$name" = mac80211_hwsim ] || echo "$name" >> "$d/modules/order"
  done
  # The kernel checks regulatory.db's signature: Debian's build signs it with the key it trusts.
  cp /lib/firmware/regulatory.db-debian "$d/lib/firmware/regulatory.db"
  cp /lib/firmware/regulatory.db.p7s-debian "$d/lib/firmware/regulatory.db.p7s"
  (cd "$d" && find . | cpio -o -H newc 2>/dev/null | gzip -1) > "$HW_INITRD.tmp" && mv "$HW_INITRD.tmp" "$HW_INITRD"
  rm -rf "$d"
}

# Builds directd; sets HW_DIRECTD to the binary the guest runs.
hw_build() {
  # directd, and the examples scenarios drive (dhcp-probe for dhcp-veth, nlinfo for
  # nl80211-client).
  # A first build takes ~6 minutes on 2 cores: say so, and show cargo's progress to a
  # person watching (the demo, a terminal); CI logs keep only errors.
  local quiet=--quiet
  if [ -n "${HWTESTS_FOLLOW:-}" ] || [ -t 2 ]; then quiet=""; fi
  [ -x "${CARGO_TARGET_DIR:-$ROOT/target}/debug/directd" ] \
    || hw_log "building directd and the scenario tools (a first build takes about 6 minutes on 2 cores)"
  # HWTESTS_PROFILE=release: the guest runs the release build, the binary a user ships
  # (LTO, smaller and faster code: the figures hwtests/bench prints come from it).
  local profile=debug flag=""
  case "${HWTESTS_PROFILE:-debug}" in
    debug|dev) ;;
    release) profile=release; flag=--release ;;
    *) hw_log "HWTESTS_PROFILE=$HWTESTS_PROFILE: debug or release"; return 1 ;;
  esac
  [ $profile = release ] && hw_log "building the release build (fat LTO: about 6 minutes on 2 cores from a debug build)"
  (cd "$ROOT" && cargo build $quiet $flag --workspace --bins --examples) || { hw_log "cargo build failed"; return 1; }
  local tdir
  tdir=${CARGO_TARGET_DIR:-$ROOT/target}
  case "$tdir" in /*) ;; *) tdir="$ROOT/$tdir" ;; esac
  case "$tdir" in /tmp/*|/run/*) hw_log "CARGO_TARGET_DIR under /tmp or /run is not visible in the guest"; return 1 ;; esac
  HW_DIRECTD="$tdir/$profile/directd"
  # The python the ndn-probe scenarios run python-ndn with: the host's python3 that has it
  # (ndn/interop/requirements.txt), else the guest's own python3.
  HW_NDN_PYTHON=$(python3 -c 'import ndn, sys; print(sys.executable)' 2>/dev/null) || HW_NDN_PYTHON=python3
}

hw_prepare() {
  hw_need_packages && hw_kernel && hw_initrd && hw_build
}

# Boots one guest for a batch of scenarios: hw_boot_batch OUTDIR BATCHFILE TIMEOUT_S. Each
# scenario NAME of the batch file has OUTDIR/NAME/scenario.sh; the console goes to
# BATCHFILE.console.
hw_boot_batch() {
  local out=$1 batch=$2 to=$3
  timeout --foreground -k 5 "$to" qemu-system-x86_64 -accel tcg -m 1536 -nographic -no-reboot -nic none \
    -kernel "$HW_VMLINUZ" -initrd "$HW_INITRD" \
    -append "console=ttyS0 quiet panic=-1 directd.out=$out directd.batch=$batch directd.repo=$ROOT" \
    -virtfs local,path=/,mount_tag=host,security_model=none,readonly=on,multidevs=remap \
    -virtfs local,path="$out",mount_tag=out,security_model=none,multidevs=remap \
    < /dev/null > "$batch.console" 2>&1
}
