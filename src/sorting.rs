//! The one sort of the crate. Each element type and comparator handed to the
//! standard library's sorts is compiled into its own copy of them (2–5 KB
//! each in the module: quicksort, small sorts, drift merges), and the full
//! module carried three. Sorting positions with one comparator type keeps
//! a single copy, and the caller's order is a total one (ties broken by
//! position), so the result is the same as a stable sort's.

use core::cmp::Ordering;

/// The positions `0..len`, ordered by `compare`.
///
/// `compare` must be a total order over the positions (break ties by
/// position); it is called as a `dyn` function so that every caller shares
/// the one sort.
pub fn order(len: usize, compare: &dyn Fn(usize, usize) -> Ordering) -> Vec<usize> {
    let mut positions: Vec<usize> = (0..len).collect();
    positions.sort_unstable_by(|a, b| compare(*a, *b));
    positions
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn orders_positions_by_the_comparator() {
        let keys = [3, 1, 2, 1];
        let by_key = |a: usize, b: usize| keys[a].cmp(&keys[b]).then(a.cmp(&b));
        assert_eq!(order(keys.len(), &by_key), [1, 3, 2, 0]);
        assert_eq!(order(0, &by_key), Vec::<usize>::new());
    }

    proptest! {
        /// The same order as the standard library's stable sort by key.
        #[test]
        fn equals_a_stable_sort(keys in proptest::collection::vec(0u8..8, 0..200)) {
            let ordered = order(keys.len(), &|a, b| keys[a].cmp(&keys[b]).then(a.cmp(&b)));
            let mut stable: Vec<usize> = (0..keys.len()).collect();
            stable.sort_by_key(|i| keys[*i]);
            prop_assert_eq!(ordered, stable);
        }
    }
}
