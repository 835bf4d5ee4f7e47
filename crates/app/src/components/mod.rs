//! The page's building blocks, one component a module.

pub mod capabilities;
pub mod code_panel;
pub mod editor;
pub mod mandelbrot;
pub mod playground;
pub mod pool_status;
pub mod presets;
pub mod responsiveness;
pub mod results;
pub mod sweep;
pub mod timeline;
