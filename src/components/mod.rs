//! Widgets every lab uses: parameter controls, transport, charts, metrics, lesson player, URL sync.

pub mod chart;
pub mod chart_backend;
pub mod event_log;
pub mod frame_loop;
pub mod frame_timing;
pub mod lab_boot;
pub mod lab_header;
pub mod lab_page;
pub mod lesson_player;
pub mod live;
pub mod metrics_log;
pub mod metrics_panel;
pub mod notice;
pub mod pacing;
pub mod param_control;
pub mod param_groups;
pub mod progress;
pub mod share;
pub mod text_param;
pub mod transport;
pub mod url_state;

pub use chart::{BarChart, ChartEvent, LineChart, Series};
pub use event_log::EventLog;
pub use frame_loop::use_frame_loop;
pub use lab_boot::Boot;
pub use lab_header::LabHeader;
pub use lab_page::{LabPage, LabSide, ParamsPanel};
pub use lesson_player::{param_subject, LessonPlayer, LessonProgress, LessonSide, Reveal};
pub use live::{draw, drawn_svg, list_items, source, whole, Drawing, Parts};
pub use metrics_panel::{Metric, MetricsPanel, NumbersPanel};
pub use notice::Notice;
pub use param_control::ParamControl;
pub use param_groups::{param_control, param_groups, param_groups_with, ParamAccess, ParamGroup};
pub use progress::{CompareTable, ProgressBar};
pub use text_param::TextParam;
pub use transport::{Transport, TransportState};
