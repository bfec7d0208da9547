//! Calendar dates (`YYYY-MM-DD` across the boundary, `YYYYMMDD` on the wire).
//!
//! Only proleptic-Gregorian day arithmetic is needed (due dates, the two-month
//! expiry), so a few lines replace a date crate and keep the module small.

use crate::error::{BillPayError, ErrorCode, Result};
use crate::prelude::*;
use core::fmt;

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Date {
    pub year: i32,
    pub month: u8,
    pub day: u8,
}

pub fn days_in_month(year: i32, month: u8) -> u8 {
    match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        _ if (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 => 29,
        _ => 28,
    }
}

impl Date {
    pub fn new(year: i32, month: u8, day: u8) -> Option<Date> {
        let valid = (1900..=9999).contains(&year)
            && (1..=12).contains(&month)
            && day >= 1
            && day <= days_in_month(year, month);
        valid.then_some(Date { year, month, day })
    }

    /// Parses `YYYY-MM-DD` (what crosses the JS boundary).
    pub fn parse_iso(text: &str) -> Result<Date> {
        let b = text.as_bytes();
        let shape = b.len() == 10
            && b.get(4) == Some(&b'-')
            && b.get(7) == Some(&b'-')
            && b.iter()
                .enumerate()
                .all(|(i, c)| i == 4 || i == 7 || c.is_ascii_digit());
        let parsed = if shape {
            let num = |r: core::ops::Range<usize>| text.get(r).and_then(|s| s.parse::<u32>().ok());
            match (num(0..4), num(5..7), num(8..10)) {
                (Some(y), Some(m), Some(d)) => Date::new(
                    y as i32,
                    u8::try_from(m).unwrap_or(0),
                    u8::try_from(d).unwrap_or(0),
                ),
                _ => None,
            }
        } else {
            None
        };
        parsed.ok_or_else(|| {
            BillPayError::new(
                ErrorCode::InvalidDate,
                crate::money::quoted("expected a date \"YYYY-MM-DD\", got ", text),
            )
        })
    }

    pub fn parse_iso_at(text: &str, path: &str) -> Result<Date> {
        Date::parse_iso(text).map_err(|e| e.at(path))
    }

    /// Parses BillPay's wire format `YYYYMMDD`.
    pub fn parse_compact(text: &str) -> Option<Date> {
        if text.len() != 8 || !text.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        let year = text.get(0..4)?.parse().ok()?;
        let month = text.get(4..6)?.parse().ok()?;
        let day = text.get(6..8)?.parse().ok()?;
        Date::new(year, month, day)
    }

    /// BillPay's wire format `YYYYMMDD`.
    pub fn compact(self) -> String {
        let mut out = String::with_capacity(8);
        self.push_digits(&mut out, None);
        out
    }

    /// `YYYY-MM-DD`.
    pub fn iso(self) -> String {
        let mut out = String::with_capacity(10);
        self.push_digits(&mut out, Some('-'));
        out
    }

    fn push_digits(self, out: &mut String, separator: Option<char>) {
        let year = u32::try_from(self.year).unwrap_or(0);
        for divisor in [1000, 100, 10, 1] {
            out.push(char::from(b'0' + ((year / divisor) % 10) as u8));
        }
        for part in [self.month, self.day] {
            if let Some(separator) = separator {
                out.push(separator);
            }
            out.push(char::from(b'0' + part / 10));
            out.push(char::from(b'0' + part % 10));
        }
    }

    /// Days since 1970-01-01 (Howard Hinnant's days_from_civil).
    pub fn to_days(self) -> i64 {
        let y = i64::from(self.year) - i64::from(self.month <= 2);
        let era = y.div_euclid(400);
        let yoe = y - era * 400;
        let m = i64::from(self.month);
        let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + i64::from(self.day) - 1;
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
        era * 146_097 + doe - 719_468
    }

    pub fn from_days(days: i64) -> Option<Date> {
        let z = days + 719_468;
        let era = z.div_euclid(146_097);
        let doe = z - era * 146_097;
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
        let mp = (5 * doy + 2) / 153;
        let day = doy - (153 * mp + 2) / 5 + 1;
        let month = if mp < 10 { mp + 3 } else { mp - 9 };
        let year = yoe + era * 400 + i64::from(month <= 2);
        Date::new(
            i32::try_from(year).ok()?,
            u8::try_from(month).ok()?,
            u8::try_from(day).ok()?,
        )
    }

    pub fn add_days(self, days: i64) -> Option<Date> {
        Date::from_days(self.to_days() + days)
    }

    /// Same day `months` later, clamped to the month's end (Dec 31 + 2 → Feb 28/29).
    pub fn add_months(self, months: u32) -> Option<Date> {
        let total = i64::from(self.month) - 1 + i64::from(months);
        let year = i32::try_from(i64::from(self.year) + total.div_euclid(12)).ok()?;
        let month = u8::try_from(total.rem_euclid(12) + 1).ok()?;
        let day = self.day.min(days_in_month(year, month));
        Date::new(year, month, day)
    }

    pub fn days_until(self, other: Date) -> i64 {
        other.to_days() - self.to_days()
    }
}

impl fmt::Display for Date {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.iso())
    }
}

impl crate::shape::Encode for Date {
    fn encode(&self, out: &mut String) {
        out.push('"');
        self.push_digits(out, Some('-'));
        out.push('"');
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn parses_and_refuses() {
        assert_eq!(
            Date::parse_iso("2026-02-28").unwrap().to_string(),
            "2026-02-28"
        );
        assert!(Date::parse_iso("2024-02-29").is_ok());
        for bad in [
            "2026-02-29",
            "2026-13-01",
            "2026-1-01",
            "26-01-01",
            "2026-01-01T00:00",
            "",
            "2026/01/01",
        ] {
            assert_eq!(
                Date::parse_iso(bad).unwrap_err().code,
                ErrorCode::InvalidDate,
                "{bad}"
            );
        }
        assert_eq!(
            Date::parse_compact("20150501").unwrap().to_string(),
            "2015-05-01"
        );
        assert!(Date::parse_compact("2015051").is_none());
    }

    #[test]
    fn month_arithmetic_clamps() {
        let d = |s| Date::parse_iso(s).unwrap();
        assert_eq!(d("2026-12-31").add_months(2).unwrap(), d("2027-02-28"));
        assert_eq!(d("2027-12-31").add_months(2).unwrap(), d("2028-02-29"));
        assert_eq!(d("2026-01-15").add_months(2).unwrap(), d("2026-03-15"));
        assert_eq!(d("2026-11-20").add_days(30).unwrap(), d("2026-12-20"));
        assert_eq!(d("2026-12-15").add_days(30).unwrap(), d("2027-01-14"));
        assert_eq!(d("1970-01-01").to_days(), 0);
    }

    proptest! {
        #[test]
        fn days_round_trip(days in -25_000i64..2_900_000) {
            let date = Date::from_days(days).unwrap();
            prop_assert_eq!(date.to_days(), days);
        }
    }
}
