//! Rendering of the games lens: a terminal table of equilibria, and the JSON body of
//! `statecraft games --format json`.
//!
//! The `analysis` crate solves the game into a [`Findings`]; nothing here computes.
//!
//! # JSON schema (`result` of the shared envelope)
//!
//! Stable fields: `game` (`title`, `players`, `strategies`, `properties` with `zero_sum`,
//! `constant_sum`, `symmetric`, and `degenerate`, `null` when not determined), `method` (`pure`,
//! `enum`, `lh`, `lp` or `qre`), `exact`, `equilibria` (each with `profile`: per player, the
//! probability of each strategy in the file's order; `payoffs`: each player's expected payoff;
//! `pure`). Numbers are strings of exact rationals (`"1/3"`) when `exact` is true and JSON
//! numbers otherwise. Optional fields appear only for the method that produces them:
//! `components` (enum: each a list of equilibrium indices, with its maximal Nash subsets as
//! `subsets`, each `{"equilibria": [...]}`), `lh_runs` (lh: `label`, `equilibrium`, `pivots`),
//! `value` (lp: the row player's guaranteed payoff), `epsilon`, `lambda`, `stop` (qre), and
//! `elimination` (with `--eliminate`: `dominance`, `surviving`, `eliminated`). For a scenario
//! (`statecraft games SCENARIO`), `result` is `{"games": [...]}`: one such body per `[[game]]`,
//! each with the game's scenario `id` added and a `comparison` of its equilibria with the
//! Bayes and bargaining lenses (`model::lens::games::compare`), as in this sample from the
//! built-in korea-2024 (abridged: the bargaining checks for the other three forecast points
//! are left out):
//!
//! ```json
//! "comparison": {
//!   "verdict": "disagrees",
//!   "summary": "Compared with the Bayes and bargaining lenses: disagrees. The equilibrium disagrees: the Bayes lens's best option for Seoul's response to the deployment (seoul) is status_quo_nato, …",
//!   "missing": [],
//!   "equilibria": [
//!     {
//!       "verdict": "disagrees",
//!       "checks": [
//!         {
//!           "lens": "bayes", "player": "rok", "subject": "seoul", "suggestion": "status_quo_nato",
//!           "value": null, "agree": 0.0, "disagree": 1.0, "unmapped": 0.0,
//!           "played": [{ "strategy": "escalate", "probability": 1.0, "stands_for": "arms_to_ukraine", "matches": false }],
//!           "verdict": "disagrees"
//!         },
//!         {
//!           "lens": "bargain", "player": "rok", "subject": "rok_support", "suggestion": "baseline mean",
//!           "value": 41.84, "agree": 0.0, "disagree": 1.0, "unmapped": 0.0,
//!           "played": [{ "strategy": "escalate", "probability": 1.0, "stands_for": "62.5–100", "matches": false }],
//!           "verdict": "disagrees"
//!         }
//!       ]
//!     }
//!   ]
//! }
//! ```
//!
//! `verdict` is `agrees`, `partly_agrees`, `disagrees` or `cannot_compare`, for the game and
//! for each equilibrium (in the order of `equilibria`) and each check; `summary` says it in
//! words; `missing` lists why some comparisons could not be made. A check is one suggestion
//! set against one player's play: the Bayes lens's best option (`suggestion`) of the focal
//! actor's decision (`subject`), or one bargaining forecast (`suggestion` names it:
//! `baseline mean`, `baseline median`, `eum mean`, `eum median`; `value` is where, 0–100) of
//! an issue (`subject`). `agree`, `disagree` and `unmapped` are the probabilities the player
//! puts on strategies whose `[[game.meaning]]` matches the suggestion, contradicts it, or says
//! nothing about it; `played` lists the strategies played, with what each stands for (an option
//! id, or a range `low–high`) and whether that matches.
//!
//! A complete sample (`statecraft games --format json --exact battle.nfg`, a battle of the
//! sexes):
//!
//! ```json
//! {
//!   "schema_version": 1,
//!   "lens": "games",
//!   "source": "battle.nfg",
//!   "result": {
//!     "game": {
//!       "title": "Battle of the sexes",
//!       "players": ["1", "2"],
//!       "strategies": [["1", "2"], ["1", "2"]],
//!       "properties": { "zero_sum": false, "constant_sum": false, "symmetric": false, "degenerate": false }
//!     },
//!     "method": "enum",
//!     "exact": true,
//!     "equilibria": [
//!       { "profile": [["0", "1"], ["0", "1"]], "payoffs": ["1", "2"], "pure": true },
//!       { "profile": [["2/3", "1/3"], ["1/3", "2/3"]], "payoffs": ["2/3", "2/3"], "pure": false },
//!       { "profile": [["1", "0"], ["1", "0"]], "payoffs": ["2", "1"], "pure": true }
//!     ],
//!     "components": [
//!       { "equilibria": [0], "subsets": [{ "equilibria": [0] }] },
//!       { "equilibria": [1], "subsets": [{ "equilibria": [1] }] },
//!       { "equilibria": [2], "subsets": [{ "equilibria": [2] }] }
//!     ]
//!   }
//! }
//! ```

use analysis::games::{Findings, Number, ScenarioGame};
use engines::games::Game;
use serde_json::{Value, json};

use crate::doc::Doc;
use crate::table::{Align, Table};

/// A number as JSON: a string of the exact rational when `exact` and exact, else a number.
fn number_json(n: &Number, exact: bool) -> Value {
    match (n, exact) {
        (Number::Exact(q), true) => Value::String(q.to_string()),
        _ => json!(n.to_f64()),
    }
}

fn strategy_name(game: &Game, p: usize, s: usize) -> String {
    game.strategies()[p].get(s).cloned().unwrap_or_else(|| (s + 1).to_string())
}

/// The terminal rendering: properties, then one row per equilibrium ([`findings`] as text).
pub fn render_table(f: &Findings) -> String {
    findings(f).text()
}

/// One game's findings as a document: its shape and properties, what elimination left, the
/// method, then one row per equilibrium, the components and the Lemke–Howson runs when there
/// are any.
pub fn findings(f: &Findings) -> Doc {
    let g = &f.game;
    let mut doc = Doc::new();
    let title = if g.title().is_empty() { "(untitled game)" } else { g.title() };
    let shape: Vec<String> = g.shape().iter().map(ToString::to_string).collect();
    doc.para(format!("{title}: {} players, {} strategies", g.num_players(), shape.join("×")));
    let p = &f.properties;
    let yn = |b: bool| if b { "yes" } else { "no" };
    let degenerate = match f.degenerate {
        Some(d) => yn(d),
        None => "not determined",
    };
    doc.para(format!(
        "zero-sum: {}, constant-sum: {}, symmetric: {}, degenerate: {}",
        yn(p.zero_sum),
        yn(p.constant_sum),
        yn(p.symmetric),
        degenerate
    ));
    if let Some(analysis::games::EliminationDone { kind, surviving, steps }) = &f.elimination {
        doc.para(format!("eliminated {} {kind}ly dominated strategies; surviving:", steps.len()));
        let kept = surviving.iter().enumerate().map(|(pl, s)| {
            let names: Vec<String> = s.iter().map(|&k| strategy_name(g, pl, k)).collect();
            (g.players()[pl].clone(), names.join(", "))
        });
        doc.definitions(kept.collect());
    }
    doc.para(format!(
        "method: {}; {} equilibri{}",
        f.method.name(),
        f.equilibria.len(),
        if f.equilibria.len() == 1 { "um" } else { "a" }
    ));
    for note in &f.notes {
        doc.para(note.clone());
    }
    if let Some(v) = &f.value {
        doc.para(format!("value of the game (row player's payoff): {}", v.text(f.exact)));
    }
    if let Some((eps, lambda, stop)) = &f.qre {
        doc.para(format!(
            "logit QRE end point: ε = {eps:.3e} (largest regret), λ = {lambda:.3e}, stopped: {stop}"
        ));
    }
    doc.gap();
    doc.table(equilibria_table(f));
    doc.append(components(f));
    if let Some(runs) = &f.lh_runs {
        doc.gap();
        let mut t = Table::new(["label", "equilibrium", "pivots"])
            .align(0, Align::Right)
            .align(1, Align::Right)
            .align(2, Align::Right)
            .caption("Lemke–Howson: the equilibrium reached from each missing label");
        for r in runs {
            t.row([r.label.to_string(), r.equilibrium.to_string(), r.pivots.to_string()]);
        }
        doc.table(t);
    }
    doc
}

/// One row per equilibrium: what each player plays, the payoffs, and whether it is pure.
fn equilibria_table(f: &Findings) -> Table {
    let g = &f.game;
    let mut header = vec!["#".to_string()];
    for pl in g.players() {
        header.push(pl.clone());
    }
    for pl in g.players() {
        header.push(format!("payoff {pl}"));
    }
    header.push("pure".into());
    let n = g.num_players();
    let mut t = Table::new(header)
        .align(0, Align::Right)
        .caption("The equilibria: what each player plays, and the payoffs");
    for k in 0..n {
        t = t.align(1 + n + k, Align::Right);
    }
    for (i, e) in f.equilibria.iter().enumerate() {
        let mut row = vec![i.to_string()];
        for (pl, probs) in e.profile.iter().enumerate() {
            let cells: Vec<String> = probs
                .iter()
                .enumerate()
                .filter(|(_, q)| q.to_f64() != 0.0 || matches!(q, Number::Approx(v) if *v > 1e-9))
                .map(|(s, q)| format!("{} {}", strategy_name(g, pl, s), q.text(f.exact)))
                .collect();
            row.push(cells.join(", "));
        }
        for v in &e.payoffs {
            row.push(v.text(f.exact));
        }
        row.push(if e.pure { "yes" } else { "no" }.into());
        t.row(row);
    }
    t
}

/// The components of the equilibrium set with their maximal Nash subsets, when some component
/// holds more than one equilibrium.
fn components(f: &Findings) -> Doc {
    let mut doc = Doc::new();
    let Some(comps) = &f.components else { return doc };
    if !comps.iter().any(|c| c.equilibria.len() > 1) {
        return doc;
    }
    doc.gap();
    doc.para(format!("{} components of the equilibrium set:", comps.len()));
    let items = comps.iter().enumerate().map(|(i, c)| {
        let subs: Vec<String> = c
            .subsets
            .iter()
            .map(|s| {
                format!("{{{}}}", s.iter().map(ToString::to_string).collect::<Vec<_>>().join(" "))
            })
            .collect();
        (i.to_string(), format!("maximal Nash subsets {}", subs.join(" ")))
    });
    doc.definitions(items.collect());
    doc
}

/// The JSON body (the envelope's `result`) documented at the top of this module.
pub fn to_json(f: &Findings) -> Value {
    let g = &f.game;
    let p = &f.properties;
    let mut body = json!({
        "game": {
            "title": g.title(),
            "players": g.players(),
            "strategies": g.strategies(),
            "properties": {
                "zero_sum": p.zero_sum,
                "constant_sum": p.constant_sum,
                "symmetric": p.symmetric,
                "degenerate": f.degenerate,
            },
        },
        "method": f.method.name(),
        "exact": f.exact,
        "equilibria": f.equilibria.iter().map(|e| json!({
            "profile": e.profile.iter().map(|s| s.iter().map(|q| number_json(q, f.exact)).collect::<Vec<_>>()).collect::<Vec<_>>(),
            "payoffs": e.payoffs.iter().map(|q| number_json(q, f.exact)).collect::<Vec<_>>(),
            "pure": e.pure,
        })).collect::<Vec<_>>(),
    });
    let Some(obj) = body.as_object_mut() else { return body };
    if let Some(c) = &f.components {
        obj.insert(
            "components".into(),
            c.iter()
                .map(|c| {
                    json!({
                        "equilibria": c.equilibria,
                        "subsets": c.subsets.iter().map(|s| json!({ "equilibria": s })).collect::<Vec<_>>(),
                    })
                })
                .collect(),
        );
    }
    if let Some(runs) = &f.lh_runs {
        obj.insert(
            "lh_runs".into(),
            runs.iter()
                .map(|r| json!({ "label": r.label, "equilibrium": r.equilibrium, "pivots": r.pivots }))
                .collect(),
        );
    }
    if let Some(v) = &f.value {
        obj.insert("value".into(), number_json(v, f.exact));
    }
    if let Some((eps, lambda, stop)) = &f.qre {
        obj.insert("epsilon".into(), json!(eps));
        obj.insert("lambda".into(), json!(lambda));
        obj.insert("stop".into(), json!(stop));
    }
    if let Some(analysis::games::EliminationDone { kind, surviving, steps }) = &f.elimination {
        obj.insert(
            "elimination".into(),
            json!({
                "dominance": kind,
                "surviving": surviving,
                "eliminated": steps.iter().map(|e| json!({
                    "round": e.round, "player": e.player, "strategy": e.strategy, "dominated_by": e.dominated_by,
                })).collect::<Vec<_>>(),
            }),
        );
    }
    body
}

/// The JSON body of `statecraft games SCENARIO` documented at the top of this module:
/// `{"games": [...]}`, each game's [`to_json`] body with its `id` and `comparison`.
pub fn scenario_json(games: &[ScenarioGame]) -> Value {
    json!({
        "games": games.iter().map(|g| {
            let mut v = to_json(&g.findings);
            if let Some(o) = v.as_object_mut() {
                o.insert("id".into(), json!(g.id));
                if let Some((c, words)) = &g.comparison {
                    let mut c = serde_json::to_value(c).unwrap_or_default();
                    if let Some(co) = c.as_object_mut() {
                        co.insert("summary".into(), json!(words));
                    }
                    o.insert("comparison".into(), c);
                }
            }
            v
        }).collect::<Vec<_>>(),
    })
}

/// The games section of `statecraft run`: for each scenario game, its equilibria in words (who
/// does what, with which probabilities), how they compare with the Bayes and bargaining lenses,
/// then the table.
///
/// ```
/// use analysis::games::{solve, GamesSettings, ScenarioGame};
/// use engines::games::Game;
/// use report::games::section;
/// let g = Game::bimatrix_int(&[vec![3, 0], vec![5, 1]], &[vec![3, 5], vec![0, 1]]).unwrap();
/// let f = solve(&g, &GamesSettings { exact: true, ..GamesSettings::default() }).unwrap();
/// let text = section(&[ScenarioGame { id: "pd".into(), findings: f, comparison: None }]).text();
/// assert!(text.contains("1 plays 2 and 2 plays 2"));
/// ```
pub fn section(games: &[ScenarioGame]) -> Doc {
    let mut doc = Doc::new();
    for ScenarioGame { id, findings: f, comparison } in games {
        let g = &f.game;
        let name = if g.title().is_empty() { id.as_str() } else { g.title() };
        doc.para(format!(
            "{name} ({id}): {} equilibri{} by {}.",
            f.equilibria.len(),
            if f.equilibria.len() == 1 { "um" } else { "a" },
            f.method.name()
        ));
        doc.list(f.equilibria.iter().map(|e| equilibrium_sentence(g, e)).collect());
        if let Some((_, words)) = comparison {
            doc.para(words.clone());
        }
        doc.gap();
        doc.append(findings(f));
    }
    doc
}

/// One equilibrium in words: `1 plays 2 and 2 mixes a with probability 1/3, b with probability
/// 2/3 (payoffs 1, 2).`
fn equilibrium_sentence(g: &Game, e: &analysis::games::Found) -> String {
    let parts: Vec<String> = e
        .profile
        .iter()
        .enumerate()
        .map(|(p, probs)| {
            let used: Vec<(usize, &Number)> =
                probs.iter().enumerate().filter(|(_, q)| q.to_f64() > 1e-9).collect();
            let who = &g.players()[p];
            match used.as_slice() {
                [(s, _)] => format!("{who} plays {}", strategy_name(g, p, *s)),
                _ => {
                    let mix: Vec<String> = used
                        .iter()
                        .map(|(s, q)| {
                            format!("{} with probability {}", strategy_name(g, p, *s), q.text(true))
                        })
                        .collect();
                    format!("{who} mixes {}", mix.join(", "))
                }
            }
        })
        .collect();
    let pay: Vec<String> = e.payoffs.iter().map(|v| v.text(true)).collect();
    format!("{} (payoffs {}).", parts.join(" and "), pay.join(", "))
}
