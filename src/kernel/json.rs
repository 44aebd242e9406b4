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

/// Appends `text` as a JSON string (quoted, escaped).
pub fn push_json_string(out: &mut String, text: &str) {
    out.push('"');
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if u32::from(c) < 0x20 => {
                out.push_str(&format!("\\u{:04x}", u32::from(c)));
            }
            c => out.push(c),
        }
    }
    out.push('"');
}

fn hex(bytes: &[u8]) -> String {
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    let mut out = String::with_capacity(bytes.len() * 2);
    for b in bytes {
        out.push(char::from(DIGITS[usize::from(b >> 4)]));
        out.push(char::from(DIGITS[usize::from(b & 15)]));
    }
    out
}

fn value(out: &mut String, kind: Kind, input: &mut &[u8]) -> Option<()> {
    match kind {
        Kind::Byte => out.push_str(&u8::decode(input)?.to_string()),
        Kind::Unsigned => out.push_str(&read_varint(input)?.to_string()),
        Kind::Money => out.push_str(&i64::decode(input)?.to_string()),
        Kind::Bool => out.push_str(if bool::decode(input)? {
            "true"
        } else {
            "false"
        }),
        Kind::Text | Kind::Stream => push_json_string(out, read_str(input)?),
        Kind::Ciphertext => {
            let bytes = read_bytes(input)?;
            push_json_string(out, &format!("enc:{}", hex(bytes)));
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
    let mut input = data;
    let mut out = String::from("{");
    let (first, next, last) = if pretty {
        ("\n  ", ",\n  ", "\n}")
    } else {
        ("", ", ", "}")
    };
    for (i, field) in fields.iter().enumerate() {
        out.push_str(if i == 0 { first } else { next });
        push_json_string(&mut out, field.name);
        out.push_str(": ");
        value(&mut out, field.kind, &mut input).ok_or(WalkError::Field(field.name))?;
    }
    if !input.is_empty() {
        return Err(WalkError::LeftOver(input.len()));
    }
    out.push_str(if fields.is_empty() { "}" } else { last });
    Ok(out)
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
