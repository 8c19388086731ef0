//! Measurements a lab model keeps while it runs: counters, latency histograms, time series for
//! charts and windowed rates. All have bounded memory, whatever the run length.

mod counter;
mod histogram;
mod rate;
mod series;

pub use counter::Counter;
pub use histogram::{CoarseBin, Histogram};
pub use rate::WindowedRate;
pub use series::TimeSeries;
