//! Customers through the API (issue 19): the ERP or CRM reads a customer with the tier and
//! ANS guarantee their data gives (`customers:read`) and keeps the commercial data current
//! (`customers:write`), through the same service and audit as the staff screen.

use axum::body::Bytes;
use axum::extract::{RawPathParams, State};
use axum::Json;
use http::HeaderMap;
use serde::{Deserialize, Deserializer, Serialize};
use utoipa::ToSchema;
use ventanilla_app::accounts::server::api_keys::{CUSTOMERS_READ, CUSTOMERS_WRITE};
use ventanilla_app::customers::server::commercial::{self, CommercialPatch};
use ventanilla_app::customers::server::directory::{self, CustomerRecord};
use ventanilla_app::platform::audit::Actor;
use ventanilla_app::state::AppState;

use super::auth::authorize;
use super::problem::{ProblemBody, PROBLEM_JSON};
use super::requests::{parse, path_param};
use super::Problem;

const PROBLEMS: &str = PROBLEM_JSON;

/// A customer account and where it stands this year.
#[derive(Serialize, ToSchema)]
pub struct CustomerAccountOut {
    /// CC, CE, NIT, TI or PP.
    pub document_type: String,
    pub document_number: String,
    pub name: String,
    /// The first contact's e-mail.
    pub email: String,
    /// Monthly contract in COP; null without a contract (Flotante).
    pub monthly_contract_cop: Option<i64>,
    /// activo, suspendido, cancelado or cancelacion_pendiente.
    pub service_status: String,
    pub payments_up_to_date: bool,
    /// normal, cortesia or pyme.
    pub kind: String,
    pub segment: String,
    /// vip, regular or flotante: what the next filing gets (seed 000 §3).
    pub tier: String,
    /// Whether the next filing carries the ANS guarantee (seed 000 §9).
    pub ans_guaranteed: bool,
    /// Staff blocked the customer's access to the portal.
    pub web_access_blocked: bool,
    pub open_requests: i64,
    /// Increases with every change of the commercial data.
    pub revision: i64,
}

fn out(record: CustomerRecord) -> CustomerAccountOut {
    CustomerAccountOut {
        document_type: record.document_type,
        document_number: record.document_number,
        name: record.row.name,
        email: record.row.email,
        monthly_contract_cop: record.data.monthly_contract_cop,
        service_status: record.data.service_status.code().to_string(),
        payments_up_to_date: record.data.payments_up_to_date,
        kind: record.data.kind.code().to_string(),
        segment: record.data.segment,
        tier: record.standing.tier.code().to_string(),
        ans_guaranteed: record.standing.ans_guaranteed,
        web_access_blocked: record.row.blocked,
        open_requests: record.row.open_requests,
        revision: record.revision,
    }
}

/// Reads a present JSON value, `null` included, as `Some(…)`: an absent field stays `None`
/// (by `default`), so `"monthly_contract_cop": null` removes the contract.
fn present<'de, D: Deserializer<'de>>(d: D) -> Result<Option<Option<i64>>, D::Error> {
    Option::<i64>::deserialize(d).map(Some)
}

/// The fields to change; the ones left out keep their value.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CustomerPatchIn {
    /// Monthly contract in COP, 0 to 1.750.905.000; null or 0 removes it.
    #[serde(default, deserialize_with = "present")]
    #[schema(value_type = Option<i64>, minimum = 0, maximum = 1750905000)]
    pub monthly_contract_cop: Option<Option<i64>>,
    /// activo, suspendido, cancelado or cancelacion_pendiente.
    pub service_status: Option<String>,
    pub payments_up_to_date: Option<bool>,
    /// normal, cortesia or pyme.
    pub kind: Option<String>,
    /// 1 to 60 letters, digits, spaces or hyphens.
    pub segment: Option<String>,
    /// Why the data changes, for the customer's history (5 to 500 characters); by default
    /// "Actualización desde <key name>".
    pub reason: Option<String>,
}

async fn account_of(state: &AppState, params: &RawPathParams) -> Result<String, Problem> {
    let (kind, number) = (
        path_param(params, "document_type"),
        path_param(params, "document_number"),
    );
    directory::id_by_document(&state.pool, &kind, &number)
        .await
        .map_err(|_| {
            Problem::new(
                "no-encontrado",
                format!("No hay un cliente con el documento {kind} {number}."),
            )
        })
}

/// A customer with the tier and guarantee their data gives.
#[utoipa::path(get, path = "/api/v1/customers/{document_type}/{document_number}", tag = "Clientes",
    security(("llave" = [])),
    params(
        ("document_type" = String, Path, description = "CC, CE, NIT, TI o PP", example = "CC"),
        ("document_number" = String, Path, description = "Número de documento (puntos y guiones opcionales)", example = "1020304050"),
    ),
    responses(
        (status = 200, description = "El cliente", body = CustomerAccountOut),
        (status = 403, description = "La llave no tiene customers:read", body = ProblemBody, content_type = PROBLEMS),
        (status = 404, description = "No existe", body = ProblemBody, content_type = PROBLEMS),
    ))]
pub async fn read(
    State(state): State<AppState>,
    headers: HeaderMap,
    params: RawPathParams,
) -> Result<Json<CustomerAccountOut>, Problem> {
    authorize(&state, &headers, CUSTOMERS_READ).await?;
    let id = account_of(&state, &params).await?;
    let record = directory::record(
        &state.pool,
        &ventanilla_app::ans::server::versions::tiers(&state.pool, &state.ans).await?,
        &id,
    )
    .await?;
    Ok(Json(out(record)))
}

/// Changes a customer's commercial data. Requests already filed keep their tier and
/// guarantee; the next filing uses the new data.
#[utoipa::path(patch, path = "/api/v1/customers/{document_type}/{document_number}", tag = "Clientes",
    security(("llave" = [])),
    params(
        ("document_type" = String, Path, description = "CC, CE, NIT, TI o PP", example = "CC"),
        ("document_number" = String, Path, description = "Número de documento", example = "1020304050"),
    ),
    request_body(content = CustomerPatchIn, content_type = "application/json"),
    responses(
        (status = 200, description = "El cliente con sus datos nuevos", body = CustomerAccountOut),
        (status = 400, description = "Cuerpo ilegible", body = ProblemBody, content_type = PROBLEMS),
        (status = 403, description = "La llave no tiene customers:write", body = ProblemBody, content_type = PROBLEMS),
        (status = 404, description = "No existe", body = ProblemBody, content_type = PROBLEMS),
        (status = 409, description = "Otro cambio del mismo cliente al mismo tiempo", body = ProblemBody, content_type = PROBLEMS),
        (status = 422, description = "Datos inválidos", body = ProblemBody, content_type = PROBLEMS),
    ))]
pub async fn update(
    State(state): State<AppState>,
    headers: HeaderMap,
    params: RawPathParams,
    body: Bytes,
) -> Result<Json<CustomerAccountOut>, Problem> {
    let key = authorize(&state, &headers, CUSTOMERS_WRITE).await?;
    let id = account_of(&state, &params).await?;
    let input: CustomerPatchIn = parse(&body)?;
    let patch = CommercialPatch {
        monthly_contract_cop: input.monthly_contract_cop,
        service_status: input.service_status,
        payments_up_to_date: input.payments_up_to_date,
        kind: input.kind,
        segment: input.segment,
    };
    if patch.is_empty() {
        return Err(Problem::new(
            "datos-invalidos",
            "Indique al menos un dato para cambiar: monthly_contract_cop, service_status, payments_up_to_date, kind o segment.",
        ));
    }
    let reason = input
        .reason
        .unwrap_or_else(|| format!("Actualización desde {}", key.name));
    commercial::change(
        &state.pool,
        &ventanilla_app::ans::server::versions::tiers(&state.pool, &state.ans).await?,
        &Actor::api_key(&key.id, &key.name),
        &id,
        &patch,
        None,
        &reason,
    )
    .await?;
    let record = directory::record(
        &state.pool,
        &ventanilla_app::ans::server::versions::tiers(&state.pool, &state.ans).await?,
        &id,
    )
    .await?;
    Ok(Json(out(record)))
}
