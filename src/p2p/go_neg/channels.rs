//! Channel rules of GO negotiation: the channel lists both sides can use, and the
//! operating channel the GO picks from them.
//!
//! Sources (hostap `src/p2p/p2p_go_neg.c`, facts in `p2p-flows.md` section 2):
//! - The peer's Channel List is usable only if its country matches ours or its third
//!   octet is 0x04 (global operating classes); otherwise there is no common channel
//!   (`p2p_peer_channels_check`).
//! - The intersection keeps our operating classes and order, and drops classes left
//!   empty (`p2p_channels_intersect`); empty means status 7.
//! - A forced frequency (`P2P_CONNECT freq=`) makes our list that one channel
//!   (`p2p_prepare_channel_pref`), so a peer without it gets status 7 on either side
//!   (hwsim `test_grpform_force_chan_conflict`), and a client's forced channel becomes the
//!   group's (`test_grpform_force_chan_cli`).
//! - The GO's operating channel: the forced one, else the peer's preference when the
//!   intersection has it, else ours, else the first channel of the intersection. (hostap
//!   picks at random among wide classes where we take the peer's preference; the capture
//!   in the tests shows wpa_supplicant landing on the peer's preference.)

use crate::p2p::wire::{Channel, ChannelEntry, ChannelList};

/// Third octet of a country string meaning "global operating classes" (802.11 Annex E).
const COUNTRY_GLOBAL_CLASSES: u8 = 0x04;

/// Whether a peer's country string lets us use its Channel List.
pub fn country_compatible(ours: [u8; 3], peer: [u8; 3]) -> bool {
    peer[2] == COUNTRY_GLOBAL_CLASSES || peer[..2] == ours[..2]
}

/// Our channels that the peer also lists (same operating class and channel number), in
/// our order, without empty classes; `None` when nothing is common or the countries do
/// not match.
pub fn intersect(ours: &ChannelList, peer: &ChannelList) -> Option<ChannelList> {
    if !country_compatible(ours.country, peer.country) {
        return None;
    }
    let entries: Vec<ChannelEntry> = ours
        .entries
        .iter()
        .filter_map(|e| {
            let channels: Vec<u8> = e
                .channels
                .iter()
                .copied()
                .filter(|&c| peer.contains(e.op_class, c))
                .collect();
            (!channels.is_empty()).then_some(ChannelEntry {
                op_class: e.op_class,
                channels,
            })
        })
        .collect();
    (!entries.is_empty()).then_some(ChannelList {
        country: ours.country,
        entries,
    })
}

/// The list we offer: only the forced channel when there is one, else all of ours.
pub fn offered(ours: &ChannelList, forced: Option<Channel>) -> ChannelList {
    match forced {
        Some(f) => ChannelList {
            country: ours.country,
            entries: vec![ChannelEntry {
                op_class: f.op_class,
                channels: vec![f.channel],
            }],
        },
        None => ours.clone(),
    }
}

/// The GO's operating channel inside `common` (see the module documentation); the
/// country string is ours.
pub fn select_operating(
    common: &ChannelList,
    forced: Option<Channel>,
    peer_pref: Option<Channel>,
    ours: Channel,
) -> Option<Channel> {
    let inside = |c: &Channel| common.contains(c.op_class, c.channel);
    let pick = |c: Channel| Channel {
        country: common.country,
        ..c
    };
    if let Some(f) = forced {
        return inside(&f).then(|| pick(f));
    }
    if let Some(p) = peer_pref.filter(inside) {
        return Some(pick(p));
    }
    if inside(&ours) {
        return Some(pick(ours));
    }
    common.iter().next().map(|(op_class, channel)| Channel {
        country: common.country,
        op_class,
        channel,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    const US: [u8; 3] = *b"US\x04";

    fn list(entries: &[(u8, &[u8])]) -> ChannelList {
        ChannelList {
            country: US,
            entries: entries
                .iter()
                .map(|(c, ch)| ChannelEntry {
                    op_class: *c,
                    channels: ch.to_vec(),
                })
                .collect(),
        }
    }

    fn ch(op_class: u8, channel: u8) -> Channel {
        Channel {
            country: US,
            op_class,
            channel,
        }
    }

    #[test]
    fn intersection_keeps_our_order_and_drops_empty_classes() {
        let ours = list(&[(81, &[1, 6, 11]), (115, &[36, 40]), (124, &[149])]);
        let peer = list(&[(124, &[149, 153]), (81, &[6, 11, 13]), (0, &[])]);
        assert_eq!(
            intersect(&ours, &peer),
            Some(list(&[(81, &[6, 11]), (124, &[149])]))
        );
        assert_eq!(intersect(&ours, &list(&[(115, &[44])])), None);
        let mut de = peer.clone();
        de.country = *b"DE ";
        assert_eq!(intersect(&ours, &de), None, "country mismatch");
        de.country = *b"DE\x04";
        assert!(intersect(&ours, &de).is_some(), "global classes");
    }

    #[test]
    fn operating_channel_preference_order() {
        let common = list(&[(81, &[1, 6]), (115, &[36])]);
        // Forced wins, or nothing.
        assert_eq!(
            select_operating(&common, Some(ch(115, 36)), Some(ch(81, 6)), ch(81, 1)),
            Some(ch(115, 36))
        );
        assert_eq!(
            select_operating(&common, Some(ch(81, 11)), None, ch(81, 1)),
            None
        );
        // Then the peer's preference, then ours, then the first common channel.
        assert_eq!(
            select_operating(&common, None, Some(ch(81, 6)), ch(81, 1)),
            Some(ch(81, 6))
        );
        assert_eq!(
            select_operating(&common, None, Some(ch(81, 11)), ch(81, 1)),
            Some(ch(81, 1))
        );
        assert_eq!(
            select_operating(&common, None, None, ch(124, 149)),
            Some(ch(81, 1))
        );
    }

    #[test]
    fn forced_channel_is_the_whole_offer() {
        let ours = list(&[(81, &[1, 6, 11])]);
        assert_eq!(offered(&ours, Some(ch(81, 6))), list(&[(81, &[6])]));
        assert_eq!(offered(&ours, None), ours);
    }
}
