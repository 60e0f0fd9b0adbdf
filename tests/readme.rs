//! README stays true to the binary: its settings table is the one `runway config --markdown` prints.

mod common;

#[test]
fn settings_table_is_current() {
    let readme = std::fs::read_to_string(std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("README.md")).unwrap();
    let s = common::Sandbox::empty();
    let table = common::stdout(&s.run(&["config", "--markdown"]));
    assert!(readme.contains(&table), "README's settings table is stale; paste `runway config --markdown`:\n{table}");
}
