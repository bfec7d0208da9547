//! Random identifiers (from the operating system's random source) and amount formatting.

use crate::rules::ApiError;

fn random_bytes<const N: usize>() -> Result<[u8; N], ApiError> {
    let mut buf = [0u8; N];
    // No fallback: a session token or bptid must never silently become predictable.
    getrandom::fill(&mut buf)
        .map_err(|e| ApiError::internal(format!("no random numbers from the system: {e}")))?;
    Ok(buf)
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// A version-4 UUID, the shape of BillPay's `bptid` in the fixtures.
pub fn uuid_v4() -> Result<String, ApiError> {
    Ok(uuid::Builder::from_random_bytes(random_bytes::<16>()?)
        .into_uuid()
        .hyphenated()
        .to_string())
}

/// 256 random bits as hex: back-office session tokens.
pub fn token() -> Result<String, ApiError> {
    Ok(hex(&random_bytes::<32>()?))
}

/// Cents as a plain decimal string, e.g. `-1234` → `-12.34`.
pub fn decimal(cents: i64) -> String {
    let sign = if cents < 0 { "-" } else { "" };
    let abs = cents.unsigned_abs();
    format!("{sign}{}.{:02}", abs / 100, abs % 100)
}

/// Cents for display: `1,234.56`.
pub fn display_amount(cents: i64) -> String {
    let sign = if cents < 0 { "-" } else { "" };
    let abs = cents.unsigned_abs();
    let whole = (abs / 100).to_string();
    let mut grouped = String::new();
    for (i, c) in whole.chars().enumerate() {
        if i > 0 && (whole.len() - i).is_multiple_of(3) {
            grouped.push(',');
        }
        grouped.push(c);
    }
    format!("{sign}{grouped}.{:02}", abs % 100)
}

/// Parses a decimal amount typed by a person (`12`, `12.5`, `12,50`, `-3.00`) into cents.
pub fn parse_amount(text: &str) -> Option<i64> {
    let t = text.trim().replace(',', ".");
    let (neg, t) = match t.strip_prefix('-') {
        Some(rest) => (true, rest.to_string()),
        None => (false, t),
    };
    let (whole, frac) = match t.split_once('.') {
        Some((w, f)) => (w.to_string(), f.to_string()),
        None => (t.clone(), String::new()),
    };
    if whole.is_empty() && frac.is_empty() {
        return None;
    }
    if whole.len() > 10
        || frac.len() > 2
        || !whole.bytes().all(|b| b.is_ascii_digit())
        || !frac.bytes().all(|b| b.is_ascii_digit())
    {
        return None;
    }
    let w: i64 = if whole.is_empty() {
        0
    } else {
        whole.parse().ok()?
    };
    let f: i64 = match frac.len() {
        0 => 0,
        1 => frac.parse::<i64>().ok()? * 10,
        _ => frac.parse().ok()?,
    };
    let cents = w * 100 + f;
    Some(if neg { -cents } else { cents })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn uuids() {
        let u = uuid_v4().expect("uuid");
        assert_eq!(u.len(), 36);
        assert_eq!(&u[14..15], "4");
        assert!(matches!(&u[19..20], "8" | "9" | "a" | "b"));
        assert_ne!(uuid_v4().expect("uuid"), u);
        let t = token().expect("token");
        assert_eq!(t.len(), 64);
        assert_ne!(token().expect("token"), t);
    }

    #[test]
    fn amounts() {
        assert_eq!(decimal(-1234), "-12.34");
        assert_eq!(decimal(5), "0.05");
        assert_eq!(display_amount(123456789), "1,234,567.89");
        assert_eq!(display_amount(-100), "-1.00");
        assert_eq!(parse_amount("12,5"), Some(1250));
        assert_eq!(parse_amount("-3"), Some(-300));
        assert_eq!(parse_amount(".05"), Some(5));
        assert_eq!(parse_amount("1.234"), None);
        assert_eq!(parse_amount("abc"), None);
        assert_eq!(parse_amount(""), None);
    }
}
