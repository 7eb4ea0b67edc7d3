//! Calendar dates as day numbers, and the text formats CSV exports use for them.
//!
//! Dates are stored as seconds since 1970-01-01 (UTC, no time zones: exports rarely carry
//! them and segment features only need day differences). The civil-calendar conversions are
//! Howard Hinnant's exact integer algorithms, small enough that a dependency would add more
//! than it saves.

/// Seconds in a day.
pub const DAY: i64 = 86_400;

/// Days since 1970-01-01 for a proleptic Gregorian date, or `None` if the date does not exist.
pub fn days_from_civil(year: i32, month: u32, day: u32) -> Option<i64> {
    if !(1..=12).contains(&month) || day == 0 || day > days_in_month(year, month) {
        return None;
    }
    let y = i64::from(year) - i64::from(month <= 2);
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let m = i64::from(month);
    let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + i64::from(day) - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    Some(era * 146_097 + doe - 719_468)
}

/// The `(year, month, day)` of a day number.
pub fn civil_from_days(days: i64) -> (i32, u32, u32) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    let y = yoe + era * 400 + i64::from(m <= 2);
    (y as i32, m, d)
}

/// Whether `year` is a leap year.
pub fn is_leap(year: i32) -> bool {
    (year % 4 == 0 && year % 100 != 0) || year % 400 == 0
}

/// Number of days in a month (`month` in `1..=12`).
pub fn days_in_month(year: i32, month: u32) -> u32 {
    match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if is_leap(year) => 29,
        2 => 28,
        _ => 0,
    }
}

/// Day of the week, Monday = 0 … Sunday = 6.
pub fn weekday(days: i64) -> u32 {
    // 1970-01-01 was a Thursday (3).
    (days + 3).rem_euclid(7) as u32
}

/// Formats seconds since the epoch as `YYYY-MM-DD`, adding ` HH:MM:SS` when there is a time.
pub fn format_timestamp(seconds: i64) -> String {
    let days = seconds.div_euclid(DAY);
    let secs = seconds.rem_euclid(DAY);
    let (y, m, d) = civil_from_days(days);
    if secs == 0 {
        format!("{y:04}-{m:02}-{d:02}")
    } else {
        format!(
            "{y:04}-{m:02}-{d:02} {:02}:{:02}:{:02}",
            secs / 3600,
            (secs / 60) % 60,
            secs % 60
        )
    }
}

/// The order of day, month and year in a slashed or dotted date such as `01/12/2010`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DateOrder {
    /// `31/12/2010`: day first (Europe, most of the world).
    Dmy,
    /// `12/31/2010`: month first (United States).
    Mdy,
    /// `2010/12/31`: year first.
    Ymd,
}

/// A date split into numbers but not yet validated, as read from text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DateParts {
    /// The three numbers in the order written.
    pub fields: [u32; 3],
    /// Whether the first field had four digits (a year).
    pub year_first: bool,
    /// Seconds into the day, when a time follows the date.
    pub time: Option<u32>,
    /// Number of digits in the last field (2 for `10`, 4 for `2010`).
    pub last_digits: u8,
}

/// Splits `2010-12-01`, `01/12/2010 08:26`, `1.12.2010`, `2010-12-01T08:26:00Z` or
/// `20101201` into numbers. Returns `None` for anything that is not shaped like a date.
pub fn split_date(text: &str) -> Option<DateParts> {
    let s = text.trim();
    let bytes = s.as_bytes();
    // Compact yyyymmdd.
    if bytes.len() == 8 && bytes.iter().all(u8::is_ascii_digit) {
        let y = parse_u32(&s[0..4])?;
        let m = parse_u32(&s[4..6])?;
        let d = parse_u32(&s[6..8])?;
        if !(1900..=2200).contains(&y) {
            return None;
        }
        return Some(DateParts {
            fields: [y, m, d],
            year_first: true,
            time: None,
            last_digits: 2,
        });
    }
    let (date_part, time_part) = match s.find([' ', 'T']) {
        Some(i) => (&s[..i], Some(s[i + 1..].trim())),
        None => (s, None),
    };
    let sep = date_part
        .bytes()
        .find(|b| matches!(b, b'-' | b'/' | b'.'))?;
    let mut it = date_part.split(sep as char);
    let a = it.next()?;
    let b = it.next()?;
    let c = it.next()?;
    if it.next().is_some() || a.is_empty() || b.is_empty() || c.is_empty() {
        return None;
    }
    if a.len() > 4 || b.len() > 2 || c.len() > 4 {
        return None;
    }
    let fields = [parse_u32(a)?, parse_u32(b)?, parse_u32(c)?];
    let year_first = a.len() == 4;
    if !year_first && c.len() != 4 && c.len() != 2 {
        return None;
    }
    let time = match time_part {
        Some(t) if !t.is_empty() => Some(parse_time(t)?),
        _ => None,
    };
    Some(DateParts {
        fields,
        year_first,
        time,
        last_digits: c.len() as u8,
    })
}

impl DateParts {
    /// Seconds since the epoch for this date read in `order`, if it is a real date.
    pub fn to_timestamp(self, order: DateOrder) -> Option<i64> {
        let [a, b, c] = self.fields;
        let (y, m, d) = if self.year_first {
            (a, b, c)
        } else {
            let year = if self.last_digits == 2 {
                // Two-digit years: 00-68 → 2000s, 69-99 → 1900s (the POSIX strptime rule).
                if c < 69 { 2000 + c } else { 1900 + c }
            } else {
                c
            };
            match order {
                DateOrder::Dmy | DateOrder::Ymd => (year, b, a),
                DateOrder::Mdy => (year, a, b),
            }
        };
        let days = days_from_civil(i32::try_from(y).ok()?, m, d)?;
        Some(days * DAY + i64::from(self.time.unwrap_or(0)))
    }
}

fn parse_u32(s: &str) -> Option<u32> {
    if s.is_empty() || s.len() > 9 || !s.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    s.parse().ok()
}

/// `08:26`, `08:26:00`, `8:26:00.000`, `08:26:00Z`, `08:26:00+01:00` → seconds into the day.
fn parse_time(t: &str) -> Option<u32> {
    let t = t.trim_end_matches('Z');
    let t = match t.find(['+']) {
        Some(i) => &t[..i],
        None => t,
    };
    let t = t.split('.').next()?;
    let mut parts = t.split(':');
    let h = parse_u32(parts.next()?)?;
    let m = parse_u32(parts.next()?)?;
    let s = match parts.next() {
        Some(s) => parse_u32(s)?,
        None => 0,
    };
    if parts.next().is_some() || h > 23 || m > 59 || s > 60 {
        return None;
    }
    Some(h * 3600 + m * 60 + s.min(59))
}

/// Converts an Excel serial day number (1900 date system) to days since 1970-01-01.
///
/// Excel counts 1900-01-01 as day 1 and wrongly treats 1900 as a leap year, so serials
/// from 61 on are one day ahead; 25569 is 1970-01-01.
pub fn excel_serial_to_days(serial: f64) -> Option<i64> {
    if !(1.0..2_958_466.0).contains(&serial) {
        return None;
    }
    let whole = serial.floor() as i64;
    let adjusted = if whole < 61 { whole + 1 } else { whole };
    Some(adjusted - 25_569)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn civil_round_trip() {
        for days in [-719_468, -1, 0, 1, 10_957, 14_944, 20_000, 2_932_896] {
            let (y, m, d) = civil_from_days(days);
            assert_eq!(days_from_civil(y, m, d), Some(days));
        }
        assert_eq!(days_from_civil(1970, 1, 1), Some(0));
        assert_eq!(days_from_civil(2000, 3, 1), Some(11_017));
        assert_eq!(days_from_civil(2010, 12, 1), Some(14_944));
        assert_eq!(days_from_civil(2011, 2, 29), None);
        assert_eq!(days_from_civil(2012, 2, 29), Some(15_399));
    }

    #[test]
    fn weekdays() {
        assert_eq!(weekday(0), 3); // Thursday
        assert_eq!(weekday(days_from_civil(2010, 12, 1).unwrap()), 2); // Wednesday
    }

    #[test]
    fn splits_common_formats() {
        let p = split_date("2010-12-01 08:26:00").unwrap();
        assert_eq!(
            p.to_timestamp(DateOrder::Dmy),
            Some(14_944 * DAY + 8 * 3600 + 26 * 60)
        );
        let p = split_date("01/12/2010 08:26").unwrap();
        assert_eq!(
            p.to_timestamp(DateOrder::Dmy),
            Some(14_944 * DAY + 8 * 3600 + 26 * 60)
        );
        assert_eq!(
            p.to_timestamp(DateOrder::Mdy),
            Some(days_from_civil(2010, 1, 12).unwrap() * DAY + 8 * 3600 + 26 * 60)
        );
        assert_eq!(
            split_date("19970101").unwrap().to_timestamp(DateOrder::Dmy),
            Some(days_from_civil(1997, 1, 1).unwrap() * DAY)
        );
        assert_eq!(
            split_date("2010-12-01T08:26:00Z").unwrap().time,
            Some(8 * 3600 + 26 * 60)
        );
        assert_eq!(
            split_date("1.12.10").unwrap().to_timestamp(DateOrder::Dmy),
            Some(14_944 * DAY)
        );
        assert!(split_date("hello").is_none());
        assert!(split_date("12345").is_none());
        assert!(split_date("1-2").is_none());
        assert!(
            split_date("2010-13-01")
                .unwrap()
                .to_timestamp(DateOrder::Dmy)
                .is_none()
        );
    }

    #[test]
    fn excel_serials() {
        assert_eq!(excel_serial_to_days(25_569.0), Some(0));
        assert_eq!(excel_serial_to_days(40_513.0), days_from_civil(2010, 12, 1));
        assert_eq!(excel_serial_to_days(0.0), None);
    }

    #[test]
    fn formats_timestamps() {
        assert_eq!(format_timestamp(14_944 * DAY), "2010-12-01");
        assert_eq!(
            format_timestamp(14_944 * DAY + 8 * 3600 + 26 * 60),
            "2010-12-01 08:26:00"
        );
    }
}
