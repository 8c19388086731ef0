//! Compiles the lesson sources (`src/lessons/*.json`) into Rust statics (see
//! `src/lessons/compile.rs`): `src/lessons/hash_ring.json` becomes `lessons::HASH_RING`, and its
//! outline (what each step asks, the minutes it takes) an entry of `lessons::OUTLINES`.

#[path = "src/lessons/compile.rs"]
mod compile;

use std::path::Path;

fn main() {
    let dir = Path::new("src/lessons");
    println!("cargo:rerun-if-changed={}", dir.display());
    let mut files: Vec<_> = std::fs::read_dir(dir)
        .expect("src/lessons exists")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "json"))
        .collect();
    files.sort();
    let mut code = String::new();
    let mut outlines = Vec::new();
    for path in files {
        println!("cargo:rerun-if-changed={}", path.display());
        let stem = path.file_stem().and_then(|s| s.to_str()).expect("UTF-8 file name");
        let json = std::fs::read_to_string(&path).expect("lesson file is readable");
        match compile::compile(&stem.to_uppercase(), &json) {
            Ok(rust) => code.push_str(&rust),
            Err(e) => panic!("{}: {e}", path.display()),
        }
        outlines.push(compile::outline(&json).unwrap_or_else(|e| panic!("{}: {e}", path.display())));
    }
    let out = Path::new(&std::env::var("OUT_DIR").expect("cargo sets OUT_DIR")).join("lessons.rs");
    std::fs::write(out, code).expect("OUT_DIR is writable");
    let list = format!(
        "/// Generated from `src/lessons/*.json` by build.rs: every lesson's outline.\npub static OUTLINES: &[Outline] = &[{}];\n",
        outlines.join(", ")
    );
    let out = Path::new(&std::env::var("OUT_DIR").expect("cargo sets OUT_DIR")).join("outlines.rs");
    std::fs::write(out, list).expect("OUT_DIR is writable");
}
