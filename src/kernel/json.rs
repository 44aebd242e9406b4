//! Stored data read through its schema's field list, as JSON: what the inspector shows "as stored"
//! and "as upcast", without any domain's Rust type.
//!
//! The walk is driven by the same [`Field`] tables the schema registry lists, so a table that did
//! not match its domain's codec would show here at once (and a test walks every type's data).

use super::codec::{read_bytes, read_str, read_varint, Decode};
use super::schema::{Field, Kind};

/// Why data did not walk through its field list.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum WalkError {
    /// The bytes ended, or did not hold a value of the field's kind.
    #[error("the field “{0}” could not be read from the stored bytes")]
    Field(&'static str),
    /// Bytes were left once every field was read.
    #[error("{0} bytes are left after the last field")]
    LeftOver(usize),
}

/// Appends `text` as a JSON string (quoted, escaped): runs without an escape are copied whole.
pub fn push_json_string(out: &mut String, text: &str) {
    out.push('"');
    let mut start = 0;
    for (i, &b) in text.as_bytes().iter().enumerate() {
        let escape = match b {
            b'"' => "\\\"",
            b'\\' => "\\\\",
            b'\n' => "\\n",
            b'\r' => "\\r",
            b'\t' => "\\t",
            0..=0x1F => "",
            _ => continue,
        };
        // `i` is at an ASCII byte, so both slices end on character boundaries.
        out.push_str(&text[start..i]);
        if escape.is_empty() {
            out.push_str("\\u00");
            push_hex(out, &[b]);
        } else {
            out.push_str(escape);
        }
        start = i + 1;
    }
    out.push_str(&text[start..]);
    out.push('"');
}

/// Appends `bytes` in lower-case hex, two digits a byte.
pub fn push_hex(out: &mut String, bytes: &[u8]) {
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    for b in bytes {
        out.push(char::from(DIGITS[usize::from(b >> 4)]));
        out.push(char::from(DIGITS[usize::from(b & 15)]));
    }
}

/// Appends `n` in decimal.
pub fn push_u64(out: &mut String, mut n: u64) {
    let mut digits = [0u8; 20];
    let mut at = digits.len();
    loop {
        at -= 1;
        digits[at] = b'0' + (n % 10) as u8;
        n /= 10;
        if n == 0 {
            break;
        }
    }
    for &d in &digits[at..] {
        out.push(char::from(d));
    }
}

/// Appends `n` in decimal, with a `-` when negative.
pub fn push_i64(out: &mut String, n: i64) {
    if n < 0 {
        out.push('-');
    }
    push_u64(out, n.unsigned_abs());
}

fn value(out: &mut String, kind: Kind, input: &mut &[u8]) -> Option<()> {
    match kind {
        Kind::Byte => push_u64(out, u64::from(u8::decode(input)?)),
        Kind::Unsigned => push_u64(out, read_varint(input)?),
        Kind::Money => push_i64(out, i64::decode(input)?),
        Kind::Bool => out.push_str(if bool::decode(input)? {
            "true"
        } else {
            "false"
        }),
        Kind::Text | Kind::Stream => push_json_string(out, read_str(input)?),
        Kind::Ciphertext => {
            let bytes = read_bytes(input)?;
            out.push_str("\"enc:");
            push_hex(out, bytes);
            out.push('"');
        }
        Kind::List(of) => {
            let n = read_varint(input)?;
            if n > input.len() as u64 {
                return None;
            }
            out.push('[');
            for i in 0..n {
                if i > 0 {
                    out.push_str(", ");
                }
                value(out, *of, input)?;
            }
            out.push(']');
        }
        Kind::Record(fields) => {
            out.push('{');
            for (i, f) in fields.iter().enumerate() {
                if i > 0 {
                    out.push_str(", ");
                }
                push_json_string(out, f.name);
                out.push_str(": ");
                value(out, f.kind, input)?;
            }
            out.push('}');
        }
    }
    Some(())
}

/// `data` read through `fields` as a JSON object, in stored order: one field per line when
/// `pretty`, else on one line.
pub fn to_json(fields: &[Field], data: &[u8], pretty: bool) -> Result<String, WalkError> {
    let mut out = String::new();
    write_json(&mut out, fields, data, pretty)?;
    Ok(out)
}

/// [`to_json`], appended to `out` (an export writes a million payloads into one buffer). On an
/// error, `out` may hold part of the object.
pub fn write_json(
    out: &mut String,
    fields: &[Field],
    data: &[u8],
    pretty: bool,
) -> Result<(), WalkError> {
    let mut input = data;
    out.push('{');
    let (first, next, last) = if pretty {
        ("\n  ", ",\n  ", "\n}")
    } else {
        ("", ", ", "}")
    };
    for (i, field) in fields.iter().enumerate() {
        out.push_str(if i == 0 { first } else { next });
        push_json_string(out, field.name);
        out.push_str(": ");
        value(out, field.kind, &mut input).ok_or(WalkError::Field(field.name))?;
    }
    if !input.is_empty() {
        return Err(WalkError::LeftOver(input.len()));
    }
    out.push_str(if fields.is_empty() { "}" } else { last });
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::kernel::codec::Encode;
    use crate::kernel::field;

    #[test]
    fn a_payload_reads_as_json_through_its_fields() {
        const STEP: Kind = Kind::Byte;
        let fields = [
            field("amount", Kind::Money),
            field("note", Kind::Text),
            field("steps", Kind::List(&STEP)),
        ];
        let mut data = Vec::new();
        (-250i64, "say \"hi\"", vec![1u8, 2]).encode(&mut data);
        assert_eq!(
            to_json(&fields, &data, true),
            Ok(
                "{\n  \"amount\": -250,\n  \"note\": \"say \\\"hi\\\"\",\n  \"steps\": [1, 2]\n}"
                    .to_owned()
            )
        );
    }

    #[test]
    fn data_that_does_not_match_its_fields_is_an_error() {
        let fields = [field("amount", Kind::Money)];
        assert_eq!(to_json(&fields, &[], true), Err(WalkError::Field("amount")));
        assert_eq!(to_json(&fields, &[2, 0], true), Err(WalkError::LeftOver(1)));
        assert_eq!(to_json(&[], &[], false), Ok("{}".to_owned()));
        assert_eq!(
            to_json(&fields, &[3], false),
            Ok("{\"amount\": -2}".to_owned())
        );
    }
}
