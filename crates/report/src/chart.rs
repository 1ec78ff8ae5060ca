//! The charts of the HTML report, drawn as inline SVG from the typed results of one
//! [`Analysis`], so that a renamed or retyped field fails to compile instead of silently dropping
//! a chart.
//!
//! [`for_run`] returns one [`Chart`] per drawing the analysis supports, in the order of the
//! report: ACH (the rating matrix as a heat map, the hypotheses' scores), actors (the MICMAC and
//! MACTOR influence–dependence maps, the balance of power, the convergence graph), bargaining
//! (one position-path chart per issue), CIB (the consistent futures with their weights and
//! Bayesian probabilities), Bayes (the options' expected utilities, the tornado, EVPI). Each
//! lens's drawings live in a submodule of the same name and take that lens's typed result (or a
//! small view of it, such as [`crate::actors::MactorView`] or [`crate::bayes::BayesReport`],
//! which the lens's JSON is written from too); the primitives are in [`crate::svg`].
//!
//! A chart whose data is missing, empty or inconsistent (lists of different lengths, a number
//! that is not finite) is left out, never drawn empty, and never panics: every chart returns
//! `Option` and gives up on the first thing it cannot draw. Captions say what to read in plain
//! words; each is written by its own function from the same numbers the drawing uses, apart
//! from the SVG layout. Nothing here computes analysis beyond picking the largest or smallest of
//! a list and sorting for display. The drawings are deterministic: fixed order, numbers with
//! fixed precision.

use analysis::{Analysis, Outcome};

mod ach;
mod actors;
mod bargain;
mod bayes;
mod cib;
mod ensemble;
#[cfg(test)]
mod tests;

/// One chart of the report: an SVG drawing with its title and the caption that says what to
/// read from it.
#[derive(Debug, Clone, PartialEq)]
pub struct Chart {
    /// The lens it belongs to, as in the JSON `lenses` object (`ach`, `actors`, `bargain`,
    /// `bayes`, `cib`, `games`), `ensemble` for the charts of `statecraft ensemble`, or
    /// `answer` for the answer's robustness in the report of `statecraft run`.
    pub lens: &'static str,
    /// A stable id, unique in the report, usable as an HTML id (such as `micmac-map`).
    pub id: String,
    /// The title shown above the chart.
    pub title: String,
    /// What to read from the chart, in a sentence or two.
    pub caption: String,
    /// The drawing: one `<svg>` element with a `viewBox`, no script and no external reference.
    pub svg: String,
}

/// Every chart the analysis supports, in the order of the report. A lens that did not run, or
/// failed, has no chart.
pub fn for_run(a: &Analysis) -> Vec<Chart> {
    let mut charts = Vec::new();
    if let Some(x) = ok(&a.ach) {
        charts.extend(ach::matrix(x, &a.scenario));
        charts.extend(ach::scores(x, &a.scenario));
    }
    if let Some(x) = ok(&a.actors) {
        let (mactor, micmac) = crate::actors::views(x);
        charts.extend(micmac.as_ref().and_then(actors::micmac_map));
        if let Some(m) = &mactor {
            charts.extend(actors::mactor_map(m));
            charts.extend(actors::balance(m));
            charts.extend(actors::convergence(m));
        }
    }
    if let Some(x) = ok(&a.bargain) {
        charts.extend(bargain::paths(&x.study, &x.eum, &a.scenario));
    }
    if let Some(x) = ok(&a.cib) {
        charts.extend(cib::futures(&cib::futures_of(&x.analysis), a.answer.futures.as_ref()));
    }
    if let Some(x) = ok(&a.bayes) {
        let r = crate::bayes::BayesReport::of(&x.analysis);
        charts.extend(bayes::options(&r));
        charts.extend(bayes::tornado(&r));
        charts.extend(bayes::evpi(&r));
    }
    // The answer's robustness, placed under the answer.
    if let Some(r) = &a.answer.robustness {
        charts.extend(ensemble::histogram(r, "answer"));
        charts.extend(ensemble::best_options(r, "answer"));
    }
    unique_ids(&mut charts);
    charts
}

/// The charts of `statecraft ensemble`: the histogram of the answer's probability of the
/// headline over the draws, and how often each option of the focal decision is best.
pub fn for_ensemble(e: &analysis::ensemble::Ensemble) -> Vec<Chart> {
    let r = analysis::ensemble::Robustness::of(e);
    let mut charts: Vec<Chart> =
        [ensemble::histogram(&r, "ensemble"), ensemble::best_options(&r, "ensemble")]
            .into_iter()
            .flatten()
            .collect();
    unique_ids(&mut charts);
    charts
}

/// A lens's result, when it ran and succeeded.
fn ok<T>(outcome: &Outcome<T>) -> Option<&T> {
    outcome.as_ref().and_then(|r| r.as_ref().ok())
}

/// Ids come partly from the scenario's own ids; makes sure no two charts share one.
fn unique_ids(charts: &mut [Chart]) {
    let mut seen = std::collections::BTreeSet::new();
    for c in charts {
        let base = c.id.clone();
        let mut k = 2;
        while !seen.insert(c.id.clone()) {
            c.id = format!("{base}-{k}");
            k += 1;
        }
    }
}

/// Whether every number of a list is finite.
fn all_finite(v: &[f64]) -> bool {
    v.iter().all(|x| x.is_finite())
}

/// A square `n` × `n` matrix of finite numbers, or `None`.
fn square(m: &[Vec<f64>], n: usize) -> Option<&[Vec<f64>]> {
    (m.len() == n && m.iter().all(|r| r.len() == n && all_finite(r))).then_some(m)
}

/// A probability in words for a caption: `51 %`, `2.9 %`, `0.02 %`.
fn percent(p: f64) -> String {
    let x = p * 100.0;
    if x == 0.0 {
        "0 %".into()
    } else if x.abs() >= 9.95 {
        format!("{x:.0} %")
    } else if x.abs() >= 0.995 {
        format!("{x:.1} %")
    } else {
        format!("{x:.2} %")
    }
}

/// A number for a caption or a label, with `decimals` decimals (trailing zeros dropped).
fn fixed(x: f64, decimals: usize) -> String {
    let s = format!("{x:.decimals$}");
    let s = if s.contains('.') { s.trim_end_matches('0').trim_end_matches('.') } else { &s };
    if s == "-0" { "0".into() } else { s.to_owned() }
}

/// Names joined as in a sentence: `a`, `a and b`, `a, b and c`.
fn and_list(names: &[&str]) -> String {
    match names {
        [] => String::new(),
        [one] => (*one).to_owned(),
        [rest @ .., last] => format!("{} and {last}", rest.join(", ")),
    }
}

/// A fragment usable in an HTML id: letters, digits, `-` and `_`, anything else as `-`.
fn slug(s: &str) -> String {
    let out: String =
        s.chars().map(|c| if c.is_ascii_alphanumeric() || c == '_' { c } else { '-' }).collect();
    if out.is_empty() { "x".into() } else { out }
}

/// The index of the largest value (the first of ties), if any.
fn argmax(v: &[f64]) -> Option<usize> {
    (0..v.len()).fold(None, |best, i| match best {
        Some(b) if v[b] >= v[i] => Some(b),
        _ => Some(i),
    })
}

/// The index of the smallest value (the first of ties), if any.
fn argmin(v: &[f64]) -> Option<usize> {
    (0..v.len()).fold(None, |best, i| match best {
        Some(b) if v[b] <= v[i] => Some(b),
        _ => Some(i),
    })
}

/// The mean of a non-empty list.
fn mean(v: &[f64]) -> f64 {
    v.iter().sum::<f64>() / v.len().max(1) as f64
}

/// A horizontal bar chart: one labelled bar per row, from 0, in the given order (or, for an
/// interval scale, one dot per row: [`Start::Dots`]).
struct Bars<'a> {
    lens: &'static str,
    id: String,
    title: String,
    caption: String,
    /// The label of each row.
    labels: Vec<String>,
    /// The length of each bar (≥ 0 is expected; a negative bar is drawn leftwards of 0).
    values: Vec<f64>,
    /// The text written after each bar.
    texts: Vec<String>,
    /// The colour of each bar.
    colours: Vec<&'a str>,
    /// The axis title, with its unit.
    x_title: &'a str,
    /// How a tick value is written.
    tick: fn(f64) -> String,
    /// Where the bars start.
    start: Start,
}

/// Where the bars of a [`Bars`] chart start.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Start {
    /// At 0, for quantities whose zero means none (probabilities, EVPI).
    Zero,
    /// No bar: a dot at each value on an axis fitted to the values, for quantities on an
    /// interval scale whose zero means nothing (expected utilities). A bar from the axis's
    /// arbitrary left end would make a length of no meaning look like a ratio (a 3.8-point
    /// gap between −38.7 and −42.5 drawn as a bar three times another), so only positions
    /// are drawn, and differences read as distances.
    Dots,
}

impl Bars<'_> {
    fn draw(self) -> Chart {
        use crate::svg::{Anchor, Font, INK, Plot, Style, Svg, WIDTH};
        let labels: Vec<Vec<String>> =
            self.labels.iter().map(|l| crate::svg::wrap(l, 36)).collect();
        let label_w = labels
            .iter()
            .flatten()
            .map(|l| crate::svg::text_width(l, 11.0))
            .fold(0.0, f64::max)
            .min(230.0)
            + 14.0;
        let rows: Vec<f64> = labels.iter().map(|l| 16.0 + 13.0 * l.len().max(1) as f64).collect();
        let plot_h: f64 = rows.iter().sum();
        let height = 10.0 + plot_h + 48.0;
        let (lo, hi) = match self.start {
            Start::Zero => (
                self.values.iter().copied().fold(0.0, f64::min),
                self.values.iter().copied().fold(0.0, f64::max),
            ),
            Start::Dots => {
                let lo = self.values.iter().copied().fold(f64::INFINITY, f64::min);
                let hi = self.values.iter().copied().fold(f64::NEG_INFINITY, f64::max);
                let pad = if hi > lo { (hi - lo) * 0.25 } else { 1.0 };
                (lo - pad, hi + pad * 0.2)
            }
        };
        let xt = crate::svg::ticks(lo, if hi > lo { hi } else { lo + 1.0 }, 5);
        let text_room =
            self.texts.iter().map(|t| crate::svg::text_width(t, 10.0)).fold(0.0, f64::max) + 12.0;
        let right = WIDTH - text_room.clamp(24.0, 180.0);
        let plot = Plot::new(
            label_w,
            10.0,
            right - label_w,
            plot_h,
            (xt[0], xt[xt.len() - 1]),
            (0.0, 1.0),
        );
        let mut s = Svg::new(&self.id, WIDTH, height, &self.title, &self.caption);
        let xs: Vec<(f64, String)> = xt.iter().map(|&v| (v, (self.tick)(v))).collect();
        plot.axes(&mut s, &xs, &[], self.x_title, "");
        let zero = plot.x.at(0.0);
        let mut y = plot.top;
        for k in 0..self.values.len() {
            let h = rows[k];
            let lines = &labels[k];
            let first = y + h / 2.0 + 4.0 - 6.5 * (lines.len() as f64 - 1.0);
            s.lines(label_w - 8.0, first, 13.0, lines, Font::new(11.0).anchor(Anchor::End));
            let end = plot.x.at(self.values[k]);
            s.group(&format!("{}: {}", self.labels[k], self.texts[k]));
            let text_at = match self.start {
                Start::Zero => {
                    s.rect(zero, y + 6.0, end - zero, h - 12.0, Style::fill(self.colours[k]));
                    end.max(zero) + 4.0
                }
                Start::Dots => {
                    let mid = y + h / 2.0;
                    s.line(plot.left, mid, plot.right(), mid, Style::stroke("#eeeeee", 1.0));
                    s.circle(end, mid, 5.0, Style::fill(self.colours[k]));
                    end + 9.0
                }
            };
            s.end_group();
            s.text(text_at, y + h / 2.0 + 4.0, &self.texts[k], Font::new(10.0));
            y += h;
        }
        if lo < 0.0 && self.start == Start::Zero {
            s.line(zero, plot.top, zero, plot.bottom(), Style::stroke(INK, 1.0));
        }
        Chart {
            lens: self.lens,
            id: self.id,
            title: self.title,
            caption: self.caption,
            svg: s.finish(),
        }
    }
}
