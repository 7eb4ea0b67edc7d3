//! Any text, loaded as a recipe file: a recipe or an error sentence, never a panic; and a
//! recipe that loads writes out as JSON that loads again to the same recipe.
#![no_main]

use libfuzzer_sys::fuzz_target;
use segmenta_core::recipe::Recipe;

fuzz_target!(|text: &str| {
    if let Ok(recipe) = Recipe::from_json(text) {
        let again = Recipe::from_json(&recipe.to_json()).expect("a written recipe loads");
        assert_eq!(again.to_json(), recipe.to_json());
    }
});
