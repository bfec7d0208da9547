//! The request and response as the handlers see them: plain data, no server crate. The
//! transport (`transport.rs`) fills a `Request` once the head and the whole body have
//! arrived, and writes the `Response` (or drops the connection for an `Outcome::Drop`).

use percent_encoding::percent_decode_str;

/// Largest request body accepted; checked before anything is parsed.
pub const MAX_BODY: usize = 1024 * 1024;

pub struct Request {
    pub method: String,
    /// Percent-decoded path.
    pub path: String,
    /// Raw query string (without `?`).
    pub query: String,
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
    /// The declared or streamed body was over `MAX_BODY`; `body` is then empty.
    pub too_large: bool,
}

impl Request {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    pub fn query_param(&self, name: &str) -> Option<String> {
        form_urlencoded::parse(self.query.as_bytes())
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.into_owned())
    }

    /// `application/x-www-form-urlencoded` body fields, in order.
    pub fn form(&self) -> Vec<(String, String)> {
        form_urlencoded::parse(&self.body)
            .map(|(k, v)| (k.into_owned(), v.into_owned()))
            .collect()
    }

    pub fn cookie(&self, name: &str) -> Option<String> {
        self.headers
            .iter()
            .filter(|(k, _)| k.eq_ignore_ascii_case("cookie"))
            .flat_map(|(_, v)| cookie::Cookie::split_parse(v.as_str()))
            .filter_map(Result::ok)
            .find(|c| c.name() == name)
            .map(|c| c.value().to_string())
    }
}

pub fn decode_path(raw: &str) -> String {
    percent_decode_str(raw).decode_utf8_lossy().into_owned()
}

pub struct Response {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
    /// Lines for the request log (warnings about what the request sent); never sent.
    pub notes: Vec<String>,
}

impl Response {
    pub fn new(status: u16, content_type: &str, body: impl Into<Vec<u8>>) -> Response {
        Response {
            status,
            headers: vec![("Content-Type".to_string(), content_type.to_string())],
            body: body.into(),
            notes: Vec::new(),
        }
    }

    pub fn xml(body: String) -> Response {
        Response::new(200, "application/xml; charset=UTF-8", body)
    }

    pub fn json(status: u16, value: &serde_json::Value) -> Response {
        Response::new(status, "application/json", value.to_string())
    }

    pub fn html(status: u16, body: String) -> Response {
        Response::new(status, "text/html; charset=UTF-8", body)
    }

    pub fn text(status: u16, body: &str) -> Response {
        Response::new(status, "text/plain; charset=UTF-8", body.to_string())
    }

    /// 303 See Other: after a form POST the browser follows with a GET.
    pub fn redirect(location: &str) -> Response {
        Response::text(303, "").with_header("Location", location)
    }

    pub fn with_header(mut self, name: &str, value: &str) -> Response {
        self.headers.push((name.to_string(), value.to_string()));
        self
    }

    pub fn with_notes(mut self, notes: Vec<String>) -> Response {
        self.notes.extend(notes);
        self
    }
}

pub enum Outcome {
    Respond(Response),
    /// Close the connection without answering (fault injection).
    Drop,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn request(query: &str, body: &str, cookie: Option<&str>) -> Request {
        Request {
            method: "GET".into(),
            path: "/".into(),
            query: query.into(),
            headers: cookie
                .map(|c| vec![("Cookie".to_string(), c.to_string())])
                .unwrap_or_default(),
            body: body.as_bytes().to_vec(),
            too_large: false,
        }
    }

    #[test]
    fn forms_queries_and_cookies() {
        let r = request(
            "a=1+2&b=%C3%A4%26&c",
            "x=%3Cb%3E&y=",
            Some("a=1; bp_session=tok"),
        );
        assert_eq!(r.query_param("a").as_deref(), Some("1 2"));
        assert_eq!(r.query_param("b").as_deref(), Some("ä&"));
        assert_eq!(r.query_param("c").as_deref(), Some(""));
        assert_eq!(r.query_param("d"), None);
        assert_eq!(
            r.form(),
            vec![
                ("x".to_string(), "<b>".to_string()),
                ("y".to_string(), String::new())
            ]
        );
        assert_eq!(r.cookie("bp_session").as_deref(), Some("tok"));
        assert_eq!(r.cookie("nope"), None);
        assert_eq!(decode_path("/admin/orders/%31"), "/admin/orders/1");
        assert_eq!(decode_path("/100%"), "/100%");
    }
}
