//! The Web Worker's side: receive requests, run them on the [`Session`], post responses.
//!
//! Everything slow happens here, off the page's thread, so the page never freezes.

use std::cell::RefCell;
use std::rc::Rc;

use js_sys::{Array, Reflect, Uint8Array};
use segmenta_core::progress::{Cancelled, Progress, Stage};
use wasm_bindgen::JsCast;
use wasm_bindgen::prelude::*;
use web_sys::{DedicatedWorkerGlobalScope, File, FileReaderSync, MessageEvent};

use crate::protocol::{Envelope, Request, Response};
use crate::session::Session;

/// Starts the message loop; called from the worker binary's `main`.
pub fn start() {
    console_error_panic_hook::set_once();
    let scope: DedicatedWorkerGlobalScope = js_sys::global().unchecked_into();
    let session = Rc::new(RefCell::new(Session::default()));
    let post_scope = scope.clone();
    let on_message = Closure::<dyn FnMut(MessageEvent)>::new(move |event: MessageEvent| {
        let data = event.data();
        let id = Reflect::get(&data, &"id".into())
            .ok()
            .and_then(|v| v.as_f64())
            .unwrap_or(0.0) as u32;
        let mut send = |body: Response| post(&post_scope, id, &body);
        match Reflect::get(&data, &"body".into())
            .map_err(|e| format!("{e:?}"))
            .and_then(|b| serde_wasm_bindgen::from_value::<Request>(b).map_err(|e| e.to_string()))
        {
            Ok(request) => {
                let files = Reflect::get(&data, &"files".into())
                    .ok()
                    .filter(|f| f.is_object())
                    .map(|f| Array::from(&f));
                handle(&mut session.borrow_mut(), request, files, &mut send);
            }
            Err(e) => send(Response::Failed {
                message: format!("The worker could not read the request ({e})."),
            }),
        }
        send(Response::Idle);
    });
    scope.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
    on_message.forget();
    post(&scope, 0, &Response::Ready);
}

fn post(scope: &DedicatedWorkerGlobalScope, id: u32, body: &Response) {
    let envelope = Envelope {
        id,
        body: body.clone(),
    };
    match serde_wasm_bindgen::to_value(&envelope) {
        Ok(value) => {
            // Hand large exports over without copying.
            let transfer = Array::new();
            if let Response::Exported { .. } = body
                && let Ok(b) = Reflect::get(&value, &"body".into())
                    .and_then(|b| Reflect::get(&b, &"bytes".into()))
                && let Some(bytes) = b.dyn_ref::<Uint8Array>()
            {
                transfer.push(&bytes.buffer());
            }
            let _ = scope.post_message_with_transfer(&value, &transfer);
        }
        Err(e) => web_sys::console::error_1(
            &format!("segmenta worker: cannot encode response: {e}").into(),
        ),
    }
}

/// Posts progress at most every 50 ms, and whenever the stage changes.
struct Throttled<'a> {
    post: &'a mut dyn FnMut(Response),
    last: f64,
    stage: Option<Stage>,
}

impl Progress for Throttled<'_> {
    fn report(&mut self, stage: Stage, fraction: f64) -> Result<(), Cancelled> {
        let now = js_sys::Date::now();
        if self.stage != Some(stage) || now - self.last >= 50.0 {
            self.stage = Some(stage);
            self.last = now;
            (self.post)(Response::Progress { stage, fraction });
        }
        Ok(())
    }
}

fn read_file(file: &File) -> Result<Vec<u8>, String> {
    let reader = FileReaderSync::new().map_err(|e| format!("{e:?}"))?;
    let buffer = reader.read_as_array_buffer(file).map_err(|_| {
        format!(
            "{}: the browser could not read this file. Check that it still exists and try again.",
            file.name()
        )
    })?;
    Ok(Uint8Array::new(&buffer).to_vec())
}

fn handle(
    session: &mut Session,
    request: Request,
    files: Option<Array>,
    post: &mut dyn FnMut(Response),
) {
    let outcome = |post: &mut dyn FnMut(Response), result: Result<Response, String>| {
        post(result.unwrap_or_else(|message| Response::Failed { message }));
    };
    match request {
        Request::LoadSample => {
            let result = session.load_sample(&mut Throttled {
                post,
                last: 0.0,
                stage: None,
            });
            outcome(post, result.map(|v| Response::Loaded(Box::new(v))));
        }
        Request::LoadFiles => {
            for file in files.iter().flat_map(|a| a.iter()) {
                let Ok(file) = file.dyn_into::<File>() else {
                    continue;
                };
                post(Response::Progress {
                    stage: Stage::Reading,
                    fraction: 0.0,
                });
                let result = read_file(&file).and_then(|bytes| {
                    session.load(
                        &file.name(),
                        &bytes,
                        &mut Throttled {
                            post,
                            last: 0.0,
                            stage: None,
                        },
                    )
                });
                outcome(post, result.map(|v| Response::Loaded(Box::new(v))));
            }
        }
        Request::Select { index } => outcome(
            post,
            session.select(index).map(|v| Response::Loaded(Box::new(v))),
        ),
        Request::Run { recipe } => {
            let result = session.run(
                &recipe,
                &mut Throttled {
                    post,
                    last: 0.0,
                    stage: None,
                },
            );
            outcome(post, result.map(|v| Response::Segmented(Box::new(v))));
        }
        Request::ExportLabels => {
            outcome(
                post,
                session
                    .export_labels()
                    .map(|(file_name, bytes)| Response::Exported { file_name, bytes }),
            );
        }
    }
}
