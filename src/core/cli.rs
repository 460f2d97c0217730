//! The `aws` console: a terminal on the student's computer, or on an instance after
//! "Connect", that runs the AWS CLI against the simulated account (../shared/
//! DESIGN-simulation.md) and a few shell commands around it (`curl` to the instance
//! metadata service, `echo`, `cat`, variables, `$(…)`).
//!
//! * [`shell`]: the command line's syntax (quotes, variables, substitution, `&&`, `>`);
//! * [`args`]: services, operations and options as data, parsed as the CLI parses them,
//!   with its usage errors (exit code 252);
//! * [`format`]: the `json`, `text`, `table` and `yaml` outputs, ported from aws-cli;
//! * [`query`]: `--query` through JMESPath;
//! * [`commands`]: the operations: what each sends through `Account::call` (so IAM
//!   authorizes every call and the account's trace records it) and what it prints;
//! * [`host`]: the shell's own commands (`curl`, `echo`, `cat`, `ssh` …).
//!
//! Credentials come from the CLI's documented chain, in order (course notes L1805–1813; AWS
//! CLI User Guide, "Configuration and credential file settings"): command-line options,
//! environment variables, the credentials file, the config file, container credentials,
//! the instance profile (on an instance, the role's credentials from the metadata service).
//!
//! Virtual time: each command line takes [`COMMAND_MS`]; `sleep` and `aws ec2 wait` take
//! what they take. Instances change state on that clock.

pub mod args;
pub mod commands;
pub mod complete;
pub mod format;
pub mod host;
pub mod query;
pub mod s3;
pub mod serverless;
pub mod shell;

use crate::core::account::{Account, SANDBOX_ACCOUNT, SANDBOX_REGION};
use crate::core::flow::{Flow, IdentityKind, IdentitySpec, Resources};
use crate::core::services::ec2::compute;
use crate::core::services::ec2::network::Network;
use crate::core::sim::{Arn, Doc};
use std::collections::BTreeMap;

/// Virtual time one command line takes: about what a person needs to type one.
pub const COMMAND_MS: u64 = 5_000;
/// The IAM user the computer's default profile belongs to.
pub const USER: &str = "student";
/// The default profile's access key (the AWS documentation's example key).
pub const ACCESS_KEY: &str = "AKIAIOSFODNN7EXAMPLE";
/// Its secret (the documentation's example secret).
pub const SECRET_KEY: &str = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY";
/// The home directory on the student's computer.
pub const HOME: &str = "/home/student";

/// What a command line printed and its exit status.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Output {
    pub stdout: String,
    pub stderr: String,
    pub code: i32,
}

impl Output {
    pub fn ok(stdout: impl Into<String>) -> Output {
        Output {
            stdout: stdout.into(),
            ..Output::default()
        }
    }

    pub fn err(stderr: impl Into<String>, code: i32) -> Output {
        Output {
            stderr: stderr.into(),
            code,
            ..Output::default()
        }
    }

    fn append(&mut self, o: Output) {
        self.stdout.push_str(&o.stdout);
        self.stderr.push_str(&o.stderr);
        self.code = o.code;
    }
}

/// The question `aws configure` is asking.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Dialog {
    profile: String,
    step: usize,
}

/// The console: the account it acts on and the terminal's own state.
pub struct Console {
    pub account: Account,
    /// The account's serverless services (S3, SQS, SNS, Lambda, DynamoDB) as the flow
    /// engine runs them, on the console's clock: an upload typed here invokes the function
    /// its bucket notifies, and the flow's trace says so.
    pub flow: Flow,
    /// The serverless services of the other Regions the student has called (empty until
    /// something is created there), on the same clock.
    pub regions: BTreeMap<String, Flow>,
    /// Set when the flow engine stopped at its limits (a runaway chain of events): it runs
    /// no further, and the student is told once.
    pub flow_halted: bool,
    /// When each IAM role or user was created or first seen (ms of the console's clock),
    /// by name. The account's roles and users themselves are the flow engine's
    /// (`flow.access`), shared with the flow page; one the account started with dates from
    /// time 0.
    pub role_created: BTreeMap<String, u64>,
    /// EC2 key pairs: name → (KeyPairId, fingerprint).
    pub key_pairs: BTreeMap<String, (String, String)>,
    /// Access keys of the account's IAM users: key id → (secret, user name).
    pub keys: BTreeMap<String, (String, String)>,
    /// Files on the student's computer by absolute path (`~/.aws/credentials` …).
    pub files: BTreeMap<String, String>,
    /// Exported environment variables on the computer.
    pub env: BTreeMap<String, String>,
    /// Shell variables of the current session.
    pub vars: BTreeMap<String, String>,
    /// Exported variables of the session on an instance.
    pub host_env: BTreeMap<String, String>,
    /// The instance the terminal is connected to (`None`: the student's computer).
    pub host: Option<String>,
    /// The computer's variables, kept while connected to an instance.
    saved_vars: BTreeMap<String, String>,
    pub last_code: i32,
    /// Command lines entered, oldest first.
    pub history: Vec<String>,
    pub(crate) dialog: Option<Dialog>,
    /// Standard error written by command substitutions, shown with the line's output.
    pub(crate) pending_stderr: String,
    /// Command substitutions being run inside each other (limited to [`MAX_NESTING`]).
    depth: usize,
    /// A first boot's user data is running (as root, on the instance, in the background:
    /// it does not move the student's clock).
    pub in_user_data: bool,
    /// `exit` was run inside user data: the rest of the script is skipped.
    pub(crate) script_exit: bool,
    /// Exit status of the last command substitution of the command being expanded.
    last_substitution: Option<i32>,
    /// The pages of the last call the CLI gathered page by page (DynamoDB Query and
    /// Scan), for `--output text`, which prints each page as it comes.
    pub(crate) paged: Option<Paged>,
}

/// A call's pages as the AWS CLI's text output prints them (`awscli/formatter.py`,
/// `TextFormatter`): the first page with the parts not gathered (ConsumedCapacity), each
/// later page with its result keys only, `--query` applied to each page, then the
/// NextToken as `{"NextToken": {"NextToken": …}}`.
#[derive(Clone, Debug, PartialEq)]
pub struct Paged {
    pub pages: Vec<crate::core::sim::Doc>,
    pub next_token: Option<String>,
}

/// The most text one command's words may expand to, and one output may print, in bytes.
pub const MAX_TEXT: usize = 1 << 20;

/// The most engine events one step of the clock runs, and the longest flow trace kept
/// growing (the flow page's limits, `views::flow::scenario`).
pub const MAX_FLOW_EVENTS: usize = 200_000;
pub const MAX_FLOW_TRACE: usize = 300_000;

/// How deep command substitutions may nest (`$( $( … ) )`).
pub const MAX_NESTING: usize = 16;

impl Console {
    /// A console on an account holding `network`, with the computer configured for the IAM
    /// user [`USER`] (an administrator) in [`SANDBOX_REGION`].
    pub fn new(network: Network) -> Console {
        let empty = Flow::new(Resources::default(), 1).expect("an empty account is valid");
        Console::with_flow(network, empty)
    }

    /// A console on an account holding `network` and the serverless resources of `flow`
    /// (a flow page template's, built with no scripted actions).
    pub fn with_flow(network: Network, flow: Flow) -> Console {
        let mut account = Account::new(SANDBOX_ACCOUNT, SANDBOX_REGION, network);
        let user_arn = format!("arn:aws:iam::{SANDBOX_ACCOUNT}:user/{USER}");
        account.attach(
            &user_arn,
            commands::managed_policy("AdministratorAccess").expect("built in"),
        );
        let mut files = BTreeMap::new();
        files.insert(
            format!("{HOME}/.aws/credentials"),
            format!("[default]\naws_access_key_id = {ACCESS_KEY}\naws_secret_access_key = {SECRET_KEY}\n"),
        );
        files.insert(
            format!("{HOME}/.aws/config"),
            format!("[default]\nregion = {SANDBOX_REGION}\noutput = json\n"),
        );
        let mut console = Console {
            account,
            flow,
            regions: BTreeMap::new(),
            flow_halted: false,
            role_created: BTreeMap::new(),
            key_pairs: BTreeMap::new(),
            keys: [(
                ACCESS_KEY.to_string(),
                (SECRET_KEY.to_string(), USER.to_string()),
            )]
            .into_iter()
            .collect(),
            files,
            env: BTreeMap::new(),
            vars: BTreeMap::new(),
            host_env: BTreeMap::new(),
            host: None,
            saved_vars: BTreeMap::new(),
            last_code: 0,
            history: Vec::new(),
            dialog: None,
            pending_stderr: String::new(),
            depth: 0,
            in_user_data: false,
            script_exit: false,
            last_substitution: None,
            paged: None,
        };
        console.sync_roles();
        console
    }

    /// The account's IAM role `name` (a user of that name is not one).
    pub fn role(&self, name: &str) -> Option<&IdentitySpec> {
        self.flow
            .access
            .identity(name)
            .filter(|i| i.kind == IdentityKind::Role)
    }

    /// Adds or replaces the role or user `spec` in the account (the `aws iam` calls).
    pub fn put_identity(&mut self, spec: IdentitySpec) -> Result<(), Vec<String>> {
        self.flow.put_identity(spec)?;
        self.sync_roles();
        Ok(())
    }

    /// Removes the role `name`; `false` if there is none.
    pub fn remove_role(&mut self, name: &str) -> bool {
        let removed = self.flow.remove_identity(name);
        self.role_created.remove(name);
        self.sync_roles();
        removed
    }

    /// Copies every role's identity-based policies and permissions boundary into the
    /// account's store, which authorizes the console's callers (an instance's role
    /// session): the roles are the flow engine's, and a role gone is gone from there too.
    fn sync_roles(&mut self) {
        let id = self.account.id.clone();
        self.account
            .policies
            .retain(|arn, _| !arn.contains(":role/"));
        self.account
            .boundaries
            .retain(|arn, _| !arn.contains(":role/"));
        for spec in self.flow.access.identity_specs() {
            if spec.kind != IdentityKind::Role {
                continue;
            }
            let arn = Arn::iam_role(&id, &spec.name).to_string();
            let policies = self
                .flow
                .access
                .policies_of(&spec.name)
                .unwrap_or_default()
                .to_vec();
            if let Some(b) = self.flow.access.boundary_of(&spec.name) {
                self.account.boundaries.insert(arn.clone(), b.clone());
            }
            self.account.policies.insert(arn, policies);
        }
    }

    /// Takes in the IAM of serverless resources defined anew by another tool when only IAM
    /// changed (roles, users, resources' policies; the IAM page saves them): the account's
    /// `Access` becomes `fresh`'s and everything else goes on, as after PutRolePolicy.
    pub fn retake_access(&mut self, fresh: Flow) {
        self.take_in(fresh, |c, fresh| c.flow.set_access(fresh.access));
    }

    /// Takes in serverless resources another tool defined anew (the flow page edits the
    /// sandbox account's; `views::console` brings them into the session): `Flow::redefine`
    /// keeps what stays. The engine runs again if it had stopped at its limits (the work
    /// that ran away went with the old definitions).
    pub fn redefine_serverless(&mut self, fresh: Flow) {
        self.take_in(fresh, |c, fresh| {
            c.flow.redefine(fresh);
            c.flow_halted = false;
        });
    }

    /// Applies `fresh` with `apply`, keeping the roles' and users' dates: one new to the
    /// session is dated now, one gone loses its date; the roles' policies are synced.
    fn take_in(&mut self, fresh: Flow, apply: impl FnOnce(&mut Console, Flow)) {
        let now = self.now();
        let before = self.flow.access.identity_names();
        for name in fresh.access.identity_names() {
            if !before.contains(&name) {
                self.role_created.insert(name, now);
            }
        }
        apply(self, fresh);
        let after = self.flow.access.identity_names();
        self.role_created.retain(|n, _| after.contains(n));
        self.sync_roles();
    }

    /// The virtual time, in ms.
    pub fn now(&self) -> u64 {
        self.account.now_ms
    }

    /// The prompt: `student@laptop:~$`, or `[ec2-user@ip-10-0-1-4 ~]$` on an instance; while
    /// `aws configure` asks, its question.
    pub fn prompt(&self) -> String {
        if let Some(d) = &self.dialog {
            return commands::configure_question(self, d.step, &d.profile);
        }
        match self
            .host
            .as_deref()
            .and_then(|id| self.account.ec2.instance(id))
        {
            Some(i) => {
                let user =
                    compute::catalog::image(&i.compute.image_id).map_or("ec2-user", |img| img.user);
                let host = compute::private_dns(&self.account.region, i.private_ip);
                let short = host.split('.').next().unwrap_or("").to_string();
                if user == "ubuntu" {
                    format!("{user}@{short}:~$")
                } else {
                    format!("[{user}@{short} ~]$")
                }
            }
            None => format!("{USER}@laptop:~$"),
        }
    }

    /// Runs one command line.
    pub fn run(&mut self, line: &str) -> Output {
        if let Some(d) = self.dialog.take() {
            return commands::configure_answer(self, d, line);
        }
        if !line.trim().is_empty() {
            self.history.push(line.to_string());
        }
        self.advance(COMMAND_MS);
        let mut out = self.run_line(line);
        out.stderr = std::mem::take(&mut self.pending_stderr) + &out.stderr;
        out
    }

    pub(crate) fn run_line(&mut self, line: &str) -> Output {
        let script = match shell::split(line) {
            Ok(s) => s,
            Err(e) => {
                self.last_code = 2;
                return Output::err(format!("{e}\n"), 2);
            }
        };
        let mut out = Output {
            code: self.last_code,
            ..Output::default()
        };
        for (join, text) in script.commands {
            match join {
                Some(shell::Join::And) if self.last_code != 0 => continue,
                Some(shell::Join::Or) if self.last_code == 0 => continue,
                _ => {}
            }
            let o = self.run_command(&text);
            self.last_code = o.code;
            out.append(o);
            if out.stdout.len() > MAX_TEXT {
                let mut cut = MAX_TEXT;
                while !out.stdout.is_char_boundary(cut) {
                    cut -= 1;
                }
                out.stdout.truncate(cut);
                out.stderr.push_str("(output cut at 1 MiB)\n");
            }
        }
        out
    }

    /// Advances the clock by `ms`, settling instances and running the user data of first
    /// boots (its output goes to the instance's cloud-init log).
    pub fn advance(&mut self, ms: u64) {
        if self.in_user_data {
            return;
        }
        let target = self.account.now_ms.saturating_add(ms);
        self.settle_to(target);
    }

    fn settle_to(&mut self, target: u64) {
        let boots = compute::settle(&mut self.account.ec2, target);
        self.account.now_ms = target;
        // The serverless services run on the same clock (a runaway chain stops at the
        // flow page's own limits, and the student is told).
        if !self.flow_halted {
            let (_, stopped) = self
                .flow
                .run_within(target, MAX_FLOW_EVENTS, MAX_FLOW_TRACE);
            if stopped {
                self.flow_halted = true;
                self.pending_stderr.push_str(&format!("(The serverless services stopped: this account's events passed the simulator's limit of {MAX_FLOW_EVENTS} events in one step or {MAX_FLOW_TRACE} in its trace, a runaway chain. Calls still answer, but nothing more runs on its own; start a new session to reset.)\n"));
            }
        }
        for f in self.regions.values_mut() {
            f.run_within(target, MAX_FLOW_EVENTS, MAX_FLOW_TRACE);
        }
        for b in boots {
            host::boot_log(self, &b);
        }
        // A connected instance that stops or terminates drops the session.
        if let Some(id) = self.host.clone() {
            let running = self
                .account
                .ec2
                .instance(&id)
                .is_some_and(|i| i.compute.state == compute::InstanceState::Running);
            if !running {
                self.disconnect();
                self.pending_stderr
                    .push_str(&format!("Connection to {id} closed by remote host.\n"));
            }
        }
    }

    /// Replaces the account's EC2 network with `network` as another tool left it (the VPC
    /// builder edits the sandbox account's network; `views::console` brings its edits into
    /// the session). A saved network carries no machine state (`Instance::compute` is not
    /// saved), so each instance keeps the machine it has in this session, by id; an
    /// instance new to the session (one the VPC builder created) is a running machine
    /// launched now. A connected instance that is gone closes the connection.
    pub fn replace_network(&mut self, mut network: Network) {
        let now = self.now();
        for inst in &mut network.instances {
            inst.compute = match self.account.ec2.instance(&inst.id) {
                Some(old) => old.compute.clone(),
                None => compute::Compute::running_since(now),
            };
        }
        self.account.ec2 = network;
        if let Some(id) = self.host.clone() {
            if self.account.ec2.instance(&id).is_none() {
                self.disconnect();
                self.pending_stderr
                    .push_str(&format!("Connection to {id} closed by remote host.\n"));
            }
        }
    }

    /// Leaves the instance for the computer.
    pub fn disconnect(&mut self) {
        if self.host.take().is_some() {
            self.vars = std::mem::take(&mut self.saved_vars);
        }
    }

    /// Opens a shell on a running instance.
    pub fn connect(&mut self, id: &str) {
        if self.host.is_none() {
            self.saved_vars = std::mem::take(&mut self.vars);
        }
        self.vars = BTreeMap::new();
        self.host_env = BTreeMap::new();
        self.host = Some(id.to_string());
    }

    /// One command (no `;`, `&&`, `||`): expansion, assignments, redirection, dispatch.
    fn run_command(&mut self, text: &str) -> Output {
        self.last_substitution = None;
        let mut exp = Expander {
            console: self,
            stderr: String::new(),
        };
        let parsed = shell::words(text, &mut exp);
        let sub_err = exp.stderr;
        self.pending_stderr.push_str(&sub_err);
        let w = match parsed {
            Ok(w) => w,
            Err(e) => return Output::err(format!("{e}\n"), 2),
        };
        let mut words = w.words;
        // Leading NAME=value words: variables, or the environment of this one command.
        let mut assigns = Vec::new();
        while let Some((name, value)) = words.first().and_then(|w| shell::assignment(w)) {
            assigns.push((name.to_string(), value.to_string()));
            words.remove(0);
        }
        if words.is_empty() {
            for (k, v) in assigns {
                let env = self.env_mut();
                if env.contains_key(&k) {
                    env.insert(k.clone(), v.clone());
                }
                self.vars.insert(k, v);
            }
            // An assignment's status is its last command substitution's (bash).
            return Output {
                code: self.last_substitution.unwrap_or(0),
                ..Output::default()
            };
        }
        // NAME=value before a command: its environment only, restored afterwards in the
        // host it was set on (the command may connect or exit).
        let on_host = self.host.is_some();
        let saved: Vec<(String, Option<String>)> = assigns
            .iter()
            .map(|(k, _)| (k.clone(), self.env_mut().get(k).cloned()))
            .collect();
        for (k, v) in &assigns {
            self.env_mut().insert(k.clone(), v.clone());
        }
        let mut out = self.dispatch(&words);
        let env = if on_host {
            &mut self.host_env
        } else {
            &mut self.env
        };
        for (k, old) in saved {
            match old {
                Some(v) => env.insert(k, v),
                None => env.remove(&k),
            };
        }
        for r in w.redirects {
            let text = match r.fd {
                2 if r.to_stdout => {
                    let e = std::mem::take(&mut out.stderr);
                    out.stdout.push_str(&e);
                    continue;
                }
                2 => std::mem::take(&mut out.stderr),
                _ => std::mem::take(&mut out.stdout),
            };
            if r.path == "/dev/null" {
                continue;
            }
            if let Err(e) = host::write_file(self, &r.path, &text, r.append) {
                return Output::err(e, 1);
            }
        }
        out
    }

    fn dispatch(&mut self, words: &[String]) -> Output {
        match words[0].as_str() {
            "aws" => commands::aws(self, &words[1..]),
            "sudo" if words.len() > 1 => self.dispatch(&words[1..]),
            _ => host::builtin(self, words),
        }
    }

    /// Runs a command substitution's text and returns what it printed.
    fn capture(&mut self, command: &str) -> (String, String) {
        if self.depth >= MAX_NESTING {
            return (
                String::new(),
                format!("bash: command substitutions nest deeper than {MAX_NESTING} levels\n"),
            );
        }
        self.depth += 1;
        let before = self.last_code;
        let o = self.run_line(command);
        self.depth -= 1;
        self.last_substitution = Some(o.code);
        self.last_code = before;
        (o.stdout, o.stderr)
    }

    /// A variable as the shell sees it: the session's, then the environment.
    pub fn var(&self, name: &str) -> Option<String> {
        if name == "?" {
            return Some(self.last_code.to_string());
        }
        if name == "HOME" {
            return Some(host::home(self));
        }
        self.vars.get(name).cloned().or_else(|| self.env_var(name))
    }

    /// Authorizes `action` on `resource` for `p` with the IAM evaluator and records a
    /// denial in the account's trace (calls that go through `Account::call` are recorded
    /// there). `iam_style`: IAM's `AccessDenied` wording instead of EC2's
    /// `UnauthorizedOperation`.
    pub fn authorize(
        &mut self,
        p: &crate::core::iam::Principal,
        action: &str,
        resource: &str,
        iam_style: bool,
    ) -> Result<(), crate::core::sim::AwsError> {
        let Err(mut e) = self.account.authorize_action(p, action, resource) else {
            return Ok(());
        };
        let operation = action.split(':').nth(1).unwrap_or(action).to_string();
        if iam_style {
            let who = crate::core::account::Caller::Principal(p.clone()).arn(&self.account.id);
            let reason = e
                .message
                .replace("You are not authorized to perform this operation. ", "");
            e = crate::core::sim::AwsError::new(
                "AccessDenied",
                403,
                format!("User: {who} is not authorized to perform: {action} on resource: {resource} because {reason}"),
            );
        }
        let caller = crate::core::account::Caller::Principal(p.clone());
        self.record(
            &caller,
            crate::core::account::CALL_DENIED,
            e.cli(&operation),
        );
        Err(e)
    }

    /// Records a call's outcome in the account's trace, for calls made outside
    /// `Account::call` (IAM roles, key pairs, GetCallerIdentity).
    pub fn record(
        &mut self,
        caller: &crate::core::account::Caller,
        code: &'static str,
        text: String,
    ) {
        let actor = caller.arn(&self.account.id);
        self.account.trace.record(
            self.account.now_ms,
            None,
            actor,
            crate::core::sim::TraceKind::Call,
            code,
            text,
        );
    }

    /// The exported environment of the current host.
    pub fn env_mut(&mut self) -> &mut BTreeMap<String, String> {
        if self.host.is_some() {
            &mut self.host_env
        } else {
            &mut self.env
        }
    }

    /// The environment a program started here sees (on an instance: none of the
    /// computer's).
    pub fn env_var(&self, name: &str) -> Option<String> {
        if self.host.is_some() {
            return self.host_env.get(name).cloned();
        }
        self.env.get(name).cloned()
    }
}

struct Expander<'a> {
    console: &'a mut Console,
    stderr: String,
}

impl shell::Expand for Expander<'_> {
    fn var(&self, name: &str) -> Option<String> {
        self.console.var(name)
    }
    fn substitute(&mut self, command: &str) -> String {
        let (out, err) = self.console.capture(command);
        self.stderr.push_str(&err);
        out
    }
}

/// Parses JSON keeping object members in the order written (policies, `--cli-input-json`,
/// test data). Errors are serde_json's, with line and column.
pub fn parse_json_ordered(text: &str) -> Result<Doc, String> {
    serde_json::from_str::<OrderedJson>(text)
        .map(|o| o.0)
        .map_err(|e| e.to_string())
}

struct OrderedJson(Doc);

impl<'de> serde::Deserialize<'de> for OrderedJson {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_any(Visitor).map(OrderedJson)
    }
}

struct Visitor;

/// serde_json's private key for a number when `arbitrary_precision` is on.
const NUMBER_TOKEN: &str = "$serde_json::private::Number";

impl<'de> serde::de::Visitor<'de> for Visitor {
    type Value = Doc;
    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.write_str("a JSON value")
    }
    fn visit_unit<E>(self) -> Result<Doc, E> {
        Ok(Doc::Null)
    }
    fn visit_none<E>(self) -> Result<Doc, E> {
        Ok(Doc::Null)
    }
    fn visit_bool<E>(self, v: bool) -> Result<Doc, E> {
        Ok(Doc::Bool(v))
    }
    fn visit_i64<E>(self, v: i64) -> Result<Doc, E> {
        Ok(Doc::Int(v))
    }
    fn visit_u64<E>(self, v: u64) -> Result<Doc, E> {
        Ok(i64::try_from(v).map_or(Doc::Float(v as f64), Doc::Int))
    }
    fn visit_f64<E>(self, v: f64) -> Result<Doc, E> {
        Ok(Doc::Float(v))
    }
    fn visit_str<E>(self, v: &str) -> Result<Doc, E> {
        Ok(Doc::Str(v.into()))
    }
    fn visit_string<E>(self, v: String) -> Result<Doc, E> {
        Ok(Doc::Str(v))
    }
    fn visit_seq<A: serde::de::SeqAccess<'de>>(self, mut seq: A) -> Result<Doc, A::Error> {
        let mut items = Vec::new();
        while let Some(OrderedJson(d)) = seq.next_element()? {
            items.push(d);
        }
        Ok(Doc::List(items))
    }
    fn visit_map<A: serde::de::MapAccess<'de>>(self, mut map: A) -> Result<Doc, A::Error> {
        let mut members: Vec<(String, Doc)> = Vec::new();
        while let Some(key) = map.next_key::<String>()? {
            if key == NUMBER_TOKEN {
                let text: String = map.next_value()?;
                return Ok(match text.parse::<i64>() {
                    Ok(i) => Doc::Int(i),
                    Err(_) => {
                        Doc::Float(crate::core::parse_float::parse_f64(&text).unwrap_or(f64::NAN))
                    }
                });
            }
            let OrderedJson(v) = map.next_value()?;
            members.retain(|(k, _)| *k != key);
            members.push((key, v));
        }
        Ok(Doc::Map(members))
    }
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod serverless_tests;
#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests;
