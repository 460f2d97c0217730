//! DynamoDB expressions: condition expressions (ConditionExpression, FilterExpression),
//! key condition expressions (Query) and update expressions (UpdateItem), parsed from their
//! text with ExpressionAttributeNames (`#n`) and ExpressionAttributeValues (`:v`), and
//! evaluated against an item. Errors are AWS's ValidationException texts.
//!
//! Sources (DynamoDB Developer Guide): "Condition and filter expressions, operators, and
//! functions" (comparators, BETWEEN, IN, attribute_exists, attribute_not_exists,
//! attribute_type, begins_with, contains, size; precedence NOT, AND, OR), "Update
//! expressions" (SET with + and −, if_not_exists, list_append; REMOVE; ADD for numbers and
//! sets; DELETE for sets; every operand read from the item as it was before the update),
//! "Query: key condition expressions" (= on the partition key; =, <, <=, >, >=, BETWEEN or
//! begins_with on the sort key).

use super::decimal::Decimal;
use crate::core::dynamodb::item::Attr;
use crate::core::sim::AwsError;
use std::cmp::Ordering;
use std::collections::BTreeMap;

/// An item: attribute name → value.
pub type Item = BTreeMap<String, Attr>;

/// Expression attribute names (`#s` → `status`) and values (`:v` → a value).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Placeholders {
    pub names: BTreeMap<String, String>,
    pub values: BTreeMap<String, Attr>,
}

/// One step of a document path.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Part {
    Key(String),
    Index(usize),
}

pub type Path = Vec<Part>;

/// A path as text (`info.rating`, `tags[0]`).
pub fn path_text(p: &Path) -> String {
    let mut s = String::new();
    for part in p {
        match part {
            Part::Key(k) => {
                if !s.is_empty() {
                    s.push('.');
                }
                s.push_str(k);
            }
            Part::Index(i) => s.push_str(&format!("[{i}]")),
        }
    }
    s
}

#[derive(Clone, Debug, PartialEq)]
pub enum Operand {
    Path(Path),
    Value(Attr),
    Size(Path),
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Comparator {
    Eq,
    Ne,
    Lt,
    Le,
    Gt,
    Ge,
}

/// A condition, as parsed.
#[derive(Clone, Debug, PartialEq)]
pub enum Cond {
    Cmp(Operand, Comparator, Operand),
    Between(Operand, Operand, Operand),
    In(Operand, Vec<Operand>),
    Exists(Path),
    NotExists(Path),
    Type(Path, Operand),
    BeginsWith(Path, Operand),
    Contains(Path, Operand),
    And(Box<Cond>, Box<Cond>),
    Or(Box<Cond>, Box<Cond>),
    Not(Box<Cond>),
}

fn validation(message: String) -> AwsError {
    AwsError::new("ValidationException", 400, message)
}

#[derive(Clone, Debug, PartialEq)]
enum Tok {
    Word(String),
    Name(String),
    Value(String),
    Num(usize),
    Sym(&'static str),
}

fn tokens(text: &str, what: &str) -> Result<Vec<Tok>, AwsError> {
    let b: Vec<char> = text.chars().collect();
    let mut out = vec![];
    let mut k = 0;
    let word = |c: char| c.is_alphanumeric() || c == '_';
    while k < b.len() {
        let c = b[k];
        if c.is_whitespace() {
            k += 1;
            continue;
        }
        let two: String = b[k..(k + 2).min(b.len())].iter().collect();
        if let Some(s) = ["<>", "<=", ">="].into_iter().find(|s| *s == two) {
            out.push(Tok::Sym(s));
            k += 2;
            continue;
        }
        if let Some(s) = ["=", "<", ">", "(", ")", ",", ".", "[", "]", "+", "-"]
            .into_iter()
            .find(|s| s.starts_with(c))
        {
            out.push(Tok::Sym(s));
            k += 1;
            continue;
        }
        if c == '#' || c == ':' {
            let start = k;
            k += 1;
            while k < b.len() && word(b[k]) {
                k += 1;
            }
            let t: String = b[start..k].iter().collect();
            if t.len() == 1 {
                return Err(validation(format!(
                    "Invalid {what}: Syntax error; token: \"{c}\", near: \"{}\"",
                    b[start..(start + 6).min(b.len())]
                        .iter()
                        .collect::<String>()
                )));
            }
            out.push(if c == '#' {
                Tok::Name(t)
            } else {
                Tok::Value(t)
            });
            continue;
        }
        if word(c) {
            let start = k;
            while k < b.len() && word(b[k]) {
                k += 1;
            }
            let t: String = b[start..k].iter().collect();
            match (t.parse::<usize>(), out.last()) {
                (Ok(n), Some(Tok::Sym("["))) => out.push(Tok::Num(n)),
                // Values are :placeholders, and a name starting with a digit needs a
                // #placeholder: a bare number is a syntax error.
                _ if t.starts_with(|c: char| c.is_ascii_digit()) => {
                    return Err(validation(format!(
                        "Invalid {what}: Syntax error; token: \"{t}\", near: \"{t}\""
                    )))
                }
                _ => out.push(Tok::Word(t)),
            }
            continue;
        }
        return Err(validation(format!(
            "Invalid {what}: Syntax error; token: \"{c}\", near: \"{}\"",
            b[k..(k + 6).min(b.len())].iter().collect::<String>()
        )));
    }
    Ok(out)
}

/// Parentheses and NOTs nest at most this deep here (DynamoDB's own limit is on the
/// expression's 4 KB and 300 operators; this keeps the parser's stack small).
const MAX_DEPTH: usize = 100;
/// Operators and functions an expression may hold (Developer Guide, "Expression
/// parameters": 300).
const MAX_OPERATORS: usize = 300;

struct Parser<'a> {
    toks: Vec<Tok>,
    at: usize,
    depth: usize,
    ph: &'a Placeholders,
    what: &'static str,
    used_names: Vec<String>,
    used_values: Vec<String>,
}

fn tok_text(t: &Tok) -> String {
    match t {
        Tok::Word(w) | Tok::Name(w) | Tok::Value(w) => w.clone(),
        Tok::Num(n) => n.to_string(),
        Tok::Sym(s) => s.to_string(),
    }
}

impl Parser<'_> {
    fn peek(&self) -> Option<&Tok> {
        self.toks.get(self.at)
    }

    fn keyword(&self, kw: &str) -> bool {
        matches!(self.peek(), Some(Tok::Word(w)) if w.eq_ignore_ascii_case(kw))
    }

    fn syntax(&self) -> AwsError {
        match self.peek() {
            Some(t) => {
                let near: Vec<String> = self.toks[self.at..(self.at + 3).min(self.toks.len())]
                    .iter()
                    .map(tok_text)
                    .collect();
                validation(format!(
                    "Invalid {}: Syntax error; token: \"{}\", near: \"{}\"",
                    self.what,
                    tok_text(t),
                    near.join(" ")
                ))
            }
            None => validation(format!(
                "Invalid {}: Syntax error; token: \"<EOF>\", near: the end",
                self.what
            )),
        }
    }

    fn sym(&mut self, s: &str) -> Result<(), AwsError> {
        if matches!(self.peek(), Some(Tok::Sym(x)) if *x == s) {
            self.at += 1;
            Ok(())
        } else {
            Err(self.syntax())
        }
    }

    fn is_sym(&self, s: &str) -> bool {
        matches!(self.peek(), Some(Tok::Sym(x)) if *x == s)
    }

    fn name(&mut self) -> Result<String, AwsError> {
        match self.peek().cloned() {
            Some(Tok::Word(w)) => {
                if super::reserved::is_reserved(&w) {
                    return Err(validation(format!(
                        "Invalid {}: Attribute name is a reserved keyword; reserved keyword: {w}",
                        self.what
                    )));
                }
                self.at += 1;
                Ok(w)
            }
            Some(Tok::Name(n)) => {
                self.at += 1;
                self.used_names.push(n.clone());
                self.ph.names.get(&n).cloned().ok_or_else(|| {
                    validation(format!(
                        "Invalid {}: An expression attribute name used in the document path is not defined; attribute name: {n}",
                        self.what
                    ))
                })
            }
            _ => Err(self.syntax()),
        }
    }

    fn path(&mut self) -> Result<Path, AwsError> {
        let mut p = vec![Part::Key(self.name()?)];
        loop {
            if self.is_sym(".") {
                self.at += 1;
                p.push(Part::Key(self.name()?));
            } else if self.is_sym("[") {
                self.at += 1;
                match self.peek() {
                    Some(Tok::Num(n)) => {
                        p.push(Part::Index(*n));
                        self.at += 1;
                    }
                    _ => return Err(self.syntax()),
                }
                self.sym("]")?;
            } else {
                return Ok(p);
            }
        }
    }

    fn value(&mut self, v: &str) -> Result<Attr, AwsError> {
        self.used_values.push(v.to_string());
        self.ph.values.get(v).cloned().ok_or_else(|| {
            validation(format!(
                "Invalid {}: An expression attribute value used in expression is not defined; attribute value: {v}",
                self.what
            ))
        })
    }

    fn operand(&mut self) -> Result<Operand, AwsError> {
        match self.peek().cloned() {
            Some(Tok::Value(v)) => {
                self.at += 1;
                Ok(Operand::Value(self.value(&v)?))
            }
            Some(Tok::Word(w))
                if w == "size" && self.toks.get(self.at + 1) == Some(&Tok::Sym("(")) =>
            {
                self.at += 2;
                let p = self.path()?;
                self.sym(")")?;
                Ok(Operand::Size(p))
            }
            Some(Tok::Word(_)) | Some(Tok::Name(_)) => Ok(Operand::Path(self.path()?)),
            _ => Err(self.syntax()),
        }
    }

    fn or(&mut self) -> Result<Cond, AwsError> {
        let mut c = self.and()?;
        while self.keyword("OR") {
            self.at += 1;
            c = Cond::Or(Box::new(c), Box::new(self.and()?));
        }
        Ok(c)
    }

    fn and(&mut self) -> Result<Cond, AwsError> {
        let mut c = self.not()?;
        while self.keyword("AND") {
            self.at += 1;
            c = Cond::And(Box::new(c), Box::new(self.not()?));
        }
        Ok(c)
    }

    fn not(&mut self) -> Result<Cond, AwsError> {
        self.depth += 1;
        if self.depth > MAX_DEPTH {
            return Err(validation(format!(
                "Invalid {}: The expression nests more than {MAX_DEPTH} levels deep",
                self.what
            )));
        }
        let c = if self.keyword("NOT") {
            self.at += 1;
            Cond::Not(Box::new(self.not()?))
        } else {
            self.primary()?
        };
        self.depth -= 1;
        Ok(c)
    }

    fn primary(&mut self) -> Result<Cond, AwsError> {
        if self.is_sym("(") {
            self.at += 1;
            let c = self.or()?;
            self.sym(")")?;
            return Ok(c);
        }
        if let Some(Tok::Word(w)) = self.peek().cloned() {
            let f = w.as_str();
            let call = self.toks.get(self.at + 1) == Some(&Tok::Sym("("));
            if call && f != "size" {
                self.at += 2;
                let c = match f {
                    "attribute_exists" => Cond::Exists(self.path()?),
                    "attribute_not_exists" => Cond::NotExists(self.path()?),
                    "attribute_type" | "begins_with" | "contains" => {
                        let p = self.path()?;
                        self.sym(",")?;
                        let o = self.operand()?;
                        match f {
                            "attribute_type" => Cond::Type(p, o),
                            "begins_with" => Cond::BeginsWith(p, o),
                            _ => Cond::Contains(p, o),
                        }
                    }
                    _ => {
                        return Err(validation(format!(
                            "Invalid {}: Invalid function name; function: {f}",
                            self.what
                        )))
                    }
                };
                self.sym(")")?;
                return Ok(c);
            }
        }
        let left = self.operand()?;
        if self.keyword("BETWEEN") {
            self.at += 1;
            let lo = self.operand()?;
            if !self.keyword("AND") {
                return Err(self.syntax());
            }
            self.at += 1;
            let hi = self.operand()?;
            return Ok(Cond::Between(left, lo, hi));
        }
        if self.keyword("IN") {
            self.at += 1;
            self.sym("(")?;
            let mut list = vec![self.operand()?];
            while self.is_sym(",") {
                self.at += 1;
                list.push(self.operand()?);
            }
            self.sym(")")?;
            if list.len() > 100 {
                return Err(validation(format!(
                    "Invalid {}: The IN operator takes at most 100 operands; {} given",
                    self.what,
                    list.len()
                )));
            }
            return Ok(Cond::In(left, list));
        }
        let cmp = match self.peek() {
            Some(Tok::Sym("=")) => Comparator::Eq,
            Some(Tok::Sym("<>")) => Comparator::Ne,
            Some(Tok::Sym("<")) => Comparator::Lt,
            Some(Tok::Sym("<=")) => Comparator::Le,
            Some(Tok::Sym(">")) => Comparator::Gt,
            Some(Tok::Sym(">=")) => Comparator::Ge,
            _ => return Err(self.syntax()),
        };
        self.at += 1;
        Ok(Cond::Cmp(left, cmp, self.operand()?))
    }

    fn done(&self) -> Result<(), AwsError> {
        if self.at < self.toks.len() {
            Err(self.syntax())
        } else {
            Ok(())
        }
    }
}

/// A parsed expression with the placeholders it used (AWS refuses unused ones, by the
/// request as a whole).
#[derive(Clone, Debug, PartialEq)]
pub struct Parsed<T> {
    pub expr: T,
    pub names: Vec<String>,
    pub values: Vec<String>,
}

fn parser<'a>(
    text: &str,
    ph: &'a Placeholders,
    what: &'static str,
) -> Result<Parser<'a>, AwsError> {
    if text.trim().is_empty() {
        return Err(validation(format!(
            "Invalid {what}: The expression can not be empty;"
        )));
    }
    if text.len() > 4_096 {
        return Err(validation(format!(
            "Invalid {what}: Expression size has exceeded the maximum allowed size; expression size: {}",
            text.len()
        )));
    }
    let toks = tokens(text, what)?;
    let operators = toks
        .iter()
        .filter(|t| match t {
            Tok::Sym(s) => matches!(*s, "=" | "<>" | "<" | "<=" | ">" | ">=" | "+" | "-"),
            Tok::Word(w) => {
                let w = w.to_ascii_uppercase();
                matches!(w.as_str(), "AND" | "OR" | "NOT" | "BETWEEN" | "IN")
            }
            _ => false,
        })
        .count()
        + toks
            .windows(2)
            .filter(|w| matches!(w, [Tok::Word(_), Tok::Sym("(")]))
            .count();
    if operators > MAX_OPERATORS {
        return Err(validation(format!(
            "Invalid {what}: The expression contains too many operators; operator count: {operators}, limit: {MAX_OPERATORS}"
        )));
    }
    Ok(Parser {
        toks,
        at: 0,
        depth: 0,
        ph,
        what,
        used_names: vec![],
        used_values: vec![],
    })
}

/// Parses a ConditionExpression or FilterExpression (`what` names it in errors).
pub fn parse_condition(
    text: &str,
    ph: &Placeholders,
    what: &'static str,
) -> Result<Parsed<Cond>, AwsError> {
    let mut p = parser(text, ph, what)?;
    let c = p.or()?;
    p.done()?;
    Ok(Parsed {
        expr: c,
        names: p.used_names,
        values: p.used_values,
    })
}

fn operand_path(o: &Operand) -> Option<&Path> {
    match o {
        Operand::Path(p) | Operand::Size(p) => Some(p),
        Operand::Value(_) => None,
    }
}

/// Every document path a condition reads.
pub fn cond_paths(c: &Cond) -> Vec<&Path> {
    match c {
        Cond::Cmp(a, _, b) => operand_path(a).into_iter().chain(operand_path(b)).collect(),
        Cond::Between(a, b, d) => operand_path(a)
            .into_iter()
            .chain(operand_path(b))
            .chain(operand_path(d))
            .collect(),
        Cond::In(a, list) => operand_path(a)
            .into_iter()
            .chain(list.iter().filter_map(operand_path))
            .collect(),
        Cond::Exists(p) | Cond::NotExists(p) => vec![p],
        Cond::Type(p, o) | Cond::BeginsWith(p, o) | Cond::Contains(p, o) => {
            std::iter::once(p).chain(operand_path(o)).collect()
        }
        Cond::And(a, b) | Cond::Or(a, b) => {
            let mut v = cond_paths(a);
            v.extend(cond_paths(b));
            v
        }
        Cond::Not(a) => cond_paths(a),
    }
}

/// The parts of `item` at `paths`, as DynamoDB projects document paths (a
/// ProjectionExpression, and ReturnValues UPDATED_OLD/UPDATED_NEW over an update's paths):
/// a nested path keeps only its branch (`SET a.b = :v` gives `{"a": {"M": {"b": …}}}`),
/// list elements picked by index keep their order and close up (`l[2], l[0]` of `[x, y, z]`
/// gives `[x, z]`), and a path that reaches nothing adds nothing. The same path twice, or a
/// path under another, is the outer one.
pub fn project(item: &Item, paths: &[Path]) -> Item {
    /// The paths below one point: all of it, or some keys and list indexes.
    #[derive(Default)]
    struct Node {
        whole: bool,
        keys: BTreeMap<String, Node>,
        indexes: BTreeMap<usize, Node>,
    }
    fn pick(a: &Attr, n: &Node) -> Option<Attr> {
        if n.whole {
            return Some(a.clone());
        }
        match a {
            Attr::M(entries) if !n.keys.is_empty() => {
                let kept: Vec<(String, Attr)> = entries
                    .iter()
                    .filter_map(|(k, v)| Some((k.clone(), pick(v, n.keys.get(k)?)?)))
                    .collect();
                (!kept.is_empty()).then_some(Attr::M(kept))
            }
            Attr::L(items) if !n.indexes.is_empty() => {
                let kept: Vec<Attr> = n
                    .indexes
                    .iter()
                    .filter_map(|(i, sub)| pick(items.get(*i)?, sub))
                    .collect();
                (!kept.is_empty()).then_some(Attr::L(kept))
            }
            _ => None,
        }
    }
    let mut root = Node::default();
    for path in paths {
        let mut at = &mut root;
        for part in path {
            at = match part {
                Part::Key(k) => at.keys.entry(k.clone()).or_default(),
                Part::Index(i) => at.indexes.entry(*i).or_default(),
            };
        }
        at.whole = true;
    }
    item.iter()
        .filter_map(|(k, v)| Some((k.clone(), pick(v, root.keys.get(k)?)?)))
        .collect()
}

/// The value at `path` in `item`, if the item has one there.
pub fn get<'a>(item: &'a Item, path: &Path) -> Option<&'a Attr> {
    let mut parts = path.iter();
    let Some(Part::Key(first)) = parts.next() else {
        return None;
    };
    let mut at = item.get(first)?;
    for part in parts {
        at = match (part, at) {
            (Part::Key(k), Attr::M(entries)) => {
                entries.iter().find(|(n, _)| n == k).map(|(_, v)| v)?
            }
            (Part::Index(i), Attr::L(items)) => items.get(*i)?,
            _ => return None,
        };
    }
    Some(at)
}

fn resolve(item: &Item, o: &Operand) -> Result<Option<Attr>, AwsError> {
    Ok(match o {
        Operand::Value(v) => Some(v.clone()),
        Operand::Path(p) => get(item, p).cloned(),
        Operand::Size(p) => match get(item, p) {
            None => None,
            Some(a) => {
                let n = match a {
                                        // Strings by UTF-16 code units, as DynamoDB counts them.
                    Attr::S(s) => s.encode_utf16().count(),
                    Attr::B(b) => b.len(),
                    Attr::L(v) => v.len(),
                    Attr::M(v) => v.len(),
                    Attr::Ss(v) => v.len(),
                    Attr::Ns(v) => v.len(),
                    Attr::Bs(v) => v.len(),
                    _ => {
                        return Err(validation(format!(
                            "Invalid ConditionExpression: Incorrect operand type for operator or function; operator or function: size, operand type: {}",
                            crate::core::dynamodb::item::type_name(a)
                        )))
                    }
                };
                Some(Attr::N(n.to_string()))
            }
        },
    })
}

/// How two values order, when they are of one orderable type (S, N, B).
fn order(a: &Attr, b: &Attr) -> Option<Ordering> {
    match (a, b) {
        (Attr::S(x), Attr::S(y)) => Some(x.as_bytes().cmp(y.as_bytes())),
        (Attr::N(x), Attr::N(y)) => Some(Decimal::parse(x)?.cmp(&Decimal::parse(y)?)),
        (Attr::B(x), Attr::B(y)) => Some(x.cmp(y)),
        _ => None,
    }
}

/// Whether two values are equal as DynamoDB compares them (numbers by value, sets as
/// sets).
pub fn equal(a: &Attr, b: &Attr) -> bool {
    match (a, b) {
        (Attr::N(_), Attr::N(_)) => order(a, b) == Some(Ordering::Equal),
        (Attr::Ss(x), Attr::Ss(y)) => same_set(x, y),
        (Attr::Bs(x), Attr::Bs(y)) => same_set(x, y),
        (Attr::M(x), Attr::M(y)) => {
            x.len() == y.len()
                && x.iter().all(|(k, v)| {
                    y.iter()
                        .find(|(k2, _)| k2 == k)
                        .is_some_and(|(_, w)| equal(v, w))
                })
        }
        (Attr::L(x), Attr::L(y)) => x.len() == y.len() && x.iter().zip(y).all(|(v, w)| equal(v, w)),
        (Attr::Ns(x), Attr::Ns(y)) => {
            let norm = |v: &[String]| {
                let mut d: Vec<Decimal> = v.iter().filter_map(|n| Decimal::parse(n)).collect();
                d.sort();
                d
            };
            norm(x) == norm(y)
        }
        _ => a == b,
    }
}

fn same_set<T: Ord + Clone>(x: &[T], y: &[T]) -> bool {
    let mut a = x.to_vec();
    let mut b = y.to_vec();
    a.sort();
    b.sort();
    a == b
}

/// Evaluates a condition against an item (an empty map when there is none).
pub fn eval(c: &Cond, item: &Item) -> Result<bool, AwsError> {
    Ok(match c {
        Cond::And(a, b) => eval(a, item)? && eval(b, item)?,
        Cond::Or(a, b) => eval(a, item)? || eval(b, item)?,
        Cond::Not(a) => !eval(a, item)?,
        Cond::Exists(p) => get(item, p).is_some(),
        Cond::NotExists(p) => get(item, p).is_none(),
        Cond::Type(p, t) => {
            const TYPES: [&str; 10] = ["S", "SS", "N", "NS", "B", "BS", "BOOL", "NULL", "L", "M"];
            let t = match resolve(item, t)? {
                Some(Attr::S(t)) if TYPES.contains(&t.as_str()) => t,
                Some(Attr::S(t)) => {
                    return Err(validation(format!(
                        "Invalid ConditionExpression: Invalid attribute type name found; type: {t}, valid types: {{B,NULL,SS,BOOL,L,BS,N,NS,S,M}}"
                    )))
                }
                _ => return Ok(false),
            };
            get(item, p).is_some_and(|a| crate::core::dynamodb::item::type_name(a) == t)
        }
        Cond::BeginsWith(p, o) => match (get(item, p), resolve(item, o)?) {
            (Some(Attr::S(s)), Some(Attr::S(pre))) => s.starts_with(pre.as_str()),
            (Some(Attr::B(s)), Some(Attr::B(pre))) => s.starts_with(&pre),
            _ => false,
        },
        Cond::Contains(p, o) => match (get(item, p), resolve(item, o)?) {
            (Some(Attr::S(s)), Some(Attr::S(x))) => s.contains(x.as_str()),
            (Some(Attr::Ss(s)), Some(Attr::S(x))) => s.contains(&x),
            (Some(Attr::Ns(s)), Some(n @ Attr::N(_))) => {
                s.iter().any(|m| equal(&Attr::N(m.clone()), &n))
            }
            (Some(Attr::Bs(s)), Some(Attr::B(x))) => s.contains(&x),
            (Some(Attr::L(v)), Some(x)) => v.iter().any(|m| equal(m, &x)),
            _ => false,
        },
        Cond::Cmp(a, op, b) => {
            // A missing attribute equals nothing: `<>` holds, every other comparison fails.
            let (Some(x), Some(y)) = (resolve(item, a)?, resolve(item, b)?) else {
                return Ok(*op == Comparator::Ne);
            };
            match op {
                Comparator::Eq => equal(&x, &y),
                Comparator::Ne => !equal(&x, &y),
                _ => match order(&x, &y) {
                    None => false,
                    Some(o) => match op {
                        Comparator::Lt => o == Ordering::Less,
                        Comparator::Le => o != Ordering::Greater,
                        Comparator::Gt => o == Ordering::Greater,
                        _ => o != Ordering::Less,
                    },
                },
            }
        }
        Cond::Between(x, lo, hi) => {
            let (Some(x), Some(lo), Some(hi)) =
                (resolve(item, x)?, resolve(item, lo)?, resolve(item, hi)?)
            else {
                return Ok(false);
            };
            if order(&lo, &hi) == Some(Ordering::Greater) {
                return Err(validation(
                    "Invalid ConditionExpression: The BETWEEN operator requires upper bound to be greater than or equal to lower bound".into(),
                ));
            }
            matches!(order(&lo, &x), Some(Ordering::Less | Ordering::Equal))
                && matches!(order(&x, &hi), Some(Ordering::Less | Ordering::Equal))
        }
        Cond::In(x, list) => {
            let Some(x) = resolve(item, x)? else {
                return Ok(false);
            };
            let mut any = false;
            for o in list {
                if resolve(item, o)?.is_some_and(|v| equal(&x, &v)) {
                    any = true;
                }
            }
            any
        }
    })
}

/// How a Query reads the sort key.
#[derive(Clone, Debug, PartialEq)]
pub enum SortCond {
    Cmp(Comparator, Attr),
    Between(Attr, Attr),
    BeginsWith(Attr),
}

/// The partition key's value and the sort key's condition, if any.
pub type KeyCondition = (Attr, Option<SortCond>);

/// A KeyConditionExpression checked against the table's key names: the partition key's
/// value and, optionally, a condition on the sort key.
pub fn parse_key_condition(
    text: &str,
    ph: &Placeholders,
    partition_key: &str,
    sort_key: Option<&str>,
) -> Result<Parsed<KeyCondition>, AwsError> {
    let what = "KeyConditionExpression";
    let p = parse_condition(text, ph, what)?;
    let mut parts = vec![];
    fn flatten(c: &Cond, out: &mut Vec<Cond>) -> bool {
        match c {
            Cond::And(a, b) => flatten(a, out) && flatten(b, out),
            Cond::Or(..) | Cond::Not(..) => false,
            other => {
                out.push(other.clone());
                true
            }
        }
    }
    let unsupported = || {
        validation(
            "Query key condition not supported: use = on the partition key and, on the sort key, one of =, <, <=, >, >=, BETWEEN or begins_with".to_string(),
        )
    };
    if !flatten(&p.expr, &mut parts) || parts.len() > 2 {
        return Err(unsupported());
    }
    let key_of = |c: &Cond| -> Option<String> {
        match c {
            Cond::Cmp(Operand::Path(p), ..)
            | Cond::Between(Operand::Path(p), ..)
            | Cond::BeginsWith(p, _) => match p.as_slice() {
                [Part::Key(k)] => Some(k.clone()),
                _ => None,
            },
            _ => None,
        }
    };
    let mut pk = None;
    let mut sk = None;
    for c in &parts {
        let Some(k) = key_of(c) else {
            return Err(unsupported());
        };
        if k == partition_key {
            match c {
                Cond::Cmp(_, Comparator::Eq, Operand::Value(v)) if pk.is_none() => {
                    pk = Some(v.clone())
                }
                _ => {
                    return Err(validation(
                        "Query key condition not supported: the partition key takes only =".into(),
                    ))
                }
            }
        } else if Some(k.as_str()) == sort_key && sk.is_some() {
            return Err(validation(format!(
                "KeyConditionExpressions must only contain one condition per key; key: {k}"
            )));
        } else if Some(k.as_str()) == sort_key {
            sk = Some(match c {
                Cond::Cmp(_, op, Operand::Value(v)) if *op != Comparator::Ne => {
                    SortCond::Cmp(*op, v.clone())
                }
                Cond::Between(_, Operand::Value(a), Operand::Value(b)) => {
                    SortCond::Between(a.clone(), b.clone())
                }
                Cond::BeginsWith(_, Operand::Value(v)) => SortCond::BeginsWith(v.clone()),
                _ => return Err(unsupported()),
            });
        } else {
            return Err(validation(format!(
                "Query condition missed key schema element: {}",
                if pk.is_none() && k != partition_key {
                    partition_key
                } else {
                    &k
                }
            )));
        }
    }
    let Some(pk) = pk else {
        return Err(validation(format!(
            "Query condition missed key schema element: {partition_key}"
        )));
    };
    Ok(Parsed {
        expr: (pk, sk),
        names: p.names,
        values: p.values,
    })
}

/// Whether a sort key value satisfies the Query's sort condition.
pub fn sort_matches(c: &SortCond, v: &Attr) -> bool {
    match c {
        SortCond::Cmp(op, x) => match order(v, x) {
            Some(o) => match op {
                Comparator::Eq => o == Ordering::Equal,
                Comparator::Lt => o == Ordering::Less,
                Comparator::Le => o != Ordering::Greater,
                Comparator::Gt => o == Ordering::Greater,
                _ => o != Ordering::Less,
            },
            None => false,
        },
        SortCond::Between(a, b) => {
            matches!(order(a, v), Some(Ordering::Less | Ordering::Equal))
                && matches!(order(v, b), Some(Ordering::Less | Ordering::Equal))
        }
        SortCond::BeginsWith(p) => match (v, p) {
            (Attr::S(s), Attr::S(p)) => s.starts_with(p.as_str()),
            (Attr::B(s), Attr::B(p)) => s.starts_with(p),
            _ => false,
        },
    }
}

/// The order of two key values of one type (sort keys: S by UTF-8 bytes, N by value, B by
/// bytes).
pub fn key_order(a: &Attr, b: &Attr) -> Ordering {
    order(a, b).unwrap_or(Ordering::Equal)
}

/// A SET value.
#[derive(Clone, Debug, PartialEq)]
pub enum UValue {
    Path(Path),
    Value(Attr),
    IfNotExists(Path, Box<UValue>),
    ListAppend(Box<UValue>, Box<UValue>),
    Plus(Box<UValue>, Box<UValue>),
    Minus(Box<UValue>, Box<UValue>),
}

/// An update expression's actions.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Update {
    pub set: Vec<(Path, UValue)>,
    pub remove: Vec<Path>,
    pub add: Vec<(Path, Attr)>,
    pub delete: Vec<(Path, Attr)>,
}

impl Update {
    /// The paths the update gives a value (SET, ADD and DELETE): what ReturnValues
    /// UPDATED_NEW projects (a REMOVE leaves nothing to return).
    pub fn set_paths(&self) -> Vec<Path> {
        self.set
            .iter()
            .map(|x| &x.0)
            .chain(self.add.iter().map(|x| &x.0))
            .chain(self.delete.iter().map(|x| &x.0))
            .cloned()
            .collect()
    }

    /// Every path the update names (SET, REMOVE, ADD and DELETE): what ReturnValues
    /// UPDATED_OLD projects.
    pub fn paths(&self) -> Vec<Path> {
        self.set
            .iter()
            .map(|x| &x.0)
            .chain(&self.remove)
            .chain(self.add.iter().map(|x| &x.0))
            .chain(self.delete.iter().map(|x| &x.0))
            .cloned()
            .collect()
    }
}

impl Parser<'_> {
    fn uoperand(&mut self) -> Result<UValue, AwsError> {
        match self.peek().cloned() {
            Some(Tok::Value(v)) => {
                self.at += 1;
                Ok(UValue::Value(self.value(&v)?))
            }
            Some(Tok::Word(f))
                if (f == "if_not_exists" || f == "list_append")
                    && self.toks.get(self.at + 1) == Some(&Tok::Sym("(")) =>
            {
                self.at += 2;
                let v = if f == "if_not_exists" {
                    let p = self.path()?;
                    self.sym(",")?;
                    UValue::IfNotExists(p, Box::new(self.uvalue()?))
                } else {
                    let a = self.uvalue()?;
                    self.sym(",")?;
                    UValue::ListAppend(Box::new(a), Box::new(self.uvalue()?))
                };
                self.sym(")")?;
                Ok(v)
            }
            Some(Tok::Word(_)) | Some(Tok::Name(_)) => Ok(UValue::Path(self.path()?)),
            _ => Err(self.syntax()),
        }
    }

    fn uvalue(&mut self) -> Result<UValue, AwsError> {
        let a = self.uoperand()?;
        if self.is_sym("+") {
            self.at += 1;
            return Ok(UValue::Plus(Box::new(a), Box::new(self.uoperand()?)));
        }
        if self.is_sym("-") {
            self.at += 1;
            return Ok(UValue::Minus(Box::new(a), Box::new(self.uoperand()?)));
        }
        Ok(a)
    }
}

/// Parses an UpdateExpression: `SET a = :v, b = b + :n REMOVE c ADD n :one DELETE s :x`.
pub fn parse_update(text: &str, ph: &Placeholders) -> Result<Parsed<Update>, AwsError> {
    let what = "UpdateExpression";
    let mut p = parser(text, ph, what)?;
    let mut u = Update::default();
    let mut seen = vec![];
    while p.peek().is_some() {
        let section = match p.peek() {
            Some(Tok::Word(w)) => w.to_ascii_uppercase(),
            _ => return Err(p.syntax()),
        };
        if !matches!(section.as_str(), "SET" | "REMOVE" | "ADD" | "DELETE") {
            return Err(p.syntax());
        }
        if seen.contains(&section) {
            return Err(validation(format!(
                "Invalid UpdateExpression: The \"{section}\" section can only be used once in an update expression;"
            )));
        }
        seen.push(section.clone());
        p.at += 1;
        loop {
            let path = p.path()?;
            match section.as_str() {
                "SET" => {
                    p.sym("=")?;
                    u.set.push((path, p.uvalue()?));
                }
                "REMOVE" => u.remove.push(path),
                _ => {
                    let v = match p.peek().cloned() {
                        Some(Tok::Value(v)) => {
                            p.at += 1;
                            p.value(&v)?
                        }
                        _ => return Err(p.syntax()),
                    };
                    if section == "ADD" {
                        u.add.push((path, v));
                    } else {
                        u.delete.push((path, v));
                    }
                }
            }
            if p.is_sym(",") {
                p.at += 1;
            } else {
                break;
            }
        }
    }
    // Two actions on one path, or on a path and a path inside it, are refused.
    no_overlap(what, &u.paths())?;
    Ok(Parsed {
        expr: u,
        names: p.used_names,
        values: p.used_values,
    })
}

/// A path as DynamoDB's overlap message lists it: `[info, rating]`, `[nodes, [135]]`.
fn path_list(p: &Path) -> String {
    let parts: Vec<String> = p
        .iter()
        .map(|part| match part {
            Part::Key(k) => k.clone(),
            Part::Index(i) => format!("[{i}]"),
        })
        .collect();
    format!("[{}]", parts.join(", "))
}

/// DynamoDB refuses two paths of one expression where one is the other or inside it.
fn no_overlap(what: &str, paths: &[Path]) -> Result<(), AwsError> {
    for (i, a) in paths.iter().enumerate() {
        for b in &paths[i + 1..] {
            let n = a.len().min(b.len());
            if a[..n] == b[..n] {
                return Err(validation(format!(
                    "Invalid {what}: Two document paths overlap with each other; must remove or rewrite one of these paths; path one: {}, path two: {}",
                    path_list(a),
                    path_list(b)
                )));
            }
        }
    }
    Ok(())
}

/// A ProjectionExpression: document paths separated by commas (`Title, info.rating,
/// tags[0]`), with `#name` placeholders; reserved words and overlapping paths are refused as
/// in any expression. [`project`] applies it.
pub fn parse_projection(text: &str, ph: &Placeholders) -> Result<Parsed<Vec<Path>>, AwsError> {
    let what = "ProjectionExpression";
    let mut p = parser(text, ph, what)?;
    let mut paths = vec![p.path()?];
    while p.is_sym(",") {
        p.at += 1;
        paths.push(p.path()?);
    }
    if p.peek().is_some() {
        return Err(p.syntax());
    }
    no_overlap(what, &paths)?;
    Ok(Parsed {
        expr: paths,
        names: p.used_names,
        values: p.used_values,
    })
}

/// The `#name` placeholders an expression's text names (none for text that does not
/// tokenize: its own parse reports that).
pub fn names_in(text: &str) -> Vec<String> {
    tokens(text, "expression")
        .unwrap_or_default()
        .into_iter()
        .filter_map(|t| match t {
            Tok::Name(n) => Some(n),
            _ => None,
        })
        .collect()
}

fn operand_type_error(op: &str, a: &Attr) -> AwsError {
    validation(format!(
        "Invalid UpdateExpression: Incorrect operand type for operator or function; operator or function: {op}, operand type: {}",
        crate::core::dynamodb::item::type_name(a)
    ))
}

fn number(op: &str, a: &Attr) -> Result<Decimal, AwsError> {
    match a {
        Attr::N(n) => Decimal::parse(n).ok_or_else(|| operand_type_error(op, a)),
        other => Err(operand_type_error(op, other)),
    }
}

fn checked(d: Decimal) -> Result<Attr, AwsError> {
    match d.range_error() {
        None => Ok(Attr::N(d.text())),
        Some(m) => Err(validation(m.to_string())),
    }
}

fn uvalue(item: &Item, v: &UValue) -> Result<Attr, AwsError> {
    let missing = |p: &Path| {
        let _ = p;
        validation(
            "The provided expression refers to an attribute that does not exist in the item"
                .to_string(),
        )
    };
    match v {
        UValue::Value(a) => Ok(a.clone()),
        UValue::Path(p) => get(item, p).cloned().ok_or_else(|| missing(p)),
        UValue::IfNotExists(p, d) => match get(item, p) {
            Some(a) => Ok(a.clone()),
            None => uvalue(item, d),
        },
        UValue::ListAppend(a, b) => match (uvalue(item, a)?, uvalue(item, b)?) {
            (Attr::L(mut x), Attr::L(y)) => {
                x.extend(y);
                Ok(Attr::L(x))
            }
            (Attr::L(_), other) | (other, _) => Err(operand_type_error("list_append", &other)),
        },
        UValue::Plus(a, b) => {
            checked(number("+", &uvalue(item, a)?)?.add(&number("+", &uvalue(item, b)?)?))
        }
        UValue::Minus(a, b) => {
            checked(number("-", &uvalue(item, a)?)?.add(&number("-", &uvalue(item, b)?)?.negated()))
        }
    }
}

/// Puts a value at a path (creating the top-level attribute; a nested path needs its
/// parent map or list).
fn put(item: &mut Item, path: &Path, value: Attr) -> Result<(), AwsError> {
    let bad = || {
        validation(
            "The document path provided in the update expression is invalid for update".into(),
        )
    };
    let Some((Part::Key(first), rest)) = path.split_first() else {
        return Err(bad());
    };
    if rest.is_empty() {
        item.insert(first.clone(), value);
        return Ok(());
    }
    let mut at = item.get_mut(first).ok_or_else(bad)?;
    for (k, part) in rest.iter().enumerate() {
        let last = k + 1 == rest.len();
        at = match (part, at) {
            (Part::Key(name), Attr::M(entries)) => {
                if last {
                    match entries.iter_mut().find(|(n, _)| n == name) {
                        Some(e) => e.1 = value,
                        None => entries.push((name.clone(), value)),
                    }
                    return Ok(());
                }
                entries
                    .iter_mut()
                    .find(|(n, _)| n == name)
                    .map(|e| &mut e.1)
                    .ok_or_else(bad)?
            }
            (Part::Index(i), Attr::L(items)) => {
                if last {
                    // Past the end appends (DynamoDB adds the element at the end).
                    if *i < items.len() {
                        items[*i] = value;
                    } else {
                        items.push(value);
                    }
                    return Ok(());
                }
                items.get_mut(*i).ok_or_else(bad)?
            }
            _ => return Err(bad()),
        };
    }
    Ok(())
}

fn remove(item: &mut Item, path: &Path) {
    let Some((Part::Key(first), rest)) = path.split_first() else {
        return;
    };
    if rest.is_empty() {
        item.remove(first);
        return;
    }
    let Some(mut at) = item.get_mut(first) else {
        return;
    };
    for (k, part) in rest.iter().enumerate() {
        let last = k + 1 == rest.len();
        at = match (part, at) {
            (Part::Key(name), Attr::M(entries)) => {
                if last {
                    entries.retain(|(n, _)| n != name);
                    return;
                }
                match entries.iter_mut().find(|(n, _)| n == name) {
                    Some(e) => &mut e.1,
                    None => return,
                }
            }
            (Part::Index(i), Attr::L(items)) => {
                if last {
                    if *i < items.len() {
                        items.remove(*i);
                    }
                    return;
                }
                match items.get_mut(*i) {
                    Some(x) => x,
                    None => return,
                }
            }
            _ => return,
        };
    }
}

/// Applies an update to an item (the item as it was is the source of every operand).
pub fn apply_update(item: &Item, u: &Update) -> Result<Item, AwsError> {
    let mut values = vec![];
    for (p, v) in &u.set {
        values.push((p, uvalue(item, v)?));
    }
    let mut out = item.clone();
    for (p, v) in values {
        put(&mut out, p, v)?;
    }
    // Removals by index count on the list as it was: the highest index goes first.
    let mut removals: Vec<&Path> = u.remove.iter().collect();
    removals.sort_by(|a, b| b.cmp(a));
    for p in removals {
        remove(&mut out, p);
    }
    for (p, v) in &u.add {
        let now = get(&out, p).cloned();
        let next = match (now, v) {
            (None, v @ (Attr::N(_) | Attr::Ss(_) | Attr::Ns(_) | Attr::Bs(_))) => v.clone(),
            (Some(a @ Attr::N(_)), b @ Attr::N(_)) => {
                checked(number("ADD", &a)?.add(&number("ADD", b)?))?
            }
            (Some(Attr::Ss(mut a)), Attr::Ss(b)) => {
                a.extend(
                    b.iter()
                        .filter(|x| !a.contains(x))
                        .cloned()
                        .collect::<Vec<_>>(),
                );
                Attr::Ss(a)
            }
            (Some(Attr::Ns(mut a)), Attr::Ns(b)) => {
                for x in b {
                    if !a
                        .iter()
                        .any(|y| equal(&Attr::N(y.clone()), &Attr::N(x.clone())))
                    {
                        a.push(x.clone());
                    }
                }
                Attr::Ns(a)
            }
            (Some(Attr::Bs(mut a)), Attr::Bs(b)) => {
                a.extend(
                    b.iter()
                        .filter(|x| !a.contains(x))
                        .cloned()
                        .collect::<Vec<_>>(),
                );
                Attr::Bs(a)
            }
            (Some(_), Attr::N(_) | Attr::Ss(_) | Attr::Ns(_) | Attr::Bs(_)) => {
                return Err(validation(
                    "An operand in the update expression has an incorrect data type".into(),
                ))
            }
            (_, v) => return Err(operand_type_error("ADD", v)),
        };
        put(&mut out, p, next)?;
    }
    for (p, v) in &u.delete {
        let Some(now) = get(&out, p).cloned() else {
            continue;
        };
        let next = match (now, v) {
            (Attr::Ss(a), Attr::Ss(b)) => {
                Attr::Ss(a.into_iter().filter(|x| !b.contains(x)).collect())
            }
            (Attr::Ns(a), Attr::Ns(b)) => Attr::Ns(
                a.into_iter()
                    .filter(|x| {
                        !b.iter()
                            .any(|y| equal(&Attr::N(x.clone()), &Attr::N(y.clone())))
                    })
                    .collect(),
            ),
            (Attr::Bs(a), Attr::Bs(b)) => {
                Attr::Bs(a.into_iter().filter(|x| !b.contains(x)).collect())
            }
            (_, v @ (Attr::Ss(_) | Attr::Ns(_) | Attr::Bs(_))) => {
                let _ = v;
                return Err(validation(
                    "An operand in the update expression has an incorrect data type".into(),
                ));
            }
            (_, v) => return Err(operand_type_error("DELETE", v)),
        };
        // A set left empty is removed (DynamoDB stores no empty sets).
        let empty = matches!(&next, Attr::Ss(x) if x.is_empty())
            || matches!(&next, Attr::Ns(x) if x.is_empty())
            || matches!(&next, Attr::Bs(x) if x.is_empty());
        if empty {
            remove(&mut out, p);
        } else {
            put(&mut out, p, next)?;
        }
    }
    Ok(out)
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::*;

    fn ph(values: &[(&str, Attr)], names: &[(&str, &str)]) -> Placeholders {
        Placeholders {
            values: values
                .iter()
                .map(|(k, v)| (k.to_string(), v.clone()))
                .collect(),
            names: names
                .iter()
                .map(|(k, v)| (k.to_string(), v.to_string()))
                .collect(),
        }
    }

    fn s(x: &str) -> Attr {
        Attr::S(x.into())
    }
    fn n(x: &str) -> Attr {
        Attr::N(x.into())
    }

    /// Projection as the Developer Guide's "Projection expressions" page describes it: a
    /// nested path keeps its branch, picked list elements close up in index order, and a
    /// path that reaches nothing (or crosses a value of another type) adds nothing.
    #[test]
    fn projection_keeps_only_the_paths_branches() {
        let doc: Item = [
            ("id".to_string(), s("p-1")),
            (
                "info".to_string(),
                Attr::M(vec![
                    ("a".into(), n("1")),
                    ("b".into(), Attr::L(vec![s("x"), s("y")])),
                ]),
            ),
            (
                "l".to_string(),
                Attr::L(vec![
                    s("0"),
                    Attr::M(vec![("k".into(), s("v")), ("j".into(), s("w"))]),
                    s("2"),
                ]),
            ),
        ]
        .into();
        let path = |text: &str| {
            let u = parse_update(&format!("REMOVE {text}"), &ph(&[], &[])).unwrap();
            u.expr.remove[0].clone()
        };
        let pick =
            |paths: &[&str]| project(&doc, &paths.iter().map(|p| path(p)).collect::<Vec<_>>());
        assert_eq!(
            pick(&["l[2]", "l[0]"]),
            [("l".to_string(), Attr::L(vec![s("0"), s("2")]))].into()
        );
        assert_eq!(
            pick(&["l[1].j"]),
            [(
                "l".to_string(),
                Attr::L(vec![Attr::M(vec![("j".into(), s("w"))])])
            )]
            .into()
        );
        assert_eq!(
            pick(&["info.b[1]", "id"]),
            [
                ("id".to_string(), s("p-1")),
                (
                    "info".to_string(),
                    Attr::M(vec![("b".into(), Attr::L(vec![s("y")]))])
                ),
            ]
            .into()
        );
        // The outer of two nested paths wins; missing and mistyped paths add nothing.
        assert_eq!(
            pick(&["info.a", "info"]),
            [("info".to_string(), doc["info"].clone())].into()
        );
        assert_eq!(pick(&["nope", "id.x", "l[7]", "info.zz"]), Item::new());
    }

    #[test]
    fn projection_expressions_parse_as_dynamodb_reads_them() {
        let names = ph(&[], &[("#s", "status")]);
        let p = parse_projection("Title, #s, info.rating, tags[0]", &names).unwrap();
        assert_eq!(p.expr.len(), 4);
        assert_eq!(p.names, vec!["#s".to_string()]);
        assert_eq!(
            parse_projection("a, a.b", &names).unwrap_err().message,
            "Invalid ProjectionExpression: Two document paths overlap with each other; must remove or rewrite one of these paths; path one: [a], path two: [a, b]"
        );
        assert!(parse_projection("status", &names)
            .unwrap_err()
            .message
            .contains("Attribute name is a reserved keyword; reserved keyword: status"));
        assert!(parse_projection("#x", &names)
            .unwrap_err()
            .message
            .contains("An expression attribute name used in the document path is not defined; attribute name: #x"));
        assert!(parse_projection("l[1], l[1].x", &names)
            .unwrap_err()
            .message
            .ends_with("path one: [l, [1]], path two: [l, [1], x]"));
        assert!(parse_projection("a,", &names).is_err());
        assert!(parse_projection("", &names).is_err());
        assert_eq!(
            names_in("#a = :v AND begins_with(#b, :p)"),
            vec!["#a".to_string(), "#b".to_string()]
        );
    }

    fn item() -> Item {
        [
            ("id".to_string(), s("p-1")),
            ("price".to_string(), n("210.75")),
            ("status".to_string(), s("placed")),
            ("tags".to_string(), Attr::Ss(vec!["a".into(), "b".into()])),
            (
                "info".to_string(),
                Attr::M(vec![
                    ("rating".into(), n("4")),
                    ("tracks".into(), Attr::L(vec![s("x")])),
                ]),
            ),
        ]
        .into_iter()
        .collect()
    }

    fn holds(text: &str, p: &Placeholders) -> bool {
        let c = parse_condition(text, p, "ConditionExpression").unwrap();
        eval(&c.expr, &item()).unwrap()
    }

    /// The Developer Guide's condition examples, on one item.
    #[test]
    fn conditions_as_the_developer_guide_writes_them() {
        let p = ph(
            &[
                (":lo", n("100")),
                (":hi", n("300")),
                (":p", s("pl")),
                (":c", s("b")),
                (":t", s("SS")),
                (":s", s("placed")),
                (":x", s("cancelled")),
            ],
            &[("#s", "status")],
        );
        assert!(holds("attribute_not_exists(nothing)", &p));
        assert!(!holds("attribute_not_exists(id)", &p));
        assert!(holds("price BETWEEN :lo AND :hi", &p));
        assert!(holds("price > :lo AND NOT price >= :hi", &p));
        assert!(holds("begins_with(#s, :p)", &p));
        assert!(holds("contains(tags, :c) AND attribute_type(tags, :t)", &p));
        assert!(holds("#s IN (:x, :s)", &p));
        assert!(holds("#s <> :x OR price < :lo", &p));
        assert!(holds(
            "info.rating = :four",
            &ph(&[(":four", n("4.0"))], &[])
        ));
        assert!(holds("size(tags) = :two", &ph(&[(":two", n("2"))], &[])));
        assert!(holds("info.tracks[0] = :x", &ph(&[(":x", s("x"))], &[])));
        // NOT binds tighter than AND, AND than OR.
        assert!(holds(
            "NOT attribute_exists(id) OR attribute_exists(price) AND attribute_exists(tags)",
            &p
        ));
        // A number and a string are never ordered against each other.
        assert!(!holds("price > :s", &p));
    }

    #[test]
    fn reserved_words_must_go_through_expression_attribute_names() {
        let p = ph(&[(":v", s("x"))], &[("#s", "status")]);
        assert_eq!(
            parse_condition("status = :v", &p, "ConditionExpression").unwrap_err().message,
            "Invalid ConditionExpression: Attribute name is a reserved keyword; reserved keyword: status"
        );
        assert_eq!(
            parse_update("SET info.Total = :v", &p).unwrap_err().message,
            "Invalid UpdateExpression: Attribute name is a reserved keyword; reserved keyword: Total"
        );
        assert!(parse_condition("#s = :v", &p, "ConditionExpression").is_ok());
    }

    #[test]
    fn errors_are_aws_validation_messages() {
        let p = ph(&[(":v", n("1"))], &[]);
        let e = |t: &str, p: &Placeholders| {
            parse_condition(t, p, "ConditionExpression")
                .unwrap_err()
                .message
        };
        assert_eq!(e("price = :nope", &p), "Invalid ConditionExpression: An expression attribute value used in expression is not defined; attribute value: :nope");
        assert_eq!(e("#x = :v", &p), "Invalid ConditionExpression: An expression attribute name used in the document path is not defined; attribute name: #x");
        assert!(e("price = ", &p).contains("Syntax error; token: \"<EOF>\""));
        assert!(e("price === :v", &p).contains("Syntax error; token: \"=\""));
        assert!(e("frobnicate(price)", &p).contains("Invalid function name; function: frobnicate"));
        assert_eq!(
            e("  ", &p),
            "Invalid ConditionExpression: The expression can not be empty;"
        );
        let bad = parse_condition(
            "price BETWEEN :hi AND :lo",
            &ph(&[(":lo", n("1")), (":hi", n("9"))], &[]),
            "ConditionExpression",
        )
        .unwrap();
        assert!(eval(&bad.expr, &item())
            .unwrap_err()
            .message
            .contains("upper bound to be greater"));
    }

    #[test]
    fn key_conditions_take_only_what_query_supports() {
        let p = ph(
            &[
                (":u", s("user-1")),
                (":d", s("2026-")),
                (":a", s("a")),
                (":b", s("b")),
            ],
            &[],
        );
        let k = |t: &str| parse_key_condition(t, &p, "pk", Some("sk")).map(|x| x.expr);
        assert_eq!(k("pk = :u").unwrap(), (s("user-1"), None));
        assert_eq!(
            k("pk = :u AND begins_with(sk, :d)").unwrap().1,
            Some(SortCond::BeginsWith(s("2026-")))
        );
        assert_eq!(
            k("sk BETWEEN :a AND :b AND pk = :u").unwrap().1,
            Some(SortCond::Between(s("a"), s("b")))
        );
        assert!(k("pk = :u OR sk = :a")
            .unwrap_err()
            .message
            .starts_with("Query key condition not supported"));
        assert!(k("pk > :u")
            .unwrap_err()
            .message
            .contains("partition key takes only ="));
        assert_eq!(
            k("sk = :a").unwrap_err().message,
            "Query condition missed key schema element: pk"
        );
        assert_eq!(
            k("pk = :u AND elsewhere = :a").unwrap_err().message,
            "Query condition missed key schema element: elsewhere"
        );
        assert!(sort_matches(&SortCond::Between(n("2"), n("10")), &n("9.5")));
        assert!(!sort_matches(
            &SortCond::Cmp(Comparator::Lt, n("10")),
            &n("10")
        ));
    }

    #[test]
    fn updates_read_the_old_item_and_refuse_overlaps() {
        let p = ph(
            &[
                (":one", n("1")),
                (":d", n("-0.75")),
                (":new", s("shipped")),
                (":t", Attr::Ss(vec!["c".into(), "a".into()])),
                (":l", Attr::L(vec![s("y")])),
                (":z", n("0")),
            ],
            &[("#s", "status")],
        );
        let u = parse_update("SET price = price + :d, #s = :new, visits = if_not_exists(visits, :z) + :one, info.tracks = list_append(info.tracks, :l) REMOVE info.rating ADD tags :t, hits :one", &p).unwrap();
        let out = apply_update(&item(), &u.expr).unwrap();
        assert_eq!(out["price"], n("210"));
        assert_eq!(out["status"], s("shipped"));
        assert_eq!(out["visits"], n("1"));
        assert_eq!(out["hits"], n("1"));
        assert_eq!(
            out["tags"],
            Attr::Ss(vec!["a".into(), "b".into(), "c".into()])
        );
        assert_eq!(
            out["info"],
            Attr::M(vec![("tracks".into(), Attr::L(vec![s("x"), s("y")]))])
        );
        // SET a = b, b = a swaps: both read the item as it was.
        let swap = parse_update("SET price = #s, #s = price", &p).unwrap();
        let out = apply_update(&item(), &swap.expr).unwrap();
        assert_eq!(
            (out["price"].clone(), out["status"].clone()),
            (s("placed"), n("210.75"))
        );
        let e = parse_update("SET info.rating = :one REMOVE info", &p)
            .unwrap_err()
            .message;
        assert!(e.contains("Two document paths overlap"), "{e}");
        let e = parse_update("SET a = :one SET b = :one", &p)
            .unwrap_err()
            .message;
        assert!(e.contains("\"SET\" section can only be used once"), "{e}");
        let e = apply_update(
            &item(),
            &parse_update("SET x = absent + :one", &p).unwrap().expr,
        )
        .unwrap_err()
        .message;
        assert!(
            e.contains("refers to an attribute that does not exist"),
            "{e}"
        );
        let e = apply_update(
            &item(),
            &parse_update("SET x = #s + :one", &p).unwrap().expr,
        )
        .unwrap_err()
        .message;
        assert!(
            e.contains("operator or function: +, operand type: S"),
            "{e}"
        );
        // DELETE leaves no empty set.
        let del = parse_update(
            "DELETE tags :all",
            &ph(&[(":all", Attr::Ss(vec!["a".into(), "b".into()]))], &[]),
        )
        .unwrap();
        assert!(!apply_update(&item(), &del.expr)
            .unwrap()
            .contains_key("tags"));
    }

    #[test]
    fn review_findings_hold() {
        let p = ph(
            &[
                (":a", s("active")),
                (
                    ":m",
                    Attr::M(vec![("b".into(), n("1.0")), ("a".into(), s("x"))]),
                ),
            ],
            &[],
        );
        // A missing attribute is "<>" anything.
        assert!(holds("absent <> :a", &p));
        // Maps compare by key and numbers by value.
        let mut i = item();
        i.insert(
            "m".into(),
            Attr::M(vec![("a".into(), s("x")), ("b".into(), n("1"))]),
        );
        let c = parse_condition("m = :m", &p, "ConditionExpression").unwrap();
        assert!(eval(&c.expr, &i).unwrap());
        // A bare number is a syntax error, not an attribute name.
        assert!(parse_condition("price > 10", &p, "ConditionExpression")
            .unwrap_err()
            .message
            .contains("Syntax error; token: \"10\""));
        // REMOVE by index counts on the list as it was.
        let mut l = Item::new();
        l.insert("l".into(), Attr::L(vec![s("0"), s("1"), s("2"), s("3")]));
        let u = parse_update("REMOVE l[1], l[2]", &Placeholders::default()).unwrap();
        assert_eq!(
            apply_update(&l, &u.expr).unwrap()["l"],
            Attr::L(vec![s("0"), s("3")])
        );
        // size counts a string's UTF-16 units.
        let mut w = Item::new();
        w.insert("w".into(), s("é𝄞"));
        let c = parse_condition(
            "size(w) = :three",
            &ph(&[(":three", n("3"))], &[]),
            "ConditionExpression",
        )
        .unwrap();
        assert!(eval(&c.expr, &w).unwrap());
        // Nesting is bounded: no stack overflow from a crafted expression.
        let deep = format!(
            "{}attribute_exists(a){}",
            "(".repeat(2_000),
            ")".repeat(2_000)
        );
        assert!(parse_condition(&deep, &p, "ConditionExpression").is_err());
        let many = vec!["a = :a"; 200].join(" AND ");
        assert!(parse_condition(&many, &p, "ConditionExpression")
            .unwrap_err()
            .message
            .contains("too many operators"));
    }
}
