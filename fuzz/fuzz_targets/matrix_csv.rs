//! Fuzzes the matrix CSV readers (`model::formats::matrix_csv`: MID, 2MAO, MICMAC drivers; and the CIB matrix CSV of `model::formats::scw::read_cib_csv`): any bytes must be read into a value or refused with an error, never a panic,
//! an abort or an allocation the text cannot justify (issue 17). What is read is written back.
//!
//! Run with `cargo +nightly fuzz run matrix_csv -- -max_total_time=600 -rss_limit_mb=2048` from the
//! repository root after `fuzz/seed.sh` (see `fuzz/README.md`).
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    use model::formats::matrix_csv as m;
    if let Ok((names, mid)) = m::read_mid(text) {
        let _ = m::write_mid(&names, &mid);
    }
    if let Ok((actors, objectives, mao)) = m::read_mao(text) {
        let _ = m::write_mao(&actors, &objectives, &mao);
    }
    if let Ok((names, drivers)) = m::read_drivers(text) {
        let _ = m::write_drivers(&names, &drivers);
    }
    if let Ok(matrix) = model::formats::scw::read_cib_csv(text) {
        let _ = model::formats::scw::write_cib_csv(&matrix);
    }
});
