//! Keeping work on this device, only when the user asks for it.
//!
//! By default Segmenta stores nothing: the files live in the tab's memory and are gone
//! when it closes. In the Privacy panel the user may ask to keep their choices (the
//! recipe, which holds no customer data) or their choices and files; then they live in
//! this browser's IndexedDB, on this device only, until "Forget everything on this
//! device" removes them together with the offline copy of the app.
//!
//! The setting itself is one `localStorage` entry, so that a user who never opts in never
//! gets a database at all.

use idb::{DatabaseEvent as _, Factory, ObjectStoreParams, TransactionMode};
use js_sys::{Array, Date};
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;

/// The IndexedDB database that holds kept work.
pub const DATABASE: &str = "segmenta";
const STORE: &str = "work";
const VERSION: u32 = 1;
/// The `localStorage` key holding the setting.
const SETTING: &str = "segmenta.keep";
const RECIPE: &str = "recipe";
const FILES: &str = "files";
const SAMPLE: &str = "sample";
const SAVED_AT: &str = "saved_at";

/// What the user asked to keep on this device.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Keep {
    /// Nothing (the default).
    #[default]
    Nothing,
    /// The recipe: columns, features, settings, segment names and rules. No customer data.
    Choices,
    /// The recipe and the loaded files.
    ChoicesAndFiles,
}

impl Keep {
    fn key(self) -> Option<&'static str> {
        match self {
            Keep::Nothing => None,
            Keep::Choices => Some("choices"),
            Keep::ChoicesAndFiles => Some("files"),
        }
    }

    /// Whether the loaded files are kept too.
    pub fn files(self) -> bool {
        self == Keep::ChoicesAndFiles
    }

    /// The setting as stored in this browser.
    pub fn current() -> Keep {
        let value = local_storage().and_then(|s| s.get_item(SETTING).ok().flatten());
        match value.as_deref() {
            Some("choices") => Keep::Choices,
            Some("files") => Keep::ChoicesAndFiles,
            _ => Keep::Nothing,
        }
    }

    /// Stores the setting (or removes it, for `Nothing`).
    pub fn store(self) -> Result<(), String> {
        let storage = local_storage().ok_or(
            "This browser does not allow the page to store anything (site data is blocked).",
        )?;
        let written = match self.key() {
            Some(key) => storage.set_item(SETTING, key),
            None => storage.remove_item(SETTING),
        };
        written.map_err(|e| {
            format!(
                "This browser refused to store the setting ({}).",
                describe(&e)
            )
        })
    }
}

/// Work kept from an earlier visit.
#[derive(Debug, Clone, Default)]
pub struct Kept {
    /// The recipe as JSON, if one was kept.
    pub recipe: Option<String>,
    /// Whether the built-in sample data was loaded.
    pub sample: bool,
    /// The loaded files, in order.
    pub files: Vec<web_sys::File>,
    /// When the work was last saved, in milliseconds since 1970 (JavaScript time).
    pub saved_at: f64,
}

impl Kept {
    /// Whether there is anything to continue with.
    pub fn is_empty(&self) -> bool {
        self.recipe.is_none() && !self.sample && self.files.is_empty()
    }

    /// The names of the kept files, the sample data named as such.
    pub fn file_names(&self) -> Vec<String> {
        let mut names: Vec<String> = Vec::new();
        if self.sample {
            names.push("the sample data".to_owned());
        }
        names.extend(self.files.iter().map(web_sys::File::name));
        names
    }
}

async fn open() -> Result<idb::Database, String> {
    let factory = Factory::new().map_err(idb_error)?;
    let mut request = factory.open(DATABASE, Some(VERSION)).map_err(idb_error)?;
    request.on_upgrade_needed(|event| {
        if let Ok(db) = event.database()
            && !db.store_names().iter().any(|n| n == STORE)
        {
            let _ = db.create_object_store(STORE, ObjectStoreParams::new());
        }
    });
    request.await.map_err(idb_error)
}

/// Writes the given entries in one transaction, with the time of saving.
async fn put(entries: &[(&str, JsValue)]) -> Result<(), String> {
    let db = open().await?;
    let tx = db
        .transaction(&[STORE], TransactionMode::ReadWrite)
        .map_err(idb_error)?;
    let store = tx.object_store(STORE).map_err(idb_error)?;
    let now = JsValue::from_f64(Date::now());
    for (key, value) in entries.iter().chain([(SAVED_AT, now)].iter()) {
        store
            .put(value, Some(&JsValue::from_str(key)))
            .map_err(idb_error)?
            .await
            .map_err(idb_error)?;
    }
    tx.commit().map_err(idb_error)?.await.map_err(idb_error)?;
    db.close();
    Ok(())
}

/// Keeps the recipe (JSON, no customer data).
pub async fn save_recipe(json: &str) -> Result<(), String> {
    put(&[(RECIPE, JsValue::from_str(json))]).await
}

/// Keeps the loaded files: the browser stores a copy of each file in IndexedDB.
pub async fn save_files(sample: bool, files: &[web_sys::File]) -> Result<(), String> {
    let list: Array = files.iter().collect();
    put(&[(SAMPLE, JsValue::from_bool(sample)), (FILES, list.into())]).await
}

/// Removes kept files (the user now keeps only their choices).
pub async fn drop_files() -> Result<(), String> {
    put(&[(SAMPLE, JsValue::FALSE), (FILES, Array::new().into())]).await
}

/// Reads what was kept, if the user keeps anything.
pub async fn load() -> Result<Option<Kept>, String> {
    if Keep::current() == Keep::Nothing {
        return Ok(None);
    }
    let db = open().await?;
    let tx = db
        .transaction(&[STORE], TransactionMode::ReadOnly)
        .map_err(idb_error)?;
    let store = tx.object_store(STORE).map_err(idb_error)?;
    let get = async |key: &str| -> Result<Option<JsValue>, String> {
        store
            .get(JsValue::from_str(key))
            .map_err(idb_error)?
            .await
            .map_err(idb_error)
    };
    let recipe = get(RECIPE).await?.and_then(|v| v.as_string());
    let sample = get(SAMPLE)
        .await?
        .and_then(|v| v.as_bool())
        .unwrap_or(false);
    let files = get(FILES)
        .await?
        .map(|v| {
            Array::from(&v)
                .iter()
                .filter_map(|f| f.dyn_into::<web_sys::File>().ok())
                .collect()
        })
        .unwrap_or_default();
    let saved_at = get(SAVED_AT).await?.and_then(|v| v.as_f64()).unwrap_or(0.0);
    db.close();
    let kept = Kept {
        recipe,
        sample,
        files,
        saved_at,
    };
    Ok((!kept.is_empty()).then_some(kept))
}

/// Removes the kept work (the user keeps nothing from now on).
pub async fn forget_work() -> Result<(), String> {
    let factory = Factory::new().map_err(idb_error)?;
    factory
        .delete(DATABASE)
        .map_err(idb_error)?
        .await
        .map_err(idb_error)
}

/// Removes everything Segmenta stored in this browser: kept work (IndexedDB), the setting
/// (`localStorage`) and the offline copy of the app (service worker and its cache).
pub async fn forget_everything() -> Result<(), String> {
    let window = web_sys::window().ok_or("There is no browser window.")?;
    if let Some(storage) = local_storage() {
        let _ = storage.remove_item(SETTING);
    }
    forget_work().await?;
    if let Ok(caches) = window.caches() {
        let names = JsFuture::from(caches.keys())
            .await
            .map_err(|e| describe(&e))?;
        for name in Array::from(&names).iter().filter_map(|n| n.as_string()) {
            JsFuture::from(caches.delete(&name))
                .await
                .map_err(|e| describe(&e))?;
        }
    }
    let workers = window.navigator().service_worker();
    let registrations = JsFuture::from(workers.get_registrations())
        .await
        .map_err(|e| describe(&e))?;
    for registration in Array::from(&registrations).iter() {
        if let Ok(registration) = registration.dyn_into::<web_sys::ServiceWorkerRegistration>()
            && let Ok(done) = registration.unregister()
        {
            let _ = JsFuture::from(done).await;
        }
    }
    Ok(())
}

fn local_storage() -> Option<web_sys::Storage> {
    // Native builds (the app's unit tests) have no browser to ask.
    if cfg!(not(target_arch = "wasm32")) {
        return None;
    }
    web_sys::window()?.local_storage().ok().flatten()
}

fn idb_error(e: idb::Error) -> String {
    format!("This browser's storage did not answer as expected ({e}).")
}

fn describe(e: &JsValue) -> String {
    e.as_string()
        .or_else(|| {
            e.dyn_ref::<js_sys::Error>()
                .map(|e| String::from(e.message()))
        })
        .unwrap_or_else(|| "no details".to_owned())
}
