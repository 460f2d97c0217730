//! `aws s3` (the high-level commands: ls, mb, rb, cp, rm) and `aws s3api` (the API's own
//! operations) on the account's buckets, which the flow engine runs: an upload typed here
//! fires the bucket's notifications as a scripted one does.
//!
//! Output as the AWS CLI v2 prints it (`awscli/customizations/s3/subcommands.py`): `ls`
//! lines of a date, a right-aligned size and a name, `PRE name/` for a common prefix;
//! `upload: photo.jpg to s3://photos/photo.jpg`; a failed transfer prints
//! `upload failed: …` and the command exits with 1.

use super::args::{rc, Args, Kind, Op, Param, Usage};
use super::commands::{p, req, CallError, Identity};
use super::serverless::{actor, allow};
use super::{host, Console, Output};
use crate::core::account::Caller;
use crate::core::flow::bucket_arn;
use crate::core::iam::Principal;
use crate::core::services::ec2::compute::iso_time;
use crate::core::services::ec2::imds::{self, Answer};
use crate::core::services::s3::ObjectVersion;
use crate::core::sim::{sigv4, Arn, AwsError, Doc};

const RECURSIVE: Param = p("--recursive", Kind::Flag, "Every object under the prefix.");

pub const S3_OPS: &[Op] = &[
    Op {
        name: "cp",
        api: "PutObject",
        doc: "Copy a file to a bucket (upload), an object to a file (download; - prints it), or an object to another key.",
        params: &[
            req("paths", Kind::Paths(2), "<LocalPath> <S3Uri>, <S3Uri> <LocalPath> or <S3Uri> <S3Uri>."),
            p("--content-type", Kind::Str, "The object's Content-Type (otherwise guessed from the name)."),
        ],
    },
    Op {
        name: "ls",
        api: "ListObjectsV2",
        doc: "List the buckets, or the objects and prefixes under s3://bucket/prefix.",
        params: &[
            p("paths", Kind::Paths(1), "s3://bucket[/prefix] (none: the buckets)."),
            RECURSIVE,
            p("--human-readable", Kind::Flag, "Sizes in KiB, MiB …"),
            p("--summarize", Kind::Flag, "Print the number of objects and their total size."),
        ],
    },
    Op {
        name: "mb",
        api: "CreateBucket",
        doc: "Make a bucket.",
        params: &[req("path", Kind::Paths(1), "s3://bucket.")],
    },
    Op {
        name: "mv",
        api: "CopyObject",
        doc: "Move a file to a bucket, an object to a file, or an object to another key: a copy, then the source deleted.",
        params: &[
            req("paths", Kind::Paths(2), "<LocalPath> <S3Uri>, <S3Uri> <LocalPath> or <S3Uri> <S3Uri>."),
            p("--content-type", Kind::Str, "The object's Content-Type (otherwise kept, or guessed from the name)."),
        ],
    },
    Op {
        name: "presign",
        api: "GetObject",
        doc: "Print a URL that downloads the object with your credentials until it expires (signed on this computer: no request is made).",
        params: &[
            req("path", Kind::Paths(1), "s3://bucket/key."),
            p("--expires-in", Kind::Int, "Seconds the URL works: 3600 by default; S3 refuses more than 604800 (7 days) when the URL is used."),
        ],
    },
    Op {
        name: "rb",
        api: "DeleteBucket",
        doc: "Remove an empty bucket (--force deletes its objects first).",
        params: &[
            req("path", Kind::Paths(1), "s3://bucket."),
            p("--force", Kind::Flag, "Delete every object first."),
        ],
    },
    Op {
        name: "rm",
        api: "DeleteObject",
        doc: "Delete an object (--recursive: every object under the prefix).",
        params: &[req("paths", Kind::Paths(1), "s3://bucket/key."), RECURSIVE],
    },
];

const BUCKET: Param = req("--bucket", Kind::Str, "The bucket's name.");
const KEY: Param = req("--key", Kind::Str, "The object's key.");

pub const S3API_OPS: &[Op] = &[
    Op {
        name: "create-bucket",
        api: "CreateBucket",
        doc: "Create a bucket.",
        params: &[BUCKET],
    },
    Op {
        name: "delete-bucket",
        api: "DeleteBucket",
        doc: "Delete an empty bucket.",
        params: &[BUCKET],
    },
    Op {
        name: "delete-object",
        api: "DeleteObject",
        doc: "Delete an object (a versioned bucket adds a delete marker).",
        params: &[BUCKET, KEY],
    },
    Op {
        name: "get-object",
        api: "GetObject",
        doc: "Download an object into a file.",
        params: &[
            BUCKET,
            KEY,
            req("outfile", Kind::Paths(1), "The file to write."),
        ],
    },
    Op {
        name: "head-object",
        api: "HeadObject",
        doc: "An object's metadata, without its data.",
        params: &[BUCKET, KEY],
    },
    Op {
        name: "list-buckets",
        api: "ListBuckets",
        doc: "List the account's buckets.",
        params: &[],
    },
    Op {
        name: "list-objects-v2",
        api: "ListObjectsV2",
        doc: "List a bucket's objects (with --delimiter /, the common prefixes).",
        params: &[
            BUCKET,
            p("--prefix", Kind::Str, "Only keys that start with it."),
            p(
                "--delimiter",
                Kind::Str,
                "Group keys up to it into CommonPrefixes.",
            ),
            p("--max-keys", Kind::Int, "At most this many keys (1–1,000)."),
        ],
    },
    Op {
        name: "put-object",
        api: "PutObject",
        doc: "Upload an object (the bucket's notifications fire).",
        params: &[
            BUCKET,
            KEY,
            p(
                "--body",
                Kind::Str,
                "The file to upload (none: an empty object).",
            ),
            p("--content-type", Kind::Str, "The object's Content-Type."),
        ],
    },
];

/// Runs `f` on the account's buckets: bucket names are global, and the CLI follows S3's
/// redirect to a bucket's Region, so every Region sees them.
fn global<T>(c: &mut Console, f: impl FnOnce(&mut crate::core::flow::Flow) -> T) -> T {
    f(&mut c.flow)
}

/// An `s3://bucket/key` address: (bucket, key).
fn s3_uri(text: &str) -> Option<(String, String)> {
    let rest = text.strip_prefix("s3://")?;
    let (b, k) = rest.split_once('/').unwrap_or((rest, ""));
    (!b.is_empty()).then(|| (b.to_string(), k.to_string()))
}

/// `2026-01-01 00:00:05`: how `aws s3 ls` prints a time (the CLI prints local time; the
/// simulated computer's clock is UTC).
fn ls_time(ms: u64) -> String {
    let iso = iso_time(ms);
    format!("{} {}", &iso[..10], &iso[11..19])
}

/// A size as `--human-readable` prints it (`awscli.customizations.s3.utils.human_readable_size`).
pub fn human_size(bytes: u64) -> String {
    if bytes == 1 {
        return "1 Byte".into();
    }
    if bytes < 1024 {
        return format!("{bytes} Bytes");
    }
    let units = ["KiB", "MiB", "GiB", "TiB", "PiB", "EiB"];
    let b = bytes as f64;
    for (i, u) in units.iter().enumerate() {
        let unit = 1024f64.powi(i as i32 + 2);
        if (b / unit * 1024.0).round() < 1024.0 || i == units.len() - 1 {
            return format!("{:.1} {u}", 1024.0 * b / unit);
        }
    }
    format!("{bytes} Bytes")
}

/// The Content-Type the CLI guesses from a file name (Python's `mimetypes`, the common
/// cases).
fn guess_type(name: &str) -> &'static str {
    let ext = name.rsplit('.').next().unwrap_or("").to_ascii_lowercase();
    match ext.as_str() {
        "jpg" | "jpeg" => "image/jpeg",
        "png" => "image/png",
        "gif" => "image/gif",
        "txt" => "text/plain",
        "html" | "htm" => "text/html",
        "css" => "text/css",
        "js" => "text/javascript",
        "json" => "application/json",
        "csv" => "text/csv",
        "pdf" => "application/pdf",
        "zip" => "application/zip",
        _ => "",
    }
}

fn s3_refusal(e: &AwsError) -> AwsError {
    match e.code {
        "InvalidClientTokenId" => AwsError::new(
            "InvalidAccessKeyId",
            403,
            "The AWS Access Key Id you provided does not exist in our records.",
        ),
        _ => e.clone(),
    }
}

/// Authorizes an S3 action (`s3:PutObject`) on a bucket or object ARN.
fn allow_s3(c: &mut Console, who: &Identity, action: &str, arn: &str) -> Result<(), AwsError> {
    if let Some(e) = &who.refused {
        return Err(s3_refusal(e));
    }
    match allow(c, who, action, arn) {
        Ok(()) => Ok(()),
        Err(CallError::Service(e)) => Err(e),
        Err(CallError::Usage(u)) => Err(AwsError::client("InvalidRequest", u.stderr)),
    }
}

fn object_arn(bucket: &str, key: &str) -> String {
    format!("{}/{key}", bucket_arn(bucket))
}

/// `aws s3 <command>`.
pub fn s3(c: &mut Console, who: &Identity, op: &Op, a: &Args) -> Result<Output, Usage> {
    let paths = a.list(match op.name {
        "mb" | "rb" => "path",
        _ => "paths",
    });
    let uri_error = |p: &str| Usage {
        stderr: format!("\n<S3Uri> is not a valid S3 path: {p} (expected s3://bucket/key)\n"),
        code: rc::USAGE,
    };
    let mut out = Output::default();
    match op.name {
        "ls" => {
            let recursive = a.flag("--recursive") == Some(true);
            let human = a.flag("--human-readable") == Some(true);
            // `s3://` alone, like no path, lists the buckets; `ls` also takes a bucket
            // without the scheme.
            let path = paths.first().filter(|p| p.as_str() != "s3://").map(|p| {
                if p.starts_with("s3://") {
                    p.clone()
                } else {
                    format!("s3://{p}")
                }
            });
            let Some(path) = path.as_ref() else {
                if let Err(e) = allow_s3(c, who, "s3:ListAllMyBuckets", "*") {
                    return Ok(service_error(&e, "ListBuckets"));
                }
                let who_arn = actor(c, who);
                for (name, at) in c.flow.list_buckets_now(&who_arn) {
                    out.stdout.push_str(&format!("{} {name}\n", ls_time(at)));
                }
                return Ok(out);
            };
            let Some((bucket, prefix)) = s3_uri(path) else {
                return Err(uri_error(path));
            };
            if let Err(e) = allow_s3(c, who, "s3:ListBucket", &bucket_arn(&bucket)) {
                return Ok(service_error(&e, "ListObjectsV2"));
            }
            let who_arn = actor(c, who);
            let listed = global(c, |f| f.list_objects_now(&who_arn, &bucket, &prefix));
            let objects = match listed {
                Ok(o) => o,
                Err(e) => return Ok(service_error(&e, "ListObjectsV2")),
            };
            // Without --recursive, keys group up to the next "/" after the prefix's last.
            let base = match prefix.rfind('/') {
                Some(i) => &prefix[..=i],
                None => "",
            };
            // A page prints its common prefixes first, then its objects (`_display_page`).
            let mut prefixes: Vec<String> = Vec::new();
            let mut lines = String::new();
            let mut total = (0u64, 0u64);
            for (key, v) in &objects {
                let rest = &key[base.len()..];
                if !recursive {
                    if let Some(i) = rest.find('/') {
                        let pre = rest[..i].to_string();
                        if prefixes.last() != Some(&pre) {
                            out.stdout.push_str(&format!("{:>30} {pre}/\n", "PRE"));
                            prefixes.push(pre);
                        }
                        continue;
                    }
                }
                total.0 += 1;
                total.1 += v.size;
                let size = if human {
                    format!("{:>10}", human_size(v.size))
                } else {
                    format!("{:>10}", v.size)
                };
                let name = if recursive { key.as_str() } else { rest };
                lines.push_str(&format!("{} {size} {name}\n", ls_time(v.last_modified_ms)));
            }
            out.stdout.push_str(&lines);
            // A prefix that matches nothing: the CLI exits with 1 (`_check_no_objects`).
            if objects.is_empty() && !prefix.is_empty() {
                out.code = 1;
            }
            if a.flag("--summarize") == Some(true) {
                let size = if human {
                    human_size(total.1)
                } else {
                    total.1.to_string()
                };
                out.stdout.push_str(&format!(
                    "\nTotal Objects: {}\n   Total Size: {size}\n",
                    total.0
                ));
            }
            Ok(out)
        }
        "mb" | "rb" => {
            let path = paths.first().cloned().unwrap_or_default();
            let Some((bucket, key)) = s3_uri(&path) else {
                return Err(uri_error(&path));
            };
            if !key.is_empty() {
                return Ok(Output::err(
                    format!("\nPlease specify a valid bucket name only. E.g. s3://{bucket}\n"),
                    rc::GENERAL,
                ));
            }
            let (verb, action, api) = if op.name == "mb" {
                ("make_bucket", "s3:CreateBucket", "CreateBucket")
            } else {
                ("remove_bucket", "s3:DeleteBucket", "DeleteBucket")
            };
            if op.name == "rb" && a.flag("--force") == Some(true) {
                let rm = remove(c, who, &bucket, "", true);
                out.stdout.push_str(&rm.stdout);
                out.stderr.push_str(&rm.stderr);
                if rm.code != 0 {
                    out.stderr.push_str("remove_bucket failed: Unable to delete all objects in the bucket, bucket will not be deleted.\n");
                    out.code = rc::GENERAL;
                    return Ok(out);
                }
            }
            let who_arn = actor(c, who);
            let result = allow_s3(c, who, action, &bucket_arn(&bucket)).and_then(|()| {
                global(c, |f| {
                    if op.name == "mb" {
                        f.create_bucket_now(&who_arn, &bucket)
                    } else {
                        f.delete_bucket_now(&who_arn, &bucket)
                    }
                })
            });
            match result {
                Ok(()) => out.stdout.push_str(&format!("{verb}: {bucket}\n")),
                Err(e) => {
                    // The path as typed.
                    out.stderr
                        .push_str(&format!("{verb} failed: {path} {}\n", e.cli(api)));
                    out.code = 1;
                }
            }
            Ok(out)
        }
        "rm" => {
            let path = paths.first().cloned().unwrap_or_default();
            let Some((bucket, key)) = s3_uri(&path) else {
                return Err(uri_error(&path));
            };
            let recursive = a.flag("--recursive") == Some(true);
            if key.is_empty() && !recursive {
                return Err(empty_key());
            }
            Ok(remove(
                c,
                who,
                &bucket,
                &key,
                a.flag("--recursive") == Some(true),
            ))
        }
        "mv" => mv(c, who, &paths, a.str("--content-type")),
        _ => copy(c, who, &paths, a.str("--content-type")),
    }
}

/// `aws s3 mv`: [`copy`], then the source deleted (a local file, or DeleteObject), printed
/// as the CLI prints a move (`move: a to b`; `move failed: a to b <error>` with exit code 1
/// when the copy or the delete fails). Moving an object onto itself, and streaming (`-`),
/// are refused before any request, as the CLI refuses them (exit code 252).
fn mv(
    c: &mut Console,
    who: &Identity,
    paths: &[String],
    content_type: Option<&str>,
) -> Result<Output, Usage> {
    let (from, to) = (paths[0].clone(), paths[1].clone());
    if from == "-" || to == "-" {
        return Err(Usage {
            stderr: "\nStreaming currently is only compatible with non-recursive cp commands\n"
                .into(),
            code: rc::USAGE,
        });
    }
    if let (Some((b1, k1)), Some((b2, k2))) = (s3_uri(&from), s3_uri(&to)) {
        if b1 == b2 && k1 == dest_key(&k2, &k1) {
            return Err(Usage {
                stderr: format!("\nCannot mv a file onto itself: '{from}' - '{to}'\n"),
                code: rc::USAGE,
            });
        }
    }
    let copied = copy(c, who, paths, content_type)?;
    let verb = |line: &str| {
        ["upload", "download", "copy"]
            .iter()
            .find_map(|v| line.strip_prefix(v))
            .map(|rest| format!("move{rest}"))
            .unwrap_or_else(|| line.to_string())
    };
    let mut out = Output {
        stdout: String::new(),
        stderr: copied
            .stderr
            .lines()
            .map(|l| format!("{}\n", verb(l)))
            .collect(),
        code: copied.code,
    };
    if copied.code != 0 || copied.stdout.is_empty() {
        return Ok(out);
    }
    let line = verb(copied.stdout.trim_end());
    let deleted = match s3_uri(&from) {
        Some((bucket, key)) => {
            delete_object(c, who, &bucket, &key).map_err(|e| e.cli("DeleteObject"))
        }
        None => {
            host::remove_file(c, &from);
            Ok(())
        }
    };
    match deleted {
        Ok(()) => out.stdout = format!("{line}\n"),
        Err(e) => {
            let what = line.strip_prefix("move: ").unwrap_or(&line);
            out.stderr.push_str(&format!("move failed: {what} {e}\n"));
            out.code = 1;
        }
    }
    Ok(out)
}

/// botocore's validation of an empty object key (S3 keys have 1 to 1,024 bytes).
fn empty_key() -> Usage {
    Usage {
        stderr: "\nParameter validation failed:\nInvalid length for parameter Key, value: 0, valid min length: 1\n".into(),
        code: rc::USAGE,
    }
}

fn service_error(e: &AwsError, api: &str) -> Output {
    Output::err(format!("\n{}\n", e.cli(api)), rc::SERVICE)
}

/// `aws s3 rm` (and `rb --force`): one key, or every key under a prefix.
fn remove(c: &mut Console, who: &Identity, bucket: &str, key: &str, recursive: bool) -> Output {
    let mut out = Output::default();
    let keys: Vec<String> = if recursive {
        if let Err(e) = allow_s3(c, who, "s3:ListBucket", &bucket_arn(bucket)) {
            return service_error(&e, "ListObjectsV2");
        }
        let who_arn = actor(c, who);
        match global(c, |f| f.list_objects_now(&who_arn, bucket, key)) {
            Ok(o) => o.into_iter().map(|(k, _)| k).collect(),
            Err(e) => return service_error(&e, "ListObjectsV2"),
        }
    } else {
        vec![key.to_string()]
    };
    for k in keys {
        match delete_object(c, who, bucket, &k) {
            Ok(()) => out.stdout.push_str(&format!("delete: s3://{bucket}/{k}\n")),
            Err(e) => {
                out.stderr.push_str(&format!(
                    "delete failed: s3://{bucket}/{k} {}\n",
                    e.cli("DeleteObject")
                ));
                out.code = 1;
            }
        }
    }
    out
}

/// `aws s3 cp`: upload, download (`-`: standard output) or copy between keys.
fn copy(
    c: &mut Console,
    who: &Identity,
    paths: &[String],
    content_type: Option<&str>,
) -> Result<Output, Usage> {
    let (from, to) = (paths[0].clone(), paths[1].clone());
    let mut out = Output::default();
    let file_name = |p: &str| p.rsplit('/').next().unwrap_or(p).to_string();
    match (s3_uri(&from), s3_uri(&to)) {
        (None, None) => Err(Usage {
            stderr: "\nError: Invalid argument type\n".into(),
            code: rc::USAGE,
        }),
        (None, Some((bucket, key))) => {
            if from.starts_with("s3://") {
                return Err(Usage {
                    stderr: format!("\n<S3Uri> is not a valid S3 path: {from}\n"),
                    code: rc::USAGE,
                });
            }
            let Some(body) = host::read_file(c, &from) else {
                return Ok(Output::err(
                    format!("\nThe user-provided path {from} does not exist.\n"),
                    rc::GENERAL,
                ));
            };
            let key = dest_key(&key, &from);
            let ct = content_type.unwrap_or_else(|| guess_type(&key)).to_string();
            match put(c, who, &bucket, &key, &body, &ct) {
                Ok(_) => out
                    .stdout
                    .push_str(&format!("upload: {from} to s3://{bucket}/{key}\n")),
                Err(e) => {
                    out.stderr.push_str(&format!(
                        "upload failed: {from} to s3://{bucket}/{key} {}\n",
                        e.cli("PutObject")
                    ));
                    out.code = 1;
                }
            }
            Ok(out)
        }
        (Some((bucket, key)), dest) => {
            let got = get(c, who, &bucket, &key, false);
            let v = match got {
                Ok(v) => v,
                Err(e) => {
                    // The CLI asks HeadObject first: a missing key is a bare 404.
                    let e = if e.code == "NoSuchKey" {
                        AwsError::new("404", 404, "Not Found")
                    } else {
                        e
                    };
                    let api = if e.code == "404" {
                        "HeadObject"
                    } else {
                        "GetObject"
                    };
                    return Ok(Output::err(format!("fatal error: {}\n", e.cli(api)), 1));
                }
            };
            match dest {
                Some((b2, k2)) => {
                    let k2 = dest_key(&k2, &key);
                    if (b2.as_str(), k2.as_str()) == (bucket.as_str(), key.as_str())
                        && content_type.is_none()
                    {
                        let e = AwsError::client("InvalidRequest", "This copy request is illegal because it is trying to copy an object to itself without changing the object's metadata, storage class, website redirect location or encryption attributes.");
                        return Ok(Output::err(
                            format!(
                                "copy failed: s3://{bucket}/{key} to s3://{b2}/{k2} {}\n",
                                e.cli("CopyObject")
                            ),
                            1,
                        ));
                    }
                    let ct = content_type.unwrap_or(&v.content_type).to_string();
                    match put(c, who, &b2, &k2, &v.body, &ct) {
                        Ok(_) => out
                            .stdout
                            .push_str(&format!("copy: s3://{bucket}/{key} to s3://{b2}/{k2}\n")),
                        Err(e) => {
                            out.stderr.push_str(&format!(
                                "copy failed: s3://{bucket}/{key} to s3://{b2}/{k2} {}\n",
                                e.cli("CopyObject")
                            ));
                            out.code = 1;
                        }
                    }
                }
                None if to == "-" => out.stdout.push_str(&v.body),
                None => {
                    let target = if to.ends_with('/') || to == "." {
                        format!("{}/{}", to.trim_end_matches('/'), file_name(&key))
                    } else {
                        to.clone()
                    };
                    match host::write_file(c, &target, &v.body, false) {
                        Ok(()) => out
                            .stdout
                            .push_str(&format!("download: s3://{bucket}/{key} to {target}\n")),
                        Err(e) => {
                            out.stderr.push_str(&format!(
                                "download failed: s3://{bucket}/{key} to {target} {}",
                                e.trim_start_matches("bash: ")
                            ));
                            out.code = 1;
                        }
                    }
                }
            }
            Ok(out)
        }
    }
}

/// The key a transfer writes: `key` as given, or, when it names a "folder" (empty or
/// ending in `/`), the source's file name under it, as aws-cli does.
fn dest_key(key: &str, source: &str) -> String {
    if key.is_empty() || key.ends_with('/') {
        format!("{key}{}", source.rsplit('/').next().unwrap_or(source))
    } else {
        key.to_string()
    }
}

/// DeleteObject as the caller: authorized as `s3:DeleteObject`, then made.
fn delete_object(c: &mut Console, who: &Identity, bucket: &str, key: &str) -> Result<(), AwsError> {
    allow_s3(c, who, "s3:DeleteObject", &object_arn(bucket, key))?;
    let who_arn = actor(c, who);
    global(c, |f| f.delete_object_now(&who_arn, bucket, key)).map(|_| ())
}

#[allow(clippy::too_many_arguments)]
fn put(
    c: &mut Console,
    who: &Identity,
    bucket: &str,
    key: &str,
    body: &str,
    content_type: &str,
) -> Result<ObjectVersion, AwsError> {
    allow_s3(c, who, "s3:PutObject", &object_arn(bucket, key))?;
    let who_arn = actor(c, who);
    global(c, |f| {
        f.put_object_now(&who_arn, bucket, key, body, content_type)
    })
}

fn get(
    c: &mut Console,
    who: &Identity,
    bucket: &str,
    key: &str,
    head: bool,
) -> Result<ObjectVersion, AwsError> {
    allow_s3(c, who, "s3:GetObject", &object_arn(bucket, key))?;
    let who_arn = actor(c, who);
    global(c, |f| f.get_object_now(&who_arn, bucket, key, head))
}

fn object_doc(v: &ObjectVersion, with_accept_ranges: bool) -> Vec<(String, Doc)> {
    let mut d = Vec::new();
    if with_accept_ranges {
        d.push(("AcceptRanges".to_string(), Doc::from("bytes")));
    }
    d.push((
        "LastModified".into(),
        Doc::from(iso_time(v.last_modified_ms)),
    ));
    d.push(("ContentLength".into(), Doc::Int(v.size as i64)));
    d.push(("ETag".into(), Doc::from(v.etag.clone())));
    if v.version_id != "null" {
        d.push(("VersionId".into(), Doc::from(v.version_id.clone())));
    }
    d.push(("ContentType".into(), Doc::from(v.content_type.clone())));
    d.push(("ServerSideEncryption".into(), Doc::from("AES256")));
    d.push(("Metadata".into(), Doc::Map(vec![])));
    d
}

/// `aws s3api <operation>`: the API's own response documents.
pub fn s3api(c: &mut Console, who: &Identity, op: &Op, a: &Args) -> Result<Doc, CallError> {
    let bucket = a.str("--bucket").unwrap_or_default().to_string();
    let key = a.str("--key").unwrap_or_default().to_string();
    if key.is_empty() && op.params.iter().any(|p| p.name == "--key") {
        return Err(empty_key().into());
    }
    let who_arn = actor(c, who);
    match op.name {
        "list-buckets" => {
            allow_s3(c, who, "s3:ListAllMyBuckets", "*")?;
            let buckets = c.flow.list_buckets_now(&who_arn);
            Ok(Doc::obj([(
                "Buckets",
                Doc::List(
                    buckets
                        .into_iter()
                        .map(|(n, at)| {
                            Doc::obj([("Name", n.into()), ("CreationDate", iso_time(at).into())])
                        })
                        .collect(),
                ),
            )]))
        }
        "create-bucket" => {
            allow_s3(c, who, "s3:CreateBucket", &bucket_arn(&bucket))?;
            global(c, |f| f.create_bucket_now(&who_arn, &bucket))?;
            Ok(Doc::obj([("Location", format!("/{bucket}").into())]))
        }
        "delete-bucket" => {
            allow_s3(c, who, "s3:DeleteBucket", &bucket_arn(&bucket))?;
            global(c, |f| f.delete_bucket_now(&who_arn, &bucket))?;
            Ok(Doc::Map(vec![]))
        }
        "put-object" => {
            let body = match a.str("--body") {
                Some(path) => host::read_file(c, path).ok_or_else(|| Usage {
                    stderr: "\nError parsing parameter '--body': Blob values must be a path to a file.\n".to_string(),
                    code: rc::USAGE,
                })?,
                None => String::new(),
            };
            let v = put(
                c,
                who,
                &bucket,
                &key,
                &body,
                a.str("--content-type").unwrap_or(""),
            )?;
            let mut d = vec![("ETag".to_string(), Doc::from(v.etag.clone()))];
            d.push(("ServerSideEncryption".into(), Doc::from("AES256")));
            if v.version_id != "null" {
                d.push(("VersionId".into(), Doc::from(v.version_id.clone())));
            }
            Ok(Doc::Map(d))
        }
        "get-object" | "head-object" => {
            let head = op.name == "head-object";
            let v = get(c, who, &bucket, &key, head)?;
            if !head {
                let outfile = a.list("outfile").first().cloned().unwrap_or_default();
                if let Err(e) = host::write_file(c, &outfile, &v.body, false) {
                    return Err(AwsError::client(
                        "InvalidRequest",
                        e.trim_start_matches("bash: ").trim_end().to_string(),
                    )
                    .into());
                }
            }
            Ok(Doc::Map(object_doc(&v, true)))
        }
        "delete-object" => {
            allow_s3(c, who, "s3:DeleteObject", &object_arn(&bucket, &key))?;
            let marker = global(c, |f| f.delete_object_now(&who_arn, &bucket, &key))?;
            Ok(match marker {
                Some(v) => Doc::obj([("DeleteMarker", true.into()), ("VersionId", v.into())]),
                None => Doc::Map(vec![]),
            })
        }
        _ => {
            // list-objects-v2
            allow_s3(c, who, "s3:ListBucket", &bucket_arn(&bucket))?;
            let prefix = a.str("--prefix").unwrap_or("").to_string();
            let delimiter = a.str("--delimiter").unwrap_or("").to_string();
            let max = a.int("--max-keys").unwrap_or(1000).clamp(0, 1000) as usize;
            let objects = global(c, |f| f.list_objects_now(&who_arn, &bucket, &prefix))?;
            let mut contents = Vec::new();
            let mut common: Vec<String> = Vec::new();
            let mut truncated = false;
            for (k, v) in objects {
                if contents.len() + common.len() >= max {
                    truncated = true;
                    break;
                }
                if !delimiter.is_empty() {
                    if let Some(i) = k[prefix.len()..].find(delimiter.as_str()) {
                        let cp = k[..prefix.len() + i + delimiter.len()].to_string();
                        if !common.contains(&cp) {
                            common.push(cp);
                        }
                        continue;
                    }
                }
                contents.push(Doc::obj([
                    ("Key", k.into()),
                    ("LastModified", iso_time(v.last_modified_ms).into()),
                    ("ETag", v.etag.clone().into()),
                    ("Size", Doc::Int(v.size as i64)),
                    ("StorageClass", "STANDARD".into()),
                ]));
            }
            let count = contents.len() + common.len();
            let mut d: Vec<(String, Doc)> = Vec::new();
            d.push(("IsTruncated".into(), truncated.into()));
            if !contents.is_empty() {
                d.push(("Contents".into(), Doc::List(contents)));
            }
            d.push(("Name".into(), bucket.into()));
            d.push(("Prefix".into(), prefix.into()));
            if !delimiter.is_empty() {
                d.push(("Delimiter".into(), delimiter.into()));
            }
            d.push(("MaxKeys".into(), Doc::Int(max as i64)));
            if !common.is_empty() {
                d.push((
                    "CommonPrefixes".into(),
                    Doc::List(
                        common
                            .into_iter()
                            .map(|p| Doc::obj([("Prefix", p.into())]))
                            .collect(),
                    ),
                ));
            }
            d.push(("KeyCount".into(), Doc::Int(count as i64)));
            Ok(Doc::Map(d))
        }
    }
}

/// Where S3's REST endpoint names the bucket, read from the right of the host name:
/// `Some(Some(bucket))` for virtual-hosted (`bucket.s3.amazonaws.com`,
/// `bucket.s3.<region>.amazonaws.com`), `Some(None)` for path-style (`s3.amazonaws.com`,
/// `s3.<region>.amazonaws.com`: the bucket is the path's first segment), `None` for
/// another host. A bucket name may itself hold `s3` or dots (`mys3`, `logs.s3x`).
pub fn s3_address(host: &str) -> Option<Option<String>> {
    let rest = host.strip_suffix(".amazonaws.com")?;
    let region_ok = |r: &str| !r.is_empty() && !r.contains('.');
    if rest == "s3" || rest.strip_prefix("s3.").is_some_and(region_ok) {
        return Some(None);
    }
    if let Some(bucket) = rest.strip_suffix(".s3") {
        return (!bucket.is_empty()).then(|| Some(bucket.to_string()));
    }
    let (bucket, region) = rest.rsplit_once(".s3.")?;
    (region_ok(region) && !bucket.is_empty()).then(|| Some(bucket.to_string()))
}

/// Whether a host name is S3's REST endpoint ([`s3_address`]).
pub fn is_s3_host(host: &str) -> bool {
    s3_address(host).is_some()
}

/// The endpoint and path `aws s3 presign` writes for an object: virtual-hosted
/// (`bucket.s3.amazonaws.com/key` in us-east-1, `bucket.s3.<region>.amazonaws.com/key`
/// elsewhere), or path-style for a bucket name with dots, which a certificate for
/// `*.s3.amazonaws.com` does not cover (`s3.amazonaws.com/my.bucket/key`).
fn s3_endpoint(bucket: &str, key: &str, region: &str) -> (String, String) {
    let base = if region == "us-east-1" {
        "s3.amazonaws.com".to_string()
    } else {
        format!("s3.{region}.amazonaws.com")
    };
    if bucket.contains('.') {
        (base, format!("/{bucket}/{key}"))
    } else {
        (format!("{bucket}.{base}"), format!("/{key}"))
    }
}

/// `X-Amz-Date` for a virtual time: `20260101T000000Z`.
fn amz_date(ms: u64) -> String {
    let iso = iso_time(ms);
    let d: String = iso.chars().filter(char::is_ascii_digit).take(14).collect();
    format!(
        "{}T{}Z",
        &d[..8.min(d.len())],
        d.get(8..).unwrap_or_default()
    )
}

/// `aws s3 presign s3://bucket/key [--expires-in N]`: a URL that GETs the object with the
/// caller's credentials until it expires (3,600 s by default). It is signed on this
/// computer: no request is made, nothing is checked (a missing object, a denied caller or
/// more than 604,800 s is S3's answer when the URL is used).
pub fn presign(
    c: &Console,
    who: &Identity,
    secret: &str,
    token: Option<&str>,
    region: &str,
    a: &Args,
) -> Result<Output, Usage> {
    let path = a.list("path").first().cloned().unwrap_or_default();
    // The CLI takes the address with or without its scheme.
    let uri = if path.starts_with("s3://") {
        path.clone()
    } else {
        format!("s3://{path}")
    };
    let Some((bucket, key)) = s3_uri(&uri) else {
        return Err(Usage {
            stderr: format!(
                "\n<S3Uri> is not a valid S3 path: {path} (expected s3://bucket/key)\n"
            ),
            code: rc::USAGE,
        });
    };
    if key.is_empty() {
        return Err(empty_key());
    }
    let expires = a.int("--expires-in").unwrap_or(3600);
    let (host, object_path) = s3_endpoint(&bucket, &key, region);
    let url = sigv4::presign_url(&sigv4::Presign {
        access_key: &who.access_key,
        secret,
        token,
        region,
        service: "s3",
        host: &host,
        path: &object_path,
        amz_date: &amz_date(c.now()),
        expires_s: expires,
    });
    Ok(Output::ok(format!("{url}\n")))
}

/// S3's XML error document (no body for a HEAD: S3 sends none).
fn xml_error(status: u16, code: &str, message: &str, extra: &[(&str, String)]) -> Answer {
    let mut body = format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Error><Code>{code}</Code><Message>{}</Message>",
        xml_escape(message)
    );
    for (k, v) in extra {
        body.push_str(&format!("<{k}>{}</{k}>", xml_escape(v)));
    }
    body.push_str("</Error>");
    let reason = match status {
        400 => "Bad Request",
        403 => "Forbidden",
        404 => "Not Found",
        409 => "Conflict",
        _ => "Error",
    };
    Answer::Http {
        status,
        reason,
        headers: vec![("Content-Type".into(), "application/xml".into())],
        body,
    }
}

fn xml_escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}

/// Who signed a URL: the IAM user of a long-term key, or the role session of an instance
/// profile's temporary key, with its secret and, for a temporary key, its session token and
/// when it expires (ms).
struct Signer {
    who: Identity,
    secret: String,
    token: Option<(String, u64)>,
}

fn signer(c: &Console, key: &str) -> Option<Signer> {
    let account = c.account.id.clone();
    if let Some((secret, user)) = c.keys.get(key) {
        return Some(Signer {
            who: Identity {
                caller: Caller::Principal(Principal::User {
                    arn: Arn::iam_user(&account, user).to_string(),
                }),
                source: "presigned-url",
                access_key: key.to_string(),
                refused: None,
            },
            secret: secret.clone(),
            token: None,
        });
    }
    // A temporary key: the credentials an instance's metadata service has handed out so far,
    // one set per rotation since the launch, found by their key.
    let now = c.now();
    c.account.ec2.instances.iter().find_map(|i| {
        let role = i.compute.role.as_ref()?;
        let launch = i.compute.launch_ms;
        let periods = now.saturating_sub(launch) / imds::CREDENTIALS_ROTATE_MS;
        (0..=periods).find_map(|k| {
            let at = launch + k * imds::CREDENTIALS_ROTATE_MS;
            let (id, secret, token, _, expires) = imds::credentials(&i.id, role, launch, at);
            (id == key).then(|| Signer {
                who: Identity {
                    caller: Caller::Principal(Principal::RoleSession {
                        role_arn: Arn::iam_role(&account, role).to_string(),
                        session_arn: Arn::assumed_role(&account, role, &i.id).to_string(),
                    }),
                    source: "presigned-url",
                    access_key: key.to_string(),
                    refused: None,
                },
                secret,
                token: Some((token, expires)),
            })
        })
    })
}

/// A request on S3's REST endpoint, as `curl` sends it. A presigned URL is checked as S3
/// checks it: its parameters and scope, the key and its session token, the signature (the
/// method is signed), the expiry; then the signer's permission (`s3:GetObject`) and the
/// object. A request without a signature is anonymous: the simulated buckets are private,
/// so AccessDenied. A HEAD answers with headers only.
pub fn http_get(c: &mut Console, method: &str, host: &str, path: &str, query: &str) -> Answer {
    let answer = s3_request(c, method, host, path, query);
    match answer {
        Answer::Http {
            status,
            reason,
            headers,
            ..
        } if method == "HEAD" => Answer::Http {
            status,
            reason,
            headers,
            body: String::new(),
        },
        other => other,
    }
}

fn s3_request(c: &mut Console, method: &str, host: &str, path: &str, query: &str) -> Answer {
    // A broken escape is kept as sent: the signature check then refuses it.
    let object_path = crate::core::urlcodec::decode_path(path).unwrap_or_else(|_| path.to_string());
    let path_tail = object_path.strip_prefix('/').unwrap_or(&object_path);
    let (bucket, key) = match s3_address(host).flatten() {
        Some(b) => (b, path_tail.to_string()),
        None => {
            let (b, k) = path_tail.split_once('/').unwrap_or((path_tail, ""));
            (b.to_string(), k.to_string())
        }
    };
    let signed = match sigv4::Signed::read(query) {
        None => return xml_error(403, "AccessDenied", "Access Denied", &[]),
        Some(Err((code, message))) => return xml_error(400, code, &message, &[]),
        Some(Ok(s)) => s,
    };
    let region = c.account.region.clone();
    if let Err((code, message)) = signed.check_scope(&region) {
        let extra = if message.contains("is wrong") {
            vec![("Region", region.clone())]
        } else {
            vec![]
        };
        return xml_error(400, code, &message, &extra);
    }
    let Some(s) = signer(c, &signed.access_key) else {
        return xml_error(
            403,
            "InvalidAccessKeyId",
            "The AWS Access Key Id you provided does not exist in our records.",
            &[],
        );
    };
    // The token comes before the signature: S3 needs it to find a temporary key's secret.
    let now = c.now();
    match (&s.token, signed.token.as_deref()) {
        (None, Some(_)) => {
            return xml_error(
                400,
                "InvalidToken",
                "The provided token is malformed or otherwise invalid.",
                &[],
            );
        }
        (Some(_), None) => {
            return xml_error(
                403,
                "InvalidAccessKeyId",
                "The AWS Access Key Id you provided does not exist in our records.",
                &[],
            );
        }
        (Some((token, _)), Some(sent)) if token.as_str() != sent => {
            return xml_error(
                400,
                "InvalidToken",
                "The provided token is malformed or otherwise invalid.",
                &[],
            );
        }
        // A URL signed with temporary credentials stops working when they expire.
        (Some((_, expires_ms)), Some(_)) if now > *expires_ms => {
            return xml_error(400, "ExpiredToken", "The provided token has expired.", &[]);
        }
        _ => {}
    }
    if !signed.verify(&s.secret, method, host, &object_path) {
        return xml_error(403, "SignatureDoesNotMatch", "The request signature we calculated does not match the signature you provided. Check your key and signing method.", &[]);
    }
    // The virtual clock starts at EPOCH_MS (2026-01-01T00:00:00Z).
    let epoch_s = (crate::core::flow::EPOCH_MS / 1000) as i64;
    let signed_s = sigv4::amz_date_secs(&signed.amz_date).unwrap_or(epoch_s);
    let now_s = epoch_s + (now / 1000) as i64;
    let expires_s = signed_s.saturating_add(signed.expires_s);
    if now_s > expires_s {
        let stamp = |secs: i64| {
            let iso = iso_time(((secs - epoch_s).max(0) as u64) * 1000);
            format!("{}Z", iso.get(..19).unwrap_or_default())
        };
        return xml_error(
            403,
            "AccessDenied",
            "Request has expired",
            &[
                ("X-Amz-Expires", signed.expires_s.to_string()),
                ("Expires", stamp(expires_s)),
                ("ServerTime", stamp(now_s)),
            ],
        );
    }
    if let Err(e) = allow_s3(c, &s.who, "s3:GetObject", &object_arn(&bucket, &key)) {
        let message = if e.code == "AccessDenied" {
            "Access Denied".to_string()
        } else {
            e.message.clone()
        };
        return xml_error(e.status, e.code, &message, &[]);
    }
    let who_arn = actor(c, &s.who);
    match global(c, |f| f.get_object_now(&who_arn, &bucket, &key, false)) {
        Ok(v) => Answer::Http {
            status: 200,
            reason: "OK",
            headers: vec![
                ("Content-Type".into(), v.content_type.clone()),
                ("ETag".into(), v.etag.clone()),
            ],
            body: v.body.clone(),
        },
        Err(e) => {
            let extra: Vec<(&str, String)> = match e.code {
                "NoSuchKey" => vec![("Key", key.clone())],
                "NoSuchBucket" => vec![("BucketName", bucket.clone())],
                _ => vec![],
            };
            xml_error(e.status, e.code, &e.message, &extra)
        }
    }
}
