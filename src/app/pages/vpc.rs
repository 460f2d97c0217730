//! VPC builder: templates, an inspector that edits resources through validated edits, the
//! reachability analyzer with its hops, the web server checklist, and the diagram (zoom,
//! pan by scrolling, click to inspect, SVG and PNG export). Logic lives in `core::services::ec2::network` (the model) and `core::views::vpc` (the page state, forms and diagram).

pub mod editor;

use crate::app::components::console_drawer::ConsoleDrawer;
use crate::app::components::export::ExportBox;
use crate::app::components::form::{errors, on_edit, text_field};
use crate::app::components::helper_slot::HelperSlot;
use crate::app::components::lock::Lock;
use crate::app::hooks::{use_helper, use_url_state_saving, UrlState};
use crate::core::services::ec2::network::reach::{analyze, web_server_checklist};
use crate::core::services::ec2::network::templates::TEMPLATES;
use crate::core::services::ec2::network::validate::validate;
use crate::core::services::ec2::network::*;
use crate::core::views::vpc::editor::{self as bridge, EditorEvent, Part, Refusal};
use crate::core::views::vpc::exports::{read_network_export, Format as ExportFormat, HELPER};
use crate::core::views::vpc::layout::{draw, Path};
use crate::core::views::vpc::state::{self, endpoints, template, VpcState};
use crate::platform::files;
use std::rc::Rc;
use yew::prelude::*;

/// The protocols the reachability question offers: (value, label).
const QUERY_PROTOCOLS: [(&str, &str); 7] = [
    ("tcp", "tcp"),
    ("udp", "udp"),
    ("icmp", "icmp (ping)"),
    ("icmpv6", "icmpv6 (ping)"),
    ("gre", "gre (47)"),
    ("esp", "esp (50)"),
    ("sctp", "sctp (132)"),
];

/// A button that opens a resource. `testid` is `select` in the resource lists and `goto` for
/// the cross-links inside the inspector, so each test id is unique on the page.
pub(crate) fn open_button(testid: &str, id: &str, select: &Callback<String>) -> Html {
    let (id2, select) = (id.to_string(), select.clone());
    html! { <button type="button" class="link" onclick={Callback::from(move |_| select.emit(id2.clone()))} data-testid={format!("{testid}-{id}")}>{ id }</button> }
}

fn select_button(id: &str, select: &Callback<String>) -> Html {
    open_button("select", id, select)
}

/// Every resource by kind, each a button that opens it in the inspector.
fn resource_lists(net: &Network, select: &Callback<String>) -> Html {
    let ids = |v: Vec<&String>| -> Vec<String> { v.into_iter().cloned().collect() };
    let gateways: Vec<String> = net
        .igws
        .iter()
        .chain(&net.eigws)
        .chain(&net.vgws)
        .map(|g| g.id.clone())
        .chain(net.nats.iter().map(|g| g.id.clone()))
        .collect();
    let rows: [(&str, Vec<String>); 10] = [
        ("VPCs", ids(net.vpcs.iter().map(|x| &x.id).collect())),
        ("Subnets", ids(net.subnets.iter().map(|x| &x.id).collect())),
        (
            "Instances",
            ids(net.instances.iter().map(|x| &x.id).collect()),
        ),
        (
            "Network interfaces",
            ids(net.enis.iter().map(|x| &x.id).collect()),
        ),
        ("Elastic IPs", ids(net.eips.iter().map(|x| &x.id).collect())),
        ("Gateways", gateways),
        (
            "Security groups",
            ids(net.groups.iter().map(|x| &x.id).collect()),
        ),
        (
            "Network ACLs",
            ids(net.nacls.iter().map(|x| &x.id).collect()),
        ),
        (
            "Route tables",
            ids(net.route_tables.iter().map(|x| &x.id).collect()),
        ),
        (
            "Peering and endpoints",
            ids(net
                .peerings
                .iter()
                .map(|x| &x.id)
                .chain(net.endpoints.iter().map(|x| &x.id))
                .collect()),
        ),
    ];
    html! {
        <dl class="resource-lists" data-testid="resource-lists">
            { for rows.iter().filter(|(_, v)| !v.is_empty()).map(|(label, v)| html! {
                <div><dt>{ *label }</dt><dd>{ for v.iter().map(|id| html! { <>{ select_button(id, select) }{ " " }</> }) }</dd></div>
            }) }
        </dl>
    }
}

#[derive(Properties, PartialEq)]
struct SlotProps {
    part: Part,
    /// The shown network as JSON (written once per change by `VpcPage`).
    net: Rc<serde_json::Value>,
    #[prop_or_default]
    selected: String,
    on_event: Callback<EditorEvent>,
}

/// One of the page's two editor places, filled by the editor module (`editor`, compiled
/// into `stratus-helper-vpc-editor`) once it has loaded: the page's first load does without
/// the forms and the edit operations. The module gets the shown network and selection on
/// every change; its answers come back through `on_event`.
#[component]
fn EditorSlot(p: &SlotProps) -> Html {
    let input = use_memo(
        (p.part, p.net.clone(), p.selected.clone()),
        |(part, n, selected)| bridge::input_json(*part, (**n).clone(), selected),
    );
    let on_answer = {
        let on_event = p.on_event.clone();
        // An answer that cannot be read is shown in the editor's place, not dropped.
        Callback::from(move |text: String| {
            EditorEvent::decode(&text)
                .map(|e| on_event.emit(e))
                .map_err(|e| format!("The editor's answer was lost: {e}."))
        })
    };
    html! {
        <div class="editor-slot" data-testid={format!("editor-{}", p.part.id())}>
            <HelperSlot helper={bridge::HELPER} input={input} loading="Loading the editor…" testid="editor" on_answer={on_answer} />
        </div>
    }
}

/// The last edit's outcome: "Applied.", or the refusal with the EC2 operation and the error
/// code AWS answers with.
fn edit_message(msg: &Option<Result<String, Refusal>>) -> Html {
    match msg {
        Some(Ok(m)) => {
            html! { <p class="finding" role="status" data-testid="edit-message">{ m }</p> }
        }
        Some(Err(v)) => html! {
            <div role="status">
                <ul class="error-list" data-testid="edit-message"><li>{ format!("Refused: {}", v.message) }</li></ul>
                <p class="hint mono small" data-testid="edit-error-code">{
                    if v.code.starts_with("Model.") {
                        format!("{} → {} (a rule of this model: AWS would accept the call and the traffic would fail)", v.operation, v.code)
                    } else {
                        format!("{} → {} (the error AWS answers with)", v.operation, v.code)
                    }
                }</p>
            </div>
        },
        None => html! {},
    }
}

#[component]
pub fn VpcPage() -> Html {
    // The sandbox gets the network even while it is a template's (`VpcState::saved`): Reset
    // puts the template's network in the account the console shares, rather than none.
    let url_state =
        use_url_state_saving("vpc", state::to_query, state::from_query, VpcState::saved);
    let reset = url_state.reset();
    let controls = url_state.controls();
    let UrlState {
        state, link_error, ..
    } = url_state;
    let s = &*state;
    let net = use_memo((s.template.clone(), s.network.clone()), |(t, n)| {
        n.clone().unwrap_or_else(|| template(t))
    });
    // Derived views are memoized on the network's Rc (compared by pointer first, since the
    // model is `Eq`) and the inputs each needs, so selecting a resource or a save elsewhere
    // recomputes nothing.
    let problems = use_memo(net.clone(), |n| validate(n));
    let query = s.query(&net);
    let verdict = use_memo((net.clone(), query.clone().ok()), |(n, q)| {
        q.as_ref().map(|q| analyze(n, q))
    });
    let diagram = use_memo(
        (
            net.clone(),
            query.clone().ok(),
            (*verdict).clone(),
            s.selected.clone(),
        ),
        |(n, q, v, selected)| {
            let path = q
                .as_ref()
                .zip(v.as_ref())
                .map(|(query, verdict)| Path { query, verdict });
            draw(n, path, selected)
        },
    );
    let checklist = use_memo((net.clone(), s.check.clone()), |(n, c)| {
        web_server_checklist(n, c)
    });
    // The network as JSON, written once per change for the editor's two places, the
    // console's link and the export helper.
    let net_json = use_memo(net.clone(), |n| {
        serde_json::to_value(&**n).unwrap_or_default()
    });
    let zoom = use_state(|| 1.0f64);
    let code_format = use_state(|| ExportFormat::Terraform);
    // Terraform and CloudFormation come from the export helper module
    // (core::views::vpc::exports), asked once the panel is opened: the exporter is not
    // part of the builder's first load.
    let code_open = use_state(|| false);
    let code_args = use_memo(
        (net_json.clone(), *code_format, *code_open),
        |(n, f, open)| open.then(|| vec![n.to_string(), f.id().to_string()]),
    );
    let code_answer = use_helper(HELPER, "network_export", code_args);
    let code_busy = code_answer.is_none();
    // Read once per answer, not on every render of the page.
    let code = use_memo(code_answer, |a| {
        AttrValue::from(
            match a.clone().map(|a| a.and_then(|a| read_network_export(&a))) {
                None => "Writing the design's code…".to_string(),
                Some(Ok(text)) => text,
                Some(Err(e)) => format!("# {e}"),
            },
        )
    });
    // The last edit's outcome: "Applied.", or the refusal with the EC2 operation it was.
    let edit_msg = use_state(|| None::<Result<String, Refusal>>);
    // Where the last edit came from ("inspector" or "create"): its outcome shows there.
    let edit_origin = use_state(|| "create");
    // Counts resources opened from the diagram or a list: each opening moves the focus to
    // the editor (which scrolls it into view where it sits below the diagram); a selection
    // restored by undo or a link does not.
    let opened = use_state(|| 0u64);
    let editor_ref = use_node_ref();
    let scroll_ref = use_node_ref();
    let inner_ref = use_node_ref();
    let select = {
        let (state, opened, edit_msg) = (state.clone(), opened.clone(), edit_msg.clone());
        Callback::from(move |id: String| {
            if !id.is_empty() {
                opened.set(*opened + 1);
            }
            // The last edit's outcome belongs to the resource it was about.
            edit_msg.set(None);
            let mut x = (*state).clone();
            x.selected = id;
            state.set(x);
        })
    };
    // What the editor module answers (core::views::vpc::editor): a resource to open, the
    // network after an edit (each an undo step of its own), or a refusal.
    let seal = controls.seal.clone();
    let on_editor = |origin: &'static str| -> Callback<EditorEvent> {
        let (state, edit_msg, edit_origin) = (state.clone(), edit_msg.clone(), edit_origin.clone());
        let (seal, select) = (seal.clone(), select.clone());
        Callback::from(move |e: EditorEvent| match e {
            EditorEvent::Select(id) => select.emit(id),
            EditorEvent::Applied(n) => {
                edit_origin.set(origin);
                seal.emit(());
                let mut x = (*state).clone();
                x.network = Some(*n);
                state.set(x);
                edit_msg.set(Some(Ok("Applied.".into())));
            }
            EditorEvent::Refused(r) => {
                edit_origin.set(origin);
                edit_msg.set(Some(Err(r)));
            }
        })
    };
    {
        let editor_ref = editor_ref.clone();
        use_effect_with(*opened, move |n| {
            if *n > 0 {
                if let Some(el) = editor_ref.cast::<web_sys::HtmlElement>() {
                    let _ = el.focus();
                }
            }
        });
    }
    let on_diagram_key = {
        let select = select.clone();
        Callback::from(move |e: KeyboardEvent| {
            use wasm_bindgen::JsCast;
            if e.key() != "Enter" && e.key() != " " {
                return;
            }
            let id = e
                .target()
                .and_then(|t| t.dyn_into::<web_sys::Element>().ok())
                .and_then(|el| el.get_attribute("data-id"));
            if let Some(id) = id {
                e.prevent_default();
                select.emit(id);
            }
        })
    };
    let on_diagram_click = {
        let select = select.clone();
        Callback::from(move |e: MouseEvent| {
            use wasm_bindgen::JsCast;
            let id = e
                .target()
                .and_then(|t| t.dyn_into::<web_sys::Element>().ok())
                .and_then(|el| el.closest("[data-id]").ok().flatten())
                .and_then(|el| el.get_attribute("data-id"));
            if let Some(id) = id {
                select.emit(id);
            }
        })
    };
    // A template replaces the network: it is saved as the design, so the sandbox account
    // (which the console shares) holds it too.
    let load_template = on_edit::<_, Event>(&state, |s, v| {
        *s = VpcState::for_template(&v);
        s.network = Some(s.network());
    });
    let ends = endpoints(&net);
    let end_select = |id: &'static str,
                      label: &'static str,
                      value: &str,
                      f: fn(&mut VpcState, String)| {
        html! {
            <div class="field narrow">
                <label for={id}>{ label }</label>
                <select id={id} data-testid={id} onchange={on_edit::<_, Event>(&state, f)}>
                    { for ends.iter().map(|(v, l)| html! { <option value={v.clone()} selected={v == value}>{ l }</option> }) }
                </select>
            </div>
        }
    };
    let svg_export = {
        let d = diagram.clone();
        Callback::from(move |_| {
            let _ = files::download("stratus-vpc.svg", "image/svg+xml", &d.svg);
        })
    };
    let png_export = {
        let d = diagram.clone();
        Callback::from(move |_| {
            let _ = files::download_svg_as_png("stratus-vpc.png", &d.svg, d.width, d.height);
        })
    };
    let zoom_by = |k: f64| {
        let zoom = zoom.clone();
        Callback::from(move |_| zoom.set((*zoom * k).clamp(0.25, 4.0)))
    };
    // Fit to width: the zoom at which the drawing fills the scroll box (the drawing's width
    // at this zoom is measured, since presenter mode's larger text scales it too).
    let zoom_fit = {
        let (zoom, scroll_ref, inner_ref) = (zoom.clone(), scroll_ref.clone(), inner_ref.clone());
        Callback::from(move |_| {
            let (Some(outer), Some(inner)) = (
                scroll_ref.cast::<web_sys::Element>(),
                inner_ref.cast::<web_sys::Element>(),
            ) else {
                return;
            };
            let drawn = inner.client_width() as f64;
            if drawn > 0.0 {
                let box_w = (outer.client_width() - 2) as f64;
                zoom.set((*zoom * box_w / drawn).clamp(0.25, 4.0));
            }
        })
    };
    // The drawing's width in rem, so presenter mode's larger text enlarges it too.
    let drawn_rem = diagram.width * *zoom / 16.0;
    let hop_rows = |hops: &[crate::core::services::ec2::network::reach::Hop],
                    prefix: &'static str| {
        html! {
            { for hops.iter().enumerate().map(|(k, h)| html! {
                <tr class={if h.ok { "ok" } else { "blocked" }} data-testid={format!("{prefix}-{}", k + 1)}>
                    <td>{ k + 1 }</td><td>{ h.step }</td><td class="mono">{ &h.component }</td>
                    <td>{ if h.ok { "✓ passes" } else { "✗ blocked" } }</td><td class="mono small">{ &h.rule }</td>
                </tr>
            }) }
        }
    };

    // In a sandbox the console shares this network through the account; otherwise it starts
    // from this design (its link carries the network). The drawer is an embed, which has no
    // sandbox: it always gets the design.
    let in_sandbox = crate::app::sandbox::use_store().is_some();
    let console_query = use_memo(net_json.clone(), |n| {
        AttrValue::from(crate::core::views::console::opened_link((**n).clone()))
    });

    let edited = use_memo((s.template.clone(), net.clone()), |(t, n)| {
        **n != crate::core::views::vpc::state::template(t)
    });

    html! {
        <crate::app::components::tool_frame::ToolFrame tool="vpc" controls={controls} explorable=true lede={"Build a VPC, ask whether traffic gets through, and see which rule decides at every hop — both ways."} reset={reset} actions={html! { <ConsoleDrawer query={(*console_query).clone()} /> }} link_error={(*link_error).clone()}>
            <section class="panel card-panel" aria-labelledby="vpc-design" data-embed="design">
                <h2 id="vpc-design">{ "Design" }</h2>
                <div class="toolbar">
                    <Lock><div class="field narrow">
                        <label for="template">{ "Start from a template" }</label>
                        <select id="template" data-testid="template" onchange={load_template}>
                            { for TEMPLATES.iter().map(|(id, title)| html! { <option value={*id} selected={s.template == *id}>{ *title }</option> }) }
                            // A design from a CIDR plan (or a link) names no template.
                            if !TEMPLATES.iter().any(|(id, _)| s.template == *id) {
                                <option value="" selected=true disabled=true>{ "Your design (from a plan)" }</option>
                            }
                        </select>
                    </div></Lock>
                    <p class="hint">{ format!("{} resources{} in {}.", net.resources(), if *edited { ", edited" } else { "" }, net.region) }</p>
                    <a class="button small" href={if in_sandbox { "#/console".to_string() } else { format!("#/console?{console_query}") }} data-testid="vpc-open-console">{ "Open in the AWS CLI console" }</a>
                </div>
                <details class="math" data-testid="vpc-code" ontoggle={{ let open = code_open.clone(); Callback::from(move |e: Event| open.set(e.target_dyn_into::<web_sys::HtmlDetailsElement>().is_some_and(|d| d.open()))) }}>
                    <summary>{ "Export as Terraform or CloudFormation" }</summary>
                    <div class="segmented" role="group" aria-label="Export format">
                        <button type="button" class="small" aria-pressed={if *code_format == ExportFormat::Terraform { "true" } else { "false" }} onclick={{ let f = code_format.clone(); Callback::from(move |_| f.set(ExportFormat::Terraform)) }} data-testid="vpc-format-terraform">{ "Terraform" }</button>
                        <button type="button" class="small" aria-pressed={if *code_format == ExportFormat::CloudFormation { "true" } else { "false" }} onclick={{ let f = code_format.clone(); Callback::from(move |_| f.set(ExportFormat::CloudFormation)) }} data-testid="vpc-format-cloudformation">{ "CloudFormation" }</button>
                    </div>
                    if *code_format == ExportFormat::Terraform {
                        <ExportBox id="vpc-code" label="Terraform" filename="stratus-vpc.tf" mime="text/plain" text={(*code).clone()} busy={code_busy} />
                    } else {
                        <ExportBox id="vpc-code" label="CloudFormation" filename="stratus-vpc.template.json" mime="application/json" text={(*code).clone()} busy={code_busy} />
                    }
                    <p class="hint">{ "Every resource of the design, ready for terraform plan or a CloudFormation stack; the first lines list what AWS assigns at deploy time (public and Elastic IP addresses)." }</p>
                </details>
                if problems.is_empty() {
                    <p class="finding" data-testid="vpc-problems">{ "The design is consistent." }</p>
                } else {
                    <ul class="error-list" data-testid="vpc-problems">{ for problems.iter().map(|p| html! { <li><code>{ p.code }</code>{ " " }{ &p.message }</li> }) }</ul>
                }
            </section>
            <section class="panel card-panel" aria-labelledby="vpc-query" data-embed="analyzer">
                <h2 id="vpc-query">{ "Can it reach?" }</h2>
                <div class="toolbar">
                    { end_select("from", "From", &s.from, |s, v| s.from = v) }
                    { end_select("to", "To", &s.to, |s, v| s.to = v) }
                    <div class="field narrow">
                        <label for="proto">{ "Protocol" }</label>
                        <select id="proto" data-testid="proto" onchange={on_edit::<_, Event>(&state, |s, v| s.proto = Proto::parse(&v).unwrap_or(Proto::Tcp))}>
                            { for QUERY_PROTOCOLS.iter().map(|(code, label)| html! { <option value={*code} selected={s.proto.name() == Proto::parse(code).map(|p| p.name()).unwrap_or_default()}>{ *label }</option> }) }
                            // A link may ask about any protocol: it is shown as it is, not as the first option.
                            if !QUERY_PROTOCOLS.iter().any(|(code, _)| Proto::parse(code).map(|p| p.name()) == Ok(s.proto.name())) {
                                <option value={s.proto.code()} selected=true>{ s.proto.label() }</option>
                            }
                        </select>
                    </div>
                    if s.proto.has_ports() {
                        { text_field("port", "Port", &s.port, "", on_edit(&state, |s, v| s.port = v)) }
                    }
                    <div class="field narrow">
                        <label for="family">{ "Addresses" }</label>
                        <select id="family" data-testid="family" onchange={on_edit::<_, Event>(&state, |s, v| s.ipv6 = v == "v6")}>
                            <option value="v4" selected={!s.ipv6}>{ "IPv4" }</option>
                            <option value="v6" selected={s.ipv6}>{ "IPv6" }</option>
                        </select>
                    </div>
                </div>
                { match (&query, &*verdict) {
                    (Err(e), _) => errors(e, "vpc-query-errors"),
                    (Ok(_), Some(v)) => html! {
                        <>
                            <p class={if v.reachable { "verdict ok" } else { "verdict blocked" }} data-testid="vpc-verdict" role="status">
                                { if v.reachable { "Reachable" } else { "Not reachable" } }
                            </p>
                            if !v.codes.is_empty() {
                                <ul class="codes">{ for v.codes.iter().map(|(c, t)| html! { <li data-testid={format!("vpc-code-{}", c.as_str())}><code>{ c.as_str() }</code>{ " " }{ t }</li> }) }</ul>
                            }
                            <div class="table-scroll"><table class="data hops" data-testid="vpc-hops">
                                <thead><tr><th scope="col">{ "#" }</th><th scope="col">{ "Hop" }</th><th scope="col">{ "Component" }</th><th scope="col">{ "Result" }</th><th scope="col">{ "Deciding rule" }</th></tr></thead>
                                <tbody>
                                    { hop_rows(&v.forward, "hop") }
                                    if !v.back.is_empty() { <tr><th colspan="5" scope="rowgroup">{ "The reply" }</th></tr> }
                                    { hop_rows(&v.back, "reply-hop") }
                                </tbody>
                            </table></div>
                            { for v.notes.iter().map(|n| html! { <p class="hint">{ n }</p> }) }
                        </>
                    },
                    _ => html! {},
                } }
            </section>
            <section class="panel card-panel" aria-labelledby="vpc-diagram" data-embed="analyzer diagram">
                <h2 id="vpc-diagram">{ "Diagram" }</h2>
                <div class="toolbar">
                    <div class="segmented" role="group" aria-label="Zoom">
                        <button type="button" class="small" onclick={zoom_by(0.8)} data-testid="zoom-out" aria-label="Zoom out">{ "−" }</button>
                        <output class="zoom-level" data-testid="zoom-level" aria-live="polite" title="Relative to the text size: presenter mode enlarges both">{ format!("{:.0}%", *zoom * 100.0) }</output>
                        <button type="button" class="small" onclick={zoom_by(1.25)} data-testid="zoom-in" aria-label="Zoom in">{ "+" }</button>
                    </div>
                    <button type="button" class="small" onclick={zoom_fit} data-testid="zoom-fit">{ "Fit width" }</button>
                    <button type="button" class="small" onclick={{ let zoom = zoom.clone(); Callback::from(move |_| zoom.set(1.0)) }} data-testid="zoom-reset">{ "Actual size" }</button>
                    <button type="button" class="small" onclick={svg_export} data-testid="export-svg">{ "Export SVG" }</button>
                    <button type="button" class="small" onclick={png_export} data-testid="export-png">{ "Export PNG" }</button>
                </div>
                <p class="hint">{ "Numbered badges follow the request hop by hop (R: the reply); a red ✗ marks where traffic stops. Hover a badge or shape for its deciding rule; click a shape (or Tab to it and press Enter) to edit it." }</p>
                <div class={classes!("diagram-layout", (!s.selected.is_empty()).then_some("with-editor"))}>
                    <div class="diagram-scroll" ref={scroll_ref} onclick={on_diagram_click} onkeydown={on_diagram_key} data-testid="vpc-diagram">
                        <div ref={inner_ref} style={format!("width:{drawn_rem:.3}rem")}>
                            { Html::from_html_unchecked(AttrValue::from(diagram.svg.replacen("<svg ", &format!("<svg style=\"width:{drawn_rem:.3}rem;height:auto\" "), 1))) }
                        </div>
                    </div>
                    if !s.selected.is_empty() {
                        <aside class="editor-panel" ref={editor_ref} tabindex="-1" aria-labelledby="vpc-editor-title" data-testid="editor-panel">
                            <div class="editor-head">
                                <h3 id="vpc-editor-title" class="small-heading">{ "Editor" }</h3>
                                <button type="button" class="small" data-testid="editor-close" aria-label="Close the editor" onclick={{ let select = select.clone(); Callback::from(move |_| select.emit(String::new())) }}>{ "Close" }</button>
                            </div>
                            if *edit_origin == "inspector" { { edit_message(&edit_msg) } }
                            <Lock><EditorSlot part={Part::Inspect} net={net_json.clone()} selected={s.selected.clone()} on_event={on_editor("inspector")} /></Lock>
                        </aside>
                    }
                </div>
            </section>
            <section class="panel card-panel" aria-labelledby="vpc-edit" data-embed="design">
                <h2 id="vpc-edit">{ "Edit" }</h2>
                { resource_lists(&net, &select) }
                if *edit_origin == "create" || s.selected.is_empty() { { edit_message(&edit_msg) } }
                <Lock><EditorSlot part={Part::Create} net={net_json.clone()} on_event={on_editor("create")} /></Lock>
            </section>
            <section class="panel card-panel" aria-labelledby="vpc-check" data-embed="checklist">
                <h2 id="vpc-check">{ "Why can't I reach my web server?" }</h2>
                <div class="field narrow">
                    <label for="check">{ "Instance" }</label>
                    <select id="check" data-testid="check-instance" onchange={on_edit::<_, Event>(&state, |s, v| s.check = v)}>
                        { for net.instances.iter().map(|i| html! { <option value={i.id.clone()} selected={i.id == s.check}>{ format!("{} ({})", i.id, i.name) }</option> }) }
                    </select>
                </div>
                <ol class="checklist" data-testid="checklist">
                    { for checklist.iter().map(|c| html! {
                        <li class={match c.ok { Some(true) => "ok", Some(false) => "blocked", None => "outside" }} data-testid={format!("check-{}", c.id)}>
                            <strong>{ match c.ok { Some(true) => "✓ ", Some(false) => "✗ ", None => "? " } }{ &c.label }</strong>
                            <span class="mono small">{ " — " }{ &c.detail }</span>
                        </li>
                    }) }
                </ol>
            </section>
        </crate::app::components::tool_frame::ToolFrame>
    }
}
