//! The simulated card issuer: it declines a seeded share of payments.

use crate::kernel::StreamId;

/// Decides whether a payment is declined: a share of `decline_rate` percent of orders, chosen by a
/// hash of the seed and the order, so the same seed declines the same orders whatever the order of
/// the requests, in either saga style, and however often one is retried.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Issuer {
    /// The seed of the choice.
    pub seed: u64,
    /// Percent of orders declined (0–100).
    pub decline_rate: u8,
}

impl Issuer {
    /// Whether the issuer declines the payment of `order`.
    pub fn declines(&self, order: &StreamId) -> bool {
        if self.decline_rate == 0 {
            return false;
        }
        // SplitMix64 of the seed and the order's stable hash.
        let mut z = self.seed ^ (u64::from(order.hash()) << 17) ^ 0x9E37_79B9_7F4A_7C15;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^= z >> 31;
        z % 100 < u64::from(self.decline_rate)
    }
}
