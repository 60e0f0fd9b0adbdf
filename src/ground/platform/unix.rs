//! The platform's calls on Linux and macOS (see `mod.rs`): modes and owners, `O_NOFOLLOW` and
//! `O_NONBLOCK`, the effective user, process groups and signals, the stderr descriptor.

use std::fs::{self, File, Metadata, OpenOptions};
use std::io::{self, Read};
use std::os::fd::AsRawFd;
use std::os::unix::fs::{DirBuilderExt, MetadataExt, OpenOptionsExt, PermissionsExt};
use std::path::{Path, PathBuf};
use std::process::{Child, Command};

/// The user runway runs as: the one its cache must belong to.
pub fn euid() -> u32 {
    // SAFETY: geteuid has no preconditions and cannot fail.
    unsafe { libc::geteuid() }
}

/// Who owns a file, and whether anyone but its owner (and their group) may change it.
pub fn owner(md: &Metadata) -> u32 {
    md.uid()
}

pub fn writable_by_others(md: &Metadata) -> bool {
    md.mode() & 0o002 != 0
}

/// The permission bits.
pub fn mode(md: &Metadata) -> u32 {
    md.mode() & 0o7777
}

/// (device, inode): a file replaced under the same name has another. (`_path`, which `md` is of, is
/// for Windows, whose metadata does not carry it.)
pub fn identity(_path: &Path, md: &Metadata) -> (u64, u64) {
    (md.dev(), md.ino())
}

pub fn mtime_ns(md: &Metadata) -> i64 {
    md.mtime().saturating_mul(1_000_000_000).saturating_add(md.mtime_nsec())
}

/// When the inode last changed: every write moves it, and no one but the kernel can set it back (a
/// file rewritten in place at the same size, its mtime put back, still shows a new ctime).
pub fn ctime_ns(md: &Metadata) -> i64 {
    md.ctime().saturating_mul(1_000_000_000).saturating_add(md.ctime_nsec())
}

/// A short name for what a file is, when it is not a regular file: for the log and `doctor`.
pub fn kind(md: &Metadata) -> &'static str {
    use std::os::unix::fs::FileTypeExt;
    let t = md.file_type();
    match () {
        _ if t.is_file() => "a file",
        _ if t.is_dir() => "a directory",
        _ if t.is_symlink() => "a link",
        _ if t.is_fifo() => "a FIFO",
        _ if t.is_socket() => "a socket",
        _ if t.is_char_device() || t.is_block_device() => "a device",
        _ => "not a file",
    }
}

/// `path` with every link and `..` resolved, as `realpath` gives it. On Linux, the kernel's own name
/// for the opened path (an open, a `readlink` and a close, where `realpath` makes a `readlink` of
/// every component: 25 a prompt for six tools' roots, 12 more than this); else `realpath` itself.
pub fn canonical(path: &Path) -> io::Result<PathBuf> {
    #[cfg(target_os = "linux")]
    {
        // O_PATH opens without reading, so it neither needs read permission nor waits on a FIFO.
        let f = OpenOptions::new().read(true).custom_flags(libc::O_PATH).open(path)?;
        if let Ok(name) = fs::read_link(format!("/proc/self/fd/{}", f.as_raw_fd()))
            && name.is_absolute()
            && !name.as_os_str().as_encoded_bytes().ends_with(b" (deleted)")
        {
            return Ok(name);
        }
    }
    // No /proc (a container without it), or the name it gave is not a path.
    fs::canonicalize(path)
}

/// Whether an error is the refusal of a link by `O_NOFOLLOW`.
pub fn is_link_refused(e: &io::Error) -> bool {
    e.raw_os_error() == Some(libc::ELOOP)
}

/// Opens for reading without following a last link (`nofollow`) and without waiting for a FIFO's
/// writer: the caller checks what it opened.
pub fn open_read(path: &Path, nofollow: bool) -> io::Result<File> {
    let extra = if nofollow { libc::O_NOFOLLOW } else { 0 };
    OpenOptions::new().read(true).custom_flags(libc::O_NONBLOCK | extra).open(path)
}

/// Opens (creating, 0600) for reading and writing, never through a link, never waiting.
pub fn open_update(path: &Path) -> io::Result<File> {
    OpenOptions::new()
        .read(true)
        .write(true)
        .create(true)
        .truncate(false)
        .mode(0o600)
        .custom_flags(libc::O_NONBLOCK | libc::O_NOFOLLOW)
        .open(path)
}

/// Opens (creating, 0600) for appending, never through a link, never waiting for a FIFO's reader.
pub fn open_append(path: &Path) -> io::Result<File> {
    OpenOptions::new()
        .create(true)
        .append(true)
        .mode(0o600)
        .custom_flags(libc::O_NONBLOCK | libc::O_NOFOLLOW)
        .open(path)
}

/// Creates a file that must not exist yet (so never through a link), with exactly `mode` whatever the
/// umask.
pub fn create_new(path: &Path, mode: u32) -> io::Result<File> {
    let f = OpenOptions::new().write(true).create_new(true).mode(mode).open(path)?;
    f.set_permissions(fs::Permissions::from_mode(mode))?;
    Ok(f)
}

/// Creates a file that must not exist yet, 0600 from its first byte (a umask can only take bits away).
pub fn create_private(path: &Path) -> io::Result<File> {
    OpenOptions::new().write(true).create_new(true).mode(0o600).open(path)
}

/// Creates `dir` and its parents, each 0700. An existing directory is left as it is.
pub fn create_private_dir(dir: &Path) -> io::Result<()> {
    fs::DirBuilder::new().recursive(true).mode(0o700).create(dir)
}

/// Marks a file by its mode alone: a change of the inode that needs no free block (a full disk still
/// takes it).
pub fn set_mode(f: &File, mode: u32) -> io::Result<()> {
    f.set_permissions(fs::Permissions::from_mode(mode))
}

/// Runs `c` in a process group of its own: a Ctrl-C at the prompt does not reach it, and
/// `kill_group` ends it with whatever it started.
pub fn own_group(c: &mut Command) -> &mut Command {
    std::os::unix::process::CommandExt::process_group(c, 0)
}

/// Kills `child`, started with `own_group`, and whatever it started.
pub fn kill_group(child: &mut Child) {
    // SAFETY: kill(2) on a process group; no memory is involved.
    unsafe { libc::kill(-(child.id() as i32), libc::SIGKILL) };
}

/// Starts a command in the background that outlives this process: a group of its own, so a Ctrl-C at
/// the prompt does not reach it.
pub fn detached(c: &mut Command) -> &mut Command {
    own_group(c)
}

/// What is written here is dropped.
pub const NULL_DEVICE: &str = "/dev/null";

/// Whether a path names the null device: a file that reads as empty (`RUNWAY_CONFIG=/dev/null`, the
/// usual way to say "no settings").
pub fn is_null_device(path: &Path) -> bool {
    path == Path::new(NULL_DEVICE)
}

/// Where zone files are when `TZDIR` is unset: the zone library's list, the C library's first.
pub const ZONE_DIRS: &[&str] = &["/usr/share/zoneinfo", "/usr/share/lib/zoneinfo", "/etc/zoneinfo"];
/// The system's own zone: a zone file, named by its link into a zone folder (`…/zoneinfo/<name>`).
/// `None` where the system keeps its zone elsewhere (Windows: the zone library asks it).
pub const LOCALTIME: Option<&str> = Some("/etc/localtime");

/// The shell another tool's status-line command is written for.
pub fn shell(cmd: &str) -> Command {
    let mut c = Command::new("/bin/sh");
    c.arg("-c").arg(cmd);
    c
}

/// Points this process's stderr at `f`.
pub fn redirect_stderr(f: &File) {
    // SAFETY: dup2 onto fd 2 with a descriptor `f` owns; both stay valid for the call.
    unsafe { libc::dup2(f.as_raw_fd(), 2) };
}

/// This machine's name, as its host name gives it (`None` when it has none).
pub fn host_name() -> Option<String> {
    let mut buf = [0u8; 256];
    // SAFETY: the buffer is valid for its length; gethostname writes at most that many bytes.
    let rc = unsafe { libc::gethostname(buf.as_mut_ptr().cast(), buf.len()) };
    if rc != 0 {
        return None;
    }
    let end = buf.iter().position(|&b| b == 0).unwrap_or(buf.len());
    let name = String::from_utf8_lossy(&buf[..end]).trim().to_owned();
    (!name.is_empty()).then_some(name)
}

/// Something that tells this machine apart and survives a change of its host name: the system's
/// machine id where it has one (`/etc/machine-id`), else the device and inode of the home directory.
/// A cache directory copied to another machine finds another value there.
pub fn machine_mark(home: Option<&Path>) -> Vec<u8> {
    for f in ["/etc/machine-id", "/var/lib/dbus/machine-id"] {
        // One read of a 33-byte file (`fs::read` stats it first, then reads twice): a prompt with a
        // sync folder asks this every time.
        let mut id = [0u8; 256];
        let n = open_read(Path::new(f), false).and_then(|mut f| f.read(&mut id));
        if let Ok(n @ 16..256) = n {
            return id[..n].to_vec();
        }
    }
    let md = home.and_then(|h| fs::metadata(h).ok());
    md.map(|m| format!("{}:{}", m.dev(), m.ino()).into_bytes()).unwrap_or_default()
}

/// Reads at `at` without moving the file's offset (threads share a file this way).
pub fn read_at(f: &File, buf: &mut [u8], at: u64) -> io::Result<usize> {
    std::os::unix::fs::FileExt::read_at(f, buf, at)
}

pub fn read_exact_at(f: &File, buf: &mut [u8], at: u64) -> io::Result<()> {
    std::os::unix::fs::FileExt::read_exact_at(f, buf, at)
}

/// Where the data after `pos` starts, jumping over a hole of a sparse file (a hole holds only zero
/// bytes): `to` when there is no data before it, `pos` when the system cannot tell.
pub fn next_data(f: &File, pos: u64, to: u64) -> u64 {
    // SAFETY: lseek on a descriptor this function borrows; no memory is involved.
    let d = unsafe { libc::lseek(f.as_raw_fd(), pos as libc::off_t, libc::SEEK_DATA) };
    match d {
        d if d >= 0 => (d as u64).min(to),
        // ENXIO: nothing but hole up to the end. Anything else (no SEEK_DATA here): read it all.
        _ if io::Error::last_os_error().raw_os_error() == Some(libc::ENXIO) => to,
        _ => pos,
    }
}

/// A path's bytes, as runway keeps and hashes them.
pub fn bytes(p: &std::ffi::OsStr) -> &[u8] {
    std::os::unix::ffi::OsStrExt::as_bytes(p)
}

/// The path those bytes name.
pub fn os_str(b: &[u8]) -> &std::ffi::OsStr {
    std::os::unix::ffi::OsStrExt::from_bytes(b)
}

/// The width of the terminal `out` is, if it is one.
pub fn tty_columns(out: &std::io::Stdout) -> Option<usize> {
    // SAFETY: an all-zero winsize is a valid value of this plain C struct.
    let mut ws: libc::winsize = unsafe { std::mem::zeroed() };
    // SAFETY: TIOCGWINSZ writes one winsize into the one it is given; fd 1 is open.
    let r = unsafe { libc::ioctl(out.as_raw_fd(), libc::TIOCGWINSZ, &mut ws) };
    (r == 0 && ws.ws_col > 0).then_some(usize::from(ws.ws_col))
}
