//! Helper workers that share the reading of large files and the final k-means fit with
//! the engine worker.
//!
//! Reading: each helper gets the `File` (a reference, not its bytes) and a [`Span`] of it,
//! reads that span in `Blob.slice` chunks itself and sends back its columns (typed arrays,
//! handed over without a copy); the engine reads the first span and joins the parts
//! ([`segmenta_core::ingest::parts`]).
//!
//! The engine worker (the one the page talks to) starts `navigator.hardwareConcurrency − 1`
//! helpers the first time a fit is large enough to share. Each helper is the same worker
//! program under another name ([`HELPER`]), with its own wasm instance; it gets a copy of a
//! slice of the prepared rows once per fit and then, at every Lloyd step, only the centres
//! (kilobytes), and answers with per-block centre sums ([`segmenta_core::cluster::kmeans::shards`]).
//! The engine works on the first slice itself while the helpers work on theirs. No shared
//! memory is needed, so this works on any static host, without cross-origin isolation.
//!
//! The sums are added in block order whatever the number of helpers, so a fit gives the
//! same segments on one core or eight. If a helper cannot start or fails, the fit is done
//! in the engine alone, as before there were helpers.

use std::borrow::Cow;
use std::cell::{Cell, RefCell};
use std::rc::Rc;

use js_sys::{Array, Float64Array, Object, Promise, Reflect, Uint8Array, Uint32Array};
use ndarray::ArrayView2;
use segmenta_core::cluster::kmeans::shards::{
    Assigned, BLOCK, Centres, Finished, Next, Shard, shard_rows,
};
use segmenta_core::cluster::kmeans::{KMeans, Plan};
use segmenta_core::cluster::{ClusterError, KMeansParams};
use segmenta_core::ingest::Ingest;
use segmenta_core::ingest::Restart;
use segmenta_core::ingest::parts::{Part, PartPlan, Span};
use segmenta_core::ingest::records::RowsRead;
use segmenta_core::progress::{Cancelled, Progress, Stage};
use segmenta_core::table::{ColumnInput, RawColumn};
use serde::{Deserialize, Serialize};
use wasm_bindgen::JsCast;
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::JsFuture;
use web_sys::{DedicatedWorkerGlobalScope, File, MessageEvent, Worker, WorkerOptions};

use crate::bridge::WORKER_SCRIPT;
use crate::source::{Source, SpanStop};

/// The name helper workers are started with; the worker program reads it to know its part.
pub const HELPER: &str = "segmenta-helper";

/// Fewer rows than this are fitted in the engine alone: sharing costs a copy of the rows
/// and a message round trip per step, which only pays on many rows.
pub const SHARE_FROM: usize = 4 * BLOCK;

/// How long helpers may take to start before the engine works alone.
const START_WITHIN_MS: i32 = 15_000;

/// Most workers (engine included) a fit is shared between.
const MOST: usize = 8;

/// What the engine asks a helper.
#[derive(Debug, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
enum Job {
    /// Keep these rows (sent beside the job as a `Float64Array`), global rows from `first`
    /// on, `d` values each; distances in single precision if `single`.
    Rows {
        first: usize,
        d: usize,
        single: bool,
    },
    /// One assignment step; `fresh`: forget the segments first (a new restart).
    Assign { job: Centres, fresh: bool },
    /// The last step.
    Finish { job: Centres, again: bool },
    /// Read part of a file (sent beside the job as `file`): the span from `from` to `to`
    /// of its `total` bytes ([`Span`]). Answered with [`Answer::Read`], [`Answer::Restart`]
    /// or, after [`Job::Stop`], [`Answer::Failed`].
    Read {
        plan: Box<PartPlan>,
        from: u64,
        to: u64,
        total: u64,
    },
    /// Stop reading as soon as possible (not answered itself).
    Stop,
}

/// A helper's answer.
#[derive(Debug, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
enum Answer {
    Ready,
    Assigned {
        part: Assigned,
    },
    /// With the shard's segments beside it as a `Uint32Array` (`labels`).
    Finished {
        inertia: Vec<f64>,
    },
    Failed {
        message: String,
    },
    /// A part read; its columns come beside it as `columns`, in order: a `Float64Array`
    /// for each column with a `missing` count here, else `[Uint8Array, Uint32Array]`
    /// (the cells' bytes and ends) with a third, `Uint32Array`, when the cells are the
    /// distinct ones and it says which each row holds ([`RawColumn::into_parts`]).
    Read {
        read: Box<RowsRead>,
        quotes: u64,
        clean: bool,
        not_numeric: Vec<usize>,
        missing: Vec<Option<usize>>,
    },
    /// The file must be read again (bytes that are not UTF-8).
    Restart {
        restart: Box<Restart>,
    },
}

/// Why a shared fit stopped.
#[derive(Debug)]
pub enum PoolError {
    /// The fit itself failed or was cancelled: the same as it would have here.
    Fit(ClusterError),
    /// A helper failed; the fit can be done here instead.
    Helper(String),
    /// This fit is not one that is shared (mini-batch k-means draws rows from all of
    /// them); do it here.
    Alone,
}

impl From<Cancelled> for PoolError {
    fn from(_: Cancelled) -> Self {
        PoolError::Fit(ClusterError::Cancelled)
    }
}

impl From<ClusterError> for PoolError {
    fn from(e: ClusterError) -> Self {
        PoolError::Fit(e)
    }
}

/// The helper's side: keeps its shard and answers jobs. Called by the worker program
/// when it was started as [`HELPER`].
pub fn serve(scope: DedicatedWorkerGlobalScope) {
    let shard: Rc<RefCell<Option<Shard<'static>>>> = Rc::new(RefCell::new(None));
    let stop = Rc::new(Cell::new(false));
    let reply = scope.clone();
    let on_message = Closure::<dyn FnMut(MessageEvent)>::new(move |event: MessageEvent| {
        let data = event.data();
        let job = Reflect::get(&data, &"job".into())
            .map_err(|e| format!("{e:?}"))
            .and_then(|j| serde_wasm_bindgen::from_value::<Job>(j).map_err(|e| e.to_string()));
        let mut shard = shard.borrow_mut();
        let mut labels_out = None;
        let answer = match (job, shard.as_mut()) {
            (Err(message), _) => Answer::Failed { message },
            (Ok(Job::Stop), _) => {
                stop.set(true);
                return;
            }
            (
                Ok(Job::Read {
                    plan,
                    from,
                    to,
                    total,
                }),
                _,
            ) => match Reflect::get(&data, &"file".into()).map(|f| f.dyn_into::<File>()) {
                Ok(Ok(file)) => {
                    stop.set(false);
                    let (reply, stop) = (reply.clone(), Rc::clone(&stop));
                    wasm_bindgen_futures::spawn_local(async move {
                        let span = Span::new(from, to, total, b'\n');
                        let (answer, columns) = read_part(file, *plan, span, &stop).await;
                        post_answer(&reply, &answer, columns);
                    });
                    return;
                }
                _ => Answer::Failed {
                    message: "no file came with the job".into(),
                },
            },
            (Ok(Job::Rows { first, d, single }), _) => {
                match Reflect::get(&data, &"rows".into()).map(|r| r.dyn_into::<Float64Array>()) {
                    Ok(Ok(rows)) => {
                        *shard = Some(Shard::new(first, d, Cow::Owned(rows.to_vec()), single));
                        Answer::Ready
                    }
                    _ => Answer::Failed {
                        message: "no rows came with the job".into(),
                    },
                }
            }
            (Ok(Job::Assign { job, fresh }), Some(shard)) => {
                if fresh {
                    shard.reset();
                }
                Answer::Assigned {
                    part: shard.assign(&job),
                }
            }
            (Ok(Job::Finish { job, again }), Some(shard)) => {
                let Finished { labels, inertia } = shard.finish(&job, again);
                labels_out = Some(Uint32Array::from(&labels[..]));
                Answer::Finished { inertia }
            }
            (Ok(_), None) => Answer::Failed {
                message: "a step came before the rows".into(),
            },
        };
        let extra = labels_out.map(|labels| {
            let transfer = Array::of1(&labels.buffer());
            ("labels", JsValue::from(labels), transfer)
        });
        post_answer(&reply, &answer, extra);
    });
    scope.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
    on_message.forget();
    // Messages that arrive before the handler above exists are lost, so the engine waits
    // for this before sending any.
    if let Ok(ready) = serde_wasm_bindgen::to_value(&Answer::Ready) {
        let message = Object::new();
        let _ = Reflect::set(&message, &"answer".into(), &ready);
        let _ = scope.post_message(&message);
    }
}

/// Posts `answer`, with `extra` beside it: (name, value, buffers handed over).
fn post_answer(
    reply: &DedicatedWorkerGlobalScope,
    answer: &Answer,
    extra: Option<(&str, JsValue, Array)>,
) {
    match serde_wasm_bindgen::to_value(answer) {
        Ok(value) => {
            let message = Object::new();
            let _ = Reflect::set(&message, &"answer".into(), &value);
            let transfer = match extra {
                Some((name, extra, transfer)) => {
                    let _ = Reflect::set(&message, &name.into(), &extra);
                    transfer
                }
                None => Array::new(),
            };
            let _ = reply.post_message_with_transfer(&message, &transfer);
        }
        Err(e) => {
            let _ = reply.post_message(&JsValue::from_str(&e.to_string()));
        }
    }
}

/// Reads a helper's part of a file; the answer, with the columns to send beside it.
async fn read_part(
    file: File,
    plan: PartPlan,
    mut span: Span,
    stop: &Cell<bool>,
) -> (Answer, Option<(&'static str, JsValue, Array)>) {
    let mut ingest = Ingest::part(plan);
    let read = Source::File(file)
        .read_span(&mut span, &mut ingest, |_| {
            if stop.get() { Err(()) } else { Ok(()) }
        })
        .await;
    let part = match read.map(|_| ingest.into_part()) {
        Ok(Ok(part)) => part,
        Ok(Err(restart)) | Err(SpanStop::Restart(restart)) => {
            return (
                Answer::Restart {
                    restart: Box::new(restart),
                },
                None,
            );
        }
        Err(SpanStop::Stopped) => {
            let message = "stopped".into();
            return (Answer::Failed { message }, None);
        }
        Err(SpanStop::Failed(message)) => return (Answer::Failed { message }, None),
    };
    let Part {
        columns,
        read,
        quotes,
        clean,
        not_numeric,
    } = part;
    let (sent, transfer) = (Array::new(), Array::new());
    let mut missing = Vec::with_capacity(columns.len());
    // Column by column, each dropped once copied, so the helper holds one copy at most.
    for column in columns {
        match column {
            ColumnInput::Number { values, missing: m } => {
                let array = Float64Array::from(&values[..]);
                transfer.push(&array.buffer());
                sent.push(&array);
                missing.push(Some(m));
            }
            ColumnInput::Text(raw) => {
                let (bytes, ends, codes) = raw.into_parts();
                let (bytes, ends) = (Uint8Array::from(&bytes[..]), Uint32Array::from(&ends[..]));
                transfer.push(&bytes.buffer());
                transfer.push(&ends.buffer());
                let parts = Array::of2(&bytes, &ends);
                if let Some(codes) = codes {
                    let codes = Uint32Array::from(&codes[..]);
                    transfer.push(&codes.buffer());
                    parts.push(&codes);
                }
                sent.push(&parts);
                missing.push(None);
            }
        }
    }
    let answer = Answer::Read {
        read: Box::new(read),
        quotes,
        clean,
        not_numeric,
        missing,
    };
    (answer, Some(("columns", sent.into(), transfer)))
}

/// The column a helper sent as `value` (see [`Answer::Read`]).
fn received_column(value: &JsValue, missing: Option<usize>) -> Option<ColumnInput> {
    match missing {
        Some(missing) => {
            let values = value.dyn_ref::<Float64Array>()?.to_vec();
            Some(ColumnInput::Number { values, missing })
        }
        None => {
            let pair = value.dyn_ref::<Array>()?;
            let bytes = pair.get(0).dyn_into::<Uint8Array>().ok()?.to_vec();
            let ends = pair.get(1).dyn_into::<Uint32Array>().ok()?.to_vec();
            let codes = match pair.length() {
                3 => Some(pair.get(2).dyn_into::<Uint32Array>().ok()?.to_vec()),
                _ => None,
            };
            RawColumn::from_parts(bytes, ends, codes).map(ColumnInput::Text)
        }
    }
}

/// Parts of a file being read by helpers.
pub struct Reading {
    helpers: Vec<Worker>,
    asked: Vec<Promise>,
}

/// Why helpers' parts of a file did not come.
pub enum PartsError {
    /// The user cancelled while the engine waited.
    Cancelled,
    /// The file must be read again with other options.
    Restart(Restart),
    /// A helper failed; read the file in the engine alone.
    Helper(String),
}

impl Reading {
    /// Number of helpers asked.
    pub fn len(&self) -> usize {
        self.asked.len()
    }

    /// Whether no helper was asked.
    pub fn is_empty(&self) -> bool {
        self.asked.is_empty()
    }

    /// Waits for every part, calling `check` every 50 ms meanwhile (an error stops
    /// waiting: the user cancelled).
    pub async fn parts(
        self,
        mut check: impl FnMut() -> Result<(), ()>,
    ) -> Result<Vec<Part>, PartsError> {
        let mut parts = Vec::with_capacity(self.asked.len());
        let mut restart = None;
        for (i, promise) in self.asked.iter().enumerate() {
            let event = loop {
                let tick = wait_ms(50);
                match JsFuture::from(Promise::race(&Array::of2(promise, &tick))).await {
                    Ok(v) if v.is_undefined() => {
                        if check().is_err() {
                            let rest = Reading {
                                helpers: self.helpers.get(i..).unwrap_or_default().to_vec(),
                                asked: self.asked.get(i..).unwrap_or_default().to_vec(),
                            };
                            rest.stop().await;
                            return Err(PartsError::Cancelled);
                        }
                    }
                    Ok(event) => break event,
                    Err(e) => return Err(PartsError::Helper(describe(&e))),
                }
            };
            let data = Reflect::get(&event, &"data".into()).unwrap_or(JsValue::UNDEFINED);
            let answer = Reflect::get(&data, &"answer".into()).unwrap_or(JsValue::UNDEFINED);
            match serde_wasm_bindgen::from_value::<Answer>(answer) {
                Ok(Answer::Read {
                    read,
                    quotes,
                    clean,
                    not_numeric,
                    missing,
                }) => {
                    let sent = Reflect::get(&data, &"columns".into())
                        .ok()
                        .and_then(|c| c.dyn_into::<Array>().ok())
                        .ok_or_else(|| {
                            PartsError::Helper("a part came without its columns".into())
                        })?;
                    let columns = missing
                        .iter()
                        .enumerate()
                        .map(|(j, m)| received_column(&sent.get(j as u32), *m))
                        .collect::<Option<Vec<_>>>()
                        .ok_or_else(|| PartsError::Helper("a part's columns did not fit".into()))?;
                    parts.push(Part {
                        columns,
                        read: *read,
                        quotes,
                        clean,
                        not_numeric,
                    });
                }
                Ok(Answer::Restart { restart: r }) => restart = Some(*r),
                Ok(Answer::Failed { message }) => return Err(PartsError::Helper(message)),
                Ok(other) => {
                    return Err(PartsError::Helper(format!("unexpected answer {other:?}")));
                }
                Err(e) => return Err(PartsError::Helper(e.to_string())),
            }
        }
        match restart {
            Some(r) => Err(PartsError::Restart(r)),
            None => Ok(parts),
        }
    }

    /// Tells the helpers to stop and waits until each has answered, so that the next
    /// job's answer cannot be mistaken for this one's.
    pub async fn stop(self) {
        for helper in &self.helpers {
            if let Ok(stop) = serde_wasm_bindgen::to_value(&Job::Stop) {
                let message = Object::new();
                let _ = Reflect::set(&message, &"job".into(), &stop);
                let _ = helper.post_message(&message);
            }
        }
        for promise in self.asked {
            let _ = JsFuture::from(promise).await;
        }
    }
}

/// A promise resolved with `undefined` after `ms` milliseconds.
fn wait_ms(ms: i32) -> Promise {
    Promise::new(&mut |resolve, _| {
        let scope: DedicatedWorkerGlobalScope = js_sys::global().unchecked_into();
        let _ = scope.set_timeout_with_callback_and_timeout_and_arguments_0(&resolve, ms);
    })
}

/// A helper worker, and the promise of its first message until that came.
struct Helper {
    worker: Worker,
    starting: Option<Promise>,
}

/// The engine's helpers.
#[derive(Default)]
pub struct Pool {
    helpers: Vec<Helper>,
    failed: bool,
}

impl Pool {
    /// How many helpers this device can keep busy: one per logical core beyond the
    /// engine's own.
    pub fn wanted() -> usize {
        let scope: DedicatedWorkerGlobalScope = js_sys::global().unchecked_into();
        let cores = scope.navigator().hardware_concurrency();
        (cores as usize).clamp(1, MOST) - 1
    }

    /// Helpers that can take a job now (none once one failed).
    pub fn ready(&self) -> usize {
        if self.failed {
            return 0;
        }
        self.helpers.iter().filter(|h| h.starting.is_none()).count()
    }

    /// Asks the ready helpers to read their parts of `file`: part `i + 1` starts near
    /// `points[i + 1]` (the engine reads part 0 itself).
    pub fn read_parts(&self, file: &File, plan: &PartPlan, points: &[u64], total: u64) -> Reading {
        let helpers: Vec<Worker> = self
            .helpers
            .iter()
            .filter(|h| h.starting.is_none())
            .map(|h| h.worker.clone())
            .take(points.len().saturating_sub(1))
            .collect();
        let asked = helpers
            .iter()
            .enumerate()
            .map(|(i, helper)| {
                let job = Job::Read {
                    plan: Box::new(plan.clone()),
                    from: points.get(i + 1).copied().unwrap_or(total),
                    to: points.get(i + 2).copied().unwrap_or(total),
                    total,
                };
                ask_with(helper, &job, Some(("file", file.into())), Array::new())
            })
            .collect();
        Reading { helpers, asked }
    }

    /// Stops every helper after a failure; the engine then works alone.
    pub fn fail(&mut self) {
        self.give_up();
    }

    /// Whether a fit on `rows` customers is worth sharing, with `helpers` helpers.
    pub fn worth_sharing(rows: usize, helpers: usize) -> bool {
        helpers > 0 && rows >= SHARE_FROM
    }

    /// Starts helpers until there are `n`, without waiting for them. The engine does this
    /// when it starts, so that helpers fetch their code before any data is loaded (no
    /// request is made after that) and are ready when a fit needs them.
    pub fn start(&mut self, n: usize) -> Result<(), PoolError> {
        while self.helpers.len() < n && !self.failed {
            let options = WorkerOptions::new();
            options.set_name(HELPER);
            match Worker::new_with_options(WORKER_SCRIPT, &options) {
                Ok(worker) => {
                    // Listening from the start: a message with no listener is lost.
                    let starting = Some(answer(&worker));
                    self.helpers.push(Helper { worker, starting });
                }
                Err(e) => {
                    self.give_up();
                    return Err(PoolError::Helper(describe(&e)));
                }
            }
        }
        Ok(())
    }

    /// Waits until every helper started so far has its code (giving up on helpers if one
    /// fails: fits are then done in the engine alone).
    pub async fn started(&mut self) {
        // A helper whose code never starts (its module failed to load without an error
        // the engine can see) must not keep the page waiting: after this long, the engine
        // works alone.
        let late = give_up_after(START_WITHIN_MS);
        let starting = self
            .helpers
            .iter_mut()
            .filter_map(|h| h.starting.take())
            .map(|p| Promise::race(&Array::of2(&p, &late)))
            .collect();
        if let Err(e) = expect(starting, ready).await {
            web_sys::console::warn_1(&format!("segmenta: no helper workers ({e:?})").into());
            self.give_up();
        }
    }

    /// Starts helpers until there are `n` (none if one failed before), and waits until
    /// they can take jobs.
    async fn grow(&mut self, n: usize) -> Result<(), PoolError> {
        if self.failed {
            return Err(PoolError::Helper("a helper failed before".into()));
        }
        self.start(n)?;
        let starting = self
            .helpers
            .iter_mut()
            .filter_map(|h| h.starting.take())
            .collect();
        expect(starting, ready).await.map(drop)
    }

    /// Stops every helper (after a failure: the next fit is done in the engine alone).
    fn give_up(&mut self) {
        for h in self.helpers.drain(..) {
            h.worker.terminate();
        }
        self.failed = true;
    }

    /// k-means with `params` on `x`, the rows split between the engine and `helpers`
    /// helpers. The same result as [`KMeansParams::fit`].
    pub async fn fit_kmeans(
        &mut self,
        params: &KMeansParams,
        x: ArrayView2<'_, f64>,
        helpers: usize,
        progress: &mut dyn Progress,
    ) -> Result<KMeans, PoolError> {
        let outcome = self.shared_kmeans(params, x, helpers, progress).await;
        if let Err(PoolError::Helper(_)) = &outcome {
            self.give_up();
        }
        outcome
    }

    async fn shared_kmeans(
        &mut self,
        params: &KMeansParams,
        x: ArrayView2<'_, f64>,
        helpers: usize,
        progress: &mut dyn Progress,
    ) -> Result<KMeans, PoolError> {
        let mut plan = Plan::new(params, x)?;
        if !plan.by_steps() {
            return Err(PoolError::Alone);
        }
        let d = plan.features();
        let ranges = shard_rows(plan.rows(), helpers + 1);
        self.grow(ranges.len() - 1).await?;
        let helpers: Vec<&Worker> = self.helpers[..ranges.len() - 1]
            .iter()
            .map(|h| &h.worker)
            .collect();
        let loading: Vec<Promise> = helpers
            .iter()
            .zip(&ranges[1..])
            .map(|(h, r)| {
                let rows =
                    Float64Array::from(plan.x64().get(r.start * d..r.end * d).unwrap_or(&[]));
                let job = Job::Rows {
                    first: r.start,
                    d,
                    single: plan.single_precision(),
                };
                ask(h, &job, Some(rows))
            })
            .collect();
        expect(loading, ready).await?;
        let runs = plan.runs();
        for run in 0..runs {
            let (base, span) = (run as f64 / runs as f64, 1.0 / runs as f64);
            let centres = plan.seed();
            let (mut lloyd, mut job) = plan.lloyd(centres);
            let mut here = plan.shard(ranges[0].clone());
            let mut fresh = true;
            let result = loop {
                let asked = ask_all(
                    &helpers,
                    &Job::Assign {
                        job: job.clone(),
                        fresh,
                    },
                );
                fresh = false;
                let mut parts = vec![here.assign(&job)];
                parts.extend(
                    expect(asked, |a, _| match a {
                        Answer::Assigned { part } => Ok(part),
                        other => Err(other),
                    })
                    .await?,
                );
                match lloyd.next(&parts) {
                    Next::Assign(next) => {
                        progress.report(Stage::Clustering, base + span * lloyd.fraction())?;
                        job = next;
                    }
                    Next::Finish { job, again } => {
                        let asked = ask_all(
                            &helpers,
                            &Job::Finish {
                                job: job.clone(),
                                again,
                            },
                        );
                        let mut finished = vec![here.finish(&job, again)];
                        finished.extend(
                            expect(asked, |a, data| match a {
                                Answer::Finished { inertia } => Ok(Finished {
                                    labels: Reflect::get(data, &"labels".into())
                                        .ok()
                                        .and_then(|l| l.dyn_into::<Uint32Array>().ok())
                                        .map(|l| l.to_vec())
                                        .unwrap_or_default(),
                                    inertia,
                                }),
                                other => Err(other),
                            })
                            .await?,
                        );
                        progress.report(Stage::Clustering, base + span)?;
                        break lloyd.end(finished);
                    }
                }
            };
            plan.keep(result);
        }
        Ok(plan.model()?)
    }
}

fn ready(answer: Answer, _: &JsValue) -> Result<(), Answer> {
    match answer {
        Answer::Ready => Ok(()),
        other => Err(other),
    }
}

/// Posts the same `job` to every helper.
fn ask_all(helpers: &[&Worker], job: &Job) -> Vec<Promise> {
    helpers.iter().map(|h| ask(h, job, None)).collect()
}

/// Posts `job` (and `rows`, handed over without a copy) to `helper`; the promise resolves
/// with its answer, or rejects if the helper fails.
fn ask(helper: &Worker, job: &Job, rows: Option<Float64Array>) -> Promise {
    match rows {
        Some(rows) => {
            let transfer = Array::of1(&rows.buffer());
            ask_with(helper, job, Some(("rows", rows.into())), transfer)
        }
        None => ask_with(helper, job, None, Array::new()),
    }
}

/// [`ask`] with any value beside the job, and the buffers to hand over.
fn ask_with(
    helper: &Worker,
    job: &Job,
    extra: Option<(&str, JsValue)>,
    transfer: Array,
) -> Promise {
    let message = Object::new();
    let encoded = serde_wasm_bindgen::to_value(job);
    let promise = answer(helper);
    match encoded {
        Ok(job) => {
            let _ = Reflect::set(&message, &"job".into(), &job);
        }
        Err(e) => return Promise::reject(&JsValue::from_str(&e.to_string())),
    }
    if let Some((name, value)) = extra {
        let _ = Reflect::set(&message, &name.into(), &value);
    }
    if let Err(e) = helper.post_message_with_transfer(&message, &transfer) {
        return Promise::reject(&e);
    }
    promise
}

/// A promise rejected after `ms` milliseconds.
fn give_up_after(ms: i32) -> Promise {
    Promise::new(&mut |_, reject| {
        let scope: DedicatedWorkerGlobalScope = js_sys::global().unchecked_into();
        let late = JsValue::from_str("a helper did not start in time");
        let _ = scope.set_timeout_with_callback_and_timeout_and_arguments_1(&reject, ms, &late);
    })
}

/// A promise of `helper`'s next message (rejected if it fails first).
fn answer(helper: &Worker) -> Promise {
    Promise::new(&mut |resolve, reject| {
        helper.set_onmessage(Some(&resolve));
        helper.set_onerror(Some(&reject));
        helper.set_onmessageerror(Some(&reject));
    })
}

/// Waits for every answer, in order, keeping what `want` takes from each; any other
/// answer is the helper's failure.
async fn expect<T>(
    promises: Vec<Promise>,
    want: impl Fn(Answer, &JsValue) -> Result<T, Answer>,
) -> Result<Vec<T>, PoolError> {
    let mut out = Vec::with_capacity(promises.len());
    for promise in promises {
        let event = JsFuture::from(promise)
            .await
            .map_err(|e| PoolError::Helper(describe(&e)))?;
        let data = Reflect::get(&event, &"data".into()).unwrap_or(JsValue::UNDEFINED);
        let answer = Reflect::get(&data, &"answer".into()).unwrap_or(JsValue::UNDEFINED);
        let answer = serde_wasm_bindgen::from_value::<Answer>(answer)
            .map_err(|e| PoolError::Helper(e.to_string()))?;
        out.push(want(answer, &data).map_err(|other| {
            PoolError::Helper(match other {
                Answer::Failed { message } => message,
                other => format!("unexpected answer {other:?}"),
            })
        })?);
    }
    Ok(out)
}

fn describe(error: &JsValue) -> String {
    Reflect::get(error, &"message".into())
        .ok()
        .and_then(|m| m.as_string())
        .unwrap_or_else(|| format!("{error:?}"))
}
