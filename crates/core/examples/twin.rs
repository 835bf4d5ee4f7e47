//! Prints the Python twin of the experiment given as a query string
//! (`cargo run -p overlap-core --example twin -- 'w=cpu&s=pool&k=2'`).

fn main() {
    let query = std::env::args().nth(1).unwrap_or_default();
    let decoded = overlap_core::experiment::url::decode_str(&query);
    print!("{}", overlap_core::twin::python(&decoded.experiment));
}
