//! Demo data for a first look: accounts in every tier and service/payment status, staff in
//! every role, seed 001's category catalogue, the areas of the escalation matrix, and a few
//! requests. Run by `ventanilla demo` (and by the quick-start command) on an empty database.

use chrono::{Duration, Utc};
use serde_json::json;
use sqlx::Row;
use ventanilla::document::{nit_check_digit, validate_document, DocumentType};
use ventanilla::legal::RequestType;
use ventanilla::role::Role;
use ventanilla::sla::Priority;

use crate::accounts::server::accounts::create_staff;
use crate::accounts::server::password;
use crate::accounts::server::validate::document_key;
use crate::error::AppError;
use crate::platform::audit::{self, Actor};
use crate::platform::db::{new_id, now};
use crate::requests::server::filing::{radicar, NewRequest};

/// Every demo user signs in with this password.
pub const DEMO_PASSWORD: &str = "Ventanilla2026";

/// One login to print and list in the README.
pub struct DemoLogin {
    pub who: String,
    pub login: String,
}

/// The areas of the escalation matrix (DESIGN.md §3).
const AREAS: [&str; 4] = ["Facturación", "Soporte técnico", "Comercial", "Jurídica"];

/// Seed 001 §5.1: the kinds of request customer service receives, with the area each goes
/// to when escalated.
const CATEGORIES: [(&str, &str, &str); 11] = [
    (
        "Informes generales",
        "Información general sobre el servicio.",
        "Comercial",
    ),
    (
        "Cotizaciones de envíos",
        "Precio y condiciones de un envío.",
        "Comercial",
    ),
    (
        "Trazabilidad de envíos",
        "Dónde está un envío realizado.",
        "Soporte técnico",
    ),
    (
        "Solicitudes de proveeduría",
        "Suministros y material para envíos.",
        "Comercial",
    ),
    (
        "Programación de recolecciones",
        "Agendar la recogida de un envío.",
        "Soporte técnico",
    ),
    (
        "PQR",
        "Peticiones, quejas y reclamos sobre el servicio.",
        "Jurídica",
    ),
    (
        "Propuestas comerciales",
        "Ofertas y contratos.",
        "Comercial",
    ),
    (
        "ANS (Acuerdo de Nivel de Servicio)",
        "Tiempos y compromisos del servicio.",
        "Jurídica",
    ),
    (
        "Embalaje",
        "Cómo empacar y proteger un envío.",
        "Soporte técnico",
    ),
    (
        "Orden de servicio",
        "Crear o corregir una orden de servicio.",
        "Facturación",
    ),
    (
        "Usuarios de la página web",
        "Asignar o bloquear usuarios del portal.",
        "Soporte técnico",
    ),
];

/// Subcategories of each demo category, as a courier's customer-service desk types them
/// (seed 001 §5.1 categories; seed 002 "tipificación").
const SUBCATEGORIES: [(&str, &[&str]); 11] = [
    (
        "Informes generales",
        &[
            "Horarios y puntos de atención",
            "Cobertura de ciudades",
            "Documentos requeridos",
        ],
    ),
    (
        "Cotizaciones de envíos",
        &[
            "Envío nacional",
            "Envío urbano",
            "Carga masiva",
            "Tarifa diferente a la cotizada",
        ],
    ),
    (
        "Trazabilidad de envíos",
        &[
            "Envío demorado",
            "Envío extraviado",
            "Entrega a destinatario equivocado",
            "Guía sin movimiento",
        ],
    ),
    (
        "Solicitudes de proveeduría",
        &[
            "Guías preimpresas",
            "Material de empaque",
            "Entrega incompleta de suministros",
        ],
    ),
    (
        "Programación de recolecciones",
        &[
            "Recolección no realizada",
            "Recolección fuera de horario",
            "Reprogramación",
        ],
    ),
    (
        "PQR",
        &[
            "Cobro no reconocido",
            "Mercancía averiada",
            "Atención del personal",
            "Indemnización",
        ],
    ),
    (
        "Propuestas comerciales",
        &[
            "Nueva propuesta",
            "Renovación de contrato",
            "Condiciones comerciales",
        ],
    ),
    (
        "ANS (Acuerdo de Nivel de Servicio)",
        &[
            "Incumplimiento de tiempos de entrega",
            "Incumplimiento de tiempos de respuesta",
            "Penalidades del contrato",
        ],
    ),
    (
        "Embalaje",
        &[
            "Asesoría de embalaje",
            "Embalaje inadecuado",
            "Mercancía frágil",
        ],
    ),
    (
        "Orden de servicio",
        &[
            "Corrección de datos",
            "Anulación de orden",
            "Facturación de la orden",
        ],
    ),
    (
        "Usuarios de la página web",
        &[
            "Creación de usuario",
            "Bloqueo de usuario",
            "Restablecer contraseña",
        ],
    ),
];

/// Why requests happen: the root causes the desk tracks to act on them.
const CAUSES: [&str; 9] = [
    "Error operativo interno",
    "Incumplimiento del transportador aliado",
    "Error de facturación",
    "Falla de la plataforma web",
    "Información incompleta del cliente",
    "Desconocimiento del procedimiento por el cliente",
    "Conducta del personal",
    "Caso fortuito o fuerza mayor",
    "Sin causa atribuible (consulta, sugerencia o felicitación)",
];

struct DemoAccount {
    kind: DocumentType,
    number: &'static str,
    name: &'static str,
    email: &'static str,
    contract: Option<i64>,
    service_status: &'static str,
    payments_up_to_date: bool,
    note: &'static str,
}

const ACCOUNTS: [DemoAccount; 5] = [
    DemoAccount {
        kind: DocumentType::Nit,
        number: "900123456",
        name: "Transportes Andinos S.A.S.",
        email: "vip@demo.ventanilla.co",
        contract: Some(4_000_000),
        service_status: "activo",
        payments_up_to_date: true,
        note: "cliente VIP",
    },
    DemoAccount {
        kind: DocumentType::Cc,
        number: "1020304050",
        name: "Ana María Rojas",
        email: "regular@demo.ventanilla.co",
        contract: Some(1_200_000),
        service_status: "activo",
        payments_up_to_date: true,
        note: "cliente Regular",
    },
    DemoAccount {
        kind: DocumentType::Cc,
        number: "79888777",
        name: "Carlos Pérez",
        email: "flotante@demo.ventanilla.co",
        contract: None,
        service_status: "activo",
        payments_up_to_date: true,
        note: "cliente Flotante",
    },
    DemoAccount {
        kind: DocumentType::Cc,
        number: "52111222",
        name: "Lucía Gómez",
        email: "mora@demo.ventanilla.co",
        contract: Some(1_200_000),
        service_status: "activo",
        payments_up_to_date: false,
        note: "cliente en mora (sin garantía de ANS)",
    },
    DemoAccount {
        kind: DocumentType::Nit,
        number: "800765432",
        name: "Distribuciones El Llano Ltda.",
        email: "cancelado@demo.ventanilla.co",
        contract: Some(2_000_000),
        service_status: "cancelado",
        payments_up_to_date: true,
        note: "servicio cancelado (sin garantía de ANS)",
    },
];

const STAFF: [(Role, &str, &str); 5] = [
    (Role::Asesor, "Andrés Asesor", "asesor@demo.ventanilla.co"),
    (
        Role::Especialista,
        "Elena Especialista",
        "especialista@demo.ventanilla.co",
    ),
    (
        Role::Calidad,
        "Camilo Calidad",
        "calidad@demo.ventanilla.co",
    ),
    (
        Role::Supervisor,
        "Sofía Supervisora",
        "supervisor@demo.ventanilla.co",
    ),
    (
        Role::Admin,
        "Alberto Administrador",
        "admin@demo.ventanilla.co",
    ),
];

pub async fn is_empty(pool: &sqlx::AnyPool) -> Result<bool, AppError> {
    let row = sqlx::query("SELECT COUNT(*) AS n FROM users")
        .fetch_one(pool)
        .await?;
    Ok(row.get::<i64, _>("n") == 0)
}

/// Loads the demo data if the database has no users yet; returns the logins either way.
pub async fn seed_if_empty(pool: &sqlx::AnyPool) -> Result<Vec<DemoLogin>, AppError> {
    if is_empty(pool).await? {
        seed(pool).await?;
    }
    Ok(logins())
}

pub fn logins() -> Vec<DemoLogin> {
    let customers = ACCOUNTS.iter().map(|a| DemoLogin {
        who: format!("{} ({})", a.name, a.note),
        login: a.email.to_string(),
    });
    let staff = STAFF.iter().map(|(role, name, email)| DemoLogin {
        who: format!("{name} ({})", role.label_es()),
        login: email.to_string(),
    });
    customers.chain(staff).collect()
}

async fn seed(pool: &sqlx::AnyPool) -> Result<(), AppError> {
    // The demo's requests keep ANS version 1, from the variables the server runs with (it
    // stores that version at start-up).
    let ans = ventanilla::ans::AnsVersion {
        number: 1,
        effective_at: 0,
        settings: crate::platform::config::Config::from_env().ans_defaults(),
    };
    let system = Actor::system("datos de demostración");
    let mut tx = crate::platform::db::begin(pool).await?;
    for name in AREAS {
        sqlx::query("INSERT INTO areas (id, name) VALUES ($1, $2)")
            .bind(new_id())
            .bind(name)
            .execute(&mut *tx)
            .await?;
    }
    for (position, (name, description, area)) in CATEGORIES.iter().enumerate() {
        sqlx::query(
            "INSERT INTO categories (id, name, description, area_id, position) \
             VALUES ($1, $2, $3, (SELECT id FROM areas WHERE name = $4), $5)",
        )
        .bind(new_id())
        .bind(*name)
        .bind(*description)
        .bind(*area)
        .bind(position as i64)
        .execute(&mut *tx)
        .await?;
    }
    for (category, names) in SUBCATEGORIES {
        for (position, name) in names.iter().enumerate() {
            sqlx::query(
                "INSERT INTO subcategories (id, category_id, name, position) \
                 VALUES ($1, (SELECT id FROM categories WHERE name = $2), $3, $4)",
            )
            .bind(new_id())
            .bind(category)
            .bind(*name)
            .bind(position as i64)
            .execute(&mut *tx)
            .await?;
        }
    }
    for (position, name) in CAUSES.iter().enumerate() {
        sqlx::query("INSERT INTO causes (id, name, position) VALUES ($1, $2, $3)")
            .bind(new_id())
            .bind(*name)
            .bind(position as i64)
            .execute(&mut *tx)
            .await?;
    }
    let hashed = password::hash(DEMO_PASSWORD);
    let mut customers = Vec::new();
    for account in &ACCOUNTS {
        // Demo NITs are written without their check digit; compute it as a person would.
        let typed = match account.kind {
            DocumentType::Nit => format!(
                "{}-{}",
                account.number,
                nit_check_digit(account.number).unwrap_or_default()
            ),
            _ => account.number.to_string(),
        };
        let document = validate_document(account.kind, &typed)
            .map_err(|e| AppError::validation(e.to_string()))?;
        let account_id = new_id();
        let user_id = new_id();
        sqlx::query(
            "INSERT INTO accounts (id, document_type, document_number, document_key, name, kind, segment, \
             monthly_contract_cop, service_status, payments_up_to_date, created_at) \
             VALUES ($1, $2, $3, $4, $5, 'normal', $6, $7, $8, $9, $10)",
        )
        .bind(&account_id)
        .bind(account.kind.code())
        .bind(&document)
        .bind(document_key(&document))
        .bind(account.name)
        .bind(if account.kind == DocumentType::Nit { "empresa" } else { "hogar" })
        .bind(account.contract)
        .bind(account.service_status)
        .bind(i64::from(account.payments_up_to_date))
        .bind(now())
        .execute(&mut *tx)
        .await?;
        crate::accounts::server::name_words::index(&mut tx, &account_id, account.name).await?;
        sqlx::query(
            "INSERT INTO users (id, account_id, role, email, full_name, phone, address, password_hash, active, created_at, updated_at) \
             VALUES ($1, $2, 'cliente', $3, $4, '+573001234567', 'Calle 10 # 20-30, Bogotá', $5, 1, $6, $6)",
        )
        .bind(&user_id)
        .bind(&account_id)
        .bind(account.email)
        .bind(account.name)
        .bind(&hashed.0)
        .bind(now())
        .execute(&mut *tx)
        .await?;
        audit::record(
            &mut tx,
            &system,
            "cuenta_registrada",
            "account",
            &account_id,
            json!({ "demo": true }),
        )
        .await?;
        customers.push((account_id, user_id, account.name));
    }
    let samples = [
        (
            RequestType::Reclamo,
            "Cobro doble en la factura de octubre",
            Priority::Alta,
            30,
        ),
        (
            RequestType::PeticionGeneral,
            "Programar recolección semanal",
            Priority::Media,
            20,
        ),
        (
            RequestType::Queja,
            "El mensajero no llegó en la franja acordada",
            Priority::Media,
            6,
        ),
        (
            RequestType::Consulta,
            "Condiciones para envíos internacionales",
            Priority::Baja,
            50,
        ),
        (
            RequestType::PeticionDocumentos,
            "Copia del contrato firmado",
            Priority::Media,
            3,
        ),
    ];
    for ((account_id, user_id, name), (request_type, subject, priority, hours_ago)) in
        customers.iter().zip(samples)
    {
        radicar(
            &mut tx,
            &Actor::user(user_id, name),
            &ans,
            NewRequest {
                account_id,
                created_by: user_id,
                request_type,
                category_id: None,
                subject,
                description: subject,
                priority: if account_id == &customers[0].0 {
                    priority
                } else {
                    Priority::Media
                },
                channel: "portal",
                received_at: Utc::now() - Duration::hours(hours_ago),
                submission_token: None,
                related_request_id: None,
                links: "",
                author_label: name,
            },
        )
        .await?;
    }
    tx.commit().await?;
    for (role, name, email) in STAFF {
        let member = create_staff(pool, &system, role, name, email, DEMO_PASSWORD).await?;
        // The demo specialist answers for every area, so any escalation reaches her.
        if role == Role::Especialista {
            sqlx::query("INSERT INTO area_members (area_id, user_id) SELECT id, $1 FROM areas")
                .bind(&member.id)
                .execute(pool)
                .await?;
        }
    }
    Ok(())
}
