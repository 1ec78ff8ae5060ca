//! `statecraft run --format html` checked in a real headless browser (issue 9): the korea-2024
//! report loads with no console message and no network request, every chart is present and
//! drawn, and a screenshot is written to `target/report-korea-2024.png` for review.
//!
//! The browser is the system's Chromium (`/usr/bin/chromium`, or `chromium` on `PATH`); install
//! it with `apt-get install -y chromium`. Without it these tests fail, unless
//! `STATECRAFT_SKIP_BROWSER=1` is set. One browser run both dumps the rendered DOM and takes the
//! screenshot; it logs the console to standard error (`--enable-logging=stderr`) and every
//! request to a NetLog file (`--log-net-log`). The page itself forbids every fetch by its
//! Content-Security-Policy, so a stray reference would show up as a CSP violation on the
//! console; a control page without that policy, with an inline script and a remote image,
//! checks that both detectors see what they should. Host names resolve to nothing
//! (`--host-resolver-rules`), so nothing reaches the network even by mistake.
//!
//! The layout is checked at a desktop's 1280 px and a phone's 390 px (issue 13): nothing may
//! stick out past the right edge of the window, nothing may scroll sideways except a table of
//! many columns in its own `div.wide` box, and no lens section may hold a `<pre>`; screenshots
//! of the lens sections are left in `target/report-korea-2024-1280.png` and
//! `target/report-korea-2024-390.png`.

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use crate::util::statecraft;

/// How long one browser run may take before the test gives up on it.
const BROWSER_TIMEOUT: Duration = Duration::from_secs(120);

/// The system's Chromium, or `None` when `STATECRAFT_SKIP_BROWSER=1` asks to skip the browser.
/// Fails the test when Chromium is missing and skipping was not asked for.
fn chromium() -> Option<PathBuf> {
    if std::env::var("STATECRAFT_SKIP_BROWSER").is_ok_and(|v| v == "1") {
        eprintln!("STATECRAFT_SKIP_BROWSER=1: the HTML report is not checked in a browser");
        return None;
    }
    let on_path = std::env::var_os("PATH")
        .map(|p| std::env::split_paths(&p).map(|d| d.join("chromium")).collect::<Vec<_>>())
        .unwrap_or_default();
    let found =
        std::iter::once(PathBuf::from("/usr/bin/chromium")).chain(on_path).find(|p| p.is_file());
    assert!(
        found.is_some(),
        "chromium is not installed, so the HTML report cannot be checked in a browser: run \
         `apt-get install -y chromium` (or set STATECRAFT_SKIP_BROWSER=1 to skip this test)"
    );
    found
}

/// What one headless browser run left behind.
struct Visit {
    /// The DOM after loading (`--dump-dom`).
    dom: String,
    /// The browser's log: console messages appear on lines with `:CONSOLE`.
    log: String,
    /// The NetLog, one event per line.
    net: String,
}

impl Visit {
    /// The console messages of the page.
    fn console(&self) -> Vec<&str> {
        self.log
            .lines()
            .filter(|l| l.contains(":CONSOLE") || l.contains("Content Security Policy"))
            .collect()
    }

    /// The network requests that the page made: a page opened from a file loads it outside the
    /// network stack, so any request in the NetLog on behalf of a `file://` site is the page's.
    fn page_requests(&self) -> Vec<&str> {
        self.net
            .lines()
            .filter(|l| l.contains("\"url\":\""))
            .filter(|l| {
                l.contains("site=file://") || l.contains("network_isolation_key\":\"file://")
            })
            .collect()
    }
}

/// Opens `page` in headless Chromium with a fresh profile, dumping the DOM and taking a
/// 1280×4000 screenshot to `screenshot` when given.
fn visit(chromium: &Path, page: &Path, screenshot: Option<&Path>) -> Visit {
    visit_with(chromium, page, screenshot, (1280, 4000), &[])
}

/// [`visit`] in a window of `(width, height)`, with `extra` flags for Chromium.
fn visit_with(
    chromium: &Path,
    page: &Path,
    screenshot: Option<&Path>,
    (width, height): (u32, u32),
    extra: &[&str],
) -> Visit {
    let dir = tempfile::tempdir().unwrap();
    let profile = dir.path().join("profile");
    let (dom, log, net) =
        (dir.path().join("dom.html"), dir.path().join("log.txt"), dir.path().join("net.json"));
    let mut cmd = Command::new(chromium);
    cmd.args([
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--hide-scrollbars",
        "--enable-logging=stderr",
        "--v=0",
        "--host-resolver-rules=MAP * ~NOTFOUND",
        "--dump-dom",
    ])
    .arg(format!("--window-size={width},{height}"))
    .args(extra)
    .arg(format!("--user-data-dir={}", profile.display()))
    .arg(format!("--log-net-log={}", net.display()));
    if let Some(png) = screenshot {
        cmd.arg(format!("--screenshot={}", png.display()));
    }
    let page = page.canonicalize().unwrap();
    cmd.arg(format!("file://{}", page.display()))
        .stdin(Stdio::null())
        .stdout(std::fs::File::create(&dom).unwrap())
        .stderr(std::fs::File::create(&log).unwrap());
    let mut child = cmd.spawn().expect("chromium starts");
    let start = Instant::now();
    let status = loop {
        if let Some(status) = child.try_wait().unwrap() {
            break status;
        }
        if start.elapsed() > BROWSER_TIMEOUT {
            let _ = child.kill();
            let _ = child.wait();
            panic!("chromium did not finish within {BROWSER_TIMEOUT:?} on {}", page.display());
        }
        std::thread::sleep(Duration::from_millis(50));
    };
    let read =
        |p: &Path| String::from_utf8_lossy(&std::fs::read(p).unwrap_or_default()).into_owned();
    let visit = Visit { dom: read(&dom), log: read(&log), net: read(&net) };
    assert!(status.success(), "chromium failed ({status}):\n{}", visit.log);
    assert!(visit.dom.contains("</html>"), "chromium dumped no DOM:\n{}", visit.log);
    visit
}

/// The inner markup of every `<svg …>…</svg>` element in `html` (an SVG nested in another
/// counts once, inside its parent).
fn svgs(html: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let mut rest = html;
    while let Some(at) = rest.find("<svg") {
        let open_end = at + rest[at..].find('>').unwrap() + 1;
        let close = open_end + rest[open_end..].find("</svg>").expect("an <svg> is closed");
        out.push(&rest[open_end..close]);
        rest = &rest[close + "</svg>".len()..];
    }
    out
}

/// The value of every `id="chart-…"` in `html`.
fn chart_ids(html: &str) -> Vec<&str> {
    html.match_indices("<figure class=\"chart\" id=\"")
        .map(|(at, m)| {
            let rest = &html[at + m.len()..];
            &rest[..rest.find('"').unwrap()]
        })
        .collect()
}

/// Every value of `attr="…"` in `html`.
fn attrs<'h>(html: &'h str, attr: &str) -> Vec<&'h str> {
    let key = format!(" {attr}=\"");
    html.match_indices(&key)
        .map(|(at, _)| {
            let rest = &html[at + key.len()..];
            &rest[..rest.find('"').unwrap()]
        })
        .collect()
}

/// The width and height of a PNG, from its header.
fn png_size(png: &[u8]) -> (u32, u32) {
    assert!(png.starts_with(b"\x89PNG\r\n\x1a\n"), "not a PNG");
    let be = |at: usize| u32::from_be_bytes(png[at..at + 4].try_into().unwrap());
    (be(16), be(20))
}

#[test]
fn run_html_korea_2024_in_a_headless_browser() {
    let Some(chromium) = chromium() else { return };
    let dir = tempfile::tempdir().unwrap();
    let page = dir.path().join("korea-2024.html");
    let out = statecraft(dir.path(), &["run", "--format", "html", "-o", "korea-2024.html"]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let html = std::fs::read_to_string(&page).unwrap();

    // Statically: nothing in the page refers outside it.
    assert!(!html.contains("<script"), "the page has a script");
    for attr in ["src", "href", "action", "srcset", "poster", "data", "xlink:href"] {
        for v in attrs(&html, attr) {
            assert!(v.starts_with('#'), "{attr}=\"{v}\" refers outside the page");
        }
    }

    let target = Path::new(env!("CARGO_TARGET_TMPDIR")).parent().unwrap().to_path_buf();
    let screenshot = target.join("report-korea-2024.png");
    let _ = std::fs::remove_file(&screenshot);
    let visit = visit(&chromium, &page, Some(&screenshot));

    assert_eq!(visit.console(), Vec::<&str>::new(), "console messages while loading the report");
    assert_eq!(visit.page_requests(), Vec::<&str>::new(), "the report made network requests");

    // Every chart of the page is in the rendered DOM, and every drawing has something in it.
    let charts = chart_ids(&html);
    assert_eq!(chart_ids(&visit.dom), charts, "charts lost in the browser");
    let drawings = svgs(&visit.dom);
    assert!(drawings.len() > charts.len(), "the probability scale and the charts are drawn");
    for (k, inner) in drawings.iter().enumerate() {
        assert!(
            inner.contains("<rect")
                || inner.contains("<path")
                || inner.contains("<line")
                || inner.contains("<circle")
                || inner.contains("<polyline")
                || inner.contains("<polygon")
                || inner.contains("<text"),
            "svg #{k} draws nothing: {inner}"
        );
    }
    for heading in [
        "The answer",
        "The scenario",
        "Competing hypotheses (ACH)",
        "Actors and structure (MACTOR, MICMAC)",
        "Where the issues settle (bargaining)",
        "Self-consistent futures (CIB)",
        "How likely, and which option is best (Bayesian network)",
        "What the players will do (games)",
        "Sources",
        "Notes",
    ] {
        assert!(visit.dom.contains(&format!("</span>{heading}</h2>")), "no section {heading}");
    }

    let png = std::fs::read(&screenshot).expect("a screenshot");
    assert_eq!(png_size(&png), (1280, 4000));
    eprintln!("screenshot of the korea-2024 report: {}", screenshot.display());
}

/// The detectors themselves: a page with an inline script that writes to the console and a
/// remote image, and no policy to stop them, is caught on both counts.
#[test]
fn browser_check_sees_console_messages_and_requests() {
    let Some(chromium) = chromium() else { return };
    let dir = tempfile::tempdir().unwrap();
    let page = dir.path().join("control.html");
    std::fs::write(
        &page,
        "<!DOCTYPE html><html><head><meta charset=\"utf-8\"><title>control</title></head><body>\
         <img src=\"https://statecraft.invalid/a.png\" alt=\"\">\
         <script>console.error(\"control message\")</script></body></html>",
    )
    .unwrap();
    let visit = visit(&chromium, &page, None);
    assert!(
        visit.console().iter().any(|l| l.contains("control message")),
        "the console message was not seen:\n{}",
        visit.log
    );
    assert!(
        visit.page_requests().iter().any(|l| l.contains("https://statecraft.invalid/a.png")),
        "the image request was not seen"
    );
}

/// A scenario whose texts hold markup, ampersands and quotes: the page shows them as text.
#[test]
fn run_html_escapes_hostile_text() {
    let dir = tempfile::tempdir().unwrap();
    let out = statecraft(dir.path(), &["new", "k.toml", "--from", "korea-2024", "--quiet"]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let text = std::fs::read_to_string(dir.path().join("k.toml")).unwrap();
    let evil = r#"<script>alert(\"x\")</script> & 'q' <img src=x onerror=alert(1)>"#;
    let title = text.lines().find(|l| l.starts_with("title = ")).unwrap();
    let name = text.lines().find(|l| l.starts_with("name = \"North Korea (DPRK)\"")).unwrap();
    let text = text.replacen(title, &format!("title = \"{evil}\""), 1).replacen(
        name,
        &format!("name = \"{evil}\""),
        1,
    );
    std::fs::write(dir.path().join("evil.toml"), text).unwrap();

    let out = statecraft(dir.path(), &["run", "evil.toml", "--format", "html", "--quiet"]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let html = String::from_utf8(out.stdout).unwrap();
    assert!(!html.contains("<script"), "a script got into the page");
    assert!(!html.contains("<img"), "an image got into the page");
    assert!(html.contains(
        "<h1>&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &#39;q&#39; &lt;img src=x onerror=alert(1)&gt;</h1>"
    ));
    for v in attrs(&html, "src").into_iter().chain(attrs(&html, "href")) {
        assert!(v.starts_with('#'), "a reference leaves the page: {v}");
    }
}

/// The script of [`frame`]: once the framed report has loaded, it lists in
/// `<pre id="overflow-report">` the report's viewport width (first line), then every element
/// that sticks out past its right edge (`beyond`), every element whose content is wider than
/// its box and scrolls or is clipped (`scrolls`), and every `<pre>` in a lens section (`pre`).
/// A table in a `div.wide` box may scroll in it; that is listed apart (`wide`), not as a fault.
const MEASURE: &str = r#"
addEventListener("load", function () {
  var d = document.getElementById("report").contentDocument;
  var w = d.documentElement.clientWidth, out = ["viewport " + w];
  d.querySelectorAll("body *").forEach(function (e) {
    var r = e.getBoundingClientRect(), s = getComputedStyle(e);
    var part = e.closest("section"), cls = e.getAttribute("class");
    var what = (part ? part.id + ": " : "") + e.tagName.toLowerCase() + (cls ? "." + cls.split(" ").join(".") : "");
    var boxed = e.parentElement && e.parentElement.closest("div.wide");
    if (r.right > w + 1 && !boxed) out.push("beyond " + what + " (right edge " + Math.round(r.right) + ", width " + Math.round(r.width) + ")");
    if (s.overflowX != "visible" && e.scrollWidth > e.clientWidth + 1)
      out.push((e.matches("div.wide") ? "wide " : "scrolls ") + what + " (" + e.scrollWidth + " in " + e.clientWidth + ")");
  });
  d.querySelectorAll("section[id^=lens-] pre").forEach(function (e) { out.push("pre in " + e.closest("section").id); });
  document.getElementById("overflow-report").textContent = out.join("\n");
});
"#;

/// A page that shows `report` in a frame `width` px wide, scrolled to the element `from` (the
/// part a screenshot should show), and measures it with [`MEASURE`].
///
/// Headless Chromium makes no window narrower than 500 px (at `--window-size=390,…` the page's
/// `clientWidth` is 500 and the screenshot is cut at 390), so the phone's viewport is a frame
/// of exactly that width. The report itself is left as written, Content-Security-Policy
/// included: the script is the frame's, which reads the report's DOM (both are files, which
/// `--allow-file-access-from-files` lets it do).
fn frame(report: &Path, from: &str, width: u32, height: u32) -> String {
    format!(
        "<!DOCTYPE html><html><head><meta charset=\"utf-8\"><title>layout</title>\
         <style>html, body {{ margin: 0; padding: 0; }} iframe {{ display: block; border: 0; \
         width: {width}px; height: {height}px; }}</style></head><body>\
         <iframe id=\"report\" src=\"{}#{from}\"></iframe><pre id=\"overflow-report\"></pre>\
         <script>{MEASURE}</script></body></html>",
        report.file_name().unwrap().to_string_lossy()
    )
}

/// The lines that [`MEASURE`] wrote for `report` in a frame `width` px wide, taking a
/// screenshot from its first lens section on to `screenshot` when given.
fn measure(chromium: &Path, report: &Path, width: u32, screenshot: Option<&Path>) -> Vec<String> {
    let height = 4000;
    let page = report.with_file_name(format!("frame-{width}.html"));
    std::fs::write(&page, frame(report, "lens-ach", width, height)).unwrap();
    let v = visit_with(
        chromium,
        &page,
        screenshot,
        (width, height),
        &["--allow-file-access-from-files"],
    );
    let start = v.dom.find("<pre id=\"overflow-report\">").expect("the frame's report") + 26;
    let end = start + v.dom[start..].find("</pre>").unwrap();
    let lines: Vec<String> = v.dom[start..end].lines().map(str::to_string).collect();
    assert_eq!(lines.first().map(String::as_str), Some(&*format!("viewport {width}")), "{lines:?}");
    lines
}

/// The faults among [`measure`]'s lines: everything but the viewport and the `wide` boxes.
fn faults(lines: &[String]) -> Vec<&str> {
    lines.iter().skip(1).map(String::as_str).filter(|l| !l.starts_with("wide ")).collect()
}

/// Issue 13: the korea-2024 report fits a desktop window and a phone: nothing sticks out past
/// the right edge, nothing scrolls sideways but a table of many columns in its own box, and
/// every lens section is HTML rather than preformatted terminal text.
#[test]
fn run_html_korea_2024_fits_a_desktop_and_a_phone() {
    let Some(chromium) = chromium() else { return };
    let dir = tempfile::tempdir().unwrap();
    let page = dir.path().join("korea-2024.html");
    let out = statecraft(dir.path(), &["run", "--format", "html", "-o", "korea-2024.html"]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let html = std::fs::read_to_string(&page).unwrap();
    for (at, _) in html.match_indices("<section class=\"part\" id=\"lens-") {
        let part = &html[at..at + html[at..].find("</section>").unwrap()];
        assert!(!part.contains("<pre"), "a lens section holds a <pre>: {}", &part[..80]);
    }

    let target = Path::new(env!("CARGO_TARGET_TMPDIR")).parent().unwrap().to_path_buf();
    for width in [1280, 390] {
        let screenshot = target.join(format!("report-korea-2024-{width}.png"));
        let _ = std::fs::remove_file(&screenshot);
        let lines = measure(&chromium, &page, width, Some(&screenshot));
        assert_eq!(faults(&lines), Vec::<&str>::new(), "the report at {width} px");
        for l in lines.iter().filter(|l| l.starts_with("wide ")) {
            eprintln!("at {width} px, scrolls sideways in its box: {l}");
        }
        let png = std::fs::read(&screenshot).expect("a screenshot");
        assert_eq!(png_size(&png).0, width);
        eprintln!("screenshot of the korea-2024 report at {width} px: {}", screenshot.display());
    }
}

/// The layout check itself: a lens section of preformatted text wider than the window, as the
/// report had before issue 13, is caught at both widths.
#[test]
fn layout_check_sees_a_wide_pre() {
    let Some(chromium) = chromium() else { return };
    let dir = tempfile::tempdir().unwrap();
    let page = dir.path().join("control.html");
    let wide = "rank  hypothesis  posterior  ".repeat(20);
    std::fs::write(
        &page,
        format!(
            "<!DOCTYPE html><html><head><meta charset=\"utf-8\"><title>control</title>\
             <style>pre {{ overflow-x: auto; }}</style></head><body>\
             <section class=\"part\" id=\"lens-ach\"><pre>{wide}</pre><p>{wide}</p>\
             <svg width=\"1400\" height=\"10\"></svg></section></body></html>"
        ),
    )
    .unwrap();
    for width in [1280, 390] {
        let lines = measure(&chromium, &page, width, None);
        let faults = faults(&lines);
        assert!(faults.iter().any(|l| l.starts_with("scrolls lens-ach: pre")), "{faults:?}");
        assert!(faults.iter().any(|l| l.starts_with("beyond lens-ach: svg")), "{faults:?}");
        assert!(faults.contains(&"pre in lens-ach"), "{faults:?}");
    }
}
