//! The workbench of `statecraft serve`: a local web server over the analysis library, to
//! explore a scenario and edit its judged numbers with every lens recomputed live.
//!
//! It is a thin shell in the style of the axum examples: shared state ([`App`]), one
//! middleware for the security checks ([`guard`]), tower layers for the request-size and time
//! limits, and one handler per route ([`routes`]). Each page is drawn by [`page`] around the
//! parts of the HTML report (`report::run::html_parts`), so the workbench shows exactly what
//! `statecraft run --format html` shows; [`edit`] lists the judgments a page can change and
//! writes edits into the TOML document with `toml_edit`, keeping every comment; [`store`] is
//! the only code that touches files.
//!
//! Routes: `GET /` (the scenarios), `POST /new` (a new file in the start folder),
//! `GET /s/{slug}` (a scenario), `POST /s/{slug}` (recompute, save, or save as a new file),
//! `GET /assets/{name}` (the embedded style sheets and script). Nothing else is served.
//!
//! ```no_run
//! let config = serve::Config::local(vec![], std::path::PathBuf::from("."));
//! serve::run_blocking(config, |url| println!("{url}")).unwrap();
//! ```

#![deny(missing_docs)]

pub mod cancel;
pub mod edit;
pub mod guard;
pub mod page;
pub mod routes;
pub mod store;

use std::collections::HashMap;
use std::net::{IpAddr, Ipv4Addr, SocketAddr};
use std::path::PathBuf;
use std::sync::atomic::AtomicUsize;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::Router;

use crate::store::Store;

/// The largest request body accepted: far more than the form of the largest scenario needs.
pub const BODY_LIMIT: usize = 512 * 1024;

/// How long one request may take before it is answered with 408.
pub const REQUEST_TIMEOUT: Duration = Duration::from_secs(30);

/// How many requests may wait for an analysis, per processor (per [`App::analyses`] permit).
/// When every permit is taken and this many requests per permit already wait, the next one is
/// answered 503 at once, with `Retry-After` ([`RETRY_AFTER`]), instead of joining the queue:
/// at the recompute times of docs/serve.md (about 0.1 s on a quiet 2-core machine, 0.6 s on a
/// busy one), a queue of 32 per processor clears in 3 to 20 seconds, and a request further back
/// would mostly wait to be told 408 at [`REQUEST_TIMEOUT`].
pub const WAITING_PER_PERMIT: usize = 32;

/// How long a client refused for a full queue is asked to wait before it tries again.
pub const RETRY_AFTER: Duration = Duration::from_secs(1);

/// How the server is started.
#[derive(Debug, Clone)]
pub struct Config {
    /// Where to listen; port 0 picks a free port.
    pub addr: SocketAddr,
    /// The access token every request must carry; required when `addr` is not loopback.
    pub token: Option<String>,
    /// The scenario files it may open (besides the built-ins).
    pub files: Vec<PathBuf>,
    /// The folder where new files are created.
    pub start: PathBuf,
}

impl Config {
    /// Loopback on a free port, no token.
    pub fn local(files: Vec<PathBuf>, start: PathBuf) -> Config {
        Config {
            addr: SocketAddr::new(IpAddr::V4(Ipv4Addr::LOCALHOST), 0),
            token: None,
            files,
            start,
        }
    }
}

/// Why the server could not start.
#[derive(Debug, thiserror::Error)]
pub enum ServeError {
    /// A non-loopback address without `--token`.
    #[error("listening on {0}, which other machines can reach, needs an access token")]
    NeedsToken(SocketAddr),
    /// The address could not be bound, or serving failed.
    #[error("cannot listen on {addr}: {error}")]
    Io {
        /// The address.
        addr: SocketAddr,
        /// What the system said.
        error: std::io::Error,
    },
    /// No random numbers for the server's secret.
    #[error("no random numbers for the server's secret: {0}")]
    Random(getrandom::Error),
}

/// The state every handler shares.
#[derive(Debug)]
pub struct App {
    /// The scenarios it may open.
    pub store: Store,
    /// The key of the CSRF tokens.
    pub secret: String,
    /// The access token, if any.
    pub token: Option<String>,
    /// The `Host` values accepted (`127.0.0.1:PORT`, `localhost:PORT`, …).
    pub hosts: Vec<String>,
    /// The analysis settings (those of `statecraft run`).
    pub settings: analysis::Settings,
    /// The analyses of the versions pages were made from, by slug and hash.
    pub cache: Mutex<HashMap<String, Arc<routes::Base>>>,
    /// One permit per processor: an analysis runs only with one, so that a burst of requests
    /// waits its turn (and can time out while waiting, costing nothing) instead of sharing the
    /// processors among analyses that each end past the time limit.
    pub analyses: Arc<tokio::sync::Semaphore>,
    /// How many requests wait for one of the [`App::analyses`] permits now.
    pub waiting: AtomicUsize,
    /// How many may wait ([`WAITING_PER_PERMIT`] per permit); the next is answered 503.
    pub waiting_max: usize,
}

impl App {
    /// The state for a server on `addr` (its real port), with `config`'s scenarios and token.
    ///
    /// # Errors
    /// When the system gives no random numbers.
    pub fn new(config: &Config, addr: SocketAddr) -> Result<App, ServeError> {
        let port = addr.port();
        let mut hosts = vec![format!("localhost:{port}")];
        match addr.ip() {
            IpAddr::V4(ip) if ip.is_unspecified() => hosts.push(format!("127.0.0.1:{port}")),
            IpAddr::V6(ip) if ip.is_unspecified() => hosts.push(format!("[::1]:{port}")),
            _ => {}
        }
        hosts.push(match addr.ip() {
            IpAddr::V4(ip) => format!("{ip}:{port}"),
            IpAddr::V6(ip) => format!("[{ip}]:{port}"),
        });
        let permits = std::thread::available_parallelism().map_or(2, std::num::NonZeroUsize::get);
        Ok(App {
            store: Store::new(&config.files, config.start.clone()),
            secret: guard::random_token().map_err(ServeError::Random)?,
            token: config.token.clone(),
            hosts,
            settings: analysis::Settings::default(),
            cache: Mutex::default(),
            analyses: Arc::new(tokio::sync::Semaphore::new(permits)),
            waiting: AtomicUsize::new(0),
            waiting_max: permits * WAITING_PER_PERMIT,
        })
    }
}

/// The application: routes, checks and limits.
pub fn router(app: Arc<App>) -> Router {
    routes::router(app)
}

/// A server bound to its address, not yet serving.
#[derive(Debug)]
pub struct Server {
    listener: tokio::net::TcpListener,
    app: Arc<App>,
    url: String,
}

impl Server {
    /// Binds `config.addr`.
    ///
    /// # Errors
    /// [`ServeError::NeedsToken`] for a non-loopback address without a token; an I/O error when
    /// the address cannot be bound.
    pub async fn bind(config: &Config) -> Result<Server, ServeError> {
        if !config.addr.ip().is_loopback() && config.token.is_none() {
            return Err(ServeError::NeedsToken(config.addr));
        }
        let io = |error| ServeError::Io { addr: config.addr, error };
        let listener = tokio::net::TcpListener::bind(config.addr).await.map_err(io)?;
        let addr = listener.local_addr().map_err(io)?;
        let app = Arc::new(App::new(config, addr)?);
        // An unspecified address (0.0.0.0) listens everywhere; the address to print is then
        // loopback's, the second of the hosts.
        let host = if addr.ip().is_unspecified() { app.hosts.get(1) } else { app.hosts.last() };
        let host = host.cloned().unwrap_or_default();
        let url = match &config.token {
            Some(t) => format!("http://{host}/?token={t}"),
            None => format!("http://{host}/"),
        };
        Ok(Server { listener, app, url })
    }

    /// The address to open, with the token when there is one.
    pub fn url(&self) -> &str {
        &self.url
    }

    /// Serves until the process ends.
    ///
    /// # Errors
    /// When the listener fails.
    pub async fn run(self) -> Result<(), ServeError> {
        let addr = self
            .listener
            .local_addr()
            .map_err(|error| ServeError::Io { addr: ([0, 0, 0, 0], 0).into(), error })?;
        axum::serve(self.listener, router(self.app))
            .await
            .map_err(|error| ServeError::Io { addr, error })
    }
}

/// Starts a server with its own runtime, calls `ready` with its address, and serves until the
/// process ends.
///
/// # Errors
/// As [`Server::bind`] and [`Server::run`].
pub fn run_blocking(config: Config, ready: impl FnOnce(&str)) -> Result<(), ServeError> {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .map_err(|error| ServeError::Io { addr: config.addr, error })?;
    runtime.block_on(async {
        let server = Server::bind(&config).await?;
        ready(server.url());
        server.run().await
    })
}
