//! The workbench over real HTTP on loopback: bad input of every kind gets a 4xx and the server
//! keeps serving; two sessions editing one file cannot overwrite each other; a save writes the
//! reason and keeps the comments; scenario text is escaped; the access token is required when
//! set. The client is a few lines over `TcpStream`, so that a test can send exactly the bytes it
//! means (a wrong `Host`, a raw `..` in the path, an oversized body).

// A test binary: a failed unwrap is a failed test, with its message.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::path::PathBuf;

use common::{Client, korea_copy, start};

/// Every request below is refused with the given status, and the server still answers after
/// each.
#[test]
fn bad_input_gets_a_4xx_and_the_server_keeps_serving() {
    let dir = tempfile::tempdir().unwrap();
    let file = korea_copy(dir.path());
    let addr = start(vec![file], dir.path().to_path_buf(), None);
    let mut c = Client::new(&addr);
    let page = c.get("/s/korea-2024");
    assert_eq!(page.status, 200, "{}", page.body);
    let csrf = page.field("csrf").expect("a csrf field");
    let base = page.field("base").expect("a base field");
    let form = |extra: &str| format!("csrf={csrf}&base={base}{extra}");
    let huge = "x".repeat(serve::BODY_LIMIT + 1);
    let cases: Vec<(&str, u16, common::Response)> = vec![
        ("no CSRF token", 403, c.post("/s/korea-2024", &format!("base={base}&c0=0.5"))),
        (
            "a wrong CSRF token",
            403,
            c.post("/s/korea-2024", &format!("csrf=00{}&base={base}", &csrf[2..])),
        ),
        (
            "a form body that is not a form",
            415,
            c.send("POST", "/s/korea-2024", "text/plain", &form(""), &[]),
        ),
        ("a field given twice", 400, c.post("/s/korea-2024", &form("&c0=0.5&c0=0.6"))),
        ("a cell that does not exist", 400, c.post("/s/korea-2024", &form("&c999999=1"))),
        ("an unknown field", 400, c.post("/s/korea-2024", &form("&path=../../etc/passwd"))),
        ("an unknown action", 400, c.post("/s/korea-2024", &form("&action=delete"))),
        ("a number that is not one", 422, c.post("/s/korea-2024", &form("&c0=lots"))),
        ("a stale base", 409, c.post("/s/korea-2024", &format!("csrf={csrf}&base=00"))),
        ("an oversized body", 413, c.post("/s/korea-2024", &form(&format!("&w0={huge}")))),
        ("a wrong Host", 421, c.send("GET", "/", "", "", &[("Host", "attacker.example")])),
        (
            "a wrong Origin",
            403,
            c.send(
                "POST",
                "/s/korea-2024",
                "application/x-www-form-urlencoded",
                &form(""),
                &[("Origin", "http://attacker.example")],
            ),
        ),
        ("no session cookie", 403, Client::new(&addr).post("/s/korea-2024", &form(""))),
        ("a raw `..` in the path", 404, c.get("/assets/../../Cargo.toml")),
        ("an encoded `..` in the path", 404, c.get("/s/..%2F..%2FCargo.toml")),
        ("a scenario not given", 404, c.get("/s/passwd")),
        (
            "a new file named with `..`",
            400,
            c.post("/new", &format!("csrf={csrf}&name=..%2Fescaped&from=minimal")),
        ),
        (
            "a new file named with a slash",
            400,
            c.post("/new", &format!("csrf={csrf}&name=a%2Fb&from=minimal")),
        ),
        (
            "a new file from no built-in",
            400,
            c.post("/new", &format!("csrf={csrf}&name=x&from=..%2Fkorea")),
        ),
        ("an unknown asset", 404, c.get("/assets/serve.rs")),
    ];
    for (what, status, resp) in cases {
        assert_eq!(
            resp.status,
            status,
            "{what}: {}",
            resp.body.chars().take(400).collect::<String>()
        );
        assert_eq!(c.get("/").status, 200, "the server stopped answering after {what}");
    }
    assert!(!dir.path().parent().unwrap().join("escaped.toml").exists());
    let text = std::fs::read_to_string(dir.path().join("korea-2024.toml")).unwrap();
    assert_eq!(text, model::builtin::find("korea-2024").unwrap().text, "nothing was written");
}

/// Two sessions open one file; the first saves; the second's save is refused with a diff that
/// shows the first's change, and the file holds only the first's edit.
#[test]
fn a_second_session_cannot_overwrite_the_first() {
    let dir = tempfile::tempdir().unwrap();
    let file = korea_copy(dir.path());
    let addr = start(vec![file.clone()], dir.path().to_path_buf(), None);
    let (mut a, mut b) = (Client::new(&addr), Client::new(&addr));
    let (pa, pb) = (a.get("/s/korea-2024"), b.get("/s/korea-2024"));
    let cell = pa
        .cell_named("US policy after the November 2024 election (us_policy) — prior: Continuity")
        .expect("the prior of us_policy");
    let judgment = format!("w{}", common::judgment_of(&pa, &cell));
    let saved = a.post(
        "/s/korea-2024",
        &format!(
            "csrf={}&base={}&{cell}=0.5&{judgment}=first+session&action=save",
            pa.field("csrf").unwrap(),
            pa.field("base").unwrap()
        ),
    );
    assert_eq!(saved.status, 303, "{}", saved.body);
    let refused = b.post(
        "/s/korea-2024",
        &format!(
            "csrf={}&base={}&{cell}=0.2&{judgment}=second+session&action=save",
            pb.field("csrf").unwrap(),
            pb.field("base").unwrap()
        ),
    );
    assert_eq!(refused.status, 409, "{}", refused.body);
    assert!(refused.body.contains("changed on disk"), "{}", refused.body);
    assert!(
        refused.body.contains("first session"),
        "the diff shows the first save: {}",
        refused.body
    );
    let text = std::fs::read_to_string(&file).unwrap();
    assert!(text.contains("why = \"first session\""));
    assert!(!text.contains("second session"));
}

/// A save writes the new value and its reason, keeps every comment, and the page reloads with
/// the edit; a save without a reason is refused.
#[test]
fn a_save_needs_a_reason_and_keeps_the_comments() {
    let dir = tempfile::tempdir().unwrap();
    let file = korea_copy(dir.path());
    let addr = start(vec![file.clone()], dir.path().to_path_buf(), None);
    let mut c = Client::new(&addr);
    let page = c.get("/s/korea-2024");
    let cell = page
        .cell_named("Ratings of the evidence under each hypothesis — e03: H1")
        .expect("a rating");
    let form = |why: &str| {
        format!(
            "csrf={}&base={}&{cell}=II&w{}={why}&action=save",
            page.field("csrf").unwrap(),
            page.field("base").unwrap(),
            common::judgment_of(&page, &cell)
        )
    };
    let refused = c.post("/s/korea-2024", &form(""));
    assert_eq!(refused.status, 422, "{}", refused.body);
    assert!(refused.body.contains("give a reason"), "{}", refused.body);
    let saved = c.post("/s/korea-2024", &form("re-read+the+source"));
    assert_eq!(saved.status, 303, "{}", saved.body);
    let text = std::fs::read_to_string(&file).unwrap();
    assert!(text.contains("e03 = { value = \"II\", why = \"re-read the source\" }"));
    let comments = |t: &str| t.lines().filter(|l| l.trim_start().starts_with('#')).count();
    assert_eq!(comments(&text), comments(model::builtin::find("korea-2024").unwrap().text));
    let again = c.get("/s/korea-2024?saved");
    assert!(again.body.contains("Saved."));
    let k = again.cell_named("Ratings of the evidence under each hypothesis — e03: H1").unwrap();
    assert_eq!(again.cell_value(&k).as_deref(), Some("II"));
}

/// A built-in cannot be overwritten; it can be saved as a new file in the start folder, which
/// then joins the list.
#[test]
fn a_built_in_is_saved_as_a_new_file() {
    let dir = tempfile::tempdir().unwrap();
    let addr = start(Vec::new(), dir.path().to_path_buf(), None);
    let mut c = Client::new(&addr);
    let page = c.get("/s/builtin-minimal");
    assert_eq!(page.status, 200, "{}", page.body);
    let cell = page.first_cell().expect("a cell");
    let j = common::judgment_of(&page, &cell);
    let base = format!("csrf={}&base={}", page.field("csrf").unwrap(), page.field("base").unwrap());
    let value = page.cell_value(&cell).unwrap();
    let new_value = if value == "0" { "1" } else { "0" };
    let refused = c
        .post("/s/builtin-minimal", &format!("{base}&{cell}={new_value}&w{j}=because&action=save"));
    assert_eq!(refused.status, 400, "{}", refused.body);
    let made = c.post(
        "/s/builtin-minimal",
        &format!("{base}&{cell}={new_value}&w{j}=because&action=saveas&name=my-dam"),
    );
    assert_eq!(made.status, 303, "{}", made.body);
    assert!(dir.path().join("my-dam.toml").is_file());
    assert!(c.get("/").body.contains("/s/my-dam"));
    let again = c.post(
        "/s/builtin-minimal",
        &format!("{base}&{cell}={new_value}&w{j}=because&action=saveas&name=my-dam"),
    );
    assert_eq!(again.status, 409, "an existing file is never overwritten: {}", again.body);
}

/// Text from the scenario that holds HTML is shown as text, never as markup.
#[test]
fn scenario_text_is_escaped() {
    let dir = tempfile::tempdir().unwrap();
    let text = model::builtin::find("minimal").unwrap().text;
    let evil = "<script>alert(1)</script>";
    let mut edited = String::new();
    for line in text.lines() {
        let line = match line.split_once(" = ") {
            Some(("title" | "question" | "claim" | "name", v)) if v.starts_with('"') => {
                format!("{} = \"{evil} {}", line.split(" = ").next().unwrap(), &v[1..])
            }
            _ => line.to_owned(),
        };
        edited.push_str(&line);
        edited.push('\n');
    }
    let file: PathBuf = dir.path().join("evil.toml");
    std::fs::write(&file, &edited).unwrap();
    model::load::load_file(&file).unwrap_or_else(|d| panic!("{d}"));
    let addr = start(vec![file], dir.path().to_path_buf(), None);
    let mut c = Client::new(&addr);
    let page = c.get("/s/evil");
    assert_eq!(page.status, 200, "{}", page.body);
    assert!(!page.body.contains(evil), "unescaped");
    assert!(page.body.matches("&lt;script&gt;alert(1)&lt;/script&gt;").count() >= 3);
    let csp = page.header("content-security-policy").expect("a policy");
    assert!(csp.contains("default-src 'none'") && csp.contains("script-src 'self'"), "{csp}");
}

/// With a token, nothing is served without it; the address with `?token=` trades it for a
/// cookie.
#[test]
fn the_token_is_checked_on_every_request() {
    let dir = tempfile::tempdir().unwrap();
    let token = "0123456789abcdef0123";
    let addr = start(Vec::new(), dir.path().to_path_buf(), Some(token));
    let mut c = Client::new(&addr);
    assert_eq!(c.get("/").status, 401);
    assert_eq!(c.get("/assets/serve.css").status, 401);
    assert_eq!(c.get("/?token=wrong").status, 401);
    assert_eq!(
        c.send("GET", "/", "", "", &[("Authorization", &format!("Bearer {token}"))]).status,
        200
    );
    let login = c.get(&format!("/?token={token}"));
    assert_eq!(login.status, 303);
    assert_eq!(c.get("/").status, 200, "the cookie carries the token");
    let rt = tokio::runtime::Runtime::new().unwrap();
    let open = serve::Config {
        addr: "0.0.0.0:0".parse().unwrap(),
        ..serve::Config::local(Vec::new(), dir.path().to_path_buf())
    };
    let refused = rt.block_on(serve::Server::bind(&open));
    assert!(matches!(refused, Err(serve::ServeError::NeedsToken(_))), "{refused:?}");
}

/// The scenario page shows the answer's robustness as the HTML report draws it: the histogram
/// of the answer over the small ensemble's draws and how often each option is best, in the
/// answer's part.
#[test]
fn the_scenario_page_shows_the_answers_robustness() {
    let dir = tempfile::tempdir().unwrap();
    let addr = start(Vec::new(), dir.path().to_path_buf(), None);
    let mut c = Client::new(&addr);
    let page = c.get("/s/builtin-minimal");
    assert_eq!(page.status, 200, "{}", page.body);
    let answer = page.body.find("id=\"answer\"").expect("the answer's part");
    let scenario = page.body.find("id=\"scenario\"").expect("the scenario's part");
    for id in ["chart-ensemble-water-crisis", "chart-ensemble-best-response"] {
        let at = page.body.find(&format!("id=\"{id}\"")).unwrap_or_else(|| panic!("no {id}"));
        assert!(answer < at && at < scenario, "{id} is not in the answer's part");
    }
}
