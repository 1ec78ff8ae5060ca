//! Fuzzes the XMLBIF readers (`model::formats::xmlbif::read` and `read_diagram`): any bytes must be read into a value or refused with an error, never a panic,
//! an abort or an allocation the text cannot justify (issue 17). What is read is written back.
//!
//! Run with `cargo +nightly fuzz run xmlbif -- -max_total_time=600 -rss_limit_mb=2048` from the
//! repository root after `fuzz/seed.sh` (see `fuzz/README.md`).
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    use model::formats::bif::RowSums;
    use model::formats::xmlbif::{read, read_diagram, write};
    if let Ok(net) = read(text, RowSums::Normalise) {
        let _ = write(&net.name, &net.net);
    }
    let _ = read_diagram(text, RowSums::Normalise);
});
