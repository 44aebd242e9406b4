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
    shorten_to(text, SHOWN_CHARS)
}

/// [`shorten`] to at most `chars` characters (an event id is shown whole: 36).
pub fn shorten_to(text: &str, chars: usize) -> String {
    let text = text.trim();
    if text.chars().count() <= chars {
        text.to_owned()
    } else {
        let head: String = text.chars().take(chars).collect();
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

/// Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's `days_from_civil`).
fn days_from_civil(y: i64, m: i64, d: i64) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let doy = (153 * (m + if m > 2 { -3 } else { 9 }) + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// The date of a day since 1970-01-01 (Howard Hinnant's `civil_from_days`).
fn civil_from_days(z: i64) -> (i64, i64, i64) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1_460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    (yoe + era * 400 + i64::from(m <= 2), m, d)
}

fn push_digits(out: &mut String, n: i64, width: u32) {
    for p in (0..width).rev() {
        let digit = (n / 10i64.pow(p)) % 10;
        out.push(char::from(b'0' + digit as u8));
    }
}

/// Appends `2026-01-05T09:00:01.250000Z` (RFC 3339, microseconds, UTC): a stored time exactly,
/// written without a calendar library (an export writes two per event).
pub fn push_rfc3339_micros(out: &mut String, micros: i64) {
    const DAY: i64 = 86_400_000_000;
    let (y, m, d) = civil_from_days(micros.div_euclid(DAY));
    let t = micros.rem_euclid(DAY);
    if (0..=9_999).contains(&y) {
        push_digits(out, y, 4);
    } else {
        // Not a year RFC 3339 can write; shown as chrono shows it.
        out.push_str(&format!("{y:04}"));
    }
    out.push('-');
    push_digits(out, m, 2);
    out.push('-');
    push_digits(out, d, 2);
    out.push('T');
    push_digits(out, t / 3_600_000_000, 2);
    out.push(':');
    push_digits(out, t / 60_000_000 % 60, 2);
    out.push(':');
    push_digits(out, t / 1_000_000 % 60, 2);
    out.push('.');
    push_digits(out, t % 1_000_000, 6);
    out.push('Z');
}

/// `2026-01-05T09:00:01.250000Z` (RFC 3339, microseconds, UTC): a stored time exactly.
pub fn rfc3339_micros(micros: i64) -> String {
    let mut out = String::with_capacity(27);
    push_rfc3339_micros(&mut out, micros);
    out
}

/// `2026-01-05T09:00:01.250Z` (RFC 3339, milliseconds, UTC): [`rfc3339_micros`] cut to the
/// millisecond.
pub fn rfc3339_millis(micros: i64) -> String {
    let mut out = rfc3339_micros(micros);
    // "….250000Z": drop the last three fraction digits, keep the "Z".
    out.replace_range(out.len() - 4..out.len() - 1, "");
    out
}

/// Parses an RFC 3339 timestamp (`2026-01-05T09:00:01Z`, `…:01.250000Z`, `…:01+02:00`; `t` and `z`
/// in either case; up to nine fraction digits, kept to the microsecond) into microseconds since the
/// Unix epoch.
pub fn parse_rfc3339(text: &str) -> Option<i64> {
    let b = text.as_bytes();
    let digits = |from: usize, n: usize| -> Option<i64> {
        let part = b.get(from..from + n)?;
        part.iter().try_fold(0i64, |acc, &c| {
            c.is_ascii_digit().then(|| acc * 10 + i64::from(c - b'0'))
        })
    };
    if b.len() < 20
        || b[4] != b'-'
        || b[7] != b'-'
        || !matches!(b[10], b'T' | b't')
        || b[13] != b':'
        || b[16] != b':'
    {
        return None;
    }
    let (y, m, d) = (digits(0, 4)?, digits(5, 2)?, digits(8, 2)?);
    let (h, min, sec) = (digits(11, 2)?, digits(14, 2)?, digits(17, 2)?);
    let leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    let month_days = [
        31,
        if leap { 29 } else { 28 },
        31,
        30,
        31,
        30,
        31,
        31,
        30,
        31,
        30,
        31,
    ];
    if !(1..=12).contains(&m)
        || d < 1
        || d > month_days[(m - 1) as usize]
        || h > 23
        || min > 59
        || sec > 59
    {
        return None;
    }
    let mut at = 19;
    let mut fraction = 0i64;
    if b.get(at) == Some(&b'.') {
        at += 1;
        let start = at;
        while b.get(at).is_some_and(u8::is_ascii_digit) {
            at += 1;
        }
        let n = at - start;
        if n == 0 || n > 9 {
            return None;
        }
        let kept = n.min(6);
        fraction = digits(start, kept)? * 10i64.pow((6 - kept) as u32);
    }
    let offset = match &b[at..] {
        [b'Z' | b'z'] => 0,
        [sign @ (b'+' | b'-'), _, _, b':', _, _] => {
            let (oh, om) = (digits(at + 1, 2)?, digits(at + 4, 2)?);
            if oh > 23 || om > 59 {
                return None;
            }
            let seconds = oh * 3_600 + om * 60;
            if *sign == b'+' {
                seconds
            } else {
                -seconds
            }
        }
        _ => return None,
    };
    let seconds = days_from_civil(y, m, d) * 86_400 + h * 3_600 + min * 60 + sec - offset;
    Some(seconds * 1_000_000 + fraction)
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
    fn rfc3339_times_are_written_and_read_as_chrono_does() {
        let mut rng = crate::kernel::SeededRng::new(5);
        for i in 0..20_000u64 {
            // From 1900 to 2200, and a few around the epoch.
            let micros = if i < 100 {
                i as i64 * 7_777_777 - 300_000_000
            } else {
                (rng.below(9_500_000_000_000_000) as i64) - 2_200_000_000_000_000
            };
            let t = DateTime::from_timestamp_micros(micros).expect("in range");
            let written = rfc3339_micros(micros);
            assert_eq!(written, t.format("%Y-%m-%dT%H:%M:%S%.6fZ").to_string());
            assert_eq!(
                rfc3339_millis(micros),
                t.format("%Y-%m-%dT%H:%M:%S%.3fZ").to_string()
            );
            assert_eq!(parse_rfc3339(&written), Some(micros));
        }
        assert_eq!(rfc3339_micros(0), "1970-01-01T00:00:00.000000Z");
        let base = parse_rfc3339("2026-03-01T10:00:00Z").expect("valid");
        assert_eq!(parse_rfc3339("2026-03-01T12:30:00+02:30"), Some(base));
        assert_eq!(
            parse_rfc3339("2026-03-01t05:00:00.5-05:00"),
            Some(base + 500_000)
        );
        assert_eq!(
            parse_rfc3339("2026-03-01T10:00:00.123456789Z"),
            Some(base + 123_456)
        );
        for bad in [
            "2026-02-29T10:00:00Z",
            "2026-13-01T10:00:00Z",
            "2026-03-01 10:00:00Z",
            "2026-03-01T24:00:00Z",
            "2026-03-01T10:00:00",
            "2026-03-01T10:00:00.Z",
            "2026-03-01T10:00:00+0200",
            "yesterday",
            "2026-03-01T10:00:00Zjunk",
        ] {
            assert_eq!(parse_rfc3339(bad), None, "{bad}");
        }
        assert!(parse_rfc3339("2024-02-29T10:00:00Z").is_some());
    }

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
