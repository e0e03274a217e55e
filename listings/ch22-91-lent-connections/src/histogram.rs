//! A latency histogram whose memory does not grow with the number of
//! requests: a fixed set of counters, one per range of microseconds.

use std::time::Duration;

/// Below twice this many microseconds, every value has a bucket of its own;
/// above, each power of two is split into this many buckets, so a bucket is
/// never wider than 1/64 of the values it holds.
const SUB_BUCKETS: u64 = 64;

/// Enough buckets for any number of microseconds a `u64` can hold.
const BUCKETS: usize = bucket_of(u64::MAX) + 1;

/// The bucket that counts `micros`.
const fn bucket_of(micros: u64) -> usize {
    if micros < 2 * SUB_BUCKETS {
        return micros as usize;
    }
    // Keep the value's 7 highest bits (64 to 127); the shift says how many
    // low bits were dropped, and picks the power of two.
    let shift = 63 - micros.leading_zeros() as u64 - 6;
    (shift * SUB_BUCKETS + (micros >> shift)) as usize
}

/// The highest number of microseconds that bucket `index` counts.
fn highest_in(index: usize) -> u64 {
    let index = index as u64;
    if index < 2 * SUB_BUCKETS {
        return index;
    }
    let shift = index / SUB_BUCKETS - 1;
    let top_bits = index % SUB_BUCKETS + SUB_BUCKETS;
    (top_bits << shift) + ((1 << shift) - 1)
}

pub struct Histogram {
    counts: Vec<u64>,
    total: u64,
    /// The largest value recorded, exactly.
    max: u64,
}

impl Histogram {
    pub fn new() -> Histogram {
        Histogram {
            counts: vec![0; BUCKETS],
            total: 0,
            max: 0,
        }
    }

    pub fn record(&mut self, latency: Duration) {
        let micros = u64::try_from(latency.as_micros()).unwrap_or(u64::MAX);
        self.counts[bucket_of(micros)] += 1;
        self.total += 1;
        self.max = self.max.max(micros);
    }

    /// How many values were recorded.
    pub fn count(&self) -> u64 {
        self.total
    }

    /// The largest value recorded; `None` if there is none.
    pub fn max(&self) -> Option<Duration> {
        (self.total > 0).then(|| Duration::from_micros(self.max))
    }

    /// The value that `percent` % of the recorded values do not exceed,
    /// rounded up to the top of its bucket (never above `max`); `None` if
    /// nothing was recorded.
    pub fn percentile(&self, percent: f64) -> Option<Duration> {
        if self.total == 0 {
            return None;
        }
        // The rank of the value we want, 1 for the smallest.
        let rank = ((percent / 100.0 * self.total as f64).ceil() as u64).clamp(1, self.total);
        let mut seen = 0;
        for (index, &count) in self.counts.iter().enumerate() {
            seen += count;
            if seen >= rank {
                return Some(Duration::from_micros(highest_in(index).min(self.max)));
            }
        }
        // Not reached: the counts add up to the total.
        Some(Duration::from_micros(self.max))
    }

    // ANCHOR: merge
    /// Adds every value `other` recorded to this histogram.
    pub fn merge(&mut self, other: &Histogram) {
        for (mine, theirs) in self.counts.iter_mut().zip(&other.counts) {
            *mine += theirs;
        }
        self.total += other.total;
        self.max = self.max.max(other.max);
    }
    // ANCHOR_END: merge
}
