//! One page of the shared browser: a target with a session of its own, so
//! that its events (console messages, a crash) are told apart from those of
//! the pages other tests load at the same time.

use std::{
    thread,
    time::{Duration, Instant},
};

use serde_json::{Value, json};

use super::{
    Browser, DEADLINE, Options,
    pipe::{Event, Failure},
};

/// How often `wait_until` asks again: a round trip costs about a millisecond.
const POLL: Duration = Duration::from_millis(20);

/// A page, open until dropped.
pub struct Page<'b> {
    browser: &'b Browser,
    target: String,
    session: String,
    url: String,
}

impl<'b> Page<'b> {
    /// A new, blank page, with the protocol's domains we read enabled.
    pub(super) fn blank(browser: &'b Browser) -> Page<'b> {
        let deadline = Instant::now() + DEADLINE;
        let what = || "opening a page".to_string();
        // A window of its own: a tab behind another would be hidden, and a
        // hidden page draws no frames (no requestAnimationFrame callbacks)
        // and runs its timers late, unlike a reader's.
        let created = browser.call(
            None,
            "Target.createTarget",
            json!({ "url": "about:blank", "newWindow": true }),
            deadline,
            what,
        );
        let target = created["targetId"]
            .as_str()
            .expect("a targetId")
            .to_string();
        // Flattened: the session's messages travel on the same pipe, marked
        // with its sessionId.
        let attached = browser.call(
            None,
            "Target.attachToTarget",
            json!({ "targetId": target, "flatten": true }),
            deadline,
            what,
        );
        let session = attached["sessionId"]
            .as_str()
            .expect("a sessionId")
            .to_string();
        browser.connection.listen(&session);
        let page = Page {
            browser,
            target,
            session,
            url: "about:blank".to_string(),
        };
        // Runtime: console calls and uncaught exceptions; Log: the browser's
        // own messages, failed loads among them; Inspector: crashes. Page and
        // Network are left off: their events cost time and tell no more.
        for domain in ["Runtime", "Log", "Inspector"] {
            page.call(&format!("{domain}.enable"), json!({}), deadline);
        }
        page
    }

    /// Loads `url` in this page, for a reader preferring `options.language`,
    /// and waits for its load event. Cheaper than opening another page: a
    /// new page costs a window and a renderer process, nearly a second of
    /// CPU, and a load in a page already open a fraction of that.
    pub fn goto(&mut self, url: &str, options: Options) {
        let deadline = Instant::now() + DEADLINE;
        self.url = url.to_string();
        // Both navigator.languages and the Accept-Language header follow
        // `acceptLanguage`; the user agent is required, so it is Chromium's own.
        self.call(
            "Emulation.setUserAgentOverride",
            json!({ "userAgent": self.browser.user_agent, "acceptLanguage": options.language }),
            deadline,
        );
        // Chromium answers once the new document is committed (or the
        // navigation failed), so what follows sees the new document.
        let navigated = self.call("Page.navigate", json!({ "url": url }), deadline);
        if let Some(error) = navigated["errorText"].as_str().filter(|e| !e.is_empty()) {
            panic!("Chromium could not load {url}: {error}");
        }
        // about:blank, from which a new page starts, is "complete" already.
        self.wait_until(
            "document.readyState === 'complete' && location.href !== 'about:blank'",
            "its load event",
        );
    }

    /// Presses `key` on the keyboard, as a reader does, and lets it go:
    /// `Tab`, `Enter`, a space (`" "`), `ArrowRight`. The page gets the key
    /// events a real keyboard sends, and does what it does with them
    /// (moves the focus, presses the button that has it).
    pub fn press(&self, key: &str) {
        let deadline = Instant::now() + DEADLINE;
        let (code, virtual_code, text) = match key {
            "Tab" => ("Tab", 9, ""),
            "Enter" => ("Enter", 13, "\r"),
            " " => ("Space", 32, " "),
            "ArrowRight" => ("ArrowRight", 39, ""),
            other => panic!("press: no key code known for {other:?}"),
        };
        let down = if text.is_empty() {
            "rawKeyDown"
        } else {
            "keyDown"
        };
        for kind in [down, "keyUp"] {
            self.call(
                "Input.dispatchKeyEvent",
                json!({
                    "type": kind,
                    "key": key,
                    "code": code,
                    "windowsVirtualKeyCode": virtual_code,
                    "text": if kind == "keyUp" { "" } else { text },
                }),
                deadline,
            );
        }
    }

    /// The words a screen reader is given for the page: the names of the
    /// nodes of its accessibility tree, as Chromium computes them for
    /// assistive technology (text hidden from it, `aria-hidden`, is not
    /// there).
    pub fn accessible_words(&self) -> Vec<String> {
        let deadline = Instant::now() + DEADLINE;
        let tree = self.call("Accessibility.getFullAXTree", json!({}), deadline);
        tree["nodes"]
            .as_array()
            .into_iter()
            .flatten()
            .filter(|node| node["ignored"] != Value::Bool(true))
            .filter_map(|node| node["name"]["value"].as_str())
            .map(str::to_string)
            .collect()
    }

    /// The URL the page was last sent to.
    pub fn url(&self) -> &str {
        &self.url
    }

    fn call(&self, method: &str, params: Value, deadline: Instant) -> Value {
        self.browser
            .call(Some(&self.session), method, params, deadline, || {
                format!("the page of {}", self.url)
            })
    }

    /// The value of the JavaScript expression `js` (awaited, if a promise);
    /// panics if it throws.
    pub fn eval(&self, js: &str) -> Value {
        let deadline = Instant::now() + DEADLINE;
        self.try_eval(js, deadline)
            .unwrap_or_else(|failure| match failure {
                Evaluation::Threw(error) => panic!("{}: {js} threw {error}", self.url),
                Evaluation::Failed(failure) => self.browser.fail(
                    &format!("{}: evaluating {js}", self.url),
                    "Runtime.evaluate",
                    &failure,
                ),
            })
    }

    fn try_eval(&self, js: &str, deadline: Instant) -> Result<Value, Evaluation> {
        let params = json!({ "expression": js, "returnByValue": true, "awaitPromise": true });
        let evaluated = self
            .browser
            .connection
            .call(Some(&self.session), "Runtime.evaluate", params, deadline)
            .map_err(Evaluation::Failed)?;
        if let Some(details) = evaluated.get("exceptionDetails") {
            return Err(Evaluation::Threw(exception_text(details)));
        }
        Ok(evaluated["result"]
            .get("value")
            .cloned()
            .unwrap_or(Value::Null))
    }

    /// Waits until the JavaScript expression `js` is `true`, asking again
    /// every few milliseconds; panics after `DEADLINE`, naming `what` was
    /// awaited. While the page navigates, `js` may throw or find no
    /// document: that is "not yet".
    pub fn wait_until(&self, js: &str, what: &str) {
        let deadline = Instant::now() + DEADLINE;
        let mut last;
        loop {
            match self.try_eval(js, deadline) {
                Ok(Value::Bool(true)) => return,
                Ok(value) => last = format!("was {value}"),
                Err(Evaluation::Threw(error)) => last = format!("threw {error}"),
                Err(Evaluation::Failed(Failure::Refused(message))) => {
                    last = format!("could not be evaluated: {message}");
                }
                Err(Evaluation::Failed(failure)) => self.browser.fail(
                    &format!("{}: waiting for {what}", self.url),
                    "Runtime.evaluate",
                    &failure,
                ),
            }
            if self
                .browser
                .connection
                .saw(&self.session, "Inspector.targetCrashed")
            {
                panic!("{}: the page crashed while waiting for {what}", self.url);
            }
            if Instant::now() + POLL >= deadline {
                panic!(
                    "{}: waited {DEADLINE:?} for {what}, in vain: `{js}` {last}",
                    self.url
                );
            }
            thread::sleep(POLL);
        }
    }

    /// The page's DOM, as HTML, now.
    pub fn dom(&self) -> String {
        match self.eval("document.documentElement.outerHTML") {
            Value::String(html) => html,
            other => panic!("{}: the DOM is not text: {other}", self.url),
        }
    }

    /// What the page and its frames wrote to the console since it opened,
    /// whatever it loaded, each with where it comes from: console calls, uncaught exceptions, and the
    /// browser's own messages (failed loads, blocked content, deprecations).
    pub fn console(&self) -> Vec<String> {
        let events = self.browser.connection.events(&self.session);
        events.iter().filter_map(console_line).collect()
    }
}

impl Drop for Page<'_> {
    /// Closes the target, without waiting long: this may run while a test
    /// unwinds, perhaps because Chromium stopped answering.
    fn drop(&mut self) {
        let deadline = Instant::now() + Duration::from_secs(5);
        let params = json!({ "targetId": self.target });
        let _ = self
            .browser
            .connection
            .call(None, "Target.closeTarget", params, deadline);
        self.browser.connection.forget(&self.session);
    }
}

enum Evaluation {
    /// The expression threw this.
    Threw(String),
    /// Chromium did not evaluate it.
    Failed(Failure),
}

/// A console line for the events that are console messages.
fn console_line(event: &Event) -> Option<String> {
    let params = &event.params;
    match event.method.as_str() {
        "Runtime.consoleAPICalled" => {
            let words: Vec<String> = params["args"]
                .as_array()
                .map(|args| args.iter().map(remote_object_text).collect())
                .unwrap_or_default();
            let frame = &params["stackTrace"]["callFrames"][0];
            Some(format!(
                "console.{} at {}: {}",
                text(&params["type"]),
                place(&frame["url"], &frame["lineNumber"]),
                words.join(" ")
            ))
        }
        "Runtime.exceptionThrown" => {
            let details = &params["exceptionDetails"];
            Some(format!(
                "uncaught exception at {}: {}",
                place(&details["url"], &details["lineNumber"]),
                exception_text(details)
            ))
        }
        "Log.entryAdded" => {
            let entry = &params["entry"];
            Some(format!(
                "{} ({}) at {}: {}",
                text(&entry["level"]),
                text(&entry["source"]),
                place(&entry["url"], &entry["lineNumber"]),
                text(&entry["text"])
            ))
        }
        _ => None,
    }
}

/// `url:line`, the line counted from 1 (the protocol counts from 0).
fn place(url: &Value, line: &Value) -> String {
    match line.as_u64() {
        Some(line) => format!("{}:{}", text(url), line + 1),
        None => text(url),
    }
}

fn exception_text(details: &Value) -> String {
    details["exception"]["description"]
        .as_str()
        .map_or_else(|| text(&details["text"]), str::to_string)
}

/// A console argument as the console would print it.
fn remote_object_text(object: &Value) -> String {
    match (object.get("value"), object.get("description")) {
        (Some(Value::String(value)), _) => value.clone(),
        (Some(value), _) => value.to_string(),
        (None, Some(description)) => text(description),
        (None, None) => text(&object["type"]),
    }
}

/// A JSON string's text; anything else as JSON, absent as "?".
fn text(value: &Value) -> String {
    match value {
        Value::String(text) => text.clone(),
        Value::Null => "?".to_string(),
        other => other.to_string(),
    }
}
