//! `devserver`: a faithful in-memory stand-in for a Chatwoot server's public client
//! API and its realtime websocket (`/cable`), for the SDK's tests and demo. See
//! README.md for the contract.
//!
//! ```no_run
//! # async fn demo() -> std::io::Result<()> {
//! let server = devserver::start(devserver::Options::default()).await?;
//! println!("listening on {}", server.url());
//! # Ok(()) }
//! ```

mod account;
mod app;
mod body;
mod cable;
mod control;
mod cors;
mod faults;
mod hmac;
mod hub;
mod json;
mod model;
mod names;
mod public;
mod push;
mod reply;
mod reqlog;
mod routes;
mod serve;
mod settings;
mod state;
mod storage;
mod time;

use std::net::SocketAddr;

use tokio::net::TcpListener;
use tokio::sync::broadcast;
use tokio::task::JoinHandle;

pub use account::DEFAULT_AGENT_TOKEN;
pub use model::Actor;
pub use state::Event;

/// Identifier of the inbox that exists from the start unless told otherwise.
pub const DEFAULT_INBOX_IDENTIFIER: &str = "demo-inbox";
/// Name of the startup inbox.
pub const STARTUP_INBOX_NAME: &str = "Demo support";
/// HMAC secret of the startup inbox.
pub const STARTUP_HMAC_TOKEN: &str = "demo-secret";

/// How to start a server.
#[derive(Clone, Debug)]
pub struct Options {
    /// Address to bind; default `127.0.0.1`.
    pub host: String,
    /// Port to bind; 0 picks a free one (read it back from [`Running::addr`]).
    pub port: u16,
    /// Identifier of the inbox that exists from the start.
    pub inbox_identifier: String,
    /// The `api_access_token` the application API (`/api/v1/accounts/1/…`) accepts.
    pub agent_token: String,
    /// The startup inbox sends the CSAT survey on resolve.
    pub csat_survey: bool,
    /// The startup inbox has working hours (Mon–Fri 9:00–17:00 in its timezone).
    pub working_hours: bool,
    /// The startup inbox's timezone (default UTC).
    pub timezone: Option<String>,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            host: "127.0.0.1".into(),
            port: 0,
            inbox_identifier: DEFAULT_INBOX_IDENTIFIER.into(),
            agent_token: DEFAULT_AGENT_TOKEN.into(),
            csat_survey: false,
            working_hours: false,
            timezone: None,
        }
    }
}

/// A server accepting connections on a task of the current tokio runtime. Dropping
/// it stops accepting new connections.
pub struct Running {
    addr: SocketAddr,
    app: app::AppRef,
    task: JoinHandle<()>,
}

impl Running {
    /// The bound address (with the real port when 0 was asked for).
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// `http://{addr}`, the base URL for clients.
    pub fn url(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// Every state change from now on, for a test (the websocket renders them itself).
    pub fn events(&self) -> broadcast::Receiver<Event> {
        self.app.subscribe()
    }

    /// Stop accepting connections (as dropping does).
    pub fn stop(self) {
        drop(self);
    }
}

impl Drop for Running {
    fn drop(&mut self) {
        self.task.abort();
    }
}

/// The listening socket. Its receive buffer is kept to a real network's size (loopback
/// would otherwise take megabytes of an upload before the server reads any), so a
/// `slow_upload` fault paces what the client sees as sent.
async fn listen(host: &str, port: u16) -> std::io::Result<TcpListener> {
    let mut last = None;
    for addr in tokio::net::lookup_host((host, port)).await? {
        let socket = if addr.is_ipv4() {
            tokio::net::TcpSocket::new_v4()?
        } else {
            tokio::net::TcpSocket::new_v6()?
        };
        socket.set_reuseaddr(true)?;
        socket.set_recv_buffer_size(128 * 1024)?;
        match socket.bind(addr) {
            Ok(()) => return socket.listen(1024),
            Err(e) => last = Some(e),
        }
    }
    Err(last.unwrap_or_else(|| std::io::Error::other("no address to bind")))
}

/// Bind and start serving on a spawned task; must be called inside a tokio runtime.
pub async fn start(opts: Options) -> std::io::Result<Running> {
    let listener = listen(&opts.host, opts.port).await?;
    let addr = listener.local_addr()?;
    let startup = state::InboxConfig {
        identifier: Some(opts.inbox_identifier),
        name: Some(STARTUP_INBOX_NAME.into()),
        hmac_token: Some(STARTUP_HMAC_TOKEN.into()),
        csat_survey_enabled: opts.csat_survey,
        working_hours_enabled: opts.working_hours,
        timezone: opts.timezone,
        ..state::InboxConfig::default()
    };
    let app = app::App::new(startup, addr, opts.agent_token);
    let router = routes::router(app.clone());
    let task = tokio::spawn(serve::accept_loop(listener, app.clone(), router));
    Ok(Running { addr, app, task })
}
