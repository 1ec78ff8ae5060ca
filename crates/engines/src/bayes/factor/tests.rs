//! The one-pass eliminations of [`marginalise`] against the plain path they replaced: building
//! each product pairwise, left to right, then summing the variable out. The two must agree to
//! the last bit (not within a tolerance), since the reports print what the solver finds and the
//! goldens pin it.

use proptest::prelude::*;

use super::*;

/// The constant factor 1 over no variables.
fn unit() -> Factor {
    Factor { scope: Vec::new(), cards: Vec::new(), values: vec![1.0] }
}

/// The strides of `f`'s variables as seen from a table over `scope` (0 for a variable `f`
/// does not have).
fn strides_in(f: &Factor, scope: &[usize]) -> Vec<usize> {
    let mut own = vec![0usize; f.scope.len()];
    let mut stride = 1;
    for k in (0..f.scope.len()).rev() {
        own[k] = stride;
        stride *= f.cards[k];
    }
    scope.iter().map(|v| f.scope.iter().position(|u| u == v).map_or(0, |k| own[k])).collect()
}

/// The product of two factors over the union of their scopes, built whole.
fn product(a: &Factor, b: &Factor, limit: usize) -> Result<Factor, TooLarge> {
    let mut pairs: Vec<(usize, usize)> =
        a.scope.iter().copied().zip(a.cards.iter().copied()).collect();
    for (k, &v) in b.scope.iter().enumerate() {
        if !a.scope.contains(&v) {
            pairs.push((v, b.cards[k]));
        }
    }
    pairs.sort_unstable();
    let scope: Vec<usize> = pairs.iter().map(|p| p.0).collect();
    let cards: Vec<usize> = pairs.iter().map(|p| p.1).collect();
    let entries: f64 = cards.iter().map(|&c| c as f64).product();
    if entries > limit as f64 {
        return Err(TooLarge { entries });
    }
    let (sa, sb) = (strides_in(a, &scope), strides_in(b, &scope));
    let mut values = vec![0.0; cards.iter().product()];
    let mut digits = vec![0usize; scope.len()];
    let (mut ia, mut ib) = (0usize, 0usize);
    for value in &mut values {
        *value = a.values[ia] * b.values[ib];
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

/// `f` with `var` summed out, the states added in order from 0.
fn sum_out(f: &Factor, var: usize) -> Factor {
    let Some(pos) = f.scope.iter().position(|&v| v == var) else { return f.clone() };
    let inner: usize = f.cards[pos + 1..].iter().product();
    let card = f.cards[pos];
    let outer = f.values.len() / (inner * card);
    let mut values = vec![0.0; outer * inner];
    for o in 0..outer {
        for s in 0..card {
            let src = &f.values[(o * card + s) * inner..(o * card + s + 1) * inner];
            for (d, &x) in values[o * inner..(o + 1) * inner].iter_mut().zip(src) {
                *d += x;
            }
        }
    }
    let (mut scope, mut cards) = (f.scope.clone(), f.cards.clone());
    scope.remove(pos);
    cards.remove(pos);
    Factor { scope, cards, values }
}

/// [`marginalise`] as it was before the one-pass eliminations: each product built whole,
/// pairwise, then summed.
fn plain(
    factors: &[Factor],
    keep: &[usize],
    card: &[usize],
    limit: usize,
) -> Result<Factor, TooLarge> {
    let borrowed: Vec<Cow<'_, Factor>> = factors.iter().map(Cow::Borrowed).collect();
    let order = elimination_order(&borrowed, keep, card);
    let mut factors: Vec<Factor> = factors.to_vec();
    for var in order {
        let (with, without): (Vec<_>, Vec<_>) =
            factors.into_iter().partition(|f| f.scope.contains(&var));
        let mut with = with.into_iter();
        let mut prod = with.next().unwrap_or_else(unit);
        for f in with {
            prod = product(&prod, &f, limit)?;
        }
        factors = without;
        factors.push(sum_out(&prod, var));
    }
    let mut result = unit();
    for f in &factors {
        result = product(&result, f, limit)?;
    }
    let mut sorted = keep.to_vec();
    sorted.sort_unstable();
    let cards: Vec<usize> = sorted.iter().map(|&v| card[v]).collect();
    let ones = Factor { values: vec![1.0; cards.iter().product()], scope: sorted, cards };
    product(&result, &ones, limit)
}

/// Up to 5 factors over up to 6 variables of 1 to 3 states, with entries of any sign and size
/// (utilities are real), and a set of variables to keep.
fn question() -> impl Strategy<Value = (Vec<usize>, Vec<Factor>, Vec<usize>)> {
    prop::collection::vec(1usize..=3, 1..=6)
        .prop_flat_map(|card| {
            let n = card.len();
            let scope = prop::collection::btree_set(0..n, 0..=3);
            let factors =
                prop::collection::vec((scope, prop::collection::vec(-50.0f64..50.0, 27)), 0..=5);
            let keep = prop::collection::btree_set(0..n, 0..=n);
            (Just(card), factors, keep)
        })
        .prop_map(|(card, raw, keep)| {
            let factors = raw
                .into_iter()
                .map(|(scope, pool)| {
                    let scope: Vec<usize> = scope.into_iter().collect();
                    let cards: Vec<usize> = scope.iter().map(|&v| card[v]).collect();
                    let values = pool[..cards.iter().product::<usize>()].to_vec();
                    Factor { scope, cards, values }
                })
                .collect();
            (card, factors, keep.into_iter().collect())
        })
}

/// A factor's scope, numbers of states and the bits of its entries.
type Bits = (Vec<usize>, Vec<usize>, Vec<u64>);

/// The bits of every entry, so that equality means the same to the last bit (and `-0.0` differs
/// from `0.0`); for an error, the bits of the size it reports.
fn bits(r: &Result<Factor, TooLarge>) -> Result<Bits, u64> {
    match r {
        Ok(f) => {
            Ok((f.scope.clone(), f.cards.clone(), f.values.iter().map(|x| x.to_bits()).collect()))
        }
        Err(e) => Err(e.entries.to_bits()),
    }
}

proptest! {
    /// The one-pass path gives what the pairwise path gives, bit for bit, with a size limit
    /// that every question fits in and with limits that stop some products (the same error,
    /// with the same size, from both).
    #[test]
    fn one_pass_equals_pairwise((card, factors, keep) in question(), limit in prop::sample::select(vec![1usize, 4, 9, 30, 1 << 20])) {
        let fast = marginalise(&factors, &keep, &card, limit, &mut Workspace::default());
        prop_assert_eq!(bits(&fast), bits(&plain(&factors, &keep, &card, limit)));
    }
}

/// A question whose every factor is about one variable summed out, with the same orders reused:
/// the remembered order gives the same result as a fresh one.
#[test]
fn remembered_orders_give_the_same_result() {
    let card = [2, 3, 2];
    let a =
        Factor { scope: vec![0, 1], cards: vec![2, 3], values: vec![0.1, 0.2, 0.7, 0.3, 0.3, 0.4] };
    let b = Factor {
        scope: vec![1, 2],
        cards: vec![3, 2],
        values: vec![1.0, -2.0, 0.5, 4.0, 3.0, 0.25],
    };
    let mut work = Workspace::default();
    let fresh = bits(&marginalise([&a, &b], &[2], &card, 1 << 20, &mut work));
    let again = bits(&marginalise([&a, &b], &[2], &card, 1 << 20, &mut work));
    let reference = bits(&plain(&[a, b], &[2], &card, 1 << 20));
    assert_eq!(fresh, reference);
    assert_eq!(again, reference);
}
