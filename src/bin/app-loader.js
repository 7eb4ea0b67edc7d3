// Starts the page: load wasm-bindgen's glue, then the module (relative URLs, so the site
// works under any sub-path). A file of its own instead of Trunk's inline script, so the
// Content-Security-Policy in index.html allows no inline scripts at all.
import init from './segmenta-app.js';

await init({ module_or_path: './segmenta-app_bg.wasm' });

// Keep a copy of the app's files so that the next visit works offline (see sw.js): after
// the page has started, so that its own code comes first. Not on plain http other than
// localhost, where browsers do not offer service workers.
if ('serviceWorker' in navigator) {
  navigator.serviceWorker.register('./sw.js').catch(() => {});
}
