//! A first hour with Stratus: the course's path through the tools (seed 000, weeks 1–5:
//! subnet a VPC, build it, break and fix its reachability, decide who may change it, price
//! the app), each step a link that opens its tool on the example. The home page lists them.
//! Links are constants so the shell does not link every tool's state code; a test reads
//! each with its tool's parser and checks the answer it is meant to show.

/// One step of the path.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Step {
    pub title: &'static str,
    /// What the student does there, one sentence.
    pub text: &'static str,
    /// The tool's registry id.
    pub tool: &'static str,
    /// The tool's state as a link query ("" for its defaults).
    pub query: &'static str,
}

impl Step {
    /// The step's link: `#/<tool>?<query>`.
    pub fn href(&self) -> String {
        if self.query.is_empty() {
            format!("#/{}", self.tool)
        } else {
            format!("#/{}?{}", self.tool, self.query)
        }
    }
}

/// The path, in order.
pub const FIRST_HOUR: &[Step] = &[
    Step {
        title: "Subnet a VPC",
        text: "Split 10.0.0.0/16 into public and private subnets across Availability Zones, and see the five addresses AWS keeps in each.",
        tool: "cidr",
        query: "v=1&s=%7B%22tab%22:%22plan%22%7D",
    },
    Step {
        title: "Build it",
        text: "Open public and private subnets with a NAT gateway and ask whether the internet reaches the web server, hop by hop.",
        tool: "vpc",
        query: "v=1&s=%7B%22check%22:%22i-web-a%22,%22template%22:%22nat%22,%22to%22:%22i-web-a%22%7D",
    },
    Step {
        title: "Break and fix reachability",
        text: "SSH to the web server is refused: find the rule that stops it, add the one that lets it through, then undo.",
        tool: "vpc",
        query: "v=1&s=%7B%22port%22:%2222%22%7D",
    },
    Step {
        title: "Decide who may do it",
        text: "Evaluate requests against identity policies, boundaries and SCPs, and see which statement decides.",
        tool: "iam",
        query: "",
    },
    Step {
        title: "Price the app",
        text: "Cost the function that serves it and the table behind it, with every charge itemized.",
        tool: "lambda",
        query: "",
    },
];

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::*;
    use crate::core::services::ec2::network::reach::{analyze, Code};
    use crate::core::views::vpc::state::{from_query, VpcState};

    #[test]
    fn every_step_opens_its_example() {
        for s in FIRST_HOUR {
            let tool = crate::core::tools::by_id(s.tool).unwrap();
            assert_eq!(
                tool.status,
                crate::core::tools::Status::Available,
                "{}",
                s.title
            );
        }
        let cidr = crate::core::cidr::share::from_query(FIRST_HOUR[0].query).unwrap();
        assert_eq!(cidr.tab, crate::core::cidr::share::Tab::Plan);
        // Build it: the template as it opens, and the internet reaches the web server.
        let build = from_query(FIRST_HOUR[1].query).unwrap();
        assert_eq!(build, VpcState::for_template("nat"));
        let net = build.network();
        assert!(analyze(&net, &build.query(&net).unwrap()).reachable);
        // Break and fix: SSH is refused by the web server's security group.
        let ssh = from_query(FIRST_HOUR[2].query).unwrap();
        let net = ssh.network();
        let v = analyze(&net, &ssh.query(&net).unwrap());
        assert!(!v.reachable);
        assert!(
            v.codes.iter().any(|(c, _)| *c == Code::SgIngressNoRule),
            "{:?}",
            v.codes
        );
        assert_eq!(
            FIRST_HOUR[1].href(),
            format!("#/vpc?{}", FIRST_HOUR[1].query)
        );
        assert_eq!(FIRST_HOUR[3].href(), "#/iam");
    }
}
