//! Subnet table tab: split a block, then divide or join rows, label and colour them. The
//! table is virtualized: only the rows on screen are rendered, so a /8 split into /28s
//! (1,048,576 rows) scrolls as smoothly as four rows.

use crate::app::components::form::input_value;
use crate::core::cidr::division::{Division, RowMeta};
use crate::core::cidr::explain::{count_text, is_aws_subnet_size, AWS_RESERVED_PER_SUBNET};
use crate::core::cidr::ranges::parts_to_prefix;
use crate::core::cidr::share::{TableState, PALETTE_SIZE};
use crate::core::cidr::{Addr, Block};
use crate::core::format::thousands;
use crate::platform::dom::root_font_px;
use web_sys::Element;
use yew::prelude::*;

/// Row height in rem; the stylesheet uses the same value (`.vrow`).
const ROW_REM: f64 = 2.75;
/// Browsers cap element heights (~33.5 million px in Chromium); beyond this the scrollbar
/// maps proportionally onto the rows.
const MAX_SCROLL_PX: f64 = 4_000_000.0;
const OVERSCAN: u128 = 4;
const MAX_VISIBLE_ROWS: u128 = 120;
const COLOURS: [&str; PALETTE_SIZE as usize] = ["Blue", "Green", "Amber", "Red", "Purple", "Grey"];

/// An operation on the table (divide or join a row).
type RowEdit = Box<dyn Fn(&mut Division) -> Result<(), String>>;

#[derive(Properties, PartialEq)]
pub struct SubnetsTabProps {
    pub table: TableState,
    pub on_change: Callback<TableState>,
}

#[component]
pub fn SubnetsTab(props: &SubnetsTabProps) -> Html {
    let division = use_memo(props.table.clone(), |t| t.to_division());
    let root_draft = use_state(|| props.table.root.clone());
    let prefix_draft = use_state(|| {
        props
            .table
            .runs
            .first()
            .map(|r| r.0.to_string())
            .unwrap_or_default()
    });
    let parts_draft = use_state(|| "4".to_string());
    let jump_draft = use_state(String::new);
    let message = use_state(|| None::<String>);
    let scroll_top = use_state(|| 0.0f64);
    let viewport = use_node_ref();

    let apply = |how: Result<Division, String>,
                 message: &UseStateHandle<Option<String>>,
                 on_change: &Callback<TableState>| match how {
        Ok(d) => {
            message.set(None);
            on_change.emit(TableState::from_division(&d));
        }
        Err(e) => message.set(Some(e)),
    };

    let parse_root = {
        let root_draft = root_draft.clone();
        move || {
            Block::parse(&root_draft)
                .map(|p| p.block)
                .map_err(|e| e.to_string())
        }
    };

    let on_split = {
        let (prefix_draft, message, on_change, parse_root) = (
            prefix_draft.clone(),
            message.clone(),
            props.on_change.clone(),
            parse_root.clone(),
        );
        let scroll_top = scroll_top.clone();
        let viewport = viewport.clone();
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            let how = parse_root().and_then(|root| {
                let text = prefix_draft.trim().trim_start_matches('/');
                let p: u8 = text.parse().map_err(|_| {
                    format!(
                        "“{}” is not a prefix length; write a number such as 24.",
                        prefix_draft.trim()
                    )
                })?;
                Division::split(root, p)
            });
            reset_scroll(&viewport, &scroll_top);
            apply(how, &message, &on_change);
        })
    };
    let on_parts = {
        let (parts_draft, message, on_change, parse_root) = (
            parts_draft.clone(),
            message.clone(),
            props.on_change.clone(),
            parse_root.clone(),
        );
        let prefix_draft = prefix_draft.clone();
        let scroll_top = scroll_top.clone();
        let viewport = viewport.clone();
        Callback::from(move |_| {
            let how = parse_root().and_then(|root| {
                let n: u128 = parts_draft.trim().parse().map_err(|_| {
                    format!("“{}” is not a whole number of parts.", parts_draft.trim())
                })?;
                let p = parts_to_prefix(&root, n)?;
                prefix_draft.set(p.to_string());
                Division::split(root, p)
            });
            reset_scroll(&viewport, &scroll_top);
            apply(how, &message, &on_change);
        })
    };

    let Ok(d) = division.as_ref().clone() else {
        let err = division.as_ref().clone().err().unwrap_or_default();
        let on_change = props.on_change.clone();
        return html! {
            <div>
                <p class="banner-error" role="alert" data-testid="table-error">{ err }{ " " }</p>
                <button type="button" onclick={Callback::from(move |_| on_change.emit(TableState::default()))}>{ "Start a new table" }</button>
            </div>
        };
    };

    let row_px = ROW_REM * root_font_px();
    let rows = d.len();
    let view_px = viewport
        .cast::<Element>()
        .map(|e| e.client_height() as f64)
        .filter(|h| *h > 0.0)
        .unwrap_or(row_px * 12.0);
    let total_px = rows as f64 * row_px;
    let virtual_px = total_px.min(MAX_SCROLL_PX);
    // Capped: without the stylesheet the viewport would be as tall as every row.
    let visible = ((view_px / row_px).ceil() as u128 + 1).min(MAX_VISIBLE_ROWS);
    // Which row sits at the top of the viewport.
    let first_f = if total_px <= MAX_SCROLL_PX {
        *scroll_top / row_px
    } else {
        let max_scroll = (virtual_px - view_px).max(1.0);
        (*scroll_top / max_scroll).clamp(0.0, 1.0)
            * (rows.saturating_sub(visible.saturating_sub(1))) as f64
    };
    let first = (first_f.floor() as u128).min(rows.saturating_sub(1));
    let from = first.saturating_sub(OVERSCAN);
    let count = (visible + 2 * OVERSCAN) as usize;
    let window = d.rows(from, count);

    let onscroll = {
        let scroll_top = scroll_top.clone();
        Callback::from(move |e: Event| {
            let el: Element = e.target_unchecked_into();
            scroll_top.set(el.scroll_top() as f64);
        })
    };
    let on_jump = {
        let (jump_draft, message, viewport, scroll_top) = (
            jump_draft.clone(),
            message.clone(),
            viewport.clone(),
            scroll_top.clone(),
        );
        let d = d.clone();
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            let target = match Addr::parse(jump_draft.trim()) {
                Ok(a) if a.family == d.root().family => d
                    .find(a.value)
                    .ok_or_else(|| format!("{a} is not inside {}.", d.root())),
                Ok(a) => Err(format!("{a} is not an {} address.", d.root().family.name())),
                Err(e) => Err(e.to_string()),
            };
            match target {
                Ok(row) => {
                    message.set(None);
                    let y = if total_px <= MAX_SCROLL_PX {
                        row as f64 * row_px
                    } else {
                        row as f64 / (rows.saturating_sub(visible.saturating_sub(1))).max(1) as f64
                            * (virtual_px - view_px).max(1.0)
                    };
                    if let Some(el) = viewport.cast::<Element>() {
                        el.set_scroll_top(y as i32);
                    }
                    scroll_top.set(y);
                }
                Err(e) => message.set(Some(e)),
            }
        })
    };

    let row_html = |row: &crate::core::cidr::division::Row| {
        let top = if total_px <= MAX_SCROLL_PX {
            row.index as f64 * row_px
        } else {
            *scroll_top + (row.index as f64 - first_f) * row_px
        };
        let block = row.block;
        let edit = |f: RowEdit| {
            let (d, on_change, message) = (d.clone(), props.on_change.clone(), message.clone());
            move || {
                let mut d = d.clone();
                match f(&mut d) {
                    Ok(()) => {
                        message.set(None);
                        on_change.emit(TableState::from_division(&d));
                    }
                    Err(e) => message.set(Some(e)),
                }
            }
        };
        let index = row.index;
        let divide = edit(Box::new(move |d| d.divide(index)));
        let join = edit(Box::new(move |d| d.join(index)));
        let meta = row.meta.clone();
        let set_note = {
            let meta = meta.clone();
            let (d, on_change) = (d.clone(), props.on_change.clone());
            Callback::from(move |e: InputEvent| {
                let mut d = d.clone();
                d.set_meta(
                    block,
                    RowMeta {
                        note: input_value(&e).chars().take(200).collect(),
                        ..meta.clone()
                    },
                );
                on_change.emit(TableState::from_division(&d));
            })
        };
        let set_colour = {
            let meta = meta.clone();
            let (d, on_change) = (d.clone(), props.on_change.clone());
            Callback::from(move |e: Event| {
                let mut d = d.clone();
                d.set_meta(
                    block,
                    RowMeta {
                        colour: input_value(&e).parse().unwrap_or(0),
                        ..meta.clone()
                    },
                );
                on_change.emit(TableState::from_division(&d));
            })
        };
        let usable = if is_aws_subnet_size(&block) {
            thousands(block.size().unwrap_or(0) - AWS_RESERVED_PER_SUBNET)
        } else {
            "—".into()
        };
        let label = format!("row {}", row.index + 1);
        html! {
            <div class={classes!("vrow", (meta.colour > 0).then(|| format!("c{}", meta.colour)))} role="row" key={row.index.to_string()}
                style={format!("transform: translateY({top:.1}px)")} data-testid={format!("subnet-row-{}", row.index)}>
                <span role="cell" class="num">{ thousands(row.index + 1) }</span>
                <span role="cell" class="mono" data-testid="subnet-cidr">{ block.to_string() }</span>
                <span role="cell" class="mono range">{ format!("{} – {}", block.network(), block.last_addr()) }</span>
                <span role="cell" class="num" data-testid="subnet-addresses">{ count_text(&block) }</span>
                <span role="cell" class="num" data-testid="subnet-usable">{ usable }</span>
                <span role="cell"><input type="text" class="note" value={meta.note.clone()} oninput={set_note} aria-label={format!("Note for {block}")} placeholder="note" /></span>
                <span role="cell">
                    <select aria-label={format!("Colour for {block}")} onchange={set_colour}>
                        <option value="0" selected={meta.colour == 0}>{ "—" }</option>
                        { for COLOURS.iter().enumerate().map(|(i, c)| html! { <option value={(i + 1).to_string()} selected={meta.colour as usize == i + 1}>{ *c }</option> }) }
                    </select>
                </span>
                <span role="cell" class="actions">
                    <button type="button" class="small" onclick={Callback::from(move |_| divide())} disabled={block.prefix >= block.bits()}
                        aria-label={format!("Divide {block}, {label}")} data-testid="subnet-divide">{ "Divide" }</button>
                    <button type="button" class="small" onclick={Callback::from(move |_| join())} disabled={!row.joinable}
                        aria-label={format!("Join {block} with its sibling")} data-testid="subnet-join">{ "Join" }</button>
                </span>
            </div>
        }
    };

    html! {
        <div class="subnets">
            <form class="toolbar" onsubmit={on_split}>
                <div class="field">
                    <label for="table-root">{ "Block" }</label>
                    <input id="table-root" type="text" class="mono" value={(*root_draft).clone()} spellcheck="false" autocomplete="off"
                        oninput={let s = root_draft.clone(); Callback::from(move |e: InputEvent| s.set(input_value(&e)))} data-testid="table-root" />
                </div>
                <div class="field narrow">
                    <label for="table-prefix">{ "Subnet prefix" }</label>
                    <input id="table-prefix" type="text" inputmode="numeric" class="mono" value={(*prefix_draft).clone()}
                        oninput={let s = prefix_draft.clone(); Callback::from(move |e: InputEvent| s.set(input_value(&e)))} data-testid="table-prefix" />
                </div>
                <button type="submit" data-testid="table-split">{ "Split" }</button>
                <span class="or">{ "or" }</span>
                <div class="field narrow">
                    <label for="table-parts">{ "Equal parts" }</label>
                    <input id="table-parts" type="text" inputmode="numeric" value={(*parts_draft).clone()}
                        oninput={let s = parts_draft.clone(); Callback::from(move |e: InputEvent| s.set(input_value(&e)))} data-testid="table-parts" />
                </div>
                <button type="button" onclick={on_parts} data-testid="table-split-parts">{ "Split into parts" }</button>
            </form>
            <p class="error" role="status" data-testid="table-message">{ (*message).clone().unwrap_or_default() }</p>
            <div class="table-summary">
                <p>
                    <strong data-testid="table-row-count">{ thousands(rows) }</strong>{ if rows == 1 { " subnet of " } else { " subnets of " } }
                    <span class="mono" data-testid="table-root-block">{ d.root().to_string() }</span>
                    { format!(" ({} addresses)", count_text(&d.root())) }
                </p>
                <form class="jump" onsubmit={on_jump}>
                    <label for="table-jump">{ "Jump to address" }</label>
                    <input id="table-jump" type="text" class="mono" value={(*jump_draft).clone()} spellcheck="false"
                        oninput={let s = jump_draft.clone(); Callback::from(move |e: InputEvent| s.set(input_value(&e)))} data-testid="table-jump" />
                    <button type="submit" class="small" data-testid="table-jump-go">{ "Go" }</button>
                </form>
            </div>
            <div class="vtable" role="table" aria-label="Subnets" aria-rowcount={(rows + 1).min(u32::MAX as u128).to_string()}>
                <div class="vrow vhead" role="row">
                    <span role="columnheader">{ "#" }</span>
                    <span role="columnheader">{ "Subnet" }</span>
                    <span role="columnheader">{ "Range" }</span>
                    <span role="columnheader" class="num">{ "Addresses" }</span>
                    <span role="columnheader" class="num">{ "Usable (AWS)" }</span>
                    <span role="columnheader">{ "Note" }</span>
                    <span role="columnheader">{ "Colour" }</span>
                    <span role="columnheader">{ "Actions" }</span>
                </div>
                <div class="vscroll" ref={viewport} {onscroll} tabindex="0" aria-label="Subnet rows, scrollable" data-testid="table-viewport">
                    <div class="vspace" style={format!("height: {virtual_px:.0}px")}>
                        { for window.iter().map(row_html) }
                    </div>
                </div>
            </div>
            <p class="hint">{ "Divide splits a row in half; Join merges a row with its sibling when both are undivided. Notes and colours travel with the share link." }</p>
        </div>
    }
}

fn reset_scroll(viewport: &NodeRef, scroll_top: &UseStateHandle<f64>) {
    if let Some(el) = viewport.cast::<Element>() {
        el.set_scroll_top(0);
    }
    scroll_top.set(0.0);
}
