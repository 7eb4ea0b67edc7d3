//! Reading a file's bytes in a worker: `Blob.slice` chunks, one in flight while the last is
//! parsed, fed to an [`Ingest`] (the engine's whole file or first part, or a helper's part).

use std::rc::Rc;

use js_sys::Uint8Array;
use segmenta_core::ingest::parts::Span;
use segmenta_core::ingest::{Ingest, Restart};
use wasm_bindgen_futures::JsFuture;
use web_sys::File;

/// Bytes read from a file per step.
pub const CHUNK: u64 = 8 << 20;

/// Where a loaded file's bytes can be read (again, to change reading options).
pub enum Source {
    /// A file the user chose or dropped.
    File(File),
    /// Bytes made in the worker (the sample data).
    Bytes(Rc<Vec<u8>>),
}

/// A read in flight: the browser reads files on its own thread, so the next chunk can be
/// on its way while the current one is parsed.
pub enum Pending {
    File(JsFuture, String),
    Ready(Result<(), String>),
}

/// Why reading a span stopped early.
pub enum SpanStop {
    /// `each` said to stop (the user cancelled, or the engine no longer needs the part).
    Stopped,
    /// The browser could not read the file.
    Failed(String),
    /// The file must be read again with other options.
    Restart(Restart),
}

impl Source {
    /// Size in bytes.
    pub fn len(&self) -> u64 {
        match self {
            Source::File(f) => f.size() as u64,
            Source::Bytes(b) => b.len() as u64,
        }
    }

    /// Whether the source holds no bytes.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Starts reading bytes `start..end` (clamped).
    pub fn start(&self, start: u64, end: u64, buf: &mut Vec<u8>) -> Pending {
        let end = end.min(self.len());
        match self {
            Source::Bytes(b) => {
                buf.clear();
                buf.extend_from_slice(
                    b.get(start as usize..end.max(start) as usize)
                        .unwrap_or(&[]),
                );
                Pending::Ready(Ok(()))
            }
            Source::File(file) => match file.slice_with_f64_and_f64(start as f64, end as f64) {
                Ok(blob) => Pending::File(JsFuture::from(blob.array_buffer()), file.name()),
                Err(e) => Pending::Ready(Err(format!("{e:?}"))),
            },
        }
    }

    /// Bytes `start..end` (clamped), into `buf`.
    pub async fn read(&self, start: u64, end: u64, buf: &mut Vec<u8>) -> Result<(), String> {
        let pending = self.start(start, end, buf);
        pending.finish(buf).await
    }

    /// Feeds the bytes of `span` to `ingest`, calling `each` after every chunk (an error
    /// stops reading). Returns the milliseconds spent waiting for the browser's reads.
    pub async fn read_span(
        &self,
        span: &mut Span,
        ingest: &mut Ingest,
        mut each: impl FnMut(&Ingest) -> Result<(), ()>,
    ) -> Result<f64, SpanStop> {
        let total = self.len();
        let mut waited = 0.0;
        let (mut buf, mut spare) = (Vec::new(), Vec::new());
        let mut offset = span.read_from();
        let mut pending = Some(self.start(offset, offset + CHUNK, &mut spare));
        while let Some(read) = pending.take() {
            let asked = crate::worker::now();
            read.finish(&mut spare).await.map_err(SpanStop::Failed)?;
            waited += crate::worker::now() - asked;
            std::mem::swap(&mut buf, &mut spare);
            if buf.is_empty() {
                break;
            }
            offset += buf.len() as u64;
            let taken = span.take(&buf);
            if !span.done() && offset < total {
                pending = Some(self.start(offset, offset + CHUNK, &mut spare));
            }
            ingest.push(taken).map_err(SpanStop::Restart)?;
            each(ingest).map_err(|()| SpanStop::Stopped)?;
        }
        Ok(waited)
    }
}

impl Pending {
    /// Waits for the read and puts its bytes into `buf`.
    pub async fn finish(self, buf: &mut Vec<u8>) -> Result<(), String> {
        match self {
            Pending::Ready(r) => r,
            Pending::File(future, name) => {
                let buffer = future
                    .await
                    .map_err(|_| format!("{name}: the browser could not read this file. Check that it still exists and try again."))?;
                let array = Uint8Array::new(&buffer);
                buf.resize(array.length() as usize, 0);
                array.copy_to(buf);
                Ok(())
            }
        }
    }
}
