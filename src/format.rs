//! Formatting shared by every panel: digit grouping, counted nouns, shortened user text.

/// `1234567` → `1,234,567`.
pub fn group(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// A signed number with grouped digits and a true minus sign: `-1234` → `−1,234`.
pub fn group_signed(n: i64) -> String {
    let sign = if n < 0 { "\u{2212}" } else { "" };
    format!("{sign}{}", group(n.unsigned_abs()))
}

/// `count(1, "event")` → `1 event`; `count(1200, "event")` → `1,200 events`.
pub fn count(n: u64, noun: &str) -> String {
    if n == 1 {
        format!("1 {noun}")
    } else {
        format!("{} {noun}s", group(n))
    }
}

/// At most this many characters of user input are repeated back in a message.
pub const SHOWN_CHARS: usize = 24;

/// User input as a message repeats it: trimmed, and cut to [`SHOWN_CHARS`] characters with an ellipsis,
/// so an alert stays readable whatever was pasted.
pub fn shorten(text: &str) -> String {
    let text = text.trim();
    if text.chars().count() <= SHOWN_CHARS {
        text.to_owned()
    } else {
        let head: String = text.chars().take(SHOWN_CHARS).collect();
        format!("{head}…")
    }
}

/// Parses a whole number as people type it: spaces, `,` and `_` may group digits, a trailing `%` is
/// ignored. `None` for anything else (signs, decimals, letters, more than 19 digits).
pub fn parse_whole(text: &str) -> Option<u64> {
    let digits: String = text
        .trim()
        .trim_end_matches('%')
        .chars()
        .filter(|c| !matches!(c, ',' | '_' | ' '))
        .collect();
    if digits.is_empty() || digits.len() > 19 || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    digits.parse().ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_group_and_count() {
        assert_eq!(group(0), "0");
        assert_eq!(group(1_234_567), "1,234,567");
        assert_eq!(group_signed(-6_000), "\u{2212}6,000");
        assert_eq!(count(1, "row"), "1 row");
        assert_eq!(count(2_000, "row"), "2,000 rows");
        assert_eq!(shorten("  short "), "short");
        assert_eq!(shorten(&"x".repeat(30)), format!("{}…", "x".repeat(24)));
        assert_eq!(parse_whole("10,000"), Some(10_000));
        assert_eq!(parse_whole("5 %"), Some(5));
        assert_eq!(parse_whole("-1"), None);
        assert_eq!(parse_whole("1.5"), None);
        assert_eq!(parse_whole(""), None);
    }
}
