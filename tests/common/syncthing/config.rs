//! The config a test device runs with: one folder shared with its peer, and every service that would
//! leave loopback turned off.

use std::path::Path;

use serde_json::Value;

/// The shared folder's id on both devices.
pub const FOLDER: &str = "runway-sync";

/// How a device notices a change in its folder.
#[derive(Clone, Copy, Debug)]
pub struct Scanning {
    /// The filesystem watcher, which scans a changed path a second after the change (the least 1.19
    /// takes: its delay is a whole number of seconds).
    pub watcher: bool,
    /// A full scan this often, in seconds: the fallback where the watcher cannot watch (inotify limits
    /// taken by other jobs on a shared runner).
    pub interval_s: u32,
}

impl Default for Scanning {
    fn default() -> Scanning {
        Scanning { watcher: true, interval_s: 10 }
    }
}

/// A device as the config names it.
pub struct Peer<'a> {
    pub id: &'a str,
    pub name: &'a str,
    pub listen_port: u16,
}

/// This device's whole config.xml, in the schema `version` of the one `syncthing generate` wrote (so
/// that no migration runs); Syncthing fills in the defaults of what it leaves out.
pub fn xml(version: &str, me: &Peer, peer: &Peer, folder: &Path, api: (u16, &str), scan: Scanning) -> String {
    let device = |d: &Peer| {
        format!(
            "    <device id=\"{}\" name=\"{}\"><address>tcp://127.0.0.1:{}</address></device>\n",
            d.id, d.name, d.listen_port
        )
    };
    format!(
        r#"<configuration version="{version}">
    <folder id="{FOLDER}" label="{FOLDER}" path="{path}" type="sendreceive" rescanIntervalS="{interval}" fsWatcherEnabled="{watcher}" fsWatcherDelayS="1">
        <filesystemType>basic</filesystemType>
        <device id="{me}"></device>
        <device id="{peer}"></device>
        <minDiskFree unit="%">0</minDiskFree>
    </folder>
{devices}    <gui enabled="true" tls="false">
        <address>127.0.0.1:{api_port}</address>
        <apikey>{api_key}</apikey>
    </gui>
    <options>
        <listenAddress>tcp://127.0.0.1:{listen}</listenAddress>
        <globalAnnounceEnabled>false</globalAnnounceEnabled>
        <localAnnounceEnabled>false</localAnnounceEnabled>
        <announceLANAddresses>false</announceLANAddresses>
        <relaysEnabled>false</relaysEnabled>
        <natEnabled>false</natEnabled>
        <urAccepted>-1</urAccepted>
        <crashReportingEnabled>false</crashReportingEnabled>
        <autoUpgradeIntervalH>0</autoUpgradeIntervalH>
        <startBrowser>false</startBrowser>
        <reconnectionIntervalS>1</reconnectionIntervalS>
        <setLowPriority>false</setLowPriority>
        <minHomeDiskFree unit="%">0</minHomeDiskFree>
    </options>
</configuration>
"#,
        path = xml_escape(&folder.display().to_string()),
        interval = scan.interval_s,
        watcher = scan.watcher,
        me = me.id,
        peer = peer.id,
        devices = device(me) + &device(peer),
        api_port = api.0,
        api_key = xml_escape(api.1),
        listen = me.listen_port,
    )
}

/// The schema version of a config.xml.
pub fn version(config: &str) -> Option<&str> {
    let (_, rest) = config.split_once("<configuration version=\"")?;
    Some(rest.split_once('"')?.0)
}

fn xml_escape(s: &str) -> String {
    s.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;").replace('"', "&quot;")
}

/// The first setting that would reach beyond loopback, if one is on in a running config (as
/// `GET /rest/config` shows it): a check that what we wrote is what runs.
pub fn leaks(running: &Value) -> Option<&'static str> {
    let o = &running["options"];
    [
        ("global discovery", o["globalAnnounceEnabled"] != false),
        ("local discovery", o["localAnnounceEnabled"] != false),
        ("relaying", o["relaysEnabled"] != false),
        ("NAT traversal", o["natEnabled"] != false),
        ("usage reporting", o["urAccepted"].as_i64().is_none_or(|v| v > 0)),
        ("crash reporting", o["crashReportingEnabled"] != false),
        ("the browser", o["startBrowser"] != false),
    ]
    .into_iter()
    .find(|(_, on)| *on)
    .map(|(what, _)| what)
}
