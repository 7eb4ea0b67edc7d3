//! The Web Worker's side: receive requests, run them one at a time on the [`Session`],
//! post responses.
//!
//! Everything slow happens here, off the page's thread, so the page never freezes. Files
//! are read in `Blob.slice` chunks with an `await` between chunks and between columns, so a
//! `Cancel` message is seen within one chunk's time and memory stays near the size of the
//! data rather than the file plus copies of it.

use std::cell::{Cell, RefCell};
use std::collections::VecDeque;
use std::rc::Rc;

use js_sys::{Array, Reflect, Uint8Array};
use segmenta_core::ingest::parts::{JoinError, Span, split_points};
use segmenta_core::ingest::{HEAD_BYTES, Ingest, Loaded, ReadOptions, Restart};
use segmenta_core::progress::{Cancelled, NoProgress, Progress, Stage};
use segmenta_core::sample::{CUSTOMERS_FILE, ORDERS_FILE, SampleSpec, generate};
use wasm_bindgen::JsCast;
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::JsFuture;
use web_sys::{DedicatedWorkerGlobalScope, File, MessageEvent};

use segmenta_core::cluster::{
    Algorithm, Comparison, GaussianMixtureParams, KMeansParams, KRange, Model, Points,
};
use segmenta_core::pipeline::Left;
use segmenta_core::recipe::Recipe;

use crate::pool::{self, HELPER, PartsError, Pool, PoolError};
use crate::protocol::{
    Envelope, NeighbourMapView, Request, Response, ResultView, WorkerTimes, Workload,
};
use crate::session::{ReadStats, Session};
use crate::source::{Source, SpanStop};

/// Files at least this large are read in parts, one per helper worker and one here...
const SPLIT_FROM: u64 = 16 << 20;
/// ...and at most this large: a helper's WebAssembly memory never shrinks, so the memory
/// it used for its part (and the part's copy on its way here) would stay taken beside the
/// engine's for the rest of the session. Above this size, memory matters more than speed
/// (a 0.9 GB order log read in parts peaked at 1.94 GB for the page and its workers).
const SPLIT_UP_TO: u64 = 256 << 20;

struct Worker {
    scope: DedicatedWorkerGlobalScope,
    session: RefCell<Session>,
    sources: RefCell<Vec<Rc<Source>>>,
    queue: RefCell<VecDeque<(u32, Request, Option<Array>)>>,
    running: Cell<bool>,
    cancel: Cell<bool>,
    pool: RefCell<Pool>,
}

/// Starts the message loop; called from the worker binary's `main`.
pub fn start() {
    console_error_panic_hook::set_once();
    let scope: DedicatedWorkerGlobalScope = js_sys::global().unchecked_into();
    if scope.name() == HELPER {
        pool::serve(scope);
        return;
    }
    let worker = Rc::new(Worker {
        scope: scope.clone(),
        session: RefCell::new(Session::default()),
        sources: RefCell::new(Vec::new()),
        queue: RefCell::new(VecDeque::new()),
        running: Cell::new(false),
        cancel: Cell::new(false),
        pool: RefCell::new(Pool::default()),
    });
    // Helpers start with the engine, before any data can arrive (see `Pool::start`).
    if let Err(e) = worker.pool.borrow_mut().start(Pool::wanted()) {
        web_sys::console::warn_1(&format!("segmenta: no helper workers ({e:?})").into());
    }
    let for_messages = Rc::clone(&worker);
    let on_message = Closure::<dyn FnMut(MessageEvent)>::new(move |event: MessageEvent| {
        let w = &for_messages;
        let data = event.data();
        let id = Reflect::get(&data, &"id".into())
            .ok()
            .and_then(|v| v.as_f64())
            .unwrap_or(0.0) as u32;
        let request = Reflect::get(&data, &"body".into())
            .map_err(|e| format!("{e:?}"))
            .and_then(|b| serde_wasm_bindgen::from_value::<Request>(b).map_err(|e| e.to_string()));
        match request {
            Ok(Request::NumberStyle { style }) => segmenta_core::numbers::set_style(style),
            Ok(Request::Cancel) => {
                // Seen by the running request at its next chunk or column.
                w.cancel.set(true);
                w.queue.borrow_mut().clear();
            }
            Ok(request) => {
                let files = Reflect::get(&data, &"files".into())
                    .ok()
                    .filter(|f| f.is_object())
                    .map(|f| Array::from(&f));
                w.queue.borrow_mut().push_back((id, request, files));
                if !w.running.get() {
                    wasm_bindgen_futures::spawn_local(pump(Rc::clone(w)));
                }
            }
            Err(e) => {
                w.post(
                    id,
                    &Response::Failed {
                        message: format!("The worker could not read the request ({e})."),
                    },
                );
                w.post(id, &Response::Idle);
            }
        }
    });
    scope.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
    on_message.forget();
    // Ready once the helpers have their code too: the page holds requests (and data)
    // until then, so no request for code is ever made after data arrives.
    wasm_bindgen_futures::spawn_local(async move {
        let mut pool = worker.pool.take();
        pool.started().await;
        worker.pool.replace(pool);
        worker.post(0, &Response::Ready);
    });
}

/// Runs queued requests one at a time.
async fn pump(w: Rc<Worker>) {
    w.running.set(true);
    loop {
        let next = w.queue.borrow_mut().pop_front();
        let Some((id, request, files)) = next else {
            break;
        };
        w.cancel.set(false);
        handle(&w, id, request, files).await;
        w.post(id, &Response::Idle);
    }
    w.running.set(false);
}

impl Worker {
    fn post(&self, id: u32, body: &Response) {
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
                let _ = self.scope.post_message_with_transfer(&value, &transfer);
            }
            Err(e) => web_sys::console::error_1(
                &format!("segmenta worker: cannot encode response: {e}").into(),
            ),
        }
    }
}

/// Posts progress at most every 50 ms, and whenever the stage changes.
struct Throttled<'a> {
    worker: &'a Worker,
    id: u32,
    last: f64,
    stage: Option<Stage>,
}

impl<'a> Throttled<'a> {
    fn new(worker: &'a Worker, id: u32) -> Self {
        Throttled {
            worker,
            id,
            last: 0.0,
            stage: None,
        }
    }
}

impl Progress for Throttled<'_> {
    fn report(&mut self, stage: Stage, fraction: f64) -> Result<(), Cancelled> {
        let now = js_sys::Date::now();
        if self.stage != Some(stage) || now - self.last >= 50.0 {
            self.stage = Some(stage);
            self.last = now;
            self.worker
                .post(self.id, &Response::Progress { stage, fraction });
        }
        if self.worker.cancel.get() {
            Err(Cancelled)
        } else {
            Ok(())
        }
    }
}

/// Lets queued messages (such as `Cancel`) run before continuing.
async fn yield_now() {
    let promise = js_sys::Promise::new(&mut |resolve, _| {
        let scope: DedicatedWorkerGlobalScope = js_sys::global().unchecked_into();
        let _ = scope.set_timeout_with_callback_and_timeout_and_arguments_0(&resolve, 0);
    });
    let _ = JsFuture::from(promise).await;
}

/// Why reading stopped.
enum Stop {
    Cancelled,
    Failed(String),
}

/// Reads a source chunk by chunk, starting again when the head misled (see
/// [`segmenta_core::ingest::Restart`]), then types the columns one at a time. A large file
/// is read in parts at once, one by each helper worker and the first here
/// ([`segmenta_core::ingest::parts`]); if the parts cannot be joined (a cut fell inside a
/// quoted value) or a helper fails, it is read again here alone.
async fn read_source(
    w: &Worker,
    id: u32,
    name: &str,
    source: &Source,
    options: ReadOptions,
) -> Result<(Loaded, ReadOptions, ReadStats), Stop> {
    let started = now();
    let total = source.len();
    let fail = |e: String| Stop::Failed(format!("{name}: {e}"));
    let mut progress = Throttled::new(w, id);
    let mut head = Vec::new();
    let mut waited = 0.0;
    let mut alone = false;
    let mut next = Restart {
        options,
        text_columns: Vec::new(),
    };
    'restart: loop {
        source
            .read(0, HEAD_BYTES as u64, &mut head)
            .await
            .map_err(Stop::Failed)?;
        let mut ingest =
            Ingest::resume(&head, total, next.clone()).map_err(|e| fail(e.to_string()))?;
        let helpers = w.pool.borrow().ready();
        let reading = match (source, ingest.part_plan()) {
            (Source::File(file), Some(plan))
                if !alone && helpers > 0 && (SPLIT_FROM..=SPLIT_UP_TO).contains(&total) =>
            {
                let points = split_points(total, helpers + 1);
                let reading = w.pool.borrow().read_parts(file, &plan, &points, total);
                Some((points.get(1).copied().unwrap_or(total), reading))
            }
            _ => None,
        };
        let end = reading.as_ref().map_or(total, |(end, _)| *end);
        let parts = reading.as_ref().map_or(1, |(_, r)| r.len() + 1);
        let share = total as f64 / end.max(1) as f64;
        let mut span = Span::new(0, end, total, b'\n');
        let own = source
            .read_span(&mut span, &mut ingest, |i| {
                let fraction = (i.fraction() * share).min(1.0);
                progress.report(Stage::Reading, fraction).map_err(drop)
            })
            .await;
        match own {
            Ok(ms) => waited += ms,
            Err(stop) => {
                if let Some((_, reading)) = reading {
                    reading.stop().await;
                }
                match stop {
                    SpanStop::Restart(restart) => {
                        next = restart;
                        continue 'restart;
                    }
                    SpanStop::Stopped => return Err(Stop::Cancelled),
                    SpanStop::Failed(message) => return Err(Stop::Failed(message)),
                }
            }
        }
        let mut typing = match reading {
            None => ingest.into_typing().map_err(|e| fail(e.to_string()))?,
            Some((_, reading)) => {
                let parts = reading
                    .parts(|| progress.report(Stage::Reading, 1.0).map_err(drop))
                    .await;
                let joined = match parts {
                    Ok(parts) => ingest.join(parts),
                    Err(PartsError::Cancelled) => return Err(Stop::Cancelled),
                    Err(PartsError::Restart(restart)) => Err(JoinError::Restart(restart)),
                    Err(PartsError::Helper(e)) => {
                        web_sys::console::warn_1(
                            &format!("segmenta: a helper failed reading ({e}); reading alone")
                                .into(),
                        );
                        w.pool.borrow_mut().fail();
                        Err(JoinError::Whole)
                    }
                };
                match joined {
                    Ok(typing) => typing,
                    Err(JoinError::Whole) => {
                        alone = true;
                        continue 'restart;
                    }
                    Err(JoinError::Restart(restart)) => {
                        next = restart;
                        continue 'restart;
                    }
                    Err(JoinError::Ingest(e)) => return Err(fail(e.to_string())),
                }
            }
        };
        while typing.step() {
            if progress.report(Stage::Parsing, typing.fraction()).is_err() {
                return Err(Stop::Cancelled);
            }
            yield_now().await;
        }
        let stats = ReadStats {
            millis: now() - started,
            memory_bytes: wasm_memory_bytes(),
            wait_millis: waited,
            parts,
        };
        return Ok((typing.finish(), next.options, stats));
    }
}

/// Posts a finished file for download (name, bytes and an optional note), or the failure.
fn post_file(w: &Worker, id: u32, file: Result<(String, Vec<u8>, Option<String>), String>) {
    let body = match file {
        Ok((file_name, bytes, note)) => Response::Exported {
            file_name,
            bytes,
            note,
        },
        Err(message) => Response::Failed { message },
    };
    w.post(id, &body);
}

pub(crate) fn now() -> f64 {
    let scope: DedicatedWorkerGlobalScope = js_sys::global().unchecked_into();
    scope
        .performance()
        .map_or_else(js_sys::Date::now, |p| p.now())
}

fn wasm_memory_bytes() -> u64 {
    wasm_bindgen::memory()
        .dyn_into::<js_sys::WebAssembly::Memory>()
        .map(|m| {
            m.buffer()
                .unchecked_into::<js_sys::ArrayBuffer>()
                .byte_length() as u64
        })
        .unwrap_or(0)
}

/// Posts the files and the customer table after they changed.
fn post_state(w: &Worker, id: u32) {
    let (files, dataset) = {
        let session = w.session.borrow();
        (session.files_view(), session.dataset_view())
    };
    w.post(id, &Response::Files { files });
    if let Some(d) = dataset {
        w.post(id, &Response::Dataset(Box::new(d)));
    }
}

/// Reads one source and adds it as a file; false when the user cancelled.
async fn load_one(w: &Worker, id: u32, name: &str, source: Source) -> bool {
    match read_source(w, id, name, &source, ReadOptions::default()).await {
        Ok((loaded, options, stats)) => {
            let size = source.len();
            w.sources.borrow_mut().push(Rc::new(source));
            w.session
                .borrow_mut()
                .add(name, size, loaded, options, stats);
            true
        }
        Err(Stop::Cancelled) => {
            w.post(id, &Response::Cancelled);
            false
        }
        Err(Stop::Failed(message)) => {
            w.post(id, &Response::Failed { message });
            true
        }
    }
}

/// Finds segments: the comparison of segment counts is shared out by k with helper
/// workers, and on many customers the final k-means or Gaussian-mixture fit and the
/// quality scores are shared by rows.
async fn run(
    w: &Worker,
    recipe: &Recipe,
    progress: &mut Throttled<'_>,
) -> Result<ResultView, String> {
    let message = |e: segmenta_core::Error| e.to_string();
    let mut prepared = w.session.borrow().prepare(recipe, progress)?;
    let helpers = Pool::wanted();
    let comparison = prepared
        .comparison(progress)
        .map_err(|e| message(e.into()))?;
    if let Some(comparison) = comparison {
        // Each number of segments is a job of its own: shared out between the workers
        // whenever there are several to compare.
        let shared = if comparison.shareable() && helpers > 0 && comparison.ks().len() > 1 {
            let mut pool = w.pool.take();
            let outcome = pool.compare(&comparison, helpers, progress).await;
            w.pool.replace(pool);
            Some(outcome)
        } else {
            None
        };
        let found = match shared {
            Some(Ok(outcomes)) => comparison.finish(outcomes),
            Some(Err(e)) => {
                shared_failed(e)?;
                comparison.run(progress)
            }
            None => comparison.run(progress),
        };
        prepared.compared(found.map_err(|e| message(e.into()))?);
    }
    let sharing = Pool::worth_sharing(prepared.points().len(), helpers);
    // Whether the helpers hold the customers' rows as they are (after a k-means fit).
    let mut held = false;
    if let Some(left) = prepared.left().filter(|_| sharing) {
        let points = prepared.points();
        // Out of the cell while the helpers work (no borrow is held across an await).
        let mut pool = w.pool.take();
        let shared = match left {
            Left::KMeans(params) => pool
                .fit_kmeans(&params, points.numbers, helpers, progress)
                .await
                .map(Model::Kmeans),
            Left::Mixture(params) => match params.check() {
                Ok(params) => pool
                    .fit_mixture(&params, points.numbers, helpers, progress)
                    .await
                    .map(Model::Gmm),
                Err(e) => Err(PoolError::Fit(e)),
            },
        };
        w.pool.replace(pool);
        held = matches!(shared, Ok(Model::Kmeans(_)));
        match shared {
            Ok(model) => prepared.fitted(model),
            Err(e) => shared_failed(e)?,
        }
    }
    if sharing {
        prepared.fit(progress).map_err(message)?;
    }
    if let Some((x, labels)) = prepared.scores_left().filter(|_| sharing) {
        let seed = prepared.seed();
        let mut pool = w.pool.take();
        let scored = pool.scores(x, &labels, seed, held, helpers, progress).await;
        w.pool.replace(pool);
        match scored {
            Ok(scores) => prepared.scored(scores),
            Err(e) => shared_failed(e)?,
        }
    }
    w.session.borrow_mut().finish(prepared, recipe, progress)
}

/// What a shared step's failure means: the user's message when the step itself failed
/// (the same as alone), else nothing (the step is done in this worker alone by `finish`).
fn shared_failed(e: PoolError) -> Result<(), String> {
    match e {
        PoolError::Fit(e) => Err(segmenta_core::Error::from(e).to_string()),
        PoolError::Scores(e) => Err(segmenta_core::Error::from(e).to_string()),
        PoolError::Alone => Ok(()),
        PoolError::Helper(why) => {
            web_sys::console::warn_1(
                &format!("segmenta: helper workers stopped ({why}); working in one worker").into(),
            );
            Ok(())
        }
    }
}

/// k-means, a Gaussian mixture, the scores or the comparison of k on generated,
/// overlapping groups, alone and shared, from the same start. A fit is timed with one step
/// and with up to `1 + steps`, so that the difference is the time of the extra steps and
/// the rest is the fixed cost of a fit (checks, handing the rows to the helpers, gathering
/// the segments); the scores and the comparison are timed twice, the faster kept.
async fn time_workers(
    w: &Worker,
    work: Workload,
    rows: usize,
    features: usize,
    k: usize,
    steps: usize,
) -> Result<WorkerTimes, String> {
    let mut rng = segmenta_core::rng::Rng::new(42);
    let centres: Vec<f64> = (0..k * features).map(|_| rng.gaussian(0.0, 1.0)).collect();
    let x = ndarray::Array2::from_shape_fn((rows, features), |(i, j)| {
        centres[(i % k) * features + j] + rng.normal()
    });
    let groups: Vec<usize> = (0..rows).map(|i| i % k).collect();
    let start = ndarray::Array2::from_shape_fn((k, features), |(c, j)| x[[c * 7919 % rows, j]]);
    let helpers = Pool::wanted();
    let shared_failed = |e: PoolError| format!("{e:?}");
    let mut pool = w.pool.take();
    // [fit of one step, fit of 1 + steps] × [alone, shared]
    let mut seconds = [[0.0; 2]; 2];
    let mut same = true;
    let mut used = steps;
    let mut timed = Ok(());
    for (i, max_iter) in [1, 1 + steps].into_iter().enumerate() {
        let outcome: Result<(), String> = async {
            match work {
                Workload::Kmeans => {
                    let params = KMeansParams::new(k)
                        .n_init(1)
                        .max_iter(max_iter)
                        .tolerance(0.0)
                        .initial_centroids(start.clone());
                    let started = now();
                    let alone = params
                        .clone()
                        .check()
                        .and_then(|p| p.fit(x.view(), &mut NoProgress));
                    seconds[i][0] = (now() - started) / 1e3;
                    let started = now();
                    let shared = pool
                        .fit_kmeans(&params, x.view(), helpers, &mut NoProgress)
                        .await;
                    seconds[i][1] = (now() - started) / 1e3;
                    let (alone, shared) = (
                        alone.map_err(|e| e.to_string())?,
                        shared.map_err(shared_failed)?,
                    );
                    // The longer fit may stop early, when no customer changes segment.
                    used = alone.n_iter().saturating_sub(1).max(1);
                    same &= alone == shared;
                }
                Workload::Mixture => {
                    // From the usual k-means start (shared too), so that the whole fit
                    // is checked for the same bits; its time is part of the fixed cost.
                    let params = GaussianMixtureParams::new(k)
                        .max_iter(max_iter)
                        .tolerance(0.0)
                        .check()
                        .map_err(|e| e.to_string())?;
                    let started = now();
                    let alone = params.fit(x.view(), &mut NoProgress);
                    seconds[i][0] = (now() - started) / 1e3;
                    let started = now();
                    let shared = pool
                        .fit_mixture(&params, x.view(), helpers, &mut NoProgress)
                        .await;
                    seconds[i][1] = (now() - started) / 1e3;
                    let (alone, shared) = (
                        alone.map_err(|e| e.to_string())?,
                        shared.map_err(shared_failed)?,
                    );
                    used = alone.n_iter().saturating_sub(1).max(1);
                    same &= alone == shared;
                }
                Workload::Scores => {
                    // Once: the helpers get the rows as after a fit (not timed), then the
                    // scores are timed alone and shared.
                    if i == 0 {
                        pool.scores(x.view(), &groups, 7, false, helpers, &mut NoProgress)
                            .await
                            .map_err(shared_failed)?;
                    }
                    let started = now();
                    let alone =
                        segmenta_core::metrics::scores(x.view(), &groups, 7, &mut NoProgress);
                    seconds[i][0] = (now() - started) / 1e3;
                    let started = now();
                    let shared = pool
                        .scores(x.view(), &groups, 7, true, helpers, &mut NoProgress)
                        .await;
                    seconds[i][1] = (now() - started) / 1e3;
                    same &= alone.map_err(|e| e.to_string())? == shared.map_err(shared_failed)?;
                }
                Workload::Compare => {
                    let algorithm = Algorithm::Kmeans { n_init: 3 };
                    let range = KRange::from([2, steps + 1]);
                    let comparison = |progress: &mut dyn Progress| {
                        Comparison::new(&algorithm, range, 7, Points::numeric(x.view()), progress)
                            .map_err(|e| e.to_string())
                    };
                    let started = now();
                    let alone = comparison(&mut NoProgress)?.run(&mut NoProgress);
                    seconds[i][0] = (now() - started) / 1e3;
                    let started = now();
                    let prepared = comparison(&mut NoProgress)?;
                    let shared = pool.compare(&prepared, helpers, &mut NoProgress).await;
                    let shared = prepared.finish(shared.map_err(shared_failed)?);
                    seconds[i][1] = (now() - started) / 1e3;
                    same &=
                        alone.map_err(|e| e.to_string())? == shared.map_err(|e| e.to_string())?;
                }
            }
            Ok(())
        }
        .await;
        if outcome.is_err() {
            timed = outcome;
            break;
        }
    }
    w.pool.replace(pool);
    timed?;
    if matches!(work, Workload::Scores | Workload::Compare) {
        // Timed twice; the faster of each.
        return Ok(WorkerTimes {
            workers: helpers + 1,
            alone: seconds[0][0].min(seconds[1][0]),
            shared: seconds[0][1].min(seconds[1][1]),
            alone_fixed: 0.0,
            shared_fixed: 0.0,
            same,
        });
    }
    let per_step = |w: usize| (seconds[1][w] - seconds[0][w]) / used as f64;
    Ok(WorkerTimes {
        workers: helpers + 1,
        alone: per_step(0),
        shared: per_step(1),
        alone_fixed: seconds[0][0] - per_step(0),
        shared_fixed: seconds[0][1] - per_step(1),
        same,
    })
}

async fn handle(w: &Worker, id: u32, request: Request, files: Option<Array>) {
    let fail = |message: String| w.post(id, &Response::Failed { message });
    match request {
        Request::LoadSample => {
            let data = generate(SampleSpec::default());
            for (name, text) in [
                (ORDERS_FILE, data.orders_csv),
                (CUSTOMERS_FILE, data.customers_csv),
            ] {
                if !load_one(w, id, name, Source::Bytes(Rc::new(text.into_bytes()))).await {
                    break;
                }
            }
            post_state(w, id);
        }
        Request::LoadFiles => {
            for file in files.iter().flat_map(|a| a.iter()) {
                let Ok(file) = file.dyn_into::<File>() else {
                    continue;
                };
                let name = file.name();
                if !load_one(w, id, &name, Source::File(file)).await {
                    break;
                }
            }
            post_state(w, id);
        }
        Request::Reparse { index, options } => {
            let file = w.session.borrow().file(index);
            let source = w.sources.borrow().get(index).cloned();
            let result = match (file, source) {
                (Ok((name, _)), Some(source)) => read_source(w, id, &name, &source, options).await,
                (Err(e), _) => Err(Stop::Failed(e)),
                (_, None) => Err(Stop::Failed(
                    "That file is no longer loaded. Load it again.".into(),
                )),
            };
            match result.and_then(|(loaded, options, stats)| {
                w.session
                    .borrow_mut()
                    .replace(index, loaded, options, stats)
                    .map_err(Stop::Failed)
            }) {
                Ok(()) => post_state(w, id),
                Err(Stop::Cancelled) => w.post(id, &Response::Cancelled),
                Err(Stop::Failed(message)) => fail(message),
            }
        }
        Request::Remove { index } => {
            let removed = w.session.borrow_mut().remove(index);
            match removed {
                Ok(()) => {
                    w.sources.borrow_mut().remove(index);
                    post_state(w, id);
                }
                Err(message) => fail(message),
            }
        }
        Request::SetPlan { index, plan } => {
            // Bind first: a borrow in a match scrutinee lives until the end of the match.
            let changed = w.session.borrow_mut().set_plan(index, plan);
            match changed {
                Ok(()) => post_state(w, id),
                Err(message) => fail(message),
            }
        }
        Request::SetDataOptions { as_of, unit } => {
            let changed = w.session.borrow_mut().set_data_options(as_of, unit);
            match changed {
                Ok(()) => post_state(w, id),
                Err(message) => fail(message),
            }
        }
        Request::Run { recipe } => {
            let result = run(w, &recipe, &mut Throttled::new(w, id)).await;
            match result {
                Ok(view) => w.post(id, &Response::Segmented(Box::new(view))),
                Err(message) => fail(message),
            }
        }
        Request::ExportLabels { attach } => {
            let exported = w.session.borrow().export_labels(&attach);
            post_file(w, id, exported.map(|(name, bytes)| (name, bytes, None)));
        }
        Request::SaveRecipe { recipe } => {
            let saved = w.session.borrow().recipe_with_model(&recipe);
            post_file(w, id, saved.map(|(name, bytes)| (name, bytes, None)));
        }
        Request::ExportPreset {
            preset,
            country_code,
        } => {
            let exported = w
                .session
                .borrow()
                .export_preset(preset, country_code.as_deref());
            post_file(w, id, exported);
        }
        Request::ExportReport => {
            let exported = w.session.borrow().export_report();
            post_file(w, id, exported.map(|(name, bytes)| (name, bytes, None)));
        }
        Request::ExportSegmentLists { attach } => {
            let exported = w.session.borrow().export_segment_lists(&attach);
            post_file(w, id, exported.map(|(name, bytes)| (name, bytes, None)));
        }
        Request::SetRules { rules, priority } => {
            let counted = w.session.borrow_mut().set_rules(rules, priority);
            match counted {
                Ok(view) => w.post(id, &Response::RuleCounts(Box::new(view))),
                Err(message) => fail(message),
            }
        }
        Request::NeighbourMap => {
            let mut frame = |points: Vec<f32>| {
                w.post(
                    id,
                    &Response::NeighbourMap(Box::new(NeighbourMapView {
                        points,
                        done: false,
                        note: None,
                    })),
                );
            };
            let drawn = w
                .session
                .borrow()
                .neighbour_map(&mut Throttled::new(w, id), &mut frame);
            match drawn {
                Ok(view) => w.post(id, &Response::NeighbourMap(Box::new(view))),
                Err(message) => fail(message),
            }
        }
        Request::Explain { customer } => {
            let explained = w.session.borrow().explain(&customer);
            match explained {
                Ok(view) => w.post(id, &Response::Explained(Box::new(view))),
                Err(message) => fail(message),
            }
        }
        Request::Rename { names } => {
            let renamed = w.session.borrow_mut().rename(&names);
            match renamed {
                Ok(segments) => w.post(id, &Response::Renamed { segments }),
                Err(message) => fail(message),
            }
        }
        Request::Apply { recipe } => {
            let result = w
                .session
                .borrow_mut()
                .apply(&recipe, &mut Throttled::new(w, id));
            match result {
                Ok(view) => w.post(id, &Response::Segmented(Box::new(view))),
                Err(message) => fail(message),
            }
        }
        Request::Compare => {
            let Some(file) = files
                .iter()
                .flat_map(|a| a.iter())
                .find_map(|f| f.dyn_into::<File>().ok())
            else {
                return fail("Choose the labelled CSV you downloaded last time.".into());
            };
            let name = file.name();
            match read_source(w, id, &name, &Source::File(file), ReadOptions::default()).await {
                Ok((loaded, _, _)) => {
                    let compared = w.session.borrow().compare(&name, &loaded.table);
                    match compared {
                        Ok(view) => w.post(id, &Response::Migrated(Box::new(view))),
                        Err(message) => fail(message),
                    }
                }
                Err(Stop::Cancelled) => w.post(id, &Response::Cancelled),
                Err(Stop::Failed(message)) => fail(message),
            }
        }
        Request::TimeWorkers {
            work,
            rows,
            features,
            k,
            steps,
        } => match time_workers(w, work, rows, features, k, steps).await {
            Ok(times) => w.post(id, &Response::Timed(times)),
            Err(message) => fail(message),
        },
        Request::Cancel | Request::NumberStyle { .. } => {}
    }
}
