//! The actors lens: Godet's two structural methods of *la prospective*.
//!
//! Brief overview:
//! - [`micmac`]: structural analysis of the drivers of a system. A [`micmac::DriverMatrix`] of
//!   direct influences (0–3 or `P`, potential) gives each driver's direct influence and
//!   dependence, its indirect ones from the powers of the matrix until their rankings are
//!   stable, the Perron limit of those powers, and a class on the influence–dependence map.
//! - [`mactor`]: the actors' game. A [`mactor::Mid`] (actor × actor direct means of action, 0–4)
//!   gives the indirect matrix MIDI and each actor's balance-of-power coefficient Ri*; with a
//!   [`mactor::Mao`] (actor × objective positions, −4..+4) it gives the convergences and
//!   divergences between actors at three levels, their ambivalence, and the mobilisation on
//!   each objective.
//!
//! The formulas follow J. Arcade, M. Godet, F. Meunier and F. Roubelat (2009), "Structural
//! analysis with the MICMAC method & actors' strategy with MACTOR method", in J. C. Glenn and
//! T. J. Gordon (eds.), *Futures Research Methodology* v3.0, The Millennium Project, chapter 11;
//! and M. Godet (2006), *Creating Futures: Scenario Planning as a Strategic Management Tool*,
//! 2nd ed., Economica, chapters 4 and 5. Where the literature gives variants of a formula, the
//! options name the variant used and let a caller choose another.

pub mod mactor;
pub mod micmac;

/// Ranks `values` from the largest (rank 1) to the smallest; equal values are ranked by index,
/// the lower index first. `cmp` compares two values.
fn ranks_by<T>(values: &[T], cmp: impl Fn(&T, &T) -> std::cmp::Ordering) -> Vec<usize> {
    let mut order: Vec<usize> = (0..values.len()).collect();
    // A stable sort keeps equal values in index order.
    order.sort_by(|&a, &b| cmp(&values[b], &values[a]));
    let mut ranks = vec![0; values.len()];
    for (position, &i) in order.iter().enumerate() {
        ranks[i] = position + 1;
    }
    ranks
}
