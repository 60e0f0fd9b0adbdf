//! Where transcripts live: each provider's roots, as its folder finds them in the environment.

use std::path::PathBuf;

use crate::ground::env::Env;
use crate::ground::provider::Provider;

/// A directory transcripts of one provider are found under.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Root {
    pub provider: Provider,
    pub path: PathBuf,
}

/// Every root of the providers, in the table's order, each with its canonical path; one that is
/// another spelling of one already there (a link, a trailing slash) is left out. Each path is
/// resolved once: this runs on every prompt.
pub fn roots(env: &Env) -> Vec<(Root, PathBuf)> {
    let mut out: Vec<(Root, PathBuf)> = Vec::new();
    for &provider in Provider::ALL {
        for path in (provider.spec().roots)(env) {
            let canon = crate::ground::platform::canonical(&path).unwrap_or_else(|_| path.clone());
            if !out.iter().any(|(r, c)| r.provider == provider && *c == canon) {
                out.push((Root { provider, path }, canon));
            }
        }
    }
    out
}
