//! The tool registry: every calculator, service model and workspace Stratus offers.
//!
//! This is the single list the navigation, the home page and the router read. Adding a tool
//! means adding one [`Tool`] here and its [`About`] (its texts), naming the wasm module that
//! carries its page, and (for a new module) one entry in `app::modules`, one `[[bin]]` in
//! Cargo.toml and one line in index.html's loader table; a test checks the table matches. A
//! tool whose view does not exist yet has [`Status::ComingSoon`] and the shell as its module
//! (a test checks it): the shell shows an honest "coming soon" page for it, never
//! placeholder output.

/// What kind of thing a tool is; the home page groups tools by it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Category {
    /// Computes numbers from inputs (address math, capacity, cost, probability).
    Calculator,
    /// Models AWS resources and enforces their rules.
    ServiceModel,
    /// Holds and shares the user's work.
    Workspace,
}

impl Category {
    /// Every category, in the order the home page shows them.
    pub const ALL: [Category; 3] = [
        Category::Calculator,
        Category::ServiceModel,
        Category::Workspace,
    ];

    /// Heading used on the home page.
    pub fn heading(self) -> &'static str {
        match self {
            Category::Calculator => "Calculators",
            Category::ServiceModel => "Service models",
            Category::Workspace => "Your work",
        }
    }
}

/// Whether a tool can be used yet.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Status {
    /// Built and usable.
    Available,
    /// Planned; its page says so and describes what it will do.
    ComingSoon,
}

/// One entry of the registry.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Tool {
    /// Stable identifier, also the route segment: `#/{id}`. Lowercase letters and dashes.
    pub id: &'static str,
    /// Full title, used as the page heading and document title.
    pub title: &'static str,
    /// Short label for the navigation bar.
    pub nav_label: &'static str,
    pub category: Category,
    pub status: Status,
    /// The wasm module that carries the tool's page (docs/ARCHITECTURE.md, "Modules"):
    /// each module is loaded only when one of its routes is opened.
    pub module: &'static str,
    /// How sandboxes and links hold the tool's state; `None` for a tool without state.
    pub state: Option<Slot>,
    /// The parts an embed can show alone (`section=<id>` in its URL, docs/embedding.md):
    /// (id, label). The page marks each part's element with `data-embed="<id> …"`.
    pub sections: &'static [(&'static str, &'static str)],
}

use crate::core::sandbox::{AccountView, Slot};
use crate::core::share::{Shape, Upgrade};

const fn slot(upgrades: &'static [Upgrade], shape: Shape, closed: bool) -> Option<Slot> {
    Some(Slot {
        version: 1 + upgrades.len() as u32,
        shape,
        closed,
        upgrades,
        account: &[],
    })
}

/// A slot whose tool shows parts of the sandbox's account (`sandbox::AccountView`).
const fn viewing_account(slot: Option<Slot>, views: &'static [AccountView]) -> Option<Slot> {
    match slot {
        Some(s) => Some(Slot {
            account: views,
            ..s
        }),
        None => None,
    }
}

/// Every tool, in navigation order.
pub const TOOLS: &[Tool] = &[
    Tool {
        id: "cidr",
        title: "CIDR and VPC address planner",
        nav_label: "CIDR",
        category: Category::Calculator,
        status: Status::Available,
        module: "cidr",
        state: slot(
            crate::core::cidr::share::UPGRADES,
            crate::core::cidr::share::SHAPE,
            false,
        ),
        sections: &[("tab", "the open tab, without the tab bar")],
    },
    Tool {
        id: "dynamodb",
        title: "DynamoDB capacity and cost",
        nav_label: "DynamoDB",
        category: Category::Calculator,
        status: Status::Available,
        module: "dynamodb",
        state: slot(
            crate::core::dynamodb::state::UPGRADES,
            crate::core::dynamodb::state::SHAPE,
            false,
        ),
        sections: &[
            ("item", "item size"),
            ("request", "one request"),
            ("workload", "workload → capacity"),
            ("cost", "monthly cost"),
        ],
    },
    Tool {
        id: "lambda",
        title: "Lambda cost",
        nav_label: "Lambda",
        category: Category::Calculator,
        status: Status::Available,
        module: "lambda",
        state: slot(
            crate::core::lambda::state::UPGRADES,
            crate::core::lambda::state::SHAPE,
            false,
        ),
        sections: &[
            ("inputs", "function and traffic"),
            ("bill", "the monthly bill"),
            ("provisioned", "provisioned concurrency"),
        ],
    },
    Tool {
        id: "drive-failure",
        title: "Drive failure and durability",
        nav_label: "Drive failure",
        category: Category::Calculator,
        status: Status::Available,
        module: "drive",
        state: slot(
            crate::core::durability::state::UPGRADES,
            crate::core::durability::state::SHAPE,
            false,
        ),
        sections: &[
            ("one-drive", "one drive"),
            ("fleet", "a fleet of drives"),
            ("redundancy", "redundancy"),
        ],
    },
    Tool {
        id: "vpc",
        title: "VPC builder and reachability",
        nav_label: "VPC",
        category: Category::ServiceModel,
        status: Status::Available,
        module: "vpc",
        state: viewing_account(
            slot(
                crate::core::views::vpc::state::UPGRADES,
                crate::core::views::vpc::state::SHAPE,
                false,
            ),
            &[AccountView {
                key: "ec2",
                field: "network",
            }],
        ),
        sections: &[
            ("analyzer", "the question, the verdict and the diagram"),
            ("diagram", "the diagram"),
            ("design", "the design and its editor"),
            ("checklist", "the web server checklist"),
        ],
    },
    Tool {
        id: "iam",
        title: "IAM policy evaluator",
        nav_label: "IAM",
        category: Category::ServiceModel,
        status: Status::Available,
        module: "iam",
        state: slot(
            crate::core::iam::state::UPGRADES,
            crate::core::iam::state::SHAPE,
            false,
        ),
        sections: &[
            ("requests", "requests and the decision"),
            ("policies", "the policies"),
            ("scenarios", "scenarios"),
        ],
    },
    Tool {
        id: "flow",
        title: "Serverless flow simulator",
        nav_label: "Flow",
        category: Category::ServiceModel,
        status: Status::Available,
        module: "flow",
        state: viewing_account(
            slot(
                crate::core::views::flow::state::UPGRADES,
                crate::core::views::flow::state::SHAPE,
                false,
            ),
            &[AccountView {
                key: "serverless",
                field: "resources",
            }],
        ),
        sections: &[
            ("diagram", "the diagram and the timeline"),
            ("build", "the Build panel (create, wire and edit)"),
            ("log", "the event log"),
            ("counters", "the counters and charts"),
        ],
    },
    Tool {
        id: "console",
        title: "AWS CLI console",
        nav_label: "Console",
        category: Category::ServiceModel,
        status: Status::Available,
        module: "console",
        state: viewing_account(
            slot(
                crate::core::views::console::UPGRADES,
                crate::core::views::console::SHAPE,
                true,
            ),
            &[
                AccountView {
                    key: "ec2",
                    field: "account",
                },
                AccountView {
                    key: "serverless",
                    field: "resources",
                },
            ],
        ),
        sections: &[
            ("terminal", "the terminal"),
            ("account", "the instances, clock and calls"),
        ],
    },
    Tool {
        id: "sandboxes",
        title: "Sandboxes",
        nav_label: "Sandboxes",
        category: Category::Workspace,
        status: Status::Available,
        module: "sandboxes",
        state: None,
        sections: &[],
    },
];
/// What a tool is for, in words: the home page's cards and a coming-soon page read it.
/// Kept apart from [`TOOLS`] because every module links `TOOLS` (the navigation, the
/// router), while only the shell module shows these texts: ~4.5 KB of text left out of
/// every tool's module (docs/size.md). One entry per tool, in [`TOOLS`]'s order (a test
/// checks it).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct About {
    /// The tool's id, as in [`TOOLS`].
    pub id: &'static str,
    /// One sentence for cards and link descriptions.
    pub tagline: &'static str,
    /// What the tool lets a student do, one item each; shown on its coming-soon page.
    pub capabilities: &'static [&'static str],
}

/// Every tool's [`About`], in [`TOOLS`]'s order.
pub const ABOUT: &[About] = &[
    About {
        id: "cidr",
        tagline: "Take any IPv4 or IPv6 block apart, split it into subnets and plan a VPC by AWS's rules.",
        capabilities: &[
            "Explain an address or block: mask, range, usable hosts and the five addresses AWS keeps in every subnet.",
            "Split a block into equal subnets, join siblings back and check a list of blocks for overlaps.",
            "Generate a VPC plan across availability zones and tiers, exportable as CSV, JSON and Terraform.",
        ],
    },
    About {
        id: "dynamodb",
        tagline: "Turn item sizes and request rates into read and write capacity units, then into dollars.",
        capabilities: &[
            "Measure the billable size of an item pasted as JSON, attribute by attribute.",
            "Work out the capacity each operation consumes, from GetItem to transactions.",
            "Compare on-demand and provisioned pricing for your workload and find the break-even point.",
        ],
    },
    About {
        id: "lambda",
        tagline: "Price a function from its memory, duration and traffic, with every charge itemized.",
        capabilities: &[
            "Cost requests and compute for x86 and Arm, with the free tier and volume tiers applied.",
            "See how cost moves with memory size and with the number of invocations.",
            "Compare today's 1 ms billing with the 100 ms rounding older course material describes.",
        ],
    },
    About {
        id: "drive-failure",
        tagline: "How likely is a disk to die today, and how much redundancy keeps data safe?",
        capabilities: &[
            "Convert an annualized failure rate into the chance of failure per day or hour, and compare it with dice.",
            "Model a fleet of drives: expected failures and the full distribution.",
            "Estimate the chance of losing data under mirroring, RAID and erasure coding.",
        ],
    },
    About {
        id: "vpc",
        tagline: "Build a VPC, then ask whether one resource can reach another and see which rule decides.",
        capabilities: &[
            "Create subnets, route tables, gateways, network ACLs and security groups with validated forms.",
            "Trace a packet hop by hop, return path included, and see the rule that allowed or dropped it.",
            "Draw the VPC as a diagram with the last traced path highlighted.",
        ],
    },
    About {
        id: "iam",
        tagline: "Would this request be allowed, and why? Every policy layer, every condition, the deciding statement.",
        capabilities: &[
            "Evaluate requests against identity, resource, boundary, session, SCP and RCP policies exactly as AWS documents the logic.",
            "See the deciding statement, what each layer said, and why every other statement did not apply.",
            "Check policies like IAM Access Analyzer, and start from the course's examples: S3 buckets, MFA, home folders, PassRole, boundaries and SCPs.",
        ],
    },
    About {
        id: "flow",
        tagline: "Watch messages move through S3, SNS, SQS and Lambda on a virtual clock, and see why each one was retried, throttled or sent to a dead-letter queue.",
        capabilities: &[
            "Run the course's serverless scenarios: a photo upload, SNS fan-out with filter policies, a poison message, async retries, partial batches, throttling and a recursive trigger.",
            "Play, pause, step and scrub the run; every line of the event log says why it happened and what caused it.",
            "Inject failures into functions and watch retries, dead-letter queues and destinations take over; export the diagram as SVG or Mermaid and the log as JSON.",
        ],
    },
    About {
        id: "console",
        tagline: "Type aws commands against a simulated account: launch an EC2 instance and read its metadata, upload to S3, send to SQS, invoke Lambda, write to DynamoDB, with every call checked by IAM.",
        capabilities: &[
            "Run the AWS CLI: EC2 instances and their lifecycle, key pairs, security groups, IAM roles, sts get-caller-identity and aws configure, with --query and json, text, table and yaml output as the CLI prints them.",
            "Connect to an instance and curl the instance metadata service: IMDSv2 tokens, the role's credentials, user data and the identity document.",
            "Drive the serverless services of the flow simulator with s3, s3api, sqs, sns, lambda and dynamodb, and watch what each call sets off: the function an upload invokes, the message a visibility timeout returns, the capacity an item consumes.",
            "See why: errors and exit codes as the CLI prints them, the credential chain, what survives a stop, and what each instance has cost per second.",
        ],
    },
    About {
        id: "sandboxes",
        tagline: "Save your work in the browser, export it, share it as a link or embed it in slides.",
        capabilities: &[
            "Keep named workspaces that hold the state of every tool, saved automatically in this browser.",
            "Export and import workspaces as files, or share one as a link that never touches a server.",
            "Embed a live tool in presentation slides.",
        ],
    },
];

/// The [`About`] of tool `id`.
pub fn about(id: &str) -> Option<&'static About> {
    ABOUT.iter().find(|a| a.id == id)
}

/// The module that serves the home page and unknown routes.
pub const SHELL: &str = "shell";

/// The module that carries a route's page: its tool's module, else the shell.
pub fn module_of(id: &str) -> &'static str {
    by_id(id).map(|t| t.module).unwrap_or(SHELL)
}

/// What a URL fragment's path (`/cidr`, `/embed/lambda`, `/`) routes to. A tool id is one
/// percent-decoded segment; a registry check comes later (an unknown id is a not-found page).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum RoutePath {
    Home,
    Tool(String),
    /// One tool without the app chrome (docs/embedding.md).
    Embed(String),
    NotFound,
}

/// Reads a fragment's path as the app's router does: one trailing `/` is ignored, `/` (or
/// nothing) is the home page, `/<id>` a tool, `/embed/<id>` an embedded tool, `/404` and
/// every other shape (more segments, an empty one, a broken `%` escape) not found.
pub fn route_of(path: &str) -> RoutePath {
    let path = path.strip_suffix('/').unwrap_or(path);
    if path.is_empty() {
        return RoutePath::Home;
    }
    let Some(rest) = path.strip_prefix('/') else {
        return RoutePath::NotFound;
    };
    let id = |seg: &str| {
        crate::core::urlcodec::decode_path(seg)
            .ok()
            .filter(|id| !id.is_empty())
    };
    match rest.split('/').collect::<Vec<_>>().as_slice() {
        ["404"] => RoutePath::NotFound,
        [seg] => id(seg).map_or(RoutePath::NotFound, RoutePath::Tool),
        ["embed", seg] => id(seg).map_or(RoutePath::NotFound, RoutePath::Embed),
        _ => RoutePath::NotFound,
    }
}

/// Looks a tool up by its id (the route segment).
pub fn by_id(id: &str) -> Option<&'static Tool> {
    TOOLS.iter().find(|tool| tool.id == id)
}

/// The tools of one category, in registry order.
pub fn in_category(category: Category) -> impl Iterator<Item = &'static Tool> {
    TOOLS.iter().filter(move |tool| tool.category == category)
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::*;
    use std::collections::HashSet;

    /// tests/e2e/shell.test.mjs reads this table too: index.html's `stratusModuleFor` must
    /// pick the module of each route (keep one `("path", route),` per line).
    #[test]
    fn fragment_paths_route_as_the_router_reads_them() {
        use RoutePath::*;
        let tool = |id: &str| Tool(id.to_string());
        for (path, route) in [
            ("", Home),
            ("/", Home),
            ("/cidr", tool("cidr")),
            ("/cidr/", tool("cidr")),
            ("/embed/lambda", Embed("lambda".into())),
            ("/embed/lambda/", Embed("lambda".into())),
            // One segment named `embed` is a tool id (an unknown one).
            ("/embed", tool("embed")),
            ("/no%20such", tool("no such")),
            ("/ci%64r", tool("cidr")),
            ("/embed/ci%64r", Embed("cidr".into())),
            ("/404", NotFound),
            ("/a/b", NotFound),
            ("/embed/a/b", NotFound),
            ("//cidr", NotFound),
            ("/embed/", tool("embed")),
            ("cidr", NotFound),
            ("/bad%zz", NotFound),
            ("/%FF", NotFound),
        ] {
            assert_eq!(route_of(path), route, "{path:?}");
        }
    }

    #[test]
    fn ids_are_unique_route_safe_and_not_reserved() {
        let mut seen = HashSet::new();
        for tool in TOOLS {
            assert!(seen.insert(tool.id), "duplicate id {}", tool.id);
            assert!(!tool.id.is_empty());
            assert!(
                tool.id.chars().all(|c| c.is_ascii_lowercase() || c == '-'),
                "id {:?} must be lowercase letters and dashes",
                tool.id
            );
            assert!(!tool.id.starts_with('-') && !tool.id.ends_with('-'));
            // Routes the shell uses for itself.
            assert_ne!(tool.id, "404");
        }
    }

    /// Holds a tool's `SHAPE` to its state type: every sample passes its shape, every field
    /// a sample writes is in the shape, every field of the shape is written by some sample,
    /// and a value of another kind in any field is refused by both the shape and the type.
    fn shape_agrees<T>(tool: &str, samples: &[T])
    where
        T: serde::Serialize + serde::de::DeserializeOwned,
    {
        use crate::core::share::{check_shape, Kind};
        let slot = TOOLS.iter().find(|t| t.id == tool).unwrap().state.unwrap();
        let shape = slot.shape;
        let mut seen = std::collections::BTreeSet::new();
        for sample in samples {
            let v = serde_json::to_value(sample).unwrap();
            check_shape(&v, shape, slot.closed).unwrap_or_else(|e| panic!("{tool}: {e}"));
            for key in v.as_object().unwrap().keys() {
                assert!(
                    shape.iter().any(|(f, _)| f == key),
                    "{tool}: `{key}` is not in its SHAPE"
                );
                seen.insert(key.clone());
            }
        }
        let base = serde_json::to_value(&samples[0]).unwrap();
        for (field, kind) in shape {
            assert!(seen.contains(*field), "{tool}: no sample writes `{field}`");
            let wrong = match kind {
                Kind::Text => serde_json::json!(5),
                _ => serde_json::json!("x"),
            };
            let mut doc = base.clone();
            doc[*field] = wrong;
            assert!(check_shape(&doc, shape, false).is_err(), "{tool}.{field}");
            assert!(
                serde_json::from_value::<T>(doc).is_err(),
                "{tool}.{field}: the type reads a {kind:?} field's wrong kind"
            );
            if *kind == Kind::ObjectOrNull {
                let mut doc = base.clone();
                doc[*field] = serde_json::Value::Null;
                assert!(
                    serde_json::from_value::<T>(doc).is_ok(),
                    "{tool}.{field}: null"
                );
            }
        }
    }

    #[test]
    fn every_saved_state_shape_agrees_with_its_type() {
        use crate::core::*;
        shape_agrees("cidr", &[cidr::share::CidrState::default()]);
        shape_agrees("dynamodb", &[dynamodb::state::DynamoState::default()]);
        shape_agrees("lambda", &[lambda::state::LambdaState::default()]);
        shape_agrees("drive-failure", &[durability::state::DriveState::default()]);
        let mut edited = views::vpc::state::VpcState::for_template("web");
        edited.network = Some(edited.network());
        shape_agrees("vpc", &[views::vpc::state::VpcState::default(), edited]);
        let iam: Vec<_> = iam::scenarios::SCENARIOS
            .iter()
            .map(|s| s.state())
            .collect();
        shape_agrees("iam", &iam);
        let mut flow = views::flow::state::FlowState::default();
        flow.scenario = Some(flow.scenario());
        let saved = flow.saved();
        shape_agrees("flow", &[flow, saved]);
        let console = views::console::ConsoleState {
            network: Some(crate::core::services::ec2::network::templates::single_web_server()),
            lines: vec!["aws s3 ls".into()],
            ..Default::default()
        };
        let mut shared = console.clone();
        shared.replaced.push(views::console::Replaced {
            at: 1,
            network: Some(crate::core::services::ec2::network::templates::single_web_server()),
            resources: Some(views::flow::templates::scenario("dlq").definitions()),
        });
        shared.account = shared.network.clone();
        shared.definitions = Some(views::flow::templates::scenario("dlq").definitions());
        shared.resources = shared.definitions.clone();
        shared.shared = "0123456789abcdef".into();
        shape_agrees("console", &[console, shared]);
    }

    #[test]
    fn the_loader_in_index_html_maps_routes_to_the_same_modules() {
        // index.html picks the module to load from the route before any wasm runs; its
        // table must agree with the registry or a route would load the wrong module and
        // reload forever.
        let html = include_str!("../../index.html");
        let start = html
            .find("var ROUTES = {")
            .expect("the loader's route table");
        let table = &html[start..start + html[start..].find('}').unwrap()];
        for tool in TOOLS.iter().filter(|t| t.module != SHELL) {
            assert!(
                table.contains(&format!("\"{}\": \"{}\"", tool.id, tool.module)),
                "index.html's ROUTES lacks \"{}\": \"{}\"",
                tool.id,
                tool.module
            );
        }
        let entries = table.matches(':').count();
        assert_eq!(entries, TOOLS.iter().filter(|t| t.module != SHELL).count());
        // Every module is a binary of its own.
        let cargo = include_str!("../../Cargo.toml");
        for m in TOOLS.iter().map(|t| t.module).filter(|m| *m != SHELL) {
            assert!(cargo.contains(&format!("name = \"stratus-{m}\"")), "{m}");
        }
    }

    #[test]
    fn the_issue_lists_every_planned_tool() {
        for id in [
            "cidr",
            "dynamodb",
            "lambda",
            "drive-failure",
            "vpc",
            "iam",
            "flow",
            "console",
            "sandboxes",
        ] {
            assert!(by_id(id).is_some(), "missing tool {id}");
        }
        assert_eq!(TOOLS.len(), 9);
    }

    #[test]
    fn texts_are_filled_in_and_sentences_end_properly() {
        for tool in TOOLS {
            assert!(!tool.title.is_empty() && !tool.nav_label.is_empty());
            assert!(tool.nav_label.len() <= 16, "{} nav label too long", tool.id);
        }
        // One About per tool, in the registry's order.
        assert_eq!(
            ABOUT.iter().map(|a| a.id).collect::<Vec<_>>(),
            TOOLS.iter().map(|t| t.id).collect::<Vec<_>>()
        );
        for a in ABOUT {
            assert!(a.tagline.ends_with('.') || a.tagline.ends_with('?'));
            assert!(!a.capabilities.is_empty());
            for line in a.capabilities {
                assert!(line.ends_with('.'), "{}: {line}", a.id);
            }
        }
    }

    #[test]
    fn coming_soon_tools_belong_to_the_shell() {
        // The shell's module draws coming-soon pages (app::modules), so such a tool's route
        // must load it.
        for tool in TOOLS.iter().filter(|t| t.status == Status::ComingSoon) {
            assert_eq!(tool.module, SHELL, "{}", tool.id);
        }
    }

    #[test]
    fn every_category_has_a_tool_and_grouping_keeps_all_tools() {
        let grouped: usize = Category::ALL.iter().map(|c| in_category(*c).count()).sum();
        assert_eq!(grouped, TOOLS.len());
        for category in Category::ALL {
            assert!(
                in_category(category).next().is_some(),
                "{category:?} is empty"
            );
        }
    }

    #[test]
    fn lookup_is_exact() {
        assert_eq!(
            by_id("vpc").map(|t| t.title),
            Some("VPC builder and reachability")
        );
        assert!(by_id("VPC").is_none());
        assert!(by_id("").is_none());
        assert!(by_id("nope").is_none());
    }
}
