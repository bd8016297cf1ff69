//! WSC registration protocol messages (WSC 2.0 section 8.3): M1..M8, M2D, WSC_ACK,
//! WSC_NACK and WSC_Done. Each parser declares its required and optional attributes and
//! rejects a duplicated attribute, a missing required one or the wrong Message Type with a
//! typed error. Builders emit attributes in the order hostap and iwd use. Attributes a
//! message does not declare are kept in `extra` and emitted again after the declared ones.

mod exchange;
mod registration;
mod settings;

use crate::attr::{
    AttrError, AttrType, Attribute, MessageType, VERSION1, VendorExtension, WfaSubelement,
};

pub use exchange::{Ack, Done, M3, M4, M5, M6, M7, M8, Nack};
pub use registration::{DeviceInfo, M1, M2, M2D};
pub use settings::{Credential, M8Settings, build_snonce_settings, parse_snonce_settings};

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum MessageError {
    #[error(transparent)]
    Attr(#[from] AttrError),
    #[error("required attribute {0:?} missing")]
    Missing(AttrType),
    #[error("attribute {0:?} appears more than once")]
    Duplicate(AttrType),
    #[error("expected message type {expected:?}, got {got:?}")]
    WrongType {
        expected: MessageType,
        got: MessageType,
    },
    #[error("unknown or unsupported message type {0:?}")]
    UnknownType(MessageType),
    #[error("the Authenticator must be the last attribute")]
    AuthenticatorNotLast,
}

/// Attributes that may legitimately repeat inside one message or settings blob.
fn may_repeat(kind: AttrType) -> bool {
    kind == AttrType::VENDOR_EXTENSION || kind == AttrType::CREDENTIAL
}

/// A parsed attribute list being taken apart by a message parser.
pub(crate) struct Fields {
    attrs: Vec<Option<Attribute>>,
    /// Subelements of the first WFA vendor extension (empty if there was none).
    pub wfa: Vec<WfaSubelement>,
}

impl Fields {
    pub fn parse(buf: &[u8]) -> Result<Fields, MessageError> {
        let mut attrs: Vec<Option<Attribute>> = Vec::new();
        let mut wfa = None;
        for a in Attribute::parse_all(buf)? {
            let kind = a.kind();
            if !may_repeat(kind) && attrs.iter().flatten().any(|b| b.kind() == kind) {
                return Err(MessageError::Duplicate(kind));
            }
            match a {
                Attribute::VendorExtension(VendorExtension::Wfa(subs)) if wfa.is_none() => {
                    wfa = Some(subs)
                }
                other => attrs.push(Some(other)),
            }
        }
        Ok(Fields {
            attrs,
            wfa: wfa.unwrap_or_default(),
        })
    }

    /// Takes the attribute of `kind`, if present.
    pub fn take(&mut self, kind: AttrType) -> Option<Attribute> {
        self.attrs
            .iter_mut()
            .find(|a| a.as_ref().is_some_and(|a| a.kind() == kind))?
            .take()
    }

    /// Checks Version (present) and Message Type (equal to `mt`).
    pub fn header(&mut self, mt: MessageType) -> Result<(), MessageError> {
        match self.take(AttrType::VERSION) {
            Some(Attribute::Version(_)) => {}
            _ => return Err(MessageError::Missing(AttrType::VERSION)),
        }
        match self.take(AttrType::MESSAGE_TYPE) {
            Some(Attribute::MessageType(got)) if got == mt => Ok(()),
            Some(Attribute::MessageType(got)) => Err(MessageError::WrongType { expected: mt, got }),
            _ => Err(MessageError::Missing(AttrType::MESSAGE_TYPE)),
        }
    }

    /// Takes the Authenticator, which must have been the last attribute.
    pub fn authenticator(&mut self) -> Result<[u8; 8], MessageError> {
        let last = self.attrs.iter().rposition(Option::is_some);
        let pos = self
            .attrs
            .iter()
            .position(|a| matches!(a, Some(Attribute::Authenticator(_))))
            .ok_or(MessageError::Missing(AttrType::AUTHENTICATOR))?;
        if Some(pos) != last {
            return Err(MessageError::AuthenticatorNotLast);
        }
        match self.attrs[pos].take() {
            Some(Attribute::Authenticator(a)) => Ok(a),
            _ => Err(MessageError::Missing(AttrType::AUTHENTICATOR)),
        }
    }

    /// What is left: attributes the message does not declare.
    pub fn rest(self) -> Vec<Attribute> {
        self.attrs.into_iter().flatten().collect()
    }
}

/// `req!(fields, Variant, TYPE)` takes a required attribute; `opt!` an optional one.
macro_rules! req {
    ($f:expr, $var:ident, $kind:ident) => {
        match $f.take($crate::attr::AttrType::$kind) {
            Some($crate::attr::Attribute::$var(v)) => v,
            _ => {
                return Err($crate::message::MessageError::Missing(
                    $crate::attr::AttrType::$kind,
                ))
            }
        }
    };
}
macro_rules! opt {
    ($f:expr, $var:ident, $kind:ident) => {
        match $f.take($crate::attr::AttrType::$kind) {
            Some($crate::attr::Attribute::$var(v)) => Some(v),
            _ => None,
        }
    };
}
pub(crate) use {opt, req};

/// Accumulates a message's attributes in order.
pub(crate) struct Builder(Vec<u8>, Result<(), AttrError>);

impl Builder {
    pub fn new(mt: MessageType) -> Builder {
        let mut b = Builder(Vec::new(), Ok(()));
        b.push(Attribute::Version(VERSION1));
        b.push(Attribute::MessageType(mt));
        b
    }
    pub fn bare() -> Builder {
        Builder(Vec::new(), Ok(()))
    }
    pub fn push(&mut self, a: Attribute) {
        if self.1.is_ok() {
            self.1 = a.emit(&mut self.0);
        }
    }
    pub fn push_opt(&mut self, a: Option<Attribute>) {
        if let Some(a) = a {
            self.push(a);
        }
    }
    /// WFA extension (if any subelements) then the undeclared extras.
    pub fn tail(&mut self, wfa: &[WfaSubelement], extra: &[Attribute]) {
        if !wfa.is_empty() {
            self.push(Attribute::VendorExtension(VendorExtension::Wfa(
                wfa.to_vec(),
            )));
        }
        for a in extra {
            self.push(a.clone());
        }
    }
    pub fn finish(self, authenticator: Option<[u8; 8]>) -> Result<Vec<u8>, MessageError> {
        let mut b = self;
        b.push_opt(authenticator.map(Attribute::Authenticator));
        b.1?;
        Ok(b.0)
    }
}

/// Version2 announced in a WFA subelement list.
pub fn version2(wfa: &[WfaSubelement]) -> Option<u8> {
    wfa.iter().find_map(|s| match s {
        WfaSubelement::Version2(v) => Some(*v),
        _ => None,
    })
}

/// Any registration message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Message {
    M1(Box<M1>),
    M2(Box<M2>),
    M2D(Box<M2D>),
    M3(M3),
    M4(M4),
    M5(M5),
    M6(M6),
    M7(M7),
    M8(M8),
    Ack(Ack),
    Nack(Nack),
    Done(Done),
}

/// Reads the Message Type of a WSC message without parsing the rest.
pub fn peek_type(buf: &[u8]) -> Result<MessageType, MessageError> {
    for a in crate::attr::raw_attrs(buf) {
        let a = a?;
        if a.kind == AttrType::MESSAGE_TYPE {
            return match a.value {
                [t] => Ok(MessageType(*t)),
                v => Err(AttrError::BadLength {
                    kind: a.kind,
                    len: v.len(),
                }
                .into()),
            };
        }
    }
    Err(MessageError::Missing(AttrType::MESSAGE_TYPE))
}

impl Message {
    pub fn parse(buf: &[u8]) -> Result<Message, MessageError> {
        Ok(match peek_type(buf)? {
            MessageType::M1 => Message::M1(Box::new(M1::parse(buf)?)),
            MessageType::M2 => Message::M2(Box::new(M2::parse(buf)?)),
            MessageType::M2D => Message::M2D(Box::new(M2D::parse(buf)?)),
            MessageType::M3 => Message::M3(M3::parse(buf)?),
            MessageType::M4 => Message::M4(M4::parse(buf)?),
            MessageType::M5 => Message::M5(M5::parse(buf)?),
            MessageType::M6 => Message::M6(M6::parse(buf)?),
            MessageType::M7 => Message::M7(M7::parse(buf)?),
            MessageType::M8 => Message::M8(M8::parse(buf)?),
            MessageType::WSC_ACK => Message::Ack(Ack::parse(buf)?),
            MessageType::WSC_NACK => Message::Nack(Nack::parse(buf)?),
            MessageType::WSC_DONE => Message::Done(Done::parse(buf)?),
            other => return Err(MessageError::UnknownType(other)),
        })
    }

    pub fn message_type(&self) -> MessageType {
        match self {
            Message::M1(_) => MessageType::M1,
            Message::M2(_) => MessageType::M2,
            Message::M2D(_) => MessageType::M2D,
            Message::M3(_) => MessageType::M3,
            Message::M4(_) => MessageType::M4,
            Message::M5(_) => MessageType::M5,
            Message::M6(_) => MessageType::M6,
            Message::M7(_) => MessageType::M7,
            Message::M8(_) => MessageType::M8,
            Message::Ack(_) => MessageType::WSC_ACK,
            Message::Nack(_) => MessageType::WSC_NACK,
            Message::Done(_) => MessageType::WSC_DONE,
        }
    }

    pub fn emit(&self) -> Result<Vec<u8>, MessageError> {
        match self {
            Message::M1(m) => m.emit(),
            Message::M2(m) => m.emit(),
            Message::M2D(m) => m.emit(),
            Message::M3(m) => m.emit(),
            Message::M4(m) => m.emit(),
            Message::M5(m) => m.emit(),
            Message::M6(m) => m.emit(),
            Message::M7(m) => m.emit(),
            Message::M8(m) => m.emit(),
            Message::Ack(m) => m.emit(),
            Message::Nack(m) => m.emit(),
            Message::Done(m) => m.emit(),
        }
    }
}
