//! The fixed catalogue: six products with a SKU, a name and a price in cents.

use crate::domain::bank::Money;
use crate::format::shorten;
use crate::kernel::codec::{read_bytes, Decode, Encode};
use std::fmt;

/// A product code of up to 12 ASCII letters, digits and dashes (`TEA-01`), kept inline: reading an
/// order event back allocates nothing for it.
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Sku {
    bytes: [u8; 12],
    len: u8,
}

impl Sku {
    /// A code, if `text` is one.
    pub fn new(text: &str) -> Result<Self, String> {
        let ok = !text.is_empty()
            && text.len() <= 12
            && text.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-');
        if !ok {
            return Err(format!(
                "“{}” is not a product code (up to 12 letters, digits and dashes).",
                shorten(text)
            ));
        }
        let mut bytes = [0u8; 12];
        bytes[..text.len()].copy_from_slice(text.as_bytes());
        Ok(Self {
            bytes,
            len: text.len() as u8,
        })
    }

    /// A code from its bytes (letters, digits and dashes are ASCII, so valid UTF-8 too).
    fn from_bytes(bytes: &[u8]) -> Option<Self> {
        let ok = !bytes.is_empty()
            && bytes.len() <= 12
            && bytes
                .iter()
                .all(|b| b.is_ascii_alphanumeric() || *b == b'-');
        ok.then(|| {
            let mut inline = [0u8; 12];
            inline[..bytes.len()].copy_from_slice(bytes);
            Self {
                bytes: inline,
                len: bytes.len() as u8,
            }
        })
    }

    /// The code.
    pub fn as_str(&self) -> &str {
        std::str::from_utf8(&self.bytes[..usize::from(self.len)]).unwrap_or("")
    }
}

impl fmt::Display for Sku {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl fmt::Debug for Sku {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Sku({})", self.as_str())
    }
}

impl Encode for Sku {
    fn encode(&self, out: &mut Vec<u8>) {
        self.as_str().encode(out);
    }
}

impl Decode for Sku {
    #[inline(always)]
    fn decode(input: &mut &[u8]) -> Option<Self> {
        Sku::from_bytes(read_bytes(input)?)
    }
}

/// A product of the catalogue.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Product {
    /// Stock-keeping unit, e.g. `TEA-01`.
    pub sku: &'static str,
    /// What it is.
    pub name: &'static str,
    /// Its price in cents.
    pub price_cents: i64,
}

impl Product {
    /// The product's code.
    pub fn code(&self) -> Sku {
        Sku::new(self.sku).unwrap_or_else(|_| unreachable!("catalogue codes are valid"))
    }

    /// The price.
    pub fn price(&self) -> Money {
        Money::from_cents(self.price_cents)
    }
}

/// Every product, in the order the "Product" select lists them.
pub const CATALOGUE: [Product; 6] = [
    Product {
        sku: "TEA-01",
        name: "Green tea",
        price_cents: 450,
    },
    Product {
        sku: "COF-02",
        name: "Coffee beans",
        price_cents: 1_290,
    },
    Product {
        sku: "MUG-03",
        name: "Mug",
        price_cents: 800,
    },
    Product {
        sku: "BIS-04",
        name: "Biscuits",
        price_cents: 320,
    },
    Product {
        sku: "HON-05",
        name: "Honey",
        price_cents: 675,
    },
    Product {
        sku: "KET-06",
        name: "Kettle",
        price_cents: 3_999,
    },
];

/// The product with this SKU.
pub fn product(sku: &str) -> Option<Product> {
    CATALOGUE.iter().find(|p| p.sku == sku).copied()
}

/// The product with this SKU, or a message listing the SKUs accepted.
pub fn find_product(sku: &str) -> Result<Product, String> {
    product(sku.trim()).ok_or_else(|| {
        let skus: Vec<&str> = CATALOGUE.iter().map(|p| p.sku).collect();
        format!(
            "There is no product “{}” in the catalogue; choose one of {}.",
            shorten(sku),
            skus.join(", ")
        )
    })
}
