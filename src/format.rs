//! Formatting shared by every panel: digit grouping, counted nouns, shortened user text, times and
//! SVG coordinates.
//!
//! Times and decimals are written out by hand rather than with chrono's strftime or Rust's float
//! formatting: both pull many kilobytes of general machinery into the bundle for the few fixed
//! layouts the page uses.

use chrono::{DateTime, Datelike, NaiveDate, Timelike, Utc};

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

/// An amount of cents in units with two decimals, grouped: `1234567` is `12,345.67`, and a negative
/// amount gets a true minus sign (`−60.00`).
pub fn cents(value: i64) -> String {
    let sign = if value < 0 { "\u{2212}" } else { "" };
    let abs = value.unsigned_abs();
    format!("{sign}{}.{:02}", group(abs / 100), abs % 100)
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

/// Whether `text` contains `part`, by comparing bytes: `str::contains` with a `&str` pattern
/// brings the two-way string searcher into the bundle, for the two fixed phrases the page looks for.
pub fn mentions(text: &str, part: &str) -> bool {
    let part = part.as_bytes();
    part.is_empty() || text.as_bytes().windows(part.len()).any(|w| w == part)
}

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

const MONTHS: [&str; 12] = [
    "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
];

fn at(micros: i64) -> DateTime<Utc> {
    DateTime::from_timestamp_micros(micros).unwrap_or_default()
}

/// `2026-01-05T09:00:01.250Z` (RFC 3339, milliseconds, UTC).
pub fn rfc3339_millis(micros: i64) -> String {
    let t = at(micros);
    format!(
        "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}.{:03}Z",
        t.year(),
        t.month(),
        t.day(),
        t.hour(),
        t.minute(),
        t.second(),
        t.timestamp_subsec_millis()
    )
}

/// `2026-01-05T09:00:01.250000Z` (RFC 3339, microseconds, UTC): a stored time exactly.
pub fn rfc3339_micros(micros: i64) -> String {
    let t = at(micros);
    format!(
        "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}.{:06}Z",
        t.year(),
        t.month(),
        t.day(),
        t.hour(),
        t.minute(),
        t.second(),
        t.timestamp_subsec_micros()
    )
}

/// Parses an RFC 3339 timestamp (`2026-01-05T09:00:01Z`, `…:01.250000Z`, `…:01+02:00`; `t` and `z`
/// in either case; up to nine fraction digits, kept to the microsecond) into microseconds since the
/// Unix epoch.
pub fn parse_rfc3339(text: &str) -> Option<i64> {
    let b = text.as_bytes();
    if b.len() < 20 || !matches!(b[10], b'T' | b't') || b[19] == b' ' {
        return None;
    }
    let (body, offset_seconds) = match text.as_bytes().last()? {
        b'Z' | b'z' => (&text[..text.len() - 1], 0i64),
        _ => {
            let (body, zone) = text.split_at(text.len().checked_sub(6)?);
            let z = zone.as_bytes();
            let sign = match z[0] {
                b'+' => 1,
                b'-' => -1,
                _ => return None,
            };
            if z[3] != b':'
                || !zone[1..3]
                    .bytes()
                    .chain(zone[4..].bytes())
                    .all(|c| c.is_ascii_digit())
            {
                return None;
            }
            let (h, m): (i64, i64) = (zone[1..3].parse().ok()?, zone[4..].parse().ok()?);
            if h > 23 || m > 59 {
                return None;
            }
            (body, sign * (h * 3_600 + m * 60))
        }
    };
    let (clock, fraction) = match body.split_once('.') {
        Some((clock, f))
            if !f.is_empty() && f.len() <= 9 && f.bytes().all(|c| c.is_ascii_digit()) =>
        {
            let six = if f.len() > 6 { &f[..6] } else { f };
            (
                clock,
                six.parse::<u32>().ok()? * 10u32.pow(6 - six.len() as u32),
            )
        }
        Some(_) => return None,
        None => (body, 0),
    };
    if clock.len() != 19 || clock.as_bytes()[16] != b':' {
        return None;
    }
    let local = parse_date_time(&clock.replace(['t'], "T"))?;
    let micros = local.checked_add(i64::from(fraction))?;
    micros.checked_sub(offset_seconds.checked_mul(1_000_000)?)
}

/// `Jan 05 09:00:01`.
pub fn month_day_time(micros: i64) -> String {
    let t = at(micros);
    format!(
        "{} {:02} {:02}:{:02}:{:02}",
        MONTHS[t.month0() as usize],
        t.day(),
        t.hour(),
        t.minute(),
        t.second()
    )
}

/// `Jan 05 09:00`, for a time in whole seconds.
pub fn month_day_minutes(seconds: i64) -> String {
    let t = at(seconds.saturating_mul(1_000_000));
    format!(
        "{} {:02} {:02}:{:02}",
        MONTHS[t.month0() as usize],
        t.day(),
        t.hour(),
        t.minute()
    )
}

/// `2026-01-05 09:00`, for a time in whole seconds.
pub fn date_minutes(seconds: i64) -> String {
    let t = at(seconds.saturating_mul(1_000_000));
    format!(
        "{:04}-{:02}-{:02} {:02}:{:02}",
        t.year(),
        t.month(),
        t.day(),
        t.hour(),
        t.minute()
    )
}

/// Parses `2026-01-05T09:00`, `2026-01-05T09:00:30`, `2026-01-05T09:00:30.5` or with a space
/// instead of the `T` (UTC) into microseconds since the Unix epoch.
pub fn parse_date_time(text: &str) -> Option<i64> {
    let (date, time) = text.split_once(['T', ' '])?;
    let mut ymd = date.splitn(3, '-');
    let number = |part: Option<&str>, digits: usize| -> Option<u32> {
        let part = part?;
        (part.len() == digits && part.bytes().all(|b| b.is_ascii_digit()))
            .then(|| part.parse().ok())
            .flatten()
    };
    let (y, m, d) = (
        number(ymd.next(), 4)?,
        number(ymd.next(), 2)?,
        number(ymd.next(), 2)?,
    );
    let (clock, fraction) = match time.split_once('.') {
        Some((clock, f))
            if !f.is_empty() && f.len() <= 6 && f.bytes().all(|b| b.is_ascii_digit()) =>
        {
            (
                clock,
                f.parse::<u32>().ok()? * 10u32.pow(6 - f.len() as u32),
            )
        }
        Some(_) => return None,
        None => (time, 0),
    };
    let mut hms = clock.split(':');
    let (h, min) = (number(hms.next(), 2)?, number(hms.next(), 2)?);
    let s = match hms.next() {
        Some(part) => number(Some(part), 2)?,
        None => 0,
    };
    if hms.next().is_some() {
        return None;
    }
    let naive = NaiveDate::from_ymd_opt(y as i32, m, d)?.and_hms_micro_opt(h, min, s, fraction)?;
    Some(naive.and_utc().timestamp_micros())
}

/// A coordinate rounded to tenths: `12.345` → `12.3`, `-0.04` → `0.0` (written without float
/// formatting).
pub fn tenths(value: f64) -> String {
    let scaled = (value * 10.0).round() as i64;
    let sign = if scaled < 0 { "-" } else { "" };
    let abs = scaled.unsigned_abs();
    format!("{sign}{}.{}", abs / 10, abs % 10)
}

/// Whole pixels: `12.6` → `13`.
pub fn whole(value: f64) -> String {
    (value.round() as i64).to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn mentions_finds_a_part_anywhere_and_nothing_that_is_not_there() {
        assert!(mentions("order-1 is cancelled; it accepts", "cancelled"));
        assert!(mentions(
            "Balance row of account-1 (the selected account)",
            "(the selected"
        ));
        assert!(mentions("anything", ""));
        assert!(!mentions("cancel", "cancelled"));
        assert!(!mentions("", "x"));
    }

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

    #[test]
    fn times_and_coordinates_are_written_by_hand() {
        let micros = 1_767_603_601_250_000; // 2026-01-05T09:00:01.25Z
        assert_eq!(rfc3339_millis(micros), "2026-01-05T09:00:01.250Z");
        assert_eq!(month_day_time(micros), "Jan 05 09:00:01");
        assert_eq!(month_day_minutes(micros / 1_000_000), "Jan 05 09:00");
        assert_eq!(date_minutes(micros / 1_000_000), "2026-01-05 09:00");
        assert_eq!(parse_date_time("2026-01-05T09:00:01.25"), Some(micros));
        assert_eq!(
            parse_date_time("2026-01-05 09:00"),
            Some(micros - 1_250_000)
        );
        for bad in [
            "",
            "2026-01-05",
            "2026-13-05T09:00",
            "2026-01-05T25:00",
            "yesterday",
            "2026-1-5T9:00",
            "2026-01-05T09:00:00:00",
        ] {
            assert_eq!(parse_date_time(bad), None, "{bad}");
        }
        assert_eq!(tenths(12.345), "12.3");
        assert_eq!(tenths(-1.25), "-1.3");
        assert_eq!(tenths(0.0), "0.0");
        assert_eq!(whole(12.6), "13");
    }
}
