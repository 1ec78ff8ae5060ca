//! The other lenses under the ensemble's draws: how often the ACH leader stays the leader, how
//! often each consistent CIB future stays consistent, how far each bargaining forecast moves,
//! and how often each game's equilibria keep their support.
//!
//! [`crate::ensemble`] redraws the network and the focal decision in Saltelli's design; this
//! module redraws, in each of the same `samples` draws, the judgments of every other lens the
//! scenario has (a lens it lacks costs nothing):
//!
//! - **ACH** (Bayesian scoring, as `statecraft run` uses it): the hypotheses' priors, from a
//!   Dirichlet distribution around the stated priors (uniform when none are given) with the
//!   scenario's concentration; and the likelihoods of the ratings CC, C, I and II, each uniform
//!   within `± spread` of statecraft's table (N and NA stay at 0.5, where they carry no
//!   information). The ratings themselves are categories with no range in the format, and stay.
//! - **CIB**: every impact of a written `[[cross_impact]]` block, uniform within `± spread` (its
//!   own, else `[uncertainty] spread × 6`), rounded to the nearest integer and kept within
//!   −3..+3. A future consistent under the stated matrix stays consistent in a draw when its
//!   inconsistency there is 0.
//! - **Bargaining**: every stance's position and salience, uniform within its own range, else
//!   `± spread × 100` kept within 0–100. Each issue's forecasts are the baseline's weighted mean
//!   and the expected utility model's mean after its rounds (Scholz et al.'s options, as `run`).
//! - **Games**: every payoff, uniform within its own range, else `± spread ×` the span of the
//!   game's payoffs. An equilibrium keeps its support in a draw when the draw has an
//!   equilibrium that plays exactly the same strategies with positive probability (every
//!   extreme equilibrium of a two-player game, the logit QRE's end point otherwise, as
//!   `statecraft games` finds them).
//!
//! Each lens draws from its own ChaCha8 stream under the ensemble's seed, at a position fixed by
//! the draw's row, so the results do not depend on the thread count or on the network's
//! judgments. The engines are called directly, not through the lenses' analysis functions, so
//! that the ensemble does not count as an evaluation of those lenses.

use engines::ach::{
    self, AchMatrix, AchOptions, BayesSettings, IsoDate, LikelihoodTable, Mode, Priors, Rating,
    Sensitivity as AchSensitivity, Timeline,
};
use engines::bargain::eum::{self, EumOptions};
use engines::bargain::{BargainInput, IssueData, baseline};
use engines::cib::{CibMatrix, Method, SolveOptions, solve};
use engines::draw;
use engines::games::{BigRational, EnumOptions, Game, Search, enumerate_extreme, logit_qre};
use engines::prec;
use model::formats::nfg::parse_number;
use model::lens::bargain::BargainStudy;
use model::lens::cib::CibStudy;
use model::lens::games::{DEFAULT_MAX_BASES, DEFAULT_QRE, games_from_scenario};
use model::scenario::{Bounds, Scenario};
use rand_chacha::ChaCha8Rng;
use rand_chacha::rand_core::SeedableRng;
use rayon::prelude::*;
use serde::Serialize;

use crate::ensemble::{Distribution, Judgment, SpreadFrom, distribution};

/// The first ChaCha8 stream of the lenses' draws: far above any network judgment's stream
/// (one per factor), so adding a judgment to the network never changes a lens's draws.
const LENS_STREAM: u64 = 1 << 40;

/// The scale of an impact, for the default spread: `[uncertainty] spread` is a fraction of it.
const IMPACT_SCALE: f64 = 6.0;

/// The largest impact the format allows.
const IMPACT_MAX: f64 = 3.0;

/// The scale of positions and saliences.
const STANCE_SCALE: f64 = 100.0;

/// The likelihood of the neutral ratings (N, NA), which the draws leave alone.
const NEUTRAL: f64 = 0.5;

/// How often the ACH leader stays the leader.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct AchStability {
    /// The hypothesis with the highest posterior under the stated judgments.
    pub leader: String,
    /// The share of draws in which it still has the highest posterior (alone or tied).
    pub kept: f64,
    /// Each hypothesis and the share of draws in which it ranks first, in the scenario's order.
    pub leads: Vec<(String, f64)>,
}

/// How often one consistent CIB future stays consistent.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct FutureStability {
    /// The future, as `driver=state` per descriptor.
    pub future: Vec<String>,
    /// The share of draws in which its inconsistency is still 0.
    pub kept: f64,
}

/// The consistent CIB futures across the draws.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CibStability {
    /// Each future consistent under the stated impacts, in the order the search found them.
    pub futures: Vec<FutureStability>,
}

/// One bargaining forecast across the draws.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ForecastSpread {
    /// The issue's id.
    pub issue: String,
    /// `baseline mean` or `eum mean`.
    pub label: String,
    /// The forecast under the stated judgments.
    pub stated: f64,
    /// Its distribution over the draws that gave one.
    pub spread: Distribution,
}

/// How often one equilibrium keeps its support.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct EquilibriumStability {
    /// Per player, the strategies it plays with positive probability.
    pub support: Vec<Vec<String>>,
    /// The share of draws with an equilibrium of exactly this support.
    pub kept: f64,
}

/// One game across the draws.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct GameStability {
    /// The game's id.
    pub game: String,
    /// Its equilibria under the stated payoffs.
    pub equilibria: Vec<EquilibriumStability>,
}

/// What the other lenses do under the draws; each part is absent (or empty) when the scenario
/// lacks the lens.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct LensRobustness {
    /// The lenses' uncertain judgments, lens by lens.
    pub judgments: Vec<Judgment>,
    /// ACH's leader.
    pub ach: Option<AchStability>,
    /// CIB's consistent futures.
    pub cib: Option<CibStability>,
    /// Each issue's bargaining forecasts.
    pub bargaining: Vec<ForecastSpread>,
    /// Each game's equilibria.
    pub games: Vec<GameStability>,
}

/// The scenario-wide spreads: the concentration of a probability row and the fraction of a
/// scale, each with where it came from.
pub(crate) type Spreads = ((f64, SpreadFrom), (f64, SpreadFrom));

/// Redraws every other lens's judgments `samples` times under `seed`.
pub(crate) fn robustness(
    s: &Scenario,
    samples: usize,
    seed: u64,
    spreads: Spreads,
) -> LensRobustness {
    let mut judgments = Vec::new();
    let ach = AchPart::build(s, spreads, &mut judgments);
    let cib = CibPart::build(s, spreads, &mut judgments);
    let bargain = BargainPart::build(s, spreads, &mut judgments);
    let games = GamePart::build(s, spreads, &mut judgments);
    let rng = |lens: u64, row: usize| {
        let mut r = ChaCha8Rng::seed_from_u64(seed);
        r.set_stream(LENS_STREAM + lens);
        r.set_word_pos((row as u128) << 32);
        r
    };
    let rows: Vec<Row> = (0..samples)
        .into_par_iter()
        .map(|j| Row {
            ach: ach.as_ref().map(|a| a.eval(&mut rng(0, j))),
            cib: cib.as_ref().map_or_else(Vec::new, |c| c.eval(&mut rng(1, j))),
            bargain: bargain.as_ref().map_or_else(Vec::new, |b| b.eval(&mut rng(2, j))),
            games: games
                .iter()
                .enumerate()
                .map(|(g, x)| x.eval(&mut rng(3 + g as u64, j)))
                .collect(),
        })
        .collect();
    let share = |k: usize| k as f64 / samples as f64;
    LensRobustness {
        judgments,
        ach: ach.map(|a| {
            let leads = (0..a.hypotheses.len())
                .map(|h| {
                    (
                        a.hypotheses[h].clone(),
                        share(
                            rows.iter()
                                .filter(|r| r.ach.as_ref().is_some_and(|l| l.first() == Some(&h)))
                                .count(),
                        ),
                    )
                })
                .collect();
            AchStability {
                leader: a.hypotheses[a.leader].clone(),
                kept: share(
                    rows.iter()
                        .filter(|r| r.ach.as_ref().is_some_and(|l| l.contains(&a.leader)))
                        .count(),
                ),
                leads,
            }
        }),
        cib: cib.map(|c| CibStability {
            futures: c
                .futures
                .iter()
                .enumerate()
                .map(|(k, f)| FutureStability {
                    future: f.1.clone(),
                    kept: share(rows.iter().filter(|r| r.cib[k]).count()),
                })
                .collect(),
        }),
        bargaining: bargain.map_or_else(Vec::new, |b| {
            b.forecasts
                .iter()
                .enumerate()
                .filter_map(|(k, (issue, label, stated))| {
                    let xs: Vec<f64> =
                        rows.iter().map(|r| r.bargain[k]).filter(|x| x.is_finite()).collect();
                    (!xs.is_empty()).then(|| ForecastSpread {
                        issue: issue.clone(),
                        label: label.clone(),
                        stated: *stated,
                        spread: distribution(xs),
                    })
                })
                .collect()
        }),
        games: games
            .iter()
            .enumerate()
            .map(|(g, x)| GameStability {
                game: x.id.clone(),
                equilibria: x
                    .stated
                    .iter()
                    .enumerate()
                    .map(|(k, sup)| EquilibriumStability {
                        support: sup
                            .iter()
                            .enumerate()
                            .map(|(p, st)| st.iter().map(|&i| x.strategies[p][i].clone()).collect())
                            .collect(),
                        kept: share(rows.iter().filter(|r| r.games[g][k]).count()),
                    })
                    .collect(),
            })
            .collect(),
    }
}

/// One draw's findings.
struct Row {
    /// The ACH leaders (tied first), when the draw scored.
    ach: Option<Vec<usize>>,
    /// Whether each stated consistent future stays consistent.
    cib: Vec<bool>,
    /// Each bargaining forecast (NaN when the draw gave none).
    bargain: Vec<f64>,
    /// Per game, whether each stated equilibrium's support is kept.
    games: Vec<Vec<bool>>,
}

/// A number as a spread's label writes it: at most four decimals, trailing zeros dropped.
fn short(x: f64) -> String {
    let s = format!("{x:.4}");
    s.trim_end_matches('0').trim_end_matches('.').to_string()
}

/// A uniform draw within `[low, high]`.
fn within(rng: &mut ChaCha8Rng, b: Bounds) -> f64 {
    draw::uniform(rng, b[0], b[1])
}

/// ACH's judgments: the priors and the likelihood table.
struct AchPart {
    matrix: AchMatrix,
    as_of: IsoDate,
    hypotheses: Vec<String>,
    priors: Vec<f64>,
    concentration: f64,
    /// The likelihoods' half-width.
    half: f64,
    leader: usize,
}

impl AchPart {
    fn build(s: &Scenario, spreads: Spreads, judgments: &mut Vec<Judgment>) -> Option<AchPart> {
        let input = model::lens::ach::input(s).ok()?;
        let m = input.matrix.hypotheses().len();
        let priors = match &input.priors {
            Priors::Given(p) => p.clone(),
            Priors::Uniform => vec![1.0 / m as f64; m],
        };
        let ((c, c_from), (spread, s_from)) = spreads;
        let mut part = AchPart {
            hypotheses: input.matrix.hypotheses().to_vec(),
            matrix: input.matrix,
            as_of: input.as_of,
            priors,
            concentration: c,
            half: spread,
            leader: 0,
        };
        let stated = part.score(&part.priors, LikelihoodTable::standard())?;
        part.leader = *stated.first()?;
        judgments.push(Judgment {
            name: "hypothesis.prior".into(),
            spread: format!("dirichlet({})", short(c)),
            from: c_from,
        });
        judgments.push(Judgment {
            name: "ach.likelihoods".into(),
            spread: format!("uniform ±{}", short(spread)),
            from: s_from,
        });
        Some(part)
    }

    /// The leaders (tied first) under these priors and likelihoods.
    fn score(&self, priors: &[f64], likelihoods: LikelihoodTable) -> Option<Vec<usize>> {
        let options = AchOptions {
            mode: Mode::Bayes,
            bayes: BayesSettings { likelihoods, priors: Priors::Given(priors.to_vec()) },
            as_of: Some(self.as_of),
            sensitivity: AchSensitivity::Skip,
            timeline: Timeline::Skip,
        };
        ach::analyze(&self.matrix, &options).ok().map(|r| r.leaders)
    }

    fn eval(&self, rng: &mut ChaCha8Rng) -> Vec<usize> {
        let mut priors = vec![0.0; self.priors.len()];
        draw::dirichlet(rng, &self.priors, self.concentration, &mut priors);
        let standard = LikelihoodTable::standard();
        let mut values = [NEUTRAL; 6];
        for (k, r) in Rating::ALL.iter().enumerate() {
            let l = standard.get(*r);
            if !matches!(r, Rating::N | Rating::NA) {
                values[k] = within(rng, [(l - self.half).max(0.0), (l + self.half).min(1.0)]);
            }
        }
        // Every drawn likelihood is within [0, 1], so the table is valid.
        let table = LikelihoodTable::new(values).unwrap_or(standard);
        self.score(&priors, table).unwrap_or_default()
    }
}

/// CIB's judgments: the written impacts.
struct CibPart {
    descriptors: Vec<engines::cib::Descriptor>,
    rows: Vec<Vec<i64>>,
    /// Each movable cell: row, column and half-width.
    cells: Vec<(usize, usize, f64)>,
    /// The stated consistent futures: variants, and as `driver=state`.
    futures: Vec<(Vec<usize>, Vec<String>)>,
}

impl CibPart {
    fn build(s: &Scenario, spreads: Spreads, judgments: &mut Vec<Judgment>) -> Option<CibPart> {
        let study = CibStudy::from_scenario(s).ok()?;
        let m = &study.matrix;
        let options = SolveOptions {
            method: Method::BranchAndBound,
            tolerance: 0,
            fixed: Vec::new(),
            max_scenarios: crate::cib::CibSettings::default().max_scenarios,
        };
        let solution = solve(m, &options).ok()?;
        let (spread, from) = spreads.1;
        let desc = |id: &str| study.drivers.iter().position(|d| d == id);
        let mut cells = Vec::new();
        for (i, block) in s.cross_impacts.iter().enumerate() {
            let (Some(a), Some(b)) = (desc(&block.from), desc(&block.to)) else { continue };
            let (half, from) = match block.spread {
                Some(x) => (x, SpreadFrom::Own),
                None => (spread * IMPACT_SCALE, from),
            };
            let counts = m.variant_counts();
            for va in 0..counts[a] {
                for vb in 0..counts[b] {
                    if let (Some(r), Some(c)) = (m.index(a, va), m.index(b, vb)) {
                        cells.push((r, c, half));
                    }
                }
            }
            judgments.push(Judgment {
                name: format!("cross_impact[{i}]"),
                spread: format!("uniform ±{}", short(half)),
                from,
            });
        }
        let futures = solution
            .scenarios
            .iter()
            .map(|x| {
                let named = x
                    .variants
                    .iter()
                    .enumerate()
                    .map(|(d, &v)| {
                        let dd = &m.descriptors()[d];
                        format!("{}={}", dd.name, dd.variants[v])
                    })
                    .collect();
                (x.variants.clone(), named)
            })
            .collect();
        Some(CibPart { descriptors: m.descriptors().to_vec(), rows: m.rows(), cells, futures })
    }

    fn eval(&self, rng: &mut ChaCha8Rng) -> Vec<bool> {
        let mut rows = self.rows.clone();
        for &(r, c, half) in &self.cells {
            let x = rows[r][c] as f64 + within(rng, [-half, half]);
            rows[r][c] = x.round().clamp(-IMPACT_MAX, IMPACT_MAX) as i64;
        }
        match CibMatrix::new(self.descriptors.clone(), rows) {
            Ok(m) => {
                self.futures.iter().map(|(z, _)| m.evaluate(z).is_ok_and(|e| e.ic == 0)).collect()
            }
            Err(_) => vec![false; self.futures.len()],
        }
    }
}

/// One stance's drawn numbers: the ranges of its position and salience.
struct StanceDraw {
    position: Bounds,
    salience: Bounds,
}

/// Bargaining's judgments: the stances of each bargained issue.
struct BargainPart {
    /// Per issue: its members' capabilities and stances.
    issues: Vec<(Vec<f64>, Vec<StanceDraw>)>,
    eum: EumOptions,
    /// Each forecast: issue, label, stated value (two per issue: baseline, eum).
    forecasts: Vec<(String, String, f64)>,
}

impl BargainPart {
    fn build(s: &Scenario, spreads: Spreads, judgments: &mut Vec<Judgment>) -> Option<BargainPart> {
        let study = BargainStudy::from_scenario(s, &[]).ok()?;
        let (spread, from) = spreads.1;
        let half = spread * STANCE_SCALE;
        let default = |x: f64| [(x - half).max(0.0), (x + half).min(STANCE_SCALE)];
        let mut issues = Vec::new();
        for (k, id) in study.issue_ids.iter().enumerate() {
            let issue = s.issues.iter().find(|i| &i.id == id)?;
            let cap = study.per_issue[k].input.capability().to_vec();
            let mut stances = Vec::new();
            for &a in &study.per_issue[k].actors {
                let actor = &study.actor_ids[a];
                let st = issue.stances.iter().find(|x| &x.actor == actor)?;
                for (what, own) in
                    [("position", st.position_range), ("salience", st.salience_range)]
                {
                    judgments.push(Judgment {
                        name: format!("issue.{id}.stance.{actor}.{what}"),
                        spread: match own {
                            Some(r) => format!("[{}, {}]", r[0], r[1]),
                            None => format!("uniform ±{}", short(half)),
                        },
                        from: if own.is_some() { SpreadFrom::Own } else { from },
                    });
                }
                stances.push(StanceDraw {
                    position: st.position_range.unwrap_or_else(|| default(st.position)),
                    salience: st.salience_range.unwrap_or_else(|| default(st.salience)),
                });
            }
            let stated: Vec<(f64, f64)> = study.per_issue[k]
                .actors
                .iter()
                .filter_map(|&a| issue.stances.iter().find(|x| x.actor == study.actor_ids[a]))
                .map(|st| (st.position, st.salience))
                .collect();
            issues.push((cap, stances, stated));
        }
        let eum = crate::bargain::BargainSettings::default().eum_options();
        let mut forecasts = Vec::new();
        let mut part = BargainPart { issues: Vec::new(), eum, forecasts: Vec::new() };
        for (k, (cap, stances, stated)) in issues.into_iter().enumerate() {
            let (b, e) = part.forecast(&cap, stated.iter().copied());
            forecasts.push((study.issue_ids[k].clone(), "baseline mean".to_string(), b));
            forecasts.push((study.issue_ids[k].clone(), "eum mean".to_string(), e));
            part.issues.push((cap, stances));
        }
        part.forecasts = forecasts;
        Some(part)
    }

    /// The baseline's weighted mean and the expected utility model's final mean of one issue
    /// (NaN where there is none).
    fn forecast(&self, cap: &[f64], stances: impl Iterator<Item = (f64, f64)>) -> (f64, f64) {
        let (position, salience): (Vec<f64>, Vec<f64>) =
            stances.map(|(p, s)| (p, s / STANCE_SCALE)).unzip();
        let issue = IssueData { scale_min: 0.0, scale_max: STANCE_SCALE, position, salience };
        let Ok(input) = BargainInput::new(cap.to_vec(), vec![issue]) else {
            return (f64::NAN, f64::NAN);
        };
        let b = baseline(&input).issues.first().and_then(|i| i.mean).unwrap_or(f64::NAN);
        let e = eum::eum(&input, 0, &self.eum)
            .map_or(f64::NAN, |o| o.rounds.last().map_or(o.initial_mean, |r| r.mean));
        (b, e)
    }

    fn eval(&self, rng: &mut ChaCha8Rng) -> Vec<f64> {
        let mut out = Vec::with_capacity(self.forecasts.len());
        for (cap, stances) in &self.issues {
            let drawn: Vec<(f64, f64)> = stances
                .iter()
                .map(|st| (within(rng, st.position), within(rng, st.salience)))
                .collect();
            let (b, e) = self.forecast(cap, drawn.into_iter());
            out.push(b);
            out.push(e);
        }
        out
    }
}

/// One game's judgments: its payoffs.
struct GamePart {
    id: String,
    players: Vec<String>,
    strategies: Vec<Vec<String>>,
    /// The stated payoff table, one entry per profile (first player fastest).
    table: Vec<Vec<BigRational>>,
    /// Each `[[game.payoff]]`: its profile's index and the ranges of its values.
    entries: Vec<(usize, Vec<Bounds>)>,
    /// The supports of the stated equilibria: per player, the strategies played.
    stated: Vec<Vec<Vec<usize>>>,
}

impl GamePart {
    fn build(s: &Scenario, spreads: Spreads, judgments: &mut Vec<Judgment>) -> Vec<GamePart> {
        let Ok(games) = games_from_scenario(s) else { return Vec::new() };
        let (spread, from) = spreads.1;
        let mut parts = Vec::new();
        for g in games {
            let Some(sg) = s.games.iter().find(|x| x.id == g.id) else { continue };
            let all = sg.payoffs.iter().flat_map(|p| p.values.iter().copied());
            let (lo, hi) =
                all.fold((f64::INFINITY, f64::NEG_INFINITY), |(a, b), x| (a.min(x), b.max(x)));
            let half = if hi > lo { spread * (hi - lo) } else { 0.0 };
            let strategies = g.game.strategies().to_vec();
            let n = strategies.len();
            let total: usize = strategies.iter().map(Vec::len).product();
            let table: Vec<Vec<BigRational>> =
                (0..total).map(|k| (0..n).map(|p| g.game.payoff(p, k).clone()).collect()).collect();
            let mut entries = Vec::new();
            for (k, pay) in sg.payoffs.iter().enumerate() {
                let (mut index, mut stride) = (0, 1);
                for (p, st) in pay.profile.iter().enumerate() {
                    index += strategies[p].iter().position(|x| x == st).unwrap_or(0) * stride;
                    stride *= strategies[p].len();
                }
                let ranges = match &pay.range {
                    Some(r) => r.clone(),
                    None => pay.values.iter().map(|v| [v - half, v + half]).collect(),
                };
                judgments.push(Judgment {
                    name: format!("game.{}.payoff[{k}]", g.id),
                    spread: if pay.range.is_some() {
                        "ranges".into()
                    } else {
                        format!("uniform ±{}", short(half))
                    },
                    from: if pay.range.is_some() { SpreadFrom::Own } else { from },
                });
                entries.push((index, ranges));
            }
            let mut part = GamePart {
                id: g.id.clone(),
                players: g.game.players().to_vec(),
                strategies,
                table,
                entries,
                stated: Vec::new(),
            };
            part.stated = supports(&g.game);
            parts.push(part);
        }
        parts
    }

    fn eval(&self, rng: &mut ChaCha8Rng) -> Vec<bool> {
        let mut table = self.table.clone();
        for (index, ranges) in &self.entries {
            for (p, r) in ranges.iter().enumerate() {
                let v = within(rng, *r);
                if let (Some(slot), Some(q)) =
                    (table[*index].get_mut(p), parse_number(&format!("{v}")))
                {
                    *slot = q;
                }
            }
        }
        let drawn = Game::new(self.players.clone(), self.strategies.clone(), table)
            .map(|g| supports(&g))
            .unwrap_or_default();
        self.stated.iter().map(|s| drawn.contains(s)).collect()
    }
}

/// The supports of a game's equilibria as `statecraft games` finds them by default: every
/// extreme equilibrium of a two-player game, the logit QRE's end point of a larger one (none
/// when the method fails).
fn supports(game: &Game) -> Vec<Vec<Vec<usize>>> {
    let zero = BigRational::from_integer(0.into());
    if game.num_players() == 2 {
        let Ok(s) = enumerate_extreme(
            game,
            &EnumOptions { max_bases: DEFAULT_MAX_BASES, search: Search::Auto },
        ) else {
            return Vec::new();
        };
        let mut out: Vec<Vec<Vec<usize>>> = Vec::new();
        for e in &s.equilibria {
            let sup = e
                .profile
                .iter()
                .map(|p| (0..p.len()).filter(|&i| p[i] != zero).collect())
                .collect();
            if !out.contains(&sup) {
                out.push(sup);
            }
        }
        out
    } else {
        match logit_qre(game, &DEFAULT_QRE) {
            Ok(s) => vec![
                s.profile
                    .iter()
                    .map(|p| (0..p.len()).filter(|&i| p[i] > prec::SUPPORT).collect())
                    .collect(),
            ],
            Err(_) => Vec::new(),
        }
    }
}

#[cfg(test)]
mod tests {
    use engines::prec;
    use model::builtin::{self, BUILTINS};
    use model::scenario::Uncertainty;

    use super::*;

    fn korea(concentration: f64, spread: f64) -> Scenario {
        let mut s = builtin::load(&BUILTINS[0]).expect("korea-2024 is valid").scenario;
        s.uncertainty = Some(Uncertainty {
            concentration: Some(concentration),
            spread: Some(spread),
            why: None,
        });
        s
    }

    fn spreads(s: &Scenario) -> Spreads {
        let u = s.uncertainty.as_ref().unwrap();
        (
            (u.concentration.unwrap(), SpreadFrom::Scenario),
            (u.spread.unwrap(), SpreadFrom::Scenario),
        )
    }

    #[test]
    fn the_stated_judgments_give_what_the_lenses_give() {
        // The ensemble's stated findings are the lenses' own: the ACH leader of `run`'s
        // Bayesian scoring, CIB's consistent futures, the bargaining forecasts `run` shows.
        let s = korea(30.0, 0.1);
        let mut j = Vec::new();
        let a = AchPart::build(&s, spreads(&s), &mut j).unwrap();
        let run = crate::ach::from_scenario(&s, &crate::ach::AchSettings::for_run()).unwrap();
        assert_eq!(a.leader, run.result.ranking[0]);
        let c = CibPart::build(&s, spreads(&s), &mut j).unwrap();
        let lens = crate::cib::from_scenario(&s, &crate::cib::CibSettings::default()).unwrap();
        let found: Vec<Vec<usize>> =
            lens.analysis.solution.scenarios.iter().map(|x| x.variants.clone()).collect();
        assert_eq!(c.futures.iter().map(|f| f.0.clone()).collect::<Vec<_>>(), found);
        let b = BargainPart::build(&s, spreads(&s), &mut j).unwrap();
        let settings = crate::bargain::BargainSettings::default();
        let shown = crate::bargain::scenario(&s, &settings).unwrap().forecasts();
        let mut compared = 0;
        for f in &shown {
            for p in &f.points {
                if let Some(x) = b.forecasts.iter().find(|(i, l, _)| *i == f.issue && *l == p.label)
                {
                    assert!((x.2 - p.value).abs() <= prec::REORDER, "{} {}", f.issue, p.label);
                    compared += 1;
                }
            }
        }
        assert!(compared >= shown.len(), "every issue's baseline mean is compared");
    }

    #[test]
    fn without_spread_every_lens_keeps_its_findings() {
        let s = korea(1e12, 0.0);
        let r = robustness(&s, 16, 3, spreads(&s));
        assert_eq!(r.ach.as_ref().unwrap().kept, 1.0);
        let cib = r.cib.as_ref().unwrap();
        assert!(!cib.futures.is_empty());
        assert!(cib.futures.iter().all(|f| f.kept == 1.0), "{cib:?}");
        assert!(!r.bargaining.is_empty());
        for f in &r.bargaining {
            assert!((f.spread.p05 - f.stated).abs() <= prec::REORDER, "{f:?}");
            assert!((f.spread.p95 - f.stated).abs() <= prec::REORDER, "{f:?}");
        }
        assert!(r.games[0].equilibria.iter().all(|e| e.kept == 1.0), "{:?}", r.games);
        assert!(r.judgments.iter().all(|j| j.from == SpreadFrom::Scenario));
    }

    #[test]
    fn a_wide_spread_moves_every_lens() {
        let s = korea(5.0, 0.5);
        let r = robustness(&s, 200, 3, spreads(&s));
        let kept = r.ach.as_ref().unwrap().kept;
        assert!(kept < 1.0 && kept > 0.0, "{kept}");
        assert!(r.cib.as_ref().unwrap().futures.iter().any(|f| f.kept < 1.0));
        assert!(r.bargaining.iter().all(|f| f.spread.p95 > f.spread.p05));
        let eq = &r.games[0].equilibria[0];
        assert!(eq.kept < 1.0 && eq.kept > 0.0, "{eq:?}");
        // The same seed gives the same findings, whatever the thread count.
        let pool = rayon::ThreadPoolBuilder::new().num_threads(1).build().unwrap();
        assert_eq!(pool.install(|| robustness(&s, 200, 3, spreads(&s))), r);
    }
}
