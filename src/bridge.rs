//! The page's side of the Web Worker: start it, send requests, receive responses.
//!
//! The worker starts once the page has drawn itself ([`Bridge::start`]) or with the first
//! request, whichever comes first: its code is nearly half of what a first visit
//! downloads, and the page is usable without it, so it does not compete with the page's
//! own code. It still starts before any data can be loaded, so no request is ever made
//! after the user's data is in. Its wasm module loads asynchronously, so requests sent
//! before it reports [`Response::Ready`] are queued and flushed then (a plain
//! `postMessage` would be lost).

use std::cell::{Cell, RefCell};
use std::rc::Rc;

use js_sys::{Array, Object, Reflect};
use wasm_bindgen::JsCast;
use wasm_bindgen::prelude::*;
use web_sys::{ErrorEvent, MessageEvent, Worker};

use crate::protocol::{Envelope, Request, Response};

/// The worker script Trunk writes next to `index.html` (relative, so sub-path hosting works).
pub const WORKER_SCRIPT: &str = "./worker-loader.js";

struct Inner {
    worker: RefCell<Option<Worker>>,
    ready: Cell<bool>,
    queue: RefCell<Vec<JsValue>>,
    next_id: Cell<u32>,
    /// Set when the bridge is dropped: answers read before and not shown yet are dropped
    /// too (the page has moved on to another worker).
    closed: Cell<bool>,
}

/// The worker, started on first use.
pub struct Bridge {
    inner: Rc<Inner>,
    on_message: Closure<dyn FnMut(MessageEvent)>,
    on_error: Closure<dyn FnMut(ErrorEvent)>,
}

/// Reads one of the worker's messages (an [`Envelope`] of a [`Response`]).
///
/// The large answers (a segmentation, the customer table, the neighbour map) are read
/// straight into their views: read as a `Response`, serde's internally tagged enum first
/// copies the whole message into an untyped tree and then reads that: in a CPU profile of
/// 200,000 customers' results, that was about half of the page's work on the message, all
/// in one task during which the page could not respond.
pub fn decode(data: JsValue) -> Result<Response, serde_wasm_bindgen::Error> {
    let body = Reflect::get(&data, &JsValue::from_str("body")).unwrap_or_default();
    let tag = Reflect::get(&body, &JsValue::from_str("type"))
        .ok()
        .and_then(|t| t.as_string());
    match tag.as_deref() {
        Some("segmented") => serde_wasm_bindgen::from_value(body).map(Response::Segmented),
        Some("dataset") => serde_wasm_bindgen::from_value(body).map(Response::Dataset),
        Some("neighbour_map") => serde_wasm_bindgen::from_value(body).map(Response::NeighbourMap),
        _ => serde_wasm_bindgen::from_value::<Envelope<Response>>(data).map(|e| e.body),
    }
}

/// Gives `response` to `handler` in a task of its own, unless the bridge is dropped first.
fn show_later(inner: &Rc<Inner>, handler: &Rc<impl Fn(Response) + 'static>, response: Response) {
    let (inner, handler) = (Rc::clone(inner), Rc::clone(handler));
    leptos::prelude::set_timeout(
        move || {
            if !inner.closed.get() {
                handler(response);
            }
        },
        std::time::Duration::ZERO,
    );
}

impl Bridge {
    /// A bridge to a worker not started yet; `on_response` receives every decoded
    /// response.
    pub fn spawn(on_response: impl Fn(Response) + 'static) -> Result<Bridge, String> {
        let inner = Rc::new(Inner {
            worker: RefCell::new(None),
            ready: Cell::new(false),
            queue: RefCell::new(Vec::new()),
            next_id: Cell::new(1),
            closed: Cell::new(false),
        });
        let on_response = Rc::new(on_response);
        let for_message = Rc::clone(&inner);
        let for_error = Rc::clone(&inner);
        let handler = Rc::clone(&on_response);
        let on_message = Closure::<dyn FnMut(MessageEvent)>::new(move |event: MessageEvent| {
            let response = match decode(event.data()) {
                Ok(response) => response,
                Err(e) => Response::Failed {
                    message: format!(
                        "The page could not read the worker's answer ({e}). Reload the page."
                    ),
                },
            };
            if response == Response::Ready {
                for_message.ready.set(true);
                if let Some(worker) = for_message.worker.borrow().as_ref() {
                    for message in for_message.queue.borrow_mut().drain(..) {
                        let _ = worker.post_message(&message);
                    }
                }
            }
            // Reading a message and showing what it says are two tasks: for 200,000
            // customers' results each takes tens of milliseconds, and together they kept
            // the page from responding for longer than the 100 ms users notice. Timers
            // run in the order they were set, so responses still arrive in order.
            show_later(&for_message, &handler, response);
        });
        let on_error = Closure::<dyn FnMut(ErrorEvent)>::new(move |event: ErrorEvent| {
            event.prevent_default();
            // After the answers read before it, as they are shown in their own tasks.
            let crashed = Response::Crashed {
                message: event.message(),
            };
            show_later(&for_error, &on_response, crashed);
        });
        Ok(Bridge {
            inner,
            on_message,
            on_error,
        })
    }

    /// Starts the worker if it is not running yet.
    pub fn start(&self) -> Result<(), String> {
        if self.inner.worker.borrow().is_some() {
            return Ok(());
        }
        let worker = Worker::new(WORKER_SCRIPT)
            .map_err(|e| format!("The background worker could not start: {e:?}"))?;
        worker.set_onmessage(Some(self.on_message.as_ref().unchecked_ref()));
        worker.set_onerror(Some(self.on_error.as_ref().unchecked_ref()));
        *self.inner.worker.borrow_mut() = Some(worker);
        Ok(())
    }

    /// Queues a setting for the worker without starting it (it gets the setting first
    /// when it starts).
    pub fn settle(&self, request: &Request) -> Result<(), String> {
        let (_, message) = self.message(request, None)?;
        self.inner.queue.borrow_mut().push(message.into());
        Ok(())
    }

    /// The message for `request`, and its id.
    fn message(&self, request: &Request, files: Option<&Array>) -> Result<(u32, Object), String> {
        let id = self.inner.next_id.get();
        self.inner.next_id.set(id + 1);
        let message = Object::new();
        let body = serde_wasm_bindgen::to_value(request).map_err(|e| e.to_string())?;
        let set = |key: &str, value: &JsValue| {
            Reflect::set(&message, &key.into(), value)
                .map(|_| ())
                .map_err(|e| format!("{e:?}"))
        };
        set("id", &JsValue::from(id))?;
        set("body", &body)?;
        if let Some(files) = files {
            set("files", files)?;
        }
        Ok((id, message))
    }

    /// Sends a request, with `files` (a JS array of `File`) for uploads.
    pub fn send(&self, request: &Request, files: Option<&Array>) -> Result<u32, String> {
        self.start()?;
        let (id, message) = self.message(request, files)?;
        match self.inner.worker.borrow().as_ref() {
            Some(worker) if self.inner.ready.get() => worker
                .post_message(&message)
                .map_err(|e| format!("{e:?}"))?,
            _ => self.inner.queue.borrow_mut().push(message.into()),
        }
        Ok(id)
    }
}

impl Drop for Bridge {
    fn drop(&mut self) {
        self.inner.closed.set(true);
        if let Some(worker) = self.inner.worker.borrow_mut().take() {
            worker.terminate();
        }
    }
}
