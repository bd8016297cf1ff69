//! Agents on a simulated air, in process and in virtual time.
//!
//! A [`Sim`] holds several [`Agent`]s, each with a stand-in for its kernel
//! ([`KernelSim`]), and a medium that carries management frames and EAPOL by channel, with
//! a delay and optional loss (seeded, so a run repeats exactly). Control requests go in
//! with [`Sim::ctrl`]; the replies come back at once (the stand-in answers every operation
//! synchronously, as the driver's loop runs the agent to quiescence), and events collect
//! per node ([`Node::events`]). [`Sim::run_until`] advances virtual time from one due
//! thing (a frame's arrival, a kernel timer, an agent's timeout) to the next.
//!
//! What the kernel stand-in does, per [`Op`]:
//! - interfaces: NEW_INTERFACE hands out an ifindex and an address; DEL_INTERFACE, link
//!   and addresses are recorded;
//! - frame registrations: a received management frame reaches the agent only if its
//!   interface registered that frame type (and, for action frames, the body prefix);
//! - scans: TRIGGER_SCAN sends the probe request on every channel asked, collects the
//!   probe responses addressed to the device during [`SCAN_TIME`], then reports
//!   `ScanDone`; GET_SCAN returns what was collected;
//! - station side (CONNECT): authentication and association frames to the BSSID, the
//!   CONNECT result from the association response, a timed-out CONNECT after
//!   [`CONNECT_TIMEOUT`] without an answer; DISCONNECT, and deauthentication or
//!   disassociation by the AP, give DISCONNECT events;
//! - AP side (START_AP): the BSS runs on its channel; frames to the BSSID (and broadcast
//!   probe requests) reach the agent; sent frames get a TX status with the ack;
//! - EAPOL over the control port is carried to the interface with the destination address;
//! - remain-on-channel: a cookie, the started and ended events, and the P2P device
//!   listens on that channel meanwhile (as it does on a group channel we own or scan);
//! - a frame sent from the P2P device with a wait keeps it on that channel for the wait
//!   (off-channel TX: GO negotiation and provision discovery hear the answer there).
//!
//! Adding a frame or radio behaviour: a new [`Op`] is answered in [`KernelSim::perform`]
//! (return the reply, push frames with `self.tx(..)`, schedule kernel events with
//! `self.later(..)`); which interface receives an arriving frame is decided in
//! [`KernelSim::receive`]. A peer that is not an agent (captured frames of a real
//! wpa_supplicant) is a [`Sim::play`] of raw frames on a channel; what is sent to it
//! is in [`Sim::sent_to`].

use std::collections::{BTreeSet, VecDeque};
use std::time::{Duration, Instant};

use nl80211::connect::MlmeEvent;
use nl80211::frame::RocEvent;
use nl80211::{Bss, Command, IfTarget};

use super::{Agent, CtrlSocket, Device, Input, Kernel, KernelEvent, Op, OpError, OpReply, Output, ReplyToken};
use crate::ctrl::{Event, Reply, Request};
use crate::ieee80211::{MacAddr, MgmtBody, MgmtRepr};

/// How long a frame takes through the air.
pub const AIR_DELAY: Duration = Duration::from_millis(1);
/// How long a scan listens for probe responses.
pub const SCAN_TIME: Duration = Duration::from_millis(120);
/// How long the station side waits for the AP's authentication or association answer.
pub const CONNECT_TIMEOUT: Duration = Duration::from_millis(1000);

/// A node's index in the simulation.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct NodeId(pub usize);

/// What travels through the air.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Carried {
    /// A management frame (802.11 header included).
    Mgmt(Vec<u8>),
    /// An EAPOL PDU (802.1X header included) between two interface addresses.
    Eapol { src: MacAddr, dest: MacAddr, pdu: Vec<u8> },
}

/// A frame on its way.
#[derive(Debug, Clone)]
struct InFlight {
    at: Instant,
    freq: u32,
    /// The sender (`None`: a played peer).
    from: Option<NodeId>,
    what: Carried,
    /// The sender's TX status to report: (ifindex or wdev target, cookie).
    status: Option<(IfTarget, u64)>,
}

/// One interface of a simulated kernel.
#[derive(Debug, Clone)]
struct Iface {
    ifindex: u32,
    name: String,
    addr: MacAddr,
    /// Registered frame types (frame control & 0xfc) with their body prefix.
    registered: Vec<(u16, Vec<u8>)>,
    /// The BSS we run (AP side): its channel.
    ap_freq: Option<u32>,
    sta: Sta,
}

/// The station side of an interface.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Sta {
    Idle,
    Authenticating { bssid: MacAddr, freq: u32, ssid: Vec<u8>, ies: Vec<u8>, deadline: Instant },
    Associating { bssid: MacAddr, freq: u32, deadline: Instant },
    Connected { bssid: MacAddr, freq: u32 },
}

/// A scan under way on the P2P device.
#[derive(Debug, Clone)]
struct Scan {
    freqs: Vec<u32>,
    until: Instant,
}

/// The stand-in for one node's kernel. See the module documentation.
pub struct KernelSim {
    dev: Device,
    dev_registered: Vec<(u16, Vec<u8>)>,
    ifaces: Vec<Iface>,
    next_ifindex: u32,
    next_cookie: u64,
    scan: Option<Scan>,
    scan_results: Vec<Bss>,
    /// Remain-on-channel: (cookie, freq, start, until). As mac80211, one asked for while a
    /// frame's wait runs on another channel starts when that wait ends (or is cancelled).
    roc: Option<(u64, u32, Instant, Instant)>,
    /// The channel a frame sent with a wait keeps the P2P device on: (freq, until).
    tx_wait: Option<(u32, Instant)>,
    /// Kernel events due later.
    timers: Vec<(Instant, Kernel)>,
    /// Frames to put on the air.
    tx: Vec<InFlight>,
    /// Every operation performed, in order (for assertions).
    pub ops: Vec<Op>,
    /// Indices in `ops` of the scans refused as busy.
    pub refused_scans: Vec<usize>,
}

impl KernelSim {
    fn new(dev: Device) -> KernelSim {
        KernelSim {
            dev,
            dev_registered: Vec::new(),
            ifaces: Vec::new(),
            next_ifindex: 10,
            next_cookie: 1,
            scan: None,
            scan_results: Vec::new(),
            roc: None,
            tx_wait: None,
            timers: Vec::new(),
            tx: Vec::new(),
            ops: Vec::new(),
            refused_scans: Vec::new(),
        }
    }

    fn iface_mut(&mut self, ifindex: u32) -> Result<&mut Iface, OpError> {
        self.ifaces.iter_mut().find(|i| i.ifindex == ifindex).ok_or(OpError { errno: Some(19), message: "No such device".into() })
    }

    fn cookie(&mut self) -> u64 {
        self.next_cookie += 1;
        self.next_cookie
    }

    fn later(&mut self, at: Instant, wdev: Option<u64>, ifindex: Option<u32>, event: KernelEvent) {
        self.timers.push((at, Kernel { wdev, ifindex, event }));
    }

    fn send(&mut self, now: Instant, freq: u32, what: Carried, status: Option<(IfTarget, u64)>) {
        self.tx.push(InFlight { at: now + AIR_DELAY, freq, from: None, what, status });
    }

    /// Performs one operation.
    fn perform(&mut self, now: Instant, op: Op) -> Result<OpReply, OpError> {
        self.ops.push(op.clone());
        let done = Ok(OpReply::Done);
        match op {
            Op::NewInterface { name, mac, .. } => {
                let ifindex = self.next_ifindex;
                self.next_ifindex += 1;
                // The address asked for, else one locally administered, derived from the
                // device address as mac80211_hwsim does for added interfaces.
                let mut addr = self.dev.addr;
                addr.0[0] ^= 0x04;
                addr.0[5] = addr.0[5].wrapping_add(ifindex as u8);
                let addr = mac.unwrap_or(addr);
                self.ifaces.push(Iface { ifindex, name, addr, registered: Vec::new(), ap_freq: None, sta: Sta::Idle });
                Ok(OpReply::Interface { ifindex: Some(ifindex), addr: addr.0 })
            }
            Op::DelInterface { target } => {
                let IfTarget::Ifindex(i) = target else { return done };
                self.iface_mut(i)?;
                self.ifaces.retain(|f| f.ifindex != i);
                done
            }
            Op::LinkUp { ifindex } | Op::AddAddress { ifindex, .. } | Op::DelAddress { ifindex, .. } => {
                self.iface_mut(ifindex)?;
                done
            }
            Op::RegisterFrame { target, frame_type, match_bytes } => {
                match target {
                    IfTarget::Ifindex(i) => self.iface_mut(i)?.registered.push((frame_type, match_bytes)),
                    _ => self.dev_registered.push((frame_type, match_bytes)),
                }
                done
            }
            Op::TriggerScan { req, .. } => {
                // mac80211 refuses a scan while a remain-on-channel runs, the off-channel
                // wait of a frame sent with one included.
                let roc = self.roc.is_some_and(|(_, _, _, until)| now < until) || self.tx_wait.is_some_and(|(_, until)| now < until);
                if self.scan.is_some() || roc {
                    self.refused_scans.push(self.ops.len() - 1);
                    return Err(OpError { errno: Some(16), message: "Device or resource busy".into() });
                }
                let mut ies = crate::ieee80211::IeWriter::new();
                for ssid in &req.ssids {
                    let _ = ies.ssid(ssid);
                }
                let _ = ies.rates(&crate::ieee80211::Rate::OFDM);
                let mut ies = ies.finish();
                ies.extend_from_slice(&req.ies);
                let probe = MgmtRepr::new(
                    MacAddr::BROADCAST,
                    self.dev.addr,
                    MacAddr::BROADCAST,
                    MgmtBody::ProbeRequest(crate::ieee80211::ProbeRequestRepr { ies }),
                )
                .to_vec();
                for f in &req.freqs {
                    self.send(now, *f, Carried::Mgmt(probe.clone()), None);
                }
                self.scan_results.clear();
                self.scan = Some(Scan { freqs: req.freqs, until: now + SCAN_TIME });
                self.later(now + SCAN_TIME, Some(self.dev.wdev), None, KernelEvent::ScanDone { aborted: false });
                done
            }
            Op::GetScan { .. } => Ok(OpReply::ScanResults(self.scan_results.clone())),
            // mac80211: the running scan ends now as aborted (its end event goes), ENOENT
            // when none runs.
            Op::AbortScan { wdev } => {
                if self.scan.take().is_none() {
                    return Err(OpError { errno: Some(2), message: "No such file or directory".into() });
                }
                self.timers.retain(|(_, k)| !matches!(k.event, KernelEvent::ScanDone { .. }));
                self.later(now, Some(wdev), None, KernelEvent::ScanDone { aborted: true });
                done
            }
            Op::Connect { ifindex, params } => {
                let own = self.iface_mut(ifindex)?.addr;
                let (Some(bssid), Some(freq)) = (params.bssid, params.freq) else {
                    return Err(OpError { errno: Some(22), message: "CONNECT needs a BSSID and a channel here".into() });
                };
                let bssid = MacAddr(bssid);
                let deadline = now + CONNECT_TIMEOUT;
                self.iface_mut(ifindex)?.sta = Sta::Authenticating { bssid, freq, ssid: params.ssid.clone(), ies: params.ie.clone(), deadline };
                let auth = crate::ieee80211::AuthRepr {
                    algorithm: crate::ieee80211::AuthAlgorithm::OPEN_SYSTEM,
                    transaction: 1,
                    status: crate::ieee80211::StatusCode::SUCCESS,
                    ies: vec![],
                };
                self.send(now, freq, Carried::Mgmt(MgmtRepr::new(bssid, own, bssid, MgmtBody::Auth(auth)).to_vec()), None);
                self.later(deadline, None, Some(ifindex), KernelEvent::Other(Command::Connect));
                done
            }
            Op::Disconnect { ifindex, reason } => {
                let iface = self.iface_mut(ifindex)?;
                let own = iface.addr;
                let sta = std::mem::replace(&mut iface.sta, Sta::Idle);
                let (bssid, freq) = match sta {
                    Sta::Idle => return Err(OpError { errno: Some(107), message: "Transport endpoint is not connected".into() }),
                    Sta::Authenticating { bssid, freq, .. } | Sta::Associating { bssid, freq, .. } | Sta::Connected { bssid, freq } => (bssid, freq),
                };
                let deauth = crate::ieee80211::ReasonRepr { reason: crate::ieee80211::ReasonCode(reason), ies: vec![] };
                self.send(now, freq, Carried::Mgmt(MgmtRepr::new(bssid, own, bssid, MgmtBody::Deauth(deauth)).to_vec()), None);
                self.later(now, None, Some(ifindex), KernelEvent::Mlme(MlmeEvent::Disconnect { reason: Some(reason), by_ap: false }));
                done
            }
            Op::NewKey { ifindex, .. }
            | Op::SetDefaultKey { ifindex, .. }
            | Op::Authorize { ifindex, .. }
            | Op::NewStation { ifindex, .. }
            | Op::DelStation { ifindex, .. }
            | Op::SetBeacon { ifindex, .. } => {
                self.iface_mut(ifindex)?;
                done
            }
            Op::SendFrame { target, tx } => {
                let freq = match (tx.freq, target) {
                    (Some(f), _) => f,
                    (None, IfTarget::Ifindex(i)) => self.iface_mut(i)?.ap_freq.unwrap_or(0),
                    _ => return Err(OpError { errno: Some(22), message: "no channel".into() }),
                };
                let cookie = self.cookie();
                if let (IfTarget::Wdev(_), Some(ms)) = (target, tx.wait_ms) {
                    self.tx_wait = Some((freq, now + Duration::from_millis(ms.into())));
                }
                let status = (!tx.dont_wait_for_ack).then_some((target, cookie));
                self.send(now, freq, Carried::Mgmt(tx.frame), status);
                Ok(OpReply::Cookie(Some(cookie)))
            }
            Op::SendEapol { ifindex, dest, pdu, .. } => {
                let iface = self.iface_mut(ifindex)?;
                let src = iface.addr;
                let freq = match &iface.sta {
                    Sta::Connected { freq, .. } | Sta::Associating { freq, .. } => *freq,
                    _ => iface.ap_freq.unwrap_or(0),
                };
                self.send(now, freq, Carried::Eapol { src, dest, pdu }, None);
                done
            }
            Op::StartAp { ifindex, settings } => {
                let freq = settings.chandef.as_ref().map(|c| c.freq).unwrap_or(2437);
                self.iface_mut(ifindex)?.ap_freq = Some(freq);
                done
            }
            Op::StopAp { ifindex } => {
                self.iface_mut(ifindex)?.ap_freq = None;
                done
            }
            Op::RemainOnChannel { wdev, freq, duration_ms } => {
                let cookie = self.cookie();
                let start = match self.tx_wait {
                    Some((f, end)) if f != freq && now < end => end,
                    _ => now,
                };
                let until = start + Duration::from_millis(duration_ms.into());
                self.roc = Some((cookie, freq, start, until));
                let roc = |started| KernelEvent::Roc(RocEvent { started, cookie, freq: Some(freq), duration_ms: started.then_some(duration_ms) });
                self.later(start, Some(wdev), None, roc(true));
                self.later(until, Some(wdev), None, roc(false));
                Ok(OpReply::Cookie(Some(cookie)))
            }
            Op::CancelRemainOnChannel { wdev, cookie } => {
                if self.roc.is_some_and(|r| r.0 == cookie) {
                    self.roc = None;
                    self.timers.retain(|(_, k)| !matches!(&k.event, KernelEvent::Roc(r) if r.cookie == cookie));
                    self.later(now, Some(wdev), None, KernelEvent::Roc(RocEvent { started: false, cookie, freq: None, duration_ms: None }));
                    done
                } else {
                    Err(OpError { errno: Some(2), message: "No such file or directory".into() })
                }
            }
            Op::FrameWaitCancel { .. } => {
                self.tx_wait = None;
                // A remain-on-channel queued behind the wait starts now.
                if let Some((cookie, freq, start, until)) = self.roc
                    && start > now
                {
                    let wdev = self.timers.iter().find(|(_, k)| matches!(&k.event, KernelEvent::Roc(r) if r.cookie == cookie)).and_then(|(_, k)| k.wdev);
                    self.timers.retain(|(_, k)| !matches!(&k.event, KernelEvent::Roc(r) if r.cookie == cookie));
                    let d = until - start;
                    let duration_ms = u32::try_from(d.as_millis()).unwrap_or(u32::MAX);
                    self.roc = Some((cookie, freq, now, now + d));
                    let roc = |started| KernelEvent::Roc(RocEvent { started, cookie, freq: Some(freq), duration_ms: started.then_some(duration_ms) });
                    self.later(now, wdev, None, roc(true));
                    self.later(now + d, wdev, None, roc(false));
                }
                done
            }
            Op::DhcpOpen { .. } => done,
        }
    }

    /// Whether the P2P device hears `freq` now: scanning it, remaining on it, or running a
    /// group there.
    fn device_listens(&self, now: Instant, freq: u32) -> bool {
        self.scan.as_ref().is_some_and(|s| s.freqs.contains(&freq) && now <= s.until)
            || self.roc.is_some_and(|(_, f, start, until)| f == freq && start <= now && now <= until)
            || self.tx_wait.is_some_and(|(f, until)| f == freq && now <= until)
            || self.ifaces.iter().any(|i| i.ap_freq == Some(freq))
    }

    /// A frame arrives on `freq`: what the kernel makes of it.
    fn receive(&mut self, now: Instant, freq: u32, what: &Carried) -> (bool, Vec<Kernel>) {
        let mut out = Vec::new();
        let mut acked = false;
        match what {
            Carried::Eapol { src, dest, pdu } => {
                for i in &self.ifaces {
                    if i.addr == *dest {
                        acked = true;
                        out.push(Kernel { wdev: None, ifindex: Some(i.ifindex), event: KernelEvent::Eapol { src: *src, pdu: pdu.clone(), unencrypted: false } });
                    }
                }
            }
            Carried::Mgmt(frame) => {
                let Ok(m) = MgmtRepr::parse_bytes(frame) else { return (false, out) };
                let (da, sa) = (m.header.addr1, m.header.addr2);
                let ftype = frame_type(frame);
                // The P2P device.
                if (da == self.dev.addr || da == MacAddr::BROADCAST) && self.device_listens(now, freq) {
                    acked |= da == self.dev.addr;
                    if let MgmtBody::ProbeResponse(b) = &m.body
                        && da == self.dev.addr
                        && self.scan.is_some()
                        && !self.scan_results.iter().any(|r| r.bssid == sa.0)
                    {
                        self.scan_results.push(Bss { bssid: sa.0, freq, ies: b.ies.clone(), ..Default::default() });
                    } else if registered(&self.dev_registered, ftype, frame) {
                        out.push(Kernel { wdev: Some(self.dev.wdev), ifindex: None, event: KernelEvent::Frame { freq: Some(freq), frame: frame.clone() } });
                    }
                }
                for i in self.ifaces.iter_mut() {
                    if da != i.addr && da != MacAddr::BROADCAST {
                        continue;
                    }
                    // AP side.
                    if i.ap_freq == Some(freq) {
                        acked |= da == i.addr;
                        if registered(&i.registered, ftype, frame) {
                            out.push(Kernel { wdev: None, ifindex: Some(i.ifindex), event: KernelEvent::Frame { freq: Some(freq), frame: frame.clone() } });
                        }
                        continue;
                    }
                    // Station side.
                    let ifindex = i.ifindex;
                    match (&i.sta, &m.body) {
                        (Sta::Authenticating { bssid, freq: f, ssid, ies, .. }, MgmtBody::Auth(a)) if *bssid == sa && *f == freq => {
                            acked = true;
                            if a.status.0 != 0 {
                                i.sta = Sta::Idle;
                                out.push(connect_result(ifindex, sa, a.status.0));
                                continue;
                            }
                            let mut w = crate::ieee80211::IeWriter::new();
                            let _ = w.ssid(ssid);
                            let _ = w.rates(&crate::ieee80211::Rate::OFDM);
                            let mut body_ies = w.finish();
                            body_ies.extend_from_slice(ies);
                            let body = crate::ieee80211::AssocRequestRepr {
                                capability: crate::ieee80211::CapabilityInfo::ESS,
                                listen_interval: 5,
                                ies: body_ies,
                            };
                            let req = MgmtRepr::new(sa, i.addr, sa, MgmtBody::AssocRequest(body)).to_vec();
                            i.sta = Sta::Associating { bssid: sa, freq, deadline: now + CONNECT_TIMEOUT };
                            self.tx.push(InFlight { at: now + AIR_DELAY, freq, from: None, what: Carried::Mgmt(req), status: None });
                        }
                        (Sta::Associating { bssid, freq: f, .. }, MgmtBody::AssocResponse(r)) if *bssid == sa && *f == freq => {
                            acked = true;
                            i.sta = if r.status.0 == 0 { Sta::Connected { bssid: sa, freq } } else { Sta::Idle };
                            out.push(connect_result(ifindex, sa, r.status.0));
                        }
                        (Sta::Connected { bssid, .. }, MgmtBody::Deauth(r) | MgmtBody::Disassoc(r)) if *bssid == sa => {
                            acked |= da == i.addr;
                            i.sta = Sta::Idle;
                            out.push(Kernel {
                                wdev: None,
                                ifindex: Some(ifindex),
                                event: KernelEvent::Mlme(MlmeEvent::Disconnect { reason: Some(r.reason.0), by_ap: true }),
                            });
                        }
                        _ => {}
                    }
                }
            }
        }
        (acked, out)
    }

    /// Kernel events whose time came; a station side that waited too long gives up.
    fn due(&mut self, now: Instant) -> Vec<Kernel> {
        let mut out = Vec::new();
        let mut keep = Vec::new();
        for (at, k) in std::mem::take(&mut self.timers) {
            if at > now {
                keep.push((at, k));
                continue;
            }
            match &k.event {
                KernelEvent::ScanDone { .. } => {
                    self.scan = None;
                    out.push(k);
                }
                // The CONNECT watchdog: only if the attempt is still waiting.
                KernelEvent::Other(Command::Connect) => {
                    let Some(i) = k.ifindex.and_then(|x| self.ifaces.iter_mut().find(|f| f.ifindex == x)) else { continue };
                    let waiting = match &i.sta {
                        Sta::Authenticating { deadline, .. } | Sta::Associating { deadline, .. } => *deadline <= now,
                        _ => false,
                    };
                    if waiting {
                        i.sta = Sta::Idle;
                        out.push(Kernel { wdev: None, ifindex: k.ifindex, event: KernelEvent::Mlme(MlmeEvent::TimedOut { cmd: Command::Connect, peer: None }) });
                    }
                }
                KernelEvent::Roc(r) if !r.started => {
                    if self.roc.is_some_and(|(c, _, _, _)| c == r.cookie) {
                        self.roc = None;
                    }
                    out.push(k);
                }
                _ => out.push(k),
            }
        }
        self.timers = keep;
        out
    }

    fn next_due(&self) -> Option<Instant> {
        self.timers.iter().map(|(t, _)| *t).min()
    }

    /// The interface named `name`, if the agent created it.
    /// Whether a scan runs on the P2P device now.
    pub fn scanning(&self) -> bool {
        self.scan.is_some()
    }

    pub fn iface_addr(&self, name: &str) -> Option<MacAddr> {
        self.ifaces.iter().find(|i| i.name == name).map(|i| i.addr)
    }

    /// The interfaces that exist, by name.
    pub fn iface_names(&self) -> Vec<String> {
        self.ifaces.iter().map(|i| i.name.clone()).collect()
    }

    /// Deletes the interface named `name` behind the agent's back (`iw dev NAME del`, or
    /// its radio going away); returns its ifindex, for the DEL_INTERFACE event.
    pub fn remove_iface(&mut self, name: &str) -> Option<u32> {
        let ifindex = self.ifaces.iter().find(|i| i.name == name)?.ifindex;
        self.ifaces.retain(|i| i.ifindex != ifindex);
        Some(ifindex)
    }
}

fn connect_result(ifindex: u32, bssid: MacAddr, status: u16) -> Kernel {
    Kernel {
        wdev: None,
        ifindex: Some(ifindex),
        event: KernelEvent::Mlme(MlmeEvent::Connect { bssid: Some(bssid.0), status: Some(status), req_ie: None, resp_ie: None }),
    }
}

/// The nl80211 frame type of a management frame (frame control & 0xfc).
fn frame_type(frame: &[u8]) -> u16 {
    frame.first().map_or(0, |b| u16::from(*b & 0xfc))
}

fn registered(list: &[(u16, Vec<u8>)], ftype: u16, frame: &[u8]) -> bool {
    let body = frame.get(24..).unwrap_or(&[]);
    list.iter().any(|(t, m)| *t == ftype && body.starts_with(m))
}

/// One agent with its kernel.
pub struct Node {
    pub agent: Agent,
    pub kernel: KernelSim,
    /// Events the agent emitted, in order, with their time.
    pub events: Vec<(Instant, Event)>,
    /// Control sockets open for group interfaces.
    pub ctrl_sockets: BTreeSet<String>,
    /// `GroupAddressed`/`GroupGone` and DHCP outputs, for assertions.
    pub other: Vec<Output>,
    replies: Vec<(ReplyToken, Reply)>,
    next_reply: u64,
    inputs: VecDeque<Input>,
}

impl Node {
    /// Whether an event matching `f` was emitted.
    pub fn saw(&self, f: impl Fn(&Event) -> bool) -> bool {
        self.events.iter().any(|(_, e)| f(e))
    }
}

/// The simulation. See the module documentation.
pub struct Sim {
    pub now: Instant,
    pub nodes: Vec<Node>,
    air: Vec<InFlight>,
    /// Frames lost, per thousand (seeded, repeatable).
    pub loss_per_mille: u32,
    loss_state: u64,
    /// Frames sent to addresses no node has (played peers), with their channel.
    pub unclaimed: Vec<(Instant, u32, Carried)>,
}

impl Default for Sim {
    fn default() -> Self {
        Sim::new()
    }
}

impl Sim {
    pub fn new() -> Sim {
        Sim { now: Instant::now(), nodes: Vec::new(), air: Vec::new(), loss_per_mille: 0, loss_state: 0x2545_f491_4f6c_dd1d, unclaimed: Vec::new() }
    }

    /// Adds an agent on a radio with the given 2.4 GHz channels and a P2P device address
    /// `42:00:00:00:<n>:00`; `seed` makes its randomness repeatable.
    pub fn add_node(&mut self, name: &str, seed: u64) -> NodeId {
        self.add_node_with(name, seed, |_| {})
    }

    /// [`Sim::add_node`] with more settings (the automatic mode's, ...).
    pub fn add_node_with(&mut self, name: &str, seed: u64, settings: impl FnOnce(&mut crate::config::RawConfig)) -> NodeId {
        let addr = MacAddr([0x42, 0, 0, 0, self.nodes.len() as u8, 0]);
        self.add_node_at(name, seed, addr, settings)
    }

    /// [`Sim::add_node_with`] with the P2P device address given.
    pub fn add_node_at(&mut self, name: &str, seed: u64, addr: MacAddr, settings: impl FnOnce(&mut crate::config::RawConfig)) -> NodeId {
        let n = self.nodes.len();
        let dev = Device { wiphy: n as u32, wdev: 1 + n as u64, name: format!("p2p-dev-{name}"), addr };
        let mut raw = crate::config::RawConfig { ifname: Some(name.to_owned()), device_name: Some(format!("sim-{name}")), ..Default::default() };
        settings(&mut raw);
        let cfg = raw
            .validate()
            .unwrap_or_else(|e| panic!("simulated node configuration: {e}"));
        let counter = std::sync::Arc::new(std::sync::atomic::AtomicU64::new(seed.wrapping_mul(1_000_003)));
        let rng: super::RngFactory = std::sync::Arc::new(move || {
            let s = counter.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
            Box::new(wps::rng::SeededRng::new(s))
        });
        let agent = Agent::new(cfg, dev.clone(), sim_wiphy(n as u32), rng).unwrap_or_else(|e| panic!("simulated node identity: {e}"));
        self.nodes.push(Node {
            agent,
            kernel: KernelSim::new(dev),
            events: Vec::new(),
            ctrl_sockets: BTreeSet::new(),
            other: Vec::new(),
            replies: Vec::new(),
            next_reply: 0,
            inputs: VecDeque::new(),
        });
        NodeId(n)
    }

    pub fn node(&self, id: NodeId) -> &Node {
        &self.nodes[id.0]
    }

    /// Sends a control request (wpa_cli's text) to a node's device socket or one of its
    /// group sockets; returns the reply text.
    pub fn ctrl(&mut self, id: NodeId, socket: CtrlSocket, text: &str) -> String {
        let request = match Request::parse(text.as_bytes()) {
            Ok(r) => r,
            Err(e) => return e.reply().to_owned(),
        };
        let node = &mut self.nodes[id.0];
        let token = ReplyToken(node.next_reply);
        node.next_reply += 1;
        node.inputs.push_back(Input::Ctrl { socket, token, request });
        self.settle();
        let node = &mut self.nodes[id.0];
        match node.replies.iter().position(|(t, _)| *t == token) {
            Some(i) => node.replies.remove(i).1.to_text(),
            None => "(no reply yet)".to_owned(),
        }
    }

    /// Feeds `input` to a node and lets every agent settle (a kernel event the simulated
    /// kernel would not make by itself, [`Input::DeviceLost`], ...).
    pub fn input(&mut self, id: NodeId, input: Input) {
        self.nodes[id.0].inputs.push_back(input);
        self.settle();
    }

    /// Deletes a node's interface behind its agent's back and tells the agent, as the
    /// kernel does (NL80211_CMD_DEL_INTERFACE); false if there is no such interface.
    pub fn remove_iface(&mut self, id: NodeId, name: &str) -> bool {
        let Some(ifindex) = self.nodes[id.0].kernel.remove_iface(name) else { return false };
        let event = KernelEvent::Other(Command::DelInterface);
        self.input(id, Input::Kernel(Kernel { wdev: None, ifindex: Some(ifindex), event }));
        true
    }

    /// Puts a raw frame (a played peer's) on the air on `freq` now.
    pub fn play(&mut self, freq: u32, frame: Vec<u8>) {
        self.air.push(InFlight { at: self.now + AIR_DELAY, freq, from: None, what: Carried::Mgmt(frame), status: None });
    }

    /// Management frames sent to `addr` (a played peer) so far.
    pub fn sent_to(&self, addr: MacAddr) -> Vec<Vec<u8>> {
        self.unclaimed
            .iter()
            .filter_map(|(_, _, c)| match c {
                Carried::Mgmt(f) if MgmtRepr::parse_bytes(f).is_ok_and(|m| m.header.addr1 == addr) => Some(f.clone()),
                _ => None,
            })
            .collect()
    }

    /// Feeds queued inputs and performs outputs until every agent is idle at `now`.
    fn settle(&mut self) {
        let now = self.now;
        loop {
            let mut busy = false;
            for (n, node) in self.nodes.iter_mut().enumerate() {
                while let Some(input) = node.inputs.pop_front() {
                    busy = true;
                    node.agent.handle_input(now, input);
                }
                while let Some(out) = node.agent.poll_output() {
                    busy = true;
                    match out {
                        Output::Op { token, op } => {
                            let result = node.kernel.perform(now, op);
                            node.agent.handle_input(now, Input::OpDone { token, result });
                        }
                        Output::Detached(op) => {
                            if let Err(e) = node.kernel.perform(now, op) {
                                tracing::debug!("detached operation failed: {e}");
                            }
                        }
                        Output::Reply { token, reply } => node.replies.push((token, reply)),
                        Output::Event(e) => node.events.push((now, e)),
                        Output::OpenCtrl { ifname } => {
                            node.ctrl_sockets.insert(ifname);
                        }
                        Output::CloseCtrl { ifname } => {
                            node.ctrl_sockets.remove(&ifname);
                        }
                        other => node.other.push(other),
                    }
                }
                for mut f in node.kernel.tx.drain(..) {
                    f.from = Some(NodeId(n));
                    self.air.push(f);
                }
                for k in node.kernel.due(now) {
                    busy = true;
                    node.inputs.push_back(Input::Kernel(k));
                }
                if node.agent.poll_timeout().is_some_and(|t| t <= now) {
                    busy = true;
                    node.agent.handle_input(now, Input::Timeout);
                }
            }
            busy |= self.deliver_due();
            if !busy {
                return;
            }
        }
    }

    fn lost(&mut self) -> bool {
        if self.loss_per_mille == 0 {
            return false;
        }
        // xorshift64*: repeatable.
        let mut x = self.loss_state;
        x ^= x >> 12;
        x ^= x << 25;
        x ^= x >> 27;
        self.loss_state = x;
        (x.wrapping_mul(0x2545_f491_4f6c_dd1d) >> 32) % 1000 < u64::from(self.loss_per_mille)
    }

    /// Delivers the frames due now; whether any was.
    fn deliver_due(&mut self) -> bool {
        let now = self.now;
        let (due, rest): (Vec<_>, Vec<_>) = std::mem::take(&mut self.air).into_iter().partition(|f| f.at <= now);
        self.air = rest;
        let any = !due.is_empty();
        for f in due {
            let lost = self.lost();
            let mut acked = false;
            let mut claimed = false;
            if !lost {
                for (n, node) in self.nodes.iter_mut().enumerate() {
                    if f.from == Some(NodeId(n)) {
                        continue;
                    }
                    let (ack, events) = node.kernel.receive(now, f.freq, &f.what);
                    acked |= ack;
                    claimed |= ack || !events.is_empty();
                    node.inputs.extend(events.into_iter().map(Input::Kernel));
                }
                if !claimed {
                    self.unclaimed.push((now, f.freq, f.what.clone()));
                }
            }
            if let (Some(from), Some((target, cookie)), Carried::Mgmt(frame)) = (f.from, f.status, &f.what) {
                let broadcast = MgmtRepr::parse_bytes(frame).is_ok_and(|m| m.header.addr1 == MacAddr::BROADCAST);
                let (wdev, ifindex) = match target {
                    IfTarget::Ifindex(i) => (None, Some(i)),
                    IfTarget::Wdev(w) => (Some(w), None),
                };
                let event = KernelEvent::TxStatus { cookie, frame: frame.clone(), ack: !lost && (acked || broadcast) };
                self.nodes[from.0].inputs.push_back(Input::Kernel(Kernel { wdev, ifindex, event }));
            }
        }
        any
    }

    /// Runs until `done` holds (true) or virtual time passes `limit` from now (false).
    pub fn run_until(&mut self, limit: Duration, mut done: impl FnMut(&Sim) -> bool) -> bool {
        let end = self.now + limit;
        loop {
            self.settle();
            if done(self) {
                return true;
            }
            let next = self
                .air
                .iter()
                .map(|f| f.at)
                .chain(self.nodes.iter().filter_map(|n| n.kernel.next_due()))
                .chain(self.nodes.iter().filter_map(|n| n.agent.poll_timeout()))
                .min();
            match next {
                Some(t) if t <= end => self.now = t.max(self.now),
                _ => {
                    self.now = end;
                    return false;
                }
            }
        }
    }

    /// Runs for `d` of virtual time.
    pub fn run_for(&mut self, d: Duration) {
        self.run_until(d, |_| false);
    }
}

/// A radio with the 2.4 GHz channels 1-11, OFDM rates.
fn sim_wiphy(index: u32) -> nl80211::Wiphy {
    let freqs = (0..11)
        .map(|c| nl80211::wiphy::Freq {
            mhz: 2412 + 5 * c,
            offset_khz: None,
            disabled: false,
            no_ir: false,
            radar: false,
            max_power_mbm: Some(2000),
            other: Vec::new(),
        })
        .collect();
    nl80211::Wiphy {
        index,
        name: format!("phy{index}"),
        bands: vec![nl80211::wiphy::Band {
            id: nl80211::BandId::Ghz2,
            freqs,
            rates: vec![10, 20, 55, 110, 60, 90, 120, 180, 240, 360, 480, 540],
            ht_capa: None,
            ht_mcs_set: None,
            vht_capa: None,
            vht_mcs_set: None,
            other: Vec::new(),
        }],
        ..Default::default()
    }
}

// ---- helpers the scenario tests share ----

/// A node's P2P device address.
pub fn addr(sim: &Sim, n: NodeId) -> MacAddr {
    sim.node(n).agent.device().addr
}

/// A node's events as wpa_supplicant's text, in order.
pub fn events_text(sim: &Sim, n: NodeId) -> Vec<String> {
    sim.node(n).events.iter().map(|(_, e)| e.to_string()).collect()
}

/// Whether `by` reported `whom` with `P2P-DEVICE-FOUND`.
pub fn found(sim: &Sim, by: NodeId, whom: MacAddr) -> bool {
    sim.node(by).saw(|e| matches!(e, Event::DeviceFound(d) if d.p2p_dev_addr == whom))
}

/// `p2p_state=` of a node's `STATUS`.
pub fn p2p_state(sim: &mut Sim, n: NodeId) -> String {
    let s = sim.ctrl(n, CtrlSocket::Device, "STATUS");
    s.lines().find_map(|l| l.strip_prefix("p2p_state=")).unwrap_or("(none)").to_owned()
}

/// Both nodes `P2P_FIND` until each reported the other (at most 20 s of simulated time);
/// the seconds it took.
pub fn meet(sim: &mut Sim, a: NodeId, b: NodeId) -> f64 {
    let (aa, ba) = (addr(sim, a), addr(sim, b));
    let t0 = sim.now;
    assert_eq!(sim.ctrl(a, CtrlSocket::Device, "P2P_FIND"), "OK\n");
    assert_eq!(sim.ctrl(b, CtrlSocket::Device, "P2P_FIND"), "OK\n");
    let met = sim.run_until(Duration::from_secs(20), |s| found(s, a, ba) && found(s, b, aa));
    assert!(met, "both found each other: {:?} / {:?}", sim.node(a).events, sim.node(b).events);
    (sim.now - t0).as_secs_f64()
}
