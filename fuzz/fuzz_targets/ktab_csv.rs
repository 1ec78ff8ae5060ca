//! Fuzzes the KTAB spatial-model CSV reader (`model::formats::bargain_csv::read_ktab`): any bytes must be read into a value or refused with an error, never a panic,
//! an abort or an allocation the text cannot justify (issue 17). What is read is written back
//! where the format has a writer.
//!
//! Run with `cargo +nightly fuzz run ktab_csv -- -max_total_time=600 -rss_limit_mb=2048` from the
//! repository root after `fuzz/seed.sh` (see `fuzz/README.md`).
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    let _ = model::formats::bargain_csv::read_ktab(text);
});
