//! Unit tests of the bayes engine. Expected numbers come from hand calculation (shown inline) or
//! from brute-force enumeration of the joint distribution (`brute`), an independent method.

use proptest::prelude::*;

use super::*;
use crate::prec;

fn opts() -> CompileOptions {
    CompileOptions { heuristic: Heuristic::MinFill, max_clique_entries: DEFAULT_MAX_CLIQUE }
}

/// A network from (name, states, parents, table) tuples.
fn net(spec: &[(&str, usize, &[usize], &[f64])]) -> Result<BayesNet, NetError> {
    let vars = spec
        .iter()
        .map(|(n, k, _, _)| Variable::new(*n, (0..*k).map(|s| format!("s{s}"))))
        .collect();
    let cpts =
        spec.iter().map(|(_, _, p, t)| Cpt { parents: p.to_vec(), table: t.to_vec() }).collect();
    BayesNet::new(vars, cpts)
}

/// The sprinkler network (Russell and Norvig, *AIMA* 3rd ed., Fig. 14.12a): Cloudy, Sprinkler,
/// Rain, WetGrass; state 0 = true.
fn sprinkler() -> BayesNet {
    net(&[
        ("cloudy", 2, &[], &[0.5, 0.5]),
        ("sprinkler", 2, &[0], &[0.1, 0.9, 0.5, 0.5]),
        ("rain", 2, &[0], &[0.8, 0.2, 0.2, 0.8]),
        ("wet", 2, &[1, 2], &[0.99, 0.01, 0.9, 0.1, 0.9, 0.1, 0.0, 1.0]),
    ])
    .expect("valid network")
}

/// Every marginal and P(evidence) by summing the full joint: an independent check.
fn brute(net: &BayesNet, evidence: &[Finding]) -> (Vec<Vec<f64>>, f64) {
    let n = net.len();
    let card: Vec<usize> = (0..n).map(|v| net.card(v)).collect();
    let mut m: Vec<Vec<f64>> = card.iter().map(|&c| vec![0.0; c]).collect();
    let mut x = vec![0usize; n];
    let mut total = 0.0;
    loop {
        let mut p = 1.0;
        for (v, cpt) in net.cpts().iter().enumerate() {
            let row = cpt.parents.iter().fold(0, |r, &q| r * card[q] + x[q]);
            p *= cpt.table[row * card[v] + x[v]];
        }
        for f in evidence {
            p *= match f {
                Finding::State { node, state } => f64::from(u8::from(x[*node] == *state)),
                Finding::Likelihood { node, likelihood } => likelihood[x[*node]],
            };
        }
        total += p;
        for v in 0..n {
            m[v][x[v]] += p;
        }
        let mut k = 0;
        loop {
            if k == n {
                for row in &mut m {
                    row.iter_mut().for_each(|y| *y /= total);
                }
                return (m, total);
            }
            x[k] += 1;
            if x[k] < card[k] {
                break;
            }
            x[k] = 0;
            k += 1;
        }
    }
}

fn check(net: &BayesNet, evidence: &[Finding]) {
    let jt = JunctionTree::compile(net, &opts()).expect("compiles");
    let post = jt.marginals(evidence).expect("possible evidence");
    let (want, pe) = brute(net, evidence);
    for (v, (got, want)) in post.marginals.iter().zip(&want).enumerate() {
        for (s, (g, w)) in got.iter().zip(want).enumerate() {
            assert!((g - w).abs() <= prec::REORDER, "P({v}={s}): {g} vs {w}");
        }
    }
    assert!((post.evidence_probability - pe).abs() <= prec::REORDER * pe);
}

fn state(node: usize, state: usize) -> Finding {
    Finding::State { node, state }
}

#[test]
fn sprinkler_prior() {
    check(&sprinkler(), &[]);
}

#[test]
fn sprinkler_wet() {
    check(&sprinkler(), &[state(3, 0)]);
}

#[test]
fn sprinkler_wet_and_rain() {
    check(&sprinkler(), &[state(3, 0), state(2, 0)]);
}

#[test]
fn sprinkler_soft() {
    check(&sprinkler(), &[Finding::Likelihood { node: 3, likelihood: vec![0.7, 0.2] }]);
}

#[test]
fn sprinkler_rain_given_wet_by_hand() {
    // P(W) = Σ over C, S, R = 0.6471; P(R, W) = 0.4581 (AIMA's worked sprinkler numbers).
    let jt = JunctionTree::compile(&sprinkler(), &opts()).expect("compiles");
    let post = jt.marginals(&[state(3, 0)]).expect("possible");
    assert!((post.evidence_probability - 0.6471).abs() < prec::REORDER);
    assert!((post.marginals[2][0] - 0.4581 / 0.6471).abs() < prec::REORDER);
}

#[test]
fn min_weight_same_answer() {
    let n = sprinkler();
    let a = JunctionTree::compile(&n, &opts())
        .expect("compiles")
        .marginals(&[state(3, 0)])
        .expect("ok");
    let o = CompileOptions { heuristic: Heuristic::MinWeight, ..opts() };
    let b = JunctionTree::compile(&n, &o).expect("compiles").marginals(&[state(3, 0)]).expect("ok");
    for (x, y) in a.marginals.iter().flatten().zip(b.marginals.iter().flatten()) {
        assert!((x - y).abs() < prec::REORDER);
    }
}

/// Moralising the sprinkler network marries sprinkler and rain, which leaves two cliques of
/// three variables: {cloudy, sprinkler, rain} and {sprinkler, rain, wet}.
#[test]
fn sprinkler_compiles_to_two_cliques_of_three() {
    let jt = JunctionTree::compile(&sprinkler(), &opts()).expect("compiles");
    assert_eq!((jt.clique_count(), jt.treewidth()), (2, 2));
}

/// Min-fill looks ahead at the edges an elimination adds, and min-weight does not. On this
/// network (found by searching small random networks; the cliques are worked by hand here) both
/// first eliminate `f`; min-weight then eliminates `d`, whose clique {b, c, d} is among the
/// smallest (24 entries) but marries `b` and `c`, which later leaves {a, b, c}: 4 × 4 × 3 = 48
/// entries. Min-fill eliminates `e` (no new edge) and then `c`, and its largest clique,
/// {a, b, d}, has 4 × 4 × 2 = 32 entries.
#[test]
fn min_fill_keeps_cliques_smaller_than_min_weight() {
    let spec: [(&str, usize, &[usize]); 6] = [
        ("a", 4, &[]),
        ("b", 4, &[0]),
        ("c", 3, &[]),
        ("d", 2, &[1]),
        ("e", 2, &[0, 2]),
        ("f", 2, &[2, 3]),
    ];
    // Only the structure matters here, so every table is uniform.
    let tables: Vec<Vec<f64>> = spec
        .iter()
        .map(|&(_, k, parents)| {
            let rows: usize = parents.iter().map(|&p| spec[p].1).product();
            vec![1.0 / k as f64; rows * k]
        })
        .collect();
    let rows: Vec<_> = spec
        .iter()
        .zip(&tables)
        .map(|(&(name, k, parents), t)| (name, k, parents, &t[..]))
        .collect();
    let n = net(&rows).expect("valid network");
    let limit = |heuristic| CompileOptions { heuristic, max_clique_entries: 32 };
    let fill = JunctionTree::compile(&n, &limit(Heuristic::MinFill));
    assert!(fill.is_ok(), "{fill:?}");
    let weight = JunctionTree::compile(&n, &limit(Heuristic::MinWeight));
    assert!(
        matches!(weight, Err(CompileError::TooComplex { clique_entries, .. }) if clique_entries == 48.0),
        "{weight:?}"
    );
}

#[test]
fn a_diagram_keeps_its_variables_in_order() {
    let names: Vec<String> = umbrella().variables().iter().map(|v| v.name.clone()).collect();
    assert_eq!(names, ["weather", "umbrella"]);
}

#[test]
fn disconnected_network() {
    let n = net(&[("a", 2, &[], &[0.2, 0.8]), ("b", 3, &[], &[0.1, 0.3, 0.6])]).expect("valid");
    check(&n, &[state(1, 2)]);
}

#[test]
fn single_state_variable() {
    let n = net(&[("k", 1, &[], &[1.0]), ("b", 2, &[0], &[0.4, 0.6])]).expect("valid");
    check(&n, &[]);
}

#[test]
fn mpe_sprinkler_matches_brute_force() {
    // Brute force over the 8 assignments with W = wet: the largest is C=t, S=f, R=t:
    // 0.5 × 0.9 × 0.8 × 0.9 = 0.324.
    let jt = JunctionTree::compile(&sprinkler(), &opts()).expect("compiles");
    let mpe = jt.mpe(&[state(3, 0)]).expect("possible");
    assert_eq!(mpe.states, vec![0, 1, 0, 0]);
    assert!((mpe.probability - 0.324).abs() < prec::REORDER);
}

#[test]
fn tiny_underflow_is_safe() {
    // A chain of 400 binary variables with evidence of probability 1e-3 each: P(e) = 1e-1200
    // underflows, its logarithm does not.
    let mut spec: Vec<(String, Vec<usize>, Vec<f64>)> = vec![("x0".into(), vec![], vec![0.5, 0.5])];
    for i in 1..400 {
        spec.push((format!("x{i}"), vec![i - 1], vec![0.999, 0.001, 0.001, 0.999]));
    }
    let vars = spec.iter().map(|(n, _, _)| Variable::new(n.clone(), ["a", "b"])).collect();
    let cpts = spec.iter().map(|(_, p, t)| Cpt { parents: p.clone(), table: t.clone() }).collect();
    let n = BayesNet::new(vars, cpts).expect("valid");
    let ev: Vec<Finding> = (0..400).map(|i| state(i, i % 2)).collect();
    let post =
        JunctionTree::compile(&n, &opts()).expect("compiles").marginals(&ev).expect("possible");
    let want = 0.5f64.ln() + 399.0 * 0.001f64.ln();
    assert!((post.log_evidence_probability - want).abs() <= prec::REORDER * want.abs());
    assert!(post.marginals.iter().flatten().all(|x| x.is_finite()));
}

#[test]
fn err_row_sum() {
    let e = net(&[("a", 2, &[], &[0.2, 0.7])]);
    assert!(matches!(e, Err(NetError::RowSum { node: 0, row: 0, .. })));
}

#[test]
fn err_cycle() {
    let e = net(&[("a", 2, &[1], &[0.5, 0.5, 0.5, 0.5]), ("b", 2, &[0], &[0.5, 0.5, 0.5, 0.5])]);
    assert!(matches!(e, Err(NetError::Cycle { .. })));
}

#[test]
fn err_table_size() {
    let e = net(&[("a", 2, &[], &[0.2, 0.3, 0.5])]);
    assert_eq!(e, Err(NetError::TableSize { node: 0, expected: 2, found: 3 }));
}

#[test]
fn err_negative_entry() {
    let e = net(&[("a", 2, &[], &[-0.2, 1.2])]);
    assert!(matches!(e, Err(NetError::BadEntry { node: 0, row: 0, state: 0, .. })));
}

#[test]
fn err_unknown_parent() {
    let e = net(&[("a", 2, &[4], &[0.5, 0.5])]);
    assert_eq!(e, Err(NetError::UnknownParent { node: 0, parent: 4 }));
}

/// A CPT that names a parent twice, or the variable itself, is refused before anything is built
/// on it.
#[test]
fn err_duplicate_parent() {
    let twice = net(&[("a", 2, &[], &[0.5, 0.5]), ("b", 2, &[0, 0], &[0.5; 8])]);
    assert_eq!(twice, Err(NetError::DuplicateParent { node: 1, parent: 0 }));
    let itself = net(&[("a", 2, &[0], &[0.5; 4])]);
    assert_eq!(itself, Err(NetError::DuplicateParent { node: 0, parent: 0 }));
}

#[test]
fn err_unknown_state_in_evidence() {
    let jt = JunctionTree::compile(&sprinkler(), &opts()).expect("compiles");
    assert_eq!(
        jt.marginals(&[state(1, 2)]),
        Err(QueryError::UnknownState { finding: 0, node: 1, state: 2 })
    );
}

#[test]
fn err_repeated_evidence() {
    let jt = JunctionTree::compile(&sprinkler(), &opts()).expect("compiles");
    let e = jt.marginals(&[state(1, 0), state(1, 1)]);
    assert_eq!(e, Err(QueryError::RepeatedNode { first: 0, second: 1, node: 1 }));
}

#[test]
fn err_impossible_evidence_names_the_conflict() {
    // WetGrass is surely dry when neither sprinkler nor rain: findings 1, 2 and 3 conflict,
    // finding 0 (cloudy) is innocent.
    let jt = JunctionTree::compile(&sprinkler(), &opts()).expect("compiles");
    let e = jt.marginals(&[state(0, 0), state(1, 1), state(2, 1), state(3, 0)]);
    assert_eq!(e, Err(QueryError::Impossible { findings: vec![1, 2, 3] }));
}

#[test]
fn err_zero_likelihood() {
    let jt = JunctionTree::compile(&sprinkler(), &opts()).expect("compiles");
    let e = jt.marginals(&[Finding::Likelihood { node: 0, likelihood: vec![0.0, 0.0] }]);
    assert_eq!(e, Err(QueryError::BadLikelihood { finding: 0, node: 0 }));
}

#[test]
fn err_too_complex_reports_treewidth() {
    // Ten binary parents of one child: a clique of 11 variables, 2048 entries, over a limit of 1000.
    let mut spec: Vec<(String, Vec<usize>, Vec<f64>)> =
        (0..10).map(|i| (format!("p{i}"), vec![], vec![0.5, 0.5])).collect();
    spec.push(("c".into(), (0..10).collect(), [0.5, 0.5].repeat(1024)));
    let vars = spec.iter().map(|(n, _, _)| Variable::new(n.clone(), ["a", "b"])).collect();
    let cpts = spec.iter().map(|(_, p, t)| Cpt { parents: p.clone(), table: t.clone() }).collect();
    let n = BayesNet::new(vars, cpts).expect("valid");
    let o = CompileOptions { max_clique_entries: 1000, ..opts() };
    let e = JunctionTree::compile(&n, &o);
    assert!(matches!(e, Err(CompileError::TooComplex { treewidth: 10, limit: 1000, .. })), "{e:?}");
    let message = e.err().map(|e| e.to_string()).unwrap_or_default();
    assert!(message.contains("treewidth 10") && message.contains("simplify"), "{message}");
}

// Influence diagrams.

fn umbrella() -> InfluenceDiagram {
    let vars = vec![
        Variable::new("weather", ["rain", "sun"]),
        Variable::new("umbrella", ["take", "leave"]),
    ];
    let nodes = vec![
        IdNode::Chance(Cpt { parents: vec![], table: vec![0.3, 0.7] }),
        IdNode::Decision { informational: vec![] },
    ];
    let u = Utility {
        name: "comfort".into(),
        parents: vec![0, 1],
        table: vec![70.0, 0.0, 20.0, 100.0],
    };
    InfluenceDiagram::new(vars, nodes, vec![u], vec![1]).expect("valid")
}

fn decide() -> DecideOptions {
    DecideOptions { max_table_entries: 1 << 20, value_of_information: ValueOfInformation::Compute }
}

#[test]
fn umbrella_by_hand() {
    // take: 0.3·70 + 0.7·20 = 35; leave: 0.7·100 = 70; knowing the weather 0.3·70 + 0.7·100 = 91.
    let s = solve(&umbrella(), &decide()).expect("solves");
    assert_eq!(s.decisions[0].expected_utility, vec![35.0, 70.0]);
    assert_eq!(s.decisions[0].best, 1);
    assert!((s.meu - 70.0).abs() < prec::REORDER);
    assert!((s.evpi.unwrap_or(-1.0) - 21.0).abs() < prec::REORDER * 100.0);
    assert!((s.evpi_by_node[0].unwrap_or(-1.0) - 21.0).abs() < prec::REORDER * 100.0);
    assert_eq!(s.evpi_by_node[1], None);
}

/// E[comfort | weather, umbrella] by hand from the utility table: rain gives 70 with the umbrella
/// and 0 without, sun 20 and 100. Snow has probability 0, so there is no expectation given it:
/// `None`, not a number made up from 0 / 0.
#[test]
fn umbrella_conditional_utilities_by_hand() {
    let vars = vec![
        Variable::new("weather", ["rain", "sun", "snow"]),
        Variable::new("umbrella", ["take", "leave"]),
    ];
    let nodes = vec![
        IdNode::Chance(Cpt { parents: vec![], table: vec![0.3, 0.7, 0.0] }),
        IdNode::Decision { informational: vec![] },
    ];
    let u = Utility {
        name: "comfort".into(),
        parents: vec![0, 1],
        table: vec![70.0, 0.0, 20.0, 100.0, 50.0, 50.0],
    };
    let id = InfluenceDiagram::new(vars, nodes, vec![u], vec![1]).expect("valid");
    let s = solve(&id, &decide()).expect("solves");
    let c =
        conditional_utilities(&id, &s, 1, 0, 1 << 20).expect("the weather precedes the decision");
    assert_eq!(c.probability, vec![0.3, 0.7, 0.0]);
    let expected = [[Some(70.0), Some(0.0)], [Some(20.0), Some(100.0)], [None, None]];
    assert_eq!(c.expected_utility.len(), expected.len());
    for (got, want) in c.expected_utility.iter().zip(&expected) {
        assert_eq!(got.len(), want.len());
        for (g, w) in got.iter().zip(want) {
            match (g, w) {
                (Some(g), Some(w)) => assert!((g - w).abs() < prec::REORDER * 100.0, "{got:?}"),
                _ => assert_eq!(g, w),
            }
        }
    }
}

#[test]
fn umbrella_with_forecast_policy() {
    // Observing the weather itself: the policy takes the umbrella when it rains.
    let vars = vec![
        Variable::new("weather", ["rain", "sun"]),
        Variable::new("umbrella", ["take", "leave"]),
    ];
    let nodes = vec![
        IdNode::Chance(Cpt { parents: vec![], table: vec![0.3, 0.7] }),
        IdNode::Decision { informational: vec![0] },
    ];
    let u = Utility {
        name: "comfort".into(),
        parents: vec![0, 1],
        table: vec![70.0, 0.0, 20.0, 100.0],
    };
    let id = InfluenceDiagram::new(vars, nodes, vec![u], vec![1]).expect("valid");
    let s = solve(&id, &decide()).expect("solves");
    assert_eq!(s.decisions[0].policy.choice, vec![0, 1]);
    assert!((s.meu - 91.0).abs() < prec::REORDER * 100.0);
    assert_eq!(s.evpi_by_node[0], Some(0.0));
}

#[test]
fn err_id_cycle() {
    let vars = vec![Variable::new("x", ["a", "b"]), Variable::new("d", ["p", "q"])];
    let nodes = vec![
        IdNode::Chance(Cpt { parents: vec![1], table: vec![0.5, 0.5, 0.5, 0.5] }),
        IdNode::Decision { informational: vec![0] },
    ];
    let u = Utility { name: "u".into(), parents: vec![0], table: vec![1.0, 0.0] };
    assert!(matches!(
        InfluenceDiagram::new(vars, nodes, vec![u], vec![1]),
        Err(IdError::Cycle { .. })
    ));
}

#[test]
fn err_id_no_utility() {
    let vars = vec![Variable::new("d", ["p", "q"])];
    let nodes = vec![IdNode::Decision { informational: vec![] }];
    assert_eq!(InfluenceDiagram::new(vars, nodes, vec![], vec![0]), Err(IdError::NoUtilities));
}

#[test]
fn err_id_bad_utility_table() {
    let vars = vec![Variable::new("d", ["p", "q"])];
    let nodes = vec![IdNode::Decision { informational: vec![] }];
    let u = Utility { name: "u".into(), parents: vec![0], table: vec![1.0, f64::NAN] };
    let e = InfluenceDiagram::new(vars, nodes, vec![u], vec![0]);
    assert!(matches!(e, Err(IdError::UtilityTable { utility: 0, .. })));
}

#[test]
fn tornado_umbrella_threshold() {
    // take = 20 + 50 p, leave = 100 − 100 p cross at p = 80/150 (p = P(rain)).
    let o = TornadoOptions { probability_swing: 0.1, utility_swing: 0.1, compile: opts() };
    let t = tornado_utility(&umbrella(), &o).expect("solves");
    let rain =
        t.bars.iter().find(|b| b.parameter == Parameter::Probability { node: 0, row: 0, state: 0 });
    let th = rain.and_then(|b| b.threshold).unwrap_or(-1.0);
    assert!((th - 80.0 / 150.0).abs() < prec::REFERENCE * 10.0, "{th}");
    assert!(t.bars.windows(2).all(|w| w[0].swing >= w[1].swing));
}

/// The bar of P(rain) on the umbrella diagram by hand: ±0.1 around 0.3 gives 0.2 and 0.4; the
/// best option, leave, is worth 100 − 100 p: 80 at the low end, 70 at the base, 60 at the high
/// end (take, 20 + 50 p, stays below it), so the bar swings by 20.
#[test]
fn tornado_umbrella_rain_bar_by_hand() {
    let o = TornadoOptions { probability_swing: 0.1, utility_swing: 0.1, compile: opts() };
    let t = tornado_utility(&umbrella(), &o).expect("solves");
    let rain = Parameter::Probability { node: 0, row: 0, state: 0 };
    let bar = t.bars.iter().find(|b| b.parameter == rain).expect("a bar for P(rain)");
    let close = |got: f64, want: f64| (got - want).abs() < prec::REORDER * 100.0;
    assert!(close(t.base, 70.0), "{t:?}");
    assert!(close(bar.base, 0.3) && close(bar.low, 0.2) && close(bar.high, 0.4), "{bar:?}");
    let (lo, hi) = (bar.target_low.unwrap_or(f64::NAN), bar.target_high.unwrap_or(f64::NAN));
    assert!(close(lo, 80.0) && close(hi, 60.0) && close(bar.swing, 20.0), "{bar:?}");
}

// Property tests.

/// A random network of up to 7 variables with up to 3 states and 2 parents.
fn arb_net() -> impl Strategy<Value = BayesNet> {
    (2usize..7).prop_flat_map(|n| {
        (
            proptest::collection::vec(1usize..4, n),
            proptest::collection::vec(
                proptest::collection::vec(any::<prop::sample::Index>(), 0..3),
                n,
            ),
            proptest::collection::vec(0.01f64..1.0, 200),
        )
            .prop_map(move |(cards, parent_picks, weights)| {
                let mut w = weights.into_iter().cycle();
                let mut vars = Vec::new();
                let mut cpts = Vec::new();
                for v in 0..n {
                    vars.push(Variable::new(
                        format!("v{v}"),
                        (0..cards[v]).map(|s| format!("s{s}")),
                    ));
                    let mut parents: Vec<usize> = if v == 0 {
                        vec![]
                    } else {
                        parent_picks[v].iter().map(|i| i.index(v)).collect()
                    };
                    parents.sort_unstable();
                    parents.dedup();
                    let rows: usize = parents.iter().map(|&p| cards[p]).product();
                    let mut table = Vec::new();
                    for _ in 0..rows {
                        let row: Vec<f64> =
                            (0..cards[v]).map(|_| w.next().unwrap_or(0.5)).collect();
                        let s: f64 = row.iter().sum();
                        table.extend(row.iter().map(|x| x / s));
                    }
                    cpts.push(Cpt { parents, table });
                }
                BayesNet::new(vars, cpts).expect("valid by construction")
            })
    })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    #[test]
    fn marginals_sum_to_one_and_match_brute_force(net in arb_net(), pick in any::<prop::sample::Index>()) {
        let node = pick.index(net.len());
        let ev = [Finding::Likelihood { node, likelihood: (0..net.card(node)).map(|s| 0.2 + s as f64).collect() }];
        let post = JunctionTree::compile(&net, &opts()).expect("compiles").marginals(&ev).expect("possible");
        for row in &post.marginals {
            prop_assert!((row.iter().sum::<f64>() - 1.0).abs() < prec::REORDER * 10.0);
        }
        let (want, _) = brute(&net, &ev);
        for (g, w) in post.marginals.iter().flatten().zip(want.iter().flatten()) {
            prop_assert!((g - w).abs() < prec::REORDER * 100.0);
        }
    }

    #[test]
    fn evidence_and_complement_recover_the_prior(net in arb_net(), pick in any::<prop::sample::Index>()) {
        // P(Y) = P(Y | X = s) P(X = s) + P(Y | X ≠ s) P(X ≠ s), the complement entered as a
        // likelihood of 1 on every other state.
        let jt = JunctionTree::compile(&net, &opts()).expect("compiles");
        let prior = jt.marginals(&[]).expect("no evidence");
        let x = pick.index(net.len());
        prop_assume!(net.card(x) > 1);
        let on = [Finding::State { node: x, state: 0 }];
        let off = [Finding::Likelihood { node: x, likelihood: (0..net.card(x)).map(|s| f64::from(u8::from(s != 0))).collect() }];
        let (a, b) = (jt.marginals(&on), jt.marginals(&off));
        if let (Ok(a), Ok(b)) = (a, b) {
            for y in 0..net.len() {
                for s in 0..net.card(y) {
                    let mix = a.marginals[y][s] * a.evidence_probability + b.marginals[y][s] * b.evidence_probability;
                    prop_assert!((mix - prior.marginals[y][s]).abs() < prec::REORDER * 100.0);
                }
            }
        }
    }

    #[test]
    fn mpe_is_the_brute_force_maximum(net in arb_net()) {
        let jt = JunctionTree::compile(&net, &opts()).expect("compiles");
        let mpe = jt.mpe(&[]).expect("no evidence");
        // No assignment is more probable: compare with the largest joint entry.
        let n = net.len();
        let card: Vec<usize> = (0..n).map(|v| net.card(v)).collect();
        let mut best: f64 = 0.0;
        let total: usize = card.iter().product();
        for mut code in 0..total {
            let mut x = vec![0; n];
            for v in 0..n { x[v] = code % card[v]; code /= card[v]; }
            let p: f64 = net.cpts().iter().enumerate().map(|(v, c)| {
                let row = c.parents.iter().fold(0, |r, &q| r * card[q] + x[q]);
                c.table[row * card[v] + x[v]]
            }).product();
            best = best.max(p);
        }
        prop_assert!((mpe.probability - best).abs() < prec::REORDER * 10.0);
    }

    #[test]
    fn evpi_is_never_negative(net in arb_net(), utils in proptest::collection::vec(-100.0f64..100.0, 81)) {
        // Turn variable 0 into a decision observed by nothing and add a utility on (0, last).
        let n = net.len();
        let vars = net.variables().to_vec();
        let mut nodes: Vec<IdNode> = net.cpts().iter().cloned().map(IdNode::Chance).collect();
        // Children of variable 0 keep it as a parent (a decision may be a CPT parent).
        nodes[0] = IdNode::Decision { informational: vec![] };
        let last = n - 1;
        let parents = if last == 0 { vec![0] } else { vec![0, last] };
        let size: usize = parents.iter().map(|&p| net.card(p)).product();
        let u = Utility { name: "u".into(), parents, table: utils[..size].to_vec() };
        let id = InfluenceDiagram::new(vars, nodes, vec![u], vec![0]).expect("valid");
        let s = solve(&id, &decide()).expect("solves");
        prop_assert!(s.evpi.is_some_and(|e| e >= 0.0));
        prop_assert!(s.evpi_by_node.iter().flatten().all(|&e| e >= 0.0));
        // The best option's expected utility is the maximum expected utility.
        let best = s.decisions[0].expected_utility[s.decisions[0].best];
        prop_assert!((best - s.meu).abs() < prec::REORDER * 1000.0);
    }
}

/// A diagram of one decision, variable 0 of `net`, observed by nothing, with a utility on it
/// and the last variable; with `dummy`, a second decision of one option comes after it, which
/// changes no expected utility or policy of the first but makes the tornado search its
/// thresholds by bisection instead of from the lines of the first decision's table.
fn one_decision(net: &BayesNet, utils: &[f64], dummy: bool) -> InfluenceDiagram {
    let n = net.len();
    let mut vars = net.variables().to_vec();
    let mut nodes: Vec<IdNode> = net.cpts().iter().cloned().map(IdNode::Chance).collect();
    nodes[0] = IdNode::Decision { informational: vec![] };
    let parents = if n == 1 { vec![0] } else { vec![0, n - 1] };
    let size: usize = parents.iter().map(|&p| net.card(p)).product();
    let u = Utility { name: "u".into(), parents, table: utils[..size].to_vec() };
    let mut order = vec![0];
    if dummy {
        vars.push(Variable::new("later", ["only"]));
        nodes.push(IdNode::Decision { informational: vec![] });
        order.push(n);
    }
    InfluenceDiagram::new(vars, nodes, vec![u], order).expect("valid")
}

/// The umbrella's threshold on P(rain), 80/150, by bisection as well as from the lines.
#[test]
fn tornado_thresholds_by_bisection_and_by_lines_agree_on_the_umbrella() {
    let o = TornadoOptions { probability_swing: 0.1, utility_swing: 0.1, compile: opts() };
    let rain = Parameter::Probability { node: 0, row: 0, state: 0 };
    let mut with_later = umbrella();
    with_later = InfluenceDiagram::new(
        [with_later.variables(), &[Variable::new("later", ["only"])]].concat(),
        [with_later.nodes(), &[IdNode::Decision { informational: vec![] }]].concat(),
        with_later.utilities().to_vec(),
        vec![1, 2],
    )
    .expect("valid");
    for id in [umbrella(), with_later] {
        let t = tornado_utility(&id, &o).expect("solves");
        let bar = t.bars.iter().find(|b| b.parameter == rain).expect("a bar for P(rain)");
        let th = bar.threshold.unwrap_or(-1.0);
        assert!((th - 80.0 / 150.0).abs() < prec::REFERENCE * 10.0, "{th}");
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(48))]

    /// With one decision, each threshold placed from the lines of the decision's table is the
    /// one bisection finds (to its tolerance), and so is the absence of one.
    #[test]
    fn tornado_thresholds_from_lines_are_those_of_bisection(net in arb_net(), utils in proptest::collection::vec(-100.0f64..100.0, 81)) {
        let o = TornadoOptions { probability_swing: 0.1, utility_swing: 0.1, compile: opts() };
        let lines = tornado_utility(&one_decision(&net, &utils, false), &o).expect("solves");
        let bisected = tornado_utility(&one_decision(&net, &utils, true), &o).expect("solves");
        prop_assert_eq!(lines.bars.len(), bisected.bars.len());
        for a in &lines.bars {
            let b = bisected.bars.iter().find(|b| b.parameter == a.parameter).expect("same bars");
            match (a.threshold, b.threshold) {
                (None, None) => {}
                (Some(x), Some(y)) => {
                    let scale = a.base.abs().max(1.0);
                    prop_assert!((x - y).abs() <= prec::REFERENCE * 2.0 * scale, "{:?}: {} against {}", a.parameter, x, y);
                }
                (x, y) => prop_assert!(false, "{:?}: {:?} against {:?}", a.parameter, x, y),
            }
        }
    }
}

#[test]
fn new_tables_on_a_compiled_tree_give_what_a_fresh_compilation_gives() {
    // The sprinkler network with every table replaced: set_tables on the tree compiled from the
    // old numbers must agree with compiling the new network, with and without evidence.
    let old = sprinkler();
    let mut tables: Vec<Vec<f64>> = old.cpts().iter().map(|c| c.table.clone()).collect();
    for t in &mut tables {
        for row in t.chunks_mut(2) {
            let p = (row[0] * 0.7 + 0.1).min(1.0);
            row[0] = p;
            row[1] = 1.0 - p;
        }
    }
    let mut jt = JunctionTree::compile(&old, &opts()).unwrap();
    let pairs: Vec<(usize, &[f64])> = tables.iter().enumerate().map(|(v, t)| (v, &t[..])).collect();
    jt.set_tables(&pairs).unwrap();
    let cpts = old
        .cpts()
        .iter()
        .zip(&tables)
        .map(|(c, t)| Cpt { parents: c.parents.clone(), table: t.clone() })
        .collect();
    let new = BayesNet::new(old.variables().to_vec(), cpts).unwrap();
    let fresh = JunctionTree::compile(&new, &opts()).unwrap();
    for evidence in [vec![], vec![state(3, 0)]] {
        let (a, b) = (jt.marginals(&evidence).unwrap(), fresh.marginals(&evidence).unwrap());
        for (x, y) in a.marginals.iter().flatten().zip(b.marginals.iter().flatten()) {
            assert!((x - y).abs() <= prec::REORDER);
        }
    }
    // A bad table is refused and changes nothing.
    assert!(matches!(jt.set_tables(&[(0, &[0.5, 0.6])]), Err(NetError::RowSum { .. })));
    assert!(matches!(jt.set_tables(&[(9, &[1.0])]), Err(NetError::NoSuchNode { node: 9 })));
    assert_eq!(jt.net(), &new);
}
