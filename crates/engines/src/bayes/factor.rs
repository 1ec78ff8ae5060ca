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
#[derive(Debug, Clone, Default, PartialEq)]
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

    /// The assignment (one state per scope variable) of entry `entry`.
    pub(crate) fn decode(&self, mut entry: usize, out: &mut [usize]) {
        for k in (0..self.scope.len()).rev() {
            out[k] = entry % self.cards[k];
            entry /= self.cards[k];
        }
    }
}

/// What [`marginalise`] keeps from one call to the next: the elimination orders it has chosen,
/// by the shape of its question (the scopes and numbers of states of its factors, and the
/// variables kept), and the buffers and spent tables it reuses. The order depends on nothing
/// else, so a solver that asks the same question of many diagrams of one shape (a tornado
/// changes one table at a time) chooses each order once; the arithmetic is the same either way.
/// Once the first calls have sized the buffers, an elimination allocates nothing; a call
/// allocates only its lists of factors, and its result when no spent table is left.
#[derive(Debug, Default)]
pub(crate) struct Workspace {
    orders: HashMap<Vec<usize>, Vec<usize>>,
    shape: Vec<usize>,
    buffers: Buffers,
}

/// The scratch space of [`product_sum`] and [`check_products`], and the tables of products
/// already summed into the next, whose storage the next product takes over.
#[derive(Debug, Default)]
struct Buffers {
    joined: Vec<bool>,
    union: Vec<usize>,
    cards: Vec<usize>,
    strides: Vec<usize>,
    idx: Vec<usize>,
    digits: Vec<usize>,
    spent: Vec<Factor>,
}

impl Buffers {
    /// Keeps the storage of `factors` that were built here (owned), for the next product.
    fn recycle<'a>(&mut self, factors: impl Iterator<Item = Cow<'a, Factor>>) {
        self.spent.extend(factors.filter_map(|f| match f {
            Cow::Owned(f) => Some(f),
            Cow::Borrowed(_) => None,
        }));
    }

    /// `joined` for `n` variables, every one unmarked.
    fn joined(&mut self, n: usize) -> &mut [bool] {
        self.joined.clear();
        self.joined.resize(n, false);
        &mut self.joined
    }
}

/// Multiplies `factors` and sums out every variable not in `keep`, eliminating greedily the
/// variable whose product is smallest (the smallest index among equals). The result's scope is
/// exactly `keep` (sorted): kept variables that no factor mentions are broadcast.
///
/// The factors are borrowed: only the tables it builds are allocated, so that a solver calling
/// it many times on one diagram copies no table of the diagram. Each elimination multiplies the
/// factors that mention the variable and sums it out in one pass ([`product_sum`]), without
/// building their product; the arithmetic is that of multiplying them pairwise, left to right,
/// and then summing the states in order, so the numbers are the same to the last bit. `work`
/// remembers the order of elimination of each shape of question, and lends its buffers.
pub(crate) fn marginalise<'a>(
    factors: impl IntoIterator<Item = &'a Factor>,
    keep: &[usize],
    card: &[usize],
    limit: usize,
    work: &mut Workspace,
) -> Result<Factor, TooLarge> {
    let mut factors: Vec<Cow<'a, Factor>> = factors.into_iter().map(Cow::Borrowed).collect();
    let Workspace { orders, shape, buffers } = work;
    shape.clear();
    for f in &factors {
        shape.extend(&f.scope);
        shape.extend(&f.cards);
        shape.push(usize::MAX);
    }
    shape.extend(keep);
    if !orders.contains_key(shape.as_slice()) {
        orders.insert(shape.clone(), elimination_order(&factors, keep, card));
    }
    let order = &orders[shape.as_slice()];
    let mut rest: Vec<Cow<'a, Factor>> = Vec::with_capacity(factors.len());
    let mut with: Vec<Cow<'a, Factor>> = Vec::new();
    let outcome = (|| {
        for &var in order {
            for f in factors.drain(..) {
                if f.scope.contains(&var) { with.push(f) } else { rest.push(f) }
            }
            // The first factor is not multiplied by anything, so only the products after it
            // count.
            check_products(&with, &[], card, limit, Checked::FromSecond, buffers)?;
            let summed = product_sum(&with, &[], Some(var), card, buffers);
            buffers.recycle(with.drain(..));
            rest.push(Cow::Owned(summed));
            std::mem::swap(&mut factors, &mut rest);
        }
        let mut sorted = keep.to_vec();
        sorted.sort_unstable();
        // The result is the unit factor times each factor left, then times 1 over `keep`: each
        // of those products is checked.
        check_products(&factors, &sorted, card, limit, Checked::FromFirst, buffers)?;
        Ok(product_sum(&factors, &sorted, None, card, buffers))
    })();
    buffers.recycle(factors.into_iter().chain(with).chain(rest));
    outcome
}

/// Which of a chain of products [`check_products`] checks.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Checked {
    /// The product with each factor, the first included (a chain that starts from 1).
    FromFirst,
    /// The product with each factor after the first (a chain that starts from the first).
    FromSecond,
}

/// Fails as multiplying `factors` left to right, then by a factor over `extra` if not empty,
/// would: with the size of the first product over `limit` entries.
fn check_products(
    factors: &[Cow<'_, Factor>],
    extra: &[usize],
    card: &[usize],
    limit: usize,
    checked: Checked,
    buffers: &mut Buffers,
) -> Result<(), TooLarge> {
    let joined = buffers.joined(card.len());
    let extra_scope = (!extra.is_empty()).then_some(extra);
    let chain = factors.iter().map(|f| f.scope.as_slice()).chain(extra_scope);
    for (k, scope) in chain.enumerate() {
        scope.iter().for_each(|&v| joined[v] = true);
        if k == 0 && checked == Checked::FromSecond {
            continue;
        }
        // In ascending order of variables, as a product's size has always been multiplied.
        let entries: f64 =
            joined.iter().zip(card).filter(|(j, _)| **j).map(|(_, &c)| c as f64).product();
        if entries > limit as f64 {
            return Err(TooLarge { entries });
        }
    }
    Ok(())
}

/// The product of `factors` (left to right, 1 when there are none) over the union of their
/// scopes and `extra`, with `var` summed out when given: what multiplying them pairwise and then
/// summing `var` out gives, to the last bit, but in one pass over the union and without building
/// the product. The result's storage is a spent table of `buffers` when there is one.
///
/// Each entry of the product is `((f1 · f2) · f3) · …` taken at its state, as the pairwise
/// products compute it; the entries that differ only in `var`'s state come in the order of that
/// state, and each is added to its sum starting from 0, as a sum over `var` does.
fn product_sum(
    factors: &[Cow<'_, Factor>],
    extra: &[usize],
    var: Option<usize>,
    card: &[usize],
    buffers: &mut Buffers,
) -> Factor {
    let joined = buffers.joined(card.len());
    for f in factors {
        f.scope.iter().for_each(|&v| joined[v] = true);
    }
    extra.iter().for_each(|&v| joined[v] = true);
    let Buffers { joined, union, cards, strides, idx, digits, spent } = buffers;
    union.clear();
    union.extend((0..card.len()).filter(|&v| joined[v]));
    cards.clear();
    cards.extend(union.iter().map(|&v| card[v]));
    let n = union.len();
    // strides[k * m + j]: the stride of the union's k-th variable in factor j (0 when absent),
    // and strides[k * m + m - 1] in the result.
    let m = factors.len() + 1;
    strides.clear();
    strides.resize(n * m, 0);
    for (j, f) in factors.iter().enumerate() {
        let mut stride = 1;
        for (v, &c) in f.scope.iter().zip(&f.cards).rev() {
            if let Ok(k) = union.binary_search(v) {
                strides[k * m + j] = stride;
            }
            stride *= c;
        }
    }
    let mut stride = 1;
    for k in (0..n).rev() {
        if Some(union[k]) != var {
            strides[k * m + m - 1] = stride;
            stride *= cards[k];
        }
    }
    let mut result = spent.pop().unwrap_or_default();
    let values = &mut result.values;
    values.clear();
    values.resize(stride, 0.0);
    let total: usize = cards.iter().product();
    idx.clear();
    idx.resize(m, 0);
    digits.clear();
    digits.resize(n, 0);
    for _ in 0..total {
        let p = match factors.split_first() {
            Some((first, others)) => {
                let mut p = first.values[idx[0]];
                for (j, f) in others.iter().enumerate() {
                    p *= f.values[idx[j + 1]];
                }
                p
            }
            None => 1.0,
        };
        let out = &mut values[idx[m - 1]];
        if var.is_some() {
            *out += p;
        } else {
            *out = p;
        }
        for k in (0..n).rev() {
            digits[k] += 1;
            let row = &strides[k * m..(k + 1) * m];
            idx.iter_mut().zip(row).for_each(|(i, s)| *i += s);
            if digits[k] < cards[k] {
                break;
            }
            idx.iter_mut().zip(row).for_each(|(i, s)| *i -= s * cards[k]);
            digits[k] = 0;
        }
    }
    result.scope.clear();
    result.cards.clear();
    for (&v, &c) in union.iter().zip(cards.iter()) {
        if Some(v) != var {
            result.scope.push(v);
            result.cards.push(c);
        }
    }
    result
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

#[cfg(test)]
mod tests;
