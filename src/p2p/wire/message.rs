//! Any P2P action frame, dispatched on family and subtype.

use super::Error;
use super::action::{FrameKind, P2pActionFrame};
use super::consts::{ActionSubtype, PublicActionSubtype};
use super::frames::{
    DeviceDiscoverabilityRequest, DeviceDiscoverabilityResponse, GoDiscoverabilityRequest,
    GoNegConfirmation, GoNegRequest, GoNegResponse, InvitationRequest, InvitationResponse,
    NoticeOfAbsenceFrame, PresenceRequest, PresenceResponse, ProvisionDiscoveryRequest,
    ProvisionDiscoveryResponse,
};

/// A P2P public action or P2P action frame, typed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum P2pMessage {
    /// GO Negotiation Request.
    GoNegRequest(GoNegRequest),
    /// GO Negotiation Response.
    GoNegResponse(GoNegResponse),
    /// GO Negotiation Confirmation.
    GoNegConfirmation(GoNegConfirmation),
    /// P2P Invitation Request.
    InvitationRequest(InvitationRequest),
    /// P2P Invitation Response.
    InvitationResponse(InvitationResponse),
    /// Device Discoverability Request.
    DeviceDiscoverabilityRequest(DeviceDiscoverabilityRequest),
    /// Device Discoverability Response.
    DeviceDiscoverabilityResponse(DeviceDiscoverabilityResponse),
    /// Provision Discovery Request.
    ProvisionDiscoveryRequest(ProvisionDiscoveryRequest),
    /// Provision Discovery Response.
    ProvisionDiscoveryResponse(ProvisionDiscoveryResponse),
    /// Notice of Absence.
    NoticeOfAbsence(NoticeOfAbsenceFrame),
    /// P2P Presence Request.
    PresenceRequest(PresenceRequest),
    /// P2P Presence Response.
    PresenceResponse(PresenceResponse),
    /// GO Discoverability Request.
    GoDiscoverabilityRequest(GoDiscoverabilityRequest),
    /// A subtype this code does not know, kept raw.
    Unknown(P2pActionFrame),
}

impl P2pMessage {
    /// Parses an action body (category octet first).
    pub fn parse(action_body: &[u8]) -> Result<Self, Error> {
        Self::from_frame(&P2pActionFrame::parse(action_body)?)
    }

    /// Types a parsed P2P action frame.
    pub fn from_frame(f: &P2pActionFrame) -> Result<Self, Error> {
        use FrameKind::{Action, Public};
        Ok(match f.kind {
            Public(PublicActionSubtype::GO_NEG_REQ) => Self::GoNegRequest(GoNegRequest::parse(f)?),
            Public(PublicActionSubtype::GO_NEG_RESP) => {
                Self::GoNegResponse(GoNegResponse::parse(f)?)
            }
            Public(PublicActionSubtype::GO_NEG_CONF) => {
                Self::GoNegConfirmation(GoNegConfirmation::parse(f)?)
            }
            Public(PublicActionSubtype::INVITATION_REQ) => {
                Self::InvitationRequest(InvitationRequest::parse(f)?)
            }
            Public(PublicActionSubtype::INVITATION_RESP) => {
                Self::InvitationResponse(InvitationResponse::parse(f)?)
            }
            Public(PublicActionSubtype::DEV_DISC_REQ) => {
                Self::DeviceDiscoverabilityRequest(DeviceDiscoverabilityRequest::parse(f)?)
            }
            Public(PublicActionSubtype::DEV_DISC_RESP) => {
                Self::DeviceDiscoverabilityResponse(DeviceDiscoverabilityResponse::parse(f)?)
            }
            Public(PublicActionSubtype::PROV_DISC_REQ) => {
                Self::ProvisionDiscoveryRequest(ProvisionDiscoveryRequest::parse(f)?)
            }
            Public(PublicActionSubtype::PROV_DISC_RESP) => {
                Self::ProvisionDiscoveryResponse(ProvisionDiscoveryResponse::parse(f)?)
            }
            Action(ActionSubtype::NOTICE_OF_ABSENCE) => {
                Self::NoticeOfAbsence(NoticeOfAbsenceFrame::parse(f)?)
            }
            Action(ActionSubtype::PRESENCE_REQ) => {
                Self::PresenceRequest(PresenceRequest::parse(f)?)
            }
            Action(ActionSubtype::PRESENCE_RESP) => {
                Self::PresenceResponse(PresenceResponse::parse(f)?)
            }
            Action(ActionSubtype::GO_DISC_REQ) => {
                Self::GoDiscoverabilityRequest(GoDiscoverabilityRequest::parse(f)?)
            }
            _ => Self::Unknown(f.clone()),
        })
    }

    /// Builds the frame.
    pub fn to_frame(&self) -> Result<P2pActionFrame, Error> {
        match self {
            Self::GoNegRequest(m) => m.to_frame(),
            Self::GoNegResponse(m) => m.to_frame(),
            Self::GoNegConfirmation(m) => m.to_frame(),
            Self::InvitationRequest(m) => m.to_frame(),
            Self::InvitationResponse(m) => m.to_frame(),
            Self::DeviceDiscoverabilityRequest(m) => m.to_frame(),
            Self::DeviceDiscoverabilityResponse(m) => m.to_frame(),
            Self::ProvisionDiscoveryRequest(m) => m.to_frame(),
            Self::ProvisionDiscoveryResponse(m) => m.to_frame(),
            Self::NoticeOfAbsence(m) => m.to_frame(),
            Self::PresenceRequest(m) => m.to_frame(),
            Self::PresenceResponse(m) => m.to_frame(),
            Self::GoDiscoverabilityRequest(m) => m.to_frame(),
            Self::Unknown(f) => Ok(f.clone()),
        }
    }

    /// The action body bytes (category octet first).
    pub fn to_bytes(&self) -> Result<Vec<u8>, Error> {
        Ok(self.to_frame()?.to_bytes())
    }

    /// The dialog token.
    pub fn dialog_token(&self) -> u8 {
        match self {
            Self::GoNegRequest(m) => m.dialog_token,
            Self::GoNegResponse(m) => m.dialog_token,
            Self::GoNegConfirmation(m) => m.dialog_token,
            Self::InvitationRequest(m) => m.dialog_token,
            Self::InvitationResponse(m) => m.dialog_token,
            Self::DeviceDiscoverabilityRequest(m) => m.dialog_token,
            Self::DeviceDiscoverabilityResponse(m) => m.dialog_token,
            Self::ProvisionDiscoveryRequest(m) => m.dialog_token,
            Self::ProvisionDiscoveryResponse(m) => m.dialog_token,
            Self::NoticeOfAbsence(m) => m.dialog_token,
            Self::PresenceRequest(m) => m.dialog_token,
            Self::PresenceResponse(m) => m.dialog_token,
            Self::GoDiscoverabilityRequest(m) => m.dialog_token,
            Self::Unknown(f) => f.dialog_token,
        }
    }
}
