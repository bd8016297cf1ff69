//! `p2p_frame!`: declares a typed P2P frame with its required and optional
//! attributes (as iwd's `p2putil.c` parse/build pairs do) and generates the struct,
//! `parse` (from a [`P2pActionFrame`]) and `to_frame` (back to one).
//!
//! Parse rules: a missing required attribute, a missing P2P IE where the frame needs
//! one, or a missing WSC IE where it is required, is a typed error. Attributes the
//! frame does not declare (or repeated ones) are kept in `extra` and re-emitted after
//! the declared ones; elements other than P2P and WSC IEs are kept in `other_ies`.
//! `to_frame` writes the declared attributes in the order the spec lists them.

/// Field type of a declared attribute.
macro_rules! attr_ty {
    (required $ty:ty) => { $ty };
    (optional $ty:ty) => { Option<$ty> };
}

/// Field type of the WSC payload.
macro_rules! wsc_ty {
    (required) => { Vec<u8> };
    (optional) => { Option<Vec<u8>> };
}

macro_rules! take_attr {
    (required, $v:ident, $frame:expr, $variant:ident) => {
        $v.ok_or(Error::MissingAttribute {
            frame: $frame,
            attr: stringify!($variant),
        })?
    };
    (optional, $v:ident, $frame:expr, $variant:ident) => {
        $v
    };
}

macro_rules! take_wsc {
    (required, $v:expr, $frame:expr) => {
        $v.ok_or(Error::MissingWsc($frame))?
    };
    (optional, $v:expr, $frame:expr) => {
        $v
    };
}

macro_rules! push_attr {
    (required, $attrs:ident, $variant:ident, $f:expr) => {
        $attrs.push(Attribute::$variant($f.clone()))
    };
    (optional, $attrs:ident, $variant:ident, $f:expr) => {
        if let Some(v) = &$f {
            $attrs.push(Attribute::$variant(v.clone()))
        }
    };
}

macro_rules! push_wsc {
    (required, $ies:ident, $w:expr) => {
        vendor::push_split(&mut $ies, VendorType::WSC, &$w)
    };
    (optional, $ies:ident, $w:expr) => {
        if let Some(w) = &$w {
            vendor::push_split(&mut $ies, VendorType::WSC, w)
        }
    };
}

macro_rules! p2p_frame {
    (
        $(#[$m:meta])*
        $name:ident = $kind:expr, p2p_ie: $p2p_req:ident, wsc: $wsc_req:ident {
            $( $(#[$fm:meta])* $req:ident $field:ident : $ty:ty = $variant:ident, )*
        }
    ) => {
        $(#[$m])*
        #[derive(Debug, Clone, PartialEq, Eq, Default)]
        pub struct $name {
            /// Dialog token.
            pub dialog_token: u8,
            $( $(#[$fm])* pub $field: attr_ty!($req $ty), )*
            /// WSC IE payload (WSC attributes; built and parsed by the `wps` crate).
            pub wsc: wsc_ty!($wsc_req),
            /// Attributes not declared for this frame, or repeated, in wire order.
            pub extra: Vec<Attribute>,
            /// Elements other than P2P and WSC IEs, raw (e.g. a Wi-Fi Display IE).
            pub other_ies: Vec<u8>,
        }

        impl $name {
            /// The frame's name in errors.
            pub const NAME: &'static str = stringify!($name);
            /// The frame family and subtype.
            pub const KIND: FrameKind = $kind;

            /// Reads the typed frame from a parsed P2P action frame.
            pub fn parse(frame: &P2pActionFrame) -> Result<Self, Error> {
                if frame.kind != Self::KIND {
                    return Err(Error::WrongFrame { expected: Self::KIND, got: frame.kind });
                }
                let ie = match frame.p2p_ie()? {
                    Some(ie) => ie,
                    None if stringify!($p2p_req) == "required" => {
                        return Err(Error::MissingP2pIe(Self::NAME));
                    }
                    None => P2pIe::default(),
                };
                $( let mut $field: Option<$ty> = None; )*
                let mut extra = Vec::new();
                for a in ie.attributes {
                    match a {
                        $( Attribute::$variant(v) if $field.is_none() => $field = Some(v), )*
                        other => extra.push(other),
                    }
                }
                Ok($name {
                    dialog_token: frame.dialog_token,
                    $( $field: take_attr!($req, $field, Self::NAME, $variant), )*
                    wsc: take_wsc!($wsc_req, frame.wsc_payload(), Self::NAME),
                    extra,
                    other_ies: vendor::without(
                        &vendor::without(&frame.ies, VendorType::P2P),
                        VendorType::WSC,
                    ),
                })
            }

            /// Parses an action body (category octet first).
            pub fn parse_bytes(action_body: &[u8]) -> Result<Self, Error> {
                Self::parse(&P2pActionFrame::parse(action_body)?)
            }

            /// The P2P IE content: declared attributes in spec order, then `extra`.
            #[allow(clippy::vec_init_then_push)]
            pub fn p2p_ie(&self) -> P2pIe {
                #[allow(unused_mut)]
                let mut attrs: Vec<Attribute> = Vec::new();
                $( push_attr!($req, attrs, $variant, self.$field); )*
                attrs.extend(self.extra.iter().cloned());
                P2pIe::new(attrs)
            }

            /// Builds the P2P action frame: P2P IE(s), WSC IE(s), then `other_ies`.
            /// With an optional P2P IE and no attribute to send, no P2P IE is written.
            pub fn to_frame(&self) -> Result<P2pActionFrame, Error> {
                let ie = self.p2p_ie();
                let mut ies = Vec::new();
                if stringify!($p2p_req) == "required" || !ie.attributes.is_empty() {
                    ie.push_ies(&mut ies)?;
                }
                push_wsc!($wsc_req, ies, self.wsc);
                ies.extend_from_slice(&self.other_ies);
                Ok(P2pActionFrame { kind: Self::KIND, dialog_token: self.dialog_token, ies })
            }

            /// The action body bytes (category octet first).
            pub fn to_bytes(&self) -> Result<Vec<u8>, Error> {
                Ok(self.to_frame()?.to_bytes())
            }
        }
    };
}

pub(crate) use {attr_ty, p2p_frame, push_attr, push_wsc, take_attr, take_wsc, wsc_ty};
