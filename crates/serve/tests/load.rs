//! A bounded load test of the workbench on loopback (issue 16): first one client alone sends
//! `SOLO` recompute requests on korea-2024 (the latency of one recompute and render), then
//! `CLIENTS` clients at once send `REQUESTS` each. Every request changes the prior of US
//! policy (a root of the network) to a value of its own, so each one is a full
//! `analysis::analyse` and render of the edited scenario. Prints p50, p99 and throughput;
//! every request must be answered with a recomputed page, or counted as 408 (past the time
//! limit) or 503 (shed, the queue full). It stops by itself after `DEADLINE` (30 minutes) even
//! if not every request was sent, and says so.
//!
//! A benchmark, not a test of a time: ignored by default. Run it optimised:
//!
//! ```sh
//! cargo test --release -p serve --test load -- --ignored --nocapture
//! ```

// A test binary: a failed unwrap is a failed test, with its message.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::time::{Duration, Instant};

use common::{Client, korea_copy, start};

const SOLO: usize = 50;
const CLIENTS: usize = 50;
const REQUESTS: usize = 200;
const DEADLINE: Duration = Duration::from_secs(30 * 60);

/// The `q`-quantile of sorted durations, in milliseconds.
fn quantile(sorted: &[Duration], q: f64) -> f64 {
    if sorted.is_empty() {
        return f64::NAN;
    }
    #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss, clippy::cast_precision_loss)]
    let k = ((sorted.len() - 1) as f64 * q).round() as usize;
    sorted[k].as_secs_f64() * 1000.0
}

fn report(what: &str, answered: Vec<(Duration, u16)>, wall: Duration) {
    let late = answered.iter().filter(|(_, s)| *s == 408).count();
    let shed = answered.iter().filter(|(_, s)| *s == 503).count();
    let mut times: Vec<Duration> = answered.into_iter().map(|(t, _)| t).collect();
    times.sort_unstable();
    #[allow(clippy::cast_precision_loss)]
    let rate = times.len() as f64 / wall.as_secs_f64();
    println!(
        "{what}: {} requests in {:.1} s: p50 {:.1} ms, p99 {:.1} ms, {rate:.1} requests/s, {late} answered 408, {shed} answered 503",
        times.len(),
        wall.as_secs_f64(),
        quantile(&times, 0.5),
        quantile(&times, 0.99)
    );
}

#[test]
#[ignore = "a benchmark of several minutes; run with --release -- --ignored --nocapture"]
fn fifty_clients_recompute_korea() {
    let dir = tempfile::tempdir().unwrap();
    let addr = start(vec![korea_copy(dir.path())], dir.path().to_path_buf(), None);
    let started = Instant::now();
    // Each client opens the page once (its session, CSRF token, version and cell), then
    // only recomputes. Each request's time and status: a request the server answered 408
    // (past its time limit) or 503 (queue full; the client then waits as asked) is counted
    // and reported, not a failure of the benchmark.
    let open = |client: &mut Client| -> (String, String, String, String) {
        let page = client.get("/s/korea-2024");
        let cell = page.cell_named(
            "US policy after the November 2024 election (us_policy) — prior: Continuity",
        );
        let cell = cell.unwrap_or_else(|| panic!("the page (status {})", page.status));
        let was: f64 = page.field(&cell).unwrap().parse().unwrap();
        let was = format!("{was:.4}");
        (cell, page.field("csrf").unwrap(), page.field("base").unwrap(), was)
    };
    let one = |client: &mut Client, form: &(String, String, String, String), n: usize| {
        let (cell, csrf, base, was) = form;
        // A value of its own for each request, between 0.2000 and 0.5999, and never the value
        // the file has (that would change nothing, and nothing would be recomputed).
        let mut value = format!("0.{:04}", 2000 + n % 4000);
        if value == *was {
            value = "0.6000".to_owned();
        }
        let t = Instant::now();
        let r = client.post("/s/korea-2024", &format!("csrf={csrf}&base={base}&{cell}={value}"));
        let took = t.elapsed();
        assert!(
            matches!(r.status, 200 | 408 | 503),
            "{}",
            r.body.chars().take(300).collect::<String>()
        );
        assert!(r.status != 200 || r.body.contains("id=\"moved\""), "a recomputed page");
        if r.status == 503 {
            // Shed: the queue was full. Wait as asked before the next request.
            std::thread::sleep(serve::RETRY_AFTER);
        }
        (took, r.status)
    };

    let mut solo = Client::new(&addr);
    let form = open(&mut solo);
    let t = Instant::now();
    let times: Vec<(Duration, u16)> = (1..=SOLO).map(|n| one(&mut solo, &form, n)).collect();
    report("one client", times, t.elapsed());

    let t = Instant::now();
    let handles: Vec<_> = (0..CLIENTS)
        .map(|c| {
            let addr = addr.clone();
            std::thread::spawn(move || {
                let mut client = Client::new(&addr);
                let form = open(&mut client);
                let mut times = Vec::with_capacity(REQUESTS);
                for i in 0..REQUESTS {
                    if started.elapsed() > DEADLINE {
                        break;
                    }
                    times.push(one(&mut client, &form, c * REQUESTS + i));
                }
                times
            })
        })
        .collect();
    let times: Vec<(Duration, u16)> = handles.into_iter().flat_map(|h| h.join().unwrap()).collect();
    let sent = times.len();
    report(&format!("{CLIENTS} clients"), times, t.elapsed());
    if sent < CLIENTS * REQUESTS {
        println!("stopped at the deadline: {sent} of {} requests sent", CLIENTS * REQUESTS);
    }
}
