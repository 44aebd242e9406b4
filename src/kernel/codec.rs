//! The stored form's encoding: postcard's wire format (LEB128 varints, zigzag-encoded signed
//! integers, length-prefixed UTF-8 strings, tuples as their fields in order), written and read by a
//! few direct functions.
//!
//! The format is postcard's, byte for byte (a test checks it against the postcard crate), so stored
//! data can be read by any postcard decoder. The code is not: read through serde, a payload cost
//! several hundred instructions per event in the browser's size-optimised build, which alone broke
//! the budget of a batch projection over a million events; read here, it costs a few dozen.

use super::envelope::StreamId;

/// A value that can be written in the stored form.
pub trait Encode {
    /// Appends the value's encoding to `out`.
    fn encode(&self, out: &mut Vec<u8>);
}

/// A value that can be read back from the stored form.
pub trait Decode: Sized {
    /// Reads one value from the front of `input`, advancing it; `None` when the bytes are not one.
    fn decode(input: &mut &[u8]) -> Option<Self>;
}

/// Appends an unsigned LEB128 varint.
pub fn write_varint(out: &mut Vec<u8>, mut value: u64) {
    while value >= 0x80 {
        out.push((value as u8) | 0x80);
        value >>= 7;
    }
    out.push(value as u8);
}

/// Reads an unsigned LEB128 varint of at most ten bytes.
#[inline(always)]
pub fn read_varint(input: &mut &[u8]) -> Option<u64> {
    let bytes = *input;
    let mut value = 0u64;
    let mut i = 0;
    while i < bytes.len() && i < 10 {
        let byte = bytes[i];
        value |= u64::from(byte & 0x7f) << (7 * i);
        i += 1;
        if byte & 0x80 == 0 {
            *input = &bytes[i..];
            return Some(value);
        }
    }
    None
}

#[inline(always)]
fn narrow<T: TryFrom<u64>>(input: &mut &[u8]) -> Option<T> {
    T::try_from(read_varint(input)?).ok()
}

impl Encode for u8 {
    /// A `u8` is one raw byte, as postcard writes it.
    fn encode(&self, out: &mut Vec<u8>) {
        out.push(*self);
    }
}

impl Decode for u8 {
    #[inline(always)]
    fn decode(input: &mut &[u8]) -> Option<Self> {
        let (&first, rest) = input.split_first()?;
        *input = rest;
        Some(first)
    }
}

macro_rules! varint {
    ($($t:ty),*) => {$(
        impl Encode for $t {
            fn encode(&self, out: &mut Vec<u8>) {
                write_varint(out, u64::from(*self));
            }
        }
        impl Decode for $t {
            #[inline(always)]
            fn decode(input: &mut &[u8]) -> Option<Self> {
                narrow(input)
            }
        }
    )*};
}
varint!(u16, u32, u64);

impl Encode for i64 {
    fn encode(&self, out: &mut Vec<u8>) {
        write_varint(out, ((*self << 1) ^ (*self >> 63)) as u64);
    }
}

impl Decode for i64 {
    #[inline(always)]
    fn decode(input: &mut &[u8]) -> Option<Self> {
        let raw = read_varint(input)?;
        Some((raw >> 1) as i64 ^ -((raw & 1) as i64))
    }
}

impl Encode for str {
    fn encode(&self, out: &mut Vec<u8>) {
        write_varint(out, self.len() as u64);
        out.extend_from_slice(self.as_bytes());
    }
}

/// The bytes of a length-prefixed string, not yet checked to be UTF-8.
#[inline(always)]
pub fn read_bytes<'a>(input: &mut &'a [u8]) -> Option<&'a [u8]> {
    let len = usize::try_from(read_varint(input)?).ok()?;
    if len > input.len() {
        return None;
    }
    let (bytes, rest) = input.split_at(len);
    *input = rest;
    Some(bytes)
}

/// A length-prefixed UTF-8 string, borrowed from the input.
#[inline(always)]
pub fn read_str<'a>(input: &mut &'a [u8]) -> Option<&'a str> {
    std::str::from_utf8(read_bytes(input)?).ok()
}

impl Encode for String {
    fn encode(&self, out: &mut Vec<u8>) {
        self.as_str().encode(out);
    }
}

impl Decode for String {
    fn decode(input: &mut &[u8]) -> Option<Self> {
        read_str(input).map(str::to_owned)
    }
}

impl Encode for Box<str> {
    fn encode(&self, out: &mut Vec<u8>) {
        (**self).encode(out);
    }
}

impl Decode for Box<str> {
    fn decode(input: &mut &[u8]) -> Option<Self> {
        read_str(input).map(Box::from)
    }
}

impl Encode for StreamId {
    fn encode(&self, out: &mut Vec<u8>) {
        self.as_str().encode(out);
    }
}

impl Decode for StreamId {
    /// A payload's stream name (an order a payment is for, a cart's customer) is decoded by every
    /// read model and observer that takes the event, usually moments after it was written: the
    /// names decoded lately are kept, so that decoding one again shares its allocation.
    fn decode(input: &mut &[u8]) -> Option<Self> {
        read_str(input).map(StreamId::recent)
    }
}

impl Encode for bool {
    /// A `bool` is one byte, 0 or 1, as postcard writes it.
    fn encode(&self, out: &mut Vec<u8>) {
        out.push(u8::from(*self));
    }
}

impl Decode for bool {
    #[inline(always)]
    fn decode(input: &mut &[u8]) -> Option<Self> {
        match u8::decode(input)? {
            0 => Some(false),
            1 => Some(true),
            _ => None,
        }
    }
}

impl<T: Encode> Encode for Vec<T> {
    /// A sequence is its length as a varint, then its elements, as postcard writes it.
    fn encode(&self, out: &mut Vec<u8>) {
        write_varint(out, self.len() as u64);
        for item in self {
            item.encode(out);
        }
    }
}

impl<T: Decode> Decode for Vec<T> {
    fn decode(input: &mut &[u8]) -> Option<Self> {
        let len = usize::try_from(read_varint(input)?).ok()?;
        // Every element takes at least one byte: a length beyond what is left is malformed.
        if len > input.len() {
            return None;
        }
        let mut items = Vec::with_capacity(len);
        for _ in 0..len {
            items.push(T::decode(input)?);
        }
        Some(items)
    }
}

impl Encode for () {
    fn encode(&self, _: &mut Vec<u8>) {}
}

impl Decode for () {
    #[inline(always)]
    fn decode(_: &mut &[u8]) -> Option<Self> {
        Some(())
    }
}

impl<T: Encode + ?Sized> Encode for &T {
    fn encode(&self, out: &mut Vec<u8>) {
        (**self).encode(out);
    }
}

macro_rules! tuple {
    ($($name:ident),*) => {
        impl<$($name: Encode),*> Encode for ($($name,)*) {
            #[allow(non_snake_case)]
            fn encode(&self, out: &mut Vec<u8>) {
                let ($($name,)*) = self;
                $($name.encode(out);)*
            }
        }
        impl<$($name: Decode),*> Decode for ($($name,)*) {
            #[inline(always)]
            fn decode(input: &mut &[u8]) -> Option<Self> {
                Some(($($name::decode(input)?,)*))
            }
        }
    };
}
tuple!(A, B);
tuple!(A, B, C);
tuple!(A, B, C, D);

impl<const N: usize> Encode for [u8; N] {
    /// An array of bytes is its bytes, one each, as postcard writes a fixed-size array.
    fn encode(&self, out: &mut Vec<u8>) {
        out.extend_from_slice(self);
    }
}

impl<const N: usize> Decode for [u8; N] {
    #[inline(always)]
    fn decode(input: &mut &[u8]) -> Option<Self> {
        let (bytes, rest) = input.split_first_chunk::<N>()?;
        *input = rest;
        Some(*bytes)
    }
}
