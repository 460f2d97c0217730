//! In-browser tests of the app shell (wasm-bindgen-test in headless Chromium).
//!
//! Each test mounts the real `App` into a fresh element, drives it through the DOM as a user
//! would, and lets Yew settle with `yew::scheduler::flush()` instead of sleeping.
#![cfg(target_arch = "wasm32")]

use gloo::timers::future::TimeoutFuture;
use stratus::app::App;
use stratus::core::tools::{Status, TOOLS};
use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;
use web_sys::{Element, HtmlElement};

wasm_bindgen_test_configure!(run_in_browser);

fn document() -> web_sys::Document {
    web_sys::window().unwrap().document().unwrap()
}

struct Mounted {
    root: Element,
    handle: Option<yew::AppHandle<App>>,
}

impl Mounted {
    async fn new(hash: &str) -> Mounted {
        web_sys::window()
            .unwrap()
            .location()
            .set_hash(hash)
            .unwrap();
        let _ = web_sys::window()
            .unwrap()
            .local_storage()
            .unwrap()
            .unwrap()
            .clear();
        let root = document().create_element("div").unwrap();
        document().body().unwrap().append_child(&root).unwrap();
        // One module with every page: the tests move between tools without reloading.
        stratus::app::modules::set_current(stratus::app::modules::ALL);
        let handle = yew::Renderer::<App>::with_root(root.clone()).render();
        settle().await;
        // Pages appear once the saved sandboxes are read from IndexedDB.
        for _ in 0..300 {
            if root.query_selector("main").unwrap().is_some() {
                break;
            }
            TimeoutFuture::new(10).await;
            settle().await;
        }
        Mounted {
            root,
            handle: Some(handle),
        }
    }

    fn query(&self, selector: &str) -> Option<HtmlElement> {
        self.root
            .query_selector(selector)
            .unwrap()
            .map(|e| e.dyn_into().unwrap())
    }

    fn text(&self, selector: &str) -> String {
        self.query(selector)
            .unwrap_or_else(|| panic!("no element matches {selector}"))
            .inner_text()
    }

    fn count(&self, selector: &str) -> u32 {
        self.root.query_selector_all(selector).unwrap().length()
    }
}

impl Drop for Mounted {
    fn drop(&mut self) {
        if let Some(handle) = self.handle.take() {
            handle.destroy();
        }
        self.root.remove();
    }
}

/// Lets pending browser events (hash changes) arrive, then Yew re-render.
async fn settle() {
    TimeoutFuture::new(0).await;
    yew::scheduler::flush().await;
    TimeoutFuture::new(0).await;
    yew::scheduler::flush().await;
}

fn root_attr(name: &str) -> Option<String> {
    document().document_element().unwrap().get_attribute(name)
}

#[wasm_bindgen_test]
async fn home_lists_every_tool_in_nav_and_cards() {
    let app = Mounted::new("#/").await;
    assert!(app.text("main h1").contains("Learn AWS"));
    assert_eq!(app.count("nav[aria-label=Tools] a"), TOOLS.len() as u32);
    for tool in TOOLS {
        let card = format!("[data-testid=tool-card-{}]", tool.id);
        assert!(app.query(&card).is_some(), "no card for {}", tool.id);
    }
    // The app marks itself ready once the first render is interactive.
    assert_eq!(root_attr("data-ready").as_deref(), Some("true"));
}

#[wasm_bindgen_test]
async fn clicking_a_nav_link_routes_and_marks_it_current() {
    let app = Mounted::new("#/").await;
    app.query("nav a[href='#/dynamodb']").unwrap().click();
    settle().await;
    assert_eq!(
        app.text("[data-testid=page-title]"),
        "DynamoDB capacity and cost"
    );
    assert_eq!(app.text("nav a[aria-current=page]"), "DynamoDB");
    assert_eq!(document().title(), "DynamoDB capacity and cost · Stratus");
    assert_eq!(app.count("nav a[aria-current=page]"), 1);
}

#[wasm_bindgen_test]
async fn unknown_routes_show_not_found() {
    for hash in ["#/nope", "#/cidr/extra", "#/404"] {
        let app = Mounted::new(hash).await;
        assert!(app.query("[data-testid=not-found]").is_some(), "{hash}");
    }
}

#[wasm_bindgen_test]
async fn theme_button_cycles_and_persists() {
    let app = Mounted::new("#/").await;
    let button = app.query("[data-testid=theme-toggle]").unwrap();
    assert_eq!(root_attr("data-theme"), None);
    button.click();
    settle().await;
    assert_eq!(root_attr("data-theme").as_deref(), Some("light"));
    button.click();
    settle().await;
    assert_eq!(root_attr("data-theme").as_deref(), Some("dark"));
    let stored = web_sys::window()
        .unwrap()
        .local_storage()
        .unwrap()
        .unwrap()
        .get_item("stratus.theme")
        .unwrap();
    assert_eq!(stored.as_deref(), Some("dark"));
    button.click();
    settle().await;
    assert_eq!(root_attr("data-theme"), None);
}

#[wasm_bindgen_test]
async fn presenter_button_is_a_pressed_toggle() {
    let app = Mounted::new("#/cidr").await;
    let button = app.query("[data-testid=presenter-toggle]").unwrap();
    assert_eq!(
        button.get_attribute("aria-pressed").as_deref(),
        Some("false")
    );
    button.click();
    settle().await;
    assert_eq!(
        button.get_attribute("aria-pressed").as_deref(),
        Some("true")
    );
    assert_eq!(root_attr("data-presenter").as_deref(), Some("on"));
    button.click();
    settle().await;
    assert_eq!(root_attr("data-presenter"), None);
}

#[wasm_bindgen_test]
async fn coming_soon_pages_describe_the_tool_and_show_no_results() {
    for tool in TOOLS.iter().filter(|t| t.status == Status::ComingSoon) {
        let app = Mounted::new(&format!("#/{}", tool.id)).await;
        assert_eq!(app.text("[data-testid=page-title]"), tool.title);
        assert_eq!(app.text("[data-testid=tool-status]"), "Coming soon");
        assert_eq!(
            app.count(".capabilities li"),
            stratus::core::tools::about(tool.id)
                .unwrap()
                .capabilities
                .len() as u32
        );
        assert!(app.text("main").contains("not built yet"));
    }
}

fn set_input(el: &HtmlElement, value: &str) {
    if let Some(input) = el.dyn_ref::<web_sys::HtmlInputElement>() {
        input.set_value(value);
    } else {
        let area: &web_sys::HtmlTextAreaElement = el.dyn_ref().unwrap();
        area.set_value(value);
    }
    let event = web_sys::InputEvent::new("input").unwrap();
    el.dispatch_event(&event).unwrap();
}

#[wasm_bindgen_test]
async fn cidr_explain_reacts_to_typing() {
    let app = Mounted::new("#/cidr").await;
    assert_eq!(app.text("[data-testid=cidr-total]"), "65,536");
    set_input(
        &app.query("[data-testid=explain-input]").unwrap(),
        "10.0.0.0/24",
    );
    settle().await;
    assert_eq!(app.text("[data-testid=cidr-usable-aws]"), "251");
    set_input(
        &app.query("[data-testid=explain-input]").unwrap(),
        "300.1.1.1",
    );
    settle().await;
    assert!(app.text("[data-testid=explain-error]").contains("0 to 255"));
    // The last good result is not shown for bad input, and nothing panicked.
    assert!(app.query("[data-testid=cidr-total]").is_none());
}

#[wasm_bindgen_test]
async fn cidr_subnet_table_renders_only_visible_rows() {
    let app = Mounted::new("#/cidr?v=1&s=%7B%22tab%22:%22subnets%22,%22table%22:%7B%22root%22:%2210.0.0.0/8%22,%22runs%22:%5B%5B28,1048576%5D%5D%7D%7D").await;
    assert_eq!(app.text("[data-testid=table-row-count]"), "1,048,576");
    // The test page has no stylesheet, so the viewport is unbounded and the row cap applies:
    // still a few dozen rows, not a million.
    let rendered = app.count("[data-testid^=subnet-row-]");
    assert!(rendered > 0 && rendered <= 128, "rendered {rendered} rows");
    app.query("[data-testid=subnet-row-0] [data-testid=subnet-divide]")
        .unwrap()
        .click();
    settle().await;
    assert_eq!(app.text("[data-testid=table-row-count]"), "1,048,577");
    assert_eq!(
        app.text("[data-testid=subnet-row-0] [data-testid=subnet-cidr]"),
        "10.0.0.0/29"
    );
}

#[wasm_bindgen_test]
async fn drive_failure_reproduces_the_dice_demo() {
    let app = Mounted::new("#/drive-failure").await;
    assert_eq!(app.text("[data-testid=drive-per-day]"), "5.53e-5");
    set_input(&app.query("[data-testid=rate]").unwrap(), "150");
    settle().await;
    assert!(app
        .text("[data-testid=one-errors]")
        .contains("cannot exceed 100%"));
    // The last figures stay, marked stale, until the rate is corrected.
    assert!(app
        .query("[data-testid=one-stale] [data-testid=drive-per-day]")
        .is_some());
}

#[wasm_bindgen_test]
async fn lambda_bills_the_aws_example() {
    let app = Mounted::new("#/lambda").await;
    assert_eq!(app.text("[data-testid=now-total]"), "$18.73");
    set_input(&app.query("[data-testid=memory]").unwrap(), "64");
    settle().await;
    assert!(app
        .text("[data-testid=lambda-errors]")
        .contains("64 MB is not allowed"));
}

#[wasm_bindgen_test]
async fn iam_decides_the_three_outcomes_and_names_a_broken_policy() {
    let app = Mounted::new("#/iam").await;
    assert_eq!(app.text("[data-testid=row-decision-0]"), "Allow");
    assert_eq!(app.text("[data-testid=row-decision-1]"), "ImplicitDeny");
    assert_eq!(app.text("[data-testid=row-decision-2]"), "ExplicitDeny");
    assert_eq!(app.text("[data-testid=decision]"), "Allow");
    set_input(
        &app.query("[data-testid=policy-identity-0]").unwrap(),
        "{\"Statement\": [{\"Effect\": \"allow\", \"Action\": \"*\"}]}",
    );
    settle().await;
    assert!(app
        .text("[data-testid=policy-error-identity-0]")
        .contains("Statement[0].Effect: must be Allow or Deny"));
    assert_eq!(app.text("[data-testid=row-decision-0]"), "—");
}

#[wasm_bindgen_test]
async fn dynamodb_reproduces_the_course_examples() {
    let app = Mounted::new("#/dynamodb").await;
    assert_eq!(app.text("[data-testid=total-wcu]"), "54 WCU");
    assert_eq!(app.text("[data-testid=total-rcu]"), "44 RCU");
    assert_eq!(app.text("[data-testid=request-units]"), "2 RCU");
    assert_eq!(app.text("[data-testid=item-size]"), "57 bytes");
    set_input(&app.query("[data-testid=line-1-rate]").unwrap(), "-5");
    settle().await;
    assert!(app
        .text("[data-testid=workload-errors]")
        .contains("Line 1: a request rate cannot be negative"));
    set_input(
        &app.query("[data-testid=item]").unwrap(),
        "{\"n\": {\"N\": \"12abc\"}}",
    );
    settle().await;
    assert!(app.text("[data-testid=item-error]").contains("12abc"));
}

/// Real IndexedDB in headless Chromium: the store behind sandboxes.
#[wasm_bindgen_test]
async fn indexeddb_store_saves_lists_and_deletes() {
    use stratus::core::sandbox::Sandbox;
    use stratus::platform::idb;
    let db = idb::open().await.expect("IndexedDB opens");
    let mut s = Sandbox::new("sb-web-1".into(), "Web test", 1);
    s.set_tool_query("lambda", "v=1&s=%7B%22memory_mb%22%3A%221024%22%7D");
    idb::put(&db, &s).await.unwrap();
    assert_eq!(idb::get(&db, "sb-web-1").await.unwrap(), Some(s.clone()));
    let (list, damaged) = idb::list(&db).await.unwrap();
    assert!(list.contains(&s));
    assert!(damaged.is_empty(), "{damaged:?}");
    idb::delete(&db, "sb-web-1").await.unwrap();
    assert_eq!(idb::get(&db, "sb-web-1").await.unwrap(), None);
}

#[wasm_bindgen_test]
async fn a_corrupt_record_is_reported_and_skipped() {
    use stratus::core::sandbox::Sandbox;
    use stratus::platform::idb;
    let db = idb::open().await.unwrap();
    idb::put(&db, &Sandbox::new("sb-web-2".into(), "Good", 1))
        .await
        .unwrap();
    idb::put_raw(&db, "sb-web-bad", "{ not json").await.unwrap();
    let (list, damaged) = idb::list(&db).await.unwrap();
    assert!(list.iter().any(|s| s.id == "sb-web-2"));
    assert_eq!(damaged.len(), 1);
    assert!(damaged[0].contains("could not be read and was skipped"));
    assert!(idb::get(&db, "sb-web-bad")
        .await
        .unwrap_err()
        .0
        .contains("damaged"));
    idb::delete(&db, "sb-web-bad").await.unwrap();
    idb::delete(&db, "sb-web-2").await.unwrap();
}

#[wasm_bindgen_test]
async fn vpc_explains_the_web_server_path() {
    let app = Mounted::new("#/vpc").await;
    assert_eq!(app.text("[data-testid=vpc-verdict]"), "Reachable");
    assert!(app.text("[data-testid=hop-1]").contains("Internet gateway"));
    set_input(&app.query("[data-testid=port]").unwrap(), "22");
    settle().await;
    assert_eq!(app.text("[data-testid=vpc-verdict]"), "Not reachable");
    assert!(app
        .query("[data-testid=vpc-code-SG_INGRESS_NO_RULE]")
        .is_some());
}

#[wasm_bindgen_test]
async fn flow_moves_the_poison_message_and_names_a_bad_field() {
    // The DLQ lesson at its end: the message moved on the receive after maxReceiveCount.
    let state = r#"{"template":"dlq","time_ms":150000}"#;
    let app = Mounted::new(&format!(
        "#/flow?v=1&s={}",
        js_sys::encode_uri_component(state)
    ))
    .await;
    assert_eq!(
        app.text("[data-testid=counter-queue-orders-dlq-moved-in]"),
        "1 moved in"
    );
    assert_eq!(
        app.text("[data-testid=counter-queue-orders-dlq-visible]"),
        "1 visible"
    );
    assert!(app
        .text("[data-testid=log-line][data-code=SQS_MOVED_TO_DLQ]")
        .contains("receive 4 after maxReceiveCount 3"));
    // Build: a field that is not a number is named, and the typed text stays.
    app.query("[data-testid=build-pick-queue-orders]")
        .unwrap()
        .click();
    settle().await;
    let field = app.query("[data-testid=queue-visibility]").unwrap();
    set_input(&field, "thirty");
    settle().await;
    app.query("[data-testid=queue-save]").unwrap().click();
    settle().await;
    assert_eq!(
        app.text("[data-testid=editor-queue] [data-testid=form-error]"),
        "Visibility timeout: “thirty” is not a whole number."
    );
    let kept: web_sys::HtmlInputElement = field.dyn_into().unwrap();
    assert_eq!(kept.value(), "thirty");
}

#[wasm_bindgen_test]
async fn flow_table_viewer_shows_the_orders_and_what_each_call_consumed() {
    // The conditional-write lesson at its end: three orders stored, the duplicate refused
    // (and consuming a write unit), then two reads and a Query.
    let state = r#"{"template":"orders","time_ms":20000}"#;
    let app = Mounted::new(&format!(
        "#/flow?v=1&s={}",
        js_sys::encode_uri_component(state)
    ))
    .await;
    assert_eq!(
        app.text("[data-testid=flow-table-orders-totals]"),
        "3 items · 3 reads (2 RRU) · 3 writes, 1 refused by its condition (4 WRU)"
    );
    assert_eq!(
        app.text("[data-testid=counter-table-orders-condition-failures]"),
        "1 condition failure"
    );
    let calls = app.text("[data-testid=flow-table-orders-calls]");
    assert!(calls.contains("GetItem read: 1 RRU"), "{calls}");
    assert!(calls.contains("GetItem read: 0.5 RRU"), "{calls}");
    // Its editor says how it is keyed and billed.
    app.query("[data-testid=build-pick-table-orders]")
        .unwrap()
        .click();
    settle().await;
    assert!(app
        .text("[data-testid=table-summary]")
        .starts_with("partition key id (S), on-demand"));
}

#[wasm_bindgen_test]
async fn console_runs_a_typed_command_and_recalls_it() {
    let app = Mounted::new("#/console").await;
    let input = app.query("[data-testid=console-input]").unwrap();
    let key = |name: &str| {
        let e: web_sys::Event = js_sys::eval(&format!(
            "new KeyboardEvent('keydown', {{key: '{name}', bubbles: true}})"
        ))
        .unwrap()
        .dyn_into()
        .unwrap();
        input.dispatch_event(&e).unwrap();
    };
    set_input(
        &input,
        "aws sts get-caller-identity --query Account --output text",
    );
    settle().await;
    key("Enter");
    settle().await;
    assert_eq!(app.count("[data-testid=console-entry]"), 1);
    assert!(app
        .text("[data-testid=console-stdout]")
        .contains("111122223333"));
    // ↑ brings the line back.
    key("ArrowUp");
    settle().await;
    let value = input
        .dyn_ref::<web_sys::HtmlInputElement>()
        .unwrap()
        .value();
    assert_eq!(
        value,
        "aws sts get-caller-identity --query Account --output text"
    );
    // Tab lists the operations that start with what was typed.
    set_input(&input, "aws ec2 describe-i");
    settle().await;
    key("Tab");
    settle().await;
    assert!(app
        .text("[data-testid=console-hint]")
        .contains("describe-instances"));
}
