//! Command line and merchant configuration.

use crate::clock;
use md5::{Digest, Md5};
use serde_json::Value;

pub const DEFAULT_PORT: u16 = 8089;
pub const DEFAULT_DB: &str = "billpay-sandbox.db";
pub const DEFAULT_TERM_DAYS: i64 = 30;
pub const DEFAULT_LIMIT: i64 = 250_000;
pub const DEFAULT_FEE_BP: i64 = 290;

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Merchant {
    pub mid: i64,
    pub pid: i64,
    pub key: String,
    /// Lower-case MD5 hex of `key`: what clients must send as `bpsecure`.
    pub secure: String,
    pub name: String,
    /// Payment term after activation: 20 or 30 days by contract.
    pub term_days: i64,
    /// Largest order total (cents) preauthorize approves.
    pub limit: i64,
    /// Smallest order total (cents) preauthorize approves.
    pub min_value: i64,
    /// BillPay's fee in basis points of the activated gross total (290 = 2.90 %).
    pub fee_bp: i64,
}

pub fn md5_hex(text: &str) -> String {
    let digest = Md5::digest(text.as_bytes());
    digest.iter().map(|b| format!("{b:02x}")).collect()
}

impl Merchant {
    pub fn new(mid: i64, pid: i64, key: &str) -> Merchant {
        Merchant {
            mid,
            pid,
            key: key.to_string(),
            secure: md5_hex(key),
            name: format!("Test merchant {mid}"),
            term_days: DEFAULT_TERM_DAYS,
            limit: DEFAULT_LIMIT,
            min_value: 0,
            fee_bp: DEFAULT_FEE_BP,
        }
    }

    /// BillPay's documentation sample merchant.
    pub fn default_test() -> Merchant {
        let mut m = Merchant::new(4441, 6021, "12345678");
        m.name = "Sandbox Test Shop".to_string();
        m
    }

    fn check(&self) -> Result<(), String> {
        if self.mid <= 0 || self.pid <= 0 {
            return Err(format!(
                "merchant {}: mid and pid must be positive",
                self.mid
            ));
        }
        if self.key.is_empty() {
            return Err(format!("merchant {}: the key must not be empty", self.mid));
        }
        if self.term_days != 20 && self.term_days != 30 {
            return Err(format!(
                "merchant {}: the payment term must be 20 or 30 days",
                self.mid
            ));
        }
        if self.limit <= 0 || self.min_value < 0 || self.min_value > self.limit {
            return Err(format!(
                "merchant {}: need 0 <= minimum <= limit and limit > 0",
                self.mid
            ));
        }
        if !(0..=10_000).contains(&self.fee_bp) {
            return Err(format!(
                "merchant {}: fee must be 0..10000 basis points",
                self.mid
            ));
        }
        Ok(())
    }
}

#[derive(Clone, Debug)]
pub struct Options {
    pub host: String,
    pub port: u16,
    pub db: String,
    pub now: Option<i64>,
    pub merchants: Vec<Merchant>,
    pub enable_control: bool,
    pub quiet: bool,
}

pub enum Command {
    Run(Options),
    Help,
    Version,
}

pub const HELP: &str = "\
billpay-sandbox — a local stand-in for BillPay's XML v1 merchant API

USAGE:
    billpay-sandbox [OPTIONS]

Serves POST /xml/offline/<service> and /xml/<service> (moduleConfig, preauthorize, capture,
updateOrder, invoiceCreated, cancel, editCartContent, partialcancel, getBillPayBankData),
the back-office at /admin and, with --enable-control, test-only endpoints under /control.
The first line on stdout is `listening on http://HOST:PORT`.

OPTIONS:
    --host ADDR          Address to bind (default 127.0.0.1).
    --port PORT          Port to bind; 0 picks a free port (default 8089).
    --db PATH            SQLite database file; created if missing
                         (default ./billpay-sandbox.db).
    --now DATE           Start the sandbox clock at DATE (YYYY-MM-DD or YYYY-MM-DDTHH:MM:SS,
                         UTC); time then runs on from there. Default: the real time.
    --merchant SPEC      Add a merchant: MID:PID:KEY[:TERM_DAYS[:LIMIT_CENTS[:FEE_BP]]]
                         e.g. 5000:7000:secret:20:100000:250. Repeatable.
    --config FILE        Read merchants from a JSON file:
                         {\"merchants\": [{\"mid\": 5000, \"pid\": 7000, \"key\": \"secret\",
                           \"termDays\": 20, \"limit\": 100000, \"minValue\": 0,
                           \"feeBasisPoints\": 290, \"name\": \"My shop\"}]}
    --no-default-merchant
                         Do not add the default test merchant
                         (mid 4441, pid 6021, key 12345678, 30-day term, limit 250000).
    --enable-control     Enable the test-only JSON endpoints under /control (set the clock,
                         arm faults, read orders and ledger, log in to the back-office by URL).
                         Never use this on a shared network: it needs no credentials.
    --quiet              Do not log requests to stderr.
    -h, --help           Print this help.
    -V, --version        Print the version.

Merchants given later replace earlier ones with the same MID.
";

fn int_arg(name: &str, value: &str) -> Result<i64, String> {
    value
        .trim()
        .parse::<i64>()
        .map_err(|_| format!("{name}: {value:?} is not an integer"))
}

pub fn parse_merchant_spec(spec: &str) -> Result<Merchant, String> {
    let parts: Vec<&str> = spec.split(':').collect();
    let (mid, pid, key) = match parts.as_slice() {
        [mid, pid, key] | [mid, pid, key, _] | [mid, pid, key, _, _] | [mid, pid, key, _, _, _] => {
            (*mid, *pid, *key)
        }
        _ => {
            return Err(format!(
                "--merchant {spec:?}: expected MID:PID:KEY[:TERM_DAYS[:LIMIT_CENTS[:FEE_BP]]]"
            ))
        }
    };
    let mut m = Merchant::new(int_arg("MID", mid)?, int_arg("PID", pid)?, key);
    if let Some(t) = parts.get(3) {
        m.term_days = int_arg("TERM_DAYS", t)?;
    }
    if let Some(l) = parts.get(4) {
        m.limit = int_arg("LIMIT_CENTS", l)?;
    }
    if let Some(f) = parts.get(5) {
        m.fee_bp = int_arg("FEE_BP", f)?;
    }
    m.check()?;
    Ok(m)
}

pub fn parse_config_json(text: &str) -> Result<Vec<Merchant>, String> {
    let v: Value = serde_json::from_str(text).map_err(|e| format!("config: {e}"))?;
    let list = v
        .get("merchants")
        .and_then(Value::as_array)
        .ok_or("config: expected {\"merchants\": [...]}")?;
    let mut out = Vec::new();
    for item in list {
        let int = |k: &str| item.get(k).and_then(Value::as_i64);
        let mid = int("mid").ok_or("config: every merchant needs an integer mid")?;
        let pid = int("pid").ok_or_else(|| format!("config: merchant {mid} needs a pid"))?;
        let key = item
            .get("key")
            .and_then(Value::as_str)
            .ok_or_else(|| format!("config: merchant {mid} needs a key"))?;
        let mut m = Merchant::new(mid, pid, key);
        if let Some(t) = int("termDays") {
            m.term_days = t;
        }
        if let Some(l) = int("limit") {
            m.limit = l;
        }
        if let Some(n) = int("minValue") {
            m.min_value = n;
        }
        if let Some(f) = int("feeBasisPoints") {
            m.fee_bp = f;
        }
        if let Some(name) = item.get("name").and_then(Value::as_str) {
            m.name = name.to_string();
        }
        m.check()?;
        out.push(m);
    }
    Ok(out)
}

fn upsert(list: &mut Vec<Merchant>, m: Merchant) {
    list.retain(|x| x.mid != m.mid);
    list.push(m);
}

pub fn parse_args(args: &[String]) -> Result<Command, String> {
    let mut opts = Options {
        host: "127.0.0.1".to_string(),
        port: DEFAULT_PORT,
        db: DEFAULT_DB.to_string(),
        now: None,
        merchants: Vec::new(),
        enable_control: false,
        quiet: false,
    };
    let mut default_merchant = true;
    let mut extra = Vec::new();
    let mut i = 0;
    while i < args.len() {
        let arg = args[i].as_str();
        // Accept both `--opt value` and `--opt=value`.
        let (name, inline) = match arg.split_once('=') {
            Some((n, v)) if n.starts_with("--") => (n, Some(v.to_string())),
            _ => (arg, None),
        };
        let value = |i: &mut usize| -> Result<String, String> {
            if let Some(v) = inline.clone() {
                return Ok(v);
            }
            *i += 1;
            args.get(*i)
                .cloned()
                .ok_or_else(|| format!("{name} needs a value"))
        };
        match name {
            "-h" | "--help" => return Ok(Command::Help),
            "-V" | "--version" => return Ok(Command::Version),
            "--host" => opts.host = value(&mut i)?,
            "--port" => {
                let v = value(&mut i)?;
                opts.port = v
                    .parse()
                    .map_err(|_| format!("--port: {v:?} is not a port number"))?;
            }
            "--db" => opts.db = value(&mut i)?,
            "--now" => {
                let v = value(&mut i)?;
                opts.now = Some(clock::parse_instant(&v).ok_or_else(|| {
                    format!("--now: {v:?} is not YYYY-MM-DD or YYYY-MM-DDTHH:MM:SS")
                })?);
            }
            "--merchant" => extra.push(parse_merchant_spec(&value(&mut i)?)?),
            "--config" => {
                let path = value(&mut i)?;
                let text =
                    std::fs::read_to_string(&path).map_err(|e| format!("--config {path}: {e}"))?;
                extra.extend(parse_config_json(&text)?);
            }
            "--no-default-merchant" => default_merchant = false,
            "--enable-control" => opts.enable_control = true,
            "--quiet" => opts.quiet = true,
            other => return Err(format!("unknown option {other:?} (see --help)")),
        }
        i += 1;
    }
    if default_merchant {
        opts.merchants.push(Merchant::default_test());
    }
    for m in extra {
        upsert(&mut opts.merchants, m);
    }
    if opts.merchants.is_empty() {
        return Err("no merchant configured (see --merchant and --config)".to_string());
    }
    Ok(Command::Run(opts))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn args(list: &[&str]) -> Vec<String> {
        list.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn documented_sample_hashes() {
        assert_eq!(md5_hex("12345678"), "25d55ad283aa400af464c76d713c07ad");
        assert_eq!(md5_hex("test4testing"), "0d48732f425b6df88c58244d6882369e");
        assert_eq!(md5_hex(""), "d41d8cd98f00b204e9800998ecf8427e");
    }

    #[test]
    fn options() {
        let Ok(Command::Run(o)) = parse_args(&args(&[
            "--port=0",
            "--db",
            "x.db",
            "--merchant",
            "5000:7000:k:20:1000",
            "--now",
            "2026-01-31",
        ])) else {
            panic!("expected run");
        };
        assert_eq!(o.port, 0);
        assert_eq!(o.db, "x.db");
        assert_eq!(o.merchants.len(), 2);
        assert_eq!(o.merchants[1].term_days, 20);
        assert_eq!(o.merchants[1].limit, 1000);
        assert!(parse_args(&args(&["--merchant", "1:2:k:25"])).is_err());
        assert!(parse_args(&args(&["--bogus"])).is_err());
        assert!(parse_args(&args(&["--no-default-merchant"])).is_err());
    }

    #[test]
    fn config_file() {
        let ms = parse_config_json(
            r#"{"merchants":[{"mid":9,"pid":8,"key":"s","termDays":20,"name":"Shop"}]}"#,
        )
        .expect("valid config");
        assert_eq!(ms[0].name, "Shop");
        assert_eq!(ms[0].secure, md5_hex("s"));
    }

    #[test]
    fn merchant_specs() {
        let m = parse_merchant_spec("5000:7000:secret").expect("three parts");
        assert_eq!((m.mid, m.pid, m.key.as_str()), (5000, 7000, "secret"));
        let m = parse_merchant_spec("5000:7000:secret:20:100000:250").expect("six parts");
        assert_eq!((m.term_days, m.limit, m.fee_bp), (20, 100_000, 250));
        for bad in ["5000:7000", "5000:7000:k:20:1:2:3", "x:7000:k", ""] {
            assert!(parse_merchant_spec(bad).is_err(), "{bad}");
        }
    }
}
