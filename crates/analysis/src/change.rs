//! What would change the judgment of `statecraft run`, gathered once from the lenses' results
//! for every report: the evidence the leading ACH hypothesis rests on and the
//! indicators to watch (from the ACH lens's result), how far the headline probability moves with
//! the state of each driver and with each indicator seen, the margin of the focal decision's best option, the value of information
//! and the judgments with the largest tornado swing (from the Bayes lens's summary).
//!
//! Nothing here computes analysis: every number is one the lenses returned, named with the
//! scenario's names.

use engines::ach::Outcome;
use model::lens::bayes::BayesSummary;
use model::scenario::Scenario;

use crate::ach::AchAnalysis;
use crate::bayes::{IfObserved, Observed};

/// What would change the judgment; every part is empty when its lens gave nothing.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Change {
    /// The leading ACH hypotheses, as (id, title).
    pub leaders: Vec<(String, String)>,
    /// The ACH linchpins: evidence ids whose removal or reversal alone changes the leader.
    pub linchpins: Vec<String>,
    /// The ACH indicators, in the lens's order.
    pub indicators: Vec<Indicator>,
    /// The headline probability given each root driver's state.
    pub headline: Option<Headline>,
    /// Each decision's options, best first.
    pub decisions: Vec<Decision>,
    /// The expected value of perfect information on everything before the first decision.
    pub evpi: Option<f64>,
    /// The EVPI of learning one driver first, largest first, as (driver id, name, value);
    /// drivers worth nothing are left out.
    pub evpi_by_driver: Vec<(String, String, f64)>,
    /// The tornado of the maximum expected utility: (judgment, MEU low, MEU high, swing, value
    /// at which the best option changes).
    pub tornado: Vec<(String, f64, f64, f64, Option<f64>)>,
}

/// One ACH indicator: what seeing it would do to the hypotheses.
#[derive(Debug, Clone, PartialEq)]
pub struct Indicator {
    /// Its id in the scenario.
    pub id: String,
    /// What to watch.
    pub name: String,
    /// What would count as seeing it.
    pub seen_when: String,
    /// The expected shift of the posteriors if it were seen.
    pub expected_shift: Option<f64>,
    /// The leading hypotheses if it were seen.
    pub leaders_if_seen: Vec<String>,
    /// Whether seeing it would change the leader.
    pub changes_leader: bool,
}

/// The headline probability, and what it would be given each driver's state or indicator.
#[derive(Debug, Clone, PartialEq)]
pub struct Headline {
    /// The headline driver's id.
    pub driver: String,
    /// The headline state's id.
    pub state: String,
    /// Its probability now.
    pub probability: f64,
    /// The headline probability given each driver's state: every driver of the network, the
    /// one that moves it most first (only the root drivers when the Bayes lens gave no
    /// observations).
    pub given: Vec<Given>,
    /// The headline probability if each indicator were seen (soft evidence on the states it
    /// signals), the one that moves it most first, as (id, name, probability).
    pub indicators: Vec<(String, String, Option<f64>)>,
}

/// The headline probability given each state of one driver.
#[derive(Debug, Clone, PartialEq)]
pub struct Given {
    /// The driver's id.
    pub driver: String,
    /// The driver's name.
    pub name: String,
    /// Each state's label with the headline probability given that state (`None` when that
    /// state is impossible).
    pub states: Vec<(String, Option<f64>)>,
}

/// A decision's options by expected utility.
#[derive(Debug, Clone, PartialEq)]
pub struct Decision {
    /// The decision's name.
    pub name: String,
    /// The name of the actor who takes it.
    pub owner: String,
    /// The options with their expected utilities, best first.
    pub ranked: Vec<(String, f64)>,
}

impl Change {
    /// Gathers what would change the judgment from the ACH lens's result (leaders, linchpins,
    /// indicators) and the Bayes lens's summary.
    pub fn gather(
        s: &Scenario,
        ach: Option<&AchAnalysis>,
        bayes: Option<&BayesSummary>,
        observed: &[IfObserved],
    ) -> Change {
        let mut change = Change::default();
        if let Some(a) = ach {
            change.add_ach(s, a);
        }
        if let Some(b) = bayes {
            change.add_bayes(s, b);
        }
        change.add_observed(s, observed);
        change
    }

    /// The headline given every driver's state and every indicator, from the Bayes lens's
    /// observations, each list ranked by how far it moves the headline.
    fn add_observed(&mut self, s: &Scenario, observed: &[IfObserved]) {
        let Some(h) = self.headline.as_mut() else { return };
        if observed.is_empty() {
            return;
        }
        let now = h.probability;
        let moved = |x: &Option<f64>| x.map_or(0.0, |p| (p - now).abs());
        let mut given: Vec<Given> = Vec::new();
        for o in observed {
            let Observed::State { driver, state } = &o.observed else { continue };
            let Some(d) = s.drivers.iter().find(|d| d.id == *driver) else { continue };
            let k = d.states.iter().position(|x| x == state);
            let label = k.and_then(|k| d.labels.get(k).cloned()).unwrap_or_else(|| state.clone());
            match given.iter_mut().find(|g| g.driver == *driver) {
                Some(g) => g.states.push((label, o.probability)),
                None => given.push(Given {
                    driver: driver.clone(),
                    name: d.name.clone(),
                    states: vec![(label, o.probability)],
                }),
            }
        }
        let widest = |g: &Given| g.states.iter().map(|(_, x)| moved(x)).fold(0.0, f64::max);
        given.sort_by(|a, b| widest(b).total_cmp(&widest(a)));
        h.given = given;
        let mut indicators: Vec<(String, String, Option<f64>)> = observed
            .iter()
            .filter_map(|o| match &o.observed {
                Observed::Indicator { id, .. } => {
                    let name = s
                        .indicators
                        .iter()
                        .find(|i| i.id == *id)
                        .map_or_else(|| id.clone(), |i| i.name.clone());
                    Some((id.clone(), name, o.probability))
                }
                Observed::State { .. } => None,
            })
            .collect();
        indicators.sort_by(|a, b| moved(&b.2).total_cmp(&moved(&a.2)));
        h.indicators = indicators;
    }

    fn add_ach(&mut self, s: &Scenario, a: &AchAnalysis) {
        let hyps = a.matrix.hypotheses();
        let ids = |hs: &[usize]| -> Vec<String> { hs.iter().map(|&h| hyps[h].clone()).collect() };
        self.leaders = ids(&a.result.leaders)
            .into_iter()
            .map(|h| {
                let title = s
                    .hypotheses
                    .iter()
                    .find(|x| x.id == h)
                    .map(|x| x.title.clone())
                    .unwrap_or_default();
                (h, title)
            })
            .collect();
        self.linchpins = a
            .result
            .linchpins
            .iter()
            .flatten()
            .map(|&e| a.matrix.evidence()[e].id.clone())
            .collect();
        self.indicators = a
            .result
            .indicators
            .iter()
            .map(|i| {
                let id = a.matrix.indicators()[i.indicator].id.clone();
                let known = s.indicators.iter().find(|x| x.id == id);
                Indicator {
                    name: known.map_or_else(|| id.clone(), |x| x.name.clone()),
                    seen_when: known.map(|x| x.seen_when.clone()).unwrap_or_default(),
                    id,
                    expected_shift: i.expected_shift.filter(|x| x.is_finite()),
                    leaders_if_seen: match &i.if_seen {
                        Outcome::Ranked { leaders, .. } => ids(leaders),
                        Outcome::Impossible => Vec::new(),
                    },
                    changes_leader: i.if_seen.changes_leader(),
                }
            })
            .collect();
    }

    /// Whether there is nothing to say.
    pub fn is_empty(&self) -> bool {
        self.linchpins.is_empty()
            && self.indicators.is_empty()
            && self.headline.is_none()
            && self.decisions.is_empty()
            && self.evpi.is_none()
            && self.tornado.is_empty()
    }

    fn add_bayes(&mut self, s: &Scenario, b: &BayesSummary) {
        let vars = b.net.variables();
        let ids = &b.study.ids;
        let name = |v: usize| -> String {
            let id = &ids[v];
            s.drivers
                .iter()
                .find(|d| d.id == *id)
                .map(|d| d.name.clone())
                .or_else(|| s.decisions.iter().find(|d| d.id == *id).map(|d| d.name.clone()))
                .unwrap_or_else(|| id.clone())
        };
        let label = |v: usize, k: usize| -> String {
            s.drivers
                .iter()
                .find(|d| d.id == ids[v])
                .and_then(|d| d.labels.get(k).cloned())
                .unwrap_or_else(|| vars[v].states[k].clone())
        };
        if let Some((hv, hs, p)) = b.headline {
            self.headline = Some(Headline {
                driver: ids[hv].clone(),
                state: vars[hv].states[hs].clone(),
                probability: p,
                given: b
                    .by_root
                    .iter()
                    .map(|(r, row)| {
                        let states =
                            row.iter().enumerate().map(|(k, x)| (label(*r, k), *x)).collect();
                        Given { driver: ids[*r].clone(), name: name(*r), states }
                    })
                    .collect(),
                indicators: Vec::new(),
            });
        }
        if let Some(sol) = &b.solution {
            for d in &sol.decisions {
                let owner = s
                    .decisions
                    .iter()
                    .find(|x| x.id == ids[d.node])
                    .and_then(|x| s.actors.iter().find(|a| a.id == x.owner))
                    .map_or_else(|| "the decision maker".to_string(), |a| a.name.clone());
                let mut ranked: Vec<(String, f64)> = d
                    .expected_utility
                    .iter()
                    .enumerate()
                    .map(|(k, eu)| (vars[d.node].states[k].clone(), *eu))
                    .collect();
                ranked.sort_by(|a, b| b.1.total_cmp(&a.1));
                self.decisions.push(Decision { name: name(d.node), owner, ranked });
            }
            self.evpi = sol.evpi;
            let mut by: Vec<(String, String, f64)> = sol
                .evpi_by_node
                .iter()
                .enumerate()
                .filter_map(|(v, e)| e.filter(|e| *e > 0.0).map(|e| (ids[v].clone(), name(v), e)))
                .collect();
            by.sort_by(|a, b| b.2.total_cmp(&a.2));
            self.evpi_by_driver = by;
        }
        self.tornado.clone_from(&b.tornado);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn korea() -> Scenario {
        let b = model::builtin::find("korea-2024").expect("built in");
        model::builtin::load(b).expect("valid").scenario
    }

    #[test]
    fn nothing_to_say_without_lenses() {
        assert!(Change::gather(&korea(), None, None, &[]).is_empty());
    }

    #[test]
    fn ach_parts_take_the_scenario_names() {
        let s = korea();
        let ach = crate::ach::from_scenario(&s, &crate::ach::AchSettings::for_run()).unwrap();
        let c = Change::gather(&s, Some(&ach), None, &[]);
        assert_eq!(c.leaders, [("H2".to_string(), "Treaty-based alliance commitment".to_string())]);
        assert_eq!(c.linchpins, ["e07", "e08", "e17"]);
        let i = c.indicators.iter().find(|i| i.id == "russian_tech").expect("an indicator");
        assert_eq!(i.name, "Russian technology deliveries to the DPRK");
        assert!(i.seen_when.starts_with("Credible reporting of Russian missile"));
        assert_eq!(c.indicators.len(), ach.result.indicators.len());
        assert!(!c.is_empty());
    }

    #[test]
    fn bayes_parts_rank_options_and_information() {
        use model::lens::bayes::{BayesStudy, summarise};
        let s = korea();
        let summary = summarise(&BayesStudy::from_scenario(&s).expect("maps"), 5).expect("solves");
        let c = Change::gather(&s, None, Some(&summary), &[]);
        let h = c.headline.as_ref().expect("a headline");
        assert_eq!((h.driver.as_str(), h.state.as_str()), ("korean_war", "korean"));
        // The root drivers (the war has US policy as its parent since issue #14).
        assert_eq!(h.given[0].name, "US policy after the November 2024 election");
        assert_eq!(h.given[0].states[0].0, "Continuity");
        let d = &c.decisions[0];
        assert_eq!(
            (d.name.as_str(), d.owner.as_str()),
            ("Seoul's response to the deployment", "South Korea (ROK)")
        );
        assert!(d.ranked.windows(2).all(|w| w[0].1 >= w[1].1), "best first: {:?}", d.ranked);
        assert_eq!(d.ranked[0].0, "status_quo_nato");
        assert!(c.evpi_by_driver.windows(2).all(|w| w[0].2 >= w[1].2));
        assert_eq!(c.evpi_by_driver[0].0, "us_policy");
        assert_eq!(c.tornado.len(), 5);
    }
}
