//! WPS on the group: arming (WPS_PBC / WPS_PIN / WPS_CANCEL, walk time), the PBC overlap
//! monitor (owned by the group, lent to a registrar for each of its inputs), and one
//! registrar per enrollee over EAPOL.

use std::time::{Duration, Instant};

use wps::attr::{DevicePasswordId, MessageType};
use wps::message::Credential;
use wps::pbc::PbcMonitor;
use wps::pin::{DevicePassword, Pin};
use wps::registrar::{Registrar, RegistrarConfig, RegistrarEvent};
use wps::session::{Failure, Input as WpsInput, Output as WpsOutput};

use super::station::Phase;
use super::{Go, GoEvent, GoOutput, IpPool, eapol_pdu};
use crate::eapol::wire::PacketType;
use crate::ieee80211::MacAddr;

/// How long after the registrar ended (EAP-Failure sent) a station that is still
/// associated for WPS is sent away.
pub(super) const WPS_LINGER: Duration = Duration::from_millis(1000);

/// The first lockout after [`LOCK_AFTER_FAILURES`] wrong PINs, unless configured
/// ([`super::GoConfig::wps_lockout`]): hostapd's 60 s.
pub const DEFAULT_WPS_LOCKOUT: Duration = Duration::from_secs(60);
/// Wrong PINs before the registrar locks (hostapd: `ap_pin_failures < 3` stays open).
pub const LOCK_AFTER_FAILURES: u32 = 3;
/// Consecutive wrong PINs (no success between them) after which the lock holds until the
/// group ends (hostapd's indefinite lockdown at 10).
pub const LOCK_FOREVER_AFTER: u32 = 10;
/// The lockout doubles every third failure up to this (hostapd: one year).
const MAX_LOCKOUT: Duration = Duration::from_secs(365 * 24 * 60 * 60);

/// Brute-force protection of the group's PIN (hostapd's `ap_setup_locked` rule, applied to
/// the enrollees that try PINs at our registrar): from the third wrong PIN on, each wrong
/// PIN locks the registrar, which then answers PIN enrollees with M2D (Configuration Error
/// 15, setup locked) and announces AP Setup Locked in its IEs. The first lock lasts
/// `first` (60 s by default); the lockout doubles at every third failure after that;
/// after [`LOCK_FOREVER_AFTER`] consecutive failures the lock holds until the group ends.
/// A success clears the consecutive count, not the total, as in hostapd.
#[derive(Debug, Clone)]
pub(super) struct PinLockout {
    first: Duration,
    /// Wrong PINs since the group started.
    failures: u32,
    /// Wrong PINs since the last success.
    consecutive: u32,
    /// The current lockout (zero: never locked yet).
    lockout: Duration,
    lock: Lock,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Lock {
    Open,
    Until(Instant),
    Forever,
}

/// What a wrong PIN did to the lock.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Locked {
    /// Below the threshold: still open.
    No,
    /// Locked (or the lock extended) for this long.
    For(Duration),
    /// Locked until the group ends.
    Forever,
}

impl PinLockout {
    pub fn new(first: Duration) -> PinLockout {
        PinLockout { first, failures: 0, consecutive: 0, lockout: Duration::ZERO, lock: Lock::Open }
    }

    pub fn is_locked(&self) -> bool {
        self.lock != Lock::Open
    }

    /// When the lock ends by itself.
    pub fn until(&self) -> Option<Instant> {
        match self.lock {
            Lock::Until(at) => Some(at),
            _ => None,
        }
    }

    /// A wrong PIN.
    pub fn failure(&mut self, now: Instant) -> Locked {
        self.failures = self.failures.saturating_add(1);
        self.consecutive = self.consecutive.saturating_add(1);
        if self.failures < LOCK_AFTER_FAILURES {
            return Locked::No;
        }
        if self.consecutive >= LOCK_FOREVER_AFTER {
            self.lock = Lock::Forever;
            return Locked::Forever;
        }
        if self.lock == Lock::Forever {
            return Locked::Forever;
        }
        if self.lockout.is_zero() {
            self.lockout = self.first;
        } else if self.lockout < MAX_LOCKOUT && self.failures.is_multiple_of(LOCK_AFTER_FAILURES) {
            self.lockout = self.lockout.saturating_mul(2);
        }
        self.lock = Lock::Until(now + self.lockout);
        Locked::For(self.lockout)
    }

    /// A registration with the right PIN succeeded.
    pub fn success(&mut self) {
        self.consecutive = 0;
    }

    /// The lock's time is over (called when [`PinLockout::until`] is due): open again.
    pub fn expire(&mut self, now: Instant) -> bool {
        match self.lock {
            Lock::Until(at) if at <= now => {
                self.lock = Lock::Open;
                true
            }
            _ => false,
        }
    }
}

/// WPS armed on the group (WPS_PBC / WPS_PIN).
#[derive(Clone)]
pub(super) enum Armed {
    Pbc { until: Instant },
    Pin { pin: Pin, target: Option<MacAddr>, until: Option<Instant> },
}

impl Armed {
    pub fn until(&self) -> Option<Instant> {
        match self {
            Armed::Pbc { until } => Some(*until),
            Armed::Pin { until, .. } => *until,
        }
    }
}

/// One enrollee's registration.
pub(super) struct Enrollment {
    pub registrar: Registrar,
    /// The enrollee answered our identity request (an EAPOL-Start no longer restarts it).
    pub heard: bool,
    /// The registrar runs with the armed PIN (its failures count towards the lockout).
    pub pin: bool,
}

/// WSC Configuration Error 18: device password authentication failure.
const CONFIG_ERROR_DEV_PASSWORD_AUTH_FAILURE: u16 = 18;

impl<P: IpPool> Go<P> {
    /// `WPS_PBC`: accept one push-button enrollee during the walk time.
    pub(super) fn wps_pbc(&mut self, now: Instant) {
        self.armed = Some(Armed::Pbc { until: now + wps::pbc::PBC_WALK_TIME });
        self.overlap_reported = false;
        tracing::info!("WPS push button armed for {} s", wps::pbc::PBC_WALK_TIME.as_secs());
        self.push(GoOutput::Event(GoEvent::PbcActive));
        self.update_beacon();
        if self.pbc_monitor.overlap(now) {
            self.report_overlap();
        }
    }

    /// `WPS_PIN any|<addr> <PIN> [timeout]`.
    pub(super) fn wps_pin(&mut self, now: Instant, pin: Pin, target: Option<MacAddr>, timeout: Option<Duration>) {
        tracing::info!(?target, "WPS PIN armed");
        self.armed = Some(Armed::Pin { pin, target, until: timeout.filter(|t| !t.is_zero()).map(|t| now + t) });
        self.update_beacon();
    }

    /// `WPS_CANCEL`.
    pub(super) fn wps_cancel(&mut self) {
        if self.armed.take().is_some() {
            self.update_beacon();
        }
    }

    /// A wrong PIN from the enrollee at `sa`: counted, and the registrar locks from the
    /// third on.
    fn wrong_pin(&mut self, now: Instant, sa: MacAddr) {
        let was_locked = self.pin_lockout.is_locked();
        match self.pin_lockout.failure(now) {
            Locked::No => tracing::info!(sta = %sa, "wrong WPS PIN"),
            Locked::For(d) => {
                tracing::warn!(sta = %sa, seconds = d.as_secs(), "wrong WPS PINs: WPS setup locked for PIN enrollees");
            }
            Locked::Forever => {
                tracing::warn!(sta = %sa, "wrong WPS PINs: WPS setup locked for PIN enrollees until the group ends");
            }
        }
        if !was_locked && self.pin_lockout.is_locked() {
            self.push(GoOutput::Event(GoEvent::ApSetupLocked));
            self.update_beacon();
        }
    }

    /// The lockout is over: PIN enrollees are served again.
    pub(super) fn lockout_over(&mut self, now: Instant) {
        if self.pin_lockout.expire(now) {
            tracing::info!("WPS setup unlocked");
            self.push(GoOutput::Event(GoEvent::ApSetupUnlocked));
            self.update_beacon();
        }
    }

    /// The walk time (or the PIN's timeout) is over.
    pub(super) fn walk_time_over(&mut self) {
        let pbc = matches!(self.armed, Some(Armed::Pbc { .. }));
        self.armed = None;
        tracing::info!("WPS walk time over");
        if pbc {
            self.push(GoOutput::Event(GoEvent::WpsTimeout));
        }
        self.update_beacon();
    }

    /// A PBC probe request from `sa` (enrollee `uuid_e`).
    pub(super) fn on_pbc_probe(&mut self, now: Instant, sa: MacAddr, uuid_e: [u8; 16]) {
        self.pbc_monitor.record(now, sa.0, uuid_e);
        if matches!(self.armed, Some(Armed::Pbc { .. })) && self.pbc_monitor.overlap(now) {
            self.report_overlap();
        }
    }

    fn report_overlap(&mut self) {
        if !self.overlap_reported {
            self.overlap_reported = true;
            tracing::warn!("PBC session overlap: more than one enrollee pressed the button");
            self.push(GoOutput::Event(GoEvent::PbcOverlap));
        }
    }

    /// The device password for an enrollee at `addr` (its interface address) with P2P
    /// device address `dev`, if WPS is armed for it.
    fn password_for(&self, addr: MacAddr, dev: Option<MacAddr>) -> Option<DevicePassword> {
        match self.armed.as_ref()? {
            Armed::Pbc { .. } => Some(DevicePassword::pbc()),
            Armed::Pin { pin, target, .. } => {
                if target.is_some_and(|t| t != addr && Some(t) != dev) {
                    return None;
                }
                if self.pin_lockout.is_locked() {
                    tracing::info!(sta = %addr, "WPS setup locked after wrong PINs: the PIN enrollee gets M2D (setup locked)");
                    return None;
                }
                Some(DevicePassword::pin(pin.clone(), DevicePasswordId::DEFAULT))
            }
        }
    }

    /// A registrar for the enrollee at `sa` (associated for WPS): it sends the identity
    /// request.
    pub(super) fn start_registrar(&mut self, now: Instant, sa: MacAddr) {
        let Some(s) = self.stations.get(&sa) else { return };
        let dev = s.p2p_dev_addr();
        let credential = Credential::wpa2_psk(&self.cfg.ssid, self.cfg.passphrase.as_bytes(), sa.0);
        let id = &self.cfg.identity;
        let password = self.password_for(sa, dev);
        let pin = password.as_ref().is_some_and(|pw| pw.id != DevicePasswordId::PUSH_BUTTON);
        let mut rc = match password {
            Some(pw) => RegistrarConfig::new(id.uuid, pw, credential),
            None => {
                if !(self.pin_lockout.is_locked() && matches!(self.armed, Some(Armed::Pin { .. }))) {
                    tracing::info!(sta = %sa, "an enrollee came before WPS was armed: it gets M2D and will retry");
                }
                RegistrarConfig::without_password(id.uuid, credential)
            }
        };
        rc.device.manufacturer = id.manufacturer.as_bytes().to_vec();
        rc.device.model_name = id.model_name.as_bytes().to_vec();
        rc.device.model_number = id.model_number.as_bytes().to_vec();
        rc.device.serial_number = Some(b"0".to_vec());
        rc.device.device_name = id.device_name.as_bytes().to_vec();
        rc.rf_bands = self.rf_band();
        rc.pbc_monitor = Some(PbcMonitor::default());
        let registrar = Registrar::new(rc, (self.wps_rng)(), now);
        if let Some(p) = self.stations.get_mut(&sa).and_then(|s| s.phase_mut()) {
            *p = Phase::Wps(Box::new(Enrollment { registrar, heard: false, pin }));
        }
        self.pump_registrar(now, sa, MessageType(0));
    }

    /// An EAP packet for the enrollee's registrar; the group's PBC monitor is lent to it
    /// for this input.
    pub(super) fn registrar_input(&mut self, now: Instant, sa: MacAddr, eap: &[u8]) {
        let Some(Phase::Wps(e)) = self.stations.get_mut(&sa).and_then(|s| s.phase_mut()) else { return };
        e.heard = true;
        let waiting = e.registrar.waiting_for();
        if let Some(m) = e.registrar.pbc_monitor_mut() {
            std::mem::swap(m, &mut self.pbc_monitor);
        }
        e.registrar.handle_input(now, WpsInput::Eap(eap));
        if let Some(m) = e.registrar.pbc_monitor_mut() {
            std::mem::swap(m, &mut self.pbc_monitor);
        }
        self.pump_registrar(now, sa, waiting);
    }

    pub(super) fn registrar_timeout(&mut self, now: Instant, sa: MacAddr) {
        let Some(Phase::Wps(e)) = self.stations.get_mut(&sa).and_then(|s| s.phase_mut()) else { return };
        e.registrar.handle_timeout(now);
        self.pump_registrar(now, sa, MessageType(0));
    }

    /// Drains the registrar; `waiting` is what it waited for before the last input (a
    /// WSC_NACK is reported against the last message we sent, as hostapd does: M4 when the
    /// enrollee found our PIN proof wrong).
    fn pump_registrar(&mut self, now: Instant, sa: MacAddr, waiting: MessageType) {
        let Some(Phase::Wps(e)) = self.stations.get_mut(&sa).and_then(|s| s.phase_mut()) else { return };
        let outputs: Vec<_> = std::iter::from_fn(|| e.registrar.poll_output()).collect();
        let e_was_pin = e.pin;
        let mut finished = false;
        for o in outputs {
            match o {
                WpsOutput::Transmit(eap) => match eapol_pdu(PacketType::EapPacket, &eap) {
                    Ok(pdu) => self.push(GoOutput::SendEapol { dest: sa, pdu }),
                    Err(e) => tracing::error!(sta = %sa, "EAP message not sent: {e}"),
                },
                WpsOutput::Event(RegistrarEvent::EnrolleeSeen { device_password_id, device_name, .. }) => {
                    tracing::info!(sta = %sa, id = device_password_id.0, name = %String::from_utf8_lossy(&device_name), "WPS enrollee (M1)");
                }
                WpsOutput::Event(RegistrarEvent::Succeeded { uuid_e, mac }) => {
                    tracing::info!(sta = %sa, "WPS registration succeeded");
                    if e_was_pin {
                        self.pin_lockout.success();
                    }
                    self.push(GoOutput::Event(GoEvent::RegSuccess { enrollee: MacAddr(mac), uuid_e }));
                    // One enrollee per button press or PIN (hostapd disables both after use).
                    self.armed = None;
                    self.update_beacon();
                }
                WpsOutput::Event(RegistrarEvent::PasswordNeeded { .. }) => {
                    self.push(GoOutput::Event(GoEvent::EnrolleeWaiting { addr: sa }));
                }
                WpsOutput::Event(RegistrarEvent::Failed(Failure::PbcOverlap)) => self.report_overlap(),
                WpsOutput::Event(RegistrarEvent::Failed(Failure::RegistrarNotReady(_))) => {}
                WpsOutput::Event(RegistrarEvent::Failed(f)) => {
                    let (msg, config_error) = match &f {
                        Failure::DevicePasswordMismatch { half } => (if *half == 1 { 0x09 } else { 0x0b }, 18),
                        Failure::PeerNack(ce) => (last_sent_before(waiting), ce.0),
                        _ => (0, 0),
                    };
                    tracing::warn!(sta = %sa, reason = %f, "WPS registration failed");
                    self.push(GoOutput::Event(GoEvent::WpsFail { msg, config_error, reason: f.to_string() }));
                    // A wrong PIN: the enrollee's proof failed (M5/M7) or it found ours wrong
                    // (its NACK after M4/M6 says "device password auth failure").
                    if config_error == CONFIG_ERROR_DEV_PASSWORD_AUTH_FAILURE && e_was_pin {
                        self.wrong_pin(now, sa);
                    }
                }
                WpsOutput::Event(RegistrarEvent::Finished) => finished = true,
            }
        }
        if finished && let Some(p) = self.stations.get_mut(&sa).and_then(|s| s.phase_mut()) {
            *p = Phase::WpsEnded { leave_at: now + WPS_LINGER };
        }
    }
}

/// The registrar message sent before the one it waits for (M2 before M3 ... M8 before
/// WSC_Done); WSC_NACK's type when unknown.
fn last_sent_before(waiting: MessageType) -> u8 {
    use MessageType as T;
    let sent = match waiting {
        T::M3 => T::M2,
        T::M5 => T::M4,
        T::M7 => T::M6,
        T::WSC_DONE => T::M8,
        _ => T::WSC_NACK,
    };
    sent.0
}
