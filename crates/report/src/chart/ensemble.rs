//! The ensemble's charts: the histogram of the answer's probability of the headline over the
//! draws, with its 90 % interval marked, and how often each option of the focal decision is
//! best, from [`analysis::ensemble::Robustness`]: the whole ensemble of `statecraft ensemble`,
//! or the small one behind the answer of `statecraft run`.

use analysis::ensemble::{Distribution, Robustness};

use super::{Bars, Chart, Start, percent, slug};
use crate::svg::{self, Anchor, Font, INK, MUTED, PRIMARY, Plot, Style, Svg, WIDTH};

/// The histogram of the answer's probability of the headline: one bar per bin, its height the
/// number of draws in it, on a probability axis from 0 and a count axis from 0; dashed lines at
/// the 5th and 95th percentiles and a solid one at the median. `None` when a number is not
/// finite or there is no draw. `lens` places the chart in the report.
pub(super) fn histogram(e: &Robustness, lens: &'static str) -> Option<Chart> {
    let d = &e.headline;
    let draws: usize = d.histogram.iter().sum();
    let marks = [d.min, d.max, d.p05, d.p50, d.p95];
    if draws == 0 || d.histogram.is_empty() || marks.iter().any(|x| !x.is_finite()) {
        return None;
    }
    let what = format!("P({})", e.headline_state);
    let title = format!("How far the answer moves: {what} over {} draws", e.samples);
    let caption = histogram_caption(e, d);
    let height = 300.0;
    let xt = svg::ticks(0.0, d.max.max(d.min + f64::EPSILON), 5);
    let top = d.histogram.iter().copied().max().unwrap_or(1).max(1) as f64;
    let yt = svg::ticks(0.0, top, 4);
    let plot = Plot::new(
        64.0,
        24.0,
        WIDTH - 64.0 - 24.0,
        height - 24.0 - 48.0,
        (0.0, xt[xt.len() - 1]),
        (0.0, yt[yt.len() - 1]),
    );
    let mut s =
        Svg::new(&format!("ensemble-{}", slug(&e.headline_state)), WIDTH, height, &title, &caption);
    let xs: Vec<(f64, String)> = xt.iter().map(|&v| (v, percent(v))).collect();
    let ys: Vec<(f64, String)> = yt.iter().map(|&v| (v, format!("{v:.0}"))).collect();
    plot.axes(&mut s, &xs, &ys, &format!("{what}, the answer's probability"), "draws");
    let bins = d.histogram.len();
    let width = (d.max - d.min) / bins as f64;
    for (k, &count) in d.histogram.iter().enumerate() {
        if count == 0 {
            continue;
        }
        let (lo, hi) = if width > 0.0 {
            (d.min + width * k as f64, d.min + width * (k + 1) as f64)
        } else {
            (d.min, d.min)
        };
        let (x0, x1) = (plot.x.at(lo), plot.x.at(hi).max(plot.x.at(lo) + 1.0));
        let y = plot.y.at(count as f64);
        s.group(&format!("{} to {}: {count} draws", percent(lo), percent(hi)));
        s.rect(x0, y, x1 - x0, plot.bottom() - y, Style::fill(PRIMARY).outlined("#ffffff", 0.5));
        s.end_group();
    }
    for (v, label, dash) in [(d.p05, "5 %", "4 3"), (d.p50, "median", ""), (d.p95, "95 %", "4 3")] {
        let x = plot.x.at(v);
        s.line(x, plot.top, x, plot.bottom(), Style::stroke(INK, 1.5).dashed(dash));
        s.text(x, plot.top - 6.0, label, Font::new(10.0).anchor(Anchor::Middle).colour(MUTED));
    }
    Some(Chart {
        lens,
        id: format!("ensemble-{}", slug(&e.headline_state)),
        title,
        caption,
        svg: s.finish(),
    })
}

/// What to read from the histogram: the 90 % interval, the median, and how often the option
/// best as stated stays best.
fn histogram_caption(e: &Robustness, d: &Distribution) -> String {
    let stays = e.stays_best();
    format!(
        "In 90 % of the {} draws of the judgments the answer's probability of {} lies between {} and {} (median {}). {} is best as stated and stays best in {} of the draws; each draw takes the best option of that draw, so the histogram mixes options when the best one changes.",
        e.samples,
        e.headline_state,
        percent(d.p05),
        percent(d.p95),
        percent(d.p50),
        e.stated_best,
        percent(stays)
    )
}

/// How often each option of the focal decision is best over the draws: one bar per option,
/// from 0, on a 0–100 % axis. `None` without options or with a share that is not finite.
/// `lens` places the chart in the report.
pub(super) fn best_options(e: &Robustness, lens: &'static str) -> Option<Chart> {
    if e.best.is_empty() || e.best.iter().any(|(_, share)| !share.is_finite()) {
        return None;
    }
    let labels: Vec<String> = e
        .best
        .iter()
        .map(|(o, _)| if *o == e.stated_best { format!("{o} (best as stated)") } else { o.clone() })
        .collect();
    let values: Vec<f64> = e.best.iter().map(|(_, share)| *share).collect();
    let texts = values.iter().map(|&v| percent(v)).collect();
    let colours =
        e.best.iter().map(|(o, _)| if *o == e.stated_best { PRIMARY } else { MUTED }).collect();
    let top = e.best.iter().max_by(|a, b| a.1.total_cmp(&b.1)).cloned()?;
    let caption = format!(
        "How often each option of `{}` has the highest expected utility over the {} draws; {} is best most often ({}).",
        e.decision,
        e.samples,
        top.0,
        percent(top.1)
    );
    Some(
        Bars {
            lens,
            id: format!("ensemble-best-{}", slug(&e.decision)),
            title: format!("How often each option of `{}` is best", e.decision),
            caption,
            labels,
            values,
            texts,
            colours,
            x_title: "share of draws in which the option is best",
            tick: percent,
            start: Start::Zero,
        }
        .draw(),
    )
}
