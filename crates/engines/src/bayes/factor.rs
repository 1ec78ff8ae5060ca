//! Table factors over discrete variables and plain variable elimination, for the influence
//! diagram solver (whose queries change scope each time, so a compiled junction tree would not
//! pay off). Scopes are kept sorted ascending; the first variable varies slowest.
//!
//! Reference: N. L. Zhang and D. Poole (1994), "A simple approach to Bayesian network
//! computations", *Proceedings of the 10th Canadian Conference on AI*, pp. 171–178 (variable
//! elimination); Koller and Friedman (2009), *Probabilistic Graphical Models*, §9.3.

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

/// Multiplies `factors` and sums out every variable not in `keep`, eliminating greedily the
/// variable whose product is smallest. The result's scope is exactly `keep` (sorted): kept
/// variables that no factor mentions are broadcast.
pub(crate) fn marginalise(
    mut factors: Vec<Factor>,
    keep: &[usize],
    card: &[usize],
    limit: usize,
) -> Result<Factor, TooLarge> {
    loop {
        let mut candidates: Vec<usize> = factors
            .iter()
            .flat_map(|f| f.scope.iter().copied())
            .filter(|v| !keep.contains(v))
            .collect();
        candidates.sort_unstable();
        candidates.dedup();
        let Some(&var) = candidates.iter().min_by(|&&a, &&b| {
            let size = |v: usize| {
                let mut vars: Vec<usize> = factors
                    .iter()
                    .filter(|f| f.scope.contains(&v))
                    .flat_map(|f| f.scope.iter().copied())
                    .collect();
                vars.sort_unstable();
                vars.dedup();
                vars.iter().map(|&u| card[u] as f64).product::<f64>()
            };
            size(a).total_cmp(&size(b))
        }) else {
            break;
        };
        let (with, without): (Vec<Factor>, Vec<Factor>) =
            factors.into_iter().partition(|f| f.scope.contains(&var));
        let mut prod = Factor::unit();
        for f in &with {
            prod = prod.product(f, limit)?;
        }
        factors = without;
        factors.push(prod.sum_out(var));
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
