use super::definition::SETTINGS_HEADING;
use super::*;

/// A command line from its words.
pub(crate) fn args(s: &str) -> Vec<OsString> {
    s.split(' ').map(OsString::from).collect()
}

#[test]
fn settings_become_global_flags() {
    let c = parse(&args("runway prompt --shell zsh --warn-at -5 --ascii --set color_ok=red")).unwrap();
    assert!(matches!(c.cmd, Cmd::Prompt { shell: Target::Zsh, notices: false }));
    assert_eq!(c.given.flags, vec![("warn_at", "-5".to_owned()), ("ascii", "true".to_owned())]);
    assert_eq!(c.given.sets, vec!["color_ok=red"]);
    command().debug_assert();
    let c = parse(&args("runway report --by session --since 20260211 --until 2026-02-12 --json")).unwrap();
    let Cmd::Report(r) = c.cmd else { panic!("not a report") };
    assert_eq!((r.by, r.json), (By::Session, true));
    assert_eq!(
        (r.since.unwrap().to_string(), r.until.unwrap().to_string()),
        ("2026-02-11".into(), "2026-02-12".into())
    );
    assert!(parse(&args("runway report --since 2026-13-01")).is_err());
    assert!(parse(&args("runway report --since 2026-02-12 --until 2026-02-12")).is_ok(), "one day");
    assert!(parse(&args("runway report --since 2026-02-13 --until 2026-02-12")).is_err());
}

#[test]
fn every_argument_is_described_and_settings_come_after_a_commands_own() {
    let mut root = command();
    root.build();
    for c in std::iter::once(&root).chain(root.get_subcommands()) {
        for a in c.get_arguments() {
            assert!(a.get_help().is_some(), "{} {}: no description", c.get_name(), a.get_id());
        }
    }
    let help = root.find_subcommand_mut("status").unwrap().render_help().to_string();
    let own = help.find("--json").unwrap();
    let heading = help.find(SETTINGS_HEADING).unwrap();
    let setting = help.find("--limit-cost").unwrap();
    assert!(own < heading && heading < setting, "{help}");
}
