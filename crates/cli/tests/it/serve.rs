//! `statecraft serve` end to end (issue 16): the real binary serves a copy of korea-2024, and a
//! real headless Chromium, driven over WebDriver (`fantoccini` talking to Debian's
//! `chromedriver`), changes a probability, sees the headline change to what `statecraft run`
//! gives on the edited file, saves with a reason, reloads, and finds the edit and every
//! comment of the file intact. Screenshots are left in `target/serve-korea-2024-edited.png`
//! and `target/serve-korea-2024-saved.png`.
//!
//! Needs `chromium` and `chromedriver` (`apt-get install -y chromium chromium-driver`; `cargo
//! xtask test` installs both); `STATECRAFT_SKIP_BROWSER=1` skips it. Every wait has a limit
//! and fails with what it was waiting for.

use std::io::{BufRead as _, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use fantoccini::{Client, ClientBuilder, Locator};

use crate::util::{root, statecraft};

/// How long any one wait (the server, the driver, a recomputation, a save) may take.
const WAIT: Duration = Duration::from_secs(60);

/// The label of the cell the test edits: the prior of "Continuity" in the US policy driver.
const CELL: &str = "US policy after the November 2024 election (us_policy) — prior: Continuity";

/// A child process killed when the test ends, however it ends.
struct Killed(Child);

impl Drop for Killed {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// `chromedriver`, or `None` when `STATECRAFT_SKIP_BROWSER=1` asks to skip the browser.
fn chromedriver() -> Option<PathBuf> {
    if std::env::var("STATECRAFT_SKIP_BROWSER").is_ok_and(|v| v == "1") {
        eprintln!("STATECRAFT_SKIP_BROWSER=1: the workbench is not checked in a browser");
        return None;
    }
    let on_path = std::env::var_os("PATH")
        .map(|p| std::env::split_paths(&p).map(|d| d.join("chromedriver")).collect::<Vec<_>>())
        .unwrap_or_default();
    let found = on_path.into_iter().find(|p| p.is_file());
    assert!(
        found.is_some(),
        "chromedriver is not installed, so the workbench cannot be checked in a browser: run \
         `apt-get install -y chromium chromium-driver` or `cargo xtask test` (or set \
         STATECRAFT_SKIP_BROWSER=1 to skip this test)"
    );
    found
}

/// A free port on loopback.
fn free_port() -> u16 {
    let l = std::net::TcpListener::bind("127.0.0.1:0").expect("a free port");
    l.local_addr().expect("an address").port()
}

/// Waits until `f` gives `Some`, polling; fails naming `what` after [`WAIT`].
async fn until<T, F, Fut>(what: &str, mut f: F) -> T
where
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = Option<T>>,
{
    let start = Instant::now();
    loop {
        if let Some(x) = f().await {
            return x;
        }
        assert!(start.elapsed() < WAIT, "gave up after {WAIT:?} waiting for {what}");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

/// [`until`] in the browser: on failure, leaves a screenshot in `target/serve-failure.png` and
/// says what the page's status part showed.
async fn until_page<T, F, Fut>(c: &Client, what: &str, mut f: F) -> T
where
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = Option<T>>,
{
    let start = Instant::now();
    loop {
        if let Some(x) = f().await {
            return x;
        }
        if start.elapsed() > WAIT {
            screenshot(c, "serve-failure.png").await;
            let status = text_of(c, "main").await.unwrap_or_default();
            let status: String = status.chars().take(1500).collect();
            panic!(
                "gave up after {WAIT:?} waiting for {what}; see target/serve-failure.png; the page shows:\n{status}"
            );
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

/// The text of the element `css`, if it is there.
async fn text_of(c: &Client, css: &str) -> Option<String> {
    c.find(Locator::Css(css)).await.ok()?.text().await.ok()
}

/// Writes a screenshot of the window to `target/NAME`.
async fn screenshot(c: &Client, name: &str) {
    let png = c.screenshot().await.expect("a screenshot");
    std::fs::write(root().join("target").join(name), png).expect("screenshot written");
}

/// The comment lines of a text.
fn comments(text: &str) -> Vec<&str> {
    text.lines().filter(|l| l.trim_start().starts_with('#')).collect()
}

#[test]
fn edit_a_probability_in_the_browser_and_save_it() {
    let Some(driver) = chromedriver() else { return };
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("korea-2024.toml");
    assert!(statecraft(dir.path(), &["new", "korea-2024.toml"]).status.success());
    let original = std::fs::read_to_string(&file).expect("`statecraft new` wrote the copy");

    // The server: its first line on standard output is its address.
    let mut server = Command::new(env!("CARGO_BIN_EXE_statecraft"))
        .args(["serve", "korea-2024.toml", "--quiet"])
        .current_dir(dir.path())
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit())
        .spawn()
        .expect("statecraft serve starts");
    let stdout = server.stdout.take().expect("its standard output");
    let server = Killed(server);
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let mut line = String::new();
        let _ = BufReader::new(stdout).read_line(&mut line);
        let _ = tx.send(line);
    });
    let url = rx.recv_timeout(WAIT).expect("statecraft serve prints its address");
    let url = url.trim().to_owned();
    assert!(url.starts_with("http://127.0.0.1:"), "{url}");

    let port = free_port();
    let driver = Killed(
        Command::new(driver)
            .arg(format!("--port={port}"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("chromedriver starts"),
    );
    let rt = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
    let page_headline = rt.block_on(drive(port, &url, &file, &original));
    drop(driver);
    drop(server);

    // What the page said after the edit is what `statecraft run` says of the saved file.
    let out = statecraft(dir.path(), &["run", "korea-2024.toml", "--format", "json"]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let headline = json["result"]["answer"]["headline"].as_str().expect("a headline");
    assert_eq!(page_headline, headline);
}

/// The browser's part; returns the headline the page showed after the edit.
async fn drive(port: u16, url: &str, file: &Path, original: &str) -> String {
    let mut caps = serde_json::Map::new();
    caps.insert(
        "goog:chromeOptions".into(),
        serde_json::json!({
            "binary": "/usr/bin/chromium",
            "args": ["--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                     "--no-first-run", "--disable-background-networking", "--disable-sync",
                     "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1",
                     "--window-size=1100,1000"]
        }),
    );
    let webdriver = format!("http://127.0.0.1:{port}");
    let c = until("chromedriver to start a browser", || async {
        let connector = hyper_util::client::legacy::connect::HttpConnector::new();
        ClientBuilder::new(connector).capabilities(caps.clone()).connect(&webdriver).await.ok()
    })
    .await;

    c.goto(&format!("{url}s/korea-2024")).await.expect("the scenario page opens");
    let before = until("the headline", || text_of(&c, "#headline")).await;
    let probability_before = text_of(&c, "#probability").await.expect("a probability");

    // Open the war's table and type a new prior for "Russian gains", then leave the field.
    let summary = format!("//input[@aria-label='{CELL}']/ancestor::details/summary");
    c.find(Locator::XPath(&summary))
        .await
        .expect("the table of the US policy driver")
        .click()
        .await
        .unwrap();
    let cell =
        c.find(Locator::Css(&format!("input[aria-label='{CELL}']"))).await.expect("the cell");
    let name = cell.attr("name").await.unwrap().expect("the cell's name");
    // Select the old value (Ctrl+A), type over it and leave with Tab, so that the field changes
    // once (clearing it first would post an empty value of its own). In WebDriver's keys,
    // U+E009 is Control, U+E000 releases it, U+E004 is Tab.
    cell.send_keys("\u{E009}a\u{E000}0.9\u{E004}").await.unwrap();

    let after = until_page(&c, "the headline to change after the edit", || async {
        text_of(&c, "#headline").await.filter(|h| *h != before)
    })
    .await;
    let probability = text_of(&c, "#probability").await.expect("a probability");
    assert!(probability.contains('→'), "before → after: {probability} (was {probability_before})");
    let moved = text_of(&c, "#moved").await.expect("the findings that moved");
    assert!(moved.contains("Sections whose figures changed"), "{moved}");
    c.execute("window.scrollTo(0, 0)", Vec::new()).await.expect("scrolls to the top");
    screenshot(&c, "serve-korea-2024-edited.png").await;

    // The row rule rescaled the other two states so that the row sums to 1.
    let row: f64 = {
        let mut sum = 0.0;
        for state in ["Continuity", "Engagement with Pyongyang", "Retrenchment from allies"] {
            let css = format!(
                "input[aria-label='US policy after the November 2024 election (us_policy) — prior: {state}']"
            );
            let v = c.find(Locator::Css(&css)).await.unwrap().prop("value").await.unwrap().unwrap();
            sum += v.parse::<f64>().expect("a number");
        }
        sum
    };
    assert!((row - 1.0).abs() <= engines::prec::PROB_SUM, "the row sums to {row}");

    // Save with a reason.
    let why = c.find(Locator::Css("table.changes input[name^='w']")).await.expect("a reason field");
    why.send_keys("e2e test: continuity far likelier").await.unwrap();
    c.find(Locator::Css("button[value='save']")).await.unwrap().click().await.unwrap();
    until_page(&c, "the page to say Saved.", || async {
        text_of(&c, ".notice").await.filter(|t| t.contains("Saved."))
    })
    .await;

    // Reload: the edit is there.
    c.refresh().await.unwrap();
    let value = until_page(&c, "the reloaded cell", || async {
        c.find(Locator::Css(&format!("input[name='{name}']")))
            .await
            .ok()?
            .prop("value")
            .await
            .ok()?
    })
    .await;
    assert_eq!(value, "0.9");
    let reloaded = text_of(&c, "#headline").await.expect("a headline");
    assert_eq!(reloaded, after, "the saved file gives the headline the edit showed");
    c.find(Locator::XPath(&summary)).await.unwrap().click().await.unwrap();
    screenshot(&c, "serve-korea-2024-saved.png").await;
    c.close().await.unwrap();

    let text = std::fs::read_to_string(file).unwrap();
    assert_eq!(comments(&text), comments(original), "every comment is kept");
    assert!(text.contains("why = \"e2e test: continuity far likelier\""), "the reason is written");
    let changed: Vec<(&str, &str)> =
        original.lines().zip(text.lines()).filter(|(a, b)| a != b).collect();
    assert_eq!(changed.len(), 1, "only the prior's line changed: {changed:#?}");
    after
}
