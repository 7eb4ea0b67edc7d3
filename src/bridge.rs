//! The page's side of the Web Worker: start it, send requests, receive responses.
//!
//! The worker's wasm module loads asynchronously, so requests sent before it reports
//! [`Response::Ready`] are queued and flushed then (a plain `postMessage` would be lost).

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
    worker: Worker,
    ready: Cell<bool>,
    queue: RefCell<Vec<JsValue>>,
    next_id: Cell<u32>,
}

/// A running worker.
pub struct Bridge {
    inner: Rc<Inner>,
    _on_message: Closure<dyn FnMut(MessageEvent)>,
    _on_error: Closure<dyn FnMut(ErrorEvent)>,
}

impl Bridge {
    /// Starts the worker; `on_response` receives every decoded response.
    pub fn spawn(on_response: impl Fn(Response) + 'static) -> Result<Bridge, String> {
        let worker = Worker::new(WORKER_SCRIPT)
            .map_err(|e| format!("The background worker could not start: {e:?}"))?;
        let inner = Rc::new(Inner {
            worker,
            ready: Cell::new(false),
            queue: RefCell::new(Vec::new()),
            next_id: Cell::new(1),
        });
        let on_response = Rc::new(on_response);
        let for_message = Rc::clone(&inner);
        let handler = Rc::clone(&on_response);
        let on_message = Closure::<dyn FnMut(MessageEvent)>::new(move |event: MessageEvent| {
            let response = match serde_wasm_bindgen::from_value::<Envelope<Response>>(event.data())
            {
                Ok(envelope) => envelope.body,
                Err(e) => Response::Failed {
                    message: format!(
                        "The page could not read the worker's answer ({e}). Reload the page."
                    ),
                },
            };
            if response == Response::Ready {
                for_message.ready.set(true);
                for message in for_message.queue.borrow_mut().drain(..) {
                    let _ = for_message.worker.post_message(&message);
                }
            }
            handler(response);
        });
        let on_error = Closure::<dyn FnMut(ErrorEvent)>::new(move |event: ErrorEvent| {
            event.prevent_default();
            on_response(Response::Crashed {
                message: event.message(),
            });
        });
        inner
            .worker
            .set_onmessage(Some(on_message.as_ref().unchecked_ref()));
        inner
            .worker
            .set_onerror(Some(on_error.as_ref().unchecked_ref()));
        Ok(Bridge {
            inner,
            _on_message: on_message,
            _on_error: on_error,
        })
    }

    /// Sends a request, with `files` (a JS array of `File`) for uploads.
    pub fn send(&self, request: &Request, files: Option<&Array>) -> Result<u32, String> {
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
        if self.inner.ready.get() {
            self.inner
                .worker
                .post_message(&message)
                .map_err(|e| format!("{e:?}"))?;
        } else {
            self.inner.queue.borrow_mut().push(message.into());
        }
        Ok(id)
    }
}

impl Drop for Bridge {
    fn drop(&mut self) {
        self.inner.worker.terminate();
    }
}
