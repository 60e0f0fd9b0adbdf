//! Two real Syncthing instances on loopback that share one folder, for the tests of a directory kept in
//! step by the user's own replication: runway writes a small file on one device and reads it on the
//! other, and Syncthing, never runway, moves the bytes.
//!
//! Each device has its own home (keys, device id, config, database), its own folder and its own ports,
//! picked at run time on 127.0.0.1. Nothing leaves loopback: no global or local discovery, relays, NAT
//! traversal, usage or crash reports, upgrades or browser; each device names the other by id at an
//! explicit address.
//!
//! ```ignore
//! if !have("syncthing") { return; }
//! let p = Pair::start();
//! p.a.write("x", b"1");
//! p.a.rescan(); // or leave it to the watcher, a second later
//! let took = p.b.wait_for_file("x", b"1", Duration::from_secs(60));
//! ```

mod config;
mod rest;

use std::net::TcpListener;
use std::os::unix::process::CommandExt;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use serde_json::Value;

pub use config::{FOLDER, Scanning};

/// Startup, connecting and settling, each: generous, for a runner busy with other builds.
const STEP: Duration = Duration::from_secs(60);

/// One Syncthing instance: a home of its own and a folder shared with its peer. Stopped on drop.
pub struct Device {
    pub name: &'static str,
    pub id: String,
    /// The shared folder's path on this device.
    pub folder: PathBuf,
    home: PathBuf,
    api_port: u16,
    listen_port: u16,
    api_key: String,
    log: PathBuf,
    child: Option<Child>,
    stopping: bool,
}

/// Devices A and B, connected, with the folder in sync once `start` returns.
pub struct Pair {
    pub a: Device,
    pub b: Device,
    // Dropped after the devices (fields drop in order), so each has stopped before its home goes.
    _dir: tempfile::TempDir,
}

/// The outcome of one look while waiting.
enum Poll {
    Done,
    Wait(String),
    Fail(String),
}

/// Looks every 10 ms until `look` is done or fails; past `timeout` the error is its last state.
fn poll(what: &str, timeout: Duration, mut look: impl FnMut() -> Poll) -> Result<(), String> {
    let start = Instant::now();
    loop {
        match look() {
            Poll::Done => return Ok(()),
            Poll::Fail(e) => return Err(format!("{what}: {e}")),
            Poll::Wait(e) if start.elapsed() >= timeout => return Err(format!("{what}: not within {timeout:?}: {e}")),
            Poll::Wait(_) => std::thread::sleep(Duration::from_millis(10)),
        }
    }
}

/// `count` distinct free ports on 127.0.0.1, all held until each is known so that none repeats. Another
/// process may bind one before Syncthing does: `Pair::start` then starts again on new ports.
fn free_ports(count: usize) -> Vec<u16> {
    let held: Vec<TcpListener> = (0..count).map(|_| TcpListener::bind("127.0.0.1:0").unwrap()).collect();
    held.iter().map(|l| l.local_addr().unwrap().port()).collect()
}

impl Pair {
    /// Starts A and B with the default scanning (watcher, and a full scan every 10 s).
    pub fn start() -> Pair {
        Pair::start_with(Scanning::default())
    }

    pub fn start_with(scan: Scanning) -> Pair {
        let mut last = String::new();
        for _ in 0..3 {
            match Pair::try_start(scan) {
                Ok(p) => return p,
                // A port taken between our pick and Syncthing's bind: pick again.
                Err(e) if e.contains("address already in use") => last = e,
                Err(e) => panic!("{e}"),
            }
        }
        panic!("three starts lost their ports to other processes; the last: {last}")
    }

    fn try_start(scan: Scanning) -> Result<Pair, String> {
        let dir = tempfile::tempdir().unwrap();
        let ports = free_ports(4);
        let a = Device::generate(dir.path(), "a", ports[0], ports[1])?;
        let b = Device::generate(dir.path(), "b", ports[2], ports[3])?;
        a.configure(&b, scan)?;
        b.configure(&a, scan)?;
        let root = dir.path().to_owned();
        let mut p = Pair { a, b, _dir: dir };
        // A listens before B starts, so B's first dial reaches it while A's next is seconds away.
        // Started together, they sometimes dialled each other at the same moment: both Hello exchanges
        // then timed out after 20 s before a connection came up (here, about one start in twenty).
        p.a.spawn(&root)?;
        p.a.wait_up()?;
        p.b.spawn(&root)?;
        p.b.wait_up()?;
        poll("A and B connected", STEP, || match (p.a.connected_to(&p.b), p.b.connected_to(&p.a)) {
            (Ok(true), Ok(true)) => Poll::Done,
            (a, b) => Poll::Wait(format!("A sees B: {a:?}, B sees A: {b:?}")),
        })
        .map_err(|e| p.failure(&e))?;
        p.wait_in_sync(STEP);
        Ok(p)
    }

    /// Waits until each device is idle with nothing to pull, and each sees the other complete: all that
    /// Syncthing knows of has replicated. A change neither has scanned yet is not known: `rescan` first.
    pub fn wait_in_sync(&self, timeout: Duration) {
        poll("the folder in sync", timeout, || match (self.a.in_sync_with(&self.b), self.b.in_sync_with(&self.a)) {
            (Ok(()), Ok(())) => Poll::Done,
            (a, b) => Poll::Wait(format!("A: {a:?}; B: {b:?}")),
        })
        .unwrap_or_else(|e| panic!("{}", self.failure(&e)))
    }

    /// `what` with the end of both devices' logs.
    fn failure(&self, what: &str) -> String {
        format!("{what}\n--- A's log ---\n{}\n--- B's log ---\n{}", self.a.log_tail(), self.b.log_tail())
    }
}

impl Drop for Pair {
    fn drop(&mut self) {
        // Both asked first, so that their shutdowns overlap; each device's drop then waits for its own.
        self.a.ask_to_stop();
        self.b.ask_to_stop();
    }
}

impl Device {
    /// A home with fresh keys (hence a new device id) and an empty folder with Syncthing's marker.
    fn generate(dir: &Path, name: &'static str, api_port: u16, listen_port: u16) -> Result<Device, String> {
        let home = dir.join(name).join("home");
        let folder = dir.join(name).join("folder");
        // Syncthing refuses a folder without its marker (it takes a missing one for an unmounted disk).
        std::fs::create_dir_all(folder.join(".stfolder")).unwrap();
        let api_key = format!("runway-test-{name}-{}", std::process::id());
        let mut d = Device {
            name,
            id: String::new(),
            folder,
            home,
            api_port,
            listen_port,
            api_key,
            log: dir.join(name).join("syncthing.log"),
            child: None,
            stopping: false,
        };
        d.run(dir, &["generate", "--no-default-folder", "--skip-port-probing"])?;
        d.id = String::from_utf8_lossy(&d.run(dir, &["serve", "--device-id"])?).trim().to_owned();
        if d.id.len() < 50 || !d.id.chars().all(|c| c.is_ascii_alphanumeric() || c == '-') {
            return Err(format!("`syncthing serve --device-id` printed no device id: {:?}", d.id));
        }
        Ok(d)
    }

    /// `syncthing ARGS --home HOME` with the sandbox's environment: a home and XDG directories inside
    /// `dir` (never the real ones), no default folder, no upgrades.
    fn command(&self, dir: &Path, args: &[&str]) -> Command {
        let mut c = super::host::sandboxed(dir, "syncthing");
        c.args(args).arg("--home").arg(&self.home).env("STNODEFAULTFOLDER", "1").env("STNOUPGRADE", "1");
        // Names the SHA-256 code to use, which skips the benchmark that otherwise picks one at every
        // start (measured here: about a second of each start).
        c.env("STHASHING", "minio");
        c.stdin(Stdio::null());
        c
    }

    fn run(&self, dir: &Path, args: &[&str]) -> Result<Vec<u8>, String> {
        let o = self.command(dir, args).output().map_err(|e| format!("syncthing {args:?}: {e}"))?;
        if !o.status.success() {
            return Err(format!("syncthing {args:?}: {}: {}", o.status, String::from_utf8_lossy(&o.stderr)));
        }
        Ok(o.stdout)
    }

    fn as_peer(&self) -> config::Peer<'_> {
        config::Peer { id: &self.id, name: self.name, listen_port: self.listen_port }
    }

    /// Replaces the generated config with our own (see `config::xml`), sharing the folder with `peer`.
    fn configure(&self, peer: &Device, scan: Scanning) -> Result<(), String> {
        let path = self.home.join("config.xml");
        let generated = std::fs::read_to_string(&path).map_err(|e| format!("{}: {e}", path.display()))?;
        let version = config::version(&generated)
            .ok_or_else(|| format!("no schema version in the generated config:\n{generated}"))?;
        let xml =
            config::xml(version, &self.as_peer(), &peer.as_peer(), &self.folder, (self.api_port, &self.api_key), scan);
        std::fs::write(&path, xml).map_err(|e| format!("{}: {e}", path.display()))
    }

    /// Starts `syncthing serve` in a process group of its own: 1.19 runs a monitor process even with
    /// --no-restart, and killing the group reaches the instance it started too.
    fn spawn(&mut self, dir: &Path) -> Result<(), String> {
        let log = std::fs::File::create(&self.log).unwrap();
        let child = self
            .command(dir, &["serve", "--no-browser", "--no-restart", "--no-upgrade", "--logflags=6"])
            .stdout(log.try_clone().unwrap())
            .stderr(log)
            .process_group(0)
            .spawn()
            .map_err(|e| format!("syncthing serve: {e}"))?;
        self.child = Some(child);
        Ok(())
    }

    /// Waits until the REST API answers and the listener is up, and checks that nothing in the running
    /// config reaches beyond loopback.
    fn wait_up(&mut self) -> Result<(), String> {
        let addr = format!("tcp://127.0.0.1:{}", self.listen_port);
        let name = self.name;
        poll(&format!("{name} up"), STEP, || {
            if let Some(st) = self.child.as_mut().and_then(|c| c.try_wait().ok().flatten()) {
                return Poll::Fail(format!("syncthing exited ({st})"));
            }
            let status = match self.request("GET", "/rest/system/status") {
                Ok(s) => s,
                Err(e) => return Poll::Wait(e),
            };
            match &status["connectionServiceStatus"][&addr]["error"] {
                Value::Null if status["connectionServiceStatus"].get(&addr).is_some() => {}
                Value::Null => return Poll::Wait(format!("no listener yet: {status}")),
                e => return Poll::Fail(format!("listener {addr}: {e}")),
            }
            match self.request("GET", "/rest/config") {
                Ok(c) => match config::leaks(&c) {
                    None => Poll::Done,
                    Some(on) => Poll::Fail(format!("{on} is on in the running config")),
                },
                Err(e) => Poll::Wait(e),
            }
        })
        .map_err(|e| format!("{e}\n--- {name}'s log ---\n{}", self.log_tail()))
    }

    fn connected_to(&self, peer: &Device) -> Result<bool, String> {
        let c = self.request("GET", "/rest/system/connections")?;
        Ok(c["connections"][&peer.id]["connected"] == Value::Bool(true))
    }

    fn in_sync_with(&self, peer: &Device) -> Result<(), String> {
        let s = self.request("GET", &format!("/rest/db/status?folder={FOLDER}"))?;
        let c = self.request("GET", &format!("/rest/db/completion?folder={FOLDER}&device={}", peer.id))?;
        let done = s["state"] == "idle"
            && s["needTotalItems"] == 0
            && c["completion"].as_f64() == Some(100.0)
            && c["needItems"] == 0;
        if done {
            Ok(())
        } else {
            Err(format!(
                "state {}, needs {} items; {} needs {} items",
                s["state"], s["needTotalItems"], peer.name, c["needItems"]
            ))
        }
    }

    fn request(&self, method: &str, path: &str) -> Result<Value, String> {
        rest::call(self.api_port, &self.api_key, method, path).map_err(|e| format!("{}: {e}", self.name))
    }

    /// GET on the REST API (a path with its query), for what the helpers here do not cover.
    pub fn get(&self, path: &str) -> Value {
        self.request("GET", path).unwrap_or_else(|e| panic!("{e}\n--- log ---\n{}", self.log_tail()))
    }

    /// Scans the folder now rather than at the watcher's or the interval's next turn. Syncthing answers
    /// once the scan is done, so the change is in this device's index (and on its way) on return.
    pub fn rescan(&self) {
        self.request("POST", &format!("/rest/db/scan?folder={FOLDER}"))
            .unwrap_or_else(|e| panic!("{e}\n--- log ---\n{}", self.log_tail()));
    }

    pub fn path(&self, rel: &str) -> PathBuf {
        self.folder.join(rel)
    }

    /// Writes `rel` in place (its directories made as needed).
    pub fn write(&self, rel: &str, bytes: &[u8]) {
        let path = self.path(rel);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, bytes).unwrap();
    }

    /// Replaces `rel` whole: the bytes go to a temporary file beside it, which is then renamed over it.
    pub fn replace(&self, rel: &str, bytes: &[u8]) {
        let path = self.path(rel);
        let dir = path.parent().unwrap();
        std::fs::create_dir_all(dir).unwrap();
        let tmp = dir.join(format!(".{}.tmp", path.file_name().unwrap().to_string_lossy()));
        std::fs::write(&tmp, bytes).unwrap();
        std::fs::rename(&tmp, &path).unwrap();
    }

    /// Waits until `rel` holds exactly `bytes` here, and returns how long that took. Syncthing writes a
    /// pulled file to a temporary name and renames it, so a read never sees half of it.
    pub fn wait_for_file(&self, rel: &str, bytes: &[u8], timeout: Duration) -> Duration {
        let start = Instant::now();
        let path = self.path(rel);
        poll(&format!("{rel} on {}", self.name), timeout, || match std::fs::read(&path) {
            Ok(b) if b == bytes => Poll::Done,
            Ok(b) => Poll::Wait(format!(
                "{} bytes unlike the {} expected: {:?}",
                b.len(),
                bytes.len(),
                String::from_utf8_lossy(&b)
            )),
            Err(e) => Poll::Wait(e.to_string()),
        })
        .unwrap_or_else(|e| panic!("{e}\n--- {}'s log ---\n{}", self.name, self.log_tail()));
        start.elapsed()
    }

    fn log_tail(&self) -> String {
        let log = std::fs::read_to_string(&self.log).unwrap_or_default();
        let lines: Vec<&str> = log.lines().collect();
        lines[lines.len().saturating_sub(40)..].join("\n")
    }

    /// Asks the instance to shut down cleanly (it takes about a second), once.
    fn ask_to_stop(&mut self) {
        if !self.stopping && self.child.as_mut().is_some_and(|c| matches!(c.try_wait(), Ok(None))) {
            self.stopping = true;
            let _ = self.request("POST", "/rest/system/shutdown");
        }
    }
}

impl Drop for Device {
    /// Stops the instance cleanly, or kills its process group (the monitor and the instance it started)
    /// when it has not exited within 10 s.
    fn drop(&mut self) {
        self.ask_to_stop();
        let Some(mut child) = self.child.take() else { return };
        let start = Instant::now();
        while matches!(child.try_wait(), Ok(None)) {
            if start.elapsed() > Duration::from_secs(10) {
                // The group's leader has not been reaped, so the group id is still this one's.
                unsafe { libc::kill(-(child.id() as i32), libc::SIGKILL) };
                break;
            }
            std::thread::sleep(Duration::from_millis(20));
        }
        let _ = child.wait();
    }
}
