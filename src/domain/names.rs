//! First names the load generator gives the accounts and customers it creates.

/// Pioneers of computing.
pub(crate) const NAMES: [&str; 16] = [
    "Ada",
    "Grace",
    "Alan",
    "Edsger",
    "Barbara",
    "Donald",
    "Margaret",
    "Tony",
    "Frances",
    "John",
    "Radia",
    "Leslie",
    "Katherine",
    "Dennis",
    "Shafi",
    "Niklaus",
];

/// Family names to go with them.
pub(crate) const FAMILY_NAMES: [&str; 12] = [
    "Lovelace", "Hopper", "Turing", "Dijkstra", "Liskov", "Knuth", "Hamilton", "Hoare", "Allen",
    "Backus", "Perlman", "Lamport",
];
