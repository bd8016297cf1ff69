//! EAP-WSC fragmentation and reassembly. A message that does not fit `fragment_size`
//! (Op-Code + Flags + optional Length + data, as hostap counts it) goes out in pieces: the
//! first with More Fragments and the Length Field, the middle ones with More Fragments, the
//! last with no flag; the receiver answers each non-final piece with WSC_FRAG_ACK.

use super::{EapError, FLAG_LENGTH_FIELD, FLAG_MORE_FRAGMENTS, OpCode, WscFrame};

/// Smallest fragment size accepted (leaves room for at least 4 data bytes).
pub const MIN_FRAGMENT_SIZE: usize = 8;

/// Cuts one outgoing message into frames.
#[derive(Debug, Clone)]
pub struct Fragmenter {
    op: OpCode,
    data: Vec<u8>,
    sent: usize,
    finished: bool,
    fragment_size: usize,
}

impl Fragmenter {
    pub fn new(op: OpCode, data: Vec<u8>, fragment_size: usize) -> Result<Fragmenter, EapError> {
        if u16::try_from(data.len()).is_err() {
            return Err(EapError::TooLong(data.len()));
        }
        Ok(Fragmenter {
            op,
            data,
            sent: 0,
            finished: false,
            fragment_size: fragment_size.max(MIN_FRAGMENT_SIZE),
        })
    }

    /// Whether every byte has been handed out.
    pub fn is_done(&self) -> bool {
        self.finished
    }

    /// The next frame, or `None` once the whole message went out.
    pub fn next_frame(&mut self) -> Option<WscFrame> {
        if self.finished {
            return None;
        }
        let first = self.sent == 0;
        let left = self.data.len() - self.sent;
        let (mut flags, mut take, mut message_length) = (0u8, left, None);
        if 2 + left > self.fragment_size {
            flags |= FLAG_MORE_FRAGMENTS;
            take = self.fragment_size - 2;
            if first {
                flags |= FLAG_LENGTH_FIELD;
                take -= 2;
                // Checked in `new`.
                message_length = u16::try_from(self.data.len()).ok();
            }
        }
        let data = self.data[self.sent..self.sent + take].to_vec();
        self.sent += take;
        self.finished = self.sent >= self.data.len();
        Some(WscFrame {
            op: self.op,
            flags,
            message_length,
            data,
        })
    }
}

/// The outcome of feeding one frame to a [`Reassembler`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Reassembled {
    /// A whole message.
    Complete { op: OpCode, data: Vec<u8> },
    /// A non-final fragment was stored: answer with WSC_FRAG_ACK.
    NeedFragAck,
}

/// Collects incoming fragments.
#[derive(Debug, Clone, Default)]
pub struct Reassembler {
    partial: Option<(OpCode, usize, Vec<u8>)>,
}

impl Reassembler {
    pub fn new() -> Reassembler {
        Reassembler::default()
    }

    pub fn in_progress(&self) -> bool {
        self.partial.is_some()
    }

    /// Drops a partial message.
    pub fn reset(&mut self) {
        self.partial = None;
    }

    /// Feeds one frame (not a WSC_FRAG_ACK). On error the partial message is dropped.
    pub fn push(&mut self, frame: WscFrame) -> Result<Reassembled, EapError> {
        let r = self.push_inner(frame);
        if r.is_err() {
            self.partial = None;
        }
        r
    }

    fn push_inner(&mut self, f: WscFrame) -> Result<Reassembled, EapError> {
        let more = f.more_fragments();
        match self.partial.take() {
            None if more => {
                let total = usize::from(f.message_length.ok_or(EapError::NoLengthField)?);
                if f.data.len() > total {
                    return Err(EapError::Overrun(total));
                }
                self.partial = Some((f.op, total, f.data));
                Ok(Reassembled::NeedFragAck)
            }
            None => {
                if let Some(l) = f.message_length
                    && usize::from(l) != f.data.len()
                {
                    return Err(EapError::LengthMismatch {
                        announced: l.into(),
                        got: f.data.len(),
                    });
                }
                Ok(Reassembled::Complete {
                    op: f.op,
                    data: f.data,
                })
            }
            Some((op, total, mut buf)) => {
                if f.op != op {
                    return Err(EapError::OpCodeChanged {
                        first: op,
                        got: f.op,
                    });
                }
                if buf.len() + f.data.len() > total {
                    return Err(EapError::Overrun(total));
                }
                buf.extend_from_slice(&f.data);
                if more {
                    self.partial = Some((op, total, buf));
                    return Ok(Reassembled::NeedFragAck);
                }
                if buf.len() != total {
                    return Err(EapError::LengthMismatch {
                        announced: total,
                        got: buf.len(),
                    });
                }
                Ok(Reassembled::Complete { op, data: buf })
            }
        }
    }
}
