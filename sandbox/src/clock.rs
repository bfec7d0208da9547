//! Calendar dates and the sandbox clock.
//!
//! The clock is the real clock plus an offset, so a test can move the sandbox to any day
//! (`--now`, or the control endpoint) while time keeps running: ledger movements stay ordered
//! and timestamps stay plausible. All dates are UTC.

use std::fmt;
use std::sync::Mutex;
use std::time::{SystemTime, UNIX_EPOCH};

const SECS_PER_DAY: i64 = 86_400;

/// A proleptic Gregorian calendar date, stored as days since 1970-01-01.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Date(i64);

impl Date {
    pub fn from_ymd(y: i64, m: u32, d: u32) -> Option<Date> {
        if !(1..=12).contains(&m) || d == 0 || d > days_in_month(y, m) || !(1..=9999).contains(&y) {
            return None;
        }
        Some(Date(days_from_civil(y, m, d)))
    }

    pub fn ymd(self) -> (i64, u32, u32) {
        civil_from_days(self.0)
    }

    pub fn from_unix(secs: i64) -> Date {
        Date(secs.div_euclid(SECS_PER_DAY))
    }

    pub fn unix_midnight(self) -> i64 {
        self.0 * SECS_PER_DAY
    }

    pub fn add_days(self, days: i64) -> Date {
        Date(self.0 + days)
    }

    pub fn days_until(self, other: Date) -> i64 {
        other.0 - self.0
    }

    /// Calendar months; the day is clamped to the target month's length (31 Dec + 2 = 28/29 Feb),
    /// which is how "two months" is read for the expiry of never-activated orders.
    pub fn add_months(self, months: i64) -> Date {
        let (y, m, d) = self.ymd();
        let index = y * 12 + i64::from(m) - 1 + months;
        let ny = index.div_euclid(12);
        let nm = (index.rem_euclid(12) + 1) as u32;
        let nd = d.min(days_in_month(ny, nm));
        Date(days_from_civil(ny, nm, nd))
    }

    /// 0 = Monday … 6 = Sunday.
    pub fn weekday(self) -> i64 {
        (self.0 + 3).rem_euclid(7)
    }

    pub fn monday_of_week(self) -> Date {
        Date(self.0 - self.weekday())
    }

    /// ISO 8601 week: (week-based year, week number).
    pub fn iso_week(self) -> (i64, u32) {
        let thursday = self.add_days(3 - self.weekday());
        let (year, _, _) = thursday.ymd();
        let jan1 = Date(days_from_civil(year, 1, 1));
        let week = jan1.days_until(thursday) / 7 + 1;
        (year, week as u32)
    }

    /// Monday of ISO week `week` of `year`.
    pub fn from_iso_week(year: i64, week: u32) -> Option<Date> {
        if !(1..=53).contains(&week) {
            return None;
        }
        let jan4 = Date::from_ymd(year, 1, 4)?;
        let monday = jan4.monday_of_week().add_days(i64::from(week - 1) * 7);
        (monday.iso_week() == (year, week)).then_some(monday)
    }

    /// `YYYYMMDD`, the wire format of BillPay dates.
    pub fn compact(self) -> String {
        let (y, m, d) = self.ymd();
        format!("{y:04}{m:02}{d:02}")
    }

    /// Accepts `YYYY-MM-DD` and `YYYYMMDD`.
    pub fn parse(text: &str) -> Option<Date> {
        let t = text.trim();
        let digits: String = match (t.len(), t.get(4..5), t.get(7..8)) {
            (10, Some("-"), Some("-")) => t.split('-').collect(),
            (8, _, _) => t.to_string(),
            _ => return None,
        };
        if digits.len() != 8 || !digits.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        let y = digits.get(0..4)?.parse().ok()?;
        let m = digits.get(4..6)?.parse().ok()?;
        let d = digits.get(6..8)?.parse().ok()?;
        Date::from_ymd(y, m, d)
    }
}

impl fmt::Display for Date {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let (y, m, d) = self.ymd();
        write!(f, "{y:04}-{m:02}-{d:02}")
    }
}

pub fn is_leap(y: i64) -> bool {
    (y % 4 == 0 && y % 100 != 0) || y % 400 == 0
}

pub fn days_in_month(y: i64, m: u32) -> u32 {
    match m {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if is_leap(y) => 29,
        2 => 28,
        _ => 0,
    }
}

// Howard Hinnant's civil-date algorithms: exact for every Gregorian date, no tables.
fn days_from_civil(y: i64, m: u32, d: u32) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let m = i64::from(m);
    let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + i64::from(d) - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

fn civil_from_days(z: i64) -> (i64, u32, u32) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let y = yoe + era * 400;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    (if m <= 2 { y + 1 } else { y }, m, d)
}

/// `YYYY-MM-DD` (midnight) or `YYYY-MM-DDTHH:MM[:SS]` (optional trailing `Z`) to Unix seconds.
pub fn parse_instant(text: &str) -> Option<i64> {
    let t = text.trim().trim_end_matches('Z');
    let (date_part, time_part) = match t.split_once(['T', ' ']) {
        Some((d, tm)) => (d, Some(tm)),
        None => (t, None),
    };
    let date = Date::parse(date_part)?;
    let mut secs = date.unix_midnight();
    if let Some(tm) = time_part {
        let parts: Vec<&str> = tm.split(':').collect();
        if parts.len() < 2 || parts.len() > 3 {
            return None;
        }
        let mut nums = [0i64; 3];
        for (slot, p) in nums.iter_mut().zip(&parts) {
            if p.len() != 2 || !p.bytes().all(|b| b.is_ascii_digit()) {
                return None;
            }
            *slot = p.parse().ok()?;
        }
        let [hours, minutes, seconds] = nums;
        if hours > 23 || minutes > 59 || seconds > 59 {
            return None;
        }
        secs += hours * 3600 + minutes * 60 + seconds;
    }
    Some(secs)
}

/// `YYYY-MM-DDTHH:MM:SSZ`.
pub fn format_instant(secs: i64) -> String {
    let date = Date::from_unix(secs);
    let rem = secs.rem_euclid(SECS_PER_DAY);
    format!(
        "{}T{:02}:{:02}:{:02}Z",
        date,
        rem / 3600,
        (rem / 60) % 60,
        rem % 60
    )
}

fn real_now() -> i64 {
    match SystemTime::now().duration_since(UNIX_EPOCH) {
        Ok(d) => d.as_secs() as i64,
        Err(_) => 0,
    }
}

pub struct Clock {
    offset: Mutex<i64>,
}

impl Clock {
    pub fn new(start: Option<i64>) -> Clock {
        let offset = start.map(|s| s - real_now()).unwrap_or(0);
        Clock {
            offset: Mutex::new(offset),
        }
    }

    fn offset(&self) -> i64 {
        match self.offset.lock() {
            Ok(g) => *g,
            Err(poisoned) => *poisoned.into_inner(),
        }
    }

    pub fn now(&self) -> i64 {
        real_now() + self.offset()
    }

    pub fn today(&self) -> Date {
        Date::from_unix(self.now())
    }

    pub fn set(&self, instant: i64) {
        let mut guard = match self.offset.lock() {
            Ok(g) => g,
            Err(poisoned) => poisoned.into_inner(),
        };
        *guard = instant - real_now();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> Date {
        Date::parse(s).expect("valid test date")
    }

    #[test]
    fn civil_round_trip() {
        for days in -800_000..800_000 {
            if days % 997 != 0 {
                continue;
            }
            let (y, m, dd) = civil_from_days(days);
            assert_eq!(days_from_civil(y, m, dd), days);
        }
        assert_eq!(d("1970-01-01").0, 0);
        assert_eq!(d("2000-03-01").to_string(), "2000-03-01");
    }

    #[test]
    fn parse_rejects_bad_dates() {
        assert!(Date::parse("2026-02-29").is_none());
        assert!(Date::parse("2028-02-29").is_some());
        assert!(Date::parse("20261301").is_none());
        assert!(Date::parse("2026-1-01").is_none());
        assert!(Date::parse("2026-01-3-").is_none());
        assert!(Date::parse("2026-01-3x").is_none());
        assert!(Date::parse("20ä6-1-01").is_none());
        assert!(Date::parse("").is_none());
        assert_eq!(parse_instant("2026-01-31T25:00:00"), None);
        assert_eq!(
            parse_instant("2026-01-31T01:02:03").map(|t| t - d("2026-01-31").unix_midnight()),
            Some(3723)
        );
        assert_eq!(d("20260131"), d("2026-01-31"));
    }

    #[test]
    fn month_arithmetic_clamps() {
        assert_eq!(d("2026-12-31").add_months(2), d("2027-02-28"));
        assert_eq!(d("2027-12-31").add_months(2), d("2028-02-29"));
        assert_eq!(d("2026-01-15").add_months(2), d("2026-03-15"));
        assert_eq!(d("2026-11-30").add_months(2), d("2027-01-30"));
        assert_eq!(d("2026-01-31").add_days(30), d("2026-03-02"));
    }

    #[test]
    fn iso_weeks() {
        assert_eq!(d("2026-01-01").iso_week(), (2026, 1));
        assert_eq!(d("2027-01-01").iso_week(), (2026, 53));
        assert_eq!(d("2024-12-30").iso_week(), (2025, 1));
        assert_eq!(Date::from_iso_week(2026, 53), Some(d("2026-12-28")));
        assert_eq!(Date::from_iso_week(2025, 53), None);
        assert_eq!(d("2026-11-26").weekday(), 3);
    }

    #[test]
    fn instants() {
        assert_eq!(parse_instant("1970-01-02"), Some(86_400));
        assert_eq!(parse_instant("1970-01-01T01:00:05Z"), Some(3605));
        assert_eq!(format_instant(3605), "1970-01-01T01:00:05Z");
        assert!(parse_instant("1970-01-01T25:00").is_none());
    }
}
