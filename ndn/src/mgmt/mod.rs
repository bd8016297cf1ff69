//! The NFD management subset, enough for unmodified NDN applications:
//! `rib/register`, `rib/unregister`, `faces/create` (udp4/tcp4), `faces/destroy`, and the
//! `faces/list`, `fib/list`, `rib/list`, `status/general` datasets.
//!
//! Commands arrive as v0.2 command Interests (`.../<ControlParameters>/<timestamp>/<nonce>/
//! <SignatureInfo>/<SignatureValue>`) or v0.3 signed Interests (`.../<ControlParameters>/
//! params-sha256=...` with InterestSignatureInfo). DigestSha256 signatures are checked;
//! other signature types are accepted unverified (this forwarder has no trust anchors;
//! `/localhost/nfd` is only reachable from local faces). Replies are Data named as the
//! Interest carrying a ControlResponse, signed DigestSha256. From non-local faces (which can
//! only reach `/localhop/nfd`) only `rib/*` commands and the datasets are served.

pub mod control;
pub mod dataset;

pub use control::{ControlParameters, ControlResponse};

use crate::fw::{FaceInfo, FacePersistency, FaceScope, FaceUri, Forwarder, MGMT_FACE, Output};
use crate::packet::interest::InterestLayout;
use crate::packet::{Component, Data, Interest, MetaInfo, Name, SignatureInfo, SignatureType, ct_eq, sha256, tt};
use crate::table::{FaceId, Route, RouteFlags};
use crate::tlv;
use std::time::{Duration, Instant};

/// FreshnessPeriod of dataset segments (as NFD).
const DATASET_FRESHNESS_MS: u64 = 1000;

/// Checks the signature of a command Interest in either form. Returns false when the
/// Interest is unsigned or a DigestSha256 signature does not match.
pub fn command_signature_ok(interest: &Interest, layout: &InterestLayout, wire: &[u8]) -> bool {
    if let Some((si, _)) = &interest.signature {
        return si.sig_type != SignatureType::DigestSha256 || interest.verify_digest_sha256(wire, layout);
    }
    // v0.2: the last two components are SignatureInfo and SignatureValue TLVs.
    let n = interest.name.len();
    if n < 9 {
        return false;
    }
    let (Some(info), Some(value)) = (interest.name.get(n - 2), interest.name.get(n - 1)) else { return false };
    let Ok(info) = tlv::expect_single(info.value, tt::SIGNATURE_INFO) else { return false };
    let Ok(si) = SignatureInfo::from_value(info.value) else { return false };
    let Ok(value) = tlv::expect_single(value.value, tt::SIGNATURE_VALUE) else { return false };
    if si.sig_type != SignatureType::DigestSha256 {
        return true;
    }
    let signed = interest.name.prefix_value(n - 1);
    ct_eq(&sha256(&[signed]), value.value)
}

fn comp_str(name: &Name, i: usize) -> &[u8] {
    name.get(i).map(|c| c.value).unwrap_or_default()
}

impl Forwarder {
    pub(crate) fn handle_management(
        &mut self,
        now: Instant,
        face: FaceId,
        interest: &Interest,
        layout: &InterestLayout,
        wire: &[u8],
        token: Option<&[u8]>,
    ) {
        let name = &interest.name;
        let module = comp_str(name, 2);
        let verb = comp_str(name, 3);
        let dataset = match (module, verb) {
            (b"faces", b"list") => Some(dataset::faces_list(self)),
            (b"fib", b"list") => Some(dataset::fib_list(self)),
            (b"rib", b"list") => Some(dataset::rib_list(self, now)),
            (b"status", b"general") => Some(dataset::general_status(self, now)),
            _ => None,
        };
        if let Some(content) = dataset {
            self.reply_dataset(now, face, name, content, token);
            return;
        }
        let resp = match ControlParameters::decode(comp_str(name, 4)) {
            _ if name.len() < 5 => ControlResponse::new(400, "malformed command", None),
            Err(_) => ControlResponse::new(400, "malformed ControlParameters", None),
            Ok(_) if !command_signature_ok(interest, layout, wire) => {
                ControlResponse::new(403, "authorization rejected", None)
            }
            // A neighbour (via /localhop/nfd) may manage its own routes, not our faces.
            Ok(_) if module != b"rib" && self.faces.get(&face).is_some_and(|f| f.info.scope != FaceScope::Local) => {
                ControlResponse::new(403, "only rib commands are accepted from non-local faces", None)
            }
            Ok(p) => match (module, verb) {
                (b"rib", b"register") => self.rib_register(now, face, p),
                (b"rib", b"unregister") => self.rib_unregister(face, p),
                (b"faces", b"create") => match self.faces_create(face, name, p, token) {
                    Some(r) => r,
                    None => return, // answered when the face comes up
                },
                (b"faces", b"destroy") => self.faces_destroy(p),
                _ => ControlResponse::new(501, "unsupported command", None),
            },
        };
        tracing::debug!(%name, code = resp.code, text = %resp.text, "management command");
        self.reply_control(face, name, &resp, token);
    }

    fn reply_control(&mut self, face: FaceId, name: &Name, resp: &ControlResponse, token: Option<&[u8]>) {
        let mut d = Data::new(name.clone(), resp.encode());
        let wire = d.sign_digest_sha256_and_encode();
        self.count_mgmt_out();
        self.reply(face, wire, token);
    }

    fn count_mgmt_out(&mut self) {
        if let Some(f) = self.faces.get_mut(&MGMT_FACE) {
            f.counters.out_data += 1;
        }
    }

    fn reply_dataset(&mut self, now: Instant, face: FaceId, name: &Name, content: Vec<u8>, token: Option<&[u8]>) {
        // The Interest names the dataset (4 components) or a version/segment 0 of it.
        let base = name.prefix(4);
        let extra: Vec<_> = name.iter().skip(4).collect();
        let ok = match extra.as_slice() {
            [] => true,
            [v] => v.typ == tt::VERSION,
            [v, s] => v.typ == tt::VERSION && s.typ == tt::SEGMENT && s.as_number() == Some(0),
            _ => false,
        };
        if !ok {
            return;
        }
        let version = match extra.first() {
            Some(v) => v.as_number().unwrap_or(0),
            None => self.unix_ms(now),
        };
        let seg0 = Component::number(tt::SEGMENT, 0);
        let data_name = base.with(Component::number(tt::VERSION, version)).with(seg0.clone());
        let mut d = Data::new(data_name, content);
        d.meta_info = Some(MetaInfo { content_type: None, freshness_period_ms: Some(DATASET_FRESHNESS_MS), final_block_id: Some(seg0) });
        let wire = d.sign_digest_sha256_and_encode();
        self.count_mgmt_out();
        self.reply(face, wire, token);
    }

    fn rib_register(&mut self, now: Instant, face: FaceId, p: ControlParameters) -> ControlResponse {
        let Some(prefix) = p.name.clone() else { return ControlResponse::new(400, "Name is required", None) };
        let target = p.face_id.filter(|f| *f != 0).unwrap_or(face);
        if !self.faces.contains_key(&target) || target == MGMT_FACE {
            return ControlResponse::new(410, "Face not found", None);
        }
        let origin = p.origin.unwrap_or(0);
        let cost = p.cost.unwrap_or(0);
        let flags = p.flags.unwrap_or(RouteFlags::CHILD_INHERIT);
        let expires = p.expiration_period.map(|ms| now + Duration::from_millis(ms));
        self.insert_route(&prefix, Route { face: target, origin, cost, flags: RouteFlags(flags), expires });
        let body = ControlParameters {
            name: Some(prefix),
            face_id: Some(target),
            origin: Some(origin),
            cost: Some(cost),
            flags: Some(flags),
            expiration_period: p.expiration_period,
            ..Default::default()
        };
        ControlResponse::new(200, "OK", Some(body))
    }

    fn rib_unregister(&mut self, face: FaceId, p: ControlParameters) -> ControlResponse {
        let Some(prefix) = p.name.clone() else { return ControlResponse::new(400, "Name is required", None) };
        let target = p.face_id.filter(|f| *f != 0).unwrap_or(face);
        let origin = p.origin.unwrap_or(0);
        self.remove_route(&prefix, target, origin);
        let body = ControlParameters { name: Some(prefix), face_id: Some(target), origin: Some(origin), ..Default::default() };
        ControlResponse::new(200, "OK", Some(body))
    }

    fn face_body(&self, id: FaceId) -> ControlParameters {
        let info = self.faces.get(&id).map(|f| &f.info);
        ControlParameters {
            face_id: Some(id),
            uri: info.map(|i| i.remote.to_string()),
            local_uri: info.map(|i| i.local.to_string()),
            face_persistency: info.map(|i| i.persistency as u64),
            flags: Some(0),
            ..Default::default()
        }
    }

    /// faces/create: None means the reply waits for `face_up` / `face_failed`.
    fn faces_create(&mut self, face: FaceId, name: &Name, p: ControlParameters, token: Option<&[u8]>) -> Option<ControlResponse> {
        let Some(uri) = p.uri.as_deref() else { return Some(ControlResponse::new(400, "Uri is required", None)) };
        let remote: FaceUri = match uri.parse() {
            Ok(u @ (FaceUri::Udp4(_) | FaceUri::Tcp4(_))) => u,
            Ok(_) | Err(crate::fw::face::FaceUriError::Scheme(_)) => {
                return Some(ControlResponse::new(406, "unsupported protocol", None));
            }
            Err(_) => return Some(ControlResponse::new(400, "malformed Uri", None)),
        };
        if let Some((&id, _)) = self.faces.iter().find(|(_, f)| f.info.remote == remote) {
            return Some(ControlResponse::new(409, "Face with remote URI already exists", Some(self.face_body(id))));
        }
        let persistency = match p.face_persistency {
            Some(1) => FacePersistency::OnDemand,
            Some(2) => FacePersistency::Permanent,
            _ => FacePersistency::Persistent,
        };
        let local = match &remote {
            FaceUri::Udp4(_) => FaceUri::Udp4(std::net::SocketAddrV4::new(std::net::Ipv4Addr::UNSPECIFIED, 0)),
            _ => FaceUri::Tcp4(std::net::SocketAddrV4::new(std::net::Ipv4Addr::UNSPECIFIED, 0)),
        };
        let mut info = FaceInfo::new(remote.clone(), local).with_persistency(persistency);
        info.mtu = p.mtu;
        let id = self.allocate_face(info);
        self.pending_creates.insert(id, (face, name.clone(), token.map(<[u8]>::to_vec)));
        self.push_output(Output::OpenFace { face: id, remote });
        None
    }

    fn faces_destroy(&mut self, p: ControlParameters) -> ControlResponse {
        let Some(id) = p.face_id else { return ControlResponse::new(400, "FaceId is required", None) };
        if self.remove_face(id) {
            self.push_output(Output::CloseFace { face: id });
        }
        ControlResponse::new(200, "OK", Some(ControlParameters { face_id: Some(id), ..Default::default() }))
    }

    /// The driver opened a face that faces/create asked for; `local` is its local endpoint.
    pub fn face_up(&mut self, now: Instant, face: FaceId, local: Option<FaceUri>) {
        self.note_time(now);
        if let (Some(l), Some(f)) = (local, self.faces.get_mut(&face)) {
            f.info.local = l;
        }
        if let Some((reply_to, name, token)) = self.pending_creates.remove(&face) {
            let resp = ControlResponse::new(200, "OK", Some(self.face_body(face)));
            self.reply_control(reply_to, &name, &resp, token.as_deref());
        }
    }

    /// The driver could not open a face that faces/create asked for.
    pub fn face_failed(&mut self, now: Instant, face: FaceId, why: &str) {
        self.note_time(now);
        let pending = self.pending_creates.remove(&face);
        self.remove_face(face);
        if let Some((reply_to, name, token)) = pending {
            let resp = ControlResponse::new(504, &format!("failed to create face: {why}"), None);
            self.reply_control(reply_to, &name, &resp, token.as_deref());
        }
    }

    fn note_time(&mut self, now: Instant) {
        self.start.get_or_insert(now);
        self.last_now = Some(now);
    }
}
