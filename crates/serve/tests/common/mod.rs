//! What the HTTP tests share: a server on a free loopback port in its own thread, and a small
//! HTTP/1.1 client over `TcpStream` that keeps its cookies and reads the fields of a page.

#![allow(dead_code)] // Each test binary uses a part of this module.

use std::io::{Read as _, Write as _};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::time::Duration;

/// Starts a workbench on 127.0.0.1 and a free port, serving `files` and creating new files in
/// `start`; returns its `host:port`.
pub fn start(files: Vec<PathBuf>, start: PathBuf, token: Option<&str>) -> String {
    let mut config = serve::Config::local(files, start);
    config.token = token.map(str::to_owned);
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let result = serve::run_blocking(config, |url| {
            let _ = tx.send(url.to_owned());
        });
        if let Err(e) = result {
            panic!("the server stopped: {e}");
        }
    });
    let url = rx.recv_timeout(Duration::from_secs(20)).expect("the server starts within 20 s");
    url.trim_start_matches("http://").split('/').next().unwrap_or_default().to_owned()
}

/// A copy of korea-2024 as `korea-2024.toml` in `dir`.
pub fn korea_copy(dir: &Path) -> PathBuf {
    let file = dir.join("korea-2024.toml");
    std::fs::write(&file, model::builtin::find("korea-2024").unwrap().text).unwrap();
    file
}

/// A response.
#[derive(Debug)]
pub struct Response {
    /// The status code.
    pub status: u16,
    /// The headers, names in lower case.
    pub headers: Vec<(String, String)>,
    /// The body as text.
    pub body: String,
}

impl Response {
    /// The first header called `name` (lower case).
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.iter().find(|(k, _)| k == name).map(|(_, v)| v.as_str())
    }

    /// The value of the input called `name`.
    pub fn field(&self, name: &str) -> Option<String> {
        let at = self.body.find(&format!("name=\"{name}\""))?;
        let tag_end = at + self.body[at..].find('>')?;
        let tag = &self.body[at..tag_end];
        let v = tag.find("value=\"")? + 7;
        Some(tag[v..v + tag[v..].find('"')?].to_owned())
    }

    /// The name (`cN`) of the cell whose label is `label`.
    pub fn cell_named(&self, label: &str) -> Option<String> {
        let at = self.body.find(&format!("aria-label=\"{label}\""))?;
        let start = self.body[..at].rfind("name=\"c")? + 6;
        Some(self.body[start..start + self.body[start..].find('"')?].to_owned())
    }

    /// The name of the first cell on the page.
    pub fn first_cell(&self) -> Option<String> {
        let at = self
            .body
            .match_indices("name=\"c")
            .map(|(i, _)| i + 6)
            .find(|i| self.body.as_bytes().get(i + 1).is_some_and(u8::is_ascii_digit))?;
        Some(self.body[at..at + self.body[at..].find('"')?].to_owned())
    }

    /// The value a cell shows: an input's value, or a select's selected option.
    pub fn cell_value(&self, cell: &str) -> Option<String> {
        let at = self.body.find(&format!("name=\"{cell}\""))?;
        let rest = &self.body[at..];
        let tag = &rest[..rest.find('>')?];
        if let Some(v) = tag.find("value=\"") {
            let v = v + 7;
            return Some(tag[v..v + tag[v..].find('"')?].to_owned());
        }
        let select = &rest[..rest.find("</select>")?];
        let s = select.find("<option selected>")? + 17;
        Some(select[s..s + select[s..].find('<')?].to_owned())
    }
}

/// The judgment (the `N` of its `wN` reason field) of a cell.
pub fn judgment_of(page: &Response, cell: &str) -> usize {
    let at = page.body.find(&format!("name=\"{cell}\"")).expect("the cell");
    let tag = &page.body[at..at + page.body[at..].find('>').unwrap()];
    let j = tag.find("data-j=\"").expect("data-j") + 8;
    tag[j..j + tag[j..].find('"').unwrap()].parse().unwrap()
}

/// A client with its cookies.
#[derive(Debug)]
pub struct Client {
    addr: String,
    cookies: Vec<(String, String)>,
}

impl Client {
    /// A client of the server at `addr` (`host:port`), with no cookie yet.
    pub fn new(addr: &str) -> Client {
        Client { addr: addr.to_owned(), cookies: Vec::new() }
    }

    /// `GET path`.
    pub fn get(&mut self, path: &str) -> Response {
        self.send("GET", path, "", "", &[])
    }

    /// `POST path` with a form body.
    pub fn post(&mut self, path: &str, form: &str) -> Response {
        self.send("POST", path, "application/x-www-form-urlencoded", form, &[])
    }

    /// Sends one request; `extra` headers replace the defaults of the same name.
    pub fn send(
        &mut self,
        method: &str,
        path: &str,
        content_type: &str,
        body: &str,
        extra: &[(&str, &str)],
    ) -> Response {
        let mut head = format!("{method} {path} HTTP/1.1\r\n");
        let has = |name: &str| extra.iter().any(|(k, _)| k.eq_ignore_ascii_case(name));
        if !has("Host") {
            head.push_str(&format!("Host: {}\r\n", self.addr));
        }
        for (k, v) in extra {
            head.push_str(&format!("{k}: {v}\r\n"));
        }
        if !self.cookies.is_empty() {
            let c: Vec<String> = self.cookies.iter().map(|(k, v)| format!("{k}={v}")).collect();
            head.push_str(&format!("Cookie: {}\r\n", c.join("; ")));
        }
        if !content_type.is_empty() {
            head.push_str(&format!("Content-Type: {content_type}\r\n"));
        }
        if method != "GET" {
            head.push_str(&format!("Content-Length: {}\r\n", body.len()));
        }
        head.push_str("Connection: close\r\n\r\n");
        let mut stream = TcpStream::connect(&self.addr).expect("connects");
        stream.set_read_timeout(Some(Duration::from_secs(60))).unwrap();
        stream.write_all(head.as_bytes()).unwrap();
        // The server may answer (413) before it has read the whole body and close; a failed
        // write of the rest is then expected.
        let _ = stream.write_all(body.as_bytes());
        let mut raw = Vec::new();
        let _ = stream.read_to_end(&mut raw);
        let resp = parse(&raw);
        for (k, v) in &resp.headers {
            if k == "set-cookie" {
                if let Some((name, value)) = v.split(';').next().and_then(|kv| kv.split_once('=')) {
                    self.cookies.retain(|(n, _)| n != name);
                    self.cookies.push((name.to_owned(), value.to_owned()));
                }
            }
        }
        resp
    }
}

/// Parses a whole HTTP/1.1 response, de-chunking its body.
fn parse(raw: &[u8]) -> Response {
    let split = raw.windows(4).position(|w| w == b"\r\n\r\n").unwrap_or(raw.len());
    let head = String::from_utf8_lossy(&raw[..split]);
    let body = raw.get(split + 4..).unwrap_or_default();
    let mut lines = head.lines();
    let status =
        lines.next().and_then(|l| l.split(' ').nth(1)).and_then(|s| s.parse().ok()).unwrap_or(0);
    let headers: Vec<(String, String)> = lines
        .filter_map(|l| l.split_once(':'))
        .map(|(k, v)| (k.trim().to_ascii_lowercase(), v.trim().to_owned()))
        .collect();
    let chunked = headers.iter().any(|(k, v)| k == "transfer-encoding" && v.contains("chunked"));
    let body = if chunked { dechunk(body) } else { body.to_vec() };
    Response { status, headers, body: String::from_utf8_lossy(&body).into_owned() }
}

/// The body of a chunked transfer.
fn dechunk(mut s: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    while let Some(eol) = s.windows(2).position(|w| w == b"\r\n") {
        let size = String::from_utf8_lossy(&s[..eol]);
        let n = usize::from_str_radix(size.trim(), 16).unwrap_or(0);
        let rest = &s[eol + 2..];
        if n == 0 || rest.len() < n {
            break;
        }
        out.extend_from_slice(&rest[..n]);
        s = rest[n..].strip_prefix(b"\r\n").unwrap_or(&rest[n..]);
    }
    out
}
