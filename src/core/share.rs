//! A tool's whole state in the URL fragment: `#/<tool>?v=<version>&s=<percent-encoded JSON>`,
//! holding only the top-level fields that differ from the tool's defaults (so the default
//! state has no query and links stay short). Every tool's state is one serde struct with
//! `#[serde(default)]`, so old links keep working as fields are added.

use crate::core::urlcodec;
use serde::{de::DeserializeOwned, Serialize};

/// The query for a state: "" for the default state.
pub fn to_query<T: Serialize + Default>(state: &T, version: u32) -> String {
    let (Ok(serde_json::Value::Object(mut map)), Ok(serde_json::Value::Object(defaults))) = (
        serde_json::to_value(state),
        serde_json::to_value(T::default()),
    ) else {
        return String::new();
    };
    map.retain(|k, v| defaults.get(k) != Some(v));
    if map.is_empty() {
        return String::new();
    }
    let json = serde_json::Value::Object(map).to_string();
    format!("v={version}&s={}", urlcodec::encode(&json))
}

/// Largest state a packed (`z=`) link may unpack to; in a page, `index.html`'s
/// `stratusUnpack` holds links to the same limit (a test checks), as pages never unpack.
#[cfg_attr(target_arch = "wasm32", allow(dead_code))]
const MAX_UNPACKED_BYTES: usize = 2 * 1024 * 1024;

/// A query's version (`v`) and the JSON its payload carries: `s=` percent-encoded or `z=`
/// packed ([`compact`]); `None` for the JSON when there is no payload.
fn read_query(query: &str) -> (Option<&str>, Option<Result<String, String>>) {
    let (mut v, mut json) = (None, None);
    for (key, value) in urlcodec::pairs(query) {
        match key {
            "v" => v = Some(value),
            "s" => {
                json = Some(urlcodec::decode(value).map_err(|e| format!("the link contains {e}")))
            }
            "z" => json = Some(unpack_payload(value)),
            _ => {}
        }
    }
    (v, json)
}

/// What a `z=` pair's payload says when it cannot be unpacked.
const DAMAGED: &str = "the link's packed data is damaged (it may have been cut short)";

/// The JSON a packed (`z=`) payload carries, inflated with `miniz_oxide`
/// (`urlcodec::unpack`): natively, where the core is tested and fuzzed.
#[cfg(not(target_arch = "wasm32"))]
fn unpack_payload(value: &str) -> Result<String, String> {
    urlcodec::unpack(value, MAX_UNPACKED_BYTES).map_err(|_| DAMAGED.to_string())
}

/// In the browser a tool's module never inflates a link: `index.html`'s `stratusUnpack`
/// inflates every `z=` pair of a tool's link with the browser's `DecompressionStream`, into
/// its `s=` form, before the app reads the fragment (at start, and before the router sees a
/// link opened later in the tab), so no page carries an inflater (docs/size.md, "Cut: links
/// inflated by the browser"). A `z=` still here is one the browser could not inflate. The
/// sandboxes page reads its own `z=` links (whole sandboxes) with `sandbox::from_link`.
#[cfg(target_arch = "wasm32")]
fn unpack_payload(_: &str) -> Result<String, String> {
    Err(format!(
        "{DAMAGED}, or this browser cannot unpack it (short links need Chrome 103, Firefox 113, Safari 16.4 or later)"
    ))
}

/// The query made short for sharing (chat messages, QR codes on slides): the state's JSON
/// deflated and base64url-coded (`z=…`) instead of percent-encoded (`s=…`) when that is
/// shorter (a VPC design: about a fifth); other pairs (`ro=1`) are kept. [`from_query`]
/// reads both forms, so every link made before keeps opening.
///
/// This deflates with `miniz_oxide` (level 9). Pages do the same through the browser's
/// `CompressionStream` (`platform::pack`, no deflate code in their modules) by calling
/// [`compact_with`] on what [`packable`] names.
pub fn compact(query: &str) -> String {
    compact_with(query, &mut |json| Some(urlcodec::pack(json)))
}

/// The JSON texts [`compact_with`] offers its packer, in order: the decoded payload of each
/// `s=` pair (undecodable ones are kept as they are and not offered).
pub fn packable(query: &str) -> Vec<String> {
    query
        .split('&')
        .filter_map(|pair| match pair.split_once('=') {
            Some(("s", v)) => urlcodec::decode(v).ok(),
            _ => None,
        })
        .collect()
}

/// [`compact`]'s rule with the packing left to `pack`: `pack(json)` gives the deflated,
/// base64url-coded (unpadded) form of a payload's JSON, or `None` to keep that pair
/// readable. A packed form is used only when it is shorter than the pair's `s=` value.
pub fn compact_with(query: &str, pack: &mut dyn FnMut(&str) -> Option<String>) -> String {
    query
        .split('&')
        .filter(|p| !p.is_empty())
        .map(|pair| match pair.split_once('=') {
            Some(("s", v)) => match urlcodec::decode(v).ok().and_then(|json| pack(&json)) {
                Some(z) if z.len() < v.len() => format!("z={z}"),
                _ => pair.to_string(),
            },
            _ => pair.to_string(),
        })
        .collect::<Vec<_>>()
        .join("&")
}

/// The version and the JSON object a query carries (`None` for an empty or unreadable
/// query): how sandboxes store a tool's state without knowing its type.
pub fn query_to_value(query: &str) -> Option<(u32, serde_json::Value)> {
    let (v, json) = read_query(query);
    let v = v?.parse::<u32>().ok();
    let json = json?.ok()?;
    match serde_json::from_str(&json).ok()? {
        serde_json::Value::Object(m) if !m.is_empty() => Some((v?, serde_json::Value::Object(m))),
        _ => None,
    }
}

/// The query for a stored version and JSON object ("" for an empty one).
pub fn value_to_query(version: u32, value: &serde_json::Value) -> String {
    match value {
        serde_json::Value::Object(m) if !m.is_empty() => {
            format!("v={version}&s={}", urlcodec::encode(&value.to_string()))
        }
        _ => String::new(),
    }
}

/// Upgrades a tool's state from format `n` to `n + 1` (index `n - 1` of a tool's
/// `UPGRADES`); the error says what could not be carried over. A tool's format version is
/// `1 + UPGRADES.len()`, so every older format has its path to the current one.
pub type Upgrade = fn(serde_json::Value) -> Result<serde_json::Value, String>;

/// The JSON kind of one top-level field of a saved tool state.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    /// A string (text fields, and enums written as their variant's name).
    Text,
    /// `true` or `false`.
    Flag,
    /// A whole number ≥ 0.
    Whole,
    /// A list.
    List,
    /// A list of strings.
    TextList,
    /// An object.
    Object,
    /// An object or `null` (an optional part: a network, a policy document).
    ObjectOrNull,
}

impl Kind {
    fn holds(self, v: &serde_json::Value) -> bool {
        match self {
            Kind::Text => v.is_string(),
            Kind::Flag => v.is_boolean(),
            Kind::Whole => v.is_u64(),
            Kind::List => v.is_array(),
            Kind::TextList => v
                .as_array()
                .is_some_and(|l| l.iter().all(|x| x.is_string())),
            Kind::Object => v.is_object(),
            Kind::ObjectOrNull => v.is_object() || v.is_null(),
        }
    }

    fn what(self) -> &'static str {
        match self {
            Kind::Text => "a string",
            Kind::Flag => "true or false",
            Kind::Whole => "a whole number",
            Kind::List => "a list",
            Kind::TextList => "a list of strings",
            Kind::Object => "an object",
            Kind::ObjectOrNull => "an object or null",
        }
    }
}

/// A tool state's top-level fields and their kinds (`<tool>::state::SHAPE`). A test in
/// `core::tools` holds each shape to its state type.
pub type Shape = &'static [(&'static str, Kind)];

/// Checks a saved tool state by its shape: an object whose fields have their kinds and,
/// when `closed` (a state with `deny_unknown_fields`), no other field. Absent fields take
/// their defaults, as the state's reader does.
///
/// Sandboxes check states this way rather than with each state's deserializer, so that a
/// module does not link the reader of every other tool's state (63 KB gzip of the shell's
/// wasm, 3–13% of each tool route: docs/size.md). The tool reads the content when its page opens, and says there
/// what it cannot read; the saved state stays as it was until the student changes it.
pub fn check_shape(doc: &serde_json::Value, shape: Shape, closed: bool) -> Result<(), String> {
    let o = doc.as_object().ok_or("expected an object of settings")?;
    for (key, kind) in shape {
        match o.get(*key) {
            Some(v) if !kind.holds(v) => return Err(format!("{key}: expected {}", kind.what())),
            _ => {}
        }
    }
    if closed {
        if let Some(k) = o.keys().find(|k| !shape.iter().any(|(f, _)| f == k)) {
            return Err(format!("unknown field `{k}`"));
        }
    }
    Ok(())
}

/// Brings a state saved at format `from` up to the last format of `upgrades`.
pub fn upgrade(
    from: u32,
    mut state: serde_json::Value,
    upgrades: &[Upgrade],
) -> Result<serde_json::Value, String> {
    for step in upgrades.iter().skip(from.saturating_sub(1) as usize) {
        state = step(state)?;
    }
    Ok(state)
}

/// Reads a query written by [`to_query`]: states of older formats are upgraded, newer
/// formats and damage are explained.
pub fn from_query<T: DeserializeOwned + Default>(
    query: &str,
    upgrades: &[Upgrade],
) -> Result<T, String> {
    let version = 1 + upgrades.len() as u32;
    let (v, json) = read_query(query);
    let Some(json) = json else {
        return Ok(T::default());
    };
    let n = match v.map(|v| v.parse::<u32>()) {
        None => return Err("the link has no version (v=…)".into()),
        Some(Err(_)) => return Err("the link's version is not a number".into()),
        Some(Ok(n)) if n > version => {
            return Err(format!(
                "the link was made by a newer Stratus (format {n}; this one reads up to {version})"
            ))
        }
        Some(Ok(n)) => n,
    };
    let json = json?;
    if n < version {
        let value =
            serde_json::from_str(&json).map_err(|e| format!("the link's data is damaged ({e})"))?;
        let value = upgrade(n, value, upgrades)
            .map_err(|e| format!("the link's format {n} cannot be upgraded: {e}"))?;
        return serde_json::from_str(&value.to_string())
            .map_err(|e| format!("the link's data is damaged ({e})"));
    }
    serde_json::from_str(&json).map_err(|e| format!("the link's data is damaged ({e})"))
}

/// How an embed shows its tool, carried in its URL (docs/embedding.md): an embed on another
/// site cannot read the viewer's saved preferences (its storage is blocked), so the slide's
/// author chooses.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct EmbedOptions {
    /// `ro=1`: the design is locked.
    pub read_only: bool,
    /// `theme=light` or `theme=dark`; `None` follows the viewer's system.
    pub dark: Option<bool>,
    /// `presenter=1`: large type for a projector.
    pub presenter: bool,
    /// `section=<id>`: one part of the tool alone, without the page header (the ids of
    /// `tools::Tool::sections`).
    pub section: Option<&'static str>,
}

impl EmbedOptions {
    /// The options as query pairs (`ro=1&theme=dark&presenter=1&section=bill`).
    pub fn pairs(&self) -> Vec<String> {
        let mut v = Vec::new();
        if self.read_only {
            v.push("ro=1".to_string());
        }
        match self.dark {
            Some(true) => v.push("theme=dark".into()),
            Some(false) => v.push("theme=light".into()),
            None => {}
        }
        if self.presenter {
            v.push("presenter=1".into());
        }
        if let Some(s) = self.section {
            v.push(format!("section={s}"));
        }
        v
    }
}

/// The iframe code embedding `tool` with the settings in `query` (docs/embedding.md):
/// `#/embed/<tool>?<query>&<options>`. `query` should already be made short ([`compact`],
/// or a page's `platform::pack::compact`).
pub fn embed_snippet(
    base: &str,
    tool: &str,
    title: &str,
    query: &str,
    options: EmbedOptions,
) -> String {
    let q = std::iter::once(query.to_string())
        .chain(options.pairs())
        .filter(|p| !p.is_empty())
        .collect::<Vec<_>>()
        .join("&");
    let src = if q.is_empty() {
        format!("{base}#/embed/{tool}")
    } else {
        format!("{base}#/embed/{tool}?{q}")
    };
    // The query is percent-encoded already; only `&` needs escaping inside the attribute.
    format!(
        "<iframe src=\"{}\" title=\"Stratus: {title}\" width=\"100%\" height=\"640\" style=\"border:0\" loading=\"lazy\"></iframe>",
        src.replace('&', "&amp;")
    )
}

/// Options of an embed URL that only the embed understands (`ro`, `theme`, `presenter`,
/// `section`):
/// dropped from the "Open in Stratus" link so it opens the tool with the embed's settings
/// and nothing else.
pub const EMBED_ONLY_KEYS: [&str; 4] = ["ro", "theme", "presenter", "section"];

/// Whether a `key=value` pair of a fragment query is an embed-only option.
pub fn is_embed_option(pair: &str) -> bool {
    let key = pair.split_once('=').map_or(pair, |(k, _)| k);
    EMBED_ONLY_KEYS.contains(&key)
}

/// The "Open in Stratus" address for an embed showing `tool` with the fragment query
/// `embed_query`: `#/<tool>?<the tool's settings>`, the embed-only options removed, so the
/// page opens exactly what the slide shows.
pub fn open_link(base: &str, tool: &str, embed_query: &str) -> String {
    let kept: Vec<&str> = embed_query
        .split('&')
        .filter(|p| !p.is_empty() && !is_embed_option(p))
        .collect();
    if kept.is_empty() {
        format!("{base}#/{tool}")
    } else {
        format!("{base}#/{tool}?{}", kept.join("&"))
    }
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    #[derive(Debug, Default, PartialEq, serde::Deserialize, serde::Serialize)]
    #[serde(default)]
    struct V3 {
        size_gb: f64,
    }

    /// Format 1 had `size` in MB; format 2 renamed it `size_mb`; format 3 holds GB.
    const UPGRADES: &[super::Upgrade] = &[
        |mut v| {
            if let Some(x) = v.as_object_mut().and_then(|m| m.remove("size")) {
                v["size_mb"] = x;
            }
            Ok(v)
        },
        |mut v| match v.as_object_mut().and_then(|m| m.remove("size_mb")) {
            Some(serde_json::Value::Number(n)) => {
                v["size_gb"] = serde_json::Value::from(n.as_f64().unwrap_or(0.0) / 1024.0);
                Ok(v)
            }
            Some(_) => Err("size_mb is not a number".into()),
            None => Ok(v),
        },
    ];

    #[test]
    fn compact_links_are_shorter_and_read_the_same() {
        use crate::core::views::vpc::state::{self, VpcState};
        let s = VpcState {
            network: Some(crate::core::services::ec2::network::templates::three_tier()),
            to: "i-db".into(),
            ..Default::default()
        };
        let long = state::to_query(&s);
        let short = super::compact(&format!("{long}&ro=1"));
        assert!(
            short.starts_with("v=1&z=") && short.ends_with("&ro=1"),
            "{short}"
        );
        assert!(
            short.len() * 3 < long.len(),
            "{} vs {}",
            short.len(),
            long.len()
        );
        assert_eq!(state::from_query(&short), Ok(s.clone()));
        assert_eq!(
            super::query_to_value(&short),
            super::query_to_value(&long),
            "sandboxes read both forms"
        );
        // A payload too small to gain keeps its readable form.
        let tiny = "v=1&s=ab";
        assert_eq!(super::compact(tiny), tiny);
        assert_eq!(super::compact(""), "");
        // Pages pack through the browser (`platform::pack`): the same payloads are offered,
        // and a packed form replaces its pair only when shorter.
        let offered = super::packable(&long);
        assert_eq!(offered.len(), 1);
        assert!(serde_json::from_str::<serde_json::Value>(&offered[0]).is_ok());
        let with = |q: &str, f: &mut dyn FnMut(&str) -> Option<String>| super::compact_with(q, f);
        assert_eq!(
            with(&format!("{long}&ro=1"), &mut |j| Some(
                crate::core::urlcodec::pack(j)
            )),
            short
        );
        assert_eq!(with(&long, &mut |_| None), long, "no packer: readable");
        assert_eq!(
            with("v=1&s=abc", &mut |_| Some("longer".into())),
            "v=1&s=abc"
        );
        assert_eq!(super::packable("v=1&s=%ZZ&ro=1"), Vec::<String>::new());
        // Damage is named.
        let e = state::from_query("v=1&z=AAAA").unwrap_err();
        assert!(e.contains("packed data is damaged"), "{e}");
        let cut = &short[..short.len() / 2];
        assert!(state::from_query(cut).is_err());
    }

    #[test]
    fn pages_inflate_links_to_the_same_limit() {
        // index.html's stratusUnpack inflates a page's `z=` pairs (pages link no inflater).
        let html = include_str!("../../index.html");
        let mib = super::MAX_UNPACKED_BYTES / (1024 * 1024);
        assert_eq!(mib * 1024 * 1024, super::MAX_UNPACKED_BYTES);
        assert!(html.contains(&format!("var LIMIT = {mib} * 1024 * 1024;")));
    }

    #[test]
    fn older_formats_are_upgraded_step_by_step() {
        let read = |q: &str| super::from_query::<V3>(q, UPGRADES);
        assert_eq!(read("v=1&s=%7B%22size%22:2048%7D"), Ok(V3 { size_gb: 2.0 }));
        assert_eq!(
            read("v=2&s=%7B%22size_mb%22:512%7D"),
            Ok(V3 { size_gb: 0.5 })
        );
        assert_eq!(read("v=3&s=%7B%22size_gb%22:7%7D"), Ok(V3 { size_gb: 7.0 }));
        assert!(read("v=4&s=%7B%7D").unwrap_err().contains("newer Stratus"));
        let e = read("v=2&s=%7B%22size_mb%22:%22x%22%7D").unwrap_err();
        assert_eq!(
            e,
            "the link's format 2 cannot be upgraded: size_mb is not a number"
        );
        assert_eq!(
            super::to_query(&V3 { size_gb: 2.0 }, 3),
            "v=3&s=%7B%22size_gb%22:2.0%7D"
        );
    }

    #[test]
    fn open_links_keep_the_embedded_settings() {
        assert_eq!(
            super::open_link(
                "https://x.org/s/",
                "lambda",
                "v=1&s=%7B%22memory_mb%22%3A%221536%22%7D&ro=1"
            ),
            "https://x.org/s/#/lambda?v=1&s=%7B%22memory_mb%22%3A%221536%22%7D"
        );
        assert_eq!(
            super::open_link("https://x.org/", "cidr", "ro=1"),
            "https://x.org/#/cidr"
        );
        assert_eq!(
            super::open_link("https://x.org/", "cidr", ""),
            "https://x.org/#/cidr"
        );
        assert_eq!(
            super::open_link("https://x.org/", "vpc", "rox=2&ro=1&v=1"),
            "https://x.org/#/vpc?rox=2&v=1"
        );
    }

    #[test]
    fn embed_snippets() {
        let ro = super::EmbedOptions {
            read_only: true,
            ..Default::default()
        };
        let e = super::embed_snippet("https://x.org/", "lambda", "Lambda cost", "v=1&s=ab", ro);
        assert_eq!(e, "<iframe src=\"https://x.org/#/embed/lambda?v=1&amp;s=ab&amp;ro=1\" title=\"Stratus: Lambda cost\" width=\"100%\" height=\"640\" style=\"border:0\" loading=\"lazy\"></iframe>");
        let plain = super::EmbedOptions::default();
        assert!(
            super::embed_snippet("/", "cidr", "CIDR", "", plain).contains("src=\"/#/embed/cidr\"")
        );
        let slide = super::EmbedOptions {
            read_only: false,
            dark: Some(true),
            presenter: true,
            section: Some("analyzer"),
        };
        let e = super::embed_snippet("/", "vpc", "VPC", "", slide);
        assert!(
            e.contains("src=\"/#/embed/vpc?theme=dark&amp;presenter=1&amp;section=analyzer\""),
            "{e}"
        );
        // "Open in Stratus" drops every embed-only option.
        assert_eq!(
            super::open_link(
                "/",
                "vpc",
                "v=1&z=abc&ro=1&theme=dark&presenter=1&section=diagram"
            ),
            "/#/vpc?v=1&z=abc"
        );
    }

    #[test]
    fn values_and_queries() {
        let v = serde_json::json!({"a": "b c"});
        let q = super::value_to_query(3, &v);
        assert_eq!(super::query_to_value(&q), Some((3, v)));
        assert_eq!(super::value_to_query(1, &serde_json::json!({})), "");
        assert_eq!(super::query_to_value(""), None);
        assert_eq!(super::query_to_value("v=1&s=%7B"), None);
    }
}
