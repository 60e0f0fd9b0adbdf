//! The platform's calls on Windows (see `mod.rs`). What Unix keeps in a file's mode and owner,
//! Windows keeps in ACLs: the folders runway writes in (`%LOCALAPPDATA%`, `%APPDATA%`, the profile)
//! inherit ACLs that give them to their user alone, so runway sets no modes and checks no owner
//! there; a "mode" here is the read-only attribute. A file's identity is its volume's serial and its
//! index on that volume, which Windows keeps out of a path's metadata: it takes a handle.

use std::ffi::OsStr;
use std::fs::{self, File, Metadata, OpenOptions};
use std::io;
use std::os::windows::fs::{FileExt, OpenOptionsExt};
use std::os::windows::io::{AsRawHandle, IntoRawHandle};
use std::os::windows::process::CommandExt;
use std::path::Path;
use std::process::{Child, Command};
use std::time::UNIX_EPOCH;

use windows_sys::Win32::Foundation::{HANDLE_FLAG_INHERIT, INVALID_HANDLE_VALUE, SetHandleInformation};
use windows_sys::Win32::Storage::FileSystem::{
    BY_HANDLE_FILE_INFORMATION, FILE_FLAG_BACKUP_SEMANTICS, FILE_FLAG_OPEN_REPARSE_POINT, GetFileInformationByHandle,
};
use windows_sys::Win32::System::Console::{
    CONSOLE_SCREEN_BUFFER_INFO, GetConsoleScreenBufferInfo, GetStdHandle, STD_ERROR_HANDLE, STD_INPUT_HANDLE,
    STD_OUTPUT_HANDLE, SetStdHandle,
};
use windows_sys::Win32::System::Registry::{HKEY_LOCAL_MACHINE, RRF_RT_REG_SZ, RegGetValueW};
use windows_sys::Win32::System::SystemInformation::{ComputerNameDnsHostname, GetComputerNameExW};
use windows_sys::Win32::System::Threading::{CREATE_NEW_PROCESS_GROUP, CREATE_NO_WINDOW};

/// ERROR_CANT_RESOLVE_FILENAME: what Windows says of a link loop, and what `open_read(.., true)` says
/// of a link.
const LINK_REFUSED: i32 = 1921;

/// There is no user id to compare: the profile's ACLs make its folders the user's (see the module
/// comment), so every directory is "this user's".
pub fn euid() -> u32 {
    0
}

pub fn owner(_md: &Metadata) -> u32 {
    0
}

pub fn writable_by_others(_md: &Metadata) -> bool {
    false
}

/// 0400 for a read-only file, else 0600.
pub fn mode(md: &Metadata) -> u32 {
    if md.permissions().readonly() { 0o400 } else { 0o600 }
}

/// (volume serial, file index): a file replaced under the same name has another. A file that cannot
/// be opened to ask gets a mark of its path, so that two such files are never taken for one.
pub fn identity(path: &Path, _md: &Metadata) -> (u64, u64) {
    let asked =
        OpenOptions::new().access_mode(0).custom_flags(FILE_FLAG_BACKUP_SEMANTICS).open(path).ok().and_then(|f| {
            // SAFETY: a zeroed BY_HANDLE_FILE_INFORMATION is a valid value of this plain C struct.
            let mut info: BY_HANDLE_FILE_INFORMATION = unsafe { std::mem::zeroed() };
            // SAFETY: the handle is open for the call; the call writes one struct into `info`.
            let ok = unsafe { GetFileInformationByHandle(f.as_raw_handle(), &mut info) } != 0;
            ok.then(|| {
                let index = (u64::from(info.nFileIndexHigh) << 32) | u64::from(info.nFileIndexLow);
                (u64::from(info.dwVolumeSerialNumber), index)
            })
        });
    asked.unwrap_or_else(|| (u64::MAX, xxhash_rust::xxh3::xxh3_64(bytes(path.as_os_str()))))
}

pub fn mtime_ns(md: &Metadata) -> i64 {
    let Ok(t) = md.modified() else { return 0 };
    match t.duration_since(UNIX_EPOCH) {
        Ok(d) => i64::try_from(d.as_nanos()).unwrap_or(i64::MAX),
        Err(e) => -i64::try_from(e.duration().as_nanos()).unwrap_or(i64::MAX),
    }
}

/// Windows' change time is not in std's metadata: the last write stands in for it, so a file
/// rewritten in place at the same size with its write time put back is not seen as changed here.
pub fn ctime_ns(md: &Metadata) -> i64 {
    mtime_ns(md)
}

/// A short name for what a file is, when it is not a regular file: for the log and `doctor`.
pub fn kind(md: &Metadata) -> &'static str {
    let t = md.file_type();
    match () {
        _ if t.is_file() => "a file",
        _ if t.is_dir() => "a directory",
        _ if t.is_symlink() => "a link",
        _ => "not a file",
    }
}

/// Whether an error is `open_read`'s refusal of a link.
pub fn is_link_refused(e: &io::Error) -> bool {
    e.raw_os_error() == Some(LINK_REFUSED)
}

/// Opens with `o`; with `nofollow`, a link is opened as itself and refused. (Windows has no FIFO
/// under a file's name to wait on.)
fn open_with(o: &mut OpenOptions, path: &Path, nofollow: bool) -> io::Result<File> {
    if !nofollow {
        return o.open(path);
    }
    let f = o.custom_flags(FILE_FLAG_OPEN_REPARSE_POINT).open(path)?;
    if f.metadata()?.file_type().is_symlink() {
        return Err(io::Error::from_raw_os_error(LINK_REFUSED));
    }
    Ok(f)
}

/// `path` with every link resolved (see the Unix one).
pub fn canonical(path: &Path) -> io::Result<std::path::PathBuf> {
    fs::canonicalize(path)
}

/// Opens for reading without following a last link (see the Unix one).
pub fn open_read(path: &Path, nofollow: bool) -> io::Result<File> {
    open_with(OpenOptions::new().read(true), path, nofollow)
}

pub fn open_update(path: &Path) -> io::Result<File> {
    open_with(OpenOptions::new().read(true).write(true).create(true).truncate(false), path, true)
}

pub fn open_append(path: &Path) -> io::Result<File> {
    open_with(OpenOptions::new().create(true).append(true), path, true)
}

/// Creates a file that must not exist yet; `mode` without a write bit makes it read-only.
pub fn create_new(path: &Path, mode: u32) -> io::Result<File> {
    let f = OpenOptions::new().write(true).create_new(true).open(path)?;
    set_mode(&f, mode)?;
    Ok(f)
}

/// Creates a file that must not exist yet; it inherits its folder's ACLs.
pub fn create_private(path: &Path) -> io::Result<File> {
    OpenOptions::new().write(true).create_new(true).open(path)
}

/// Creates `dir` and its parents; they inherit the profile's ACLs.
pub fn create_private_dir(dir: &Path) -> io::Result<()> {
    fs::DirBuilder::new().recursive(true).create(dir)
}

/// The read-only attribute, set when `mode` has no write bit: a change that needs no free block.
pub fn set_mode(f: &File, mode: u32) -> io::Result<()> {
    let mut p = f.metadata()?.permissions();
    p.set_readonly(mode & 0o200 == 0);
    f.set_permissions(p)
}

/// Runs `c` with no console window of its own, in a process group of its own (a Ctrl-C in the
/// console does not reach it).
pub fn own_group(c: &mut Command) -> &mut Command {
    c.creation_flags(CREATE_NO_WINDOW | CREATE_NEW_PROCESS_GROUP)
}

/// Kills `child`. (What it started itself is left: Windows has no process group to signal.)
pub fn kill_group(child: &mut Child) {
    let _ = child.kill();
}

/// Starts a command in the background that outlives this process, with no console window (a status
/// line run by Claude Code would otherwise flash one).
///
/// Windows hands a child every handle of its parent that may be inherited, and the standard handles a
/// process was given are: the helper would hold the prompt's output pipe open, and the shell (or
/// Claude Code) reading it would wait for the helper to end. So this process's own standard handles
/// stop being inheritable first (stderr when it was pointed at the log: `redirect_stderr`); it is
/// about to end, and std gives a child its standard handles as copies of its own.
pub fn detached(c: &mut Command) -> &mut Command {
    for n in [STD_INPUT_HANDLE, STD_OUTPUT_HANDLE, STD_ERROR_HANDLE] {
        disinherit(n);
    }
    own_group(c)
}

/// What is written here is dropped.
pub const NULL_DEVICE: &str = "NUL";

/// Whether a path names the null device (`NUL` in any case, or `\\.\NUL`): a file that reads as empty.
pub fn is_null_device(path: &Path) -> bool {
    let p = path.to_string_lossy();
    p.eq_ignore_ascii_case(NULL_DEVICE) || p.eq_ignore_ascii_case(r"\\.\NUL")
}

/// No zone folder: names come from the zone library's bundled database.
pub const ZONE_DIRS: &[&str] = &[];
/// The system's zone is the system's to say (the zone library asks it).
pub const LOCALTIME: Option<&str> = None;

/// The shell another tool's status-line command is written for: Claude Code runs it through Git
/// Bash, and through PowerShell where Git Bash is not installed.
pub fn shell(cmd: &str) -> Command {
    let bash = Path::new(r"C:\Program Files\Git\bin\bash.exe");
    let mut c = if bash.is_file() {
        let mut c = Command::new(bash);
        c.arg("-c");
        c
    } else {
        let mut c = Command::new("powershell.exe");
        c.args(["-NoProfile", "-NonInteractive", "-Command"]);
        c
    };
    c.arg(cmd);
    c
}

/// Points this process's stderr at `f` (a handle of its own, kept open for the process's life). The
/// stderr it was given stays open but is no longer inherited (see `detached`).
pub fn redirect_stderr(f: &File) {
    if let Ok(own) = f.try_clone() {
        disinherit(STD_ERROR_HANDLE);
        // SAFETY: the handle is valid and is never closed: it stays the process's stderr.
        unsafe { SetStdHandle(STD_ERROR_HANDLE, own.into_raw_handle()) };
    }
}

/// Makes the standard handle `n` no longer inheritable.
fn disinherit(n: windows_sys::Win32::System::Console::STD_HANDLE) {
    // SAFETY: GetStdHandle returns this process's handle (or null, or INVALID_HANDLE_VALUE, skipped);
    // SetHandleInformation changes only its inherit flag.
    unsafe {
        let h = GetStdHandle(n);
        if !h.is_null() && h != INVALID_HANDLE_VALUE {
            SetHandleInformation(h, HANDLE_FLAG_INHERIT, 0);
        }
    }
}

/// This machine's DNS host name (`None` when it has none).
pub fn host_name() -> Option<String> {
    let mut buf = [0u16; 256];
    let mut len = buf.len() as u32;
    // SAFETY: the buffer is valid for `len` UTF-16 units; the call writes at most that many.
    let ok = unsafe { GetComputerNameExW(ComputerNameDnsHostname, buf.as_mut_ptr(), &mut len) } != 0;
    let name = String::from_utf16_lossy(&buf[..(len as usize).min(buf.len())]).trim().to_owned();
    (ok && !name.is_empty()).then_some(name)
}

/// Something that tells this machine apart and survives a change of its name: the `MachineGuid`
/// Windows keeps in its registry, else the identity of the home directory.
pub fn machine_mark(home: Option<&Path>) -> Vec<u8> {
    let wide = |s: &str| s.encode_utf16().chain([0]).collect::<Vec<u16>>();
    let (key, value) = (wide(r"SOFTWARE\Microsoft\Cryptography"), wide("MachineGuid"));
    let mut buf = [0u16; 128];
    let mut size = (buf.len() * 2) as u32;
    // SAFETY: both names are NUL-terminated; the buffer is valid for `size` bytes, which the call
    // does not exceed and sets to what it wrote.
    let rc = unsafe {
        RegGetValueW(
            HKEY_LOCAL_MACHINE,
            key.as_ptr(),
            value.as_ptr(),
            RRF_RT_REG_SZ,
            std::ptr::null_mut(),
            buf.as_mut_ptr().cast(),
            &mut size,
        )
    };
    let units = (size as usize / 2).min(buf.len());
    let id = String::from_utf16_lossy(&buf[..units]).trim_end_matches('\0').trim().to_owned();
    if rc == 0 && id.len() >= 16 {
        return id.into_bytes();
    }
    let md = home.and_then(|h| fs::metadata(h).ok().map(|m| identity(h, &m)));
    md.map(|(v, i)| format!("{v}:{i}").into_bytes()).unwrap_or_default()
}

/// Reads at `at`. (Windows moves the file's offset too; runway's readers never use it.)
pub fn read_at(f: &File, buf: &mut [u8], at: u64) -> io::Result<usize> {
    f.seek_read(buf, at)
}

pub fn read_exact_at(f: &File, mut buf: &mut [u8], mut at: u64) -> io::Result<()> {
    while !buf.is_empty() {
        match f.seek_read(buf, at) {
            Ok(0) => return Err(io::Error::from(io::ErrorKind::UnexpectedEof)),
            Ok(n) => {
                buf = &mut buf[n..];
                at += n as u64;
            }
            Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
            Err(e) => return Err(e),
        }
    }
    Ok(())
}

/// Windows does not say where a sparse file's data is without a query of its own: all of it is read.
pub fn next_data(_f: &File, pos: u64, _to: u64) -> u64 {
    pos
}

/// A path's bytes, as runway keeps and hashes them (UTF-8 for every name Windows can show).
pub fn bytes(p: &OsStr) -> &[u8] {
    p.as_encoded_bytes()
}

/// The path those bytes name. Bytes that are not UTF-8 (a name with a lone surrogate, which no tool
/// writes) name nothing.
pub fn os_str(b: &[u8]) -> &OsStr {
    OsStr::new(std::str::from_utf8(b).unwrap_or("\u{fffd}"))
}

/// The width of the console `out` is, if it is one.
pub fn tty_columns(out: &std::io::Stdout) -> Option<usize> {
    // SAFETY: a zeroed CONSOLE_SCREEN_BUFFER_INFO is a valid value of this plain C struct.
    let mut info: CONSOLE_SCREEN_BUFFER_INFO = unsafe { std::mem::zeroed() };
    // SAFETY: the handle is stdout's, open for the call; the call writes one struct into `info`.
    let ok = unsafe { GetConsoleScreenBufferInfo(out.as_raw_handle(), &mut info) } != 0;
    let cols = i32::from(info.srWindow.Right) - i32::from(info.srWindow.Left) + 1;
    (ok && cols > 0).then_some(cols as usize)
}
