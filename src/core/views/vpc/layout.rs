//! The VPC diagram: an SVG laid out from the model. The internet above the Region; in it,
//! VPCs stacked, one column per Availability Zone, subnets (public ones first) holding
//! their instances and NAT gateways in a grid, gateways on the VPC's top border, endpoints
//! on its bottom border, peering connections in the margin.
//!
//! The analyzed question is drawn as where traffic goes and where it stops: a numbered
//! badge per hop of the request (on the top edge of the shape where it happens: a security
//! group on its instance, a network ACL or route table on its subnet, a gateway on itself),
//! arrows between them in order from the source to the destination, the reply's badges and
//! dashed arrows on the bottom edges, and the deciding component of a failure outlined and
//! badged as blocked. Badges and shapes carry the deciding rule as their tooltip; a legend
//! names the colours (path, reply, blocked, selection, keyboard focus each their own).
//!
//! Every user-supplied text is escaped and fitted to its box (cut with "…", the whole
//! text kept as a tooltip), so no label runs past its shape in the page or the exported
//! SVG and PNG. Shapes carry `data-id` so the page can open the resource on click.

use crate::core::format::xml_escape as esc;
use crate::core::services::ec2::network::model::*;
use crate::core::services::ec2::network::query::{attached, is_public};
use crate::core::services::ec2::network::reach::{End, Hop, Query, Verdict};
use std::collections::BTreeMap;
use std::fmt::Write;

const PAD: f64 = 16.0;
const SUBNET_W: f64 = 300.0;
const ITEM_W: f64 = 134.0;
const ITEM_H: f64 = 52.0;
const PER_ROW: usize = 2;
const HEAD: f64 = 52.0;
const GATE_H: f64 = 34.0;
/// The band above the Region that holds the internet.
const SKY: f64 = 64.0;
const INTERNET_W: f64 = 190.0;
const BADGE_H: f64 = 18.0;
const LEGEND_H: f64 = 30.0;

/// A character's advance in ems, on the generous side of common sans-serif faces
/// (system-ui, Arial, Roboto), so an estimate never falls short of the drawn width.
fn char_em(c: char) -> f64 {
    match c {
        'i' | 'j' | 'l' | '.' | ',' | ':' | ';' | '\'' | '|' | '!' | 'I' | ' ' => 0.32,
        'f' | 't' | 'r' | '(' | ')' | '[' | ']' | '-' | '/' | '·' => 0.42,
        'm' | 'w' | 'M' | 'W' | '@' | '%' | '—' => 0.98,
        'A'..='Z' => 0.74,
        // DejaVu Sans (Linux's usual system-ui) has digits of 0.64 em.
        '0'..='9' => 0.64,
        'a'..='z' => 0.6,
        c if c.is_ascii() => 0.62,
        // Other scripts, symbols and emoji: a full em.
        _ => 1.0,
    }
}

/// The estimated width of `s` in px at `font_px` (bold adds about 6%).
pub fn text_px(s: &str, font_px: f64, bold: bool) -> f64 {
    let w: f64 = s.chars().map(char_em).sum::<f64>() * font_px;
    if bold {
        w * 1.06
    } else {
        w
    }
}

/// `s` cut to fit `max_px` at `font_px`, ending with "…" when cut.
pub fn fit(s: &str, max_px: f64, font_px: f64, bold: bool) -> String {
    if text_px(s, font_px, bold) <= max_px {
        return s.to_string();
    }
    let budget = max_px - text_px("…", font_px, bold);
    let mut out = String::new();
    let mut used = 0.0;
    for c in s.chars() {
        let w = char_em(c) * font_px * if bold { 1.06 } else { 1.0 };
        if used + w > budget {
            break;
        }
        used += w;
        out.push(c);
    }
    out.push('…');
    out
}

pub struct Diagram {
    pub svg: String,
    pub width: f64,
    pub height: f64,
}

/// The analyzed question and its answer, drawn as the path.
#[derive(Clone, Copy)]
pub struct Path<'a> {
    pub query: &'a Query,
    pub verdict: &'a Verdict,
}

type Rect = (f64, f64, f64, f64);

/// What drawing shares: the rules to show per component, the shapes' boxes (for the
/// path), and the selected resource.
struct Canvas<'a> {
    /// Component id → the hops that decided there (tooltip) and whether one blocked.
    hl: BTreeMap<String, (String, bool)>,
    boxes: BTreeMap<String, Rect>,
    selected: &'a str,
}

impl Canvas<'_> {
    /// Opens a shape's group with its rectangle: a focusable button (Tab reaches it, Enter
    /// or Space opens it, the page listens) that screen readers hear as its kind and id.
    fn rect(&mut self, o: &mut String, id: &str, class: &str, r: Rect) {
        let (x, y, w, h) = r;
        self.boxes.insert(id.to_string(), r);
        let on = self.hl.get(id);
        let kind = class.split(' ').next().unwrap_or("resource");
        let state = match on {
            Some((_, true)) => " blocked",
            Some((_, false)) => " on-path",
            None => "",
        };
        let selected = if id == self.selected { " selected" } else { "" };
        let _ = write!(
            o,
            r#"<g data-id="{}" class="{class}{state}{selected}" tabindex="0" role="button" aria-label="{kind} {}"><rect x="{x:.0}" y="{y:.0}" width="{w:.0}" height="{h:.0}" rx="6"/>"#,
            esc(id),
            esc(id),
        );
        if let Some((rules, _)) = on {
            let _ = write!(o, "<title>{}</title>", esc(rules));
        }
    }
}

/// A label fitted to `max_px`; the whole text stays as a tooltip when it is cut.
fn text(o: &mut String, x: f64, y: f64, class: &str, s: &str, max_px: f64) {
    let (font, bold) = match class {
        "title" => (15.0, true),
        "small" => (11.0, false),
        "az" => (12.0, true),
        _ => (13.0, false),
    };
    let shown = fit(s, max_px, font, bold);
    let _ = write!(
        o,
        r#"<text x="{x:.0}" y="{y:.0}" class="{class}">{}"#,
        esc(&shown)
    );
    if shown != s {
        let _ = write!(o, "<title>{}</title>", esc(s));
    }
    o.push_str("</text>");
}

/// Each component on the traced path (both ways) → the rules that decided there, and
/// whether it blocked.
fn highlights(verdict: Option<&Verdict>) -> BTreeMap<String, (String, bool)> {
    let mut hl: BTreeMap<String, (String, bool)> = BTreeMap::new();
    if let Some(v) = verdict {
        for h in v.forward.iter().chain(&v.back) {
            for id in [&h.component, &h.at] {
                let e = hl.entry(id.clone()).or_default();
                if !e.0.is_empty() {
                    e.0.push('\n');
                }
                let _ = write!(
                    e.0,
                    "{}: {} — {}",
                    h.step,
                    if h.ok { "passes" } else { "blocked" },
                    h.rule
                );
                e.1 |= !h.ok;
                if h.at == h.component {
                    break;
                }
            }
        }
    }
    hl
}

/// One subnet's box (its name, public or private, route table, default routes, IPv6 block)
/// with its NAT gateways, instances and interfaces inside; returns its height.
fn subnet_box(col: &mut String, c: &mut Canvas, n: &Network, s: &Subnet, x: f64, cy: f64) -> f64 {
    // (id, label, address lines, class)
    let items: Vec<(&str, String, Vec<String>, &str)> = n
        .nats
        .iter()
        .filter(|g| g.subnet == s.id)
        .map(|g| {
            let eip = g.eip.map(|a| format!("EIP {}", ip_text(a)));
            (
                g.id.as_str(),
                format!("NAT {}", g.id),
                vec![ip_text(g.private_ip), eip.unwrap_or_default()],
                "nat",
            )
        })
        .chain(n.instances.iter().filter(|i| i.subnet == s.id).map(|i| {
            let public = n.eip_of(&i.id).map(|e| e.address).or(i.public_ip);
            let mut lines = vec![ip_text(i.private_ip)];
            lines.extend(public.map(|p| format!("public {}", ip_text(p))));
            (i.id.as_str(), i.name.clone(), lines, "instance")
        }))
        .chain(n.enis.iter().filter(|e| e.subnet == s.id).map(|e| {
            let owner = e.instance.as_deref().unwrap_or("detached");
            (
                e.id.as_str(),
                format!("ENI {}", e.id),
                vec![ip_text(e.private_ip), format!("→ {owner}")],
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
    c.rect(
        col,
        &s.id,
        if public {
            "subnet public"
        } else {
            "subnet private"
        },
        (x, cy, SUBNET_W, h),
    );
    let inner = SUBNET_W - 20.0;
    text(
        col,
        x + 10.0,
        cy + 18.0,
        "name",
        &format!("{} · {}", s.name, s.cidr),
        inner,
    );
    for (k, line) in lines.iter().enumerate() {
        text(
            col,
            x + 10.0,
            cy + 34.0 + k as f64 * 14.0,
            "small",
            line,
            inner,
        );
    }
    col.push_str("</g>");
    for (k, (id, label, lines, class)) in items.iter().enumerate() {
        let ix = x + 10.0 + (k % PER_ROW) as f64 * (ITEM_W + 12.0);
        let iy = cy + head + (k / PER_ROW) as f64 * (ITEM_H + 8.0);
        c.rect(col, id, class, (ix, iy, ITEM_W, ITEM_H));
        text(col, ix + 8.0, iy + 18.0, "name", label, ITEM_W - 14.0);
        for (j, line) in lines.iter().filter(|l| !l.is_empty()).enumerate() {
            text(
                col,
                ix + 8.0,
                iy + 33.0 + j as f64 * 13.0,
                "small",
                line,
                ITEM_W - 14.0,
            );
        }
        col.push_str("</g>");
    }
    h
}

/// One VPC drawn from `y` down: its box and title, its AZ columns of subnets, the
/// gateways on its top border and its endpoints on the bottom one; returns its width and
/// height.
fn draw_vpc(o: &mut String, c: &mut Canvas, n: &Network, v: &Vpc, left: f64, y: f64) -> (f64, f64) {
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
        text(&mut col, x, top + 14.0, "az", az, SUBNET_W);
        let mut list: Vec<&&Subnet> = subnets.iter().filter(|s| s.az == *az).collect();
        list.sort_by_key(|s| (!is_public(n, &s.id), s.cidr));
        for s in list {
            cy += subnet_box(&mut col, c, n, s, x, cy) + 12.0;
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
    // Gateways on the top border.
    let gates: Vec<(&str, &str, &str)> = n
        .igws
        .iter()
        .filter(|g| attached(g, &v.id))
        .map(|g| (g.id.as_str(), "IGW", "igw"))
        .chain(
            n.vgws
                .iter()
                .filter(|g| attached(g, &v.id))
                .map(|g| (g.id.as_str(), "VGW", "vgw")),
        )
        .chain(
            n.eigws
                .iter()
                .filter(|g| attached(g, &v.id))
                .map(|g| (g.id.as_str(), "EIGW", "igw")),
        )
        .collect();
    // Wide enough for its AZ columns, and for its title (up to 60 characters' worth)
    // beside the gateways on its top border.
    let title_px = text_px(&title, 15.0, true).min(520.0);
    let vpc_w = (azs.len() as f64 * (SUBNET_W + PAD) + PAD)
        .max(title_px + 36.0 + gates.len() as f64 * 170.0);
    c.rect(o, &v.id, "vpc", (left, y + GATE_H / 2.0, vpc_w, vpc_h));
    text(
        o,
        left + 12.0,
        y + GATE_H / 2.0 + 20.0,
        "title",
        &title,
        vpc_w - 24.0 - gates.len() as f64 * 170.0,
    );
    o.push_str("</g>");
    for (_, col) in &columns {
        o.push_str(col);
    }
    for (k, (id, label, class)) in gates.iter().enumerate() {
        let gx = left + vpc_w - (k as f64 + 1.0) * 170.0;
        c.rect(o, id, class, (gx, y, 156.0, GATE_H));
        text(
            o,
            gx + 8.0,
            y + 21.0,
            "name",
            &format!("{label} {id}"),
            142.0,
        );
        o.push_str("</g>");
    }
    for (k, e) in endpoints.iter().enumerate() {
        let ex = left + PAD + k as f64 * 190.0;
        let ey = y + GATE_H / 2.0 + vpc_h - GATE_H / 2.0;
        c.rect(o, &e.id, "endpoint", (ex, ey, 176.0, GATE_H));
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
            162.0,
        );
        o.push_str("</g>");
    }
    (vpc_w, vpc_h)
}

/// The short name of a hop on its badge ("3 NACL").
fn badge_kind(step: &str) -> &'static str {
    const KINDS: [(&str, &str); 12] = [
        ("Security group", "SG"),
        ("NACL", "NACL"),
        ("Route table", "Routes"),
        ("Internet gateway", "IGW"),
        ("Egress-only", "EIGW"),
        ("NAT", "NAT"),
        ("Peering", "Peering"),
        ("Gateway endpoint", "Endpoint"),
        ("Virtual private", "VGW"),
        ("Public address", "Public IP"),
        ("IPv6", "IPv6"),
        ("Network interface", "ENI"),
    ];
    KINDS
        .iter()
        .find(|(prefix, _)| step.starts_with(prefix))
        .map(|(_, k)| *k)
        .unwrap_or("Hop")
}

/// One drawn hop: its badge's box and label.
struct Badge {
    r: Rect,
    label: String,
    ok: bool,
    reply: bool,
    title: String,
}

fn centre(r: Rect) -> (f64, f64) {
    (r.0 + r.2 / 2.0, r.1 + r.3 / 2.0)
}

/// The shape that stands for a query's end: an instance or interface, or the internet
/// node for the internet, a service or a public address.
fn end_box(c: &Canvas, n: &Network, e: &End, internet: Rect) -> Option<Rect> {
    match e {
        End::Instance(id) => c.boxes.get(id).copied(),
        End::Internet | End::Service(_) => Some(internet),
        End::Ip(ip) => {
            let owner = n
                .instances
                .iter()
                .find(|i| {
                    Ip::v4(i.private_ip) == *ip
                        || i.public_ip.map(Ip::v4) == Some(*ip)
                        || i.ipv6 == Some(*ip)
                })
                .map(|i| i.id.as_str())
                .or_else(|| {
                    n.enis
                        .iter()
                        .find(|x| Ip::v4(x.private_ip) == *ip || x.ipv6 == Some(*ip))
                        .map(|x| x.id.as_str())
                });
            match owner {
                Some(id) => c.boxes.get(id).copied(),
                None if !is_private(*ip) => Some(internet),
                None => None,
            }
        }
    }
}

/// Places a badge per hop on the edge of the shape where it happens: the request's on top
/// edges, the reply's on bottom edges, right to left when several share a shape.
fn badges(c: &Canvas, v: &Verdict) -> Vec<Badge> {
    // Per shape and direction: the row being filled and the width used in it.
    let mut used: BTreeMap<(String, bool), (f64, f64)> = BTreeMap::new();
    let mut out = vec![];
    let mut place = |hops: &[Hop], reply: bool| {
        for (k, h) in hops.iter().enumerate() {
            let Some(&(x, y, w, hh)) = c.boxes.get(&h.at).or_else(|| c.boxes.get(&h.component))
            else {
                continue;
            };
            let num = if reply {
                format!("R{}", k + 1)
            } else {
                (k + 1).to_string()
            };
            let label = format!(
                "{num} {}{}",
                badge_kind(h.step),
                if h.ok { "" } else { " ✗" }
            );
            let bw = text_px(&label, 11.0, true) + 10.0;
            let (row, offset) = used.entry((h.at.clone(), reply)).or_insert((0.0, 0.0));
            // A badge that does not fit beside the others starts a new row (away from
            // the shape: up for the request, down for the reply).
            if *offset > 0.0 && *offset + bw > w - 12.0 {
                *row += 1.0;
                *offset = 0.0;
            }
            // The request's badges sit on the top edge from the right, above the shape's
            // name; the reply's on the bottom edge from the left, so a shape's reply badges
            // and the request badges of the shape below it do not meet.
            let bx = if reply {
                x + 6.0 + *offset
            } else {
                x + w - *offset - bw - 6.0
            }
            // Never past the drawing's left edge (a peering line sits in the margin).
            .max(2.0);
            *offset += bw + 4.0;
            let step = *row * (BADGE_H + 2.0);
            let by = if reply {
                y + hh - BADGE_H / 2.0 + step
            } else {
                y - BADGE_H + 4.0 - step
            };
            out.push(Badge {
                r: (bx, by, bw, BADGE_H),
                label,
                ok: h.ok,
                reply,
                title: format!(
                    "{} {}: {} — {}",
                    h.step,
                    h.component,
                    if h.ok { "passes" } else { "blocked" },
                    h.rule
                ),
            });
        }
    };
    place(&v.forward, false);
    place(&v.back, true);
    out
}

/// An arrow from `a` to `b`, stopping short of `b`'s badge so its head stays visible.
fn arrow(o: &mut String, a: (f64, f64), b: (f64, f64), reply: bool) {
    let (dx, dy) = (b.0 - a.0, b.1 - a.1);
    let len = (dx * dx + dy * dy).sqrt();
    if len < 30.0 {
        return;
    }
    let (ux, uy) = (dx / len, dy / len);
    let (sx, sy) = (a.0 + ux * 12.0, a.1 + uy * 12.0);
    let (ex, ey) = (b.0 - ux * 14.0, b.1 - uy * 14.0);
    let _ = write!(
        o,
        r#"<path class="flow{}" d="M{sx:.0},{sy:.0} L{ex:.0},{ey:.0}" marker-end="url(#{})"/>"#,
        if reply { " reply" } else { "" },
        if reply {
            "vpc-arrow-reply"
        } else {
            "vpc-arrow"
        }
    );
}

/// The path overlay: arrows in hop order from the source, badge to badge, to the
/// destination when the request gets there (and back for the reply), then the badges.
fn draw_path(o: &mut String, c: &Canvas, n: &Network, p: Path, internet: Rect) {
    let placed = badges(c, p.verdict);
    let from = end_box(c, n, &p.query.from, internet).map(centre);
    let to = end_box(c, n, &p.query.to, internet).map(centre);
    for reply in [false, true] {
        let mut points: Vec<(f64, f64)> = vec![];
        let (start, end) = if reply { (to, from) } else { (from, to) };
        points.extend(start);
        let mine: Vec<&Badge> = placed.iter().filter(|b| b.reply == reply).collect();
        points.extend(mine.iter().map(|b| centre(b.r)));
        let through = mine.iter().all(|b| b.ok)
            && if reply {
                p.verdict.reachable
            } else {
                p.verdict.reachable || !p.verdict.back.is_empty()
            };
        if through && (!reply || !mine.is_empty()) {
            points.extend(end);
        }
        for w in points.windows(2) {
            arrow(o, w[0], w[1], reply);
        }
    }
    for b in &placed {
        let (x, y, w, h) = b.r;
        let _ = write!(
            o,
            r#"<g class="badge{}{}"><rect x="{x:.0}" y="{y:.0}" width="{w:.0}" height="{h:.0}" rx="9"/><text x="{:.0}" y="{:.0}">{}</text><title>{}</title></g>"#,
            if b.ok { "" } else { " blocked" },
            if b.reply { " reply" } else { "" },
            x + 5.0,
            y + 13.0,
            esc(&b.label),
            esc(&b.title)
        );
    }
}

/// The legend: what each colour and line means.
fn legend(o: &mut String, x0: f64, y0: f64, width: f64, with_path: bool) -> f64 {
    let mut items: Vec<(&str, &str)> = vec![
        ("vpc-swatch public", "public subnet"),
        ("vpc-swatch private", "private subnet"),
    ];
    if with_path {
        items.extend([
            ("line", "request, hop by hop"),
            ("line reply", "reply (R)"),
            ("vpc-swatch blocked", "blocked here ✗"),
        ]);
    }
    items.extend([
        ("vpc-swatch selected", "selected"),
        ("vpc-swatch focus", "keyboard focus"),
    ]);
    let (mut x, mut y) = (x0, y0);
    for (class, label) in items {
        let w = 30.0 + text_px(label, 11.0, false) + 16.0;
        if x + w > width - PAD && x > x0 {
            x = x0;
            y += 20.0;
        }
        if class.starts_with("line") {
            let _ = write!(
                o,
                r#"<path class="flow{}" d="M{:.0},{:.0} h22" marker-end="url(#{})"/>"#,
                if class.ends_with("reply") {
                    " reply"
                } else {
                    ""
                },
                x,
                y + 6.0,
                if class.ends_with("reply") {
                    "vpc-arrow-reply"
                } else {
                    "vpc-arrow"
                }
            );
        } else {
            let _ = write!(
                o,
                r#"<rect class="{class}" x="{x:.0}" y="{:.0}" width="22" height="12" rx="3"/>"#,
                y
            );
        }
        let _ = write!(
            o,
            r#"<text class="small" x="{:.0}" y="{:.0}">{}</text>"#,
            x + 30.0,
            y + 10.0,
            esc(label)
        );
        x += w;
    }
    y + 20.0 - y0
}

/// Lays out and draws the network; `path` draws where the analyzed traffic goes and
/// stops, `selected` outlines the resource open in the editor.
pub fn draw(n: &Network, path: Option<Path>, selected: &str) -> Diagram {
    let mut c = Canvas {
        hl: highlights(path.map(|p| p.verdict)),
        boxes: BTreeMap::new(),
        selected,
    };
    let mut body = String::new();
    let mut y = SKY + PAD + 28.0;
    let mut width: f64 = 520.0;
    let mut vpc_pos: BTreeMap<&str, (f64, f64)> = BTreeMap::new();
    let left = PAD + 36.0;
    for v in &n.vpcs {
        let (vpc_w, vpc_h) = draw_vpc(&mut body, &mut c, n, v, left, y);
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
            let state = match c.hl.get(&pc.id) {
                Some((_, true)) => " blocked",
                Some((_, false)) => " on-path",
                None => "",
            };
            let _ = write!(
                body,
                r#"<g data-id="{}" class="peering{state}{}"><path d="M{left:.0},{y1:.0} H{x:.0} V{y2:.0} H{left:.0}"/>"#,
                esc(&pc.id),
                if pc.active { "" } else { " inactive" }
            );
            c.boxes
                .insert(pc.id.clone(), (x - 6.0, y1.min(y2), 12.0, (y2 - y1).abs()));
            if let Some((r, _)) = c.hl.get(&pc.id) {
                let _ = write!(body, "<title>{}</title>", esc(r));
            }
            body.push_str("</g>");
        }
    }
    // Elastic IPs along the bottom of the region: associated ones name their interface.
    if !n.eips.is_empty() {
        text(&mut body, left, y + 4.0, "az", "Elastic IPs", 200.0);
        for (k, e) in n.eips.iter().enumerate() {
            let ex = left + (k % 4) as f64 * 190.0;
            let ey = y + 14.0 + (k / 4) as f64 * (GATE_H + 8.0);
            c.rect(&mut body, &e.id, "eip", (ex, ey, 176.0, GATE_H));
            let to = e.target.as_deref().unwrap_or("not associated");
            text(
                &mut body,
                ex + 8.0,
                ey + 21.0,
                "name",
                &format!("{} → {to}", ip_text(e.address)),
                162.0,
            );
            body.push_str("</g>");
            width = width.max(ex + 176.0 + PAD);
        }
        y += 14.0 + n.eips.len().div_ceil(4) as f64 * (GATE_H + 8.0) + 12.0;
    }
    // The last VPC's spacing is not needed below it.
    let region_bottom = if n.eips.is_empty() && !n.vpcs.is_empty() {
        y - GATE_H / 2.0 - 24.0
    } else {
        y
    };
    // The internet, above the Region on the right (where the gateways are).
    let internet: Rect = (width - PAD - INTERNET_W, 8.0, INTERNET_W, SKY - 20.0);
    let internet_label = match path.map(|p| (&p.query.from, &p.query.to)) {
        Some((End::Service(s), _)) | Some((_, End::Service(s))) => {
            format!("{} (public endpoint)", s.name())
        }
        _ => "Internet".to_string(),
    };
    let mut overlay = String::new();
    if let Some(p) = path {
        draw_path(&mut overlay, &c, n, p, internet);
    }
    let mut key = String::new();
    let legend_h = legend(&mut key, PAD, region_bottom + 14.0, width, path.is_some());
    let height = region_bottom + 14.0 + legend_h.max(LEGEND_H - 14.0);
    let mut svg = String::new();
    let _ = write!(
        svg,
        r#"<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width:.0} {height:.0}" width="{width:.0}" height="{height:.0}" class="vpc-diagram" role="group" aria-label="VPC diagram">"#
    );
    svg.push_str(STYLE);
    svg.push_str(MARKERS);
    let (ix, iy, iw, ih) = internet;
    let _ = write!(
        svg,
        r#"<g class="internet"><rect x="{ix:.0}" y="{iy:.0}" width="{iw:.0}" height="{ih:.0}" rx="22"/>"#
    );
    text(
        &mut svg,
        ix + 16.0,
        iy + ih / 2.0 + 5.0,
        "name",
        &internet_label,
        iw - 28.0,
    );
    svg.push_str("</g>");
    let _ = write!(
        svg,
        r#"<rect class="region" x="4" y="{:.0}" width="{:.0}" height="{:.0}" rx="10"/>"#,
        SKY,
        width - 8.0,
        region_bottom - SKY
    );
    text(
        &mut svg,
        PAD,
        SKY + PAD + 12.0,
        "title",
        &format!("Region {}", n.region),
        width - 2.0 * PAD - INTERNET_W,
    );
    svg.push_str(&body);
    svg.push_str(&overlay);
    svg.push_str(&key);
    svg.push_str("</svg>");
    Diagram { svg, width, height }
}

/// Arrowheads for the request and reply lines.
const MARKERS: &str = r#"<defs><marker id="vpc-arrow" viewBox="0 0 10 10" refX="8" refY="5" markerUnits="userSpaceOnUse" markerWidth="11" markerHeight="11" orient="auto-start-reverse"><path class="head" d="M0,0 L10,5 L0,10 z"/></marker><marker id="vpc-arrow-reply" viewBox="0 0 10 10" refX="8" refY="5" markerUnits="userSpaceOnUse" markerWidth="11" markerHeight="11" orient="auto-start-reverse"><path class="head reply" d="M0,0 L10,5 L0,10 z"/></marker></defs>"#;

/// Colours with CSS variables (the page themes them) and light fallbacks (exported files).
/// Path, reply, blocked, selection and keyboard focus each have their own colour.
const STYLE: &str = "<style>\
.vpc-diagram text{font:13px system-ui,sans-serif;fill:var(--text,#111827)}\
.vpc-diagram .title{font-weight:700;font-size:15px}.vpc-diagram .small{font-size:11px;fill:var(--muted,#4a5568)}\
.vpc-diagram .az{font-size:12px;font-weight:600;fill:var(--muted,#4a5568)}\
.vpc-diagram rect{stroke-width:1.5}\
.vpc-diagram .region{fill:none;stroke:var(--border,#cbd5e1);stroke-dasharray:6 4}\
.vpc-diagram .internet rect{fill:var(--surface-2,#eef1f7);stroke:var(--muted,#4a5568);stroke-dasharray:3 3}\
.vpc-diagram .vpc rect{fill:var(--surface,#fff);stroke:#7c3aed}\
.vpc-diagram .subnet.public rect,.vpc-diagram .vpc-swatch.public{fill:rgba(34,197,94,.10);stroke:#16a34a}\
.vpc-diagram .subnet.private rect,.vpc-diagram .vpc-swatch.private{fill:rgba(59,130,246,.10);stroke:#2563eb}\
.vpc-diagram .instance rect{fill:var(--surface-2,#eef1f7);stroke:#ea8a0c}\
.vpc-diagram .eni rect{fill:var(--surface-2,#eef1f7);stroke:#ea8a0c;stroke-dasharray:5 3}\
.vpc-diagram .eip rect{fill:var(--surface-2,#eef1f7);stroke:#16a34a}\
.vpc-diagram .nat rect,.vpc-diagram .igw rect,.vpc-diagram .vgw rect,.vpc-diagram .endpoint rect{fill:var(--surface-2,#eef1f7);stroke:#7c3aed}\
.vpc-diagram .peering path{fill:none;stroke:#7c3aed;stroke-width:2}.vpc-diagram .peering.inactive path{stroke-dasharray:4 4}\
.vpc-diagram [data-id].on-path>rect,.vpc-diagram [data-id].on-path>path{stroke:var(--path,#0f766e);stroke-width:3.5}\
.vpc-diagram [data-id].selected>rect,.vpc-diagram .vpc-swatch.selected{stroke:var(--text,#111827);stroke-width:4;stroke-dasharray:8 4}\
.vpc-diagram .vpc-swatch.selected{fill:none;stroke-width:2.5;stroke-dasharray:5 2}\
.vpc-diagram [data-id].blocked>rect,.vpc-diagram [data-id].blocked>path,.vpc-diagram .vpc-swatch.blocked{stroke:var(--danger,#b91c1c);stroke-width:4}\
.vpc-diagram .vpc-swatch.blocked{fill:none;stroke-width:3}\
.vpc-diagram [data-id]:focus{outline:none}\
.vpc-diagram g[data-id]:focus-visible>rect,.vpc-diagram g[data-id]:focus-visible>path{stroke:var(--focus,#1d4ed8);stroke-width:5;stroke-dasharray:none}\
.vpc-diagram .vpc-swatch.focus{fill:none;stroke:var(--focus,#1d4ed8);stroke-width:3}\
.vpc-diagram .flow{fill:none;stroke:var(--path,#0f766e);stroke-width:2.5}.vpc-diagram .flow.reply{stroke-dasharray:7 4}\
.vpc-diagram .head{fill:var(--path,#0f766e)}\
.vpc-diagram .badge rect{fill:var(--path,#0f766e);stroke:none}\
.vpc-diagram .badge text{font-size:11px;font-weight:700;fill:var(--surface,#fff)}\
.vpc-diagram .badge.reply rect{fill:var(--surface,#fff);stroke:var(--path,#0f766e);stroke-width:1.5}\
.vpc-diagram .badge.reply text{fill:var(--path,#0f766e)}\
.vpc-diagram .badge.blocked rect{fill:var(--danger,#b91c1c);stroke:var(--danger,#b91c1c)}\
.vpc-diagram .badge.blocked text{fill:var(--surface,#fff)}\
.vpc-diagram [data-id]{cursor:pointer}\
</style>";

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::*;
    use crate::core::services::ec2::network::reach::Code;
    use crate::core::services::ec2::network::reach::{analyze, End, Query};
    use crate::core::services::ec2::network::templates;
    use std::collections::BTreeSet;

    /// Across every template and every question between its ends (both families, a few
    /// ports and ping), each failure that has a blocking hop is drawn at the shape where
    /// it happens: the shape outlined as blocked and a "✗" badge naming the hop, and the
    /// request's arrows stop there. The failure codes seen are listed so a new code that
    /// the diagram cannot place shows up here.
    #[test]
    fn the_blocking_component_of_each_failure_is_marked() {
        let mut codes: BTreeSet<&str> = BTreeSet::new();
        for (id, _) in templates::TEMPLATES {
            let n = templates::network(id).unwrap();
            let ends: Vec<End> = std::iter::once(End::Internet)
                .chain(n.instances.iter().map(|i| End::Instance(i.id.clone())))
                .chain(n.enis.iter().map(|e| End::Instance(e.id.clone())))
                .chain(Service::ALL.map(End::Service))
                .collect();
            for from in &ends {
                for to in &ends {
                    if from == to {
                        continue;
                    }
                    for (proto, port, v6) in [
                        (Proto::Tcp, 443, false),
                        (Proto::Tcp, 22, false),
                        (Proto::Tcp, 3306, false),
                        (Proto::PING, 0, false),
                        (Proto::Tcp, 443, true),
                    ] {
                        let mut q = Query::new(from.clone(), to.clone(), proto, port);
                        q.v6 = v6;
                        let v = analyze(&n, &q);
                        let Some(h) = v.forward.iter().chain(&v.back).find(|h| !h.ok) else {
                            continue;
                        };
                        codes.extend(v.codes.iter().map(|(c, _)| c.as_str()));
                        let d = draw(
                            &n,
                            Some(Path {
                                query: &q,
                                verdict: &v,
                            }),
                            "",
                        );
                        let what = format!("{id}: {q:?} blocked at {} ({})", h.at, h.step);
                        assert!(
                            d.svg.contains(&format!(r#"data-id="{}" class="#, h.at)),
                            "{what}: the shape is not drawn"
                        );
                        let open = d
                            .svg
                            .split(&format!(r#"data-id="{}" class=""#, h.at))
                            .nth(1)
                            .unwrap();
                        assert!(
                            open.split('"').next().unwrap().contains("blocked"),
                            "{what}"
                        );
                        assert!(
                            d.svg.contains(&format!(" {} ✗</text>", badge_kind(h.step))),
                            "{what}: no blocked badge"
                        );
                    }
                }
            }
        }
        let expected = [
            Code::NoRoute,
            Code::SgIngressNoRule,
            Code::NoPublicIp,
            Code::NatOutboundOnly,
            Code::PeeringNotTransitive,
        ];
        for c in expected {
            assert!(
                codes.contains(c.as_str()),
                "{} never seen: {codes:?}",
                c.as_str()
            );
        }
    }

    #[test]
    fn labels_fit_their_boxes() {
        for s in [
            "i-web",
            "W".repeat(40).as_str(),
            "日本語のサブネット名前",
            "a · b",
        ] {
            for max in [20.0, 100.0, 262.0] {
                let f = fit(s, max, 13.0, false);
                assert!(
                    text_px(&f, 13.0, false) <= max || f == "…",
                    "{s} in {max}: {f}"
                );
            }
        }
        assert_eq!(fit("web", 100.0, 13.0, false), "web");
    }

    #[test]
    fn draws_every_resource_and_highlights_the_path() {
        let n = templates::three_tier();
        let q = Query::new(
            End::Internet,
            End::Instance("i-web".into()),
            Proto::Tcp,
            443,
        );
        let v = analyze(&n, &q);
        let d = draw(
            &n,
            Some(Path {
                query: &q,
                verdict: &v,
            }),
            "i-app",
        );
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
        assert!(d.svg.contains(r#"<g data-id="i-web" class="instance on-path" tabindex="0" role="button" aria-label="instance i-web">"#));
        assert!(d.svg.contains("<title>Security group ingress: passes"));
        assert!(d.svg.contains(r#"data-id="i-db" class="instance""#));
        assert!(d
            .svg
            .contains(r#"data-id="i-app" class="instance selected""#));
        // The request's hops are numbered badges joined by arrows, then the reply's.
        assert!(d.svg.contains(">1 IGW</text>") && d.svg.contains(">3 SG</text>"));
        assert!(d.svg.contains(">R1 NACL</text>"));
        assert!(d.svg.contains(">Internet</text>"));
        assert!(d.svg.matches(r#"class="flow""#).count() >= 3);
        assert!(d.svg.contains(r#"class="flow reply""#));
        assert!(!d.svg.contains("✗</text><title>"), "nothing is blocked");
    }

    #[test]
    fn interfaces_elastic_ips_and_ipv6_blocks_are_drawn() {
        let n = templates::dual_stack();
        let d = draw(&n, None, "");
        for id in ["eni-web-b", "eipalloc-web", "eigw-main"] {
            assert!(d.svg.contains(&format!("data-id=\"{id}\"")), "{id}");
        }
        assert!(d.svg.contains("192.0.2.20 → i-web"));
        assert!(d.svg.contains("IPv6 2600:1f18:6b4:a01::/64"));
        assert!(d.svg.contains("::/0 → eigw-main"));
        assert!(d.svg.contains("public 192.0.2.20"));
    }

    #[test]
    fn user_text_is_escaped() {
        let mut n = templates::single_web_server();
        n.instances[0].name = "<script>alert(1)</script>".into();
        n.vpcs[0].name = "a & \"b\"".into();
        let d = draw(&n, None, "");
        assert!(!d.svg.contains("<script>"));
        assert!(d.svg.contains("&lt;script&gt;"));
        // Long names are cut to their box, the whole name kept as a tooltip.
        n.instances[0].name = "W".repeat(60);
        let d = draw(&n, None, "");
        assert!(d.svg.contains("WWWW…<title>WWWW"));
        assert!(d.svg.contains("a &amp; &quot;b&quot;"));
    }

    #[test]
    fn stays_readable_at_scale() {
        let n = templates::large(200, 10, 5);
        let d = draw(&n, None, "");
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
