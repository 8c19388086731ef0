//! Jump consistent hash (Lamping & Veach, "A Fast, Minimal Memory, Consistent Hash Algorithm", 2014).
//!
//! Maps a 64-bit key to a bucket in `0..buckets` with no memory and about `ln(buckets) + 1` loop
//! iterations. Going from `n` to `n + 1` buckets moves an expected `1/(n+1)` of the keys, all of them
//! into the new bucket. Buckets are numbered, not named, so only the last one can be removed.

/// The bucket of `key` among `buckets` buckets, or `None` when there are no buckets.
///
/// The paper's loop, bit for bit: `key = key * 2862933555777941757 + 1` (wrapping) and
/// `j = floor((b + 1) * 2^31 / ((key >> 33) + 1))` in IEEE double precision, which is exact and
/// portable.
pub fn jump_bucket(key: u64, buckets: u32) -> Option<u32> {
    jump_with_steps(key, buckets).map(|(bucket, _)| bucket)
}

/// Like [`jump_bucket`], also returning how many loop iterations it took (for the lookup cost).
pub fn jump_with_steps(mut key: u64, buckets: u32) -> Option<(u32, u32)> {
    if buckets == 0 {
        return None;
    }
    let n = i64::from(buckets);
    let mut b: i64 = -1;
    let mut j: i64 = 0;
    let mut steps = 0u32;
    while j < n {
        b = j;
        key = key.wrapping_mul(2_862_933_555_777_941_757).wrapping_add(1);
        let scale = (1u64 << 31) as f64 / ((key >> 33) + 1) as f64;
        j = ((b + 1) as f64 * scale) as i64;
        steps += 1;
    }
    u32::try_from(b).ok().map(|bucket| (bucket, steps))
}

/// Expected loop iterations of jump hash over `buckets` buckets: the harmonic number `H(n)`,
/// about `ln(n) + 0.58` (the "~ln(n) + 1" rounds it up).
pub fn expected_steps(buckets: u32) -> f64 {
    const EULER_GAMMA: f64 = 0.577_215_664_901_532_9;
    if buckets <= 10_000 {
        (1..=buckets).map(|i| 1.0 / f64::from(i)).sum()
    } else {
        let n = f64::from(buckets);
        libm::log(n) + EULER_GAMMA + 0.5 / n
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paper_vector_and_edges() {
        assert_eq!(jump_bucket(42, 57), Some(43));
        assert_eq!(jump_bucket(42, 0), None);
        assert_eq!(jump_bucket(u64::MAX, 1), Some(0));
        assert!(jump_bucket(u64::MAX, u32::MAX).is_some_and(|b| b < u32::MAX));
    }
}
