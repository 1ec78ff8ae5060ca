//! Table factors over discrete variables and plain variable elimination, for the influence
//! diagram solver (whose queries change scope each time, so a compiled junction tree would not
//! pay off). Scopes are kept sorted ascending; the first variable varies slowest.
//!
//! Reference: N. L. Zhang and D. Poole (1994), "A simple approach to Bayesian network
//! computations", *Proceedings of the 10th Canadian Conference on AI*, pp. 171–178 (variable
//! elimination); Koller and Friedman (2009), *Probabilistic Graphical Models*, §9.3.

use std::borrow::Cow;
use std::collections::HashMap;

/// A non-negative (or, for utilities, real) table over the variables of `scope`.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Factor {
    pub(crate) scope: Vec<usize>,
    pub(crate) cards: Vec<usize>,
    pub(crate) values: Vec<f64>,
}

/// A product would exceed the size limit.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct TooLarge {
    /// The entries the product would have.
    pub(crate) entries: f64,
}

impl Factor {
    /// The constant factor 1 over no variables.
    pub(crate) fn unit() -> Factor {
        Factor { scope: Vec::new(), cards: Vec::new(), values: vec![1.0] }
    }

    /// A factor from a table over `vars` in the given order (first slowest); `card` gives every
    /// variable's number of states.
    pub(crate) fn from_table(vars: &[usize], card: &[usize], table: &[f64]) -> Factor {
        let mut scope = vars.to_vec();
        scope.sort_unstable();
        let cards: Vec<usize> = scope.iter().map(|&v| card[v]).collect();
        // Stride of each sorted-scope variable in the given table.
        let mut strides = vec![0usize; scope.len()];
        let mut stride = 1;
        for &v in vars.iter().rev() {
            if let Some(pos) = scope.iter().position(|&u| u == v) {
                strides[pos] = stride;
            }
            stride *= card[v];
        }
        let mut values = vec![0.0; table.len()];
        super::jtree::for_each_index(&cards, &strides, |entry, idx| values[entry] = table[idx]);
        Factor { scope, cards, values }
    }

    /// The strides of this factor's variables as seen from a table over `scope` (0 for a
    /// variable this factor does not have).
    fn strides_in(&self, scope: &[usize]) -> Vec<usize> {
        let mut own = vec![0usize; self.scope.len()];
        let mut stride = 1;
        for k in (0..self.scope.len()).rev() {
            own[k] = stride;
            stride *= self.cards[k];
        }
        scope.iter().map(|v| self.scope.iter().position(|u| u == v).map_or(0, |k| own[k])).collect()
    }

    /// The product of two factors, over the union of their scopes.
    pub(crate) fn product(&self, other: &Factor, limit: usize) -> Result<Factor, TooLarge> {
        let mut scope = self.scope.clone();
        let mut cards = self.cards.clone();
        for (k, &v) in other.scope.iter().enumerate() {
            if !scope.contains(&v) {
                scope.push(v);
                cards.push(other.cards[k]);
            }
        }
        let mut pairs: Vec<(usize, usize)> =
            scope.iter().copied().zip(cards.iter().copied()).collect();
        pairs.sort_unstable();
        let scope: Vec<usize> = pairs.iter().map(|p| p.0).collect();
        let cards: Vec<usize> = pairs.iter().map(|p| p.1).collect();
        let entries: f64 = cards.iter().map(|&c| c as f64).product();
        if entries > limit as f64 {
            return Err(TooLarge { entries });
        }
        let sa = self.strides_in(&scope);
        let sb = other.strides_in(&scope);
        let total: usize = cards.iter().product();
        let mut values = vec![0.0; total];
        let mut digits = vec![0usize; scope.len()];
        let (mut ia, mut ib) = (0usize, 0usize);
        for value in values.iter_mut() {
            *value = self.values[ia] * other.values[ib];
            for k in (0..scope.len()).rev() {
                digits[k] += 1;
                ia += sa[k];
                ib += sb[k];
                if digits[k] < cards[k] {
                    break;
                }
                ia -= sa[k] * cards[k];
                ib -= sb[k] * cards[k];
                digits[k] = 0;
            }
        }
        Ok(Factor { scope, cards, values })
    }

    /// Sums `var` out (no change when it is not in scope).
    pub(crate) fn sum_out(&self, var: usize) -> Factor {
        let Some(pos) = self.scope.iter().position(|&v| v == var) else { return self.clone() };
        let inner: usize = self.cards[pos + 1..].iter().product();
        let card = self.cards[pos];
        let outer = self.values.len() / (inner * card);
        let mut values = vec![0.0; outer * inner];
        for o in 0..outer {
            for s in 0..card {
                let src = &self.values[(o * card + s) * inner..(o * card + s + 1) * inner];
                for (d, &x) in values[o * inner..(o + 1) * inner].iter_mut().zip(src) {
                    *d += x;
                }
            }
        }
        let mut scope = self.scope.clone();
        let mut cards = self.cards.clone();
        scope.remove(pos);
        cards.remove(pos);
        Factor { scope, cards, values }
    }

    /// The assignment (one state per scope variable) of entry `entry`.
    pub(crate) fn decode(&self, mut entry: usize, out: &mut [usize]) {
        for k in (0..self.scope.len()).rev() {
            out[k] = entry % self.cards[k];
            entry /= self.cards[k];
        }
    }
}

/// The elimination orders [`marginalise`] has chosen, by the shape of its question (the scopes
/// and numbers of states of its factors, and the variables kept). The order depends on nothing
/// else, so a solver that asks the same question of many diagrams of one shape (a tornado
/// changes one table at a time) chooses each order once; the arithmetic is the same either way.
#[derive(Debug, Default)]
pub(crate) struct Orders(HashMap<Vec<usize>, Vec<usize>>);

/// Multiplies `factors` and sums out every variable not in `keep`, eliminating greedily the
/// variable whose product is smallest (the smallest index among equals). The result's scope is
/// exactly `keep` (sorted): kept variables that no factor mentions are broadcast.
///
/// The factors are borrowed: only the products it builds are allocated, so that a solver calling
/// it many times on one diagram copies no table of the diagram. `orders` remembers the order of
/// elimination of each shape of question.
pub(crate) fn marginalise<'a>(
    factors: impl IntoIterator<Item = &'a Factor>,
    keep: &[usize],
    card: &[usize],
    limit: usize,
    orders: &mut Orders,
) -> Result<Factor, TooLarge> {
    let mut factors: Vec<Cow<'a, Factor>> = factors.into_iter().map(Cow::Borrowed).collect();
    let mut shape: Vec<usize> = Vec::new();
    for f in &factors {
        shape.extend(&f.scope);
        shape.extend(&f.cards);
        shape.push(usize::MAX);
    }
    shape.extend(keep);
    let order = orders.0.entry(shape).or_insert_with(|| elimination_order(&factors, keep, card));
    for &var in order.iter() {
        let (with, without): (Vec<_>, Vec<_>) =
            factors.into_iter().partition(|f| f.scope.contains(&var));
        let mut with = with.into_iter();
        // The product starts from the first factor itself: multiplying it by the unit factor
        // would only copy it (x·1 = x exactly).
        let mut prod = with.next().map_or_else(Factor::unit, Cow::into_owned);
        for f in with {
            prod = prod.product(&f, limit)?;
        }
        factors = without;
        factors.push(Cow::Owned(prod.sum_out(var)));
    }
    let mut result = Factor::unit();
    for f in &factors {
        result = result.product(f, limit)?;
    }
    let mut sorted = keep.to_vec();
    sorted.sort_unstable();
    let cards: Vec<usize> = sorted.iter().map(|&v| card[v]).collect();
    let total: usize = cards.iter().product();
    let ones = Factor { scope: sorted, cards, values: vec![1.0; total] };
    result.product(&ones, limit)
}

/// The order in which [`marginalise`] eliminates the variables of `factors` outside `keep`:
/// at each step the variable whose elimination builds the smallest product (the number of
/// entries over the union of the scopes that mention it), the smallest index among equals.
fn elimination_order(factors: &[Cow<'_, Factor>], keep: &[usize], card: &[usize]) -> Vec<usize> {
    let n = card.len();
    let mut kept = vec![false; n];
    keep.iter().for_each(|&v| kept[v] = true);
    // The scopes left, as the elimination goes.
    let mut scopes: Vec<Vec<usize>> = factors.iter().map(|f| f.scope.clone()).collect();
    let mut joined = vec![false; n];
    let mut order = Vec::new();
    loop {
        let mut candidate = vec![false; n];
        scopes.iter().flatten().for_each(|&v| candidate[v] = !kept[v]);
        let mut best: Option<(usize, f64)> = None;
        for v in (0..n).filter(|&v| candidate[v]) {
            for s in scopes.iter().filter(|s| s.contains(&v)) {
                s.iter().for_each(|&u| joined[u] = true);
            }
            // In ascending order of variables, as the size has always been multiplied.
            let mut size = 1.0;
            for (u, mark) in joined.iter_mut().enumerate() {
                if std::mem::take(mark) {
                    size *= card[u] as f64;
                }
            }
            if best.is_none_or(|(_, b)| size.total_cmp(&b).is_lt()) {
                best = Some((v, size));
            }
        }
        let Some((var, _)) = best else { return order };
        let (with, mut without): (Vec<_>, Vec<_>) =
            scopes.into_iter().partition(|s| s.contains(&var));
        let mut union: Vec<usize> = with.into_iter().flatten().filter(|&u| u != var).collect();
        union.sort_unstable();
        union.dedup();
        without.push(union);
        scopes = without;
        order.push(var);
    }
}
