//! Iteration order of a Java `HashMap` created with a given capacity.
//!
//! Dissect collects its results in `HashMap`s sized to the expected number
//! of keys, and the processor sets fields in that map's iteration order.

use isc_value::java_string_hash;

/// Indices of `keys` (distinct, in insertion order) in the order a
/// `new HashMap<>(initial_capacity)` filled with them iterates.
pub(crate) fn iteration_order<S: AsRef<str>>(keys: &[S], initial_capacity: usize) -> Vec<usize> {
    let mut capacity = initial_capacity.max(1).next_power_of_two();
    while keys.len() * 4 > capacity * 3 {
        capacity *= 2;
    }
    let mut order: Vec<(usize, usize)> = keys
        .iter()
        .enumerate()
        .map(|(i, k)| {
            let h = java_string_hash(k.as_ref()) as u32;
            (((h ^ (h >> 16)) as usize) & (capacity - 1), i)
        })
        .collect();
    order.sort_unstable();
    order.into_iter().map(|(_, i)| i).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn small_capacity_changes_order() {
        // "a"=97 and "e"=101: bucket 1 of 4 for both, so insertion order.
        assert_eq!(iteration_order(&["e", "a"], 2), [0, 1]);
        // With 16 buckets "a" (1) comes before "e" (5).
        assert_eq!(iteration_order(&["e", "a"], 16), [1, 0]);
    }
}
