//! All extreme Nash equilibria of a two-player game, exactly, by enumerating the vertices of both
//! best-response polytopes and pairing the completely labelled ones (or, in a nondegenerate game
//! from [`ONE_SIDED_MIN_LABELS`] strategies, enumerating one polytope and pivoting to each
//! vertex's partner in the other: module `partner`; copies of strategies are merged first:
//! module `duplicates`); then the maximal Nash subsets (maximal bicliques of extreme equilibria)
//! and the connected components they form.
//!
//! The polytopes are `P = {x ≥ 0 : Bᵀx ≤ 1}` and `Q = {y ≥ 0 : Ay ≤ 1}` after shifting both
//! payoff matrices to be positive (von Stengel 2002, section 2.3, equation (2.8)). Label `i`
//! (`0 ≤ i < m`) means row `i` is unplayed or a best response; label `m + j` likewise for column
//! `j`. Each polytope's vertices are found by a depth-first search over its lexicographically
//! feasible bases (every pivot by the lexicographic minimum ratio test, section 2.5), which
//! visits every vertex of a degenerate polytope: the lex-feasible bases are the vertices of a
//! nondegenerate perturbation, whose graph is connected, and every vertex of the original
//! polytope is the image of one of them. Pivoting is fraction-free (section 2.6) in `i64`, then
//! `i128`, then big integers if a number outgrows the type.

use std::collections::{HashMap, HashSet};
use std::hash::{BuildHasherDefault, Hasher};

use num_bigint::BigInt;
use num_rational::BigRational;
use num_traits::{Signed, Zero};

use super::duplicates::{Classes, expand};
use super::lh::{normalise, shift_positive};
use super::num::{Num, Wide4, Wide6, Wide8, Wide16};
use super::partner::{Partner, PartnerSearch};
use super::tableau::{Overflow, Tableau};
use super::{Equilibrium, Game};

/// The largest `m + n` (strategies of both players together) [`enumerate_extreme`] accepts.
pub const MAX_LABELS: usize = 64;

/// The smallest `m + n` for which [`Search::Auto`] enumerates one polytope (see [`Search`]).
pub const ONE_SIDED_MIN_LABELS: usize = 16;

/// Options of [`enumerate_extreme`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct EnumOptions {
    /// Stop with [`EnumError::BasisLimit`] after visiting this many bases of one polytope.
    /// About 10⁵ bases take a second.
    pub max_bases: usize,
    /// Which polytopes to enumerate.
    pub search: Search,
}

/// How [`enumerate_extreme`] finds the completely labelled vertex pairs. Every choice lists the
/// same extreme equilibria; they differ in time and in what they learn about the polytopes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum Search {
    /// [`Search::OneSided`] when the game has at least [`ONE_SIDED_MIN_LABELS`] strategies in
    /// all, [`Search::Both`] below (where both take milliseconds and `Both` also tells whether
    /// the game is degenerate).
    Auto,
    /// Enumerate both best-response polytopes (on two threads) and match their vertices.
    Both,
    /// Enumerate the row player's polytope `P` and, for each vertex, pivot a dictionary of the
    /// column player's polytope `Q` to the one point carrying the missing labels (as `lrsnash`
    /// solves only the matching face of its second polytope). At the first vertex where that
    /// face is not a single point (a degenerate game, or dependent labels) the search stops
    /// and enumerates both polytopes as [`Search::Both`] does. Only the vertices of `P` with a
    /// partner keep their coordinates, so memory grows by a few dozen bytes a vertex.
    OneSided,
}

/// Why [`enumerate_extreme`] could not list every extreme equilibrium.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum EnumError {
    /// The method is for two-player games.
    #[error("complete enumeration needs a two-player game, this one has {players} players")]
    NotTwoPlayer {
        /// The number of players.
        players: usize,
    },
    /// Too many strategies for complete enumeration.
    #[error(
        "a {rows}×{cols} game is too large for complete enumeration (at most {max} strategies in all); use Lemke–Howson (one equilibrium per label) or logit QRE instead"
    )]
    TooLarge {
        /// Row strategies.
        rows: usize,
        /// Column strategies.
        cols: usize,
        /// [`MAX_LABELS`].
        max: usize,
    },
    /// A polytope had more bases than [`EnumOptions::max_bases`].
    #[error(
        "a {rows}×{cols} game has more than {limit} bases in player {player}'s best-response polytope; raise the limit, or use Lemke–Howson or logit QRE instead"
    )]
    BasisLimit {
        /// Row strategies.
        rows: usize,
        /// Column strategies.
        cols: usize,
        /// The player (0 or 1) whose polytope was being enumerated.
        player: usize,
        /// [`EnumOptions::max_bases`].
        limit: usize,
    },
}

/// One extreme point of a player's best-response polytope that takes part in an equilibrium.
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct Vertex {
    /// The mixed strategy (probabilities in strategy order).
    #[cfg_attr(feature = "serde", serde(serialize_with = "super::ser::rationals"))]
    pub strategy: Vec<BigRational>,
    /// Its labels: own unplayed strategies and the other player's best responses, as indices
    /// `0..m` (rows) and `m..m+n` (columns).
    pub labels: Vec<usize>,
}

/// A maximal Nash subset: every row vertex in `rows` with every column vertex in `cols` is an
/// equilibrium, and so is every point of the product of their convex hulls (Millham 1974;
/// Winkels 1979; Audet, Hansen, Jaumard & Savard 2001).
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct NashSubset {
    /// Indices into [`ExtremeSolution::row_vertices`].
    pub rows: Vec<usize>,
    /// Indices into [`ExtremeSolution::col_vertices`].
    pub cols: Vec<usize>,
}

/// A connected component of the equilibrium set: maximal Nash subsets that share a vertex.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct Component {
    /// Indices into [`ExtremeSolution::subsets`].
    pub subsets: Vec<usize>,
    /// Indices into [`ExtremeSolution::equilibria`] of the extreme equilibria it contains.
    pub equilibria: Vec<usize>,
}

/// Every extreme equilibrium of a two-player game, with the structure of the equilibrium set.
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct ExtremeSolution {
    /// The extreme equilibria, sorted by the row strategy then the column strategy.
    pub equilibria: Vec<Equilibrium>,
    /// For each equilibrium, its `(row vertex, column vertex)` indices.
    pub pairs: Vec<(usize, usize)>,
    /// The row player's vertices that occur in an equilibrium.
    pub row_vertices: Vec<Vertex>,
    /// The column player's vertices that occur in an equilibrium.
    pub col_vertices: Vec<Vertex>,
    /// The maximal Nash subsets (maximal bicliques of the bipartite graph of extreme equilibria).
    pub subsets: Vec<NashSubset>,
    /// The connected components of the equilibrium set.
    pub components: Vec<Component>,
    /// Whether the game is degenerate: some mixed strategy with support size `k` has more than
    /// `k` pure best responses, seen as a polytope vertex with too many labels (von Stengel
    /// 2002, definition 2.6 and theorem 2.10). `None` when only `P` was enumerated, it showed
    /// no degeneracy, and neither did the vertices of `Q` found as partners: degeneracy of the
    /// column player's strategies elsewhere in `Q` is then not determined.
    pub degenerate: Option<bool>,
    /// Vertices of each polytope, origin included (the row player's `P`, the column player's
    /// `Q`); `Q`'s is `None` when it was not enumerated ([`Search::OneSided`]).
    pub polytope_vertices: (usize, Option<usize>),
    /// Lexicographically feasible bases visited in each polytope (`None` as above).
    pub bases_visited: (usize, Option<usize>),
}

/// All extreme Nash equilibria of a two-player game in exact rational arithmetic, with the
/// maximal Nash subsets and the components of the equilibrium set.
///
/// Method: vertex enumeration of both best-response polytopes and matching of completely
/// labelled vertex pairs (Mangasarian 1964, "Equilibrium points of bimatrix games", SIAM J.
/// Appl. Math. 12(4), 778–780; von Stengel 2002, "Computing equilibria for two-person games",
/// Handbook of Game Theory vol. 3, ch. 45, sections 2.3–2.6 and 3.4; Avis, Rosenberg, Savani &
/// von Stengel 2010, "Enumeration of Nash equilibria for two-player games", Economic Theory
/// 42(1), 9–37, section 3, for the treatment of degenerate games). The extreme equilibria listed
/// are exactly those `lrsnash` lists. The maximal Nash subsets are the maximal bicliques of the
/// bipartite graph whose edges are the extreme equilibria (Audet, Hansen, Jaumard & Savard 2001,
/// "Enumeration of all extreme equilibria of bimatrix games", SIAM J. Sci. Comput. 23(1),
/// 323–338, section 4); the product of the convex hulls of each subset's two sides is a set of
/// equilibria, and the union of subsets sharing a vertex is a connected component.
///
/// # Errors
/// [`EnumError::NotTwoPlayer`]; [`EnumError::TooLarge`] when `m + n > 64`;
/// [`EnumError::BasisLimit`] when a polytope has more than `options.max_bases` bases.
///
/// With [`Search::OneSided`] (the default from [`ONE_SIDED_MIN_LABELS`] strategies) only `P`
/// is enumerated in a nondegenerate game, and each vertex's partner in `Q` is the basic
/// solution of the basis its missing labels name (module `partner`).
///
/// # Complexity
/// Linear in the number of lexicographic bases of both polytopes (exponential in `min(m, n)`
/// in the worst case), each pivot `O(m · n)`; then `O(|V_P| · |V_Q|)` bit operations for the
/// matching in degenerate games, near-linear otherwise. One-sided on a nondegenerate game:
/// linear in the bases of `P`, with a few pivots of `Q`'s dictionary per vertex of `P`.
///
/// # Example
/// ```
/// use engines::games::{enumerate_extreme, EnumError, EnumOptions, Game, Search};
/// let opts = EnumOptions { max_bases: 1_000_000, search: Search::Auto };
/// // Matching pennies: one mixed equilibrium, (1/2, 1/2) for both.
/// let g = Game::bimatrix_int(&[vec![1, -1], vec![-1, 1]], &[vec![-1, 1], vec![1, -1]]).unwrap();
/// let s = enumerate_extreme(&g, &opts).unwrap();
/// assert_eq!(s.equilibria.len(), 1);
/// assert_eq!(s.equilibria[0].profile[0][0].to_string(), "1/2");
/// // An all-zero game is degenerate: every profile is an equilibrium, one component with
/// // the four pure profiles as its extreme points.
/// let z = Game::bimatrix_int(&[vec![0, 0], vec![0, 0]], &[vec![0, 0], vec![0, 0]]).unwrap();
/// let s = enumerate_extreme(&z, &opts).unwrap();
/// assert_eq!(s.degenerate, Some(true));
/// assert_eq!((s.equilibria.len(), s.components.len()), (4, 1));
/// // Three players: not for this method.
/// let zero = engines::games::BigRational::from_integer(0.into());
/// let three = engines::games::Game::new(
///     vec!["a".into(), "b".into(), "c".into()],
///     vec![vec!["x".into()], vec!["y".into()], vec!["z".into()]],
///     vec![vec![zero.clone(), zero.clone(), zero]],
/// ).unwrap();
/// assert_eq!(enumerate_extreme(&three, &opts), Err(EnumError::NotTwoPlayer { players: 3 }));
/// ```
pub fn enumerate_extreme(game: &Game, options: &EnumOptions) -> Result<ExtremeSolution, EnumError> {
    let (a, b) =
        game.int_matrices().ok_or(EnumError::NotTwoPlayer { players: game.num_players() })?;
    let (m, n) = (a.len(), a[0].len());
    if m + n > MAX_LABELS {
        return Err(EnumError::TooLarge { rows: m, cols: n, max: MAX_LABELS });
    }
    let classes = Classes::of(&a, &b);
    if classes.merges() {
        // The merged game has no copies left (columns equal on the kept rows are equal on
        // their copies too), so this recursion is one level deep.
        let merged =
            enumerate_extreme(&game.restrict(&classes.kept()), options).map_err(|e| match e {
                EnumError::BasisLimit { player, limit, .. } => {
                    EnumError::BasisLimit { rows: m, cols: n, player, limit }
                }
                e => e,
            })?;
        return Ok(expand(game, &classes, &merged));
    }
    enumerate_distinct(game, options, &a, &b)
}

/// [`enumerate_extreme`] on a game without copies of strategies (or without merging them).
pub(crate) fn enumerate_distinct(
    game: &Game,
    options: &EnumOptions,
    a: &[Vec<BigInt>],
    b: &[Vec<BigInt>],
) -> Result<ExtremeSolution, EnumError> {
    let (m, n) = (a.len(), a[0].len());
    let a = shift_positive(a);
    let b = shift_positive(b);
    // P: x in R^m, one row per column j with coefficients B[i][j]; x_i has label i, slack j has
    // label m + j. Q: y in R^n, one row per row i with coefficients A[i][j]; y_j has label m + j,
    // slack i has label i.
    let bt: Vec<Vec<BigInt>> = (0..n).map(|j| (0..m).map(|i| b[i][j].clone()).collect()).collect();
    let p_labels: Vec<usize> = (0..m + n).collect();
    let q_labels: Vec<usize> = (m..m + n).chain(0..m).collect();
    let limit = options.max_bases;
    let one_sided = match options.search {
        Search::Auto => m + n >= ONE_SIDED_MIN_LABELS,
        Search::Both => false,
        Search::OneSided => true,
    };
    let limit_err = |player| EnumError::BasisLimit { rows: m, cols: n, player, limit };
    if one_sided {
        let os = one_sided_search(&bt, &a, m, n, limit).map_err(|_| limit_err(0))?;
        let p_degenerate = os.vp.vertices.iter().any(|v| v.labels.count_ones() as usize > m);
        if let Some(found) = os.partners {
            // Partners found for distinct vertices of P are distinct or equal vertices of Q;
            // equal ones share their label set.
            let mut index: HashMap<u64, usize, MaskBuild> = HashMap::default();
            let mut vq: Vec<RawVertex> = Vec::new();
            let mut pairs = Vec::with_capacity(found.len());
            for (i, y) in found {
                let k = *index.entry(y.labels).or_insert_with(|| {
                    vq.push(y);
                    vq.len() - 1
                });
                pairs.push((i, k));
            }
            let q_degenerate = vq.iter().any(|v| v.labels.count_ones() as usize > n);
            let degenerate = (p_degenerate || q_degenerate).then_some(true);
            let counts = ((os.vp.vertices.len(), None), (os.vp.bases, None));
            return Ok(assemble(game, &os.vp.vertices, &vq, pairs, degenerate, counts));
        }
        // The search met a face of Q and stopped: enumerate both polytopes, as below.
    }
    let (vp, vq) = rayon::join(
        || polytope_vertices(&bt, m, &p_labels, limit),
        || polytope_vertices(&a, n, &q_labels, limit),
    );
    let vp = vp.map_err(|_| limit_err(0))?;
    let vq = vq.map_err(|_| limit_err(1))?;
    Ok(both_assembled(game, &vp, &vq, m, n))
}

/// The solution from every vertex of both polytopes.
fn both_assembled(
    game: &Game,
    vp: &Vertices,
    vq: &Vertices,
    m: usize,
    n: usize,
) -> ExtremeSolution {
    let degenerate = vp.vertices.iter().any(|v| v.labels.count_ones() as usize > m)
        || vq.vertices.iter().any(|v| v.labels.count_ones() as usize > n);
    let pairs = match_pairs(&vp.vertices, &vq.vertices, m, n);
    let counts = ((vp.vertices.len(), Some(vq.vertices.len())), (vp.bases, Some(vq.bases)));
    assemble(game, &vp.vertices, &vq.vertices, pairs, Some(degenerate), counts)
}

/// The vertices of `P`, and each one's partner in `Q` (`None` when some vertex's missing labels
/// left a face of `Q` larger than a point, so that both polytopes must be enumerated; the
/// vertices are then those found before it). Only the vertices with a partner have their
/// coordinates.
struct OneSided {
    vp: Vertices,
    partners: Option<Vec<(usize, RawVertex)>>,
}

/// [`one_sided_in`] in the narrowest integer type Hadamard's bound on both payoff matrices
/// allows, wider after an overflow.
fn one_sided_search(
    bt: &[Vec<BigInt>],
    a: &[Vec<BigInt>],
    m: usize,
    n: usize,
    limit: usize,
) -> Result<OneSided, VertexFail> {
    let h = hadamard_log2(bt).max(hadamard_log2(a));
    if h < 60.0 {
        if let Ok(v) = one_sided_in::<i64>(bt, a, m, n, limit) {
            return v;
        }
    }
    if h < 140.0 {
        if let Ok(v) = one_sided_in::<i128>(bt, a, m, n, limit) {
            return v;
        }
    }
    if h < 270.0 {
        if let Ok(v) = one_sided_in::<Wide4>(bt, a, m, n, limit) {
            return v;
        }
    }
    if h < 400.0 {
        if let Ok(v) = one_sided_in::<Wide6>(bt, a, m, n, limit) {
            return v;
        }
    }
    if h < 530.0 {
        if let Ok(v) = one_sided_in::<Wide8>(bt, a, m, n, limit) {
            return v;
        }
    }
    if let Ok(v) = one_sided_in::<Wide16>(bt, a, m, n, limit) {
        return v;
    }
    // Big integers do not overflow.
    one_sided_in::<BigInt>(bt, a, m, n, limit).unwrap_or(Err(VertexFail::Limit))
}

/// The one-sided search in integer type `T`; `Err(Overflow)` when a number outgrew it.
fn one_sided_in<T: Num>(
    bt: &[Vec<BigInt>],
    a: &[Vec<BigInt>],
    m: usize,
    n: usize,
    limit: usize,
) -> Result<Result<OneSided, VertexFail>, Overflow> {
    let p_labels: Vec<usize> = (0..m + n).collect();
    let mut search = PartnerSearch::<T>::new(a, m, n)?;
    let mut found: Vec<(usize, RawVertex)> = Vec::new();
    let mut face = false;
    // Only a vertex with a partner needs its coordinates (for its equilibrium's strategy); at
    // the first face the search stops, and both polytopes are enumerated instead.
    let vp = dfs::<T>(bt, m, &p_labels, limit, &mut |labels, k| {
        Ok(match search.partner(labels)? {
            Partner::None => Visit::LabelsOnly,
            Partner::One(y) => {
                found.push((k, y));
                Visit::Keep
            }
            Partner::Face => {
                face = true;
                Visit::Stop
            }
        })
    })?;
    Ok(vp.map(|vp| OneSided { vp, partners: (!face).then_some(found) }))
}

/// What [`dfs`] does with a new vertex, as its caller says.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Visit {
    /// Keep it with its coordinates.
    Keep,
    /// Keep its labels only: its coordinates are not needed, and a search of many vertices
    /// would hold gigabytes of them.
    LabelsOnly,
    /// Stop the search here (the caller searches another way).
    Stop,
}

/// A vertex as found: its label set (as a bit mask) and the numerators of its own coordinates.
#[derive(Debug, Clone)]
pub(crate) struct RawVertex {
    pub labels: u64,
    pub point: Vec<BigInt>,
}

#[derive(Debug)]
pub(crate) struct Vertices {
    pub vertices: Vec<RawVertex>,
    pub bases: usize,
}

#[derive(Debug)]
pub(crate) enum VertexFail {
    Limit,
}

/// Every vertex of `{z ≥ 0 : M z ≤ 1}`, with labels through `labels[var]`.
pub(crate) fn polytope_vertices(
    m: &[Vec<BigInt>],
    d: usize,
    labels: &[usize],
    limit: usize,
) -> Result<Vertices, VertexFail> {
    // Every tableau entry is a minor of [M | I | 1]; a type whose range Hadamard's bound on
    // those minors exceeds by far would only overflow later and waste the work, so the search
    // starts in the narrowest type that may hold them. The bound is not tight, hence the slack.
    let h = hadamard_log2(m);
    if h < 60.0 {
        if let Some(v) = run_dfs::<i64>(m, d, labels, limit)? {
            return Ok(v);
        }
    }
    if h < 140.0 {
        if let Some(v) = run_dfs::<i128>(m, d, labels, limit)? {
            return Ok(v);
        }
    }
    if h < 270.0 {
        if let Some(v) = run_dfs::<Wide4>(m, d, labels, limit)? {
            return Ok(v);
        }
    }
    if h < 400.0 {
        if let Some(v) = run_dfs::<Wide6>(m, d, labels, limit)? {
            return Ok(v);
        }
    }
    if h < 530.0 {
        if let Some(v) = run_dfs::<Wide8>(m, d, labels, limit)? {
            return Ok(v);
        }
    }
    if let Some(v) = run_dfs::<Wide16>(m, d, labels, limit)? {
        return Ok(v);
    }
    match run_dfs::<BigInt>(m, d, labels, limit)? {
        Some(v) => Ok(v),
        // Big integers do not overflow.
        None => Err(VertexFail::Limit),
    }
}

/// log2 of Hadamard's bound on the minors of `[M | 1]`: the product over rows of each row's
/// Euclidean norm (rows with norm below 1 count as 1, as identity columns may replace them).
pub(crate) fn hadamard_log2(m: &[Vec<BigInt>]) -> f64 {
    use num_traits::ToPrimitive;
    m.iter()
        .map(|row| {
            let sq: f64 =
                row.iter().map(|v| v.to_f64().unwrap_or(f64::MAX).powi(2)).sum::<f64>() + 1.0;
            0.5 * sq.log2()
        })
        .sum()
}

/// A hasher for bit masks (one multiply; the masks are already well spread).
#[derive(Debug, Default, Clone, Copy)]
pub(crate) struct MaskHasher(u64);

impl Hasher for MaskHasher {
    fn finish(&self) -> u64 {
        self.0
    }
    fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.0 = (self.0.rotate_left(5) ^ u64::from(b)).wrapping_mul(0x51_7c_c1_b7_27_22_0a_95);
        }
    }
    fn write_u64(&mut self, v: u64) {
        self.0 = (v ^ (v >> 29)).wrapping_mul(0x9e37_79b9_7f4a_7c15);
    }
}

pub(crate) type MaskBuild = BuildHasherDefault<MaskHasher>;

fn label_mask(vars: u64, labels: &[usize]) -> u64 {
    let mut out = 0u64;
    let mut v = vars;
    while v != 0 {
        let i = v.trailing_zeros() as usize;
        out |= 1u64 << labels[i];
        v &= v - 1;
    }
    out
}

/// The depth-first search over lex-feasible bases in integer type `T`; `Ok(None)` when a
/// number outgrew `T`.
fn run_dfs<T: Num>(
    m: &[Vec<BigInt>],
    d: usize,
    labels: &[usize],
    limit: usize,
) -> Result<Option<Vertices>, VertexFail> {
    match dfs::<T>(m, d, labels, limit, &mut |_, _| Ok(Visit::Keep)) {
        Ok(v) => v.map(Some),
        Err(Overflow) => Ok(None),
    }
}

/// The search itself; `on_vertex(labels, index)` runs once for each new vertex and says what
/// to do with it ([`Visit`]). A vertex kept without its coordinates has an empty `point`; after
/// [`Visit::Stop`] the vertices found so far are returned.
fn dfs<T: Num>(
    m: &[Vec<BigInt>],
    d: usize,
    labels: &[usize],
    limit: usize,
    on_vertex: &mut dyn FnMut(u64, usize) -> Result<Visit, Overflow>,
) -> Result<Result<Vertices, VertexFail>, Overflow> {
    let mut t = Tableau::<T>::new(m, d, &[])?;
    let mut visited: HashSet<u64, MaskBuild> = HashSet::default();
    let mut seen: HashMap<u64, usize, MaskBuild> = HashMap::default();
    let mut vertices: Vec<RawVertex> = Vec::new();
    // Whether to go on.
    let mut record = |t: &Tableau<T>| -> Result<bool, Overflow> {
        let lab = label_mask(t.zero_vars(), labels);
        if let std::collections::hash_map::Entry::Vacant(e) = seen.entry(lab) {
            e.insert(vertices.len());
            let visit = on_vertex(lab, vertices.len())?;
            let point = match visit {
                Visit::Keep => t.point().iter().map(T::to_big).collect(),
                Visit::LabelsOnly | Visit::Stop => Vec::new(),
            };
            vertices.push(RawVertex { labels: lab, point });
            return Ok(visit != Visit::Stop);
        }
        Ok(true)
    };
    visited.insert(t.mask);
    if !record(&t)? {
        return Ok(Ok(Vertices { vertices, bases: visited.len() }));
    }
    // Each frame: the next slot to try, and the pivot that undoes the move into this basis.
    let mut stack: Vec<(usize, Option<(usize, usize)>)> = vec![(0, None)];
    while let Some(&mut (ref mut next, undo)) = stack.last_mut() {
        let mut moved = None;
        while *next < d {
            let c = *next;
            *next += 1;
            if let Some(r) = t.lex_ratio(c)? {
                let after = t.mask_after(r, c);
                if visited.insert(after) {
                    moved = Some((r, c));
                    break;
                }
            }
        }
        match moved {
            Some((r, c)) => {
                if visited.len() > limit {
                    return Ok(Err(VertexFail::Limit));
                }
                t.pivot(r, c)?;
                if !record(&t)? {
                    break;
                }
                stack.push((0, Some((r, c))));
            }
            None => {
                if let Some((r, c)) = undo {
                    t.pivot(r, c)?;
                }
                stack.pop();
            }
        }
    }
    Ok(Ok(Vertices { vertices, bases: visited.len() }))
}

/// The completely labelled pairs `(p, q)` of non-origin vertices.
fn match_pairs(vp: &[RawVertex], vq: &[RawVertex], m: usize, n: usize) -> Vec<(usize, usize)> {
    let all = if m + n == 64 { u64::MAX } else { (1u64 << (m + n)) - 1 };
    let is_origin_p = |v: &RawVertex| v.point.iter().all(Zero::is_zero);
    // Column vertices with exactly n labels, by label set; the others are scanned.
    let mut exact: HashMap<u64, Vec<usize>, MaskBuild> = HashMap::default();
    let mut extra: Vec<usize> = Vec::new();
    for (k, v) in vq.iter().enumerate() {
        if is_origin_p(v) {
            continue;
        }
        if v.labels.count_ones() as usize == n {
            exact.entry(v.labels).or_default().push(k);
        } else {
            extra.push(k);
        }
    }
    let mut pairs = Vec::new();
    for (i, x) in vp.iter().enumerate() {
        if is_origin_p(x) {
            continue;
        }
        let need = all & !x.labels;
        if x.labels.count_ones() as usize == m {
            // A column vertex with exactly n labels must have exactly the complement.
            if let Some(ks) = exact.get(&need) {
                pairs.extend(ks.iter().map(|&k| (i, k)));
            }
        } else {
            for (&lab, ks) in &exact {
                if lab & need == need {
                    pairs.extend(ks.iter().map(|&k| (i, k)));
                }
            }
        }
        for &k in &extra {
            if vq[k].labels & need == need {
                pairs.push((i, k));
            }
        }
    }
    pairs
}

fn mask_to_vec(mask: u64) -> Vec<usize> {
    (0..64).filter(|&i| mask & (1u64 << i) != 0).collect()
}

/// Vertex and basis counts of both polytopes, as [`ExtremeSolution`] reports them.
type Counts = ((usize, Option<usize>), (usize, Option<usize>));

/// The solution from the vertices in equilibrium pairs (indices into `vp` and `vq`).
pub(crate) fn assemble(
    game: &Game,
    vp: &[RawVertex],
    vq: &[RawVertex],
    raw_pairs: Vec<(usize, usize)>,
    degenerate: Option<bool>,
    counts: Counts,
) -> ExtremeSolution {
    // Distinct vertices in use, each normalised to a mixed strategy.
    let mut rows: Vec<(usize, Vec<BigRational>)> = Vec::new();
    let mut cols: Vec<(usize, Vec<BigRational>)> = Vec::new();
    let mut row_idx: HashMap<usize, usize> = HashMap::new();
    let mut col_idx: HashMap<usize, usize> = HashMap::new();
    for &(i, k) in &raw_pairs {
        row_idx.entry(i).or_insert_with(|| {
            rows.push((i, normalise(&vp[i].point)));
            rows.len() - 1
        });
        col_idx.entry(k).or_insert_with(|| {
            cols.push((k, normalise(&vq[k].point)));
            cols.len() - 1
        });
    }
    // Sort vertices by strategy so the output does not depend on the search order.
    let mut row_order: Vec<usize> = (0..rows.len()).collect();
    row_order.sort_by(|&x, &y| rows[x].1.cmp(&rows[y].1));
    let mut col_order: Vec<usize> = (0..cols.len()).collect();
    col_order.sort_by(|&x, &y| cols[x].1.cmp(&cols[y].1));
    let mut row_rank = vec![0; rows.len()];
    for (r, &o) in row_order.iter().enumerate() {
        row_rank[o] = r;
    }
    let mut col_rank = vec![0; cols.len()];
    for (r, &o) in col_order.iter().enumerate() {
        col_rank[o] = r;
    }
    let row_vertices: Vec<Vertex> = row_order
        .iter()
        .map(|&o| Vertex { strategy: rows[o].1.clone(), labels: mask_to_vec(vp[rows[o].0].labels) })
        .collect();
    let col_vertices: Vec<Vertex> = col_order
        .iter()
        .map(|&o| Vertex { strategy: cols[o].1.clone(), labels: mask_to_vec(vq[cols[o].0].labels) })
        .collect();
    let mut pairs: Vec<(usize, usize)> =
        raw_pairs.iter().map(|(i, k)| (row_rank[row_idx[i]], col_rank[col_idx[k]])).collect();
    pairs.sort_unstable();
    pairs.dedup();
    let equilibria: Vec<Equilibrium> = pairs
        .iter()
        .map(|&(r, c)| {
            let profile = vec![row_vertices[r].strategy.clone(), col_vertices[c].strategy.clone()];
            let payoffs = bimatrix_payoffs(game, &profile);
            let pure = profile.iter().all(|s| s.iter().filter(|p| p.is_positive()).count() == 1);
            Equilibrium { profile, payoffs, pure }
        })
        .collect();
    let subsets = maximal_bicliques(&pairs, row_vertices.len(), col_vertices.len());
    let components = components_of(&subsets, &pairs);
    ExtremeSolution {
        equilibria,
        pairs,
        row_vertices,
        col_vertices,
        subsets,
        components,
        degenerate,
        polytope_vertices: counts.0,
        bases_visited: counts.1,
    }
}

/// `xᵀAy` and `xᵀBy` exactly.
pub(crate) fn bimatrix_payoffs(game: &Game, profile: &[Vec<BigRational>]) -> Vec<BigRational> {
    let (x, y) = (&profile[0], &profile[1]);
    let m = x.len();
    let mut out = vec![BigRational::zero(), BigRational::zero()];
    for (j, yj) in y.iter().enumerate() {
        if yj.is_zero() {
            continue;
        }
        for (i, xi) in x.iter().enumerate() {
            if xi.is_zero() {
                continue;
            }
            let w = xi * yj;
            for (p, o) in out.iter_mut().enumerate() {
                *o += &w * game.payoff(p, i + m * j);
            }
        }
    }
    out
}

/// The maximal bicliques of the bipartite graph with edges `pairs` (sorted), each as its row
/// side and column side. The column sides are the non-empty intersections of row
/// neighbourhoods (closed sets), found by closing the family under intersection.
fn maximal_bicliques(pairs: &[(usize, usize)], nrows: usize, ncols: usize) -> Vec<NashSubset> {
    let mut nbr: Vec<Vec<bool>> = vec![vec![false; ncols]; nrows];
    for &(r, c) in pairs {
        nbr[r][c] = true;
    }
    let mut family: Vec<Vec<bool>> = Vec::new();
    let mut known: HashSet<Vec<bool>> = HashSet::new();
    for row in &nbr {
        let mut new = vec![row.clone()];
        for f in &family {
            let inter: Vec<bool> = f.iter().zip(row).map(|(a, b)| *a && *b).collect();
            if inter.iter().any(|&b| b) {
                new.push(inter);
            }
        }
        for s in new {
            if known.insert(s.clone()) {
                family.push(s);
            }
        }
    }
    let mut out: Vec<NashSubset> = family
        .iter()
        .map(|cset| {
            let cols: Vec<usize> = (0..ncols).filter(|&c| cset[c]).collect();
            let rows: Vec<usize> =
                (0..nrows).filter(|&r| cols.iter().all(|&c| nbr[r][c])).collect();
            NashSubset { rows, cols }
        })
        .collect();
    out.sort_by(|a, b| (&a.rows, &a.cols).cmp(&(&b.rows, &b.cols)));
    out.dedup();
    out
}

/// Components: union-find over subsets sharing a row or column vertex.
fn components_of(subsets: &[NashSubset], pairs: &[(usize, usize)]) -> Vec<Component> {
    let mut parent: Vec<usize> = (0..subsets.len()).collect();
    fn find(p: &mut [usize], mut x: usize) -> usize {
        while p[x] != x {
            p[x] = p[p[x]];
            x = p[x];
        }
        x
    }
    for a in 0..subsets.len() {
        for b in a + 1..subsets.len() {
            let share = subsets[a].rows.iter().any(|r| subsets[b].rows.contains(r))
                || subsets[a].cols.iter().any(|c| subsets[b].cols.contains(c));
            if share {
                let (ra, rb) = (find(&mut parent, a), find(&mut parent, b));
                parent[ra.max(rb)] = ra.min(rb);
            }
        }
    }
    let mut out: Vec<Component> = Vec::new();
    let mut root_pos: HashMap<usize, usize> = HashMap::new();
    for s in 0..subsets.len() {
        let r = find(&mut parent, s);
        let pos = *root_pos.entry(r).or_insert_with(|| {
            out.push(Component { subsets: Vec::new(), equilibria: Vec::new() });
            out.len() - 1
        });
        out[pos].subsets.push(s);
    }
    for comp in &mut out {
        comp.equilibria = pairs
            .iter()
            .enumerate()
            .filter(|(_, (r, _))| comp.subsets.iter().any(|&s| subsets[s].rows.contains(r)))
            .map(|(e, _)| e)
            .collect();
    }
    out
}
