//! deploy/upload.sh, run against a fake build with a fake `aws` that records its calls: the
//! headers of every kind of file and the order (index.html, then the service worker, last).
#![cfg(not(target_arch = "wasm32"))]

use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

fn scratch(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("stratus-upload-{name}-{}", std::process::id()));
    let _ = fs::remove_dir_all(&dir);
    fs::create_dir_all(&dir).unwrap();
    dir
}

fn touch(root: &Path, file: &str) {
    let path = root.join(file);
    fs::create_dir_all(path.parent().unwrap()).unwrap();
    fs::write(path, "x").unwrap();
}

/// Runs the script on a build holding `files`; returns its exit status, the recorded `aws`
/// calls (one line each) and its standard error.
fn upload(name: &str, files: &[&str]) -> (bool, Vec<String>, String) {
    let root = scratch(name);
    let dist = root.join("dist");
    fs::create_dir_all(&dist).unwrap();
    for f in files {
        touch(&dist, f);
    }
    let bin = root.join("bin");
    fs::create_dir_all(&bin).unwrap();
    let log = root.join("calls.log");
    let aws = bin.join("aws");
    fs::write(
        &aws,
        format!(
            "#!/bin/sh\nprintf '%s|' \"$@\" >> '{}'\necho >> '{}'\n",
            log.display(),
            log.display()
        ),
    )
    .unwrap();
    Command::new("chmod").arg("+x").arg(&aws).status().unwrap();
    let out = Command::new("bash")
        .arg(Path::new(env!("CARGO_MANIFEST_DIR")).join("deploy/upload.sh"))
        .arg("site-bucket")
        .arg(&dist)
        .env(
            "PATH",
            format!("{}:{}", bin.display(), std::env::var("PATH").unwrap()),
        )
        .output()
        .unwrap();
    let calls = fs::read_to_string(&log)
        .unwrap_or_default()
        .lines()
        .map(String::from)
        .collect();
    let _ = fs::remove_dir_all(&root);
    (
        out.status.success(),
        calls,
        String::from_utf8_lossy(&out.stderr).into(),
    )
}

/// The call that uploads `file`, split into its arguments.
fn call<'a>(calls: &'a [String], file: &str) -> Vec<&'a str> {
    let target = format!("s3://site-bucket/{file}");
    let line = calls
        .iter()
        .find(|c| c.split('|').any(|a| a == target))
        .unwrap_or_else(|| panic!("no upload of {file} in {calls:?}"));
    line.split('|').collect()
}

fn header<'a>(args: &[&'a str], name: &str) -> &'a str {
    let at = args.iter().position(|a| *a == name).unwrap();
    args[at + 1]
}

#[test]
fn every_file_gets_its_cache_policy_and_type_and_the_worker_goes_last() {
    let files = [
        "index.html",
        "sw.js",
        "stratus-vpc-0123456789abcdef.js",
        "stratus-vpc-0123456789abcdef_bg.wasm",
        "main-fedcba9876543210.css",
        "favicon-00112233445566ff.svg",
        "main-fedcba987654321.css",
        "static/manifest.webmanifest",
        "static/icon-192.png",
        "static/embed-demo.html",
    ];
    let (ok, calls, err) = upload("kinds", &files);
    assert!(ok, "{err}");
    assert_eq!(calls.len(), files.len(), "{calls:?}");
    let immutable = "public, max-age=31536000, immutable";
    for (file, cache, kind) in [
        ("index.html", "no-cache", "text/html; charset=utf-8"),
        ("sw.js", "no-cache", "text/javascript; charset=utf-8"),
        (
            "stratus-vpc-0123456789abcdef.js",
            immutable,
            "text/javascript; charset=utf-8",
        ),
        (
            "stratus-vpc-0123456789abcdef_bg.wasm",
            immutable,
            "application/wasm",
        ),
        (
            "main-fedcba9876543210.css",
            immutable,
            "text/css; charset=utf-8",
        ),
        ("favicon-00112233445566ff.svg", immutable, "image/svg+xml"),
        // Trunk's hash without leading zeros: 15 digits.
        (
            "main-fedcba987654321.css",
            immutable,
            "text/css; charset=utf-8",
        ),
        (
            "static/manifest.webmanifest",
            "public, max-age=300",
            "application/manifest+json",
        ),
        ("static/icon-192.png", "public, max-age=300", "image/png"),
        (
            "static/embed-demo.html",
            "public, max-age=300",
            "text/html; charset=utf-8",
        ),
    ] {
        let args = call(&calls, file);
        assert_eq!(args[..2], ["s3", "cp"], "{file}");
        assert_eq!(header(&args, "--cache-control"), cache, "{file}");
        assert_eq!(header(&args, "--content-type"), kind, "{file}");
    }
    let last: Vec<_> = calls[calls.len() - 2..]
        .iter()
        .map(|c| c.split('|').nth(3).unwrap())
        .collect();
    assert_eq!(
        last,
        ["s3://site-bucket/index.html", "s3://site-bucket/sw.js"]
    );
}

#[test]
fn a_folder_that_is_not_a_build_is_refused_before_any_upload() {
    let (ok, calls, err) = upload("not-a-build", &["index.html", "main.css"]);
    assert!(!ok);
    assert!(calls.is_empty(), "{calls:?}");
    assert!(err.contains("is not a Stratus build"), "{err}");
}
