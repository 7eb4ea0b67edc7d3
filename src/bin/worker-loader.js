// Starts the Web Worker: load wasm-bindgen's glue, then the module (relative URLs, so the
// site works under any sub-path). Replaces Trunk's loader shim, which uses the deprecated
// initialization signature and logs a warning in every session.
importScripts('./segmenta-worker.js');
wasm_bindgen({ module_or_path: './segmenta-worker_bg.wasm' });
