//! RIB (routes as registered) and FIB (next hops per prefix, longest-prefix match).
//!
//! The FIB is derived from the RIB the way NFD's RIB manager does it: an entry's next hops
//! are its own routes plus the ChildInherit routes of its ancestors, unless one of its own
//! routes has the Capture flag. The lowest cost per face wins.

use super::FaceId;
use crate::packet::Name;
use std::collections::{BTreeMap, HashMap};
use std::time::Instant;

/// Route flags (NFD RIB management: ChildInherit 1, Capture 2).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct RouteFlags(pub u64);

impl RouteFlags {
    pub const CHILD_INHERIT: u64 = 1;
    pub const CAPTURE: u64 = 2;

    pub fn child_inherit(self) -> bool {
        self.0 & Self::CHILD_INHERIT != 0
    }

    pub fn capture(self) -> bool {
        self.0 & Self::CAPTURE != 0
    }
}

/// One registered route.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Route {
    pub face: FaceId,
    pub origin: u64,
    pub cost: u64,
    pub flags: RouteFlags,
    pub expires: Option<Instant>,
}

/// The RIB: routes per prefix, keyed by the prefix's wire value.
#[derive(Debug, Default)]
pub struct Rib {
    entries: BTreeMap<Vec<u8>, (Name, Vec<Route>)>,
}

impl Rib {
    /// Adds or updates the route with the same (face, origin).
    pub fn insert(&mut self, prefix: &Name, route: Route) {
        let (_, routes) = self.entries.entry(prefix.value().to_vec()).or_insert_with(|| (prefix.clone(), Vec::new()));
        match routes.iter_mut().find(|r| r.face == route.face && r.origin == route.origin) {
            Some(r) => *r = route,
            None => routes.push(route),
        }
    }

    /// Removes the route (prefix, face, origin); returns whether it existed.
    pub fn remove(&mut self, prefix: &Name, face: FaceId, origin: u64) -> bool {
        let Some((_, routes)) = self.entries.get_mut(prefix.value()) else { return false };
        let before = routes.len();
        routes.retain(|r| !(r.face == face && r.origin == origin));
        let removed = routes.len() != before;
        if routes.is_empty() {
            self.entries.remove(prefix.value());
        }
        removed
    }

    /// Removes every route through `face`; returns how many went.
    pub fn remove_face(&mut self, face: FaceId) -> usize {
        let mut n = 0;
        self.entries.retain(|_, (_, routes)| {
            let before = routes.len();
            routes.retain(|r| r.face != face);
            n += before - routes.len();
            !routes.is_empty()
        });
        n
    }

    /// Removes expired routes; returns whether any went.
    pub fn expire(&mut self, now: Instant) -> bool {
        let mut any = false;
        self.entries.retain(|_, (_, routes)| {
            let before = routes.len();
            routes.retain(|r| r.expires.is_none_or(|t| t > now));
            any |= before != routes.len();
            !routes.is_empty()
        });
        any
    }

    /// The earliest route expiry.
    pub fn next_expiry(&self) -> Option<Instant> {
        self.entries.values().flat_map(|(_, rs)| rs.iter().filter_map(|r| r.expires)).min()
    }

    pub fn iter(&self) -> impl Iterator<Item = (&Name, &[Route])> {
        self.entries.values().map(|(n, r)| (n, r.as_slice()))
    }

    pub fn len(&self) -> usize {
        self.entries.len()
    }

    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// Computes the FIB from the routes.
    pub fn compute_fib(&self) -> Fib {
        let mut fib = Fib::default();
        for (name, routes) in self.entries.values() {
            let mut hops: Vec<NextHop> = Vec::new();
            let mut add = |face: FaceId, cost: u64| match hops.iter_mut().find(|h| h.face == face) {
                Some(h) => h.cost = h.cost.min(cost),
                None => hops.push(NextHop { face, cost }),
            };
            for r in routes {
                add(r.face, r.cost);
            }
            if !routes.iter().any(|r| r.flags.capture()) {
                // Ancestors from the nearest up, stopping at one that captures.
                for k in (0..name.len()).rev() {
                    if let Some((_, anc)) = self.entries.get(name.prefix_value(k)) {
                        for r in anc.iter().filter(|r| r.flags.child_inherit()) {
                            add(r.face, r.cost);
                        }
                        if anc.iter().any(|r| r.flags.capture()) {
                            break;
                        }
                    }
                }
            }
            hops.sort_by_key(|h| (h.cost, h.face));
            fib.insert(FibEntry { name: name.clone(), next_hops: hops });
        }
        fib
    }
}

/// A next hop of a FIB entry.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct NextHop {
    pub face: FaceId,
    pub cost: u64,
}

/// A FIB entry: prefix and next hops sorted by cost.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FibEntry {
    pub name: Name,
    pub next_hops: Vec<NextHop>,
}

/// The FIB: exact-match hash on the prefix wire value; longest-prefix match walks
/// the name's prefixes from the longest candidate length down.
#[derive(Debug, Default)]
pub struct Fib {
    entries: HashMap<Vec<u8>, FibEntry>,
    max_len: usize,
}

impl Fib {
    pub fn insert(&mut self, e: FibEntry) {
        self.max_len = self.max_len.max(e.name.len());
        self.entries.insert(e.name.value().to_vec(), e);
    }

    /// Longest-prefix match.
    pub fn lpm(&self, name: &Name) -> Option<&FibEntry> {
        (0..=name.len().min(self.max_len)).rev().find_map(|k| self.entries.get(name.prefix_value(k)))
    }

    pub fn get(&self, prefix: &Name) -> Option<&FibEntry> {
        self.entries.get(prefix.value())
    }

    /// Entries in canonical name order (for the fib/list dataset).
    pub fn sorted(&self) -> Vec<&FibEntry> {
        let mut v: Vec<&FibEntry> = self.entries.values().collect();
        v.sort_by(|a, b| a.name.cmp(&b.name));
        v
    }

    pub fn len(&self) -> usize {
        self.entries.len()
    }

    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn route(face: FaceId, cost: u64, flags: u64) -> Route {
        Route { face, origin: 0, cost, flags: RouteFlags(flags), expires: None }
    }

    #[test]
    fn inheritance_capture_and_lpm() {
        let mut rib = Rib::default();
        rib.insert(&crate::name!("/a"), route(300, 10, RouteFlags::CHILD_INHERIT));
        rib.insert(&crate::name!("/a/b"), route(301, 20, 0));
        rib.insert(&crate::name!("/a/c"), route(302, 5, RouteFlags::CAPTURE));
        let fib = rib.compute_fib();
        let ab = fib.lpm(&crate::name!("/a/b/x")).expect("match");
        assert_eq!(ab.name, crate::name!("/a/b"));
        assert_eq!(ab.next_hops, vec![NextHop { face: 300, cost: 10 }, NextHop { face: 301, cost: 20 }]);
        let ac = fib.lpm(&crate::name!("/a/c")).expect("match");
        assert_eq!(ac.next_hops, vec![NextHop { face: 302, cost: 5 }]);
        assert_eq!(fib.lpm(&crate::name!("/a/z")).map(|e| e.name.to_string()), Some("/a".into()));
        assert!(fib.lpm(&crate::name!("/b")).is_none());
        assert_eq!(rib.remove_face(300), 1);
        let fib = rib.compute_fib();
        assert_eq!(fib.lpm(&crate::name!("/a/b")).map(|e| e.next_hops.len()), Some(1));
        assert!(fib.lpm(&crate::name!("/a/z")).is_none());
    }
}
