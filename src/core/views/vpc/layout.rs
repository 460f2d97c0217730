//! The VPC diagram: an SVG laid out from the model. Region, VPCs stacked, one column per
//! Availability Zone, subnets (public ones first) holding their instances and NAT gateways
//! in a grid, gateways on the VPC's top border, endpoints on its bottom border, peering
//! connections in the margin. The last analyzed path is highlighted hop by hop, each
//! highlighted shape carrying the deciding rule as its tooltip. Every user-supplied text is
//! escaped. Shapes carry `data-id` so the page can open the resource on click.

use crate::core::services::ec2::network::model::*;
use crate::core::services::ec2::network::reach::Verdict;
use std::collections::BTreeMap;
use std::fmt::Write;

const PAD: f64 = 16.0;
const SUBNET_W: f64 = 280.0;
const ITEM_W: f64 = 124.0;
const ITEM_H: f64 = 40.0;
const PER_ROW: usize = 2;
const HEAD: f64 = 52.0;
const GATE_H: f64 = 34.0;

/// Escapes text for SVG content and attributes.
pub fn esc(s: &str) -> String {
    let mut o = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => o.push_str("&amp;"),
            '<' => o.push_str("&lt;"),
            '>' => o.push_str("&gt;"),
            '"' => o.push_str("&quot;"),
            '\'' => o.push_str("&#39;"),
            _ => o.push(c),
        }
    }
    o
}

pub struct Diagram {
    pub svg: String,
    pub width: f64,
    pub height: f64,
}

use crate::core::services::ec2::network::query::is_public;

fn rect(
    o: &mut String,
    id: &str,
    class: &str,
    (x, y, w, h): (f64, f64, f64, f64),
    hl: &BTreeMap<String, String>,
) {
    let on = hl.get(id);
    // Every shape is a focusable button: Tab reaches it, Enter or Space opens it (the page
    // listens), and screen readers hear its kind and id.
    let kind = class.split(' ').next().unwrap_or("resource");
    let _ = write!(
        o,
        r#"<g data-id="{}" class="{}{}" tabindex="0" role="button" aria-label="{} {}"><rect x="{x:.0}" y="{y:.0}" width="{w:.0}" height="{h:.0}" rx="6"/>"#,
        esc(id),
        class,
        if on.is_some() { " hl" } else { "" },
        kind,
        esc(id)
    );
    if let Some(rule) = on {
        let _ = write!(o, "<title>{}</title>", esc(rule));
    }
}

fn text(o: &mut String, x: f64, y: f64, class: &str, s: &str) {
    let _ = write!(
        o,
        r#"<text x="{x:.0}" y="{y:.0}" class="{class}">{}</text>"#,
        esc(s)
    );
}

/// Each component on the traced path (both ways) → the rules that decided there.
fn highlights(verdict: Option<&Verdict>) -> BTreeMap<String, String> {
    let mut hl: BTreeMap<String, String> = BTreeMap::new();
    if let Some(v) = verdict {
        for h in v.forward.iter().chain(&v.back) {
            let e = hl.entry(h.component.clone()).or_default();
            if !e.is_empty() {
                e.push('\n');
            }
            let _ = write!(
                e,
                "{}: {} — {}",
                h.step,
                if h.ok { "passes" } else { "blocked" },
                h.rule
            );
        }
    }
    hl
}

/// One subnet's box (its name, public or private, route table, default routes, IPv6 block)
/// with its NAT gateways, instances and interfaces inside; returns its height.
fn subnet_box(
    col: &mut String,
    n: &Network,
    s: &Subnet,
    x: f64,
    cy: f64,
    hl: &BTreeMap<String, String>,
) -> f64 {
    // (id, label, address line, class)
    let items: Vec<(&str, String, String, &str)> = n
        .nats
        .iter()
        .filter(|g| g.subnet == s.id)
        .map(|g| {
            let eip = g.eip.map(|a| format!("EIP {}", ip_text(a)));
            (
                g.id.as_str(),
                format!("NAT {}", g.id),
                eip.unwrap_or_default(),
                "nat",
            )
        })
        .chain(n.instances.iter().filter(|i| i.subnet == s.id).map(|i| {
            let public = n.eip_of(&i.id).map(|e| e.address).or(i.public_ip);
            let addr = match public {
                Some(p) => format!("{} · {}", ip_text(i.private_ip), ip_text(p)),
                None => ip_text(i.private_ip),
            };
            (i.id.as_str(), i.name.clone(), addr, "instance")
        }))
        .chain(n.enis.iter().filter(|e| e.subnet == s.id).map(|e| {
            let owner = e.instance.as_deref().unwrap_or("detached");
            (
                e.id.as_str(),
                format!("ENI {}", e.id),
                format!("{} → {owner}", ip_text(e.private_ip)),
                "eni",
            )
        }))
        .collect();
    let rows = items.len().div_ceil(PER_ROW).max(1);
    let public = is_public(n, &s.id);
    // Under the name: public/private and the table, each default route, and the
    // IPv6 block, one line each so nothing runs past the subnet's edge.
    let table = n.route_table_of(&s.id);
    let mut lines = vec![format!(
        "{} · {}",
        if public { "public" } else { "private" },
        table.map(|t| t.id.as_str()).unwrap_or("no route table")
    )];
    let defaults: Vec<String> = table
        .map(|t| {
            t.routes
                .iter()
                .filter(|r| r.dest.net().prefix == 0)
                .map(|r| format!("{} → {}", r.dest.net(), r.target.id()))
                .collect()
        })
        .unwrap_or_default();
    if defaults.is_empty() {
        lines.push("local routes only".into());
    }
    lines.extend(defaults);
    if let Some(b) = s.ipv6 {
        lines.push(format!("IPv6 {b}"));
    }
    let head = HEAD - 14.0 + lines.len() as f64 * 14.0;
    let h = head + rows as f64 * (ITEM_H + 8.0) + 8.0;
    rect(
        col,
        &s.id,
        if public {
            "subnet public"
        } else {
            "subnet private"
        },
        (x, cy, SUBNET_W, h),
        hl,
    );
    text(
        col,
        x + 10.0,
        cy + 18.0,
        "name",
        &format!("{} · {}", s.name, s.cidr),
    );
    for (k, line) in lines.iter().enumerate() {
        let line: String = line.chars().take(44).collect();
        text(col, x + 10.0, cy + 34.0 + k as f64 * 14.0, "small", &line);
    }
    col.push_str("</g>");
    for (k, (id, label, addr, class)) in items.iter().enumerate() {
        let ix = x + 10.0 + (k % PER_ROW) as f64 * (ITEM_W + 12.0);
        let iy = cy + head + (k / PER_ROW) as f64 * (ITEM_H + 8.0);
        rect(col, id, class, (ix, iy, ITEM_W, ITEM_H), hl);
        let short: String = label.chars().take(16).collect();
        text(col, ix + 8.0, iy + 17.0, "name", &short);
        let addr: String = addr.chars().take(22).collect();
        text(col, ix + 8.0, iy + 32.0, "small", &addr);
        col.push_str("</g>");
    }
    h
}

/// One VPC drawn from `y` down: its box and title, its AZ columns of subnets, the
/// gateways on its top border and its endpoints on the bottom one; returns its width and
/// height.
fn draw_vpc(
    o: &mut String,
    n: &Network,
    v: &Vpc,
    left: f64,
    y: f64,
    hl: &BTreeMap<String, String>,
) -> (f64, f64) {
    let subnets: Vec<&Subnet> = n.subnets.iter().filter(|s| s.vpc == v.id).collect();
    let mut azs: Vec<&str> = subnets.iter().map(|s| s.az.as_str()).collect();
    azs.sort();
    azs.dedup();
    if azs.is_empty() {
        azs.push(n.azs.first().map(|s| s.as_str()).unwrap_or("AZ"));
    }
    // Column contents and heights.
    let mut columns: Vec<(f64, String)> = vec![];
    let top = y + GATE_H + 24.0;
    for (ci, az) in azs.iter().enumerate() {
        let x = left + PAD + ci as f64 * (SUBNET_W + PAD);
        let mut cy = top + 24.0;
        let mut col = String::new();
        text(&mut col, x, top + 14.0, "az", az);
        let mut list: Vec<&&Subnet> = subnets.iter().filter(|s| s.az == *az).collect();
        list.sort_by_key(|s| (!is_public(n, &s.id), s.cidr));
        for s in list {
            cy += subnet_box(&mut col, n, s, x, cy, hl) + 12.0;
        }
        columns.push((cy, col));
    }
    let bottom = columns.iter().map(|c| c.0).fold(top + 60.0, f64::max);
    let endpoints: Vec<&Endpoint> = n.endpoints.iter().filter(|e| e.vpc == v.id).collect();
    let vpc_h = bottom - y
        + if endpoints.is_empty() {
            8.0
        } else {
            GATE_H + 8.0
        };
    let title = format!(
        "{} · {}",
        v.name,
        v.cidrs
            .iter()
            .chain(&v.ipv6)
            .map(|c| c.to_string())
            .collect::<Vec<_>>()
            .join(", ")
    );
    let gate_count = [&n.igws, &n.vgws, &n.eigws]
        .iter()
        .flat_map(|l| l.iter())
        .filter(|g| crate::core::services::ec2::network::query::attached(g, &v.id))
        .count();
    // Wide enough for its AZ columns, and for its title beside the gateways on its top
    // border (about 8.5 px per character of the bold title).
    let vpc_w = (azs.len() as f64 * (SUBNET_W + PAD) + PAD)
        .max(title.chars().count() as f64 * 8.5 + 36.0 + gate_count as f64 * 170.0);
    rect(o, &v.id, "vpc", (left, y + GATE_H / 2.0, vpc_w, vpc_h), hl);
    text(o, left + 12.0, y + GATE_H / 2.0 + 20.0, "title", &title);
    o.push_str("</g>");
    for (_, c) in &columns {
        o.push_str(c);
    }
    // Gateways on the top border.
    let gates: Vec<(&str, &str, &str)> = n
        .igws
        .iter()
        .filter(|g| crate::core::services::ec2::network::query::attached(g, &v.id))
        .map(|g| (g.id.as_str(), "IGW", "igw"))
        .chain(
            n.vgws
                .iter()
                .filter(|g| crate::core::services::ec2::network::query::attached(g, &v.id))
                .map(|g| (g.id.as_str(), "VGW", "vgw")),
        )
        .chain(
            n.eigws
                .iter()
                .filter(|g| crate::core::services::ec2::network::query::attached(g, &v.id))
                .map(|g| (g.id.as_str(), "EIGW", "igw")),
        )
        .collect();
    for (k, (id, label, class)) in gates.iter().enumerate() {
        let gx = left + vpc_w - (k as f64 + 1.0) * 170.0;
        rect(o, id, class, (gx, y, 156.0, GATE_H), hl);
        text(o, gx + 8.0, y + 21.0, "name", &format!("{label} {id}"));
        o.push_str("</g>");
    }
    for (k, e) in endpoints.iter().enumerate() {
        let ex = left + PAD + k as f64 * 190.0;
        let ey = y + GATE_H / 2.0 + vpc_h - GATE_H / 2.0;
        rect(o, &e.id, "endpoint", (ex, ey, 176.0, GATE_H), hl);
        let kind = if matches!(e.kind, EndpointKind::Gateway { .. }) {
            "gateway"
        } else {
            "interface"
        };
        text(
            o,
            ex + 8.0,
            ey + 21.0,
            "name",
            &format!("{} endpoint ({kind})", e.service.name()),
        );
        o.push_str("</g>");
    }
    (vpc_w, vpc_h)
}

/// Lays out and draws the network, highlighting `path` (component id → deciding rule).
pub fn draw(n: &Network, verdict: Option<&Verdict>) -> Diagram {
    let hl = highlights(verdict);
    let mut body = String::new();
    let mut y = PAD + 28.0;
    let mut width: f64 = 480.0;
    let mut vpc_pos: BTreeMap<&str, (f64, f64)> = BTreeMap::new();
    let left = PAD + 36.0;
    for v in &n.vpcs {
        let (vpc_w, vpc_h) = draw_vpc(&mut body, n, v, left, y, &hl);
        width = width.max(left + vpc_w + PAD);
        vpc_pos.insert(v.id.as_str(), (y + GATE_H / 2.0, y + GATE_H / 2.0 + vpc_h));
        y += vpc_h + GATE_H + 36.0;
    }
    // Peering connections in the left margin.
    for (k, pc) in n.peerings.iter().enumerate() {
        if let (Some(a), Some(b)) = (
            vpc_pos.get(pc.requester.as_str()),
            vpc_pos.get(pc.accepter.as_str()),
        ) {
            let x = PAD + 8.0 + (k % 3) as f64 * 10.0;
            let (y1, y2) = ((a.0 + a.1) / 2.0, (b.0 + b.1) / 2.0);
            let on = hl.get(&pc.id);
            let _ = write!(
                body,
                r#"<g data-id="{}" class="peering{}{}"><path d="M{left:.0},{y1:.0} H{x:.0} V{y2:.0} H{left:.0}"/>"#,
                esc(&pc.id),
                if on.is_some() { " hl" } else { "" },
                if pc.active { "" } else { " inactive" }
            );
            if let Some(r) = on {
                let _ = write!(body, "<title>{}</title>", esc(r));
            }
            body.push_str("</g>");
        }
    }
    // Elastic IPs along the bottom of the region: associated ones name their interface.
    if !n.eips.is_empty() {
        text(&mut body, left, y + 4.0, "az", "Elastic IPs");
        for (k, e) in n.eips.iter().enumerate() {
            let ex = left + (k % 4) as f64 * 190.0;
            let ey = y + 14.0 + (k / 4) as f64 * (GATE_H + 8.0);
            rect(&mut body, &e.id, "eip", (ex, ey, 176.0, GATE_H), &hl);
            let to = e.target.as_deref().unwrap_or("not associated");
            text(
                &mut body,
                ex + 8.0,
                ey + 21.0,
                "name",
                &format!("{} → {to}", ip_text(e.address)),
            );
            body.push_str("</g>");
            width = width.max(ex + 176.0 + PAD);
        }
        y += 14.0 + n.eips.len().div_ceil(4) as f64 * (GATE_H + 8.0) + 12.0;
    }
    let height = y;
    let mut svg = String::new();
    let _ = write!(
        svg,
        r#"<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width:.0} {height:.0}" width="{width:.0}" height="{height:.0}" class="vpc-diagram" role="group" aria-label="VPC diagram">"#
    );
    svg.push_str(STYLE);
    let _ = write!(
        svg,
        r#"<rect class="region" x="4" y="4" width="{:.0}" height="{:.0}" rx="10"/>"#,
        width - 8.0,
        height - 8.0
    );
    text(
        &mut svg,
        PAD,
        PAD + 12.0,
        "title",
        &format!("Region {}", n.region),
    );
    svg.push_str(&body);
    svg.push_str("</svg>");
    Diagram { svg, width, height }
}

/// Colours with CSS variables (the page themes them) and light fallbacks (exported files).
const STYLE: &str = "<style>\
.vpc-diagram text{font:13px system-ui,sans-serif;fill:var(--text,#111827)}\
.vpc-diagram .title{font-weight:700;font-size:15px}.vpc-diagram .small{font-size:11px;fill:var(--muted,#4a5568)}\
.vpc-diagram .az{font-size:12px;font-weight:600;fill:var(--muted,#4a5568)}\
.vpc-diagram rect{stroke-width:1.5}\
.vpc-diagram .region{fill:none;stroke:var(--border,#cbd5e1);stroke-dasharray:6 4}\
.vpc-diagram .vpc rect{fill:var(--surface,#fff);stroke:#7c3aed}\
.vpc-diagram .subnet.public rect{fill:rgba(34,197,94,.10);stroke:#16a34a}\
.vpc-diagram .subnet.private rect{fill:rgba(59,130,246,.10);stroke:#2563eb}\
.vpc-diagram .instance rect{fill:var(--surface-2,#eef1f7);stroke:#ea8a0c}\
.vpc-diagram .eni rect{fill:var(--surface-2,#eef1f7);stroke:#ea8a0c;stroke-dasharray:5 3}\
.vpc-diagram .eip rect{fill:var(--surface-2,#eef1f7);stroke:#16a34a}\
.vpc-diagram [data-id]:focus{outline:none}.vpc-diagram [data-id]:focus>rect{stroke:var(--focus,#2563eb);stroke-width:4}\
.vpc-diagram .nat rect,.vpc-diagram .igw rect,.vpc-diagram .vgw rect,.vpc-diagram .endpoint rect{fill:var(--surface-2,#eef1f7);stroke:#7c3aed}\
.vpc-diagram .peering path{fill:none;stroke:#7c3aed;stroke-width:2}.vpc-diagram .peering.inactive path{stroke-dasharray:4 4}\
.vpc-diagram .hl rect,.vpc-diagram .hl path{stroke:#dc2626;stroke-width:4}\
.vpc-diagram [data-id]{cursor:pointer}\
</style>";

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::*;
    use crate::core::services::ec2::network::reach::{analyze, End, Query};
    use crate::core::services::ec2::network::templates;

    #[test]
    fn draws_every_resource_and_highlights_the_path() {
        let n = templates::three_tier();
        let v = analyze(
            &n,
            &Query::new(
                End::Internet,
                End::Instance("i-web".into()),
                Proto::Tcp,
                443,
            ),
        );
        let d = draw(&n, Some(&v));
        for id in [
            "vpc-main",
            "subnet-web-a",
            "subnet-db-b",
            "i-web",
            "i-app",
            "i-db",
            "igw-main",
            "nat-a",
            "vpce-s3",
        ] {
            assert!(d.svg.contains(&format!("data-id=\"{id}\"")), "{id}");
        }
        assert!(d.svg.contains(r#"<g data-id="i-web" class="instance hl" tabindex="0" role="button" aria-label="instance i-web">"#));
        assert!(d.svg.contains("<title>Security group ingress: passes"));
        assert!(!d.svg.contains(r#"data-id="i-db" class="instance hl""#));
    }

    #[test]
    fn interfaces_elastic_ips_and_ipv6_blocks_are_drawn() {
        let n = templates::dual_stack();
        let d = draw(&n, None);
        for id in ["eni-web-b", "eipalloc-web", "eigw-main"] {
            assert!(d.svg.contains(&format!("data-id=\"{id}\"")), "{id}");
        }
        assert!(d.svg.contains("192.0.2.20 → i-web"));
        assert!(d.svg.contains("IPv6 2600:1f18:6b4:a01::/64"));
        assert!(d.svg.contains("::/0 → eigw-main"));
        assert!(d.svg.contains("10.0.1.10 · 192.0.2.20"));
    }

    #[test]
    fn user_text_is_escaped() {
        let mut n = templates::single_web_server();
        n.instances[0].name = "<script>alert(1)</script>".into();
        n.vpcs[0].name = "a & \"b\"".into();
        let d = draw(&n, None);
        assert!(!d.svg.contains("<script>"));
        assert!(d.svg.contains("&lt;script&gt;") && d.svg.contains("a &amp; &quot;b&quot;"));
    }

    #[test]
    fn stays_readable_at_scale() {
        let n = templates::large(200, 10, 5);
        let d = draw(&n, None);
        // 20 subnets in two AZ columns; 200 instances two per row.
        assert!(
            d.width < 1000.0 && d.height < 20_000.0,
            "{} × {}",
            d.width,
            d.height
        );
        assert_eq!(d.svg.matches("class=\"instance").count(), 200);
    }
}
