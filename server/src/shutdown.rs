//! A graceful shutdown waits for every open connection to finish, and a live event stream
//! never finishes by itself: with one browser tab open, SIGTERM would hang until the
//! orchestrator's hard kill. So the shutdown signal is also published here, and the endless
//! responses (`/eventos`, the presence stream) end themselves when it fires; the browser
//! reconnects to whichever instance serves next, resuming from its last event.

use std::sync::LazyLock;

use tokio::sync::watch;

static REQUESTED: LazyLock<watch::Sender<bool>> = LazyLock::new(|| watch::channel(false).0);

/// Called once the process has been asked to stop.
pub fn begin() {
    REQUESTED.send_replace(true);
}

/// Resolves when the process has been asked to stop (at once if it already was).
pub async fn requested() {
    let mut receiver = REQUESTED.subscribe();
    let _ = receiver.wait_for(|stop| *stop).await;
}
