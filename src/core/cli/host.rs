//! The shell's own commands, on the student's computer or on an instance: `curl` (the
//! metadata service answers on instances only), `echo`, `cat`, `export`, `sleep`, `ssh`,
//! `exit` and a few more; and the first boot's user data, run through the same shell with
//! its output in the instance's cloud-init log.
//!
//! Programs the simulator does not run (package managers, services) say so and succeed, so a
//! user data script that installs a web server reads as it would.

use super::commands::Identity;
use super::{args::Args, Console, Output, HOME};
use crate::core::services::ec2::compute::{self, Boot};
use crate::core::services::ec2::imds::{self, Answer, HttpRequest};

/// The current host's home directory (`/root` while user data runs).
pub fn home(c: &Console) -> String {
    if c.in_user_data {
        return "/root".into();
    }
    match c.host.as_deref().and_then(|id| c.account.ec2.instance(id)) {
        Some(i) => {
            let user =
                compute::catalog::image(&i.compute.image_id).map_or("ec2-user", |img| img.user);
            format!("/home/{user}")
        }
        None => HOME.into(),
    }
}

/// An absolute path for `path` on the current host (`~` and relative paths from home).
pub fn absolute(c: &Console, path: &str) -> String {
    let h = home(c);
    if path == "~" {
        h
    } else if let Some(rest) = path.strip_prefix("~/") {
        format!("{h}/{rest}")
    } else if path.starts_with('/') {
        path.to_string()
    } else {
        format!("{h}/{}", path.trim_start_matches("./"))
    }
}

/// A file of the current host.
pub fn read_file(c: &Console, path: &str) -> Option<String> {
    let p = absolute(c, path);
    match c.host.as_deref().and_then(|id| c.account.ec2.instance(id)) {
        Some(i) => {
            if p == "/var/log/cloud-init-output.log" {
                return Some(i.compute.log.iter().map(|l| format!("{l}\n")).collect());
            }
            i.compute.files.get(&p).cloned()
        }
        None => c.files.get(&p).cloned(),
    }
}

/// Removes a file of the current host; `false` when there was none.
pub fn remove_file(c: &mut Console, path: &str) -> bool {
    let p = absolute(c, path);
    match c.host.clone() {
        Some(id) => c
            .account
            .ec2
            .instances
            .iter_mut()
            .find(|i| i.id == id)
            .is_some_and(|i| i.compute.files.remove(&p).is_some()),
        None => c.files.remove(&p).is_some(),
    }
}

/// Writes (or appends to) a file of the current host.
pub fn write_file(c: &mut Console, path: &str, text: &str, append: bool) -> Result<(), String> {
    let p = absolute(c, path);
    if p.ends_with('/') || p.starts_with("/proc") || p.starts_with("/sys") {
        return Err(format!("bash: {path}: Is a directory\n"));
    }
    let files = match c.host.clone() {
        Some(id) => match c.account.ec2.instances.iter_mut().find(|i| i.id == id) {
            Some(i) => &mut i.compute.files,
            None => return Err(format!("bash: {path}: No such file or directory\n")),
        },
        None => &mut c.files,
    };
    let total: usize = files.values().map(String::len).sum();
    let entry = files.entry(p).or_default();
    let grows = if append {
        text.len()
    } else {
        text.len().saturating_sub(entry.len())
    };
    if total + grows > MAX_FILES {
        return Err(format!("bash: {path}: No space left on device (the simulator keeps at most 8 MiB of files per machine)\n"));
    }
    if !append {
        entry.clear();
    }
    entry.push_str(text);
    Ok(())
}

/// The most text a machine's files may hold, in bytes.
pub const MAX_FILES: usize = 8 << 20;

/// Commands that exist on a real machine but that the simulator does not run.
const NOT_RUN: &[&str] = &[
    "yum",
    "dnf",
    "apt",
    "apt-get",
    "systemctl",
    "service",
    "chmod",
    "chown",
    "mkdir",
    "touch",
    "cd",
    "usermod",
    "amazon-linux-extras",
    "pip",
    "pip3",
    "npm",
    "python3",
    "node",
    "cp",
    "mv",
    "rm",
    "wget",
    "unzip",
    "tar",
    "ln",
];

/// Runs one of the shell's own commands.
pub fn builtin(c: &mut Console, w: &[String]) -> Output {
    let args = &w[1..];
    match w[0].as_str() {
        "echo" => {
            let (mut newline, mut escapes, mut rest) = (true, false, args);
            while let Some(f) = rest.first() {
                match f.as_str() {
                    "-n" => newline = false,
                    "-e" => escapes = true,
                    "-ne" | "-en" => {
                        newline = false;
                        escapes = true;
                    }
                    _ => break,
                }
                rest = &rest[1..];
            }
            let mut text = rest.join(" ");
            if escapes {
                text = text.replace("\\n", "\n").replace("\\t", "\t");
            }
            if newline {
                text.push('\n');
            }
            Output::ok(text)
        }
        "cat" => {
            let mut out = Output::default();
            for f in args {
                match read_file(c, f) {
                    Some(t) => out.stdout.push_str(&t),
                    None => {
                        out.stderr
                            .push_str(&format!("cat: {f}: No such file or directory\n"));
                        out.code = 1;
                    }
                }
            }
            out
        }
        "export" => {
            for a in args {
                match super::shell::assignment(a) {
                    Some((k, v)) => {
                        c.vars.insert(k.into(), v.into());
                        c.env_mut().insert(k.into(), v.into());
                    }
                    None => {
                        if let Some(v) = c.vars.get(a).cloned() {
                            c.env_mut().insert(a.clone(), v);
                        }
                    }
                }
            }
            Output::default()
        }
        "unset" => {
            for a in args {
                c.vars.remove(a);
                c.env_mut().remove(a);
            }
            Output::default()
        }
        "env" | "printenv" => {
            let env = if c.host.is_some() {
                c.host_env.clone()
            } else {
                c.env.clone()
            };
            match args.first() {
                Some(name) => match env.get(name) {
                    Some(v) => Output::ok(format!("{v}\n")),
                    None => Output::err("", 1),
                },
                None => Output::ok(
                    env.iter()
                        .map(|(k, v)| format!("{k}={v}\n"))
                        .collect::<String>(),
                ),
            }
        }
        "sleep" => match args
            .first()
            .and_then(|s| crate::core::parse_float::parse_f64(s.trim_end_matches('s')))
        {
            Some(s) if (0.0..=86_400.0).contains(&s) => {
                c.advance((s * 1000.0) as u64);
                Output::default()
            }
            _ => Output::err(
                "sleep: missing or invalid number of seconds (0 to 86400)\n",
                1,
            ),
        },
        "true" => Output::default(),
        "false" => Output::err("", 1),
        "pwd" => Output::ok(format!("{}\n", home(c))),
        "whoami" => Output::ok(format!(
            "{}\n",
            home(c).rsplit('/').next().unwrap_or_default()
        )),
        "exit" | "logout" if c.in_user_data => {
            c.script_exit = true;
            Output::default()
        }
        "hostname" => Output::ok(
            match c.host.as_deref().and_then(|id| c.account.ec2.instance(id)) {
                Some(i) => format!(
                    "{}\n",
                    compute::private_dns(&c.account.region, i.private_ip)
                ),
                None => "laptop\n".into(),
            },
        ),
        "date" => Output::ok(format!(
            "{}\n",
            compute::iso_time(c.now())
                .replace('T', " ")
                .replace("+00:00", " UTC")
        )),
        "ls" => {
            let dir = absolute(c, args.first().map_or("~", String::as_str));
            let prefix = format!("{}/", dir.trim_end_matches('/'));
            let files: Vec<String> =
                match c.host.as_deref().and_then(|id| c.account.ec2.instance(id)) {
                    Some(i) => i.compute.files.keys().cloned().collect(),
                    None => c.files.keys().cloned().collect(),
                };
            let mut names: Vec<String> = files
                .iter()
                .filter_map(|f| f.strip_prefix(&prefix))
                .map(|rest| rest.split('/').next().unwrap_or_default().to_string())
                .filter(|n| !n.starts_with('.') || args.iter().any(|a| a == "-a"))
                .collect();
            names.dedup();
            Output::ok(if names.is_empty() {
                String::new()
            } else {
                names.join("  ") + "\n"
            })
        }
        "history" => Output::ok(
            c.history
                .iter()
                .enumerate()
                .map(|(k, l)| format!("{:>5}  {l}\n", k + 1))
                .collect::<String>(),
        ),
        "help" => Output::ok(HELP),
        "exit" | "logout" => {
            if c.host.is_some() {
                let ip = c
                    .host
                    .as_deref()
                    .and_then(|id| c.account.ec2.instance(id))
                    .and_then(|i| compute::public_address(&c.account.ec2, i))
                    .map(crate::core::services::ec2::network::model::ip_text)
                    .unwrap_or_default();
                c.disconnect();
                Output::ok(format!("logout\nConnection to {ip} closed.\n"))
            } else {
                Output::ok("(this is the computer's own shell: there is nothing to leave)\n")
            }
        }
        "curl" => curl(c, args),
        "ssh" => ssh(c, args),
        "clear" => Output::default(),
        name if NOT_RUN.contains(&name) => Output {
            stderr: format!(
                "({name} is not run by the simulator: it records the command and goes on)\n"
            ),
            ..Output::default()
        },
        other => Output::err(format!("bash: {other}: command not found\n"), 127),
    }
}

const HELP: &str = "This is a simulated terminal. On your computer, `aws …` calls the sandbox's account with\nthe credentials in ~/.aws (try `cat ~/.aws/credentials`). `aws ec2-instance-connect ssh\n--instance-id i-…` or `ssh ec2-user@<public ip>` opens a shell on a running instance, where\n`curl http://169.254.169.254/latest/meta-data/` reads its metadata and `aws` uses its role.\n\nShell: echo, cat, export, unset, env, sleep, ls, pwd, whoami, hostname, date, history,\ncurl, ssh, exit, clear; variables, $(…), `…`, &&, ||, ;, > and >>.\n";

/// `curl` to the metadata service (on an instance). Options: -X/--request, -H/--header, -s,
/// -i/--include, -v, -w '%{http_code}', -f/--fail, -m/--max-time, --connect-timeout.
/// `curl`: `-s` silences its error messages unless `-S` asks for them (the exit code stays).
fn curl(c: &mut Console, args: &[String]) -> Output {
    let cluster = |a: &str, ch: char| {
        a.len() > 1 && a.starts_with('-') && !a.starts_with("--") && a.contains(ch)
    };
    let silent = args.iter().any(|a| a == "--silent" || cluster(a, 's'));
    let show_error = args.iter().any(|a| a == "--show-error" || cluster(a, 'S'));
    let mut out = curl_run(c, args);
    if silent && !show_error && out.code != 0 {
        out.stderr.clear();
    }
    out
}

fn curl_run(c: &mut Console, args: &[String]) -> Output {
    let mut method = "GET".to_string();
    let mut headers: Vec<(String, String)> = Vec::new();
    let (mut include, mut fail, mut write_code, mut url) = (false, false, None, None);
    let mut output: Option<String> = None;
    let mut i = 0;
    while i < args.len() {
        let a = args[i].as_str();
        let next = args.get(i + 1).cloned();
        match a {
            "-X" | "--request" => {
                method = next.unwrap_or_default();
                i += 1;
            }
            "-H" | "--header" => {
                if let Some((k, v)) = next.as_deref().and_then(|h| h.split_once(':')) {
                    headers.push((k.trim().into(), v.trim().into()));
                }
                i += 1;
            }
            "-w" | "--write-out" => {
                write_code = next;
                i += 1;
            }
            "-o" | "--output" => {
                output = next;
                i += 1;
            }
            "-m" | "--max-time" | "--connect-timeout" => i += 1,
            "-i" | "--include" => include = true,
            "-f" | "--fail" => fail = true,
            "--silent" | "--show-error" | "--verbose" | "--location" => {}
            // Short flags run together: -sSf, -fsSL, -sL, -si …
            s if s.len() > 1
                && s.starts_with('-')
                && !s.starts_with("--")
                && s[1..].chars().all(|ch| "sSvLfi".contains(ch)) =>
            {
                fail |= s.contains('f');
                include |= s.contains('i');
            }
            s if s.starts_with('-') => {
                return Output::err(format!("curl: option {s}: is unknown to this console\n"), 2)
            }
            s => url = Some(s.to_string()),
        }
        i += 1;
    }
    let Some(url) = url else {
        return Output::err(
            "curl: no URL specified!\ncurl: try 'curl --help' for more information\n",
            2,
        );
    };
    let rest = url
        .strip_prefix("http://")
        .or_else(|| url.strip_prefix("https://"))
        .unwrap_or(&url);
    let (host_part, path) = match rest.find('/') {
        Some(k) => (&rest[..k], &rest[k..]),
        None => (rest, "/"),
    };
    let host_name = if host_part.starts_with('[') {
        host_part
            .split(']')
            .next()
            .map(|h| format!("{h}]"))
            .unwrap_or_default()
    } else {
        host_part.split(':').next().unwrap_or_default().to_string()
    };
    let host_name = host_name.as_str();
    let answer = if super::s3::is_s3_host(host_name) {
        // S3's REST endpoint: a presigned URL (`aws s3 presign`) or an anonymous request.
        let (path, query) = path.split_once('?').unwrap_or((path, ""));
        super::s3::http_get(c, &method, host_name, path, query)
    } else {
        let Some(id) = c
            .host
            .clone()
            .filter(|_| host_name == "169.254.169.254" || host_name == "[fd00:ec2::254]")
        else {
            return Output::err(
                format!("curl: (28) Failed to connect to {host_name} port 80 after 1001 ms: Timeout was reached\n"),
                28,
            );
        };
        let now = c.now();
        let request = HttpRequest {
            method,
            path: path.to_string(),
            headers,
            hops: 1,
        };
        let account = c.account.id.clone();
        let role = c
            .account
            .ec2
            .instance(&id)
            .and_then(|i| i.compute.role.clone());
        let answer = imds::handle(&mut c.account.ec2, &account, &id, now, &request);
        match role {
            Some(r) if c.role(&r).is_none() => {
                imds::unassumable(answer, path, &r, "the role does not exist", now)
            }
            Some(r) if !c.flow.access.assumable_by(&r, "ec2.amazonaws.com") => imds::unassumable(
                answer,
                path,
                &r,
                "its trust policy does not let ec2.amazonaws.com assume it",
                now,
            ),
            _ => answer,
        }
    };
    match answer {
        Answer::Timeout => Output::err(
            "curl: (28) Operation timed out after 1000 milliseconds with 0 bytes received\n",
            28,
        ),
        Answer::Http {
            status,
            reason,
            headers,
            body,
        } => {
            if fail && status >= 400 {
                return Output::err(
                    format!("curl: (22) The requested URL returned error: {status}\n"),
                    22,
                );
            }
            let mut out = String::new();
            if include {
                out.push_str(&format!("HTTP/1.1 {status} {reason}\r\n"));
                for (k, v) in &headers {
                    out.push_str(&format!("{k}: {v}\r\n"));
                }
                out.push_str(&format!(
                    "Content-Length: {}\r\nServer: {}\r\n\r\n",
                    body.len(),
                    if super::s3::is_s3_host(host_name) {
                        "AmazonS3"
                    } else {
                        "EC2ws"
                    }
                ));
            }
            match &output {
                Some(f) if f == "/dev/null" => {}
                Some(f) => {
                    if let Err(e) = write_file(c, f, &body, false) {
                        return Output::err(e.replace("bash: ", "curl: (23) "), 23);
                    }
                }
                None => out.push_str(&body),
            }
            if let Some(w) = write_code {
                out.push_str(
                    &w.replace("%{http_code}", &status.to_string())
                        .replace("\\n", "\n"),
                );
            }
            Output::ok(out)
        }
    }
}

/// `ssh [-i key.pem] user@address`: connects to the running instance with that public
/// address, if it was launched with a key pair and its security group lets port 22 in from
/// the internet.
fn ssh(c: &mut Console, args: &[String]) -> Output {
    if c.host.is_some() {
        return Output::err(
            "ssh: this console opens one session at a time: exit first.\n",
            255,
        );
    }
    let target = args
        .iter()
        .rev()
        .find(|a| !a.starts_with('-') && a.contains('@'));
    let Some(target) = target else {
        return Output::err("usage: ssh [-i identity_file] user@address\n", 255);
    };
    let (user, addr) = target.split_once('@').unwrap_or(("", target));
    let n = &c.account.ec2;
    let found = n.instances.iter().find(|i| {
        compute::public_address(n, i).is_some_and(|p| {
            crate::core::services::ec2::network::model::ip_text(p) == addr
                || compute::public_dns(&c.account.region, p) == addr
        })
    });
    let Some(inst) = found else {
        return Output::err(
            format!("ssh: connect to host {addr} port 22: Connection timed out\n"),
            255,
        );
    };
    let id = inst.id.clone();
    if let Some(refusal) = reach_22(c, &id) {
        return Output::err(
            format!("ssh: connect to host {addr} port 22: Connection timed out\n({refusal})\n"),
            255,
        );
    }
    let Some(inst) = c.account.ec2.instance(&id).cloned() else {
        return Output::err(
            format!("ssh: connect to host {addr} port 22: Connection timed out\n"),
            255,
        );
    };
    let expected = compute::catalog::image(&inst.compute.image_id).map_or("ec2-user", |i| i.user);
    // The private key: `-i file`, which must exist on the computer.
    let key_file = args
        .iter()
        .position(|a| a == "-i")
        .and_then(|k| args.get(k + 1));
    if let Some(f) = key_file {
        if read_file(c, f).is_none() {
            return Output::err(
                format!("Warning: Identity file {f} not accessible: No such file or directory.\n{user}@{addr}: Permission denied (publickey,gssapi-keyex,gssapi-with-mic).\n"),
                255,
            );
        }
    }
    let key_ok = key_file.is_some_and(|f| {
        inst.compute.key_name.as_ref().is_some_and(|k| {
            read_file(c, f).is_some_and(|text| text.contains(&format!("SIMULATED-KEY-FOR-{k}-")))
        })
    });
    if !key_ok || user != expected {
        return Output::err(
            format!("{user}@{addr}: Permission denied (publickey,gssapi-keyex,gssapi-with-mic).\n"),
            255,
        );
    }
    c.connect(&id);
    Output::ok(banner(c, &id))
}

/// Why port 22 cannot be reached from the internet, if it cannot (the VPC analyzer's
/// verdict), or `None`.
fn reach_22(c: &Console, id: &str) -> Option<String> {
    let n = &c.account.ec2;
    let running = n
        .instance(id)
        .is_some_and(|i| i.compute.state == compute::InstanceState::Running);
    if !running {
        return Some(format!("{id} is not running"));
    }
    use crate::core::services::ec2::network::model::Proto;
    use crate::core::services::ec2::network::reach::{analyze, End, Query};
    let q = Query::new(End::Internet, End::Instance(id.to_string()), Proto::Tcp, 22);
    let verdict = analyze(n, &q);
    if verdict.reachable {
        None
    } else {
        let why = verdict
            .codes
            .first()
            .map(|(_, text)| text.clone())
            .unwrap_or_default();
        Some(format!("the VPC analyzer: {why}"))
    }
}

fn banner(c: &Console, id: &str) -> String {
    let Some(i) = c.account.ec2.instance(id) else {
        return String::new();
    };
    let img = compute::catalog::image(&i.compute.image_id);
    let title = img.map_or("Linux", |i| i.description);
    format!(
        "Connected to {id} ({title}). Type exit to leave.\n   ,     #_\n   ~\\_  ####_        {title}\n  ~~  \\_#####\\\n  ~~     \\###|\n"
    )
}

/// `aws ec2-instance-connect ssh --instance-id i-…`: needs the instance running, a public
/// address and port 22 open (EC2 Instance Connect pushes a one-time key: no key pair
/// needed).
pub fn instance_connect(c: &mut Console, who: &Identity, a: &Args) -> Output {
    let id = a.str("--instance-id").unwrap_or_default().to_string();
    if let Some(e) = &who.refused {
        return Output::err(
            format!("\n{}\n", e.cli("SendSSHPublicKey")),
            super::args::rc::SERVICE,
        );
    }
    if c.host.is_some() {
        return Output::err(
            "ssh: this console opens one session at a time: exit first.\n",
            255,
        );
    }
    if let crate::core::account::Caller::Principal(p) = &who.caller {
        let arn = format!(
            "arn:aws:ec2:{}:{}:instance/{id}",
            c.account.region, c.account.id
        );
        if let Err(e) = c.authorize(p, "ec2-instance-connect:SendSSHPublicKey", &arn, false) {
            return Output::err(
                format!("\n{}\n", e.cli("SendSSHPublicKey")),
                super::args::rc::SERVICE,
            );
        }
    }
    if c.account.ec2.instance(&id).is_none() {
        return Output::err(
            format!("\nAn error occurred (EC2InstanceNotFoundException) when calling the SendSSHPublicKey operation: Instance not found: {id}\n"),
            super::args::rc::SERVICE,
        );
    }
    if let Some(why) = reach_22(c, &id) {
        let addr = c
            .account
            .ec2
            .instance(&id)
            .and_then(|i| compute::public_address(&c.account.ec2, i))
            .map(crate::core::services::ec2::network::model::ip_text)
            .unwrap_or_else(|| "(no public address)".into());
        return Output::err(
            format!("ssh: connect to host {addr} port 22: Connection timed out\n({why})\n"),
            255,
        );
    }
    c.connect(&id);
    Output::ok(banner(c, &id))
}

/// Writes a boot to the instance's cloud-init log and, at the first boot, runs its user
/// data through the shell as root (each command echoed, its output after it).
pub fn boot_log(c: &mut Console, b: &Boot) {
    let at = compute::iso_time(b.at_ms);
    let Some(inst) = c.account.ec2.instance(&b.instance).cloned() else {
        return;
    };
    let mut lines = Vec::new();
    if b.resumed {
        lines.push(format!(
            "[{at}] Resumed from hibernation: memory kept, no boot, user data not run."
        ));
    } else {
        lines.push(format!(
            "Cloud-init v. 22.2.2 running 'init' at {at}. Up 4.20 seconds."
        ));
    }
    if b.first {
        lines.push(format!(
            "Cloud-init v. 22.2.2 running 'modules:final' at {at}. Up 12.00 seconds."
        ));
        match &inst.compute.user_data {
            Some(script) => {
                // Run it as the instance does: as root, in a shell of its own, in the
                // background (it does not move the clock); then the student's session
                // comes back exactly as it was.
                let saved = (
                    c.host.clone(),
                    std::mem::take(&mut c.vars),
                    std::mem::take(&mut c.host_env),
                    c.last_code,
                    std::mem::take(&mut c.pending_stderr),
                    c.dialog.take(),
                    c.in_user_data,
                );
                c.host = Some(b.instance.clone());
                c.in_user_data = true;
                c.script_exit = false;
                for line in script.lines() {
                    let t = line.trim();
                    if t.is_empty() || t.starts_with('#') {
                        continue;
                    }
                    lines.push(format!("+ {t}"));
                    let o = c.run_line(t);
                    let sub_err = std::mem::take(&mut c.pending_stderr);
                    lines.extend(sub_err.lines().map(str::to_string));
                    lines.extend(o.stdout.lines().map(str::to_string));
                    lines.extend(o.stderr.lines().map(str::to_string));
                    if c.script_exit || c.host.as_deref() != Some(b.instance.as_str()) {
                        break;
                    }
                }
                c.script_exit = false;
                (
                    c.host,
                    c.vars,
                    c.host_env,
                    c.last_code,
                    c.pending_stderr,
                    c.dialog,
                    c.in_user_data,
                ) = saved;
                lines.push(format!("Cloud-init v. 22.2.2 finished at {at}. Datasource DataSourceEc2.  User data ran once, at this first boot."));
            }
            None => lines.push(format!(
                "Cloud-init v. 22.2.2 finished at {at}. Datasource DataSourceEc2.  No user data."
            )),
        }
    } else if !b.resumed {
        lines.push(format!("Cloud-init v. 22.2.2 finished at {at}. User data already ran at the first boot; scripts-user runs once per instance."));
    }
    if let Some(i) = c
        .account
        .ec2
        .instances
        .iter_mut()
        .find(|i| i.id == b.instance)
    {
        i.compute.log.extend(lines);
    }
}
