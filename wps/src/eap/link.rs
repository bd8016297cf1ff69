//! The EAP-WSC transport both machines share: EAP identifiers, fragmentation with
//! WSC_FRAG_ACK in both directions, retransmission detection. The registrar is the EAP
//! server (it sends Requests), the enrollee the EAP peer (it answers with Responses).

use std::collections::VecDeque;

use super::{
    EapBody, EapCode, EapError, EapPacket, Fragmenter, OpCode, Reassembled, Reassembler, WscFrame,
};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Side {
    /// Sends Requests (registrar, EAP authenticator).
    Server,
    /// Sends Responses (enrollee, EAP peer).
    Peer,
}

/// What a received packet means to the machine above.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum LinkEvent {
    /// Server side: the peer's EAP-Response/Identity.
    Identity(Vec<u8>),
    /// Peer side: EAP-Request/Identity.
    IdentityRequest,
    /// A whole EAP-WSC message (WSC_Start carries no data).
    Message {
        op: OpCode,
        data: Vec<u8>,
    },
    /// Peer side: EAP-Success / EAP-Failure.
    Success,
    Failure,
    /// A method other than WSC (for instance an EAP Nak).
    OtherMethod,
    /// Handled here (fragment acknowledgement, retransmission) or stale: nothing to do.
    Nothing,
}

#[derive(Debug)]
pub(crate) struct Link {
    side: Side,
    fragment_size: usize,
    /// Server: identifier of the outstanding request. Peer: of the request being answered.
    id: u8,
    awaiting_response: bool,
    out: Option<Fragmenter>,
    reasm: Reassembler,
    last_sent: Option<Vec<u8>>,
    last_request: Option<Vec<u8>>,
    pub tx: VecDeque<Vec<u8>>,
}

impl Link {
    pub fn new(side: Side, fragment_size: usize, first_id: u8) -> Link {
        Link {
            side,
            fragment_size,
            id: first_id.wrapping_sub(1),
            awaiting_response: false,
            out: None,
            reasm: Reassembler::new(),
            last_sent: None,
            last_request: None,
            tx: VecDeque::new(),
        }
    }

    fn code(&self) -> EapCode {
        match self.side {
            Side::Server => EapCode::REQUEST,
            Side::Peer => EapCode::RESPONSE,
        }
    }

    fn send(&mut self, body: EapBody) -> Result<(), EapError> {
        if self.side == Side::Server {
            self.id = self.id.wrapping_add(1);
            self.awaiting_response = true;
        }
        let bytes = EapPacket::new(self.code(), self.id, body).emit()?;
        self.last_sent = Some(bytes.clone());
        self.tx.push_back(bytes);
        Ok(())
    }

    /// Server: EAP-Request/Identity. Peer: EAP-Response/Identity with `identity`.
    pub fn send_identity(&mut self, identity: &[u8]) -> Result<(), EapError> {
        let body = match self.side {
            Side::Server => EapBody::Identity(Vec::new()),
            Side::Peer => EapBody::Identity(identity.to_vec()),
        };
        self.send(body)
    }

    /// Sends a WSC message, fragmented if it does not fit.
    pub fn send_message(&mut self, op: OpCode, data: Vec<u8>) -> Result<(), EapError> {
        let mut f = Fragmenter::new(op, data, self.fragment_size)?;
        let first = f.next_frame().ok_or(EapError::TooLong(0))?;
        self.out = (!f.is_done()).then_some(f);
        self.send(EapBody::Wsc(first))
    }

    /// Server only: EAP-Failure (the normal end of a WSC registration) with the current id.
    pub fn send_failure(&mut self) -> Result<(), EapError> {
        self.awaiting_response = false;
        let bytes = EapPacket::new(EapCode::FAILURE, self.id, EapBody::None).emit()?;
        self.last_sent = None;
        self.tx.push_back(bytes);
        Ok(())
    }

    /// Server: whether a request waits for its response (retransmission applies).
    pub fn awaiting_response(&self) -> bool {
        self.awaiting_response
    }

    /// Queues the last packet again (server retransmission).
    pub fn retransmit(&mut self) {
        if let Some(b) = self.last_sent.clone() {
            self.tx.push_back(b);
        }
    }

    pub fn receive(&mut self, bytes: &[u8]) -> Result<LinkEvent, EapError> {
        let pkt = EapPacket::parse(bytes)?;
        match (self.side, pkt.code) {
            (Side::Server, EapCode::RESPONSE) => self.server_receive(pkt),
            (Side::Peer, EapCode::REQUEST) => self.peer_receive(bytes, pkt),
            (Side::Peer, EapCode::SUCCESS) => Ok(LinkEvent::Success),
            (Side::Peer, EapCode::FAILURE) => Ok(LinkEvent::Failure),
            _ => Ok(LinkEvent::Nothing),
        }
    }

    fn server_receive(&mut self, pkt: EapPacket) -> Result<LinkEvent, EapError> {
        if !self.awaiting_response || pkt.id != self.id {
            return Ok(LinkEvent::Nothing);
        }
        self.awaiting_response = false;
        match pkt.body {
            EapBody::Identity(id) => Ok(LinkEvent::Identity(id)),
            EapBody::Wsc(frame) => self.frame(frame),
            _ => Ok(LinkEvent::OtherMethod),
        }
    }

    fn peer_receive(&mut self, bytes: &[u8], pkt: EapPacket) -> Result<LinkEvent, EapError> {
        if self.last_request.as_deref() == Some(bytes) {
            // The server did not get our answer: send it again, change nothing.
            self.retransmit();
            return Ok(LinkEvent::Nothing);
        }
        self.last_request = Some(bytes.to_vec());
        self.id = pkt.id;
        match pkt.body {
            EapBody::Identity(_) => Ok(LinkEvent::IdentityRequest),
            EapBody::Wsc(frame) => self.frame(frame),
            _ => Ok(LinkEvent::OtherMethod),
        }
    }

    fn frame(&mut self, frame: WscFrame) -> Result<LinkEvent, EapError> {
        if frame.op == OpCode::FRAG_ACK {
            if let Some(next) = self.out.as_mut().and_then(Fragmenter::next_frame) {
                if self.out.as_ref().is_some_and(Fragmenter::is_done) {
                    self.out = None;
                }
                self.send(EapBody::Wsc(next))?;
            }
            return Ok(LinkEvent::Nothing);
        }
        // Anything else while our own fragments are pending abandons them.
        self.out = None;
        match self.reasm.push(frame)? {
            Reassembled::NeedFragAck => {
                self.send(EapBody::Wsc(WscFrame::whole(OpCode::FRAG_ACK, Vec::new())))?;
                Ok(LinkEvent::Nothing)
            }
            Reassembled::Complete { op, data } => Ok(LinkEvent::Message { op, data }),
        }
    }
}
