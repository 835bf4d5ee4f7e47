//! The page's building blocks, one component a module.

pub mod capabilities;
pub mod cpu_demo;
pub mod io_demo;
pub mod pool_status;
