//! The checks every request passes before a handler sees it, as one middleware
//! ([`check`]): the `Host` header (against DNS rebinding: a page of another site whose name
//! resolves to 127.0.0.1 arrives with that other name), the `Origin` header when a browser
//! sends one, the access token when the server was started with `--token`, and the CSRF token
//! on every state-changing request.
//!
//! **The access token** is accepted as `?token=…` on any address (the address the server
//! prints), which sets a cookie and redirects to the same address without it, or as that
//! cookie, or as `Authorization: Bearer …`.
//!
//! **The CSRF token** is a keyed hash of the session cookie (a random value the server sets on
//! the first page): a state-changing request must carry it in its `csrf` form field, so a page
//! of another origin, which can neither read our pages nor our cookie, cannot forge one. The
//! session cookie is `SameSite=Strict` and `HttpOnly`, as is the access cookie.

use std::sync::Arc;

use axum::body::Body;
use axum::extract::{Request, State};
use axum::http::{HeaderMap, HeaderValue, Method, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Redirect, Response};
use sha2::{Digest, Sha256};

use crate::App;

/// The name of the session cookie.
pub const SESSION_COOKIE: &str = "statecraft_session";
/// The name of the access-token cookie.
pub const TOKEN_COOKIE: &str = "statecraft_token";

/// A fresh random token of 32 hexadecimal digits (128 bits from the system's generator).
///
/// # Errors
/// When the system has no random numbers to give.
pub fn random_token() -> Result<String, getrandom::Error> {
    let mut bytes = [0u8; 16];
    getrandom::fill(&mut bytes)?;
    Ok(bytes.iter().map(|b| format!("{b:02x}")).collect())
}

/// Compares two secrets in time that depends only on their lengths.
fn same(a: &str, b: &str) -> bool {
    a.len() == b.len() && a.bytes().zip(b.bytes()).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

/// The CSRF token of a session: SHA-256 of the server's secret and the session cookie.
pub fn csrf_token(secret: &str, session: &str) -> String {
    let digest = Sha256::digest(format!("csrf\0{secret}\0{session}").as_bytes());
    digest.iter().map(|b| format!("{b:02x}")).collect()
}

/// The value of cookie `name` in a request's headers.
pub fn cookie<'a>(headers: &'a HeaderMap, name: &str) -> Option<&'a str> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|kv| kv.trim().split_once('='))
        .find(|(k, _)| *k == name)
        .map(|(_, v)| v)
}

/// A plain-text refusal.
pub fn refuse(status: StatusCode, why: &str) -> Response {
    (status, [(header::CONTENT_TYPE, "text/plain; charset=utf-8")], format!("{why}\n"))
        .into_response()
}

/// The middleware of the module's documentation.
pub async fn check(State(app): State<Arc<App>>, req: Request, next: Next) -> Response {
    let headers = req.headers();
    let host = headers.get(header::HOST).and_then(|h| h.to_str().ok()).unwrap_or("");
    if !app.hosts.iter().any(|h| h.eq_ignore_ascii_case(host)) {
        return refuse(
            StatusCode::MISDIRECTED_REQUEST,
            "this server answers only to the address it printed (the Host header does not match)",
        );
    }
    if let Some(origin) = headers.get(header::ORIGIN) {
        let ok = origin
            .to_str()
            .ok()
            .and_then(|o| o.strip_prefix("http://"))
            .is_some_and(|o| app.hosts.iter().any(|h| h.eq_ignore_ascii_case(o)));
        if !ok {
            return refuse(StatusCode::FORBIDDEN, "requests from other sites are refused (Origin)");
        }
    }
    if let Some(token) = &app.token {
        let query_token = req.uri().query().and_then(|q| {
            q.split('&')
                .filter_map(|kv| kv.split_once('='))
                .find(|(k, _)| *k == "token")
                .map(|(_, v)| v)
        });
        if let Some(given) = query_token {
            if !same(given, token) {
                return refuse(StatusCode::UNAUTHORIZED, "wrong access token");
            }
            // Trade the token in the address for a cookie, and drop it from the address.
            let path = req.uri().path().to_owned();
            let mut resp = Redirect::to(&path).into_response();
            let c = format!("{TOKEN_COOKIE}={token}; Path=/; HttpOnly; SameSite=Strict");
            if let Ok(v) = HeaderValue::from_str(&c) {
                resp.headers_mut().append(header::SET_COOKIE, v);
            }
            return resp;
        }
        let bearer = headers
            .get(header::AUTHORIZATION)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.strip_prefix("Bearer "));
        let given = bearer.or_else(|| cookie(headers, TOKEN_COOKIE));
        if !given.is_some_and(|g| same(g, token)) {
            return refuse(
                StatusCode::UNAUTHORIZED,
                "this server needs its access token: open the address it printed, with ?token=…",
            );
        }
    }
    let state_changing = !matches!(*req.method(), Method::GET | Method::HEAD);
    let session = cookie(headers, SESSION_COOKIE).map(str::to_owned);
    if state_changing {
        // The form's own token is checked by the handler, which alone reads the body; here the
        // request must at least belong to a session.
        if session.is_none() {
            return refuse(
                StatusCode::FORBIDDEN,
                "no session: open the page first, then send the form",
            );
        }
        let mut req = req;
        req.extensions_mut().insert(Session(session.unwrap_or_default()));
        return with_security_headers(next.run(req).await);
    }
    let (session, fresh) = match session {
        Some(s) if s.len() == 32 && s.bytes().all(|b| b.is_ascii_hexdigit()) => (s, false),
        _ => match random_token() {
            Ok(s) => (s, true),
            Err(_) => {
                return refuse(
                    StatusCode::INTERNAL_SERVER_ERROR,
                    "no random numbers for a session",
                );
            }
        },
    };
    let mut req = req;
    req.extensions_mut().insert(Session(session.clone()));
    let mut resp = next.run(req).await;
    if fresh {
        let c = format!("{SESSION_COOKIE}={session}; Path=/; HttpOnly; SameSite=Strict");
        if let Ok(v) = HeaderValue::from_str(&c) {
            resp.headers_mut().append(header::SET_COOKIE, v);
        }
    }
    with_security_headers(resp)
}

/// The session of a request (its session cookie), set by [`check`].
#[derive(Debug, Clone)]
pub struct Session(pub String);

/// The Content-Security-Policy of every page: nothing from another origin, scripts and styles
/// only from this server's embedded assets (the report's inline SVG uses `style` attributes),
/// images from `data:` only, forms only to this server, and no framing.
pub const CONTENT_SECURITY_POLICY: &str = "default-src 'none'; script-src 'self'; style-src 'self'; \
     img-src 'self' data:; connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

/// Adds the policy and the other protective headers to a response.
fn with_security_headers(mut resp: Response<Body>) -> Response<Body> {
    let h = resp.headers_mut();
    h.insert(header::CONTENT_SECURITY_POLICY, HeaderValue::from_static(CONTENT_SECURITY_POLICY));
    h.insert(header::X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff"));
    h.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    // `same-origin`, not `no-referrer`: under `no-referrer` a browser sends `Origin: null` with
    // a form post, which the Origin check would refuse.
    h.insert(header::REFERRER_POLICY, HeaderValue::from_static("same-origin"));
    h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    resp
}
