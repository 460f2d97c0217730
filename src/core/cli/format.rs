//! The AWS CLI's output formats, ported from aws-cli v2 (`awscli/formatter.py`,
//! `awscli/text.py`, `awscli/table.py`): `json`, `text`, `table` and `yaml`, each a pure
//! function of the response document. Widths are for an 80-column terminal, colour off (the
//! CLI's behaviour when its output is not a terminal).

use crate::core::sim::doc::{float_text, Doc};

/// An output format (`--output`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    Json,
    Text,
    Table,
    Yaml,
}

impl Format {
    /// The names `--output` accepts, in the CLI's order.
    pub const NAMES: [&'static str; 4] = ["json", "text", "table", "yaml"];

    pub fn parse(name: &str) -> Option<Format> {
        match name {
            "json" => Some(Format::Json),
            "text" => Some(Format::Text),
            "table" => Some(Format::Table),
            "yaml" => Some(Format::Yaml),
            _ => None,
        }
    }
}

/// Prints `doc` as the CLI prints an operation's result (`title` is the operation's name,
/// `DescribeInstances`, the table's title). An empty object prints nothing.
pub fn render(doc: &Doc, format: Format, title: &str) -> String {
    match format {
        Format::Json => json(doc),
        Format::Text => text(doc),
        Format::Table => table(doc, title, 80),
        Format::Yaml => yaml(doc),
    }
}

/// JSON: 4-space indentation, one trailing newline; `{}` prints nothing.
pub fn json(doc: &Doc) -> String {
    if *doc == Doc::Map(vec![]) {
        return String::new();
    }
    format!("{}\n", doc.to_json_pretty())
}

/// Python's `str()` of a scalar: `None`, `True`, `1.0`.
fn py_str(d: &Doc) -> String {
    match d {
        Doc::Null => "None".into(),
        Doc::Bool(true) => "True".into(),
        Doc::Bool(false) => "False".into(),
        Doc::Int(i) => i.to_string(),
        Doc::Float(f) => float_text(*f),
        Doc::Str(s) => s.clone(),
        Doc::List(items) => format!(
            "[{}]",
            items.iter().map(py_repr).collect::<Vec<_>>().join(", ")
        ),
        Doc::Map(m) => format!(
            "{{{}}}",
            m.iter()
                .map(|(k, v)| format!("'{k}': {}", py_repr(v)))
                .collect::<Vec<_>>()
                .join(", ")
        ),
    }
}

fn py_repr(d: &Doc) -> String {
    match d {
        Doc::Str(s) => format!("'{s}'"),
        other => py_str(other),
    }
}

fn sorted(m: &[(String, Doc)]) -> Vec<&(String, Doc)> {
    let mut v: Vec<&(String, Doc)> = m.iter().collect();
    v.sort_by(|a, b| a.0.cmp(&b.0));
    v
}

/// Text: tab-separated lines, scalars of an object sorted by key before its children, each
/// child's lines prefixed with its key upper-cased (`awscli/text.py`).
pub fn text(doc: &Doc) -> String {
    let mut out = String::new();
    fmt_text(&mut out, doc, None, None);
    out
}

fn fmt_text(
    out: &mut String,
    item: &Doc,
    identifier: Option<&str>,
    scalar_keys: Option<&[String]>,
) {
    match item {
        Doc::Map(m) => text_dict(out, scalar_keys, m, identifier),
        Doc::List(l) => text_list(out, l, identifier),
        scalar => {
            out.push_str(&py_str(scalar));
            out.push('\n');
        }
    }
}

fn text_list(out: &mut String, item: &[Doc], identifier: Option<&str>) {
    if item.is_empty() {
        return;
    }
    if item.iter().any(|e| matches!(e, Doc::Map(_))) {
        let mut keys: Vec<String> = Vec::new();
        for e in item {
            if let Doc::Map(m) = e {
                for (k, v) in m {
                    if v.is_scalar() && !keys.contains(k) {
                        keys.push(k.clone());
                    }
                }
            }
        }
        keys.sort();
        for e in item {
            fmt_text(out, e, identifier, Some(&keys));
        }
    } else if item.iter().any(|e| matches!(e, Doc::List(_))) {
        let scalars: Vec<&Doc> = item.iter().filter(|e| e.is_scalar()).collect();
        if !scalars.is_empty() {
            text_scalar_list(out, &scalars, identifier);
        }
        for e in item.iter().filter(|e| !e.is_scalar()) {
            fmt_text(out, e, identifier, None);
        }
    } else {
        let all: Vec<&Doc> = item.iter().collect();
        text_scalar_list(out, &all, identifier);
    }
}

/// A text output identifier upper-cased as the AWS CLI does (Python's `str.upper`, Unicode:
/// a DynamoDB attribute `größe` prints as `GRÖSSE`). Identifiers are mostly ASCII, so the
/// Unicode table (which only the console's module carries) is consulted only otherwise.
fn upper(id: &str) -> String {
    if id.is_ascii() {
        id.to_ascii_uppercase()
    } else {
        #[allow(clippy::disallowed_methods)]
        id.to_uppercase()
    }
}

fn text_scalar_list(out: &mut String, elements: &[&Doc], identifier: Option<&str>) {
    match identifier {
        Some(id) => {
            for e in elements {
                out.push_str(&upper(id));
                out.push('\t');
                out.push_str(&py_str(e));
                out.push('\n');
            }
        }
        None => {
            let line: Vec<String> = elements.iter().map(|e| py_str(e)).collect();
            out.push_str(&line.join("\t"));
            out.push('\n');
        }
    }
}

fn text_dict(
    out: &mut String,
    scalar_keys: Option<&[String]>,
    item: &[(String, Doc)],
    identifier: Option<&str>,
) {
    let mut scalars: Vec<String> = Vec::new();
    let mut non_scalars: Vec<(&str, &Doc)> = Vec::new();
    match scalar_keys {
        None => {
            for (k, v) in sorted(item) {
                if v.is_scalar() {
                    scalars.push(py_str(v));
                } else {
                    non_scalars.push((k, v));
                }
            }
        }
        Some(keys) => {
            for k in keys {
                scalars.push(
                    item.iter()
                        .find(|(x, _)| x == k)
                        .map_or(String::new(), |(_, v)| py_str(v)),
                );
            }
            for (k, v) in sorted(item) {
                if !keys.contains(k) {
                    non_scalars.push((k, v));
                }
            }
        }
    }
    if !scalars.is_empty() {
        if let Some(id) = identifier {
            scalars.insert(0, upper(id));
        }
        out.push_str(&scalars.join("\t"));
        out.push('\n');
    }
    for (k, v) in non_scalars {
        fmt_text(out, v, Some(k), None);
    }
}

/// Display width: East Asian wide and fullwidth characters count two columns.
fn width(s: &str) -> i64 {
    s.chars()
        .map(|c| {
            let u = c as u32;
            let wide = (0x1100..=0x115F).contains(&u)
                || (0x2E80..=0xA4CF).contains(&u)
                || (0xAC00..=0xD7A3).contains(&u)
                || (0xF900..=0xFAFF).contains(&u)
                || (0xFE30..=0xFE4F).contains(&u)
                || (0xFF00..=0xFF60).contains(&u)
                || (0xFFE0..=0xFFE6).contains(&u)
                || (0x1F300..=0x1FAFF).contains(&u)
                || (0x20000..=0x3FFFD).contains(&u);
            if wide {
                2
            } else {
                1
            }
        })
        .sum()
}

fn rep(c: &str, n: i64) -> String {
    c.repeat(n.max(0) as usize)
}

#[derive(Clone, Debug, Default)]
struct Section {
    title: String,
    headers: Vec<String>,
    rows: Vec<Vec<String>>,
    indent: i64,
    max_widths: Vec<i64>,
}

impl Section {
    fn update_widths(&mut self, cells: &[String]) {
        if self.max_widths.len() < cells.len() {
            self.max_widths.resize(cells.len(), 0);
        }
        for (i, c) in cells.iter().enumerate() {
            self.max_widths[i] = self.max_widths[i].max(width(c));
        }
    }

    fn total_width(&self) -> i64 {
        let cols: i64 = self.max_widths.iter().map(|w| w + 4).sum();
        (width(&self.title) + 2 + 2 * self.indent).max(cols + 2 + 2 * self.indent)
    }

    /// Column widths scaled to fill `max_width` (Python's round: ties to even).
    fn column_widths(&self, max_width: i64) -> Vec<i64> {
        let unscaled: Vec<i64> = self.max_widths.iter().map(|w| w + 4).collect();
        let total: i64 = unscaled.iter().sum();
        if total == 0 {
            return unscaled;
        }
        let scale = max_width as f64 / total as f64;
        let mut scaled: Vec<i64> = unscaled
            .iter()
            .map(|u| (scale * *u as f64).round_ties_even() as i64)
            .collect();
        let mut off: i64 = scaled.iter().sum::<i64>() - max_width;
        let n = scaled.len();
        while off != 0 {
            let order: Vec<usize> = if off > 0 {
                (0..n).collect()
            } else {
                (0..n).rev().collect()
            };
            for i in order {
                if off > 0 {
                    scaled[i] -= 1;
                    off -= 1;
                } else {
                    scaled[i] += 1;
                    off += 1;
                }
                if off == 0 {
                    break;
                }
            }
        }
        scaled
    }
}

struct Table {
    sections: Vec<Section>,
}

impl Table {
    fn new_section(&mut self, title: &str, indent: i64) {
        self.sections.push(Section {
            title: title.into(),
            indent,
            ..Section::default()
        });
    }

    fn current(&mut self) -> &mut Section {
        if self.sections.is_empty() {
            self.sections.push(Section::default());
        }
        let last = self.sections.len() - 1;
        &mut self.sections[last]
    }

    fn add_header(&mut self, headers: Vec<String>) {
        let s = self.current();
        s.update_widths(&headers);
        s.headers = headers;
    }

    fn add_row(&mut self, row: Vec<String>) {
        if row.is_empty() {
            return;
        }
        let s = self.current();
        s.update_widths(&row);
        s.rows.push(row);
    }
}

fn falsy(d: &Doc) -> bool {
    match d {
        Doc::Null => true,
        Doc::Bool(b) => !b,
        Doc::Int(i) => *i == 0,
        Doc::Float(f) => *f == 0.0,
        Doc::Str(s) => s.is_empty(),
        Doc::List(l) => l.is_empty(),
        Doc::Map(m) => m.is_empty(),
    }
}

fn build(t: &mut Table, title: Option<&str>, current: &Doc, indent: i64) -> bool {
    if falsy(current) {
        return false;
    }
    if let Some(title) = title {
        t.new_section(title, indent);
    }
    match current {
        Doc::List(items) => {
            if matches!(items.first(), Some(Doc::Map(_))) {
                table_from_list(t, items, indent, title.unwrap_or(""));
            } else {
                for item in items {
                    match item {
                        Doc::List(inner) if inner.iter().all(Doc::is_scalar) => {
                            t.add_row(inner.iter().map(py_str).collect());
                        }
                        Doc::Map(m) if m.iter().all(|(_, v)| v.is_scalar()) => {
                            t.add_row(m.iter().map(|(k, _)| k.clone()).collect());
                        }
                        scalar if scalar.is_scalar() => t.add_row(vec![py_str(scalar)]),
                        other => {
                            build(t, None, other, 0);
                        }
                    }
                }
            }
        }
        Doc::Map(m) => table_from_dict(t, m, indent),
        _ => {}
    }
    true
}

fn table_from_dict(t: &mut Table, d: &[(String, Doc)], indent: i64) {
    let mut headers: Vec<&str> = Vec::new();
    let mut more: Vec<&str> = Vec::new();
    for (k, v) in sorted(d) {
        if v.is_scalar() {
            headers.push(k);
        } else {
            more.push(k);
        }
    }
    let get = |k: &str| d.iter().find(|(x, _)| x == k).map(|(_, v)| v);
    if headers.len() == 1 {
        t.add_row(vec![
            headers[0].into(),
            get(headers[0]).map(py_str).unwrap_or_default(),
        ]);
    } else if !headers.is_empty() {
        t.add_header(headers.iter().map(|h| h.to_string()).collect());
        t.add_row(
            headers
                .iter()
                .map(|h| get(h).map(py_str).unwrap_or_default())
                .collect(),
        );
    }
    for k in more {
        if let Some(v) = get(k) {
            build(t, Some(k), v, indent + 1);
        }
    }
}

fn table_from_list(t: &mut Table, list: &[Doc], indent: i64, title: &str) {
    let mut headers: Vec<String> = Vec::new();
    let mut more: Vec<String> = Vec::new();
    for el in list {
        if let Doc::Map(m) = el {
            for (k, v) in m {
                let bucket = if v.is_scalar() {
                    &mut headers
                } else {
                    &mut more
                };
                if !bucket.contains(k) {
                    bucket.push(k.clone());
                }
            }
        }
    }
    headers.sort();
    more.sort();
    t.add_header(headers.clone());
    let mut first = true;
    for el in list {
        if !first && !more.is_empty() {
            t.new_section(title, indent);
            t.add_header(headers.clone());
        }
        first = false;
        let get = |k: &str| el.get(k);
        t.add_row(
            headers
                .iter()
                .map(|h| get(h).map(py_str).unwrap_or_default())
                .collect(),
        );
        for k in &more {
            if let Some(v) = get(k) {
                build(t, Some(k), v, indent + 1);
            }
        }
    }
}

fn center(text: &str, length: i64, left: &str, right: &str) -> String {
    let t = width(text);
    let start = length.div_euclid(2) - t.div_euclid(2) - 1;
    format!(
        "{left}{}{text}{}{right}",
        rep(" ", start),
        rep(
            " ",
            length - right.len() as i64 - (left.len() as i64 + start + t)
        )
    )
}

fn align_left(text: &str, length: i64, left: &str, right: &str) -> String {
    let t = width(text);
    let pad = if length - (t + 2 + left.len() as i64 + right.len() as i64) >= 0 {
        2
    } else {
        0
    };
    format!(
        "{left}{}{text}{}{right}",
        rep(" ", pad),
        rep(
            " ",
            length - left.len() as i64 - pad - t - right.len() as i64
        )
    )
}

fn line_break(widths: &[i64]) -> String {
    let mut s = String::from("+");
    if let Some(first) = widths.first() {
        s.push_str(&rep("-", first - 2));
        s.push('+');
    }
    for w in widths.iter().skip(1) {
        s.push_str(&rep("-", w - 1));
        s.push('+');
    }
    s
}

fn render_section(out: &mut String, s: &Section, max_width: i64) {
    let bars = rep("|", s.indent);
    let mut line = |text: String| {
        out.push_str(&bars);
        out.push_str(&text);
        out.push_str(&bars);
        out.push('\n');
    };
    let w = max_width - 2 * s.indent;
    if !s.title.is_empty() {
        line(center(&s.title, w, "|", "|"));
        if s.headers.is_empty() && s.rows.is_empty() {
            line(format!("+{}+", rep("-", w - 2)));
        }
    }
    let cells = |row: &[String], widths: &[i64], header: bool| -> String {
        row.iter()
            .enumerate()
            .map(|(i, c)| {
                let left = if i == 0 { "|" } else { "" };
                let w = widths.get(i).copied().unwrap_or(0);
                if header {
                    center(c, w, left, "|")
                } else {
                    align_left(c, w, left, "|")
                }
            })
            .collect()
    };
    if !s.headers.is_empty() {
        let widths = s.column_widths(w);
        line(line_break(&widths));
        line(cells(&s.headers, &widths, true));
    }
    if !s.rows.is_empty() {
        let widths = s.column_widths(w);
        line(line_break(&widths));
        for r in &s.rows {
            line(cells(r, &widths, false));
        }
        line(line_break(&widths));
    }
}

/// Table: the titled box table (`awscli/table.py`) for a terminal `terminal_width` wide.
pub fn table(doc: &Doc, title: &str, terminal_width: i64) -> String {
    let mut t = Table { sections: vec![] };
    if !build(&mut t, Some(title), doc, 0) {
        return String::new();
    }
    // Every row of a section has as many cells as its first.
    for s in &mut t.sections {
        let n = s.max_widths.len();
        for r in &mut s.rows {
            r.resize(n, String::new());
        }
    }
    let mut max_width = t
        .sections
        .iter()
        .map(Section::total_width)
        .max()
        .unwrap_or(0);
    if max_width > terminal_width {
        for s in &mut t.sections {
            if s.rows.len() == 1 && !s.headers.is_empty() {
                let headers = std::mem::take(&mut s.headers);
                let row = std::mem::take(&mut s.rows[0]);
                s.rows = headers
                    .into_iter()
                    .zip(row)
                    .map(|(h, v)| vec![h, v])
                    .collect();
                s.max_widths.clear();
                let rows = s.rows.clone();
                for r in &rows {
                    s.update_widths(r);
                }
            }
        }
        max_width = t
            .sections
            .iter()
            .map(Section::total_width)
            .max()
            .unwrap_or(0);
    }
    let mut out = rep("-", max_width);
    out.push('\n');
    for s in &t.sections {
        render_section(&mut out, s, max_width);
    }
    out
}

/// YAML as the CLI v2 writes it (ruamel.yaml, safe, block style): keys sorted, lists not
/// indented under their key, strings quoted only when they would read back as something
/// else; a top-level scalar is printed as JSON.
pub fn yaml(doc: &Doc) -> String {
    match doc {
        Doc::Map(m) if m.is_empty() => String::new(),
        Doc::List(l) if l.is_empty() => "[]\n".into(),
        Doc::Map(_) | Doc::List(_) => {
            let mut out = String::new();
            yaml_block(&mut out, doc, 0);
            out
        }
        scalar => format!("{}\n", scalar.to_json_compact()),
    }
}

fn yaml_inline(d: &Doc) -> Option<String> {
    Some(match d {
        Doc::Null => "null".into(),
        Doc::Bool(b) => b.to_string(),
        Doc::Int(i) => i.to_string(),
        Doc::Float(f) => float_text(*f),
        Doc::Str(s) => yaml_string(s),
        Doc::List(l) if l.is_empty() => "[]".into(),
        Doc::Map(m) if m.is_empty() => "{}".into(),
        _ => return None,
    })
}

fn yaml_block(out: &mut String, d: &Doc, indent: usize) {
    let pad = " ".repeat(indent);
    match d {
        Doc::Map(m) => {
            for (k, v) in sorted(m) {
                yaml_entry(out, &pad, k, v, indent);
            }
        }
        Doc::List(l) => {
            for item in l {
                yaml_item(out, &pad, item, indent);
            }
        }
        _ => {}
    }
}

fn yaml_entry(out: &mut String, pad: &str, k: &str, v: &Doc, indent: usize) {
    let key = yaml_string(k);
    match (yaml_inline(v), v) {
        (Some(s), _) => out.push_str(&format!("{pad}{key}: {s}\n")),
        (None, Doc::List(_)) => {
            out.push_str(&format!("{pad}{key}:\n"));
            yaml_block(out, v, indent);
        }
        (None, _) => {
            out.push_str(&format!("{pad}{key}:\n"));
            yaml_block(out, v, indent + 2);
        }
    }
}

fn yaml_item(out: &mut String, pad: &str, item: &Doc, indent: usize) {
    if let Some(s) = yaml_inline(item) {
        out.push_str(&format!("{pad}- {s}\n"));
        return;
    }
    // The item's block, with its first line after "- ".
    let mut inner = String::new();
    yaml_block(&mut inner, item, indent + 2);
    let body = inner
        .strip_prefix(&" ".repeat(indent + 2))
        .unwrap_or(&inner);
    out.push_str(&format!("{pad}- {body}"));
}

fn yaml_string(s: &str) -> String {
    if s.chars().any(|c| (c as u32) < 0x20 || c == '\u{7f}') {
        let escaped: String = s
            .chars()
            .map(|c| match c {
                '\n' => "\\n".to_string(),
                '\t' => "\\t".to_string(),
                '\r' => "\\r".to_string(),
                '"' => "\\\"".to_string(),
                '\\' => "\\\\".to_string(),
                c if (c as u32) < 0x20 || c == '\u{7f}' => format!("\\x{:02X}", c as u32),
                c => c.to_string(),
            })
            .collect();
        return format!("\"{escaped}\"");
    }
    if needs_quotes(s) {
        format!("'{}'", s.replace('\'', "''"))
    } else {
        s.into()
    }
}

fn needs_quotes(s: &str) -> bool {
    if s.is_empty() || s.starts_with(' ') || s.ends_with(' ') || s == "=" || s == "<<" {
        return true;
    }
    let lower = s.to_ascii_lowercase();
    if matches!(
        lower.as_str(),
        "true" | "false" | "null" | "~" | ".inf" | "-.inf" | "+.inf" | ".nan"
    ) {
        return true;
    }
    if looks_numeric(s) || looks_like_date(s) {
        return true;
    }
    let first = s.chars().next().unwrap_or(' ');
    if "[]{},!&*%@`|>#'\"".contains(first) {
        return true;
    }
    if (first == '-' || first == '?' || first == ':') && (s.len() == 1 || s[1..].starts_with(' ')) {
        return true;
    }
    s.contains(": ") || s.ends_with(':') || s.contains(" #")
}

fn looks_numeric(s: &str) -> bool {
    let t = s.strip_prefix(['+', '-']).unwrap_or(s).replace('_', "");
    if t.is_empty() {
        return false;
    }
    if let Some(h) = t.strip_prefix("0x") {
        return !h.is_empty() && h.chars().all(|c| c.is_ascii_hexdigit());
    }
    if let Some(o) = t.strip_prefix("0o") {
        return !o.is_empty() && o.chars().all(|c| ('0'..='7').contains(&c));
    }
    let (mantissa, exp) = match t.split_once(['e', 'E']) {
        Some((m, e)) => (m.to_string(), Some(e.to_string())),
        None => (t.clone(), None),
    };
    let digits = mantissa.replace('.', "");
    let mantissa_ok = !digits.is_empty()
        && digits.chars().all(|c| c.is_ascii_digit())
        && mantissa.matches('.').count() <= 1;
    let exp_ok = exp.is_none_or(|e| {
        let e = e.strip_prefix(['+', '-']).unwrap_or(&e);
        !e.is_empty() && e.chars().all(|c| c.is_ascii_digit())
    });
    mantissa_ok && exp_ok
}

fn looks_like_date(s: &str) -> bool {
    let b = s.as_bytes();
    b.len() >= 10
        && b[..4].iter().all(u8::is_ascii_digit)
        && b[4] == b'-'
        && b[5..7].iter().all(u8::is_ascii_digit)
        && b[7] == b'-'
        && b[8..10].iter().all(u8::is_ascii_digit)
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests;
