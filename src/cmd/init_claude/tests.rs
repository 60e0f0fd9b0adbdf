use super::*;

#[test]
fn runway_knows_its_own_line() {
    assert!(ours(&status_line(Path::new("/home/u/.cargo/bin/runway"), &[], None)));
    assert!(ours(&status_line(
        Path::new("/opt/my tools/runway"),
        &["--limit-cost=40".into()],
        Some("npx ccstatusline")
    )));
    assert!(!ours(&json!({ "type": "command", "command": "npx -y ccstatusline@latest" })));
    assert!(!ours(&json!({ "type": "command", "command": "/usr/bin/runway-other statusline" })));
    let win = status_line_on(Path::new(r"C:\Program Files\runway\runway.exe"), &[], None, true);
    assert!(ours(&win), "{win}");
    assert!(ours(&json!({ "type": "command", "command": "C:/Users/me/.cargo/bin/RUNWAY.EXE statusline" })));
}

#[test]
fn on_windows_the_command_is_one_both_shells_read_alike() {
    let bin = Path::new(r"C:\Users\Jo Ann\My 'Tools'\runway.exe");
    let args = ["--warn-at=50".to_owned(), "--set=format={label} {used}".to_owned()];
    let v = status_line_on(bin, &args, Some(r#"node "C:\x\line.js" it's"#), true);
    assert_eq!(
        v["command"],
        r#"C:/Users/'Jo Ann'/'My '"'"'Tools'"'"''/runway.exe statusline --warn-at=50 --set=format='{label} {used}' --then=node' "C:\x\line.js" it'"'"'s'"#
    );
    // Read back as a shell reads it: the path with forward slashes, the kept command whole.
    let cmd = v["command"].as_str().unwrap();
    assert_eq!(first_word(cmd), "C:/Users/Jo Ann/My 'Tools'/runway.exe");
    assert_eq!(shell_words(&then_of(&v).unwrap()).as_deref(), Some(r#"node "C:\x\line.js" it's"#));
    // A comma is quoted (PowerShell passes `a,b` as two arguments), and a typographic quote, which
    // PowerShell takes for a quote, stands between double quotes.
    let odd = Path::new("C:\\tools\\it\u{2019}s, a\\runway.exe");
    let v = status_line_on(odd, &["--providers=claude,codex".to_owned()], None, true);
    let cmd = v["command"].as_str().unwrap();
    assert_eq!(cmd, "C:/tools/'it'\"\u{2019}\"'s, a'/runway.exe statusline --providers=claude',codex'");
    // Every argument starts bare: PowerShell takes one that starts with a quote, and what follows
    // it, for several (`'it'"'"'s'` is three); a dot is quoted too (PowerShell splits `-x=1.5`).
    let v = status_line_on(odd, &["--limit-cost=12.5".to_owned(), "--set=format={used} it's".to_owned()], None, true);
    let cmd = v["command"].as_str().unwrap();
    assert!(cmd.ends_with(r#" statusline --limit-cost=12'.5' --set=format='{used} it'"'"'s'"#), "{cmd}");
    assert_eq!(first_word(cmd), "C:/tools/it\u{2019}s, a/runway.exe");
    // A path that needs nothing stays bare: the command PowerShell sees first is a path, not a string.
    let plain = status_line_on(Path::new(r"C:\Users\jo\.cargo\bin\runway.exe"), &[], None, true);
    assert_eq!(plain["command"], "C:/Users/jo/.cargo/bin/runway.exe statusline");
}

#[test]
fn the_kept_command_comes_back_as_written() {
    for other in ["npx -y ccstatusline@latest", "sh -c 'echo it'\''s'", "plain"] {
        for windows in [false, true] {
            let line = status_line_on(Path::new("/bin/runway"), &[], Some(other), windows);
            assert_eq!(shell_words(&then_of(&line).unwrap()).as_deref(), Some(other), "{line}");
        }
    }
}

#[test]
fn a_line_written_again_quotes_its_kept_command_anew() {
    // An older runway's Windows line kept the command as ` --then '…'`, a word PowerShell splits at
    // its inner quotes: written again, it is `--then=…`, starting bare; the command the same.
    let bin = Path::new(r"C:\Users\jo\.cargo\bin\runway.exe");
    let old = json!({ "type": "command", "command": r#"C:/Users/jo/.cargo/bin/runway.exe statusline --then 'node it'"'"'s.js'"# });
    let v = renewed(bin, &["--warn-at=50".to_owned()], &old, true);
    let cmd = v["command"].as_str().unwrap();
    assert_eq!(cmd, r#"C:/Users/jo/.cargo/bin/runway.exe statusline --warn-at=50 --then=node' it'"'"'s.js'"#);
    assert_eq!(shell_words(&then_of(&v).unwrap()).as_deref(), Some("node it's.js"));
    // Again: the same.
    assert_eq!(renewed(bin, &["--warn-at=50".to_owned()], &v, true), v);
}
