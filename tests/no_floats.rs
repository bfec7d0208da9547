//! Money is exact: no `f32`/`f64` anywhere in the core (amounts are integer
//! cents, rates and splits use `rust_decimal`).

use std::path::Path;

fn scan(dir: &Path, hits: &mut Vec<String>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            scan(&path, hits);
        } else if path.extension().is_some_and(|e| e == "rs") {
            let text = std::fs::read_to_string(&path).unwrap_or_default();
            for (n, line) in text.lines().enumerate() {
                let code = line.split("//").next().unwrap_or("");
                let tokens = code.split(|c: char| !c.is_ascii_alphanumeric() && c != '_');
                if tokens
                    .into_iter()
                    .any(|t| t == "f32" || t == "f64" || t == "as_f64" || t == "from_f64")
                {
                    hits.push(format!("{}:{}: {}", path.display(), n + 1, line.trim()));
                }
            }
        }
    }
}

#[test]
fn the_core_has_no_floating_point() {
    let mut hits = Vec::new();
    scan(
        &Path::new(env!("CARGO_MANIFEST_DIR")).join("src"),
        &mut hits,
    );
    assert!(
        hits.is_empty(),
        "floating point in the core:\n{}",
        hits.join("\n")
    );
}
