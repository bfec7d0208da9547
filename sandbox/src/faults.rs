//! Fault injection for client tests: armed through the control endpoint, applied to the next
//! N protocol requests (POST /xml/...), then disarmed by itself. A fault decides three things
//! around the real request: how long to wait first, whether to answer instead of running it,
//! and what becomes of the committed answer (dropped connection, truncated or empty body).

use crate::web::{Outcome, Response};
use serde_json::{json, Value};
use std::sync::Mutex;
use std::time::Duration;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Mode {
    /// Sleep `delay_ms`, then answer normally.
    Delay,
    /// Answer HTTP 500 without running the request: nothing changes.
    Http500,
    /// Run and commit the request, then close the connection without an answer.
    DropAfterCommit,
    /// Run and commit the request, then answer 200 with a truncated, malformed XML body.
    Malformed,
    /// Run and commit the request, then answer 200 with an empty body.
    Empty,
}

impl Mode {
    pub fn as_str(self) -> &'static str {
        match self {
            Mode::Delay => "delay",
            Mode::Http500 => "http500",
            Mode::DropAfterCommit => "drop_after_commit",
            Mode::Malformed => "malformed",
            Mode::Empty => "empty",
        }
    }

    fn parse(s: &str) -> Option<Mode> {
        Some(match s {
            "delay" => Mode::Delay,
            "http500" => Mode::Http500,
            "drop_after_commit" => Mode::DropAfterCommit,
            "malformed" => Mode::Malformed,
            "empty" => Mode::Empty,
            _ => return None,
        })
    }
}

#[derive(Clone, Copy, Debug)]
pub struct Fault {
    pub mode: Mode,
    pub delay_ms: u64,
}

impl Fault {
    /// Waited before the request runs, in every mode.
    pub fn delay(&self) -> Duration {
        Duration::from_millis(self.delay_ms)
    }

    /// The answer given instead of running the request (so nothing changes), if any.
    pub fn refusal(&self) -> Option<Response> {
        (self.mode == Mode::Http500)
            .then(|| Response::text(500, "injected fault: HTTP 500 (nothing was changed)"))
    }

    /// What the client gets of the answer to a request that ran and was committed.
    pub fn shape(&self, answer: Response) -> Outcome {
        match self.mode {
            Mode::DropAfterCommit => Outcome::Drop,
            Mode::Empty => Outcome::Respond(Response {
                body: Vec::new(),
                ..answer
            }),
            Mode::Malformed => {
                let text = String::from_utf8_lossy(&answer.body).into_owned();
                let cut = text.find("customer_message").unwrap_or(text.len() / 2);
                let broken = format!(
                    "{}customer_message=\"<broken",
                    text.get(..cut).unwrap_or("")
                );
                Outcome::Respond(Response {
                    body: broken.into_bytes(),
                    ..answer
                })
            }
            Mode::Delay | Mode::Http500 => Outcome::Respond(answer),
        }
    }
}

#[derive(Clone)]
struct Armed {
    fault: Fault,
    remaining: u64,
    /// Only requests of this service (e.g. "invoiceCreated"); all when None.
    service: Option<String>,
}

#[derive(Default)]
pub struct Faults {
    armed: Mutex<Option<Armed>>,
}

impl Faults {
    fn with<T>(&self, f: impl FnOnce(&mut Option<Armed>) -> T) -> T {
        let mut guard = match self.armed.lock() {
            Ok(g) => g,
            Err(poisoned) => poisoned.into_inner(),
        };
        f(&mut guard)
    }

    /// Consumes one armed fault for the current protocol request (of
    /// `service`), if any.
    pub fn take(&self, service: &str) -> Option<Fault> {
        self.with(|slot| {
            let armed = slot.as_mut()?;
            if armed
                .service
                .as_deref()
                .is_some_and(|only| !only.eq_ignore_ascii_case(service))
            {
                return None;
            }
            let fault = armed.fault;
            armed.remaining = armed.remaining.saturating_sub(1);
            if armed.remaining == 0 {
                *slot = None;
            }
            Some(fault)
        })
    }

    pub fn state(&self) -> Value {
        self.with(|slot| match slot {
            Some(a) => json!({
                "armed": {
                    "mode": a.fault.mode.as_str(),
                    "remaining": a.remaining,
                    "delayMs": a.fault.delay_ms,
                    "service": a.service,
                }
            }),
            None => json!({ "armed": null }),
        })
    }

    /// `{"mode": "delay|http500|drop_after_commit|malformed|empty|none", "count": N, "delayMs": ms, "service": name}`
    pub fn arm(&self, body: &Value) -> Result<Value, String> {
        let mode = body
            .get("mode")
            .and_then(Value::as_str)
            .ok_or("\"mode\" is required")?;
        if mode == "none" {
            self.with(|slot| *slot = None);
            return Ok(self.state());
        }
        let mode = Mode::parse(mode).ok_or_else(|| {
            format!("unknown mode {mode:?}: delay, http500, drop_after_commit, malformed, empty or none")
        })?;
        let count = match body.get("count") {
            None | Some(Value::Null) => 1,
            Some(v) => v
                .as_u64()
                .filter(|n| (1..=10_000).contains(n))
                .ok_or("\"count\" must be an integer 1..10000")?,
        };
        let default_delay = if mode == Mode::Delay { 1000 } else { 0 };
        let delay_ms = match body.get("delayMs") {
            None | Some(Value::Null) => default_delay,
            Some(v) => v
                .as_u64()
                .filter(|n| *n <= 120_000)
                .ok_or("\"delayMs\" must be an integer 0..120000")?,
        };
        let service = match body.get("service") {
            None | Some(Value::Null) => None,
            Some(v) => Some(
                v.as_str()
                    .filter(|name| !name.is_empty())
                    .ok_or("\"service\" must be a service name such as \"invoiceCreated\"")?
                    .to_owned(),
            ),
        };
        self.with(|slot| {
            *slot = Some(Armed {
                fault: Fault { mode, delay_ms },
                remaining: count,
                service,
            })
        });
        Ok(self.state())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_down() {
        let f = Faults::default();
        assert!(f.arm(&json!({"mode": "http500", "count": 2})).is_ok());
        assert_eq!(f.take("cancel").map(|x| x.mode), Some(Mode::Http500));
        assert_eq!(f.take("cancel").map(|x| x.mode), Some(Mode::Http500));
        assert!(f.take("cancel").is_none());
        assert!(f.arm(&json!({"mode": "bogus"})).is_err());
        assert!(f.arm(&json!({"mode": "delay", "count": 0})).is_err());
    }

    #[test]
    fn shapes_the_committed_answer() {
        let answer = || Response::xml("<data error_code=\"0\" customer_message=\"\"/>".into());
        let fault = |mode| Fault { mode, delay_ms: 0 };
        assert!(matches!(
            fault(Mode::DropAfterCommit).shape(answer()),
            Outcome::Drop
        ));
        let Outcome::Respond(empty) = fault(Mode::Empty).shape(answer()) else {
            panic!("empty answers")
        };
        assert!(empty.body.is_empty() && empty.status == 200);
        let Outcome::Respond(broken) = fault(Mode::Malformed).shape(answer()) else {
            panic!("malformed answers")
        };
        let text = String::from_utf8_lossy(&broken.body).into_owned();
        assert!(roxmltree::Document::parse(&text).is_err(), "{text}");
        assert!(fault(Mode::Http500)
            .refusal()
            .is_some_and(|r| r.status == 500));
        assert!(fault(Mode::Delay).refusal().is_none());
    }
}
