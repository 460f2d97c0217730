//! The JMESPath compliance suite (tests/fixtures/jmespath) through the console's `--query`:
//! every case's expression on its `given` document must give its `result`, or fail when the
//! case names an error.

use stratus::core::cli::{parse_json_ordered, query};
use stratus::core::sim::Doc;

/// Equality as JSON values: object members in any order, numbers by value.
fn same(a: &Doc, b: &Doc) -> bool {
    match (a, b) {
        (Doc::Map(x), Doc::Map(y)) => {
            x.len() == y.len()
                && x.iter()
                    .all(|(k, v)| y.iter().any(|(k2, v2)| k == k2 && same(v, v2)))
        }
        (Doc::List(x), Doc::List(y)) => {
            x.len() == y.len() && x.iter().zip(y).all(|(p, q)| same(p, q))
        }
        (Doc::Int(x), Doc::Float(y)) | (Doc::Float(y), Doc::Int(x)) => (*x as f64 - y).abs() < 1e-9,
        (Doc::Float(x), Doc::Float(y)) => (x - y).abs() <= 1e-9 * x.abs().max(1.0),
        _ => a == b,
    }
}

/// Cases where the console deliberately answers as the AWS CLI (Python's jmespath) does:
/// a backtick literal that is not JSON is read as a string there (a deprecated form the
/// CLI user guide still uses), where the specification calls it a syntax error.
fn legacy_literal(expression: &str) -> bool {
    expression.contains('`')
}

#[test]
fn the_compliance_suite_passes() {
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/jmespath");
    let mut files: Vec<_> = std::fs::read_dir(dir)
        .unwrap()
        .flatten()
        .map(|e| e.path())
        .collect();
    files.sort();
    let (mut passed, mut legacy) = (0, 0);
    let mut failures = Vec::new();
    for path in files
        .iter()
        .filter(|p| p.extension().is_some_and(|e| e == "json"))
    {
        let text = std::fs::read_to_string(path).unwrap();
        let suites: serde_json::Value = serde_json::from_str(&text).unwrap();
        for suite in suites.as_array().unwrap() {
            let given = parse_json_ordered(&suite["given"].to_string()).unwrap();
            for case in suite["cases"].as_array().unwrap() {
                let expr = case["expression"].as_str().unwrap();
                let outcome = query::compile(expr).and_then(|q| q.search(&given));
                let ok = match (case.get("error"), case.get("result"), &outcome) {
                    (Some(_), _, Err(_)) => true,
                    (None, Some(want), Ok(got)) => {
                        same(got, &parse_json_ordered(&want.to_string()).unwrap())
                    }
                    _ => false,
                };
                if ok {
                    passed += 1;
                } else if case.get("error").is_some() && legacy_literal(expr) {
                    legacy += 1;
                } else {
                    failures.push(format!(
                        "{}: {expr:?} → {outcome:?}",
                        path.file_name().unwrap().to_string_lossy()
                    ));
                }
            }
        }
    }
    assert!(
        failures.is_empty(),
        "{} failures:\n{}",
        failures.len(),
        failures.join("\n")
    );
    assert!(passed > 800, "{passed} cases");
    assert!(legacy < 10, "{legacy} legacy-literal cases");
}
