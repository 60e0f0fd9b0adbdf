//! Syncthing's REST API, spoken over a plain socket: tests need a handful of calls on loopback, not an
//! HTTP client.

use std::io::{Read, Write};
use std::net::TcpStream;
use std::time::Duration;

use serde_json::Value;

/// One call to the API at 127.0.0.1:`port`, over HTTP/1.0 so that the server closes the connection after
/// its answer and never chunks the body: the answer is everything up to end of stream. A body that is
/// not JSON, or a status other than 200, is an error.
pub fn call(port: u16, key: &str, method: &str, path: &str) -> Result<Value, String> {
    let fail = |e: &dyn std::fmt::Display| format!("{method} {path} on port {port}: {e}");
    let addr = ([127, 0, 0, 1], port).into();
    let mut s = TcpStream::connect_timeout(&addr, Duration::from_secs(5)).map_err(|e| fail(&e))?;
    s.set_read_timeout(Some(Duration::from_secs(30))).map_err(|e| fail(&e))?;
    let req =
        format!("{method} {path} HTTP/1.0\r\nHost: 127.0.0.1:{port}\r\nX-API-Key: {key}\r\nContent-Length: 0\r\n\r\n");
    s.write_all(req.as_bytes()).map_err(|e| fail(&e))?;
    let mut answer = Vec::new();
    s.read_to_end(&mut answer).map_err(|e| fail(&e))?;
    let text = String::from_utf8_lossy(&answer);
    let (head, body) = text.split_once("\r\n\r\n").ok_or_else(|| fail(&format!("no end of header in {text:?}")))?;
    if head.split_whitespace().nth(1) != Some("200") {
        return Err(fail(&format!("{}: {body}", head.lines().next().unwrap_or(""))));
    }
    if body.trim().is_empty() {
        return Ok(Value::Null);
    }
    serde_json::from_str(body).map_err(|e| fail(&format!("{e} in {body:?}")))
}
