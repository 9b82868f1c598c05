//! Java `String.hashCode` and `HashMap` iteration order.
//!
//! Elasticsearch holds documents in `java.util.HashMap`, so anything that
//! iterates a map (Painless `keySet()`, `Map.toString()`) sees keys in bucket
//! order, not insertion order. We keep insertion order in [`crate::Map`] and
//! compute Java's order when it is observable.

use crate::Map;

/// Java's `String.hashCode()`: `s[0]*31^(n-1) + … + s[n-1]` over UTF-16 code
/// units, wrapping in 32 bits. ASCII text is its own UTF-16 units, summed
/// without decoding.
pub fn java_string_hash(s: &str) -> i32 {
    if s.is_ascii() {
        return s
            .bytes()
            .fold(0i32, |h, b| h.wrapping_mul(31).wrapping_add(i32::from(b)));
    }
    s.encode_utf16().fold(0i32, |h, unit| {
        h.wrapping_mul(31).wrapping_add(i32::from(unit))
    })
}

/// Indices into `map` in the order a Java `HashMap` holding the same keys
/// would iterate them: [`java_hashmap_order_with_capacity`] from the
/// default capacity of 16.
pub fn java_hashmap_order(map: &Map) -> Vec<usize> {
    java_hashmap_order_with_capacity(map.keys(), 16)
}

/// Indices of `keys` (distinct, in insertion order) in the order a
/// `new HashMap<>(initial_capacity)` filled with them one at a time iterates.
///
/// The table starts at the power of two Java picks for `initial_capacity`
/// and doubles while the keys exceed three quarters of it (load factor
/// 0.75). Keys that share a bucket keep their insertion order, as
/// `HashMap`'s bucket lists and resize splits do. Buckets that Java turns
/// into trees (8+ colliding keys) are not modelled; they need pathological
/// key sets.
pub fn java_hashmap_order_with_capacity<I>(keys: I, initial_capacity: usize) -> Vec<usize>
where
    I: IntoIterator,
    I::IntoIter: ExactSizeIterator,
    I::Item: AsRef<str>,
{
    let keys = keys.into_iter();
    let capacity = java_table_capacity(initial_capacity, keys.len());
    java_bucket_order(keys.map(|k| java_string_hash(k.as_ref())), capacity)
}

/// The bucket count of a `new HashMap<>(initial_capacity)` once `len` keys
/// were put into it one at a time: the power of two Java picks for the
/// initial capacity, doubled while the keys exceed three quarters of it
/// (load factor 0.75).
pub fn java_table_capacity(initial_capacity: usize, len: usize) -> usize {
    let mut capacity = initial_capacity.max(1).next_power_of_two();
    while len * 4 > capacity * 3 {
        capacity *= 2;
    }
    capacity
}

/// Indices of keys with these Java hashes (given in insertion order) in
/// the order a `HashMap` table of `capacity` buckets iterates them: bucket
/// order, insertion order among keys sharing a bucket.
pub fn java_bucket_order<C: FromIterator<usize>>(
    hashes: impl Iterator<Item = i32>,
    capacity: usize,
) -> C {
    // Each entry as one number, bucket above index, so that one integer
    // sort gives both orders (a map holds fewer than 2^32 entries, and Java
    // tables at most 2^30 buckets).
    let mask = (capacity - 1) as u64;
    let mut order: Vec<u64> = hashes
        .zip(0u64..)
        .map(|(h, i)| {
            let h = h as u32;
            ((u64::from(h ^ (h >> 16)) & mask) << 32) | i
        })
        .collect();
    order.sort_unstable();
    order
        .iter()
        .map(|&packed| (packed & 0xffff_ffff) as usize)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Value;

    #[test]
    fn string_hash_matches_java() {
        assert_eq!(java_string_hash(""), 0);
        assert_eq!(java_string_hash("a"), 97);
        assert_eq!(java_string_hash("hello"), 99162322);
        assert_eq!(java_string_hash("polygenelubricants"), i32::MIN);
        // Beyond ASCII: UTF-16 units, a surrogate pair for U+1F600.
        assert_eq!(java_string_hash("é"), 233);
        assert_eq!(java_string_hash("a😀"), (97 * 31 + 0xD83D) * 31 + 0xDE00);
    }

    #[test]
    fn hashmap_order_is_bucket_order() {
        // Java: new HashMap with put("b"), put("a"), put("c") iterates a, b, c.
        let mut m = Map::default();
        m.insert("b".into(), Value::Null);
        m.insert("a".into(), Value::Null);
        m.insert("c".into(), Value::Null);
        let keys: Vec<&str> = java_hashmap_order(&m)
            .into_iter()
            .map(|i| m.get_index(i).map(|(k, _)| k.as_str()).unwrap_or(""))
            .collect();
        assert_eq!(keys, ["a", "b", "c"]);
    }

    proptest::proptest! {
        /// The packed sort gives bucket order, then insertion order among
        /// keys sharing a bucket (`Aa` and `BB` share a hash; short keys
        /// share buckets often), as sorting (bucket, index) pairs does.
        #[test]
        fn bucket_order_is_bucket_then_insertion_order(
            keys in proptest::collection::hash_set("(Aa|BB|[a-d]{1,3}|[A-Z][a-z]{0,6})", 0..60),
            initial in proptest::sample::select(vec![1usize, 2, 16, 64]),
        ) {
            let keys: Vec<String> = keys.into_iter().collect();
            let capacity = java_table_capacity(initial, keys.len());
            let mut pairs: Vec<(usize, usize)> = keys
                .iter()
                .enumerate()
                .map(|(i, k)| {
                    let h = java_string_hash(k) as u32;
                    (((h ^ (h >> 16)) as usize) & (capacity - 1), i)
                })
                .collect();
            pairs.sort_unstable();
            let reference: Vec<usize> = pairs.into_iter().map(|(_, i)| i).collect();
            proptest::prop_assert_eq!(java_hashmap_order_with_capacity(&keys, initial), reference);
        }
    }

    #[test]
    fn small_capacity_changes_order() {
        // "a"=97 and "e"=101: bucket 1 of 4 for both, so insertion order.
        assert_eq!(java_hashmap_order_with_capacity(["e", "a"], 2), [0, 1]);
        // With 16 buckets "a" (1) comes before "e" (5).
        assert_eq!(java_hashmap_order_with_capacity(["e", "a"], 16), [1, 0]);
    }
}
