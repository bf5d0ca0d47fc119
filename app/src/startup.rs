//! Making a database ready to serve: the plumbing opens and migrates it, then the requests
//! capability fills what a migration cannot compute. Kept apart from `platform::db` so the
//! plumbing does not call a business rule (the two would otherwise form a cycle).

use sqlx::AnyPool;

use crate::platform::db::{self, OpenError};

/// Opens and migrates the database, then computes the queues' clock instants of open
/// requests stored before those columns existed, or computed with another calendar (a
/// changed `VENTANILLA_NON_WORKING_DAYS`): a migration cannot run the domain calendar. Then
/// indexes the name words of accounts that have none (the customer search's table).
pub async fn open_database(url: &str) -> Result<AnyPool, OpenError> {
    let pool = db::open(url).await?;
    let filled = crate::requests::server::clocks::backfill(&pool)
        .await
        .map_err(OpenError::Clocks)?;
    if filled > 0 {
        tracing::info!(filled, "clock instants computed for open requests");
    }
    let named = crate::accounts::server::name_words::backfill(&pool)
        .await
        .map_err(OpenError::NameWords)?;
    if named > 0 {
        tracing::info!(named, "account names indexed for the customer search");
    }
    Ok(pool)
}
