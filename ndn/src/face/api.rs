//! The in-process API for the agent: faces, routes, serving a prefix, expressing Interests.

use crate::fw::{Counters, FaceCounters, FaceInfo, FaceUri, Forwarder};
use crate::table::FibEntry;
use crate::packet::lp::{LpPacket, NackReason};
use crate::packet::{Data, Interest, Name};
use crate::table::FaceId;
use std::time::Instant;
use tokio::sync::{mpsc, oneshot};

/// A producer callback: runs on the forwarding core for each Interest under its prefix,
/// with read access to the forwarder (its FIB, RIB, faces); return the Data to answer with
/// (signed DigestSha256 if it carries no signature), or None to stay silent.
pub type InterestHandler = Box<dyn FnMut(&Interest, &Forwarder) -> Option<Data> + Send>;

/// Why `express` gave no Data.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ExpressError {
    #[error("Interest timed out")]
    Timeout,
    #[error("Interest was Nacked ({0:?})")]
    Nack(NackReason),
    #[error("the forwarder has stopped")]
    Stopped,
}

pub(crate) enum AppFace {
    Consumer,
    Producer(InterestHandler),
}

#[allow(clippy::large_enum_variant)] // one command at a time; boxing buys nothing
pub(crate) enum Command {
    AddFace { remote: FaceUri, reply: oneshot::Sender<Result<FaceId, String>> },
    RemoveFace { face: FaceId, reply: oneshot::Sender<bool> },
    AddRoute { prefix: Name, face: FaceId, cost: u64, reply: oneshot::Sender<bool> },
    RemoveRoute { prefix: Name, face: FaceId, reply: oneshot::Sender<bool> },
    Serve { prefix: Name, handler: InterestHandler, reply: oneshot::Sender<FaceId> },
    Express { interest: Interest, reply: oneshot::Sender<Result<Data, ExpressError>> },
    Put { face: FaceId, data: Data, reply: oneshot::Sender<bool> },
    Listen { uri: FaceUri, reply: oneshot::Sender<Result<FaceUri, String>> },
    Unlisten { uri: FaceUri, reply: oneshot::Sender<bool> },
    Faces { reply: oneshot::Sender<Vec<(FaceId, FaceInfo, FaceCounters)>> },
    Fib { reply: oneshot::Sender<Vec<FibEntry>> },
    Counters { reply: oneshot::Sender<Counters> },
    Shutdown,
}

pub(crate) struct Pending {
    pub interest: Interest,
    pub deadline: Instant,
    pub reply: oneshot::Sender<Result<Data, ExpressError>>,
}

/// Cloneable handle to a running forwarder.
#[derive(Clone, Debug)]
pub struct Handle {
    tx: mpsc::UnboundedSender<Command>,
}

impl Handle {
    pub(crate) fn new(tx: mpsc::UnboundedSender<Command>) -> Self {
        Handle { tx }
    }

    async fn ask<T>(&self, make: impl FnOnce(oneshot::Sender<T>) -> Command) -> Option<T> {
        let (tx, rx) = oneshot::channel();
        self.tx.send(make(tx)).ok()?;
        rx.await.ok()
    }

    /// Opens a face to `udp4://a.b.c.d:port` or `tcp4://a.b.c.d:port`.
    pub async fn add_face(&self, remote: FaceUri) -> Result<FaceId, String> {
        self.ask(|reply| Command::AddFace { remote, reply }).await.unwrap_or_else(|| Err("forwarder stopped".into()))
    }

    /// Closes a face; its routes go with it.
    pub async fn remove_face(&self, face: FaceId) -> bool {
        self.ask(|reply| Command::RemoveFace { face, reply }).await.unwrap_or(false)
    }

    /// Adds a static route (origin 255).
    pub async fn add_route(&self, prefix: Name, face: FaceId, cost: u64) -> bool {
        self.ask(|reply| Command::AddRoute { prefix, face, cost, reply }).await.unwrap_or(false)
    }

    pub async fn remove_route(&self, prefix: Name, face: FaceId) -> bool {
        self.ask(|reply| Command::RemoveRoute { prefix, face, reply }).await.unwrap_or(false)
    }

    /// Serves `prefix` with `handler` (an in-process application face plus a route).
    pub async fn serve(
        &self,
        prefix: Name,
        handler: impl FnMut(&Interest, &Forwarder) -> Option<Data> + Send + 'static,
    ) -> Option<FaceId> {
        self.ask(|reply| Command::Serve { prefix, handler: Box::new(handler), reply }).await
    }

    /// Expresses an Interest and waits for its Data, a Nack, or the InterestLifetime.
    /// A Nonce is added if the Interest has none.
    pub async fn express(&self, interest: Interest) -> Result<Data, ExpressError> {
        self.ask(|reply| Command::Express { interest, reply }).await.unwrap_or(Err(ExpressError::Stopped))
    }

    /// Puts a Data on a producer face made by [`Handle::serve`], as if its handler had
    /// answered: for a handler that returned None and answers later. Signed DigestSha256
    /// if it carries no signature. False if `face` is not such a face.
    pub async fn put(&self, face: FaceId, data: Data) -> bool {
        self.ask(|reply| Command::Put { face, data, reply }).await.unwrap_or(false)
    }

    /// Starts a `tcp4://` or `udp4://` listener while running (port 0 picks a free port);
    /// returns the address actually bound.
    pub async fn listen(&self, uri: FaceUri) -> Result<FaceUri, String> {
        self.ask(|reply| Command::Listen { uri, reply }).await.unwrap_or_else(|| Err("forwarder stopped".into()))
    }

    /// Stops a listener started with [`Handle::listen`] (or at start), by the address it
    /// bound. The faces of a UDP listener close with it; accepted TCP faces stay.
    pub async fn unlisten(&self, uri: FaceUri) -> bool {
        self.ask(|reply| Command::Unlisten { uri, reply }).await.unwrap_or(false)
    }

    /// Faces with their description and counters (the management face excluded).
    pub async fn faces(&self) -> Vec<(FaceId, FaceInfo, FaceCounters)> {
        self.ask(|reply| Command::Faces { reply }).await.unwrap_or_default()
    }

    /// The FIB in canonical name order.
    pub async fn fib(&self) -> Vec<FibEntry> {
        self.ask(|reply| Command::Fib { reply }).await.unwrap_or_default()
    }

    pub async fn counters(&self) -> Option<Counters> {
        self.ask(|reply| Command::Counters { reply }).await
    }

    /// Stops the forwarding core (listeners closed, the Unix socket file removed).
    pub fn shutdown(&self) {
        let _ = self.tx.send(Command::Shutdown);
    }
}

/// A packet the forwarder sent to the consumer face: Data or Nack for pending expresses.
pub(crate) fn deliver_to_consumer(pending: &mut Vec<Pending>, packet: &[u8]) {
    let (net, nack) = match packet.first() {
        Some(&100) => match LpPacket::decode(packet) {
            Ok(lp) => match lp.fragment {
                Some(f) => (f.to_vec(), lp.nack),
                None => return,
            },
            Err(_) => return,
        },
        _ => (packet.to_vec(), None),
    };
    if let Some(reason) = nack {
        let Ok(i) = Interest::decode(&net) else { return };
        take(pending, |p| p.interest.name == i.name && p.interest.nonce == i.nonce, || Err(ExpressError::Nack(reason)));
        return;
    }
    let Ok(d) = Data::decode(&net) else { return };
    take(pending, |p| p.interest.matches_data(&d.name, &net), || Ok(d.clone()));
}

fn take(pending: &mut Vec<Pending>, pred: impl Fn(&Pending) -> bool, result: impl Fn() -> Result<Data, ExpressError>) {
    let mut i = 0;
    while i < pending.len() {
        if pred(&pending[i]) {
            let p = pending.swap_remove(i);
            let _ = p.reply.send(result());
        } else {
            i += 1;
        }
    }
}

pub(crate) fn expire_pending(pending: &mut Vec<Pending>, now: Instant) {
    take(pending, |p| p.deadline <= now || p.reply.is_closed(), || Err(ExpressError::Timeout));
}

pub(crate) fn fail_all(pending: &mut Vec<Pending>) {
    take(pending, |_| true, || Err(ExpressError::Stopped));
}

/// Runs a producer handler on an Interest the forwarder sent to its face.
pub(crate) fn run_handler(h: &mut InterestHandler, fw: &Forwarder, packet: &[u8]) -> Option<Vec<u8>> {
    let i = Interest::decode(packet).ok()?;
    h(&i, fw).map(super::finish_data)
}
