//! Rendering of the actors lens: MACTOR's balance of power and convergences, MICMAC's
//! influence–dependence maps, as terminal text ([`mactor_text`], [`micmac_text`], and the short
//! [`section`] for `statecraft run`) and as the JSON body of `statecraft actors --format json`
//! ([`json()`]). Nothing here computes analysis beyond sorting rows for display.
//!
//! # JSON schema (stable; `schema_version` 1)
//!
//! The body sits in the shared envelope (`{"schema_version": 1, "lens": "actors", "source":
//! …, "result": <body>}`). `mactor` is present when a MID was given, `micmac` when a driver
//! matrix was; a missing one is `null`. Vectors follow the order of `actors`, `objectives` or
//! `drivers`; matrices are arrays of rows. A quantity that does not exist is `null`, never NaN.
//! The sample is the output for the `balance`/`analyse` doctests' MACTOR case with `--level 2`
//! and the `micmac::analyse` doctest's matrix with `--regulating-band 0`, with the floating-point
//! numbers rounded to 4 decimals here.
//!
//! ```json
//! {
//!   "mactor": {
//!     "actors": ["A", "B"],
//!     "objectives": ["o1", "o2"],
//!     "balance_formula": "retroaction",
//!     "midi": [[1, 2], [1, 1]],
//!     "influence": [2, 1],
//!     "dependence": [1, 2],
//!     "influence_with_retroaction": [3, 2],
//!     "dependence_with_retroaction": [2, 3],
//!     "r": [0.24, 0.08],
//!     "ri_star": [1.5, 0.5],
//!     "rank": [1, 2],
//!     "levels": [
//!       {
//!         "level": 2,
//!         "positions": [[3.0, -1.0], [2.0, 2.0]],
//!         "caa": [[0.0, 2.5], [2.5, 0.0]],
//!         "daa": [[0.0, 1.5], [1.5, 0.0]],
//!         "degree_of_convergence": 0.625,
//!         "ambivalence": [0.75, 0.75],
//!         "mobilisation": [
//!           {"objective": "o1", "favourable": 5.0, "opposed": 0.0, "total": 5.0, "contested": 0.0},
//!           {"objective": "o2", "favourable": 2.0, "opposed": 1.0, "total": 3.0, "contested": 1.0}
//!         ],
//!         "implication": [4.0, 4.0]
//!       }
//!     ]
//!   },
//!   "micmac": {
//!     "drivers": ["x", "y", "z"],
//!     "potential_weight": 3,
//!     "influence": {"direct": [5.0, 4.0, 1.0], "indirect": [5.3846, 3.0769, 1.5385]},
//!     "dependence": {"direct": [1.0, 4.0, 5.0], "indirect": [1.5385, 3.0769, 5.3846]},
//!     "influence_share": {"direct": [0.5, 0.4, 0.1], "indirect": [0.5385, 0.3077, 0.1538]},
//!     "dependence_share": {"direct": [0.1, 0.4, 0.5], "indirect": [0.1538, 0.3077, 0.5385]},
//!     "influence_rank": {"direct": [1, 2, 3], "indirect": [1, 2, 3]},
//!     "dependence_rank": {"direct": [3, 2, 1], "indirect": [3, 2, 1]},
//!     "class": {"direct": ["influential", "relay", "dependent"], "indirect": ["influential", "autonomous", "dependent"]},
//!     "influence_move": [0, 0, 0],
//!     "dependence_move": [0, 0, 0],
//!     "indirect_from": "powers",
//!     "power": 2,
//!     "stable_power": 2,
//!     "stop": "stable",
//!     "steps": [{"power": 2, "influence_unchanged": 3, "dependence_unchanged": 3}],
//!     "perron": {"eigenvalue": 2.6017, "influence_share": [0.5113, 0.3530, 0.1357], "dependence_share": [0.1357, 0.3530, 0.5113], "gap": 0.0453}
//!   }
//! }
//! ```
//!
//! - `mactor.levels` holds levels 1, 2 and 3 (or the one asked for with `--level`); it is
//!   empty when no 2MAO was given. `caa`/`daa` are the convergence and divergence matrices
//!   (both nonnegative, diagonal 0), `ambivalence` is `null` for an actor that shares no
//!   objective with anyone, `degree_of_convergence` is `null` when no pair takes sides on a
//!   common objective.
//! - `micmac.influence.indirect` is the indirect share times the direct total (one scale for
//!   both maps); `stable_power` is the first power at which both rankings were unchanged, or
//!   `null`; `stop` is `stable`, `fixed`, `max_power` or `nilpotent`; `perron` is `null` when the
//!   limit does not exist; `potential_weight` is 0 when `P` cells were excluded.

use std::fmt::Write as _;

use engines::actors::mactor::{BalanceFormula, Level, Mactor};
use engines::actors::micmac::{Class, Indirect, Micmac, Potential};
use serde_json::{Value, json};

use analysis::actors::ActorsAnalysis;

use crate::doc::Doc;
use crate::table::{Align, Table};

/// MACTOR's result with the names that go with it.
#[derive(Debug, Clone, Copy)]
pub struct MactorView<'a> {
    /// The actors, in the matrices' order.
    pub actors: &'a [String],
    /// The objectives, in the 2MAO's order (empty without a 2MAO).
    pub objectives: &'a [String],
    /// The result.
    pub result: &'a Mactor,
    /// The formula used for `r_i`.
    pub formula: BalanceFormula,
    /// The level to show (1, 2 or 3), or `None` for all in JSON and level 2 on the terminal.
    pub level: Option<u8>,
}

/// MICMAC's result with the names that go with it.
#[derive(Debug, Clone, Copy)]
pub struct MicmacView<'a> {
    /// The drivers, in the matrix's order.
    pub drivers: &'a [String],
    /// The result.
    pub result: &'a Micmac,
    /// How `P` counted.
    pub potential: Potential,
    /// Which indirect values classified the drivers.
    pub indirect: Indirect,
}

/// The views of one analysis's results, with the level its settings ask for.
pub fn views(a: &ActorsAnalysis) -> (Option<MactorView<'_>>, Option<MicmacView<'_>>) {
    let mactor = a.mactor.as_ref().map(|p| MactorView {
        actors: &p.input.actors,
        objectives: &p.input.objectives,
        result: &p.result,
        formula: a.settings.balance,
        level: a.settings.level,
    });
    let micmac = a.micmac.as_ref().map(|p| MicmacView {
        drivers: &p.input.drivers,
        result: &p.result,
        potential: a.settings.potential,
        indirect: a.settings.indirect,
    });
    (mactor, micmac)
}

/// The JSON body of `statecraft actors` (see the module documentation for the schema).
pub fn json(mactor: Option<&MactorView<'_>>, micmac: Option<&MicmacView<'_>>) -> Value {
    json!({
        "mactor": mactor.map(mactor_json),
        "micmac": micmac.map(micmac_json),
    })
}

fn mactor_json(v: &MactorView<'_>) -> Value {
    let b = &v.result.balance;
    let levels: Vec<Value> = shown_levels(v, None).map(|l| level_json(l, v.objectives)).collect();
    json!({
        "actors": v.actors,
        "objectives": v.objectives,
        "balance_formula": match v.formula {
            BalanceFormula::Retroaction => "retroaction",
            BalanceFormula::WithoutRetroaction => "without_retroaction",
        },
        "midi": b.midi,
        "influence": b.influence,
        "dependence": b.dependence,
        "influence_with_retroaction": b.influence_with_retroaction,
        "dependence_with_retroaction": b.dependence_with_retroaction,
        "r": b.r,
        "ri_star": b.ri_star,
        "rank": b.rank,
        "levels": levels,
    })
}

fn shown_levels<'a>(
    v: &'a MactorView<'_>,
    default: Option<u8>,
) -> impl Iterator<Item = &'a Level> + 'a {
    let want = v.level.or(default);
    v.result.levels.iter().filter(move |l| want.is_none_or(|w| w == l.level))
}

fn level_json(l: &Level, objectives: &[String]) -> Value {
    let mobilisation: Vec<Value> = l
        .mobilisation
        .iter()
        .zip(objectives)
        .map(|(m, name)| {
            json!({
                "objective": name,
                "favourable": m.favourable,
                "opposed": m.opposed,
                "total": m.total,
                "contested": m.contested,
            })
        })
        .collect();
    json!({
        "level": l.level,
        "positions": l.positions,
        "caa": l.caa,
        "daa": l.daa,
        "degree_of_convergence": l.degree_of_convergence,
        "ambivalence": l.ambivalence,
        "mobilisation": mobilisation,
        "implication": l.implication,
    })
}

fn micmac_json(v: &MicmacView<'_>) -> Value {
    let r = v.result;
    json!({
        "drivers": v.drivers,
        "potential_weight": match v.potential {
            Potential::Exclude => 0,
            Potential::Weight(w) => w,
        },
        "influence": both(&r.direct.influence, &r.indirect.influence),
        "dependence": both(&r.direct.dependence, &r.indirect.dependence),
        "influence_share": both(&r.direct.influence_share, &r.indirect.influence_share),
        "dependence_share": both(&r.direct.dependence_share, &r.indirect.dependence_share),
        "influence_rank": both(&r.direct.influence_rank, &r.indirect.influence_rank),
        "dependence_rank": both(&r.direct.dependence_rank, &r.indirect.dependence_rank),
        "class": both(&r.direct.class, &r.indirect.class),
        "influence_move": r.influence_move,
        "dependence_move": r.dependence_move,
        "indirect_from": match v.indirect {
            Indirect::Powers => "powers",
            Indirect::Perron => "perron",
        },
        "power": r.power,
        "stable_power": r.stable_power,
        "stop": r.stop,
        "steps": r.steps,
        "perron": r.perron,
    })
}

/// A direct value beside its indirect counterpart.
fn both<D: serde::Serialize, I: serde::Serialize>(direct: &D, indirect: &I) -> Value {
    json!({"direct": direct, "indirect": indirect})
}

fn num(x: f64) -> String {
    format!("{x:.2}")
}

fn class_name(c: Class) -> &'static str {
    match c {
        Class::Influential => "influential",
        Class::Relay => "relay",
        Class::Dependent => "dependent",
        Class::Autonomous => "autonomous",
        Class::Regulating => "regulating",
    }
}

/// The balance of power as a table: actors by Ri*, with influence and dependence from MIDI.
pub fn balance_table(v: &MactorView<'_>) -> Table {
    let b = &v.result.balance;
    let mut order: Vec<usize> = (0..v.actors.len()).collect();
    order.sort_by_key(|&i| b.rank[i]);
    let mut t = Table::new(["rank", "actor", "influence I", "dependence D", "Ri*"])
        .caption("The balance of power (MACTOR): actors by their relative power Ri*")
        .align(0, Align::Right)
        .align(2, Align::Right)
        .align(3, Align::Right)
        .align(4, Align::Right);
    for i in order {
        t.row([
            b.rank[i].to_string(),
            v.actors[i].clone(),
            b.influence[i].to_string(),
            b.dependence[i].to_string(),
            num(b.ri_star[i]),
        ]);
    }
    t
}

/// The actor pairs of one level, most convergent and most divergent first: at most `limit`
/// of each, as a table of the pairs that converge and one of those that diverge (a table with
/// no pair is left out).
fn pairs(v: &MactorView<'_>, l: &Level, limit: usize) -> Vec<Table> {
    let n = v.actors.len();
    let mut list: Vec<(usize, usize)> =
        (0..n).flat_map(|i| ((i + 1)..n).map(move |j| (i, j))).collect();
    let mut out = Vec::new();
    for (title, matrix) in [("converge", &l.caa), ("diverge", &l.daa)] {
        list.sort_by(|a, b| matrix[b.0][b.1].total_cmp(&matrix[a.0][a.1]));
        let mut t =
            Table::new(["actors who ".to_owned() + title, "on".to_owned(), "by".to_owned()])
                .align(2, Align::Right)
                .caption(format!("The pairs of actors who {title} most, level {}", l.level));
        for &(i, j) in list.iter().filter(|&&(i, j)| matrix[i][j] > 0.0).take(limit) {
            let same = title == "converge";
            // Group the objectives by the side each actor takes, so that a pair converging
            // against an objective does not read as if both wanted it.
            let mut sides: Vec<(String, Vec<&str>)> = Vec::new();
            for k in 0..v.objectives.len() {
                let (a, b) = (l.positions[i][k], l.positions[j][k]);
                if !(if same { a * b > 0.0 } else { a * b < 0.0 }) {
                    continue;
                }
                let side = |x: f64| if x > 0.0 { "for" } else { "against" };
                let label = if same {
                    format!("both {}", side(a))
                } else {
                    format!("{} {}, {} {}", v.actors[i], side(a), v.actors[j], side(b))
                };
                match sides.iter_mut().find(|(l, _)| *l == label) {
                    Some((_, on)) => on.push(v.objectives[k].as_str()),
                    None => sides.push((label, vec![v.objectives[k].as_str()])),
                }
            }
            let on: Vec<String> =
                sides.iter().map(|(label, on)| format!("{label}: {}", on.join(", "))).collect();
            t.row([format!("{} & {}", v.actors[i], v.actors[j]), on.join("; "), num(matrix[i][j])]);
        }
        if !t.is_empty() {
            out.push(t);
        }
    }
    out
}

/// The objectives of one level, the most contested first.
fn objectives_table(v: &MactorView<'_>, l: &Level) -> String {
    let mut order: Vec<usize> = (0..v.objectives.len()).collect();
    order.sort_by(|&a, &b| l.mobilisation[b].contested.total_cmp(&l.mobilisation[a].contested));
    let mut t = Table::new(["objective", "for", "against", "contested"])
        .align(1, Align::Right)
        .align(2, Align::Right)
        .align(3, Align::Right);
    for k in order {
        let m = &l.mobilisation[k];
        t.row([v.objectives[k].clone(), num(m.favourable), num(m.opposed), num(m.contested)]);
    }
    t.render()
}

/// MACTOR on the terminal: the balance of power, then for the chosen level (2 by default) the
/// pairs that converge and diverge most, each actor's ambivalence, and the objectives that
/// split the actors most.
pub fn mactor_text(v: &MactorView<'_>) -> String {
    let mut out = String::from("MACTOR balance of power (Ri* averages 1)\n");
    out.push_str(&balance_table(v).render());
    for l in shown_levels(v, Some(2)) {
        let _ = writeln!(
            out,
            "\nLevel {} convergences and divergences (degree of convergence {})",
            l.level,
            l.degree_of_convergence.map_or("n/a".to_owned(), |d| format!("{:.0}%", d * 100.0))
        );
        for t in pairs(v, l, 5) {
            out.push_str(&t.render());
            out.push('\n');
        }
        let mut t = Table::new(["actor", "implication", "ambivalence"])
            .align(1, Align::Right)
            .align(2, Align::Right);
        for (i, name) in v.actors.iter().enumerate() {
            t.row([
                name.clone(),
                num(l.implication[i]),
                l.ambivalence[i].map_or("n/a".to_owned(), num),
            ]);
        }
        out.push_str(&t.render());
        out.push('\n');
        out.push_str(&objectives_table(v, l));
    }
    out
}

/// MICMAC on the terminal: each driver's direct and indirect influence, dependence, class and
/// move, and where the powers stopped.
pub fn micmac_text(v: &MicmacView<'_>) -> String {
    let r = v.result;
    let mut out = String::from("MICMAC influence-dependence (indirect from ");
    let _ = writeln!(
        out,
        "{})",
        match v.indirect {
            Indirect::Powers => format!("M^{}", r.power),
            Indirect::Perron => "the Perron limit".to_owned(),
        }
    );
    let mut order: Vec<usize> = (0..v.drivers.len()).collect();
    order.sort_by_key(|&i| r.indirect.influence_rank[i]);
    let mut t = Table::new([
        "driver",
        "infl",
        "dep",
        "class",
        "ind. infl",
        "ind. dep",
        "ind. class",
        "rank",
        "move",
    ]);
    for c in [1, 2, 4, 5, 7, 8] {
        t = t.align(c, Align::Right);
    }
    for i in order {
        t.row([
            v.drivers[i].clone(),
            num(r.direct.influence[i]),
            num(r.direct.dependence[i]),
            class_name(r.direct.class[i]).to_owned(),
            num(r.indirect.influence[i]),
            num(r.indirect.dependence[i]),
            class_name(r.indirect.class[i]).to_owned(),
            r.indirect.influence_rank[i].to_string(),
            format!("{:+}", r.influence_move[i]),
        ]);
    }
    out.push_str(&t.render());
    let _ = writeln!(out, "\n{}", stop_sentence(r, v.drivers.len()));
    if let Some(p) = &r.perron {
        let _ = writeln!(
            out,
            "Perron limit: eigenvalue {:.4}, largest gap to the shares of M^{}: {:.2e}",
            p.eigenvalue, r.power, p.gap
        );
    }
    out
}

fn stop_sentence(r: &Micmac, n: usize) -> String {
    use engines::actors::micmac::Stop;
    let steps: Vec<String> = r
        .steps
        .iter()
        .map(|s| {
            format!(
                "k={} {}/{} {}/{}",
                s.power, s.influence_unchanged, n, s.dependence_unchanged, n
            )
        })
        .collect();
    let why = match r.stop {
        Stop::Stable => format!("both rankings stable at power {}", r.power),
        Stop::Fixed => format!("fixed power {}", r.power),
        Stop::MaxPower => format!("not stable by power {} (the maximum)", r.power),
        Stop::Nilpotent => format!("M^{} is zero (no cycle of influence)", r.power + 1),
    };
    if steps.is_empty() {
        why
    } else {
        format!("{why}; ranks unchanged (influence, dependence): {}", steps.join(", "))
    }
}

/// A short section for `statecraft run`: who holds power, the pairs that converge and diverge
/// most (level 2, with the objectives), which drivers are influential versus dependent.
pub fn section(mactor: Option<&MactorView<'_>>, micmac: Option<&MicmacView<'_>>) -> Doc {
    let mut doc = Doc::new();
    doc.title("## Actors (MACTOR, MICMAC)");
    doc.gap();
    if let Some(v) = mactor {
        doc.append(power_section(v));
    }
    if let Some(v) = micmac {
        doc.append(drivers_section(v));
    }
    doc
}

/// MACTOR in the section: the three most powerful actors, the balance of power, and the pairs
/// that converge and diverge most at level 2.
fn power_section(v: &MactorView<'_>) -> Doc {
    let mut doc = Doc::new();
    let b = &v.result.balance;
    let mut order: Vec<usize> = (0..v.actors.len()).collect();
    order.sort_by_key(|&i| b.rank[i]);
    let top: Vec<String> =
        order.iter().take(3).map(|&i| format!("{} ({:.2})", v.actors[i], b.ri_star[i])).collect();
    doc.para(format!("Most power (Ri*, average 1): {}.", top.join(", ")));
    doc.table(balance_table(v));
    if let Some(l) = v.result.levels.iter().find(|l| l.level == 2) {
        doc.gap();
        for t in pairs(v, l, 3) {
            doc.table(t);
            doc.gap();
        }
    }
    doc
}

/// MICMAC in the section: the drivers of each class that matters, by their indirect values.
fn drivers_section(v: &MicmacView<'_>) -> Doc {
    let mut doc = Doc::new();
    let r = v.result;
    let of = |c: Class| -> Vec<&str> {
        (0..v.drivers.len())
            .filter(|&i| r.indirect.class[i] == c)
            .map(|i| v.drivers[i].as_str())
            .collect()
    };
    for (c, label) in [
        (Class::Influential, "Influential drivers"),
        (Class::Relay, "Relay drivers"),
        (Class::Dependent, "Dependent drivers"),
    ] {
        let list = of(c);
        if !list.is_empty() {
            doc.para(format!("{label} (indirect): {}.", list.join(", ")));
        }
    }
    doc
}

#[cfg(test)]
mod tests {
    use engines::actors::mactor::{BalanceFormula, MactorOptions, Mao, Mid, analyse};
    use engines::actors::micmac::{self, Cell, DriverMatrix, MicmacOptions, Powers};

    use super::*;

    fn names(v: &[&str]) -> Vec<String> {
        v.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn json_sample_of_the_module_docs() {
        // The numbers of the schema sample: the `balance` and `analyse` doctests' case.
        let options = MactorOptions { balance: BalanceFormula::Retroaction };
        let mid = Mid::from_rows(vec![vec![0, 2], vec![1, 0]]).unwrap();
        let mao = Mao::from_rows(vec![vec![3, -1], vec![2, 2]]).unwrap();
        let result = analyse(&mid, &mao, &options).unwrap();
        let (actors, objectives) = (names(&["A", "B"]), names(&["o1", "o2"]));
        let view = MactorView {
            actors: &actors,
            objectives: &objectives,
            result: &result,
            formula: BalanceFormula::Retroaction,
            level: Some(2),
        };
        let body = json(Some(&view), None);
        let m = &body["mactor"];
        assert_eq!(m["midi"], json!([[1, 2], [1, 1]]));
        assert_eq!(m["levels"][0]["caa"], json!([[0.0, 2.5], [2.5, 0.0]]));
        assert_eq!(m["levels"][0]["degree_of_convergence"], json!(0.625));
        assert_eq!(m["levels"][0]["ambivalence"], json!([0.75, 0.75]));
        assert_eq!(m["levels"][0]["mobilisation"][1]["contested"], json!(1.0));
        assert_eq!(body["micmac"], Value::Null);
        assert!(mactor_text(&view).contains("A & B"));
    }

    #[test]
    fn micmac_json_fields() {
        let l = Cell::Level;
        let m = DriverMatrix::from_rows(vec![
            vec![l(0), l(3), l(2)],
            vec![l(1), l(0), Cell::Potential],
            vec![l(0), l(1), l(0)],
        ])
        .unwrap();
        let options = MicmacOptions {
            potential: Potential::Weight(3),
            powers: Powers::UntilStable { max: 30 },
            indirect: Indirect::Powers,
            regulating_band: 0.0,
        };
        let result = micmac::analyse(&m, &options).unwrap();
        let drivers = names(&["x", "y", "z"]);
        let view = MicmacView {
            drivers: &drivers,
            result: &result,
            potential: options.potential,
            indirect: options.indirect,
        };
        let body = json(None, Some(&view));
        let m = &body["micmac"];
        assert_eq!(m["influence"]["direct"], json!([5.0, 4.0, 1.0]));
        assert_eq!(m["stable_power"], json!(2));
        assert_eq!(m["stop"], json!("stable"));
        assert_eq!(m["class"]["direct"], json!(["influential", "relay", "dependent"]));
        assert_eq!(m["class"]["indirect"], json!(["influential", "autonomous", "dependent"]));
        let eigenvalue = m["perron"]["eigenvalue"].as_f64().unwrap();
        assert!((eigenvalue - 2.6017).abs() < engines::prec::REFERENCE_COARSE, "the docs sample");
        assert!(micmac_text(&view).contains("both rankings stable at power 2"));
        assert!(section(None, Some(&view)).text().contains("Influential drivers (indirect): x."));
    }
}
