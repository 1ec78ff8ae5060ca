//! Rendering of the bargaining lens: per issue, where it settles under the chosen model with
//! the weighted-mean baseline beside it, each actor's path, and the perturbation fan.
//!
//! The `analysis` crate runs the models and hands the outcomes here as a [`BargainResult`];
//! [`render`] writes the terminal tables, [`to_json`] the JSON body, [`section`] the short
//! section of `statecraft run` and [`history`] the position history file. Nothing here computes analysis: means, medians and paths are the engines'.
//!
//! # JSON schema
//! `statecraft bargain --format json` writes the shared envelope with `"lens": "bargain"` and
//! this body as `result` (schema version 1; fields are only ever added):
//! ```json
//! {
//!   "model": "eum",
//!   "options": "win probability global, offers scholz, capitulation scholz-code, Q 1, T 1, at most 10 rounds",
//!   "actors": [{"id": "Netherlands", "name": "Netherlands"}],
//!   "issues": [
//!     {
//!       "id": "Position",
//!       "name": "Position",
//!       "baseline": {"mean": 7.389955687, "median": 7.0},
//!       "forecast": {"mean": 7.242130958, "median": 7.0},
//!       "steps": 10,
//!       "stop": "round cap",
//!       "oscillating": ["Belgium"],
//!       "error": null,
//!       "paths": [{"actor": "Netherlands", "positions": [4.0, 4.0]}],
//!       "fan": {"unperturbed": 7.24, "min": 6.9, "p10": 7.0, "p25": 7.1, "p50": 7.2,
//!               "p75": 7.3, "p90": 7.4, "max": 7.6},
//!       "verdict": {"point": null, "spread": 0.33, "cycle": null,
//!                   "by_limit": [{"rounds": 8, "mean": 7.572447098}]}
//!     }
//!   ],
//!   "own_choices": [],
//!   "detail": [{"issue": 0, "initial_positions": [4.0], "initial_mean": 7.389955687,
//!               "initial_median": 7.0, "rounds": [...], "oscillating": [1],
//!               "termination": {"kind": "round-cap"}}]
//! }
//! ```
//! - `model`: `baseline`, `eum` or `smp`; `options`: the model's settings in words.
//! - `issues[].baseline`: the capability × salience weighted mean and median of the initial
//!   positions (`null` when nobody cares); `forecast`: the same of the final positions.
//! - `steps`: rounds (eum) or turns (smp) run, 0 for the baseline; `stop`: why the run
//!   stopped; `oscillating`: ids of actors whose direction reversed at least twice (eum).
//! - `error`: why the model gave no forecast on this issue (then `forecast` is `null`).
//! - `paths`: each involved actor's position at the start and after every step.
//! - `fan`: the perturbation fan (`null` without `--perturb`).
//! - `verdict` (eum only, else `null`): whether the result is a point forecast. `by_limit`: the
//!   final weighted mean under each round limit from two below to two above the one asked for;
//!   `spread`: their range; `cycle`: the cycle the run ended in, `null` if its positions do
//!   not repeat (as in this sample), else `{"period", "mean_min", "mean_max", "median_min",
//!   "median_max"}` (`engines::bargain::eum::Cycle`: period in rounds, ranges over one turn); `point`: the forecast, `null` unless the run settled and `spread` is at most 1 %
//!   of the scale (docs/bargain.md, "Point forecast or none").
//! - `own_choices`: the scenario's issues that one actor decides alone (`decided_by`), which are
//!   not bargained: `{"issue", "actor", "position"}` (ids, and the actor's stated position).
//! - `detail`: the engine's own outcome: a list of per-issue expected-utility outcomes
//!   (`engines::bargain::eum::EumOutcome`, whose `rounds` are left out of the sample; its
//!   `oscillating` counts actors by index), one spatial-model outcome
//!   (`engines::bargain::smp::SmpOutcome`), or `null` for the baseline.

use analysis::bargain::{ALL_ISSUES, BargainResult, Run, Verdict};
use engines::bargain::eum::Termination;
use engines::bargain::smp::SmpTermination;
use engines::budget::Limit;
use model::lens::bargain::BargainStudy;
use serde_json::{Value, json};

use crate::doc::Doc;
use crate::table::{Align, Table};

/// One issue's forecast, as shown (and as the bargaining charts draw it).
pub(crate) struct Row {
    pub(crate) mean: Option<f64>,
    pub(crate) median: Option<f64>,
    steps: usize,
    stop: String,
    pub(crate) oscillating: Vec<usize>,
    pub(crate) error: Option<String>,
    /// (actor index in the study, positions from the start).
    pub(crate) paths: Vec<(usize, Vec<f64>)>,
}

fn model_name(r: &BargainResult) -> &'static str {
    match r.run {
        Run::Baseline => "baseline",
        Run::Eum(_) => "eum",
        Run::Smp(_) => "smp",
    }
}

/// What stopped issue `d`'s run before its end, when the budget did (the analysis names an eum
/// run by its issue id and the joint smp run [`ALL_ISSUES`]).
fn cut_short(r: &BargainResult, study: &BargainStudy, d: usize) -> Option<String> {
    let id = study.issue_ids.get(d)?;
    let (_, s) = r.stopped.iter().find(|(i, _)| i == id || i == ALL_ISSUES)?;
    Some(match s.limit {
        Limit::Time => "time limit".into(),
        Limit::Nodes => "step limit".into(),
    })
}

/// One row per issue of the study.
pub(crate) fn rows(r: &BargainResult, study: &BargainStudy) -> Vec<Row> {
    (0..study.issues.len())
        .map(|d| {
            let members = &study.per_issue[d].actors;
            let cut = cut_short(r, study, d);
            match &r.run {
                Run::Baseline => Row {
                    mean: r.baseline[d].mean,
                    median: r.baseline[d].median,
                    steps: 0,
                    stop: "initial positions".into(),
                    oscillating: Vec::new(),
                    error: None,
                    paths: members
                        .iter()
                        .enumerate()
                        .map(|(k, &a)| (a, vec![study.per_issue[d].input.issue(0).position[k]]))
                        .collect(),
                },
                Run::Eum(outcomes) => match &outcomes[d] {
                    Ok(o) => Row {
                        mean: Some(o.rounds.last().map_or(o.initial_mean, |r| r.mean)),
                        median: Some(o.rounds.last().map_or(o.initial_median, |r| r.median)),
                        steps: o.rounds.len(),
                        stop: cut.unwrap_or_else(|| match o.termination {
                            Termination::Consensus => "consensus".into(),
                            Termination::Settled { round } => {
                                format!("settled in round {round}")
                            }
                            Termination::RoundCap => "round cap".into(),
                        }),
                        oscillating: o.oscillating.iter().map(|&k| members[k]).collect(),
                        error: None,
                        paths: members
                            .iter()
                            .enumerate()
                            .map(|(k, &a)| {
                                let mut p = vec![o.initial_positions[k]];
                                p.extend(o.rounds.iter().map(|r| r.positions[k]));
                                (a, p)
                            })
                            .collect(),
                    },
                    Err(e) => Row {
                        mean: None,
                        median: None,
                        steps: 0,
                        stop: "no forecast".into(),
                        oscillating: Vec::new(),
                        error: Some(e.to_string()),
                        paths: Vec::new(),
                    },
                },
                Run::Smp(o) => Row {
                    mean: o.turns.last().map_or(o.initial_mean[d], |t| t.mean[d]),
                    median: o.turns.last().map_or(o.initial_median[d], |t| t.median[d]),
                    steps: o.turns.len(),
                    stop: cut.unwrap_or_else(|| match o.termination {
                        SmpTermination::Settled { turn } => {
                            format!("settled after turn {turn}")
                        }
                        SmpTermination::TurnCap => "turn cap".into(),
                    }),
                    oscillating: Vec::new(),
                    error: None,
                    paths: members
                        .iter()
                        .map(|&a| {
                            let mut p = vec![o.initial_positions[a][d]];
                            p.extend(o.turns.iter().map(|t| t.positions[a][d]));
                            (a, p)
                        })
                        .collect(),
                },
            }
        })
        .collect()
}

fn num(v: Option<f64>) -> String {
    v.map_or_else(|| "-".to_string(), |v| format!("{v:.2}"))
}

fn summary_table(study: &BargainStudy, result: &BargainResult, rows: &[Row]) -> Table {
    let mut t = Table::new([
        "issue",
        "baseline mean",
        "median",
        "final mean",
        "median",
        "steps",
        "stop",
        "point forecast",
    ])
    .caption(format!(
        "Where each issue settles under the {} model (0–100), beside the baseline",
        model_name(result)
    ));
    for c in 1..=5 {
        t = t.align(c, Align::Right);
    }
    for (d, r) in rows.iter().enumerate() {
        let mut stop = r.stop.clone();
        if !r.oscillating.is_empty() {
            let who: Vec<&str> = r.oscillating.iter().map(|&a| study.actors[a].as_str()).collect();
            stop.push_str(&format!(", oscillating: {}", who.join(", ")));
        }
        if let Some(e) = &r.error {
            stop.push_str(&format!(" ({e})"));
        }
        let point = match result.verdicts.get(d) {
            Some(Some(v)) => v.point.map_or_else(|| "none".to_string(), |p| format!("{p:.2}")),
            // Only the expected utility model has a verdict; the others' final mean stands.
            _ => "-".to_string(),
        };
        t.row([
            study.issues[d].clone(),
            num(result.baseline[d].mean),
            num(result.baseline[d].median),
            num(r.mean),
            num(r.median),
            r.steps.to_string(),
            stop,
            point,
        ]);
    }
    t
}

/// Why an issue has no point forecast, in a sentence: the cycle's range, if the run ended in
/// one, and the final mean under each neighbouring round limit; `None` when it has one.
fn no_point(v: &Verdict) -> Option<String> {
    if v.point.is_some() {
        return None;
    }
    let mut text = String::from("no point forecast");
    if let Some(c) = v.cycle {
        text.push_str(&format!(
            "; the run ends in a {}-round cycle, weighted mean {:.2}–{:.2}",
            c.period, c.mean_min, c.mean_max
        ));
    }
    let limits: Vec<String> = v.by_limit.iter().map(|(k, m)| format!("{m:.2} ({k})")).collect();
    text.push_str(&format!(
        "; final mean by round limit: {} (spread {:.2})",
        limits.join(", "),
        v.spread
    ));
    Some(text)
}

/// One line per issue without a point forecast, and one per issue that one actor decides alone.
fn verdict_lines(study: &BargainStudy, result: &BargainResult) -> Vec<(String, String)> {
    let mut lines: Vec<(String, String)> = result
        .verdicts
        .iter()
        .enumerate()
        .filter_map(|(d, v)| Some((study.issues[d].clone(), no_point(v.as_ref()?)?)))
        .collect();
    lines.extend(study.own_choices.iter().map(|c| {
        (
            c.issue.clone(),
            format!(
                "not bargained: {} decides it alone (stated position {:.2})",
                c.actor, c.position
            ),
        )
    }));
    lines
}

/// The terminal report: the summary table, each issue's actor paths, and the fan.
pub fn render(study: &BargainStudy, result: &BargainResult) -> String {
    let rows = rows(result, study);
    let mut out = format!(
        "bargaining, model {} ({}){}\n\n",
        model_name(result),
        result.options,
        study.title.as_ref().map_or(String::new(), |t| format!(": {t}"))
    );
    out.push_str(&summary_table(study, result, &rows).render());
    for (issue, line) in verdict_lines(study, result) {
        out.push_str(&format!("{issue}: {line}\n"));
    }
    if !matches!(result.run, Run::Baseline) {
        for (d, r) in rows.iter().enumerate() {
            if r.paths.is_empty() {
                continue;
            }
            let steps = r.paths[0].1.len() - 1;
            let shown: Vec<usize> =
                if steps <= 10 { (0..=steps).collect() } else { vec![0, steps] };
            let mut header = vec!["actor".to_string()];
            header.extend(
                shown.iter().map(|&s| if s == 0 { "start".to_string() } else { s.to_string() }),
            );
            header.push("moved".into());
            let mut t = Table::new(header);
            for c in 1..=shown.len() + 1 {
                t = t.align(c, Align::Right);
            }
            for (a, p) in &r.paths {
                let mut cells = vec![study.actors[*a].clone()];
                cells.extend(shown.iter().map(|&s| format!("{:.2}", p[s])));
                cells.push(format!("{:+.2}", p[steps] - p[0]));
                t.row(cells);
            }
            out.push_str(&format!(
                "\npaths on {} (start, after each step, total move)\n",
                study.issues[d]
            ));
            out.push_str(&t.render());
        }
    }
    if let Some(f) = &result.fan {
        let mut t = Table::new(["issue", "unperturbed", "min", "p10", "p50", "p90", "max"]);
        for c in 1..=6 {
            t = t.align(c, Align::Right);
        }
        for (d, i) in f.issues.iter().enumerate() {
            t.row([
                study.issues[d].clone(),
                format!("{:.2}", i.unperturbed),
                format!("{:.2}", i.min),
                format!("{:.2}", i.p10),
                format!("{:.2}", i.p50),
                format!("{:.2}", i.p90),
                format!("{:.2}", i.max),
            ]);
        }
        out.push_str(&format!("\nforecast fan over {} perturbed runs (seed {})\n", f.runs, f.seed));
        out.push_str(&t.render());
    }
    out
}

/// The JSON body (see the module documentation for the schema).
pub fn to_json(study: &BargainStudy, result: &BargainResult) -> Value {
    let rows = rows(result, study);
    let issues: Vec<Value> = rows
        .iter()
        .enumerate()
        .map(|(d, r)| {
            json!({
                "id": study.issue_ids[d],
                "name": study.issues[d],
                "baseline": {"mean": result.baseline[d].mean, "median": result.baseline[d].median},
                "forecast": r.mean.map(|m| json!({"mean": m, "median": r.median})),
                "steps": r.steps,
                "stop": r.stop,
                "oscillating": r.oscillating.iter().map(|&a| &study.actor_ids[a]).collect::<Vec<_>>(),
                "error": r.error,
                "paths": r.paths.iter().map(|(a, p)| json!({"actor": study.actor_ids[*a], "positions": p})).collect::<Vec<_>>(),
                "fan": result.fan.as_ref().map(|f| serde_json::to_value(&f.issues[d]).unwrap_or(Value::Null)),
                "verdict": result.verdicts.get(d).and_then(Option::as_ref).map(|v| json!({
                    "point": v.point,
                    "spread": v.spread,
                    "cycle": v.cycle.and_then(|c| serde_json::to_value(c).ok()),
                    "by_limit": v.by_limit.iter().map(|(k, m)| json!({"rounds": k, "mean": m})).collect::<Vec<_>>(),
                })),
            })
        })
        .collect();
    let detail = match &result.run {
        Run::Baseline => Value::Null,
        Run::Eum(o) => Value::Array(
            o.iter()
                .map(|r| {
                    r.as_ref()
                        .ok()
                        .and_then(|o| serde_json::to_value(o).ok())
                        .unwrap_or(Value::Null)
                })
                .collect(),
        ),
        Run::Smp(o) => serde_json::to_value(o).unwrap_or(Value::Null),
    };
    json!({
        "model": model_name(result),
        "options": result.options,
        "actors": study.actor_ids.iter().zip(&study.actors).map(|(id, name)| json!({"id": id, "name": name})).collect::<Vec<_>>(),
        "issues": issues,
        "own_choices": study.own_choices.iter().map(|c| json!({"issue": c.issue_id, "actor": c.actor_id, "position": c.position})).collect::<Vec<_>>(),
        "detail": detail,
    })
}

/// The short section of `statecraft run`: where each issue settles under the model, beside
/// the baseline, and who moves most.
pub fn section(study: &BargainStudy, result: &BargainResult) -> Doc {
    let rows = rows(result, study);
    let mut doc = Doc::new();
    doc.para(format!(
        "Bargaining ({}): where each contested issue settles, 0-100, beside the capability x salience weighted mean.",
        model_name(result)
    ));
    doc.table(summary_table(study, result, &rows));
    doc.definitions(verdict_lines(study, result));
    let moves: Vec<(String, String)> = rows
        .iter()
        .enumerate()
        .filter_map(|(d, r)| {
            let who = movers(study, r)?;
            Some((study.issues[d].clone(), format!("who moves most: {who}")))
        })
        .collect();
    doc.definitions(moves);
    doc
}

/// The (at most three) actors who move at least half a point on an issue, the farthest first,
/// as `name start -> end`; `None` when nobody moves that far.
fn movers(study: &BargainStudy, r: &Row) -> Option<String> {
    let mut moves: Vec<(f64, usize, f64, f64)> = r
        .paths
        .iter()
        .filter_map(|(a, p)| {
            let (s, e) = (*p.first()?, *p.last()?);
            ((e - s).abs() >= 0.5).then_some(((e - s).abs(), *a, s, e))
        })
        .collect();
    moves.sort_by(|x, y| y.0.total_cmp(&x.0).then(x.1.cmp(&y.1)));
    if moves.is_empty() {
        return None;
    }
    let who: Vec<String> = moves
        .iter()
        .take(3)
        .map(|(_, a, s, e)| format!("{} {s:.0} -> {e:.0}", study.actors[*a]))
        .collect();
    Some(who.join("; "))
}

/// The position history as CSV (`turn,actor,dimension,position`): every involved actor on every
/// issue after every step.
pub fn history(study: &BargainStudy, result: &BargainResult) -> String {
    let mut rows = Vec::new();
    match &result.run {
        Run::Baseline => {
            for (d, i) in study.per_issue.iter().enumerate() {
                for (k, &a) in i.actors.iter().enumerate() {
                    rows.push((0, a, d, i.input.issue(0).position[k]));
                }
            }
        }
        Run::Eum(outcomes) => {
            for (d, o) in outcomes.iter().enumerate() {
                let Ok(o) = o else { continue };
                let members = &study.per_issue[d].actors;
                let steps = std::iter::once(&o.initial_positions)
                    .chain(o.rounds.iter().map(|r| &r.positions));
                for (t, p) in steps.enumerate() {
                    rows.extend(members.iter().enumerate().map(|(k, &a)| (t, a, d, p[k])));
                }
            }
        }
        Run::Smp(o) => {
            let steps =
                std::iter::once(&o.initial_positions).chain(o.turns.iter().map(|t| &t.positions));
            for (t, p) in steps.enumerate() {
                for (d, i) in study.per_issue.iter().enumerate() {
                    rows.extend(i.actors.iter().map(|&a| (t, a, d, p[a][d])));
                }
            }
        }
    }
    model::formats::bargain_csv::write_history(&study.actor_ids, &study.issue_ids, rows)
}
