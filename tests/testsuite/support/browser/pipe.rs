//! The DevTools protocol over Chromium's pipes: JSON messages, each ended
//! by a NUL byte. Any thread may send a command and wait for its answer;
//! one reader thread hands each answer to whoever waits for it (by `id`)
//! and keeps the events of the sessions we attached to (by `sessionId`).

use std::{
    collections::HashMap,
    fmt,
    io::{BufRead, BufReader, PipeReader, PipeWriter, Write},
    sync::{
        Arc, Condvar, Mutex, MutexGuard, PoisonError,
        atomic::{AtomicU64, Ordering},
    },
    thread,
    time::Instant,
};

use serde_json::{Value, json};

/// Why a command got no result.
#[derive(Debug)]
pub enum Failure {
    /// Chromium answered with an error (`{"error": {"message": …}}`).
    Refused(String),
    /// The connection is gone: Chromium exited, or wrote garbage.
    Closed(String),
    /// No answer before the deadline.
    TimedOut,
}

impl fmt::Display for Failure {
    fn fmt(&self, f: &mut fmt::Formatter) -> fmt::Result {
        match self {
            Failure::Refused(message) => write!(f, "Chromium refused: {message}"),
            Failure::Closed(why) => write!(f, "the connection to Chromium is gone: {why}"),
            Failure::TimedOut => write!(f, "no answer in time"),
        }
    }
}

/// An event, as sent: its method and its params.
#[derive(Debug, Clone)]
pub struct Event {
    pub method: String,
    pub params: Value,
}

pub struct Connection {
    /// `None` once closed on purpose (see `close`). The lock keeps the
    /// messages of concurrent senders from interleaving.
    commands: Mutex<Option<PipeWriter>>,
    next_id: AtomicU64,
    shared: Arc<Shared>,
}

#[derive(Default)]
struct Shared {
    state: Mutex<State>,
    /// Signalled when an answer arrives or the connection ends.
    changed: Condvar,
}

#[derive(Default)]
struct State {
    answers: HashMap<u64, Result<Value, Failure>>,
    /// The events of each attached session, in order.
    events: HashMap<String, Vec<Event>>,
    /// Set when the reader stops, with why.
    closed: Option<String>,
}

impl Shared {
    fn lock(&self) -> MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// Waits for the next change to the state, until `deadline` at the
    /// latest: `None` once the deadline has passed.
    fn wait_for_change<'a>(
        &self,
        state: MutexGuard<'a, State>,
        deadline: Instant,
    ) -> Option<MutexGuard<'a, State>> {
        let left = deadline.checked_duration_since(Instant::now())?;
        let (state, _) = self
            .changed
            .wait_timeout(state, left)
            .unwrap_or_else(PoisonError::into_inner);
        Some(state)
    }

    fn deliver(&self, message: Value) {
        let mut state = self.lock();
        if let Some(id) = message.get("id").and_then(Value::as_u64) {
            let answer = match message.get("error") {
                Some(error) => Err(Failure::Refused(
                    error
                        .get("message")
                        .and_then(Value::as_str)
                        .map_or_else(|| error.to_string(), str::to_string),
                )),
                None => Ok(message.get("result").cloned().unwrap_or(Value::Null)),
            };
            state.answers.insert(id, answer);
            self.changed.notify_all();
        } else if let (Some(method), Some(session)) = (
            message.get("method").and_then(Value::as_str),
            message.get("sessionId").and_then(Value::as_str),
        ) {
            // Events of a session nobody listens to (closed pages) are dropped.
            if let Some(events) = state.events.get_mut(session) {
                events.push(Event {
                    method: method.to_string(),
                    params: message.get("params").cloned().unwrap_or(Value::Null),
                });
            }
        }
    }

    fn close(&self, why: String) {
        self.lock().closed.get_or_insert(why);
        self.changed.notify_all();
    }
}

impl Connection {
    /// Talks over `commands` and `messages`; a thread reads the latter.
    pub fn new(commands: PipeWriter, messages: PipeReader) -> Connection {
        let shared = Arc::new(Shared::default());
        let reader = Arc::clone(&shared);
        thread::Builder::new()
            .name("chromium messages".into())
            .spawn(move || read_messages(messages, &reader))
            .expect("a thread to read Chromium's messages");
        Connection {
            commands: Mutex::new(Some(commands)),
            next_id: AtomicU64::new(1),
            shared,
        }
    }

    /// Sends `method` with `params` (to `session`, or to the browser) and
    /// waits until `deadline` for the result.
    pub fn call(
        &self,
        session: Option<&str>,
        method: &str,
        params: Value,
        deadline: Instant,
    ) -> Result<Value, Failure> {
        let id = self.next_id.fetch_add(1, Ordering::Relaxed);
        let mut message = json!({ "id": id, "method": method, "params": params });
        if let Some(session) = session {
            message["sessionId"] = session.into();
        }
        let mut bytes = serde_json::to_vec(&message).expect("JSON of a command");
        bytes.push(0);
        {
            let mut commands = self.commands.lock().unwrap_or_else(PoisonError::into_inner);
            let Some(pipe) = commands.as_mut() else {
                return Err(Failure::Closed("the pipe was closed".into()));
            };
            // Chromium gone, the write fails (EPIPE: Rust ignores SIGPIPE).
            if let Err(err) = pipe.write_all(&bytes) {
                return Err(Failure::Closed(format!("cannot send {method}: {err}")));
            }
        }
        self.wait_for_answer(id, deadline)
    }

    fn wait_for_answer(&self, id: u64, deadline: Instant) -> Result<Value, Failure> {
        let mut state = self.shared.lock();
        loop {
            if let Some(answer) = state.answers.remove(&id) {
                return answer;
            }
            if let Some(why) = &state.closed {
                return Err(Failure::Closed(why.clone()));
            }
            state = self
                .shared
                .wait_for_change(state, deadline)
                .ok_or(Failure::TimedOut)?;
        }
    }

    /// Starts keeping the events of `session`.
    pub fn listen(&self, session: &str) {
        self.shared
            .lock()
            .events
            .insert(session.to_string(), Vec::new());
    }

    /// Stops keeping the events of `session`, and forgets them.
    pub fn forget(&self, session: &str) {
        self.shared.lock().events.remove(session);
    }

    /// The events of `session` so far.
    pub fn events(&self, session: &str) -> Vec<Event> {
        self.shared
            .lock()
            .events
            .get(session)
            .cloned()
            .unwrap_or_default()
    }

    /// Whether `session` has had an event named `method`.
    pub fn saw(&self, session: &str, method: &str) -> bool {
        self.shared
            .lock()
            .events
            .get(session)
            .is_some_and(|events| events.iter().any(|event| event.method == method))
    }

    /// Closes our end of the command pipe, which tells Chromium to quit, and
    /// waits until `deadline` for it to close its end.
    pub fn close(&self, deadline: Instant) -> bool {
        // `try_lock`: this runs at exit, when a sender might never let go.
        if let Ok(mut commands) = self.commands.try_lock() {
            commands.take();
        }
        let mut state = self.shared.lock();
        while state.closed.is_none() {
            let Some(changed) = self.shared.wait_for_change(state, deadline) else {
                return false;
            };
            state = changed;
        }
        true
    }
}

/// Splits the stream on NUL bytes and delivers each message, until the
/// stream ends (Chromium exited) or makes no sense.
fn read_messages(messages: PipeReader, shared: &Shared) {
    let mut messages = BufReader::new(messages);
    let mut bytes = Vec::new();
    let why = loop {
        bytes.clear();
        match messages.read_until(0, &mut bytes) {
            Ok(0) => break "Chromium closed its end of the pipe (it exited)".to_string(),
            Ok(_) => {
                if bytes.pop() != Some(0) {
                    break "Chromium's pipe ended in the middle of a message".to_string();
                }
                match serde_json::from_slice(&bytes) {
                    Ok(message) => shared.deliver(message),
                    Err(err) => break format!("Chromium sent something that is not JSON: {err}"),
                }
            }
            Err(err) => break format!("cannot read Chromium's pipe: {err}"),
        }
    };
    shared.close(why);
}
