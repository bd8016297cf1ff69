//! DHCPv4 server and client logic on the dhcproto codec (sans-IO).
