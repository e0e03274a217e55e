//! Axes: which span of values a chart's axis covers, where its ticks go,
//! and where a value lands along it (linear or logarithmic).

/// One axis: the values from `lo` to `hi`, and the ticks labelled on it.
#[derive(Debug, Clone, PartialEq)]
pub struct Axis {
    pub log: bool,
    pub lo: f64,
    pub hi: f64,
    pub ticks: Vec<f64>,
    /// The decimals every tick label shows, for evenly spaced ticks; `None`
    /// where each tick is written as it is (logarithmic or data ticks).
    pub decimals: Option<usize>,
}

impl Axis {
    /// An axis over `values` with round ticks: on a linear axis, evenly
    /// spaced by 1, 2 or 5 times a power of ten, from 0 if `from_zero`; on
    /// a logarithmic one, at 1, 2 and 5 times the powers of ten (only the
    /// powers when the values span more than two of them). The ends are
    /// ticks, so the axis never stops between two. A linear axis has at
    /// most `intervals` (and about 5) spaces between its ticks.
    pub fn nice(values: &[f64], log: bool, from_zero: bool, intervals: usize) -> Axis {
        let (min, max) = span(values);
        if log {
            return log_axis(min, max);
        }
        let mut lo = if from_zero { min.min(0.0) } else { min };
        let mut hi = if from_zero { max.max(0.0) } else { max };
        if hi == lo {
            // One value: an axis around it (or up to 1 for a lone 0).
            if lo == 0.0 {
                hi = 1.0;
            } else if from_zero {
                (lo, hi) = (lo.min(0.0), hi.max(0.0));
            } else {
                (lo, hi) = (lo - lo.abs() / 2.0, hi + hi.abs() / 2.0);
            }
        }
        let step = nice_step((hi - lo) / intervals.clamp(1, 5) as f64);
        let decimals = decimals_of(step);
        let first = (lo / step).floor() as i64;
        let last = (hi / step).ceil() as i64;
        let ticks: Vec<f64> = (first..=last)
            .map(|i| round(i as f64 * step, decimals))
            .collect();
        Axis {
            log: false,
            lo: ticks[0],
            hi: ticks[ticks.len() - 1],
            ticks,
            decimals: Some(decimals),
        }
    }

    /// An axis whose ticks are the values themselves (few distinct values,
    /// such as numbers of connections), from the smallest to the largest.
    pub fn at_values(values: &[f64], log: bool) -> Axis {
        let mut ticks: Vec<f64> = values.to_vec();
        ticks.sort_by(f64::total_cmp);
        ticks.dedup();
        let (lo, hi) = span(&ticks);
        let (lo, hi) = if lo == hi {
            if log {
                (lo / 2.0, hi * 2.0)
            } else {
                (lo - 1.0, hi + 1.0)
            }
        } else {
            (lo, hi)
        };
        Axis {
            log,
            lo,
            hi,
            ticks,
            decimals: None,
        }
    }

    /// Where `value` lands, from 0 (at `lo`) to 1 (at `hi`).
    pub fn fraction(&self, value: f64) -> f64 {
        if self.log {
            (value.ln() - self.lo.ln()) / (self.hi.ln() - self.lo.ln())
        } else {
            (value - self.lo) / (self.hi - self.lo)
        }
    }

    /// The smallest distance between two ticks, as a fraction of the axis.
    pub fn tightest_gap(&self) -> f64 {
        self.ticks
            .windows(2)
            .map(|pair| self.fraction(pair[1]) - self.fraction(pair[0]))
            .fold(1.0, f64::min)
    }
}

fn span(values: &[f64]) -> (f64, f64) {
    let min = values.iter().copied().fold(f64::INFINITY, f64::min);
    let max = values.iter().copied().fold(f64::NEG_INFINITY, f64::max);
    if min.is_finite() {
        (min, max)
    } else {
        (0.0, 1.0)
    }
}

/// 1, 2, 2.5 or 5 times a power of ten, the smallest at least `raw`.
fn nice_step(raw: f64) -> f64 {
    let magnitude = 10f64.powf(raw.log10().floor());
    let step = [1.0, 2.0, 2.5, 5.0, 10.0]
        .into_iter()
        .map(|m| m * magnitude)
        .find(|step| *step >= raw * (1.0 - 1e-9))
        .unwrap_or(10.0 * magnitude);
    round(step, decimals_of(step))
}

/// The decimals that write `step` (0.25: 2), from 0 to 9.
fn decimals_of(step: f64) -> usize {
    (0..9)
        .find(|&d| {
            let scaled = step * 10f64.powi(d as i32);
            (scaled - scaled.round()).abs() < 1e-6 * scaled.abs().max(1.0)
        })
        .unwrap_or(9)
}

fn round(value: f64, decimals: usize) -> f64 {
    let factor = 10f64.powi(decimals as i32);
    let rounded = (value * factor).round() / factor;
    if rounded == 0.0 { 0.0 } else { rounded }
}

fn log_axis(min: f64, max: f64) -> Axis {
    let (low, high) = (min.log10().floor() as i32, max.log10().ceil() as i32);
    let mantissas: &[f64] = if high - low <= 2 {
        &[1.0, 2.0, 5.0]
    } else {
        &[1.0]
    };
    let candidates: Vec<f64> = (low - 1..=high + 1)
        .flat_map(|e| {
            mantissas
                .iter()
                .map(move |m| round(m * 10f64.powi(e), (-e).max(0) as usize))
        })
        .collect();
    let lo = candidates
        .iter()
        .copied()
        .filter(|c| *c <= min * (1.0 + 1e-9))
        .fold(f64::NEG_INFINITY, f64::max);
    let mut hi = candidates
        .iter()
        .copied()
        .filter(|c| *c >= max * (1.0 - 1e-9))
        .fold(f64::INFINITY, f64::min);
    if hi <= lo {
        // One value, on a tick: the next tick up.
        hi = candidates
            .iter()
            .copied()
            .find(|c| *c > lo)
            .unwrap_or(lo * 10.0);
    }
    let ticks = candidates
        .into_iter()
        .filter(|c| *c >= lo && *c <= hi)
        .collect();
    Axis {
        log: true,
        lo,
        hi,
        ticks,
        decimals: None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_linear_axis_from_zero_ends_on_a_round_tick() {
        let axis = Axis::nice(&[3365.2, 17558.4, 7049.7], false, true, 5);
        assert_eq!(axis.ticks, [0.0, 5000.0, 10000.0, 15000.0, 20000.0]);
        assert_eq!((axis.lo, axis.hi), (0.0, 20000.0));
        assert_eq!(axis.decimals, Some(0));
        assert_eq!(axis.fraction(10000.0), 0.5);
    }

    #[test]
    fn small_values_get_decimal_ticks() {
        let axis = Axis::nice(&[0.511, 24.063], false, true, 5);
        assert_eq!(axis.ticks, [0.0, 5.0, 10.0, 15.0, 20.0, 25.0]);
        let axis = Axis::nice(&[0.0, 1.2], false, true, 5);
        assert_eq!(axis.ticks, [0.0, 0.25, 0.5, 0.75, 1.0, 1.25]);
        assert_eq!(axis.decimals, Some(2));
        let axis = Axis::nice(&[0.1, 0.9], false, true, 5);
        assert_eq!(axis.ticks, [0.0, 0.2, 0.4, 0.6, 0.8, 1.0]);
        assert_eq!(axis.decimals, Some(1));
    }

    #[test]
    fn a_narrow_axis_gets_fewer_ticks() {
        let axis = Axis::nice(&[17558.4], false, true, 3);
        assert_eq!(axis.ticks, [0.0, 10000.0, 20000.0]);
    }

    #[test]
    fn one_value_still_makes_an_axis() {
        assert_eq!(
            Axis::nice(&[0.0], false, true, 5).ticks,
            [0.0, 0.2, 0.4, 0.6, 0.8, 1.0]
        );
        let axis = Axis::nice(&[7.0], false, true, 5);
        assert!(axis.lo == 0.0 && axis.hi >= 7.0, "{axis:?}");
        let axis = Axis::nice(&[7.0], false, false, 5);
        assert!(axis.lo <= 3.5 && axis.hi >= 10.5, "{axis:?}");
        let axis = Axis::nice(&[100.0], true, false, 5);
        assert_eq!((axis.lo, axis.hi), (100.0, 200.0));
        let axis = Axis::at_values(&[4.0, 4.0], true);
        assert_eq!(
            (axis.lo, axis.hi, axis.ticks.clone()),
            (2.0, 8.0, vec![4.0])
        );
    }

    #[test]
    fn a_log_axis_has_ticks_at_1_2_5_or_at_powers_of_ten() {
        let axis = Axis::nice(&[3000.0, 17558.4], true, false, 5);
        assert_eq!(axis.ticks, [2000.0, 5000.0, 10000.0, 20000.0]);
        assert_eq!((axis.lo, axis.hi), (2000.0, 20000.0));
        let wide = Axis::nice(&[0.5, 24063.0], true, false, 5);
        assert_eq!(
            wide.ticks,
            [0.1, 1.0, 10.0, 100.0, 1000.0, 10000.0, 100000.0]
        );
        assert!((wide.fraction(1000.0) - 4.0 / 6.0).abs() < 1e-12);
    }

    #[test]
    fn ticks_at_the_values_keep_them_in_order_once() {
        let axis = Axis::at_values(&[16.0, 1.0, 4.0, 64.0, 4.0], true);
        assert_eq!(axis.ticks, [1.0, 4.0, 16.0, 64.0]);
        assert_eq!((axis.lo, axis.hi), (1.0, 64.0));
        assert!((axis.tightest_gap() - 1.0 / 3.0).abs() < 1e-12);
        let linear = Axis::at_values(&[1.0, 4.0, 16.0, 64.0], false);
        assert!((linear.tightest_gap() - 3.0 / 63.0).abs() < 1e-12);
    }
}
