//! Amazon S3 as the flow simulator needs it: buckets, objects (key, size, content type,
//! metadata, ETag), versioning, Put/Get/Delete/List, and event notifications to Lambda,
//! SQS or SNS with prefix and suffix filters — including the configuration error AWS
//! gives for overlapping rules and the URL-encoded keys of event records.
//!
//! Sources (Amazon S3 User Guide): "Bucket naming rules" (3–63 characters: lowercase
//! letters, digits, dots and hyphens; starting and ending with a letter or digit; not an IP
//! address), "Using versioning" (a delete in a versioned bucket adds a delete marker),
//! "Amazon S3 Event Notifications" and "Configuring event notifications using object key
//! name filtering" (the overlapping prefix/suffix rule: "Configuration is ambiguously
//! defined. Cannot have overlapping suffixes in two rules if the prefixes are overlapping
//! for the same event type."), "Event message structure" (the object key is URL-encoded:
//! `my photo.jpg` arrives as `my+photo.jpg`), and the ETag of a single-part upload being the
//! MD5 of its body. Course notes digest §8 (S3) and seed 000 weeks 2–5 (the photo app).

use crate::core::sim::AwsError;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// A bucket's versioning state.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub enum Versioning {
    #[default]
    Off,
    Enabled,
    Suspended,
}

/// One version of an object (the only one when versioning is off: version id "null").
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ObjectVersion {
    pub version_id: String,
    pub size: u64,
    pub content_type: String,
    pub metadata: BTreeMap<String, String>,
    /// The MD5 of the body, hex, in quotes as S3 shows it.
    pub etag: String,
    pub delete_marker: bool,
    pub last_modified_ms: u64,
    /// The object's data as text (what `aws s3 cp s3://… -` prints; empty for a delete
    /// marker).
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub body: String,
}

/// Where a notification goes.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type", content = "name")]
pub enum Target {
    Lambda(String),
    Sqs(String),
    Sns(String),
}

/// One notification rule: event types, an optional key prefix and suffix, a target.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct NotificationRule {
    pub id: String,
    /// `s3:ObjectCreated:*`, `s3:ObjectCreated:Put`, `s3:ObjectRemoved:*`,
    /// `s3:ObjectRemoved:Delete`, `s3:ObjectRemoved:DeleteMarkerCreated`.
    pub events: Vec<String>,
    #[serde(default)]
    pub prefix: String,
    #[serde(default)]
    pub suffix: String,
    pub target: Target,
}

/// The event types a rule may name.
pub const EVENT_TYPES: [&str; 5] = [
    "s3:ObjectCreated:*",
    "s3:ObjectCreated:Put",
    "s3:ObjectRemoved:*",
    "s3:ObjectRemoved:Delete",
    "s3:ObjectRemoved:DeleteMarkerCreated",
];

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Bucket {
    pub name: String,
    pub versioning: Versioning,
    /// Key → versions, oldest first.
    pub objects: BTreeMap<String, Vec<ObjectVersion>>,
    pub notifications: Vec<NotificationRule>,
    /// When CreateBucket made it, ms on the virtual clock (`aws s3 ls` prints it).
    #[serde(default)]
    pub created_ms: u64,
}

/// Every bucket of the account.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct S3 {
    pub buckets: BTreeMap<String, Bucket>,
    /// Versions made so far (version ids) and events sent (sequencers).
    pub versions: u64,
}

/// What a change did, for notifications: the event name (`ObjectCreated:Put`), the key,
/// size, ETag and version id.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Change {
    pub event_name: &'static str,
    pub bucket: String,
    pub key: String,
    pub size: u64,
    pub etag: String,
    pub version_id: Option<String>,
}

fn no_bucket(name: &str) -> AwsError {
    AwsError::new(
        "NoSuchBucket",
        404,
        format!("The specified bucket does not exist: {name}"),
    )
}

/// Checks a bucket name against S3's general-purpose bucket naming rules.
pub fn check_bucket_name(name: &str) -> Result<(), AwsError> {
    let bad = |why: &str| {
        Err(AwsError::new(
            "InvalidBucketName",
            400,
            format!("“{name}” is not a valid bucket name: {why}."),
        ))
    };
    if !(3..=63).contains(&name.len()) {
        return bad("it must have 3 to 63 characters");
    }
    if let Some(c) = name
        .chars()
        .find(|c| !(c.is_ascii_lowercase() || c.is_ascii_digit() || *c == '.' || *c == '-'))
    {
        return bad(&format!(
            "“{c}” is not allowed (lowercase letters, digits, dots and hyphens only)"
        ));
    }
    let edge = |c: Option<char>| c.is_some_and(|c| c.is_ascii_lowercase() || c.is_ascii_digit());
    if !edge(name.chars().next()) || !edge(name.chars().last()) {
        return bad("it must start and end with a letter or digit");
    }
    if name.contains("..") {
        return bad("it must not have two dots in a row");
    }
    if name.parse::<std::net::Ipv4Addr>().is_ok() {
        return bad("it must not look like an IP address");
    }
    Ok(())
}

/// The MD5 of a body, hex, quoted: the ETag of a single-part upload.
pub fn etag(body: &[u8]) -> String {
    use md5::{Digest, Md5};
    let hex: String = Md5::digest(body)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect();
    format!("\"{hex}\"")
}

/// A key as an event record carries it: URL-encoded as a form value (a space becomes `+`;
/// letters, digits, `-_.~` and `/` stay; everything else is `%XX` per UTF-8 byte).
pub fn event_key(key: &str) -> String {
    let mut out = String::new();
    for b in key.bytes() {
        match b {
            b' ' => out.push('+'),
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' | b'/' => {
                out.push(b as char)
            }
            _ => out.push_str(&format!("%{b:02X}")),
        }
    }
    out
}

/// Whether two rules' event types meet: the same type, or a wildcard and a type of its
/// family (`s3:ObjectCreated:*` meets `s3:ObjectCreated:Put`).
fn events_meet(a: &str, b: &str) -> bool {
    let family = |e: &str| {
        e.rsplit_once(':')
            .map(|(f, _)| f.to_string())
            .unwrap_or_default()
    };
    a == b || (family(a) == family(b) && (a.ends_with(":*") || b.ends_with(":*")))
}

/// Whether one filter value overlaps another: an empty one matches everything, and one that
/// starts (prefixes) or ends (suffixes) the other matches keys of both.
fn overlaps(a: &str, b: &str, prefix: bool) -> bool {
    if prefix {
        a.starts_with(b) || b.starts_with(a)
    } else {
        a.ends_with(b) || b.ends_with(a)
    }
}

/// Checks a notification configuration: known event types, and no two rules that could
/// both fire for one event (same event type, overlapping prefixes and suffixes).
pub fn check_notifications(rules: &[NotificationRule]) -> Result<(), AwsError> {
    let invalid = |m: String| AwsError::new("InvalidArgument", 400, m);
    for r in rules {
        if r.events.is_empty() {
            return Err(invalid(format!("Rule {} names no event type.", r.id)));
        }
        if let Some(e) = r.events.iter().find(|e| !EVENT_TYPES.contains(&e.as_str())) {
            return Err(invalid(format!(
                "The event is not supported for notifications: {e}"
            )));
        }
    }
    for (i, a) in rules.iter().enumerate() {
        for b in &rules[i + 1..] {
            let same_event = a
                .events
                .iter()
                .any(|x| b.events.iter().any(|y| events_meet(x, y)));
            if same_event
                && overlaps(&a.prefix, &b.prefix, true)
                && overlaps(&a.suffix, &b.suffix, false)
            {
                return Err(invalid(format!(
                    "Configuration is ambiguously defined. Cannot have overlapping suffixes in two rules if the prefixes are overlapping for the same event type. (rules {} and {})",
                    a.id, b.id
                )));
            }
        }
    }
    Ok(())
}

impl NotificationRule {
    /// Whether this rule fires for an event of `event_name` (`ObjectCreated:Put`) on `key`.
    pub fn fires(&self, event_name: &str, key: &str) -> bool {
        let full = format!("s3:{event_name}");
        self.events
            .iter()
            .any(|e| events_meet(e, &full) && (e == &full || e.ends_with(":*")))
            && key.starts_with(&self.prefix)
            && key.ends_with(&self.suffix)
    }
}

impl S3 {
    pub fn bucket(&self, name: &str) -> Result<&Bucket, AwsError> {
        self.buckets.get(name).ok_or_else(|| no_bucket(name))
    }

    fn bucket_mut(&mut self, name: &str) -> Result<&mut Bucket, AwsError> {
        self.buckets.get_mut(name).ok_or_else(|| no_bucket(name))
    }

    /// CreateBucket (BucketAlreadyOwnedByYou when it exists).
    pub fn create_bucket(&mut self, name: &str) -> Result<(), AwsError> {
        check_bucket_name(name)?;
        if self.buckets.contains_key(name) {
            return Err(AwsError::new(
                "BucketAlreadyOwnedByYou",
                409,
                "Your previous request to create the named bucket succeeded and you already own it.",
            ));
        }
        self.buckets.insert(
            name.to_string(),
            Bucket {
                name: name.to_string(),
                ..Default::default()
            },
        );
        Ok(())
    }

    /// DeleteBucket: only an empty bucket (no object, version or delete marker) may go
    /// (BucketNotEmpty, 409; S3 API Reference, DeleteBucket).
    pub fn delete_bucket(&mut self, name: &str) -> Result<(), AwsError> {
        if !self.bucket(name)?.objects.is_empty() {
            return Err(AwsError::new(
                "BucketNotEmpty",
                409,
                "The bucket you tried to delete is not empty",
            ));
        }
        self.buckets.remove(name);
        Ok(())
    }

    /// PutBucketVersioning (a bucket cannot go back to unversioned, only to Suspended).
    pub fn put_bucket_versioning(&mut self, name: &str, v: Versioning) -> Result<(), AwsError> {
        let b = self.bucket_mut(name)?;
        if v == Versioning::Off && b.versioning != Versioning::Off {
            return Err(AwsError::new(
                "IllegalVersioningConfigurationException",
                400,
                "A versioned bucket can be suspended, never returned to unversioned.",
            ));
        }
        b.versioning = v;
        Ok(())
    }

    /// PutBucketNotificationConfiguration: replaces the rules after checking them.
    pub fn put_notifications(
        &mut self,
        name: &str,
        rules: Vec<NotificationRule>,
    ) -> Result<(), AwsError> {
        check_notifications(&rules)?;
        self.bucket_mut(name)?.notifications = rules;
        Ok(())
    }

    /// PutObject at `now_ms`.
    pub fn put_object(
        &mut self,
        now_ms: u64,
        bucket: &str,
        key: &str,
        body: &str,
        content_type: &str,
    ) -> Result<Change, AwsError> {
        if key.is_empty() || key.len() > 1024 {
            return Err(AwsError::new(
                "KeyTooLongError",
                400,
                format!(
                    "An object key has 1 to 1,024 bytes; this one has {}.",
                    key.len()
                ),
            ));
        }
        self.bucket(bucket)?;
        self.versions += 1;
        let n = self.versions;
        let b = self.bucket_mut(bucket)?;
        let versioned = b.versioning == Versioning::Enabled;
        let version_id = if versioned {
            format!("v{n}")
        } else {
            "null".to_string()
        };
        let tag = etag(body.as_bytes());
        let v = ObjectVersion {
            version_id: version_id.clone(),
            size: body.len() as u64,
            content_type: if content_type.is_empty() {
                "binary/octet-stream".into()
            } else {
                content_type.into()
            },
            metadata: BTreeMap::new(),
            etag: tag.clone(),
            delete_marker: false,
            last_modified_ms: now_ms,
            body: body.to_string(),
        };
        let versions = b.objects.entry(key.to_string()).or_default();
        if !versioned {
            // Unversioned (or suspended): the "null" version is replaced.
            versions.retain(|x| x.version_id != "null");
        }
        versions.push(v);
        Ok(Change {
            event_name: "ObjectCreated:Put",
            bucket: bucket.into(),
            key: key.into(),
            size: body.len() as u64,
            etag: tag,
            version_id: versioned.then_some(version_id),
        })
    }

    /// GetObject: the latest version (NoSuchKey when absent or deleted).
    pub fn get_object(&self, bucket: &str, key: &str) -> Result<&ObjectVersion, AwsError> {
        self.bucket(bucket)?
            .objects
            .get(key)
            .and_then(|v| v.last())
            .filter(|v| !v.delete_marker)
            .ok_or_else(|| {
                AwsError::new(
                    "NoSuchKey",
                    404,
                    format!("The specified key does not exist: {key}"),
                )
            })
    }

    /// DeleteObject: removed (unversioned), or hidden behind a delete marker (versioned or
    /// suspended). An unversioned bucket answers success for a key it does not hold, and
    /// sends no event.
    pub fn delete_object(
        &mut self,
        now_ms: u64,
        bucket: &str,
        key: &str,
    ) -> Result<Option<Change>, AwsError> {
        self.bucket(bucket)?;
        self.versions += 1;
        let n = self.versions;
        let b = self.bucket_mut(bucket)?;
        let exists = b
            .objects
            .get(key)
            .and_then(|v| v.last())
            .is_some_and(|v| !v.delete_marker);
        // A versioned bucket always answers a delete with a delete marker (even for a key
        // it does not hold); a suspended one replaces the "null" version with a "null"
        // marker and keeps the older versions.
        let marker_id = match b.versioning {
            Versioning::Enabled => Some(format!("v{n}")),
            Versioning::Suspended => Some("null".to_string()),
            Versioning::Off => None,
        };
        if let Some(version_id) = marker_id {
            let versions = b.objects.entry(key.to_string()).or_default();
            if version_id == "null" {
                versions.retain(|x| x.version_id != "null");
            }
            versions.push(ObjectVersion {
                version_id: version_id.clone(),
                size: 0,
                content_type: String::new(),
                metadata: BTreeMap::new(),
                etag: String::new(),
                delete_marker: true,
                last_modified_ms: now_ms,
                body: String::new(),
            });
            return Ok(Some(Change {
                event_name: "ObjectRemoved:DeleteMarkerCreated",
                bucket: bucket.into(),
                key: key.into(),
                size: 0,
                etag: String::new(),
                version_id: Some(version_id),
            }));
        }
        if !exists {
            return Ok(None);
        }
        b.objects.remove(key);
        Ok(Some(Change {
            event_name: "ObjectRemoved:Delete",
            bucket: bucket.into(),
            key: key.into(),
            size: 0,
            etag: String::new(),
            version_id: None,
        }))
    }

    /// The current objects (latest version, not a delete marker) whose keys start with
    /// `prefix`, in key order (NoSuchBucket when the bucket does not exist).
    pub fn current<'a>(
        &'a self,
        bucket: &str,
        prefix: &'a str,
    ) -> Result<impl Iterator<Item = (&'a str, &'a ObjectVersion)> + 'a, AwsError> {
        Ok(self
            .bucket(bucket)?
            .objects
            .iter()
            .filter(move |(k, _)| k.starts_with(prefix))
            .filter_map(|(k, v)| {
                v.last()
                    .filter(|v| !v.delete_marker)
                    .map(|v| (k.as_str(), v))
            }))
    }

    /// ListObjectsV2: the current objects whose keys start with `prefix`, in key order, at
    /// most `max_keys` (1–1,000).
    pub fn list_objects<'a>(
        &'a self,
        bucket: &str,
        prefix: &'a str,
        max_keys: usize,
    ) -> Result<Vec<(&'a str, &'a ObjectVersion)>, AwsError> {
        Ok(self
            .current(bucket, prefix)?
            .take(max_keys.clamp(1, 1000))
            .collect())
    }

    /// The rules of a bucket that fire for a change.
    pub fn rules_for(&self, c: &Change) -> Vec<NotificationRule> {
        self.buckets
            .get(&c.bucket)
            .map(|b| {
                b.notifications
                    .iter()
                    .filter(|r| r.fires(c.event_name, &c.key))
                    .cloned()
                    .collect()
            })
            .unwrap_or_default()
    }
}

/// The event record S3 sends for a change (event message structure, version 2.1).
pub fn event_record(c: &Change, rule: &str, at: &str, sequencer: u64) -> serde_json::Value {
    let mut object = serde_json::json!({
        "key": event_key(&c.key),
        "sequencer": format!("{sequencer:016X}"),
    });
    if c.event_name.starts_with("ObjectCreated") {
        object["size"] = c.size.into();
        object["eTag"] = c.etag.trim_matches('"').into();
    }
    if let Some(v) = &c.version_id {
        object["versionId"] = v.clone().into();
    }
    serde_json::json!({"Records": [{
        "eventVersion": "2.1",
        "eventSource": "aws:s3",
        "awsRegion": crate::core::account::SANDBOX_REGION,
        "eventTime": at,
        "eventName": c.event_name,
        "s3": {
            "s3SchemaVersion": "1.0",
            "configurationId": rule,
            "bucket": {"name": c.bucket, "arn": format!("arn:aws:s3:::{}", c.bucket)},
            "object": object,
        }
    }]})
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::*;

    fn rule(id: &str, events: &[&str], prefix: &str, suffix: &str) -> NotificationRule {
        NotificationRule {
            id: id.into(),
            events: events.iter().map(|e| e.to_string()).collect(),
            prefix: prefix.into(),
            suffix: suffix.into(),
            target: Target::Lambda("f".into()),
        }
    }

    #[test]
    fn overlapping_rules_are_refused_as_s3_does() {
        let created = ["s3:ObjectCreated:*"];
        // The User Guide's examples: same event, prefixes that overlap, suffixes that
        // overlap → ambiguous; different suffixes, or prefixes that do not overlap → fine.
        let e = check_notifications(&[
            rule("a", &created, "images/", ""),
            rule("b", &created, "images/", ""),
        ])
        .unwrap_err();
        assert!(e.message.starts_with("Configuration is ambiguously defined. Cannot have overlapping suffixes in two rules if the prefixes are overlapping for the same event type."));
        assert!(check_notifications(&[
            rule("a", &created, "images/", ".jpg"),
            rule("b", &created, "images/", ".png")
        ])
        .is_ok());
        assert!(check_notifications(&[
            rule("a", &created, "images/", ""),
            rule("b", &created, "logs/", "")
        ])
        .is_ok());
        assert!(check_notifications(&[
            rule("a", &created, "", ".jpg"),
            rule("b", &created, "images/", "")
        ])
        .is_err());
        assert!(
            check_notifications(&[
                rule("a", &created, "", "jpg"),
                rule("b", &created, "", ".jpg")
            ])
            .is_err(),
            "jpg ends .jpg"
        );
        assert!(
            check_notifications(&[
                rule("a", &["s3:ObjectCreated:Put"], "", ""),
                rule("b", &created, "", "")
            ])
            .is_err(),
            "Put is one of ObjectCreated:*"
        );
        assert!(check_notifications(&[
            rule("a", &["s3:ObjectRemoved:*"], "", ""),
            rule("b", &created, "", "")
        ])
        .is_ok());
        assert!(check_notifications(&[rule("a", &["s3:ObjectCreated:Copy"], "", "")]).is_err());
    }

    #[test]
    fn objects_versions_and_events() {
        let mut s3 = S3::default();
        s3.create_bucket("photos").unwrap();
        assert_eq!(
            s3.create_bucket("photos").unwrap_err().code,
            "BucketAlreadyOwnedByYou"
        );
        for bad in [
            "ab",
            "Photos",
            "-photos",
            "my..photos",
            "192.168.5.4",
            "a_b",
        ] {
            assert_eq!(
                check_bucket_name(bad).unwrap_err().code,
                "InvalidBucketName",
                "{bad}"
            );
        }
        let c = s3
            .put_object(0, "photos", "my photo.jpg", "hello", "image/jpeg")
            .unwrap();
        // MD5("hello"), the ETag of a single-part upload.
        assert_eq!(c.etag, "\"5d41402abc4b2a76b9719d911017c592\"");
        assert_eq!(event_key("my photo.jpg"), "my+photo.jpg");
        assert_eq!(event_key("folder/ü & x.png"), "folder/%C3%BC+%26+x.png");
        let record = event_record(&c, "labels", "2026-01-01T00:00:00.000Z", 1);
        assert_eq!(record["Records"][0]["s3"]["object"]["key"], "my+photo.jpg");
        assert_eq!(record["Records"][0]["eventName"], "ObjectCreated:Put");
        // Unversioned: a second put replaces; a delete removes.
        s3.put_object(1, "photos", "my photo.jpg", "bye", "")
            .unwrap();
        assert_eq!(s3.get_object("photos", "my photo.jpg").unwrap().size, 3);
        assert_eq!(
            s3.bucket("photos").unwrap().objects["my photo.jpg"].len(),
            1
        );
        assert_eq!(
            s3.delete_object(2, "photos", "my photo.jpg")
                .unwrap()
                .unwrap()
                .event_name,
            "ObjectRemoved:Delete"
        );
        assert_eq!(
            s3.get_object("photos", "my photo.jpg").unwrap_err().code,
            "NoSuchKey"
        );
        assert_eq!(
            s3.delete_object(3, "photos", "my photo.jpg").unwrap(),
            None,
            "no event for a missing key"
        );
        // Versioned: versions pile up; a delete adds a marker and the old versions stay.
        s3.put_bucket_versioning("photos", Versioning::Enabled)
            .unwrap();
        s3.put_object(4, "photos", "a.jpg", "1", "").unwrap();
        s3.put_object(5, "photos", "a.jpg", "22", "").unwrap();
        let d = s3.delete_object(6, "photos", "a.jpg").unwrap().unwrap();
        assert_eq!(d.event_name, "ObjectRemoved:DeleteMarkerCreated");
        assert_eq!(s3.bucket("photos").unwrap().objects["a.jpg"].len(), 3);
        assert!(s3.get_object("photos", "a.jpg").is_err());
        assert!(s3.put_bucket_versioning("photos", Versioning::Off).is_err());
        // Suspended: the null version gives way to a null delete marker; older versions stay.
        s3.put_bucket_versioning("photos", Versioning::Suspended)
            .unwrap();
        s3.put_object(7, "photos", "b.jpg", "kept", "").unwrap();
        let d = s3.delete_object(8, "photos", "b.jpg").unwrap().unwrap();
        assert_eq!(d.version_id.as_deref(), Some("null"));
        let versions = &s3.bucket("photos").unwrap().objects["a.jpg"];
        assert_eq!(
            versions.len(),
            3,
            "a.jpg's versions from before the suspension stay"
        );
        assert!(s3.list_objects("photos", "", 1000).unwrap().is_empty());
        // Rules fire by event type, prefix and suffix.
        let r = rule("r", &["s3:ObjectCreated:*"], "uploads/", ".jpg");
        assert!(r.fires("ObjectCreated:Put", "uploads/cat.jpg"));
        assert!(!r.fires("ObjectCreated:Put", "labels/cat.jpg"));
        assert!(!r.fires("ObjectRemoved:Delete", "uploads/cat.jpg"));
    }
}
