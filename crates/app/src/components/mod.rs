//! The page's building blocks, one component a module.

pub mod capabilities;
pub mod chart_table;
pub mod code_panel;
pub mod compare;
pub mod editor;
pub mod guess;
pub mod history;
pub mod key_figures;
pub mod launch;
pub mod mandelbrot;
pub mod playground;
pub mod pool_status;
pub mod presets;
pub mod replay;
pub mod responsiveness;
pub mod results;
pub mod run_output;
pub mod share;
pub mod sweep;
pub mod timeline;
