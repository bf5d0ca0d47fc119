//! Finding a customer and reading everything we know of them (seed 002 §5.2.8: the agent
//! "consulta la información del usuario" before answering; issue 19).

use chrono::Datelike;
use sqlx::Row;
use ventanilla::customer::AccountKind;
use ventanilla::role::Role;
use ventanilla::tier::{ServiceStatus, TierPolicy};

use crate::accounts::model::SessionUser;
use crate::accounts::server::name_words;
use crate::customers::model::{
    CampaignLine, CommercialForm, CustomerContact, CustomerNote, CustomerRow, CustomerView,
    RecoveryCaseLine, SurveyAnswerRow,
};
use crate::error::AppError;
use crate::timers::local_time;

/// At most this many customers per search: a person refines the words rather than paging.
pub const SEARCH_LIMIT: i64 = crate::customers::model::SEARCH_LIMIT as i64;

/// The roles that work with customers' data: the front line and its managers. *Calidad* and
/// *especialista* reach only some requests (issue 17) and have no business browsing customers.
pub const READERS: &[Role] = &[Role::Asesor, Role::Supervisor, Role::Admin];

/// The roles that change commercial data and block access.
pub const MANAGERS: &[Role] = &[Role::Supervisor, Role::Admin];

/// The current Bogotá year, the one a tier is computed for.
pub fn this_year() -> i32 {
    chrono::Utc::now()
        .with_timezone(&ventanilla::calendar::bogota())
        .year()
}

const ROW_COLUMNS: &str = "a.id, a.document_type, a.document_number, a.name, a.kind, a.segment, \
     a.monthly_contract_cop, a.service_status, a.payments_up_to_date, \
     (SELECT MIN(u.email) FROM users u WHERE u.account_id = a.id) AS email, \
     (SELECT MIN(u.phone) FROM users u WHERE u.account_id = a.id) AS phone, \
     (SELECT COUNT(*) FROM users u WHERE u.account_id = a.id) AS holders, \
     (SELECT COUNT(*) FROM users u WHERE u.account_id = a.id AND u.active = 1) AS active_users, \
     (SELECT COUNT(*) FROM requests r WHERE r.account_id = a.id AND r.state <> 'cerrada') AS open_requests";

/// "CC 1020304050".
pub fn document_label(document_type: &str, number: &str) -> String {
    format!("{} {number}", document_type.to_uppercase())
}

fn kind_label(code: &str) -> String {
    AccountKind::from_code(code).map_or_else(|| code.to_string(), |k| k.label_es().to_string())
}

fn status_label(code: &str) -> String {
    ServiceStatus::from_code(code).map_or_else(|| code.to_string(), |s| s.label_es().to_string())
}

fn row_of(tiers: &TierPolicy, row: &sqlx::any::AnyRow, year: i32) -> CustomerRow {
    let standing = crate::accounts::server::standing::of_row(tiers, row, year);
    CustomerRow {
        id: row.get("id"),
        document: document_label(
            &row.get::<String, _>("document_type"),
            &row.get::<String, _>("document_number"),
        ),
        name: row.get("name"),
        email: row.get::<Option<String>, _>("email").unwrap_or_default(),
        phone: row.get::<Option<String>, _>("phone").unwrap_or_default(),
        tier: standing.tier.label_es().to_string(),
        segment: row.get("segment"),
        kind: kind_label(&row.get::<String, _>("kind")),
        service_status: status_label(&row.get::<String, _>("service_status")),
        open_requests: row.get("open_requests"),
        // An account imported from the ERP has nobody yet: not blocked, not registered.
        registered: row.get::<i64, _>("holders") > 0,
        blocked: row.get::<i64, _>("holders") > 0 && row.get::<i64, _>("active_users") == 0,
    }
}

/// The words of a search, as each column compares them.
struct Terms {
    /// Letters and digits, upper case: how documents are keyed (`accounts.document_key`).
    document_key: String,
    email: String,
    /// A Colombian mobile as stored (+57…), when the words are one.
    phone: String,
}

fn terms(query: &str) -> Terms {
    let query = query.trim();
    let digits: String = query.chars().filter(char::is_ascii_digit).collect();
    let phone = match digits.len() {
        10 => format!("+57{digits}"),
        12 if digits.starts_with("57") => format!("+{digits}"),
        _ => query.to_string(),
    };
    Terms {
        document_key: crate::accounts::server::validate::document_key(query),
        email: query.to_lowercase(),
        phone,
    }
}

/// Customers whose document, e-mail or mobile is `query`, or whose name has words starting
/// with each of its words (the newest accounts when it is empty), at most [`SEARCH_LIMIT`],
/// by name.
pub async fn search(
    pool: &sqlx::AnyPool,
    tiers: &TierPolicy,
    query: &str,
) -> Result<Vec<CustomerRow>, AppError> {
    let query = query.trim();
    if query.chars().count() > 100 {
        return Err(AppError::validation(
            "La búsqueda admite hasta 100 caracteres.",
        ));
    }
    let rows = if query.is_empty() {
        sqlx::query(&format!(
            "SELECT {ROW_COLUMNS} FROM accounts a ORDER BY a.created_at DESC, a.id LIMIT {SEARCH_LIMIT}"
        ))
        .fetch_all(pool)
        .await?
    } else {
        let terms = terms(query);
        // The exact keys (document, e-mail, mobile) are index lookups.
        let mut ids: Vec<String> = sqlx::query(
            "SELECT id FROM accounts WHERE document_key = $1 \
             UNION SELECT account_id AS id FROM users WHERE account_id IS NOT NULL AND (email = $2 OR phone = $3)",
        )
        .bind(&terms.document_key)
        .bind(&terms.email)
        .bind(&terms.phone)
        .fetch_all(pool)
        .await?
        .iter()
        .map(|row| row.get("id"))
        .collect();
        // Words that can be part of a name (they have a letter and are not an e-mail) are
        // also looked for as the starts of the name's words.
        if query.chars().any(char::is_alphabetic) && !query.contains('@') {
            let words: Vec<String> = name_words::words(query).into_iter().take(5).collect();
            ids.extend(by_name(pool, &words).await?);
        }
        if ids.is_empty() {
            return Ok(Vec::new());
        }
        ids.sort();
        ids.dedup();
        let placeholders: Vec<String> = (1..=ids.len()).map(|n| format!("${n}")).collect();
        let sql = format!(
            "SELECT {ROW_COLUMNS} FROM accounts a WHERE a.id IN ({}) ORDER BY a.name, a.id LIMIT {SEARCH_LIMIT}",
            placeholders.join(", ")
        );
        let mut rows = sqlx::query(&sql);
        for id in &ids {
            rows = rows.bind(id);
        }
        rows.fetch_all(pool).await?
    };
    let year = this_year();
    Ok(rows.iter().map(|row| row_of(tiers, row, year)).collect())
}

/// Up to this many accounts for the rarest word, all of them are read and the first
/// [`SEARCH_LIMIT`] by name kept; beyond it, the word's index is read in order until that many
/// match — the person is asked to type more rather than made to wait for a sort of
/// thousands (a first name like "maría" is one account in twelve).
const SORT_AT_MOST: i64 = 2_000;

/// Accounts having a word that starts with each of `words`: the first [`SEARCH_LIMIT`] by
/// name when the rarest word is rare enough to sort, else the first found. The rarest word
/// drives, whichever the person typed first.
async fn by_name(pool: &sqlx::AnyPool, words: &[String]) -> Result<Vec<String>, AppError> {
    let mut ranges = Vec::with_capacity(words.len());
    for word in words {
        let (low, high) = name_words::prefix_range(word);
        // Counted only up to the threshold: past it the exact number changes nothing.
        let count: i64 = sqlx::query(&format!(
            "SELECT COUNT(*) AS n FROM (SELECT 1 FROM account_name_words \
             WHERE word >= $1 AND word <= $2 LIMIT {}) c",
            SORT_AT_MOST + 1
        ))
        .bind(&low)
        .bind(&high)
        .fetch_one(pool)
        .await?
        .get("n");
        if count == 0 {
            return Ok(Vec::new());
        }
        ranges.push((count, low, high));
    }
    ranges.sort();
    let Some(((rarest_count, ..), others)) = ranges.split_first() else {
        return Ok(Vec::new());
    };
    let owner = if *rarest_count <= SORT_AT_MOST {
        "a.id"
    } else {
        "w.account_id"
    };
    let mut filters = String::new();
    for n in 0..others.len() {
        let first = 3 + 2 * n;
        filters.push_str(&format!(
            " AND EXISTS (SELECT 1 FROM account_name_words o{n} WHERE o{n}.account_id = {owner} \
             AND o{n}.word >= ${first} AND o{n}.word <= ${})",
            first + 1
        ));
    }
    let sql = if *rarest_count <= SORT_AT_MOST {
        format!(
            "SELECT DISTINCT a.id, a.name FROM account_name_words w JOIN accounts a ON a.id = w.account_id \
             WHERE w.word >= $1 AND w.word <= $2{filters} ORDER BY a.name, a.id LIMIT {SEARCH_LIMIT}"
        )
    } else {
        format!(
            "SELECT DISTINCT w.account_id AS id FROM account_name_words w \
             WHERE w.word >= $1 AND w.word <= $2{filters} LIMIT {SEARCH_LIMIT}"
        )
    };
    let mut found = sqlx::query(&sql);
    for (_, low, high) in &ranges {
        found = found.bind(low).bind(high);
    }
    Ok(found
        .fetch_all(pool)
        .await?
        .iter()
        .map(|row| row.get("id"))
        .collect())
}

/// The account id of the customer with this document, as the REST API names customers.
pub async fn id_by_document(
    pool: &sqlx::AnyPool,
    document_type: &str,
    document_number: &str,
) -> Result<String, AppError> {
    sqlx::query("SELECT id FROM accounts WHERE document_type = $1 AND document_key = $2")
        .bind(document_type.trim().to_uppercase())
        .bind(crate::accounts::server::validate::document_key(
            document_number,
        ))
        .fetch_optional(pool)
        .await?
        .map(|row| row.get("id"))
        .ok_or(AppError::NotFound)
}

/// One account as the REST API answers it: its line in the search, its commercial data and
/// revision, and its standing this year.
pub struct CustomerRecord {
    pub row: CustomerRow,
    pub document_type: String,
    pub document_number: String,
    pub data: ventanilla::customer::CommercialData,
    pub revision: i64,
    pub standing: ventanilla::tier::Standing,
}

/// The account `account_id` as a [`CustomerRecord`].
pub async fn record(
    pool: &sqlx::AnyPool,
    tiers: &TierPolicy,
    account_id: &str,
) -> Result<CustomerRecord, AppError> {
    let account = sqlx::query(&format!(
        "SELECT {ROW_COLUMNS}, a.revision FROM accounts a WHERE a.id = $1"
    ))
    .bind(account_id)
    .fetch_optional(pool)
    .await?
    .ok_or(AppError::NotFound)?;
    let year = this_year();
    Ok(CustomerRecord {
        row: row_of(tiers, &account, year),
        document_type: account.get("document_type"),
        document_number: account.get("document_number"),
        standing: crate::accounts::server::standing::of_row(tiers, &account, year),
        data: crate::customers::server::commercial::of_row(&account),
        revision: account.get("revision"),
    })
}

/// "$ 30.000.000".
pub fn pesos(value: i64) -> String {
    let digits = value.to_string();
    let mut grouped = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            grouped.push('.');
        }
        grouped.push(c);
    }
    format!("$ {grouped}")
}

/// Everything about the customer `account_id` for `reader`.
pub async fn view(
    pool: &sqlx::AnyPool,
    tiers: &TierPolicy,
    reader: &SessionUser,
    account_id: &str,
) -> Result<CustomerView, AppError> {
    let account = sqlx::query(&format!(
        "SELECT {ROW_COLUMNS}, a.created_at, a.revision FROM accounts a WHERE a.id = $1"
    ))
    .bind(account_id.trim())
    .fetch_optional(pool)
    .await?
    .ok_or(AppError::NotFound)?;
    let year = this_year();
    let line = row_of(tiers, &account, year);
    let standing = crate::accounts::server::standing::of_row(tiers, &account, year);
    let contract: Option<i64> = account.get("monthly_contract_cop");
    let contacts = sqlx::query(
        "SELECT full_name, email, phone, address, active FROM users WHERE account_id = $1 ORDER BY created_at, id",
    )
    .bind(&line.id)
    .fetch_all(pool)
    .await?
    .iter()
    .map(|row| CustomerContact {
        full_name: row.get("full_name"),
        email: row.get("email"),
        phone: row.get("phone"),
        address: row.get("address"),
        active: row.get::<i64, _>("active") == 1,
    })
    .collect();
    let requests = sqlx::query(&format!(
        "SELECT {} FROM requests r JOIN accounts a ON a.id = r.account_id \
         WHERE r.account_id = $1 ORDER BY r.received_at DESC, r.id",
        crate::requests::server::filing::SUMMARY_COLUMNS
    ))
    .bind(&line.id)
    .fetch_all(pool)
    .await?
    .iter()
    .map(crate::requests::server::filing::summary)
    .collect::<Vec<_>>();
    let replies: i64 = sqlx::query(
        "SELECT COUNT(*) AS n FROM request_messages m JOIN requests r ON r.id = m.request_id \
         JOIN users u ON u.id = m.author_user_id \
         WHERE r.account_id = $1 AND u.account_id = $1 AND m.kind <> 'descripcion'",
    )
    .bind(&line.id)
    .fetch_one(pool)
    .await?
    .get("n");
    let surveys = sqlx::query(
        "SELECT r.radicado, s.answered_at, s.nps, s.csat, s.resolved, s.comment FROM survey_invitations s \
         JOIN requests r ON r.id = s.request_id \
         WHERE s.account_id = $1 AND s.answered_at IS NOT NULL ORDER BY s.answered_at DESC",
    )
    .bind(&line.id)
    .fetch_all(pool)
    .await?
    .iter()
    .map(|row| SurveyAnswerRow {
        radicado: row.get("radicado"),
        answered_at: local_time(row.get("answered_at")),
        nps: row.get("nps"),
        csat: row.get("csat"),
        resolved: row.get::<Option<i64>, _>("resolved").map(|v| v == 1),
        comment: row.get::<Option<String>, _>("comment").unwrap_or_default(),
    })
    .collect();
    let recovery_cases = sqlx::query(
        "SELECT id, opened_at, status, outcome FROM recovery_cases WHERE account_id = $1 ORDER BY opened_at DESC",
    )
    .bind(&line.id)
    .fetch_all(pool)
    .await?
    .iter()
    .map(|row| RecoveryCaseLine {
        id: row.get("id"),
        opened_at: local_time(row.get("opened_at")),
        status: if row.get::<String, _>("status") == "abierto" {
            "Abierto".into()
        } else {
            "Cerrado".into()
        },
        outcome: match row.get::<Option<String>, _>("outcome").as_deref() {
            Some("contactado") => "Contactado".into(),
            Some("no_contactado") => "No contactado".into(),
            Some("excluido") => "Excluido (no se llama)".into(),
            Some(other) => other.to_string(),
            None => String::new(),
        },
    })
    .collect();
    let campaigns = sqlx::query(
        "SELECT c.name, i.sent_at, i.answered_at FROM campaign_invitations i \
         JOIN survey_campaigns c ON c.id = i.campaign_id WHERE i.account_id = $1 ORDER BY i.sent_at DESC",
    )
    .bind(&line.id)
    .fetch_all(pool)
    .await?
    .iter()
    .map(|row| CampaignLine {
        campaign: row.get("name"),
        sent_at: local_time(row.get("sent_at")),
        answered: row.get::<Option<i64>, _>("answered_at").is_some(),
    })
    .collect();
    let notes = crate::customers::server::notes::list(pool, &line.id)
        .await?
        .into_iter()
        .map(|(author, at, body)| CustomerNote {
            author,
            at: local_time(at),
            body,
        })
        .collect();
    Ok(CustomerView {
        contacts_count: requests.len() as i64 + replies,
        id: line.id,
        document: line.document,
        name: line.name,
        since: local_time(account.get("created_at")),
        contacts,
        contract: contract.map_or_else(|| "Sin contrato mensual".to_string(), pesos),
        tier: line.tier,
        ans_guaranteed: standing.ans_guaranteed,
        service_status: line.service_status,
        payments_up_to_date: account.get::<i64, _>("payments_up_to_date") == 1,
        kind: line.kind,
        segment: line.segment.clone(),
        blocked: line.blocked,
        registered: line.registered,
        commercial: CommercialForm {
            monthly_contract_cop: contract,
            service_status: account.get("service_status"),
            payments_up_to_date: account.get::<i64, _>("payments_up_to_date") == 1,
            kind: account.get("kind"),
            segment: line.segment,
            revision: account.get("revision"),
        },
        requests,
        surveys,
        recovery_cases,
        campaigns,
        notes,
        may_manage: MANAGERS.contains(&reader.role),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pesos_are_grouped_by_thousands() {
        assert_eq!(pesos(30_000_000), "$ 30.000.000");
        assert_eq!(pesos(950), "$ 950");
        assert_eq!(pesos(1_000), "$ 1.000");
    }

    #[test]
    fn search_terms_read_documents_and_mobiles() {
        let t = terms("300 123 4567");
        assert_eq!(t.phone, "+573001234567");
        assert_eq!(terms("900.123.456-7").document_key, "9001234567");
    }
}
