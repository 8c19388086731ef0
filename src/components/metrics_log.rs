//! The run's numbers over time, for export: every published set of metric cards with the
//! simulated time it was shown at, bounded (when full, every other row is dropped, so a long run
//! keeps its whole span at a coarser step and memory stays flat).

use super::Metric;
use crate::format;

/// Rows kept at most (then thinned to half).
pub const MAX_ROWS: usize = 2_048;

/// One moment's cards: each one's number and, for a card whose value is a name, its text.
type Row = Vec<(f64, Option<&'static str>)>;

/// The metric cards over a run. A change of the clock backwards (reset, restart) or of the set
/// of cards starts a new log: it always describes one run.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct MetricsLog {
    names: Vec<&'static str>,
    rows: Vec<(f64, Row)>,
}

impl MetricsLog {
    /// Records the cards shown at simulated time `t_s` (the same time again replaces that row).
    pub fn record(&mut self, t_s: f64, metrics: &[Metric]) {
        if !t_s.is_finite() {
            return;
        }
        let same_cards = self.names.len() == metrics.len() && self.names.iter().zip(metrics).all(|(n, m)| *n == m.name);
        let restarted = self.rows.last().is_some_and(|(last, _)| t_s < *last);
        if !same_cards || restarted {
            self.names = metrics.iter().map(|m| m.name).collect();
            self.rows.clear();
        }
        let values = metrics.iter().map(|m| (m.value, m.text)).collect();
        match self.rows.last_mut() {
            Some(last) if last.0 == t_s => last.1 = values,
            _ => self.rows.push((t_s, values)),
        }
        if self.rows.len() > MAX_ROWS {
            let last = self.rows.len() - 1;
            let mut i = 0;
            self.rows.retain(|_| {
                let keep = i % 2 == 0 || i == last;
                i += 1;
                keep
            });
        }
    }

    /// Rows recorded.
    pub fn len(&self) -> usize {
        self.rows.len()
    }

    /// Whether nothing was recorded.
    pub fn is_empty(&self) -> bool {
        self.rows.is_empty()
    }

    /// The log as CSV: `time_s` then one column per card (its `data-testid` name), one row per
    /// moment; a card `hidden` (a prediction's answer) is left out, an undefined value is empty, a
    /// card whose value is a name (`Metric::text`) holds that name, as its `data-value` does.
    pub fn to_csv(&self, hidden: impl Fn(&str) -> bool) -> String {
        let columns: Vec<usize> = (0..self.names.len()).filter(|&i| !hidden(self.names[i])).collect();
        let mut out = String::from("time_s");
        for &i in &columns {
            out.push(',');
            out.push_str(self.names[i]);
        }
        out.push('\n');
        for (t, values) in &self.rows {
            out.push_str(&format::raw(*t));
            for &i in &columns {
                out.push(',');
                match values.get(i) {
                    Some((_, Some(text))) => out.push_str(text),
                    Some((v, None)) if v.is_finite() => out.push_str(&format::raw(*v)),
                    _ => {}
                }
            }
            out.push('\n');
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cards(a: f64, b: f64) -> Vec<Metric> {
        vec![
            Metric::number("hit-ratio", "Hit ratio", a, 2, ""),
            Metric::maybe("p99-ms", "p99", Some(b).filter(|v| v.is_finite()), 0, "-", ""),
        ]
    }

    #[test]
    fn a_named_value_is_written_as_its_name() {
        let mut log = MetricsLog::default();
        let card = |name: &'static str| vec![Metric::text("bottleneck", "Bottleneck", 6.0, name, name.into(), "")];
        log.record(0.0, &card("db-primary"));
        log.record(1.0, &card("app-servers"));
        assert_eq!(
            log.to_csv(|_| false),
            "time_s,bottleneck\n0,db-primary\n1,app-servers\n"
        );
    }

    #[test]
    fn records_a_run_and_writes_csv() {
        let mut log = MetricsLog::default();
        log.record(0.0, &cards(0.0, 1.0));
        log.record(1.0, &cards(0.5, 2.0));
        log.record(1.0, &cards(0.6, f64::NAN));
        assert_eq!(log.len(), 2, "the same moment replaces its row");
        assert_eq!(log.to_csv(|_| false), "time_s,hit-ratio,p99-ms\n0,0,1\n1,0.6,\n");
        assert_eq!(
            log.to_csv(|n| n == "p99-ms"),
            "time_s,hit-ratio\n0,0\n1,0.6\n",
            "hidden cards are left out"
        );
        log.record(0.5, &cards(0.1, 3.0));
        assert_eq!(log.len(), 1, "a clock going back starts a new run");
        log.record(f64::NAN, &cards(0.1, 3.0));
        assert_eq!(log.len(), 1);
    }

    #[test]
    fn stays_bounded_and_keeps_the_span() {
        let mut log = MetricsLog::default();
        for t in 0..100_000 {
            log.record(f64::from(t), &cards(1.0, 1.0));
        }
        assert!(log.len() <= MAX_ROWS && log.len() > MAX_ROWS / 4, "{}", log.len());
        let csv = log.to_csv(|_| false);
        assert!(csv.lines().nth(1).unwrap().starts_with("0,"), "the start is kept");
        assert!(csv.lines().last().unwrap().starts_with("99999,"), "the latest is kept");
    }
}
