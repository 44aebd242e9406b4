//! A strict JSON reader (RFC 8259) for files a user brings: values borrow the text where they can,
//! and an array can be read one element at a time, so a file of a million events never becomes one
//! tree in memory.
//!
//! Written here rather than taken from `serde_json`: the import needs only values (no serde types),
//! and serde_json's deserializer costs the browser bundle several times this file's code.

use std::borrow::Cow;

/// How deep arrays and objects may nest: deeper is refused, never a stack overflow.
pub const MAX_DEPTH: usize = 64;

/// A JSON value, its strings borrowed from the text when they hold no escape.
#[derive(Debug, Clone, PartialEq)]
pub enum Value<'a> {
    /// `null`.
    Null,
    /// `true` or `false`.
    Bool(bool),
    /// A number, as written (its grammar checked).
    Number(&'a str),
    /// A string, unescaped.
    Str(Cow<'a, str>),
    /// An array.
    Array(Vec<Value<'a>>),
    /// An object's members in the order written.
    Object(Vec<(Cow<'a, str>, Value<'a>)>),
}

impl Value<'_> {
    /// What kind of value this is, as a message names it.
    pub fn kind(&self) -> &'static str {
        match self {
            Self::Null => "null",
            Self::Bool(_) => "a boolean",
            Self::Number(_) => "a number",
            Self::Str(_) => "a string",
            Self::Array(_) => "an array",
            Self::Object(_) => "an object",
        }
    }

    /// The member called `name` of an object, looked for first at `hint` (where a file written
    /// in a known order has it).
    pub fn get_at(&self, name: &str, hint: usize) -> Option<&Self> {
        match self {
            Self::Object(members) => match members.get(hint) {
                Some((k, v)) if k == name => Some(v),
                _ => self.get(name),
            },
            _ => None,
        }
    }

    /// The member called `name` of an object.
    pub fn get(&self, name: &str) -> Option<&Self> {
        match self {
            Self::Object(members) => members.iter().find(|(k, _)| k == name).map(|(_, v)| v),
            _ => None,
        }
    }

    /// The text of a string.
    pub fn as_str(&self) -> Option<&str> {
        match self {
            Self::Str(s) => Some(s),
            _ => None,
        }
    }
}

/// Where and why the text is not JSON.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct JsonError {
    /// The byte offset where reading stopped.
    pub offset: usize,
    /// What was wrong there.
    pub what: &'static str,
}

impl JsonError {
    /// The 1-based line and column (in characters) of the offset in `text`.
    pub fn line_column(&self, text: &[u8]) -> (usize, usize) {
        let before = &text[..self.offset.min(text.len())];
        let line = before.iter().filter(|&&b| b == b'\n').count() + 1;
        let last = before.rsplit(|&b| b == b'\n').next().unwrap_or(before);
        // Characters, not bytes: count the bytes that start one.
        let column = last.iter().filter(|&&b| b & 0xC0 != 0x80).count() + 1;
        (line, column)
    }
}

/// A reader over JSON text, as bytes: each string is checked to be UTF-8 as it is read (anything
/// else outside strings is not JSON anyway), so reading a file in chunks never checks it twice.
#[derive(Debug, Clone)]
pub struct Reader<'a> {
    text: &'a [u8],
    at: usize,
}

impl<'a> Reader<'a> {
    /// A reader at `offset` of `text` (0 for the start).
    pub fn new(text: &'a [u8], offset: usize) -> Self {
        Self { text, at: offset }
    }

    /// `text[start..end]` as text, or an error where it is not UTF-8.
    fn str_of(&self, start: usize, end: usize) -> Result<&'a str, JsonError> {
        std::str::from_utf8(&self.text[start..end]).map_err(|e| JsonError {
            offset: start + e.valid_up_to(),
            what: "the text is not UTF-8 here",
        })
    }

    /// The byte offset reached.
    pub fn offset(&self) -> usize {
        self.at
    }

    fn bytes(&self) -> &'a [u8] {
        self.text
    }

    fn fail<T>(&self, what: &'static str) -> Result<T, JsonError> {
        Err(JsonError {
            offset: self.at,
            what,
        })
    }

    fn skip_space(&mut self) {
        while let Some(b' ' | b'\t' | b'\n' | b'\r') = self.bytes().get(self.at) {
            self.at += 1;
        }
    }

    /// The next byte after white space, not consumed.
    pub fn peek(&mut self) -> Option<u8> {
        self.skip_space();
        self.bytes().get(self.at).copied()
    }

    /// Reads one whole value.
    pub fn value(&mut self) -> Result<Value<'a>, JsonError> {
        self.value_at(0)
    }

    fn value_at(&mut self, depth: usize) -> Result<Value<'a>, JsonError> {
        if depth > MAX_DEPTH {
            return self.fail("arrays and objects nest too deeply");
        }
        match self.peek() {
            None => self.fail("the text ends where a value was expected"),
            Some(b'{') => {
                self.at += 1;
                let mut members = Vec::with_capacity(16);
                if self.peek() == Some(b'}') {
                    self.at += 1;
                    return Ok(Value::Object(members));
                }
                loop {
                    if self.peek() != Some(b'"') {
                        return self.fail("a member's name (a string) was expected");
                    }
                    let name = self.string()?;
                    if self.peek() != Some(b':') {
                        return self.fail("“:” was expected after a member's name");
                    }
                    self.at += 1;
                    let value = self.value_at(depth + 1)?;
                    members.push((name, value));
                    match self.peek() {
                        Some(b',') => self.at += 1,
                        Some(b'}') => {
                            self.at += 1;
                            return Ok(Value::Object(members));
                        }
                        _ => return self.fail("“,” or “}” was expected in an object"),
                    }
                }
            }
            Some(b'[') => {
                self.at += 1;
                let mut items = Vec::new();
                if self.peek() == Some(b']') {
                    self.at += 1;
                    return Ok(Value::Array(items));
                }
                loop {
                    items.push(self.value_at(depth + 1)?);
                    match self.peek() {
                        Some(b',') => self.at += 1,
                        Some(b']') => {
                            self.at += 1;
                            return Ok(Value::Array(items));
                        }
                        _ => return self.fail("“,” or “]” was expected in an array"),
                    }
                }
            }
            Some(b'"') => self.string().map(Value::Str),
            Some(b't') => self.word("true", Value::Bool(true)),
            Some(b'f') => self.word("false", Value::Bool(false)),
            Some(b'n') => self.word("null", Value::Null),
            Some(b'-' | b'0'..=b'9') => self.number(),
            Some(_) => self.fail("a value was expected"),
        }
    }

    fn word(&mut self, word: &'static str, value: Value<'a>) -> Result<Value<'a>, JsonError> {
        if self.bytes()[self.at..].starts_with(word.as_bytes()) {
            self.at += word.len();
            Ok(value)
        } else {
            self.fail("a value was expected")
        }
    }

    fn digits(&mut self) -> usize {
        let start = self.at;
        while let Some(b'0'..=b'9') = self.bytes().get(self.at) {
            self.at += 1;
        }
        self.at - start
    }

    fn number(&mut self) -> Result<Value<'a>, JsonError> {
        let start = self.at;
        if self.bytes().get(self.at) == Some(&b'-') {
            self.at += 1;
        }
        let leading_zero = self.bytes().get(self.at) == Some(&b'0');
        let n = self.digits();
        if n == 0 {
            return self.fail("a digit was expected");
        }
        if leading_zero && n > 1 {
            return self.fail("a number may not start with 0");
        }
        if self.bytes().get(self.at) == Some(&b'.') {
            self.at += 1;
            if self.digits() == 0 {
                return self.fail("a digit was expected after “.”");
            }
        }
        if let Some(b'e' | b'E') = self.bytes().get(self.at) {
            self.at += 1;
            if let Some(b'+' | b'-') = self.bytes().get(self.at) {
                self.at += 1;
            }
            if self.digits() == 0 {
                return self.fail("a digit was expected in the exponent");
            }
        }
        self.str_of(start, self.at).map(Value::Number)
    }

    fn hex4(&mut self) -> Result<u32, JsonError> {
        let Some(digits) = self.text.get(self.at..self.at + 4) else {
            return self.fail("four hex digits were expected after “\\u”");
        };
        let mut value = 0;
        for &b in digits {
            let Some(d) = char::from(b).to_digit(16) else {
                return self.fail("four hex digits were expected after “\\u”");
            };
            value = value * 16 + d;
        }
        self.at += 4;
        Ok(value)
    }

    fn string(&mut self) -> Result<Cow<'a, str>, JsonError> {
        // At the opening quote.
        self.at += 1;
        let start = self.at;
        let bytes = self.bytes();
        // The common case: no escape, so the string is a slice of the text.
        while let Some(&b) = bytes.get(self.at) {
            match b {
                b'"' => {
                    let s = self.str_of(start, self.at)?;
                    self.at += 1;
                    return Ok(Cow::Borrowed(s));
                }
                b'\\' => break,
                0..=0x1F => return self.fail("a control character must be escaped in a string"),
                _ => self.at += 1,
            }
        }
        let mut out = String::from(self.str_of(start, self.at)?);
        loop {
            let Some(&b) = bytes.get(self.at) else {
                return self.fail("the text ends inside a string");
            };
            match b {
                b'"' => {
                    self.at += 1;
                    return Ok(Cow::Owned(out));
                }
                b'\\' => {
                    self.at += 1;
                    let Some(&e) = bytes.get(self.at) else {
                        return self.fail("the text ends inside a string");
                    };
                    self.at += 1;
                    match e {
                        b'"' => out.push('"'),
                        b'\\' => out.push('\\'),
                        b'/' => out.push('/'),
                        b'b' => out.push('\u{8}'),
                        b'f' => out.push('\u{c}'),
                        b'n' => out.push('\n'),
                        b'r' => out.push('\r'),
                        b't' => out.push('\t'),
                        b'u' => {
                            let unit = self.hex4()?;
                            let code = if (0xD800..0xDC00).contains(&unit) {
                                if !self.text[self.at..].starts_with(b"\\u") {
                                    return self.fail("a lone surrogate in a \\u escape");
                                }
                                self.at += 2;
                                let low = self.hex4()?;
                                if !(0xDC00..0xE000).contains(&low) {
                                    return self.fail("a lone surrogate in a \\u escape");
                                }
                                0x10000 + ((unit - 0xD800) << 10) + (low - 0xDC00)
                            } else {
                                unit
                            };
                            match char::from_u32(code) {
                                Some(c) => out.push(c),
                                None => return self.fail("a lone surrogate in a \\u escape"),
                            }
                        }
                        _ => {
                            self.at -= 1;
                            return self.fail("an unknown escape in a string");
                        }
                    }
                }
                0..=0x1F => return self.fail("a control character must be escaped in a string"),
                _ => {
                    // Copy up to the next quote or backslash in one go (whole UTF-8 characters).
                    let run = bytes[self.at..]
                        .iter()
                        .position(|&b| b == b'"' || b == b'\\' || b < 0x20)
                        .unwrap_or(bytes.len() - self.at);
                    out.push_str(self.str_of(self.at, self.at + run)?);
                    self.at += run;
                }
            }
        }
    }

    /// Reads the `[` that opens a top-level array; false (reading nothing) when the text does not
    /// start with one.
    pub fn open_array(&mut self) -> bool {
        if self.peek() == Some(b'[') {
            self.at += 1;
            true
        } else {
            false
        }
    }

    /// After [`Self::open_array`]: the array's next element, or `None` at its `]` (which must end the
    /// text). `first` says whether no element was read yet.
    pub fn next_element(&mut self, first: bool) -> Result<Option<Value<'a>>, JsonError> {
        match self.peek() {
            Some(b']') => {
                self.at += 1;
                if self.peek().is_some() {
                    return self.fail("text follows the end of the array");
                }
                Ok(None)
            }
            Some(b',') if !first => {
                self.at += 1;
                self.value_at(1).map(Some)
            }
            None => self.fail("the text ends inside the array"),
            Some(_) if first => self.value_at(1).map(Some),
            Some(_) => self.fail("“,” or “]” was expected in an array"),
        }
    }
}

/// Parses the whole of `text` as one value.
pub fn parse(text: &str) -> Result<Value<'_>, JsonError> {
    let mut reader = Reader::new(text.as_bytes(), 0);
    let value = reader.value()?;
    if reader.peek().is_some() {
        return reader.fail("text follows the end of the value");
    }
    Ok(value)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values_of_every_kind_are_read() {
        let v = parse(
            r#" {"a": [1, -2.5e3, true, false, null], "b": "x\"\u00e9\ud83d\ude00", "c": {}} "#,
        )
        .expect("valid");
        assert_eq!(
            v.get("a"),
            Some(&Value::Array(vec![
                Value::Number("1"),
                Value::Number("-2.5e3"),
                Value::Bool(true),
                Value::Bool(false),
                Value::Null
            ]))
        );
        assert_eq!(v.get("b").and_then(Value::as_str), Some("x\"é😀"));
        assert_eq!(v.get("c"), Some(&Value::Object(vec![])));
    }

    #[test]
    fn malformed_text_is_refused_with_where() {
        for (text, what) in [
            ("", "the text ends where a value was expected"),
            ("[1,]", "a value was expected"),
            ("{\"a\" 1}", "“:” was expected after a member's name"),
            ("01", "a number may not start with 0"),
            (
                "\"a\u{1}\"",
                "a control character must be escaped in a string",
            ),
            ("\"\\x\"", "an unknown escape in a string"),
            ("\"\\ud800\"", "a lone surrogate in a \\u escape"),
            ("[1] 2", "text follows the end of the value"),
            ("\"abc", "the text ends inside a string"),
            ("tru", "a value was expected"),
        ] {
            assert_eq!(parse(text).map_err(|e| e.what), Err(what), "{text:?}");
        }
        let deep = "[".repeat(MAX_DEPTH + 2);
        assert_eq!(
            parse(&deep).map_err(|e| e.what),
            Err("arrays and objects nest too deeply")
        );
    }

    #[test]
    fn an_array_is_read_element_by_element() {
        let text = "[ {\"n\": 1}, {\"n\": 2} ]";
        let mut r = Reader::new(text.as_bytes(), 0);
        assert!(r.open_array());
        let mut seen = Vec::new();
        let mut first = true;
        while let Some(v) = r.next_element(first).expect("valid") {
            first = false;
            seen.push(v.get("n").cloned());
        }
        assert_eq!(
            seen,
            vec![Some(Value::Number("1")), Some(Value::Number("2"))]
        );
        assert!(!Reader::new(b"{}", 0).open_array());
        let err = parse("[\n  1,\n  x]").expect_err("bad");
        assert_eq!(err.line_column(b"[\n  1,\n  x]"), (3, 3));
        let bad = Reader::new(b"[\"a\xff\"]", 1).value();
        assert_eq!(
            bad.map_err(|e| (e.offset, e.what)),
            Err((3, "the text is not UTF-8 here"))
        );
    }
}
