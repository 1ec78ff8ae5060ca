//! The CIB lens's chart: the self-consistent futures as bars of their succession weights, with
//! the Bayesian network's probability of each beside it when the answer has one (from the
//! lens's [`CibAnalysis`], through the findings its JSON is written from, and the answer's
//! [`FutureMass`]).

use analysis::answer::FutureMass;
use analysis::cib::CibAnalysis;

use super::{Chart, all_finite, argmax, fixed, percent};
use crate::svg::{self, ACCENT, Font, PRIMARY, Plot, Style, Svg, WIDTH};

/// One consistent future as the chart draws it: its variant of each descriptor, and how many
/// succession starts end there (when succession ran).
pub(super) struct Future {
    pub(super) variants: Vec<String>,
    pub(super) weight: Option<u64>,
}

/// The consistent futures by decreasing TIS (the order of the lens's JSON), and how many starts
/// the succession made.
pub(super) struct Futures {
    pub(super) list: Vec<Future>,
    pub(super) starts: Option<u64>,
}

/// The futures of an analysis.
pub(super) fn futures_of(a: &CibAnalysis) -> Futures {
    let f = crate::cib::CibFindings::of("", a);
    let list = f
        .ranked()
        .into_iter()
        .map(|z| Future { variants: f.names(&z.variants), weight: f.weight(&z.variants) })
        .collect();
    Futures { list, starts: a.succession.as_ref().map(|s| s.result.starts) }
}

/// What the chart shows of each future: its share of the succession starts (with the weights
/// and their denominator) and its Bayesian probability, each when known.
struct Bars {
    weights: Option<Vec<f64>>,
    denominator: Option<f64>,
    shares: Option<Vec<f64>>,
    probabilities: Option<Vec<f64>>,
}

impl Bars {
    fn of(f: &Futures, mass: Option<&FutureMass>) -> Bars {
        let list = &f.list;
        let weights: Option<Vec<f64>> = list.iter().map(|f| f.weight.map(|w| w as f64)).collect();
        let starts = f.starts.map(|s| s as f64).filter(|s| *s > 0.0);
        let total = weights.as_ref().map(|w| w.iter().sum::<f64>());
        let denominator = starts.or(total).filter(|d| *d > 0.0);
        let shares: Option<Vec<f64>> =
            weights.as_ref().zip(denominator).map(|(w, d)| w.iter().map(|x| x / d).collect());
        // The answer lists each future with its variants, in the engine's order; the lens lists
        // them by TIS. Match them by their variants: every future must be found.
        let probabilities: Option<Vec<f64>> = mass
            .filter(|m| m.futures.len() == m.probabilities.len() && all_finite(&m.probabilities))
            .and_then(|m| {
                list.iter()
                    .map(|f| {
                        let k = m.futures.iter().position(|v| *v == f.variants)?;
                        Some(m.probabilities[k])
                    })
                    .collect()
            });
        Bars { weights, denominator, shares, probabilities }
    }
}

/// The caption: the strongest attractor, and the most likely future with the mass the cross
/// impacts rule out.
fn caption(f: &Futures, b: &Bars, mass: Option<&FutureMass>) -> Option<String> {
    let list = &f.list;
    let n = list.len();
    let short = |k: usize| {
        let v = &list[k].variants;
        let head: Vec<&str> = v.iter().take(3).map(String::as_str).collect();
        let more = if v.len() > 3 { ", …" } else { "" };
        format!("future {} ({}{more})", k + 1, head.join(", "))
    };
    let mut caption = String::new();
    if let (Some(sh), Some(w)) = (&b.shares, &b.weights) {
        let k = argmax(sh)?;
        caption.push_str(&format!(
            "Of the {n} self-consistent futures, {} is the strongest attractor: {} of the succession starts end there ({} of {}).",
            short(k),
            percent(sh[k]),
            fixed(w[k], 0),
            fixed(b.denominator.unwrap_or(0.0), 0)
        ));
    } else {
        caption.push_str(&format!("The {n} self-consistent futures."));
    }
    if let Some(p) = &b.probabilities {
        let k = argmax(p)?;
        caption.push_str(&format!(
            " The Bayesian network finds {} the most likely ({})",
            short(k),
            percent(p[k])
        ));
        match mass.map(|m| m.inconsistent).filter(|x| x.is_finite()) {
            Some(rest) => caption.push_str(&format!(
                " and puts {} of its mass on combinations the cross impacts rule out.",
                percent(rest)
            )),
            None => caption.push('.'),
        }
    }
    Some(caption)
}

/// The chart, or `None` when there is no future or neither weights nor probabilities.
pub(super) fn futures(f: &Futures, mass: Option<&FutureMass>) -> Option<Chart> {
    let list = &f.list;
    if list.is_empty() {
        return None;
    }
    let n = list.len();
    let b = Bars::of(f, mass);
    if b.shares.is_none() && b.probabilities.is_none() {
        return None;
    }
    let caption = caption(f, &b, mass)?;
    let Bars { weights, shares, probabilities, .. } = b;

    let title = "Self-consistent futures (CIB) and how likely each is";
    let label_lines: Vec<Vec<String>> = list
        .iter()
        .enumerate()
        .map(|(k, f)| svg::wrap(&format!("{}. {}", k + 1, f.variants.join(" · ")), 74))
        .collect();
    // Basin shares and probabilities are different quantities, so each gets its own panel
    // with its own axis from zero, side by side, rather than one shared percentage axis.
    // Each panel: its values, colour, axis title, and whether it holds the basin shares.
    let panels: Vec<(&[f64], &str, &str, bool)> = [
        shares.as_deref().map(|v| (v, PRIMARY, "Share of the succession starts (%)", true)),
        probabilities.as_deref().map(|v| (v, ACCENT, "Bayesian probability (%)", false)),
    ]
    .into_iter()
    .flatten()
    .collect();
    let bar_h = 12.0;
    let top = 34.0;
    let heights: Vec<f64> =
        label_lines.iter().map(|l| 13.0 * l.len() as f64 + bar_h + 12.0).collect();
    let plot_h: f64 = heights.iter().sum();
    let height = top + plot_h + 48.0;
    let left = 16.0;
    // Room after each panel for the value written beside its longest bar.
    let (text_room, gap) = (70.0, 16.0);
    let np = panels.len() as f64;
    let panel_w = (WIDTH - left - 8.0 - np * text_room - (np - 1.0) * gap) / np;
    let plots: Vec<Plot> = panels
        .iter()
        .enumerate()
        .map(|(i, (values, ..))| {
            let hi = values.iter().copied().fold(0.0, f64::max);
            let xt = svg::ticks(0.0, hi.max(0.01) * 1.02, 4);
            let x0 = left + i as f64 * (panel_w + text_room + gap);
            Plot::new(x0, top, panel_w, plot_h, (0.0, xt[xt.len() - 1]), (0.0, 1.0))
        })
        .collect();
    let mut s = Svg::new("cib-futures", WIDTH, height, title, &caption);
    for ((values, _, axis_title, _), plot) in panels.iter().zip(&plots) {
        let hi = values.iter().copied().fold(0.0, f64::max);
        let xs: Vec<(f64, String)> = svg::ticks(0.0, hi.max(0.01) * 1.02, 4)
            .iter()
            .map(|&v| (v, fixed(v * 100.0, 1)))
            .collect();
        plot.axes(&mut s, &xs, &[], axis_title, "");
    }

    // The key above the plot.
    let mut x = left;
    if shares.is_some() {
        s.rect(x, 10.0, 14.0, 12.0, Style::fill(PRIMARY));
        let t = "share of the succession starts that end in the future (its weight)";
        s.text(x + 18.0, 20.0, t, Font::new(10.0));
        x += 18.0 + svg::text_width(t, 10.0) + 14.0;
    }
    if probabilities.is_some() {
        s.rect(x, 10.0, 14.0, 12.0, Style::fill(ACCENT));
        s.text(x + 18.0, 20.0, "Bayesian probability", Font::new(10.0));
    }

    let mut y = top;
    for k in 0..n {
        let lines = &label_lines[k];
        s.lines(left + 4.0, y + 12.0, 13.0, lines, Font::new(10.0).bold());
        let by = y + 13.0 * lines.len() as f64 + 4.0;
        for ((values, colour, _, is_share), plot) in panels.iter().zip(&plots) {
            let v = values[k];
            let wd = plot.x.at(v) - plot.left;
            let text = match (&weights, *is_share) {
                (Some(w), true) => {
                    s.group(&format!(
                        "future {}: weight {} ({})",
                        k + 1,
                        fixed(w[k], 0),
                        percent(v)
                    ));
                    format!("{} ({})", percent(v), fixed(w[k], 0))
                }
                _ => {
                    s.group(&format!("future {}: P = {}", k + 1, percent(v)));
                    percent(v)
                }
            };
            s.rect(plot.left, by, wd.max(0.5), bar_h - 2.0, Style::fill(colour));
            s.end_group();
            s.text(plot.left + wd + 4.0, by + 9.0, &text, Font::new(10.0));
        }
        y += heights[k];
        if k + 1 < n {
            s.line(left, y, WIDTH - 8.0, y, Style::stroke("#eeeeee", 1.0));
        }
    }
    Some(Chart {
        lens: "cib",
        id: "cib-futures".into(),
        title: title.into(),
        caption,
        svg: s.finish(),
    })
}
