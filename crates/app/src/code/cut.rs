//! A function cut from its source file, as the code panel quotes it.

/// The top-level function `name` of `source` with its doc comment and
/// attributes: from the first line of those to the `}` that closes it at
/// the start of a line (rustfmt's layout, which `cargo fmt --check` keeps).
pub fn function_source(source: &str, name: &str) -> Option<String> {
    let lines: Vec<&str> = source.lines().collect();
    let is_head = |line: &str| {
        let rest = ["pub(super) ", "pub(crate) ", "pub "]
            .iter()
            .find_map(|p| line.strip_prefix(p))
            .unwrap_or(line);
        let rest = rest.strip_prefix("async ").unwrap_or(rest);
        rest.strip_prefix("fn ")
            .and_then(|r| r.strip_prefix(name))
            .is_some_and(|r| r.starts_with('(') || r.starts_with('<'))
    };
    let head = lines.iter().position(|l| is_head(l))?;
    let mut first = head;
    while first > 0 && (lines[first - 1].starts_with("///") || lines[first - 1].starts_with("#[")) {
        first -= 1;
    }
    let end = head + lines[head..].iter().position(|l| *l == "}")?;
    Some(lines[first..=end].join("\n"))
}
