//! Fuzzes the scenario loader: any bytes must give a loaded scenario or diagnostics, never a
//! panic, and every diagnostic's spans must lie inside the text.
//!
//! Run with `cargo +nightly fuzz run load_scenario -- -max_total_time=600` from the repository
//! root; seeds come from `scenarios/` and `tests/fixtures/bad/` (see `fuzz/README.md`).
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    match model::load::load_bytes("fuzz.toml", data, None) {
        Ok(loaded) => {
            let _ = model::figures::compute(&loaded.scenario);
        }
        Err(diagnostics) => {
            let len = diagnostics.source.text.len();
            for d in &diagnostics.items {
                for (span, _) in d.primary.iter().chain(&d.related) {
                    assert!(span.start <= span.end && span.end <= len, "span {span:?} outside {len} bytes");
                }
            }
            let _ = diagnostics.to_json();
        }
    }
});
