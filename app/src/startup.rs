//! Making a database ready to serve: the plumbing opens and migrates it, then the requests
//! capability fills what a migration cannot compute. Kept apart from `platform::db` so the
//! plumbing does not call a business rule (the two would otherwise form a cycle).

use sqlx::AnyPool;

use crate::platform::db::{self, OpenError};

/// [`open_database_with`] the default business hours.
pub async fn open_database(url: &str) -> Result<AnyPool, OpenError> {
    open_database_with(url, &ventanilla::ans::BusinessHours::default()).await
}

/// Opens and migrates the database, gives ANS versions stored before they carried business
/// hours the installation's `hours`, then computes the queues' clock instants of open
/// requests stored before those columns existed, or with older rules: a migration cannot
/// run the domain calendar. Then indexes the name words of accounts that have none (the
/// customer search's table).
pub async fn open_database_with(
    url: &str,
    hours: &ventanilla::ans::BusinessHours,
) -> Result<AnyPool, OpenError> {
    let pool = db::open(url).await?;
    let completed = crate::ans::server::versions::complete_legacy(&pool, hours)
        .await
        .map_err(OpenError::Clocks)?;
    if completed > 0 {
        tracing::info!(
            completed,
            "ANS versions given the installation's business hours"
        );
    }
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
