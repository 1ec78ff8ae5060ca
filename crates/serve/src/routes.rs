//! One handler per route, and the router that puts them behind the checks of [`crate::guard`]
//! and the limits of [`crate::BODY_LIMIT`] and [`crate::REQUEST_TIMEOUT`].
//!
//! A scenario page is made from one version of the scenario's text (the [`Base`], analysed
//! once and kept by its hash); its form carries that hash, every cell's value and, when
//! saving, a reason per changed judgment. Posting the form applies the values to that exact
//! text ([`crate::edit::Sheet::apply`]), loads and validates the result as `statecraft check`
//! does, and analyses it with `analysis::analyse`: nothing is written until the user saves.
//! Analyses run on tokio's blocking threads, at most one per processor at a time
//! ([`crate::App::analyses`]), and stop before their next lens when the request is dropped
//! ([`crate::cancel`]).

use std::collections::HashMap;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use axum::extract::{Form, Path, State, rejection::FormRejection};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{Html, IntoResponse, Redirect, Response};
use axum::routing::get;
use axum::{Extension, Router};
use model::diag::Diagnostics;
use model::load::Loaded;
use report::html::Part;
use tokio::sync::TryAcquireError;
use tower_http::limit::RequestBodyLimitLayer;
use tower_http::timeout::TimeoutLayer;

use crate::cancel::Cancel;
use crate::edit::{Posted, Sheet};
use crate::guard::{Session, csrf_token, refuse};
use crate::page::{self, ScenarioPage, Summary};
use crate::store::{Entry, Origin, StoreError, hash};
use crate::{App, BODY_LIMIT, REQUEST_TIMEOUT, RETRY_AFTER};

/// The router of the crate's documentation.
pub fn router(app: Arc<App>) -> Router {
    Router::new()
        .route("/", get(list))
        .route("/new", axum::routing::post(create))
        .route("/s/{slug}", get(show).post(edit))
        .route("/assets/{name}", get(asset))
        .fallback(not_found)
        .layer(axum::middleware::from_fn_with_state(Arc::clone(&app), crate::guard::check))
        .layer(axum::extract::DefaultBodyLimit::max(BODY_LIMIT))
        .layer(RequestBodyLimitLayer::new(BODY_LIMIT))
        .layer(TimeoutLayer::with_status_code(StatusCode::REQUEST_TIMEOUT, REQUEST_TIMEOUT))
        .with_state(app)
}

/// The embedded assets: the report's style sheet, the workbench's, and its script.
fn asset_body(name: &str) -> Option<(&'static str, &'static str)> {
    match name {
        "report.css" => Some(("text/css; charset=utf-8", report::html::STYLE)),
        "serve.css" => Some(("text/css; charset=utf-8", include_str!("../assets/serve.css"))),
        "serve.js" => Some(("text/javascript; charset=utf-8", include_str!("../assets/serve.js"))),
        _ => None,
    }
}

async fn asset(Path(name): Path<String>) -> Response {
    match asset_body(&name) {
        Some((kind, body)) => ([(header::CONTENT_TYPE, kind)], body).into_response(),
        None => not_found().await,
    }
}

async fn not_found() -> Response {
    (StatusCode::NOT_FOUND, Html(page::error("Not found", "There is no such page here.")))
        .into_response()
}

/// An HTML page with a status.
fn html(status: StatusCode, body: String) -> Response {
    (status, Html(body)).into_response()
}

async fn list(State(app): State<Arc<App>>, Extension(session): Extension<Session>) -> Response {
    let csrf = csrf_token(&app.secret, &session.0);
    html(StatusCode::OK, page::list(&app.store.entries(), &csrf, None))
}

/// The fields of a posted form, each name at most once.
type Fields = HashMap<String, String>;

/// The posted form as fields, refusing a malformed body, a repeated name and a wrong CSRF
/// token.
fn fields(
    app: &App,
    session: &Session,
    form: Result<Form<Vec<(String, String)>>, FormRejection>,
) -> Result<Fields, Response> {
    let Form(pairs) = form.map_err(|r| {
        let status =
            if r.status().is_client_error() { r.status() } else { StatusCode::BAD_REQUEST };
        refuse(status, &format!("malformed form: {}", r.body_text()))
    })?;
    let mut f = Fields::new();
    for (k, v) in pairs {
        if f.insert(k.clone(), v).is_some() {
            return Err(refuse(
                StatusCode::BAD_REQUEST,
                &format!("malformed form: `{k}` given twice"),
            ));
        }
    }
    let expected = csrf_token(&app.secret, &session.0);
    let given = f.get("csrf").map(String::as_str).unwrap_or("");
    if given.len() != expected.len()
        || given.bytes().zip(expected.bytes()).fold(0u8, |a, (x, y)| a | (x ^ y)) != 0
    {
        return Err(refuse(
            StatusCode::FORBIDDEN,
            "missing or wrong CSRF token: reload the page and try again",
        ));
    }
    Ok(f)
}

async fn create(
    State(app): State<Arc<App>>,
    Extension(session): Extension<Session>,
    form: Result<Form<Vec<(String, String)>>, FormRejection>,
) -> Response {
    let f = match fields(&app, &session, form) {
        Ok(f) => f,
        Err(r) => return r,
    };
    if let Some(k) = f.keys().find(|k| !matches!(k.as_str(), "csrf" | "name" | "from")) {
        return refuse(StatusCode::BAD_REQUEST, &format!("malformed form: unknown field `{k}`"));
    }
    let from = f.get("from").map_or("korea-2024", String::as_str);
    let Some(b) = model::builtin::find(from) else {
        return refuse(StatusCode::BAD_REQUEST, &format!("no built-in scenario called `{from}`"));
    };
    let name = f.get("name").map_or("", String::as_str).trim().trim_end_matches(".toml").to_owned();
    let store_app = Arc::clone(&app);
    let text = b.text;
    let made = tokio::task::spawn_blocking(move || store_app.store.create(&name, text)).await;
    match made {
        Ok(Ok(entry)) => Redirect::to(&format!("/s/{}", entry.slug)).into_response(),
        Ok(Err(e)) => {
            let csrf = csrf_token(&app.secret, &session.0);
            let status = store_status(&e);
            html(status, page::list(&app.store.entries(), &csrf, Some(&e.to_string())))
        }
        Err(_) => refuse(StatusCode::INTERNAL_SERVER_ERROR, "the file could not be created"),
    }
}

/// The status that answers a store error.
fn store_status(e: &StoreError) -> StatusCode {
    match e {
        StoreError::Unknown(_) => StatusCode::NOT_FOUND,
        StoreError::BadName(_) | StoreError::ReadOnly => StatusCode::BAD_REQUEST,
        StoreError::Exists(_) => StatusCode::CONFLICT,
        StoreError::Io { .. } => StatusCode::INTERNAL_SERVER_ERROR,
    }
}

/// One version of a scenario, analysed: what a page is made from.
#[derive(Debug)]
pub struct Base {
    /// The text.
    pub text: Arc<str>,
    /// Its hash.
    pub hash: String,
    /// The scenario as loaded, or its problems.
    pub loaded: Result<Loaded, Diagnostics>,
    /// Its editable judgments.
    pub sheet: Sheet,
    /// What its analysis says.
    pub summary: Option<Summary>,
    /// The report's parts.
    pub parts: Vec<Part>,
}

/// How many analysed versions are kept; the cache is emptied when it grows past this.
const BASES_KEPT: usize = 32;

/// Loads a text as the scenario `entry` (with its folder for CSV files).
fn load(entry: &Entry, text: &str) -> Result<Loaded, Diagnostics> {
    model::load::load_bytes(&entry.source_name(), text.as_bytes(), entry.dir().as_deref())
}

/// The analysed version `text` of `entry`, from the cache or made now; `None` when `cancel`
/// was raised before it was made (then nothing is kept).
fn base(app: &App, entry: &Entry, text: Arc<str>, cancel: &Cancel) -> Option<Arc<Base>> {
    let h = hash(&text);
    let key = format!("{}\0{h}", entry.slug);
    if let Some(b) = app.cache.lock().ok().and_then(|c| c.get(&key).cloned()) {
        return Some(b);
    }
    let loaded = load(entry, &text);
    let (sheet, summary, parts) = match &loaded {
        Ok(l) => {
            let a = analysis::analyse_unless(l, &app.settings, &|| cancel.is_raised())?;
            let doc: toml_edit::DocumentMut = text.parse().unwrap_or_default();
            (Sheet::of(&l.scenario, &doc), Some(Summary::of(&a)), report::run::html_parts(&a))
        }
        Err(_) => (Sheet::default(), None, Vec::new()),
    };
    let b = Arc::new(Base { text, hash: h, loaded, sheet, summary, parts });
    if let Ok(mut c) = app.cache.lock() {
        if c.len() >= BASES_KEPT {
            c.clear();
        }
        c.insert(key, Arc::clone(&b));
    }
    Some(b)
}

/// The answer to a request whose analysis stopped because the request was dropped: nobody
/// reads it.
fn abandoned() -> Response {
    refuse(StatusCode::REQUEST_TIMEOUT, "the request was abandoned before its analysis ended")
}

async fn show(
    State(app): State<Arc<App>>,
    Extension(session): Extension<Session>,
    Path(slug): Path<String>,
    query: axum::extract::RawQuery,
) -> Response {
    let entry = match app.store.entry(&slug) {
        Ok(e) => e,
        Err(e) => return html(StatusCode::NOT_FOUND, page::error("Not found", &e.to_string())),
    };
    let message = match query.0.as_deref() {
        Some("saved") => Some("Saved.".to_owned()),
        _ => None,
    };
    let work = Arc::clone(&app);
    let job = analysis(&app, move |cancel| {
        let text = work.store.read(&entry)?;
        let Some(b) = base(&work, &entry, text, cancel) else { return Ok(abandoned()) };
        Ok::<_, StoreError>(render_base(&work, &entry, &b, &session, message.as_deref()))
    });
    match job.await {
        Ok(Ok(r)) => r,
        Ok(Err(e)) => {
            html(store_status(&e), page::error("Cannot open the scenario", &e.to_string()))
        }
        Err(r) => r,
    }
}

/// Runs `work` on a blocking thread under one of the analysis permits. Dropping the returned
/// future (a timeout, or a client gone) raises the flag `work` is given, which stops the
/// analysis before its next lens; the permit moves into the thread, so that it is held until
/// the analysis ends or stops. `Err` holds the response to send when the server is stopping,
/// the work panicked, or every permit is taken and [`App::waiting_max`] requests already wait
/// for one (503 with `Retry-After`, at once: load shedding).
async fn analysis<T: Send + 'static>(
    app: &App,
    work: impl FnOnce(&Cancel) -> T + Send + 'static,
) -> Result<T, Response> {
    let (cancel, _armed) = Cancel::armed();
    let stopping = || refuse(StatusCode::SERVICE_UNAVAILABLE, "the server is stopping");
    let permit = match Arc::clone(&app.analyses).try_acquire_owned() {
        Ok(p) => p,
        Err(TryAcquireError::Closed) => return Err(stopping()),
        Err(TryAcquireError::NoPermits) => {
            let Some(_queued) = Queued::join(app) else { return Err(busy()) };
            let Ok(p) = Arc::clone(&app.analyses).acquire_owned().await else {
                return Err(stopping());
            };
            p
        }
    };
    tokio::task::spawn_blocking(move || {
        let _permit = permit;
        work(&cancel)
    })
    .await
    .map_err(|_| refuse(StatusCode::INTERNAL_SERVER_ERROR, "the analysis failed"))
}

/// A place in the queue of requests waiting for an analysis permit, given up when dropped (the
/// permit came, or the request was dropped while waiting).
struct Queued<'a>(&'a AtomicUsize);

impl<'a> Queued<'a> {
    /// A place in `app`'s queue, or `None` when [`App::waiting_max`] requests already wait.
    fn join(app: &'a App) -> Option<Queued<'a>> {
        let max = app.waiting_max;
        let w = &app.waiting;
        w.fetch_update(Ordering::AcqRel, Ordering::Acquire, |n| (n < max).then_some(n + 1)).ok()?;
        Some(Queued(w))
    }
}

impl Drop for Queued<'_> {
    fn drop(&mut self) {
        self.0.fetch_sub(1, Ordering::AcqRel);
    }
}

/// The answer to a request that finds the queue for analyses full: 503 at once, with the
/// seconds to wait before trying again.
fn busy() -> Response {
    let mut r = refuse(
        StatusCode::SERVICE_UNAVAILABLE,
        "the server is busy: every analysis slot is taken and the queue is full; try again shortly",
    );
    r.headers_mut().insert(header::RETRY_AFTER, HeaderValue::from(RETRY_AFTER.as_secs()));
    r
}

/// The page of a version with no edits.
fn render_base(
    app: &App,
    entry: &Entry,
    b: &Base,
    session: &Session,
    message: Option<&str>,
) -> Response {
    let csrf = csrf_token(&app.secret, &session.0);
    let (loaded, summary) = match (&b.loaded, &b.summary) {
        (Ok(l), Some(s)) => (l, s),
        (Err(d), _) => return invalid_file(entry, d),
        _ => return refuse(StatusCode::INTERNAL_SERVER_ERROR, "the analysis failed"),
    };
    let values: Vec<String> = b.sheet.cells.iter().map(|c| c.value.clone()).collect();
    let m = &loaded.scenario.scenario;
    let body = page::scenario(&ScenarioPage {
        entry,
        title: &m.title,
        question: &m.question,
        base: &b.hash,
        csrf: &csrf,
        sheet: &b.sheet,
        values: &values,
        cell_problems: &[],
        changed: &[],
        rescaled: &[],
        whys: &[],
        before: summary,
        after: None,
        problems: None,
        parts: &b.parts,
        message,
    });
    html(StatusCode::OK, body)
}

/// The page of a file that does not load: its problems, as `statecraft check` lists them.
fn invalid_file(entry: &Entry, d: &Diagnostics) -> Response {
    let list: Vec<String> = d.items.iter().map(|x| format!("{}: {}", x.code, x.message)).collect();
    html(
        StatusCode::UNPROCESSABLE_ENTITY,
        page::error(
            "The scenario does not load",
            &format!(
                "{} has problems; run `statecraft check` on it. {}",
                entry.source_name(),
                list.join("; ")
            ),
        ),
    )
}

/// What a posted form asks for.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Action {
    Recompute,
    Save,
    SaveAs(String),
}

/// Reads the cells, reasons and action of a scenario form, refusing unknown fields.
fn posted(sheet: &Sheet, f: &Fields) -> Result<(Posted, Action), Response> {
    let mut p =
        Posted { values: vec![None; sheet.cells.len()], whys: vec![None; sheet.judgments.len()] };
    let bad = |why: String| refuse(StatusCode::BAD_REQUEST, &format!("malformed form: {why}"));
    for (k, v) in f {
        let index = |prefix: &str| k.strip_prefix(prefix).and_then(|n| n.parse::<usize>().ok());
        match k.as_str() {
            "csrf" | "base" | "action" | "name" => {}
            _ if k.starts_with('c') => match index("c").and_then(|i| p.values.get_mut(i)) {
                Some(slot) => *slot = Some(v.clone()),
                None => return Err(bad(format!("no cell `{k}`"))),
            },
            _ if k.starts_with('w') => match index("w").and_then(|i| p.whys.get_mut(i)) {
                Some(slot) => *slot = Some(v.clone()),
                None => return Err(bad(format!("no judgment `{k}`"))),
            },
            _ => return Err(bad(format!("unknown field `{k}`"))),
        }
    }
    let action = match f.get("action").map(String::as_str) {
        None | Some("recompute") => Action::Recompute,
        Some("save") => Action::Save,
        Some("saveas") => Action::SaveAs(f.get("name").cloned().unwrap_or_default()),
        Some(other) => return Err(bad(format!("unknown action `{other}`"))),
    };
    Ok((p, action))
}

async fn edit(
    State(app): State<Arc<App>>,
    Extension(session): Extension<Session>,
    Path(slug): Path<String>,
    form: Result<Form<Vec<(String, String)>>, FormRejection>,
) -> Response {
    let f = match fields(&app, &session, form) {
        Ok(f) => f,
        Err(r) => return r,
    };
    let entry = match app.store.entry(&slug) {
        Ok(e) => e,
        Err(e) => return html(StatusCode::NOT_FOUND, page::error("Not found", &e.to_string())),
    };
    let Some(text) = f.get("base").and_then(|h| app.store.version(h)) else {
        return html(
            StatusCode::CONFLICT,
            page::error(
                "This page is out of date",
                "The version of the scenario this page was made from is no longer known to the server: reload the scenario and make the edits again.",
            ),
        );
    };
    let work = Arc::clone(&app);
    analysis(&app, move |cancel| edit_blocking(&work, &entry, text, &f, &session, cancel))
        .await
        .unwrap_or_else(|r| r)
}

/// [`edit`] once the form is read: apply, check, analyse, and recompute, save or save as;
/// stopped, before it saves anything, as soon as `cancel` is raised.
fn edit_blocking(
    app: &App,
    entry: &Entry,
    text: Arc<str>,
    f: &Fields,
    session: &Session,
    cancel: &Cancel,
) -> Response {
    let Some(b) = base(app, entry, text, cancel) else { return abandoned() };
    let (Ok(loaded), Some(before)) = (&b.loaded, &b.summary) else {
        return match &b.loaded {
            Err(d) => invalid_file(entry, d),
            Ok(_) => refuse(StatusCode::INTERNAL_SERVER_ERROR, "the analysis failed"),
        };
    };
    let (posted, action) = match posted(&b.sheet, f) {
        Ok(x) => x,
        Err(r) => return r,
    };
    let saving = action != Action::Recompute;
    let applied = match b.sheet.apply(&b.text, &posted, saving) {
        Ok(a) => a,
        Err(e) => {
            return html(
                StatusCode::CONFLICT,
                page::error("This page is out of date", &e.to_string()),
            );
        }
    };
    let edited = if applied.changed.is_empty() { None } else { Some(load(entry, &applied.text)) };
    let after = match &edited {
        Some(Ok(l)) => {
            let Some(a) = analysis::analyse_unless(l, &app.settings, &|| cancel.is_raised()) else {
                return abandoned();
            };
            Some((Summary::of(&a), report::run::html_parts(&a)))
        }
        _ => None,
    };
    if cancel.is_raised() {
        return abandoned();
    }
    let problems = match &edited {
        Some(Err(d)) => Some((&d.source, d.items.as_slice())),
        _ => None,
    };
    let mut message: Option<String> = None;
    let mut status = if problems.is_some() || !applied.problems.is_empty() {
        StatusCode::UNPROCESSABLE_ENTITY
    } else {
        StatusCode::OK
    };
    if saving {
        let missing: Vec<&str> = applied
            .changed
            .iter()
            .filter(|j| posted.whys.get(**j).cloned().flatten().is_none_or(|w| w.trim().is_empty()))
            .map(|j| b.sheet.judgments[*j].label.as_str())
            .collect();
        let refusal = if applied.changed.is_empty() {
            Some("Nothing to save: no judgment changed.".to_owned())
        } else if status != StatusCode::OK {
            Some("Not saved: the edited scenario has problems (listed below).".to_owned())
        } else if !missing.is_empty() {
            Some(format!(
                "Not saved: give a reason (why) for each changed judgment; missing for {}.",
                missing.join("; ")
            ))
        } else {
            None
        };
        match refusal {
            Some(m) => {
                message = Some(m);
                status = StatusCode::UNPROCESSABLE_ENTITY;
            }
            None => return save(app, entry, &b, &applied.text, &action),
        }
    }
    let csrf = csrf_token(&app.secret, &session.0);
    let m = &loaded.scenario.scenario;
    let parts = after.as_ref().map_or(&b.parts, |(_, p)| p);
    let body = page::scenario(&ScenarioPage {
        entry,
        title: &m.title,
        question: &m.question,
        base: &b.hash,
        csrf: &csrf,
        sheet: &b.sheet,
        values: &applied.values,
        cell_problems: &applied.problems,
        changed: &applied.changed,
        rescaled: &applied.rescaled,
        whys: &posted.whys,
        before,
        after: after.as_ref().map(|(s, _)| s),
        problems,
        parts,
        message: message.as_deref(),
    });
    html(status, body)
}

/// Saves the edited text: over the file when it still holds the base version, else refused
/// with the diff; or as a new file in the start folder.
fn save(app: &App, entry: &Entry, b: &Base, text: &str, action: &Action) -> Response {
    match action {
        Action::SaveAs(name) => match app.store.create(name.trim().trim_end_matches(".toml"), text)
        {
            Ok(made) => Redirect::to(&format!("/s/{}?saved", made.slug)).into_response(),
            Err(e) => html(store_status(&e), page::error("Not saved", &e.to_string())),
        },
        _ if matches!(entry.origin, Origin::Builtin(_)) => html(
            StatusCode::BAD_REQUEST,
            page::error("Not saved", &StoreError::ReadOnly.to_string()),
        ),
        _ => match app.store.save(entry, &b.hash, text) {
            Ok(Ok(())) => Redirect::to(&format!("/s/{}?saved", entry.slug)).into_response(),
            Ok(Err(now)) => {
                let diff = similar::TextDiff::from_lines(&*b.text, &now)
                    .unified_diff()
                    .context_radius(2)
                    .header("as this page loaded it", "on disk now")
                    .to_string();
                html(StatusCode::CONFLICT, page::conflict(entry, &diff))
            }
            Err(e) => html(store_status(&e), page::error("Not saved", &e.to_string())),
        },
    }
}

#[cfg(test)]
mod tests {
    use std::net::SocketAddr;
    use std::time::Duration;

    use super::*;
    use crate::edit::Kind;

    /// The built-in korea-2024, and a recompute form that changes one probability of it.
    fn recompute_korea(app: &App) -> (Entry, Arc<str>, Fields) {
        let entry = app.store.entry("builtin-korea-2024").expect("a built-in");
        let text = app.store.read(&entry).expect("built in");
        let loaded = load(&entry, &text).expect("it loads");
        let doc: toml_edit::DocumentMut = text.parse().expect("TOML");
        let sheet = Sheet::of(&loaded.scenario, &doc);
        let (i, cell) = sheet
            .cells
            .iter()
            .enumerate()
            .find(|(_, c)| c.kind == Kind::Probability && c.value != "0.5")
            .expect("a probability");
        assert_ne!(cell.value, "0.5");
        let f = Fields::from([(format!("c{i}"), "0.5".to_owned())]);
        (entry, text, f)
    }

    /// With every analysis permit taken and [`App::waiting_max`] requests waiting, the next one
    /// is answered 503 with `Retry-After` at once (not after the 30 s of a 408); when the permits
    /// come back, every request that waited runs, and the queue is empty again.
    #[tokio::test]
    async fn a_full_queue_is_answered_503_at_once() {
        let config = crate::Config::local(Vec::new(), std::env::temp_dir());
        let app =
            Arc::new(App::new(&config, SocketAddr::from(([127, 0, 0, 1], 1))).expect("an app"));
        let all = u32::try_from(app.analyses.available_permits()).expect("a few permits");
        let held = Arc::clone(&app.analyses).try_acquire_many_owned(all).expect("free permits");
        let queued: Vec<_> = (0..app.waiting_max)
            .map(|_| {
                let app = Arc::clone(&app);
                tokio::spawn(async move { analysis(&app, |_| 1).await.is_ok() })
            })
            .collect();
        while app.waiting.load(Ordering::Acquire) < app.waiting_max {
            tokio::task::yield_now().await;
        }
        let refused = tokio::time::timeout(Duration::from_secs(5), analysis(&app, |_| 1))
            .await
            .expect("an answer at once, not a wait");
        let r = refused.expect_err("refused");
        assert_eq!(r.status(), StatusCode::SERVICE_UNAVAILABLE);
        assert_eq!(r.headers()[header::RETRY_AFTER], RETRY_AFTER.as_secs().to_string());
        drop(held);
        for q in queued {
            assert!(q.await.expect("the task ends"), "a request that waited runs");
        }
        assert_eq!(app.waiting.load(Ordering::Acquire), 0);
        assert_eq!(analysis(&app, |_| 2).await.ok(), Some(2));
    }

    /// A recompute whose request was dropped (its `cancel` raised) runs no lens and answers
    /// 408; the same recompute not dropped analyses the base and the edited scenario.
    #[test]
    fn an_abandoned_recompute_runs_no_lens() {
        let dir = std::env::temp_dir();
        let config = crate::Config::local(Vec::new(), dir);
        let app = App::new(&config, SocketAddr::from(([127, 0, 0, 1], 1))).expect("an app");
        let (entry, text, f) = recompute_korea(&app);
        let session = Session("test".into());
        let bayes = || analysis::evaluations()[4];

        let (cancel, armed) = Cancel::armed();
        drop(armed);
        let before = bayes();
        let r = edit_blocking(&app, &entry, Arc::clone(&text), &f, &session, &cancel);
        assert_eq!(r.status(), StatusCode::REQUEST_TIMEOUT);
        assert_eq!(bayes(), before, "no lens ran");

        let (cancel, _armed) = Cancel::armed();
        let r = edit_blocking(&app, &entry, text, &f, &session, &cancel);
        assert_eq!(r.status(), StatusCode::OK);
        assert_eq!(bayes(), before + 2, "the base and the edited scenario");
    }
}
