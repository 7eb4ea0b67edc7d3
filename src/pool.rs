//! Helper workers that share with the engine worker the reading of large files, the
//! comparison of segment counts, the final k-means or Gaussian-mixture fit and the quality
//! scores.
//!
//! Reading: each helper gets the `File` (a reference, not its bytes) and a [`Span`] of it,
//! reads that span in `Blob.slice` chunks itself and sends back its columns (typed arrays,
//! handed over without a copy); the engine reads the first span and joins the parts
//! ([`segmenta_core::ingest::parts`]).
//!
//! The engine worker (the one the page talks to) starts `navigator.hardwareConcurrency − 1`
//! helpers when it starts. Each helper is the same worker program under another name
//! ([`HELPER`]), with its own wasm instance.
//!
//! - Comparing segment counts: each k is a job of its own ([`Comparison::one`]); helpers
//!   get the compared customers and some of the k, the engine does the rest.
//! - A final fit on many customers: each helper gets a copy of a slice of the prepared rows
//!   once per fit and then, at every Lloyd or EM step, only the centres or the mixture
//!   (kilobytes), and answers with per-block sums ([`segmenta_core::cluster::kmeans::shards`],
//!   [`segmenta_core::cluster::gmm::shards`]). The engine works on the first slice itself.
//! - The scores: two passes over the rows the helpers hold, and silhouette chunks
//!   ([`segmenta_core::metrics::shards`]).
//!
//! No shared memory is needed, so this works on any static host, without cross-origin
//! isolation. Sums are added in block order whatever the number of helpers, so one core or
//! eight give the same segments and scores. If a helper cannot start or fails, the work is
//! done in the engine alone, as before there were helpers.

use std::borrow::Cow;
use std::cell::{Cell, RefCell};
use std::rc::Rc;

use std::ops::Range;

use js_sys::{Array, Float64Array, Object, Promise, Reflect, Uint8Array, Uint32Array};
use ndarray::{Array2, ArrayView2, Axis, CowArray};
use segmenta_core::cluster::gmm::shards::{
    Expected, Labelled, Plan as MixturePlan, Shard as MixtureShard, Start, Step,
};
use segmenta_core::cluster::kmeans::shards::{
    Assigned, BLOCK, Centres, Finished, Next, Shard, shard_rows,
};
use segmenta_core::cluster::kmeans::{KMeans, Plan};
use segmenta_core::cluster::{
    ClusterError, Comparison, ComparisonParts, Covariance, GaussianMixture,
    GaussianMixtureValidParams, KMeansParams, Model, SweepRow,
};
use segmenta_core::ingest::Ingest;
use segmenta_core::ingest::Restart;
use segmenta_core::ingest::parts::{Part, PartPlan, Span};
use segmenta_core::ingest::records::RowsRead;
use segmenta_core::metrics::shards::{CHUNKS, Means, Spread, Sums};
use segmenta_core::metrics::{self, MetricError, Scores, shards::Silhouette};
use segmenta_core::progress::{Cancelled, NoProgress, Progress, Stage, Within};
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
    /// One E-step of a Gaussian mixture on the helper's rows.
    Expect {
        step: Box<Step>,
        covariance: Covariance,
    },
    /// The mixture's last pass: each row's most probable segment.
    Label {
        step: Box<Step>,
        covariance: Covariance,
    },
    /// The scores' first pass over the helper's rows, in `k` segments (sent beside as
    /// `labels`, a `Uint32Array`, and kept for the second pass).
    Sums { k: usize },
    /// The scores' second pass: distances to the segment `means`.
    Spread { means: Vec<f64> },
    /// Silhouette `chunks` of the rows sent beside (`rows`, a `Float64Array` of `d`
    /// values per row, and `labels`).
    Silhouette { d: usize, chunks: Vec<usize> },
    /// Compare the numbers of segments `ks` of a comparison prepared by the engine, on
    /// the customers sent beside (`rows`, `d` values each).
    Compare {
        parts: Box<ComparisonParts>,
        d: usize,
        ks: Vec<usize>,
    },
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
    Expected {
        part: Box<Expected>,
    },
    /// With the rows' segments (`Uint32Array`) and their probabilities (`Float64Array`)
    /// beside it, as `labelled`.
    Labelled {
        totals: Vec<f64>,
    },
    Sums {
        part: Sums,
    },
    Spread {
        part: Spread,
    },
    /// With one `Float64Array` per chunk beside it, as `chunks`.
    Silhouette,
    /// One per k asked, in that order.
    Compared {
        results: Vec<Compared>,
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
    /// The scores cannot be computed: the same as it would have here.
    Scores(MetricError),
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

/// A helper's rows, kept between jobs in the shape the last job needed.
#[derive(Default)]
struct Kept {
    first: usize,
    d: usize,
    single: bool,
    rows: Held,
    /// The rows' segments, for the scores' second pass.
    labels: Vec<usize>,
}

#[derive(Default)]
enum Held {
    #[default]
    Nothing,
    KMeans(Shard<'static>),
    Mixture(MixtureShard<'static>),
}

impl Kept {
    fn take_rows(&mut self) -> Option<Cow<'static, [f64]>> {
        match std::mem::take(&mut self.rows) {
            Held::Nothing => None,
            Held::KMeans(shard) => Some(shard.into_rows()),
            Held::Mixture(shard) => Some(shard.into_rows()),
        }
    }

    /// The rows as a k-means shard (a new one after a mixture's steps).
    fn kmeans(&mut self) -> Option<&mut Shard<'static>> {
        if !matches!(self.rows, Held::KMeans(_)) {
            let rows = self.take_rows()?;
            self.rows = Held::KMeans(Shard::new(self.first, self.d, rows, self.single));
        }
        match &mut self.rows {
            Held::KMeans(shard) => Some(shard),
            _ => None,
        }
    }

    /// The rows as a Gaussian-mixture shard.
    fn mixture(&mut self, covariance: Covariance) -> Option<&MixtureShard<'static>> {
        if !matches!(&self.rows, Held::Mixture(s) if s.covariance() == covariance) {
            let rows = self.take_rows()?;
            self.rows = Held::Mixture(MixtureShard::new(self.d, covariance, rows));
        }
        match &self.rows {
            Held::Mixture(shard) => Some(shard),
            _ => None,
        }
    }

    fn values(&self) -> Option<&[f64]> {
        match &self.rows {
            Held::Nothing => None,
            Held::KMeans(shard) => Some(shard.rows()),
            Held::Mixture(shard) => Some(shard.rows()),
        }
    }
}

/// The helper's side: keeps its rows and answers jobs. Called by the worker program
/// when it was started as [`HELPER`].
pub fn serve(scope: DedicatedWorkerGlobalScope) {
    let kept: Rc<RefCell<Kept>> = Rc::new(RefCell::new(Kept::default()));
    let stop = Rc::new(Cell::new(false));
    let reply = scope.clone();
    let on_message = Closure::<dyn FnMut(MessageEvent)>::new(move |event: MessageEvent| {
        let data = event.data();
        let job = Reflect::get(&data, &"job".into())
            .map_err(|e| format!("{e:?}"))
            .and_then(|j| serde_wasm_bindgen::from_value::<Job>(j).map_err(|e| e.to_string()));
        let (answer, extra) = match job {
            Err(message) => (Answer::Failed { message }, None),
            Ok(Job::Stop) => {
                stop.set(true);
                return;
            }
            Ok(Job::Read {
                plan,
                from,
                to,
                total,
            }) => match Reflect::get(&data, &"file".into()).map(|f| f.dyn_into::<File>()) {
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
                _ => (failed("no file came with the job"), None),
            },
            Ok(job) => work(&mut kept.borrow_mut(), job, &data),
        };
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

fn failed(message: &str) -> Answer {
    Answer::Failed {
        message: message.into(),
    }
}

/// A typed array sent beside a job as `name`.
fn beside<T: JsCast>(data: &JsValue, name: &str) -> Option<T> {
    Reflect::get(data, &name.into()).ok()?.dyn_into::<T>().ok()
}

/// Answers a job on the helper's rows; the answer, with what to send beside it.
fn work(kept: &mut Kept, job: Job, data: &JsValue) -> (Answer, Option<Extra>) {
    const NO_ROWS: &str = "a step came before the rows";
    match job {
        Job::Rows { first, d, single } => match beside::<Float64Array>(data, "rows") {
            Some(rows) => {
                let rows = Cow::Owned(rows.to_vec());
                *kept = Kept {
                    first,
                    d,
                    single,
                    rows: Held::KMeans(Shard::new(first, d, rows, single)),
                    labels: Vec::new(),
                };
                (Answer::Ready, None)
            }
            None => (failed("no rows came with the job"), None),
        },
        Job::Assign { job, fresh } => match kept.kmeans() {
            Some(shard) => {
                if fresh {
                    shard.reset();
                }
                let part = shard.assign(&job);
                (Answer::Assigned { part }, None)
            }
            None => (failed(NO_ROWS), None),
        },
        Job::Finish { job, again } => match kept.kmeans() {
            Some(shard) => {
                let Finished { labels, inertia } = shard.finish(&job, again);
                let labels = Uint32Array::from(&labels[..]);
                let transfer = Array::of1(&labels.buffer());
                (
                    Answer::Finished { inertia },
                    Some(("labels", labels.into(), transfer)),
                )
            }
            None => (failed(NO_ROWS), None),
        },
        Job::Expect { step, covariance } => match kept.mixture(covariance) {
            Some(shard) => match shard.expect(&step, &mut |_| Ok(())) {
                Ok(part) => (
                    Answer::Expected {
                        part: Box::new(part),
                    },
                    None,
                ),
                Err(_) => (failed("stopped"), None),
            },
            None => (failed(NO_ROWS), None),
        },
        Job::Label { step, covariance } => match kept.mixture(covariance) {
            Some(shard) => {
                let Labelled {
                    labels,
                    confidence,
                    totals,
                } = shard.labels(&step);
                let labels = Uint32Array::from(&labels[..]);
                let confidence = Float64Array::from(&confidence[..]);
                let transfer = Array::of2(&labels.buffer(), &confidence.buffer());
                let sent = Array::of2(&labels, &confidence);
                (
                    Answer::Labelled { totals },
                    Some(("labelled", sent.into(), transfer)),
                )
            }
            None => (failed(NO_ROWS), None),
        },
        Job::Sums { k } => {
            kept.labels = beside::<Uint32Array>(data, "labels")
                .map(|l| l.to_vec().into_iter().map(|l| l as usize).collect())
                .unwrap_or_default();
            match kept.values() {
                Some(x) => {
                    let part = metrics::shards::sums(x, kept.d, &kept.labels, k);
                    (Answer::Sums { part }, None)
                }
                None => (failed(NO_ROWS), None),
            }
        }
        Job::Spread { means } => match kept.values() {
            Some(x) => {
                let part = metrics::shards::spread(x, kept.d, &kept.labels, &means);
                (Answer::Spread { part }, None)
            }
            None => (failed(NO_ROWS), None),
        },
        Job::Silhouette { d, chunks } => {
            let rows = beside::<Float64Array>(data, "rows").map(|r| r.to_vec());
            let labels: Option<Vec<usize>> = beside::<Uint32Array>(data, "labels")
                .map(|l| l.to_vec().into_iter().map(|l| l as usize).collect());
            let (Some(rows), Some(labels)) = (rows, labels) else {
                return (failed("no rows came with the job"), None);
            };
            let silhouette = ArrayView2::from_shape((labels.len(), d), &rows[..])
                .map_err(|e| e.to_string())
                .and_then(|x| Silhouette::new(x, &labels).map_err(|e| e.to_string()));
            match silhouette {
                Ok(silhouette) => {
                    let (sent, transfer) = (Array::new(), Array::new());
                    for c in chunks {
                        let Ok(sums) = silhouette.chunk(c, &mut |_| Ok(())) else {
                            return (failed("stopped"), None);
                        };
                        let sums = Float64Array::from(&sums[..]);
                        transfer.push(&sums.buffer());
                        sent.push(&sums);
                    }
                    (Answer::Silhouette, Some(("chunks", sent.into(), transfer)))
                }
                Err(message) => (Answer::Failed { message }, None),
            }
        }
        Job::Compare { parts, d, ks } => {
            let Some(rows) = beside::<Float64Array>(data, "rows").map(|r| r.to_vec()) else {
                return (failed("no rows came with the job"), None);
            };
            let n = rows.len() / d.max(1);
            match Array2::from_shape_vec((n, d), rows) {
                Ok(numbers) => {
                    let keep_models = parts.sampled.is_none();
                    let comparison = Comparison::from_parts(*parts, numbers);
                    let results = ks
                        .into_iter()
                        .map(|k| match comparison.one(k, &mut NoProgress) {
                            Ok((row, model)) => Compared::Row {
                                row,
                                model: keep_models.then(|| Box::new(model)),
                            },
                            Err(e) => Compared::from(e),
                        })
                        .collect();
                    (Answer::Compared { results }, None)
                }
                Err(e) => (
                    Answer::Failed {
                        message: e.to_string(),
                    },
                    None,
                ),
            }
        }
        Job::Read { .. } | Job::Stop => (failed("not a job on rows"), None),
    }
}

/// A value sent beside an answer: its name, the value, and the buffers handed over.
type Extra = (&'static str, JsValue, Array);

/// Posts `answer`, with `extra` beside it.
fn post_answer(reply: &DedicatedWorkerGlobalScope, answer: &Answer, extra: Option<Extra>) {
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
) -> (Answer, Option<Extra>) {
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
                ask_with(helper, &job, &[("file", file.into())], Array::new())
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
        self.after(outcome)
    }

    /// A Gaussian mixture with `params` on `x`, shared like [`Pool::fit_kmeans`] (its
    /// k-means start too). The same result as [`GaussianMixtureValidParams::fit`].
    pub async fn fit_mixture(
        &mut self,
        params: &GaussianMixtureValidParams,
        x: ArrayView2<'_, f64>,
        helpers: usize,
        progress: &mut dyn Progress,
    ) -> Result<GaussianMixture, PoolError> {
        let outcome = self.shared_mixture(params, x, helpers, progress).await;
        self.after(outcome)
    }

    /// The quality scores of `labels` on `x`, shared like [`Pool::fit_kmeans`]; `held`:
    /// the helpers still hold these rows from the fit just before. The same result as
    /// [`metrics::scores`].
    pub async fn scores(
        &mut self,
        x: ArrayView2<'_, f64>,
        labels: &[usize],
        seed: u64,
        held: bool,
        helpers: usize,
        progress: &mut dyn Progress,
    ) -> Result<Scores, PoolError> {
        let outcome = self
            .shared_scores(x, labels, seed, held, helpers, progress)
            .await;
        self.after(outcome)
    }

    /// After a helper failed, stops them all: the engine works alone from then on.
    fn after<T>(&mut self, outcome: Result<T, PoolError>) -> Result<T, PoolError> {
        if let Err(PoolError::Helper(_)) = &outcome {
            self.give_up();
        }
        outcome
    }

    /// The helpers for `ranges` (the engine takes the first range), started.
    async fn workers(&mut self, ranges: &[Range<usize>]) -> Result<Vec<Worker>, PoolError> {
        let n = ranges.len().saturating_sub(1);
        self.grow(n).await?;
        Ok(self
            .helpers
            .iter()
            .take(n)
            .map(|h| h.worker.clone())
            .collect())
    }

    /// Compares every number of segments of `comparison`, shared out by k between the
    /// engine and `helpers` helpers (each k is the same job wherever it runs, so the
    /// outcomes are those of [`Comparison::run`]); the outcomes in order of k, for
    /// [`Comparison::finish`].
    pub async fn compare(
        &mut self,
        comparison: &Comparison<'_>,
        helpers: usize,
        progress: &mut dyn Progress,
    ) -> Result<Vec<Outcome>, PoolError> {
        let outcome = self.shared_compare(comparison, helpers, progress).await;
        self.after(outcome)
    }

    async fn shared_compare(
        &mut self,
        comparison: &Comparison<'_>,
        helpers: usize,
        progress: &mut dyn Progress,
    ) -> Result<Vec<Outcome>, PoolError> {
        let ks = comparison.ks().to_vec();
        let parts = (helpers + 1).min(ks.len()).max(1);
        self.grow(parts - 1).await?;
        let workers: Vec<Worker> = self
            .helpers
            .iter()
            .take(parts - 1)
            .map(|h| h.worker.clone())
            .collect();
        let shares = share_out(&ks, parts);
        let numbers = comparison
            .points()
            .numbers
            .as_standard_layout()
            .into_owned();
        let d = numbers.ncols();
        let rows = Float64Array::from(numbers.as_slice().unwrap_or(&[]));
        let job_parts = Box::new(comparison.parts());
        let asked: Vec<Promise> = workers
            .iter()
            .zip(shares.iter().skip(1))
            .map(|(w, ks)| {
                let job = Job::Compare {
                    parts: job_parts.clone(),
                    d,
                    ks: ks.clone(),
                };
                ask_with(w, &job, &[("rows", rows.clone().into())], Array::new())
            })
            .collect();
        let mut outcomes: Vec<(usize, Compared)> = Vec::with_capacity(ks.len());
        let mut cancelled = false;
        let mine = shares.first().cloned().unwrap_or_default();
        let share = 1.0 / mine.len().max(1) as f64;
        for (j, &k) in mine.iter().enumerate() {
            let mut within = Within::new(progress, Stage::Comparing, share * j as f64, share);
            let outcome = comparison.one(k, &mut within);
            let stop = outcome.is_err();
            match outcome {
                Ok((row, model)) => outcomes.push((
                    k,
                    Compared::Row {
                        row,
                        model: Some(Box::new(model)),
                    },
                )),
                Err(ClusterError::Cancelled) => cancelled = true,
                Err(e) => outcomes.push((k, Compared::from(e))),
            }
            // As one worker would: nothing after the first failure is needed.
            if stop {
                break;
            }
        }
        // Awaited even when the user cancelled (see `shared_mixture`).
        let theirs = expect(asked, |a, _| match a {
            Answer::Compared { results } => Ok(results),
            other => Err(other),
        })
        .await;
        if cancelled {
            return Err(PoolError::Fit(ClusterError::Cancelled));
        }
        for (ks, results) in shares.iter().skip(1).zip(theirs?) {
            outcomes.extend(ks.iter().copied().zip(results));
        }
        let keep_models = job_parts.sampled.is_none();
        let mut results = Vec::with_capacity(ks.len());
        for k in ks {
            let Some(at) = outcomes.iter().position(|(of, _)| *of == k) else {
                return Err(PoolError::Helper(format!("k = {k} was not compared")));
            };
            match outcomes.swap_remove(at).1 {
                Compared::Row { row, model } => {
                    results.push(Ok((row, model.filter(|_| keep_models).map(|m| *m))))
                }
                Compared::TooFewDistinct { k, distinct } => {
                    results.push(Err(ClusterError::TooFewDistinct { k, distinct }));
                    break;
                }
                Compared::Failed { message } => return Err(PoolError::Helper(message)),
            }
        }
        progress.report(Stage::Comparing, 1.0)?;
        Ok(results)
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
        let ranges = shard_rows(plan.rows(), helpers + 1);
        let workers = self.workers(&ranges).await?;
        let (d, single) = (plan.features(), plan.single_precision());
        load(&workers, &ranges, plan.x64(), d, single).await?;
        lloyd(&mut plan, &workers, &ranges, progress).await?;
        Ok(plan.model()?)
    }

    async fn shared_mixture(
        &mut self,
        params: &GaussianMixtureValidParams,
        x: ArrayView2<'_, f64>,
        helpers: usize,
        progress: &mut dyn Progress,
    ) -> Result<GaussianMixture, PoolError> {
        let mut plan = MixturePlan::new(params, x)?;
        let ranges = shard_rows(plan.rows(), helpers + 1);
        let workers = self.workers(&ranges).await?;
        let (d, runs, max_iter) = (plan.features(), plan.runs(), plan.max_iter());
        let covariance = plan.covariance();
        // The helpers get the centred rows once, kept in the precision of the first
        // k-means start (the same for every start: the same rows).
        let mut loaded = false;
        // The start's k-means takes this share of each restart's bar.
        const START: f64 = 0.2;
        for run in 0..runs {
            let (base, span) = (run as f64 / runs as f64, 1.0 / runs as f64);
            let init = match plan.start(run) {
                Start::Given(labels) => labels.to_vec(),
                Start::KMeans(params) => {
                    let mut within = Within::new(progress, Stage::Clustering, base, span * START);
                    let mut kmeans = Plan::new(&params, plan.centred())?;
                    if !loaded {
                        load(
                            &workers,
                            &ranges,
                            kmeans.x64(),
                            d,
                            kmeans.single_precision(),
                        )
                        .await?;
                        loaded = true;
                    }
                    if kmeans.by_steps() {
                        lloyd(&mut kmeans, &workers, &ranges, &mut within).await?;
                        kmeans.model()?.labels().to_vec()
                    } else {
                        params.fit(plan.centred())?.labels().to_vec()
                    }
                }
            };
            if !loaded {
                let centred = plan.centred();
                load(
                    &workers,
                    &ranges,
                    centred.as_slice().unwrap_or(&[]),
                    d,
                    false,
                )
                .await?;
                loaded = true;
            }
            let (mut em, mut step) = plan.em(&init)?;
            let here = plan.shard(ranges[0].clone());
            let (base, span) = (base + span * START, span * (1.0 - START));
            loop {
                let job = Job::Expect {
                    step: Box::new(step.clone()),
                    covariance,
                };
                let asked = ask_all(&workers, &job);
                let at = base + span * em.fraction();
                let mine = here.expect(&step, &mut |f| {
                    progress.report(Stage::Clustering, at + span * f / max_iter as f64)
                });
                // The helpers' answers are awaited even when the user cancelled, so that
                // none can be taken for the answer to a later job.
                let theirs = expect(asked, |a, _| match a {
                    Answer::Expected { part } => Ok(*part),
                    other => Err(other),
                })
                .await;
                let mut parts = vec![mine?];
                parts.extend(theirs?);
                match em.next(&parts)? {
                    Some(next) => step = next,
                    None => break,
                }
            }
            plan.keep(em);
        }
        let step = plan.last()?;
        let asked = ask_all(
            &workers,
            &Job::Label {
                step: Box::new(step.clone()),
                covariance,
            },
        );
        let mut parts = vec![plan.shard(ranges[0].clone()).labels(&step)];
        parts.extend(
            expect(asked, |a, data| match a {
                Answer::Labelled { totals } => {
                    let sent = beside::<Array>(data, "labelled").unwrap_or_default();
                    let labels = sent.get(0).dyn_into::<Uint32Array>().map(|l| l.to_vec());
                    let confidence = sent.get(1).dyn_into::<Float64Array>().map(|c| c.to_vec());
                    Ok(Labelled {
                        labels: labels.unwrap_or_default(),
                        confidence: confidence.unwrap_or_default(),
                        totals,
                    })
                }
                other => Err(other),
            })
            .await?,
        );
        progress.report(Stage::Clustering, 1.0)?;
        Ok(plan.model(parts)?)
    }

    async fn shared_scores(
        &mut self,
        x: ArrayView2<'_, f64>,
        labels: &[usize],
        seed: u64,
        held: bool,
        helpers: usize,
        progress: &mut dyn Progress,
    ) -> Result<Scores, PoolError> {
        let k = metrics::segments(&x, labels).map_err(metric)?;
        let (n, d) = x.dim();
        let standard = x.as_standard_layout();
        let rows = standard.as_slice().unwrap_or(&[]);
        let ranges = shard_rows(n, helpers + 1);
        let workers = self.workers(&ranges).await?;
        if !held {
            load(&workers, &ranges, rows, d, false).await?;
        }
        let own = ranges[0].clone();
        let (x0, labels0) = (&rows[own.start * d..own.end * d], &labels[own.clone()]);
        // First pass: rows and their sums per segment.
        let asked: Vec<Promise> = workers
            .iter()
            .zip(&ranges[1..])
            .map(|(w, r)| {
                let part: Vec<u32> = labels[r.clone()].iter().map(|&l| l as u32).collect();
                let part = Uint32Array::from(&part[..]);
                let transfer = Array::of1(&part.buffer());
                ask_with(w, &Job::Sums { k }, &[("labels", part.into())], transfer)
            })
            .collect();
        let mut sums = vec![metrics::shards::sums(x0, d, labels0, k)];
        sums.extend(
            expect(asked, |a, _| match a {
                Answer::Sums { part } => Ok(part),
                other => Err(other),
            })
            .await?,
        );
        let means = Means::of(&sums, k, d);
        progress.report(Stage::Scoring, 0.05)?;
        // Second pass: distances to the means.
        let asked = ask_all(
            &workers,
            &Job::Spread {
                means: means.means.clone(),
            },
        );
        let mut spreads = vec![metrics::shards::spread(x0, d, labels0, &means.means)];
        spreads.extend(
            expect(asked, |a, _| match a {
                Answer::Spread { part } => Ok(part),
                other => Err(other),
            })
            .await?,
        );
        let indices = means.scores(&spreads);
        progress.report(Stage::Scoring, 0.1)?;
        // The silhouette: every worker gets the scored rows and computes its chunks.
        let (scored, scored_labels) = match metrics::silhouette_rows(labels, seed) {
            Some(sample) => {
                let values = x.select(Axis(0), &sample);
                let labels = sample.iter().map(|&i| labels[i]).collect();
                (CowArray::from(values), labels)
            }
            None => (standard.clone(), labels.to_vec()),
        };
        let silhouette = Silhouette::new(scored.view(), &scored_labels).map_err(metric)?;
        let parts = ranges.len();
        let chunks = |p: usize| CHUNKS * p / parts..CHUNKS * (p + 1) / parts;
        let values = Float64Array::from(scored.as_slice().unwrap_or(&[]));
        let codes: Vec<u32> = scored_labels.iter().map(|&l| l as u32).collect();
        let codes = Uint32Array::from(&codes[..]);
        let asked: Vec<Promise> = workers
            .iter()
            .enumerate()
            .map(|(i, w)| {
                let job = Job::Silhouette {
                    d,
                    chunks: chunks(i + 1).collect(),
                };
                let extras = [
                    ("rows", values.clone().into()),
                    ("labels", codes.clone().into()),
                ];
                ask_with(w, &job, &extras, Array::new())
            })
            .collect();
        let mut total = silhouette.zeros();
        let mine = chunks(0);
        let share = 0.9 / mine.len().max(1) as f64;
        let mut cancelled = Ok(());
        for (i, c) in mine.enumerate() {
            let at = 0.1 + share * i as f64;
            match silhouette.chunk(c, &mut |f| progress.report(Stage::Scoring, at + share * f)) {
                Ok(part) => Silhouette::add(&mut total, &part),
                Err(e) => {
                    cancelled = Err(e);
                    break;
                }
            }
        }
        // Awaited even when the user cancelled (see `shared_mixture`).
        let theirs = expect(asked, |a, data| match a {
            Answer::Silhouette => Ok(beside::<Array>(data, "chunks").unwrap_or_default()),
            other => Err(other),
        })
        .await;
        cancelled?;
        for sent in theirs? {
            for part in sent.iter() {
                let part = part
                    .dyn_into::<Float64Array>()
                    .map_err(|_| PoolError::Helper("a silhouette chunk did not fit".into()))?;
                Silhouette::add(&mut total, &part.to_vec());
            }
        }
        progress.report(Stage::Scoring, 1.0)?;
        Ok(Scores::new(
            indices,
            silhouette.finish(&total),
            scored_labels,
        ))
    }
}

/// One number of segments compared (see [`Comparison::finish`]).
pub type Outcome = Result<(SweepRow, Option<Model>), ClusterError>;

/// How one k of a comparison came out, as a helper sends it.
#[derive(Debug, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
enum Compared {
    Row {
        row: SweepRow,
        /// When the comparison used every customer.
        model: Option<Box<Model>>,
    },
    /// Fewer distinct customers than `k`: the comparison ends before it.
    TooFewDistinct { k: usize, distinct: usize },
    /// Any other failure: the engine compares alone, and says what went wrong as it would.
    Failed { message: String },
}

impl From<ClusterError> for Compared {
    fn from(e: ClusterError) -> Self {
        match e {
            ClusterError::TooFewDistinct { k, distinct } => {
                Compared::TooFewDistinct { k, distinct }
            }
            other => Compared::Failed {
                message: other.to_string(),
            },
        }
    }
}

/// The numbers of segments `ks` shared out between `parts` workers, largest first, each
/// to the least loaded (a k costs about `k + 2`: its fits grow with k, its silhouette
/// does not); each share in increasing order.
fn share_out(ks: &[usize], parts: usize) -> Vec<Vec<usize>> {
    let parts = parts.max(1);
    let mut shares = vec![Vec::new(); parts];
    let mut loads = vec![0usize; parts];
    let mut order = ks.to_vec();
    order.sort_unstable_by(|a, b| b.cmp(a));
    for k in order {
        let least = (0..parts).min_by_key(|&w| (loads[w], w)).unwrap_or(0);
        loads[least] += k + 2;
        shares[least].push(k);
    }
    shares.iter_mut().for_each(|s| s.sort_unstable());
    shares
}

/// Hands each helper its slice of `rows` (`d` values each): the rows of `ranges[i + 1]`.
async fn load(
    workers: &[Worker],
    ranges: &[Range<usize>],
    rows: &[f64],
    d: usize,
    single: bool,
) -> Result<(), PoolError> {
    let loading: Vec<Promise> = workers
        .iter()
        .zip(&ranges[1..])
        .map(|(h, r)| {
            let slice = Float64Array::from(rows.get(r.start * d..r.end * d).unwrap_or(&[]));
            let job = Job::Rows {
                first: r.start,
                d,
                single,
            };
            ask(h, &job, Some(slice))
        })
        .collect();
    expect(loading, ready).await.map(drop)
}

/// Every restart of `plan`, the rows shared as `ranges` (the helpers hold theirs).
async fn lloyd(
    plan: &mut Plan<'_>,
    workers: &[Worker],
    ranges: &[Range<usize>],
    progress: &mut dyn Progress,
) -> Result<(), PoolError> {
    let runs = plan.runs();
    for run in 0..runs {
        let (base, span) = (run as f64 / runs as f64, 1.0 / runs as f64);
        let centres = plan.seed();
        let (mut lloyd, mut job) = plan.lloyd(centres);
        let mut here = plan.shard(ranges[0].clone());
        let mut fresh = true;
        let result = loop {
            let asked = ask_all(
                workers,
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
                        workers,
                        &Job::Finish {
                            job: job.clone(),
                            again,
                        },
                    );
                    let mut finished = vec![here.finish(&job, again)];
                    finished.extend(
                        expect(asked, |a, data| match a {
                            Answer::Finished { inertia } => Ok(Finished {
                                labels: beside::<Uint32Array>(data, "labels")
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
    Ok(())
}

fn metric(e: MetricError) -> PoolError {
    match e {
        MetricError::Cancelled => PoolError::Fit(ClusterError::Cancelled),
        other => PoolError::Scores(other),
    }
}

fn ready(answer: Answer, _: &JsValue) -> Result<(), Answer> {
    match answer {
        Answer::Ready => Ok(()),
        other => Err(other),
    }
}

/// Posts the same `job` to every helper.
fn ask_all(helpers: &[Worker], job: &Job) -> Vec<Promise> {
    helpers.iter().map(|h| ask(h, job, None)).collect()
}

/// Posts `job` (and `rows`, handed over without a copy) to `helper`; the promise resolves
/// with its answer, or rejects if the helper fails.
fn ask(helper: &Worker, job: &Job, rows: Option<Float64Array>) -> Promise {
    match rows {
        Some(rows) => {
            let transfer = Array::of1(&rows.buffer());
            ask_with(helper, job, &[("rows", rows.into())], transfer)
        }
        None => ask_with(helper, job, &[], Array::new()),
    }
}

/// [`ask`] with any value beside the job, and the buffers to hand over.
fn ask_with(helper: &Worker, job: &Job, extras: &[(&str, JsValue)], transfer: Array) -> Promise {
    let message = Object::new();
    let encoded = serde_wasm_bindgen::to_value(job);
    let promise = answer(helper);
    match encoded {
        Ok(job) => {
            let _ = Reflect::set(&message, &"job".into(), &job);
        }
        Err(e) => return Promise::reject(&JsValue::from_str(&e.to_string())),
    }
    for (name, value) in extras {
        let _ = Reflect::set(&message, &(*name).into(), value);
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
