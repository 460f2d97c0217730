//! The console's shell syntax: a small, faithful subset of bash. Words split on blanks;
//! `'…'` is literal; `"…"` expands `$VAR`, `${VAR}`, `$(…)` and `` `…` ``; unquoted
//! expansions split into words on blanks (so `--instance-ids $(aws … --output text)` passes
//! every id); `\` escapes the next character; `#` starts a comment; commands are joined by
//! `;`, `&&` and `||`; `>` and `>>` redirect output to a file, `2>` standard error, `2>&1`
//! joins it to the output, `/dev/null` discards. Pipes, globbing, here-documents
//! and job control are not part of it and are refused by name.

/// A command line taken apart into commands and the operators between them.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Script {
    /// Each command with the operator that joins it to the previous one (`None` for the
    /// first).
    pub commands: Vec<(Option<Join>, String)>,
}

/// How a command follows the previous one.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Join {
    /// `;`: always.
    Then,
    /// `&&`: if the previous succeeded.
    And,
    /// `||`: if the previous failed.
    Or,
}

/// Splits a line into commands at unquoted `;`, `&&` and `||` (outside quotes and `$(…)`),
/// keeping each command's text for [`words`]. Errors name the unsupported syntax or the
/// unclosed quote.
pub fn split(line: &str) -> Result<Script, String> {
    let chars: Vec<char> = line.chars().collect();
    let mut commands = Vec::new();
    let mut join = None;
    let mut start = 0;
    let mut i = 0;
    let mut quote: Option<char> = None;
    let mut depth = 0usize;
    while i < chars.len() {
        let c = chars[i];
        match quote {
            Some('\'') => {
                if c == '\'' {
                    quote = None;
                }
            }
            Some(q) => {
                if c == '\\' {
                    i += 1;
                } else if c == q && depth == 0 {
                    quote = None;
                } else if c == '$' && chars.get(i + 1) == Some(&'(') {
                    depth += 1;
                    i += 1;
                } else if c == ')' && depth > 0 {
                    depth -= 1;
                }
            }
            None => {
                let at_word_start = i == 0 || chars[i - 1].is_whitespace();
                match c {
                    '\\' => i += 1,
                    '\'' | '"' | '`' if depth == 0 => quote = Some(c),
                    '$' if chars.get(i + 1) == Some(&'(') => {
                        depth += 1;
                        i += 1;
                    }
                    ')' if depth > 0 => depth -= 1,
                    '#' if at_word_start && depth == 0 => break,
                    // `2>&1`: part of a redirection, not an operator.
                    '&' if depth == 0 && i > 0 && chars[i - 1] == '>' => {}
                    ';' | '&' | '|' if depth == 0 => {
                        let two = chars.get(i + 1) == Some(&c);
                        let op = match (c, two) {
                            (';', _) => Join::Then,
                            ('&', true) => Join::And,
                            ('|', true) => Join::Or,
                            ('|', false) => {
                                return Err("bash: pipes (|) are not part of this console: run the commands one by one, or use --query to filter AWS CLI output.".into())
                            }
                            _ => {
                                return Err("bash: background jobs (&) are not part of this console.".into())
                            }
                        };
                        let text: String = chars[start..i].iter().collect();
                        if text.trim().is_empty() {
                            return Err(format!(
                                "bash: syntax error near unexpected token `{}'",
                                if two {
                                    format!("{c}{c}")
                                } else {
                                    c.to_string()
                                }
                            ));
                        }
                        commands.push((join, text.trim().to_string()));
                        join = Some(op);
                        i += if two { 2 } else { 1 };
                        start = i;
                        continue;
                    }
                    _ => {}
                }
            }
        }
        i += 1;
    }
    if let Some(q) = quote {
        return Err(format!(
            "bash: unexpected end of line while looking for the matching `{q}'"
        ));
    }
    if depth > 0 {
        return Err("bash: unexpected end of line while looking for the matching `)'".into());
    }
    let end = i.min(chars.len());
    let text: String = chars[start..end].iter().collect();
    if !text.trim().is_empty() {
        commands.push((join, text.trim().to_string()));
    } else if join.is_some() && join != Some(Join::Then) {
        return Err("bash: syntax error: unexpected end of line".into());
    }
    Ok(Script { commands })
}

/// A redirection of a command's output.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Redirect {
    /// 1: standard output, 2: standard error.
    pub fd: u8,
    /// `2>&1`: standard error joins standard output (no file).
    pub to_stdout: bool,
    pub path: String,
    pub append: bool,
}

/// One command's words after expansion, and its redirection.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Words {
    pub words: Vec<String>,
    pub redirects: Vec<Redirect>,
}

/// What expansion needs from the shell: variables and running a command substitution.
pub trait Expand {
    /// A variable's value (`None`: unset, expands to nothing).
    fn var(&self, name: &str) -> Option<String>;
    /// Runs `command` and returns its standard output.
    fn substitute(&mut self, command: &str) -> String;
}

/// Expands one command's text into words (see the module's rules).
pub fn words(text: &str, env: &mut dyn Expand) -> Result<Words, String> {
    let chars: Vec<char> = text.chars().collect();
    let mut out = Words::default();
    // The word being built; `None` between words.
    let mut cur: Option<String> = None;
    let mut pending_redirect: Option<(u8, bool)> = None;
    let mut i = 0;
    let push_word =
        |cur: &mut Option<String>, out: &mut Words, pending: &mut Option<(u8, bool)>| {
            if let Some(w) = cur.take() {
                match pending.take() {
                    Some((fd, append)) => out.redirects.push(Redirect {
                        fd,
                        to_stdout: false,
                        path: w,
                        append,
                    }),
                    None => out.words.push(w),
                }
            }
        };
    while i < chars.len() {
        let size: usize =
            out.words.iter().map(String::len).sum::<usize>() + cur.as_ref().map_or(0, String::len);
        if size > super::MAX_TEXT {
            return Err("bash: this command expands to more than 1 MiB of text".into());
        }
        let c = chars[i];
        match c {
            c if c.is_whitespace() => {
                push_word(&mut cur, &mut out, &mut pending_redirect);
                i += 1;
            }
            '>' => {
                // `2>`: the word so far is the descriptor.
                let fd = if cur.as_deref() == Some("2") {
                    cur = None;
                    2
                } else {
                    push_word(&mut cur, &mut out, &mut pending_redirect);
                    1
                };
                let append = chars.get(i + 1) == Some(&'>');
                i += if append { 2 } else { 1 };
                if fd == 2 && chars.get(i) == Some(&'&') && chars.get(i + 1) == Some(&'1') {
                    out.redirects.push(Redirect {
                        fd: 2,
                        to_stdout: true,
                        path: String::new(),
                        append: false,
                    });
                    i += 2;
                    continue;
                }
                pending_redirect = Some((fd, append));
            }
            '<' => return Err("bash: input redirection (<) is not part of this console.".into()),
            '\\' => {
                if let Some(n) = chars.get(i + 1) {
                    cur.get_or_insert_with(String::new).push(*n);
                }
                i += 2;
            }
            '\'' => {
                let end = find(&chars, i + 1, '\'')
                    .ok_or("bash: unexpected end of line while looking for the matching `''")?;
                cur.get_or_insert_with(String::new)
                    .extend(&chars[i + 1..end]);
                i = end + 1;
            }
            '"' => {
                let s = cur.get_or_insert_with(String::new);
                i = double_quoted(&chars, i + 1, s, env)?;
            }
            '$' | '`' => {
                let (value, next) = expansion(&chars, i, env)?;
                i = next;
                // The value of an assignment (`TOKEN=$(…)`) is not split.
                let in_assignment = cur.as_deref().and_then(assignment).is_some()
                    && out.words.iter().all(|w| assignment(w).is_some());
                if in_assignment {
                    cur.get_or_insert_with(String::new).push_str(&value);
                    continue;
                }
                // Unquoted: split into words on blanks.
                let mut parts = value.split_whitespace().peekable();
                let starts_blank = value.starts_with(char::is_whitespace);
                let ends_blank = value.ends_with(char::is_whitespace);
                if starts_blank {
                    push_word(&mut cur, &mut out, &mut pending_redirect);
                }
                while let Some(p) = parts.next() {
                    cur.get_or_insert_with(String::new).push_str(p);
                    if parts.peek().is_some() {
                        push_word(&mut cur, &mut out, &mut pending_redirect);
                    }
                }
                if ends_blank {
                    push_word(&mut cur, &mut out, &mut pending_redirect);
                }
            }
            c => {
                cur.get_or_insert_with(String::new).push(c);
                i += 1;
            }
        }
    }
    push_word(&mut cur, &mut out, &mut pending_redirect);
    if pending_redirect.is_some() {
        return Err("bash: syntax error near unexpected token `newline'".into());
    }
    Ok(out)
}

fn find(chars: &[char], from: usize, c: char) -> Option<usize> {
    (from..chars.len()).find(|&k| chars[k] == c)
}

/// Reads a double-quoted part starting after its `"`, appending to `s`; returns the index
/// after the closing `"`.
fn double_quoted(
    chars: &[char],
    mut i: usize,
    s: &mut String,
    env: &mut dyn Expand,
) -> Result<usize, String> {
    while i < chars.len() {
        match chars[i] {
            '"' => return Ok(i + 1),
            '\\' if matches!(chars.get(i + 1), Some('"' | '\\' | '$' | '`')) => {
                s.push(chars[i + 1]);
                i += 2;
            }
            '$' | '`' => {
                let (value, next) = expansion(chars, i, env)?;
                s.push_str(&value);
                i = next;
            }
            c => {
                s.push(c);
                i += 1;
            }
        }
    }
    Err("bash: unexpected end of line while looking for the matching `\"'".into())
}

/// Expands `$NAME`, `${NAME}`, `$(…)` or `` `…` `` at `i`; returns the value and the index
/// after it. A lone `$` stays a `$`.
fn expansion(chars: &[char], i: usize, env: &mut dyn Expand) -> Result<(String, usize), String> {
    if chars[i] == '`' {
        let end = find(chars, i + 1, '`')
            .ok_or("bash: unexpected end of line while looking for the matching ``'")?;
        let cmd: String = chars[i + 1..end].iter().collect();
        return Ok((trim_newlines(env.substitute(&cmd)), end + 1));
    }
    match chars.get(i + 1) {
        Some('(') => {
            let mut depth = 1;
            let mut k = i + 2;
            let mut quote: Option<char> = None;
            while k < chars.len() {
                let c = chars[k];
                match quote {
                    Some(q) if c == q => quote = None,
                    Some(_) => {}
                    None => match c {
                        '\'' | '"' => quote = Some(c),
                        '(' => depth += 1,
                        ')' => {
                            depth -= 1;
                            if depth == 0 {
                                break;
                            }
                        }
                        _ => {}
                    },
                }
                k += 1;
            }
            if depth != 0 {
                return Err(
                    "bash: unexpected end of line while looking for the matching `)'".into(),
                );
            }
            let cmd: String = chars[i + 2..k].iter().collect();
            Ok((trim_newlines(env.substitute(&cmd)), k + 1))
        }
        Some('{') => {
            let end = find(chars, i + 2, '}').ok_or("bash: bad substitution: no closing `}'")?;
            let name: String = chars[i + 2..end].iter().collect();
            if !valid_name(&name) {
                return Err(format!("bash: ${{{name}}}: bad substitution"));
            }
            Ok((env.var(&name).unwrap_or_default(), end + 1))
        }
        Some('?') => Ok((env.var("?").unwrap_or_default(), i + 2)),
        Some(c) if c.is_ascii_alphabetic() || *c == '_' => {
            let mut k = i + 1;
            while k < chars.len() && (chars[k].is_ascii_alphanumeric() || chars[k] == '_') {
                k += 1;
            }
            let name: String = chars[i + 1..k].iter().collect();
            Ok((env.var(&name).unwrap_or_default(), k))
        }
        _ => Ok(("$".into(), i + 1)),
    }
}

/// Command substitution drops trailing newlines.
fn trim_newlines(mut s: String) -> String {
    while s.ends_with('\n') {
        s.pop();
    }
    s
}

/// A shell variable name: letters, digits and `_`, not starting with a digit.
pub fn valid_name(name: &str) -> bool {
    let mut chars = name.chars();
    chars
        .next()
        .is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_')
}

/// `NAME=value` as a command's first word: an assignment.
pub fn assignment(word: &str) -> Option<(&str, &str)> {
    let (name, value) = word.split_once('=')?;
    valid_name(name).then_some((name, value))
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::*;
    use std::collections::BTreeMap;

    struct Env(BTreeMap<String, String>, Vec<String>);
    impl Expand for Env {
        fn var(&self, name: &str) -> Option<String> {
            self.0.get(name).cloned()
        }
        fn substitute(&mut self, command: &str) -> String {
            self.1.push(command.to_string());
            format!("out({command})\n")
        }
    }

    fn env() -> Env {
        Env(
            [
                ("TOKEN".to_string(), "abc".to_string()),
                ("IDS".into(), "i-1 i-2".into()),
            ]
            .into_iter()
            .collect(),
            vec![],
        )
    }

    #[test]
    fn the_imdsv2_example_from_the_user_guide() {
        // EC2 User Guide, "Retrieve instance metadata" (IMDSv2).
        let line = r#"TOKEN=`curl -X PUT "http://169.254.169.254/latest/api/token" -H "X-aws-ec2-metadata-token-ttl-seconds: 21600"` && curl -H "X-aws-ec2-metadata-token: $TOKEN" http://169.254.169.254/latest/meta-data/"#;
        let s = split(line).unwrap();
        assert_eq!(s.commands.len(), 2);
        assert_eq!(s.commands[1].0, Some(Join::And));
        let mut e = env();
        let first = words(&s.commands[0].1, &mut e).unwrap();
        assert_eq!(first.words, ["TOKEN=out(curl -X PUT \"http://169.254.169.254/latest/api/token\" -H \"X-aws-ec2-metadata-token-ttl-seconds: 21600\")"]);
        let second = words(&s.commands[1].1, &mut e).unwrap();
        assert_eq!(
            second.words,
            [
                "curl",
                "-H",
                "X-aws-ec2-metadata-token: abc",
                "http://169.254.169.254/latest/meta-data/"
            ]
        );
    }

    #[test]
    fn quoting_expansion_and_word_splitting() {
        let mut e = env();
        let w = |t: &str, e: &mut Env| words(t, e).unwrap().words;
        assert_eq!(
            w("aws ec2 stop-instances --instance-ids $IDS", &mut e),
            [
                "aws",
                "ec2",
                "stop-instances",
                "--instance-ids",
                "i-1",
                "i-2"
            ]
        );
        assert_eq!(w("echo \"$IDS\"", &mut e), ["echo", "i-1 i-2"]);
        assert_eq!(
            w("echo '$IDS' \\$x ${TOKEN}z $UNSET.", &mut e),
            ["echo", "$IDS", "$x", "abcz", "."]
        );
        assert_eq!(
            w("aws ec2 describe-instances --query 'Reservations[].Instances[].[InstanceId,State.Name]'", &mut e),
            ["aws", "ec2", "describe-instances", "--query", "Reservations[].Instances[].[InstanceId,State.Name]"]
        );
        // The filter page's quoting trap: the inner quotes close the outer ones.
        assert_eq!(
            w(
                "--query 'Volumes[*].Attachments[?State=='attached'].VolumeId'",
                &mut e
            ),
            [
                "--query",
                "Volumes[*].Attachments[?State==attached].VolumeId"
            ]
        );
        let r = words("echo hi > /tmp/x", &mut e).unwrap();
        assert_eq!(r.words, ["echo", "hi"]);
        assert_eq!(
            r.redirects,
            [Redirect {
                fd: 1,
                to_stdout: false,
                path: "/tmp/x".into(),
                append: false
            }]
        );
        assert!(words("echo hi >> log", &mut e).unwrap().redirects[0].append);
        let r = words("aws x 2>/dev/null", &mut e).unwrap();
        assert_eq!(
            (
                r.words.len(),
                r.redirects[0].fd,
                r.redirects[0].path.as_str()
            ),
            (2, 2, "/dev/null")
        );
        let r = words("aws x 2>&1", &mut e).unwrap();
        assert!(r.redirects[0].to_stdout && r.words == ["aws", "x"]);
        assert_eq!(split("aws x 2>&1 && echo y").unwrap().commands.len(), 2);
        assert!(words("echo >", &mut e).is_err());
        assert_eq!(
            w(
                "echo $(aws sts get-caller-identity --query \"Arn\")",
                &mut e
            ),
            [
                "echo",
                "out(aws",
                "sts",
                "get-caller-identity",
                "--query",
                "\"Arn\")"
            ]
        );
        assert_eq!(assignment("TOKEN=x=y"), Some(("TOKEN", "x=y")));
        assert_eq!(assignment("--x=y"), None);
    }

    #[test]
    fn operators_comments_and_refusals() {
        let s = split("echo a; echo b || echo c # not this").unwrap();
        let joins: Vec<_> = s.commands.iter().map(|c| c.0).collect();
        assert_eq!(joins, [None, Some(Join::Then), Some(Join::Or)]);
        assert_eq!(s.commands[2].1, "echo c");
        assert_eq!(split("echo 'a;b' \"c&&d\"").unwrap().commands.len(), 1);
        assert_eq!(split("echo $(a; b)").unwrap().commands.len(), 1);
        assert!(split("aws ec2 describe-instances | jq")
            .unwrap_err()
            .contains("pipes"));
        assert!(split("echo 'open").is_err());
        assert!(split("&& echo").is_err());
        assert!(split("echo a &&").is_err());
        assert_eq!(split("").unwrap().commands.len(), 0);
        assert_eq!(split("   # only a comment").unwrap().commands.len(), 0);
    }
}
