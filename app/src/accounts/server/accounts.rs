//! Customer registration, sign-in, profile and staff users: the services behind the
//! account server functions and the `user create` CLI.

use serde_json::json;
use sha2::{Digest, Sha256};
use sqlx::Row;
use ventanilla::channel::Channel;
use ventanilla::document::{validate_document, DocumentType};
use ventanilla::role::Role;

use crate::accounts::model::{Profile, SessionUser, StaffMember};
use crate::accounts::policy::{notice_text, DATA_POLICY_VERSION};
use crate::accounts::server::password::{self, PasswordHashText};
use crate::accounts::server::password_links;
use crate::accounts::server::session;
use crate::accounts::server::validate;
use crate::error::{AppError, Field};
use crate::platform::audit::{self, Actor};
use crate::platform::db::{internal, new_id, now, on_constraint};
use crate::platform::outbox;
use crate::state::AppState;

/// What the registration form sends (seed 002 §5.2.2).
#[derive(Debug, Clone)]
pub struct Registration {
    pub document_type: String,
    pub document_number: String,
    pub full_name: String,
    pub email: String,
    pub phone: String,
    pub address: String,
    pub password: String,
    pub password_confirmation: String,
    pub consent: bool,
}

const DUPLICATE_DOCUMENT: &str =
    "Ya existe una cuenta con ese documento. Inicie sesión o recupere su acceso.";
const DUPLICATE_EMAIL: &str = "Ya existe una cuenta con ese correo electrónico.";

/// Creates the customer account, its user, the consent record, the audit event and the
/// welcome e-mail in one transaction, and signs the new customer in.
pub async fn register(state: &AppState, form: Registration) -> Result<SessionUser, AppError> {
    let kind = DocumentType::from_code(form.document_type.trim())
        .ok_or_else(|| AppError::validation("Elija un tipo de documento de la lista."))?;
    if form.document_number.chars().count() > 20 {
        return Err(AppError::validation(
            "Número de documento: admite como máximo 20 caracteres.",
        ));
    }
    let document = validate_document(kind, &form.document_number)
        .map_err(|e| AppError::validation(e.to_string()))?;
    let full_name = validate::full_name(&form.full_name)?;
    let email = validate::email(&form.email)?;
    let phone = validate::mobile(&form.phone)?;
    let address = validate::address(&form.address)?;
    validate::password(&form.password)?;
    if form.password != form.password_confirmation {
        return Err(AppError::validation(
            "La confirmación no coincide con la contraseña.",
        ));
    }
    if !form.consent {
        return Err(AppError::validation(
            "Para crear la cuenta debe autorizar el tratamiento de sus datos personales.",
        ));
    }
    // The cheap refusals first: hashing costs tens of milliseconds and 19 MiB, and a script
    // or a taken document must not make the server pay that. The insert checks again in its
    // transaction.
    let registered_here: i64 = sqlx::query(
        "SELECT COUNT(*) AS n FROM data_consents WHERE client_ip = $1 AND channel = 'portal' AND accepted_at > $2",
    )
    .bind(session::client_ip())
    .bind(crate::platform::quota::Quota::since(now()))
    .fetch_one(&state.pool)
    .await?
    .get("n");
    state.config.quotas.registrations_per_address.check(
        registered_here,
        "cuentas registradas desde una misma conexión",
    )?;
    refuse_taken(&state.pool, kind, &document, &email).await?;
    let password_hash = password::hash_off_thread(&form.password).await;

    let mut tx = crate::platform::db::begin(&state.pool).await?;
    let (account_id, user_id) = insert_customer(
        &mut tx,
        state,
        NewCustomer {
            kind,
            document: &document,
            full_name: &full_name,
            email: &email,
            phone: &phone,
            address: &address,
            password_hash: &password_hash,
            consent_channel: Channel::Portal,
            consent_from: &session::client_ip(),
        },
    )
    .await?;
    audit::record(
        &mut tx,
        &Actor::user(&user_id, &full_name),
        "cuenta_registrada",
        "account",
        &account_id,
        json!({ "document_type": kind.code(), "policy_version": DATA_POLICY_VERSION, "channel": Channel::Portal.code() }),
    )
    .await?;
    outbox::enqueue(
        &mut tx,
        "email",
        &email,
        "bienvenida",
        json!({ "name": full_name }),
    )
    .await?;
    session::start(&mut tx, state, &user_id).await?;
    tx.commit().await.map_err(duplicate_or_internal)?;
    Ok(SessionUser {
        id: user_id,
        full_name,
        email,
        role: Role::Cliente,
    })
}

/// A customer account about to be created, by the customer or on their behalf.
struct NewCustomer<'a> {
    kind: DocumentType,
    document: &'a str,
    full_name: &'a str,
    email: &'a str,
    phone: &'a str,
    address: &'a str,
    password_hash: &'a PasswordHashText,
    /// Where the Ley 1581 authorization was given.
    consent_channel: Channel,
    /// The client address in the portal; who recorded it otherwise.
    consent_from: &'a str,
}

/// A document or e-mail that already has an account is the same 409 for every channel. An
/// account the ERP import created, that nobody signs in to yet, is not taken: the customer
/// who registers with its document takes it (see [`insert_customer`]).
async fn refuse_taken<'c, E>(
    executor: E,
    kind: DocumentType,
    document: &str,
    email: &str,
) -> Result<(), AppError>
where
    E: sqlx::Executor<'c, Database = sqlx::Any>,
{
    let taken: Option<String> = sqlx::query(
        "SELECT 'document' AS what FROM accounts a WHERE a.document_type = $1 AND a.document_key = $2 \
         AND EXISTS (SELECT 1 FROM users h WHERE h.account_id = a.id) \
         UNION ALL SELECT 'email' FROM users WHERE email = $3",
    )
    .bind(kind.code())
    .bind(validate::document_key(document))
    .bind(email)
    .fetch_optional(executor)
    .await?
    .map(|row| row.get("what"));
    match taken.as_deref() {
        Some("document") => Err(AppError::Conflict(DUPLICATE_DOCUMENT.into())),
        Some(_) => Err(AppError::Conflict(DUPLICATE_EMAIL.into())),
        None => Ok(()),
    }
}

/// Account, holder and consent record, with the same duplicate checks for every channel.
async fn insert_customer(
    tx: &mut crate::platform::db::Tx,
    state: &AppState,
    new: NewCustomer<'_>,
) -> Result<(String, String), AppError> {
    refuse_taken(&mut **tx, new.kind, new.document, new.email).await?;
    let user_id = new_id();
    let at = now();
    // An account imported from the ERP (issue 19) waits for its customer with its commercial
    // data: the first holder takes it. Its name stays the ERP's.
    let imported: Option<String> =
        sqlx::query("SELECT id FROM accounts WHERE document_type = $1 AND document_key = $2")
            .bind(new.kind.code())
            .bind(validate::document_key(new.document))
            .fetch_optional(&mut **tx)
            .await?
            .map(|row| row.get("id"));
    let account_id = match imported {
        Some(id) => id,
        None => {
            let id = new_id();
            sqlx::query(
                "INSERT INTO accounts (id, document_type, document_number, document_key, name, created_at) \
                 VALUES ($1, $2, $3, $4, $5, $6)",
            )
            .bind(&id)
            .bind(new.kind.code())
            .bind(new.document)
            .bind(validate::document_key(new.document))
            .bind(new.full_name)
            .bind(at)
            .execute(&mut **tx)
            .await
            .map_err(duplicate_or_internal)?;
            crate::accounts::server::name_words::index(tx, &id, new.full_name).await?;
            id
        }
    };
    insert_user(
        tx,
        &user_id,
        Some(&account_id),
        Role::Cliente,
        new.email,
        new.full_name,
        new.phone,
        new.address,
        new.password_hash,
    )
    .await?;
    record_consent(
        tx,
        state,
        &user_id,
        new.consent_channel,
        new.consent_from,
        at,
    )
    .await?;
    Ok((account_id, user_id))
}

/// The Ley 1581 authorization of `user_id`, given through `channel`, recorded with the text
/// of the policy in force (its hash) and where it came from.
async fn record_consent(
    tx: &mut crate::platform::db::Tx,
    state: &AppState,
    user_id: &str,
    channel: Channel,
    from: &str,
    at: i64,
) -> Result<(), AppError> {
    let text = notice_text(&state.config.organization);
    sqlx::query(
        "INSERT INTO data_consents (id, user_id, policy_version, policy_sha256, accepted_at, client_ip, channel) \
         VALUES ($1, $2, $3, $4, $5, $6, $7)",
    )
    .bind(new_id())
    .bind(user_id)
    .bind(DATA_POLICY_VERSION)
    .bind(hex::encode(Sha256::digest(text.as_bytes())))
    .bind(at)
    .bind(from)
    .bind(channel.code())
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// The name, e-mail and optional mobile of a person staff register, each error on its field,
/// and their Ley 1581 authorization (`without_consent` when it is missing).
fn checked_person(
    person: &CustomerOnBehalf,
    without_consent: &str,
) -> Result<(String, String, String), AppError> {
    let full_name = validate::full_name(&person.full_name).map_err(|e| e.on(Field::FullName))?;
    let email = validate::email(&person.email).map_err(|e| e.on(Field::Email))?;
    let phone = if person.phone.trim().is_empty() {
        String::new()
    } else {
        validate::mobile(&person.phone).map_err(|e| e.on(Field::Phone))?
    };
    if !person.consent {
        return Err(AppError::invalid(Field::Consent, without_consent));
    }
    Ok((full_name, email, phone))
}

/// Adds a person who may sign in and file for an existing account (issue 19: "several
/// contacts per company account — a NIT with people who may file for it"), as staff register
/// them: the same checks as registering on the customer's behalf, the person's own Ley 1581
/// authorization through `channel`, and a link to create their password e-mailed in the
/// same transaction (no one can sign in with the account until then). An account whose web
/// access is blocked gets no new contact. Returns the new person's id.
pub async fn add_contact(
    state: &AppState,
    actor: &Actor<'_>,
    account_id: &str,
    channel: Channel,
    contact: CustomerOnBehalf,
) -> Result<String, AppError> {
    let (full_name, email, phone) = checked_person(
        &contact,
        "Autorización de datos: sin la autorización de la persona para tratar sus datos (Ley 1581) no se puede añadir como contacto.",
    )?;
    let mut tx = crate::platform::db::begin(&state.pool).await?;
    let account = sqlx::query(
        "SELECT a.name, (SELECT COUNT(*) FROM users u WHERE u.account_id = a.id) AS holders, \
         (SELECT COUNT(*) FROM users u WHERE u.account_id = a.id AND u.active = 1) AS active_holders \
         FROM accounts a WHERE a.id = $1",
    )
    .bind(account_id)
    .fetch_optional(&mut *tx)
    .await?
    .ok_or(AppError::NotFound)?;
    if account.get::<i64, _>("holders") > 0 && account.get::<i64, _>("active_holders") == 0 {
        return Err(AppError::Conflict(
            "El acceso al portal de este cliente está bloqueado: desbloquéelo antes de añadir contactos.".into(),
        ));
    }
    let taken = sqlx::query("SELECT 1 FROM users WHERE email = $1")
        .bind(&email)
        .fetch_optional(&mut *tx)
        .await?;
    if taken.is_some() {
        return Err(AppError::Conflict(DUPLICATE_EMAIL.into()));
    }
    let user_id = new_id();
    insert_user(
        &mut tx,
        &user_id,
        Some(account_id),
        Role::Cliente,
        &email,
        &full_name,
        &phone,
        "",
        &PasswordHashText(NO_PASSWORD.into()),
    )
    .await?;
    record_consent(&mut tx, state, &user_id, channel, actor.label, now()).await?;
    audit::record(
        &mut tx,
        actor,
        "contacto_agregado",
        "account",
        account_id,
        json!({ "contact": user_id, "name": full_name, "channel": channel.code() }),
    )
    .await?;
    password_links::issue(
        &mut tx,
        state,
        &user_id,
        &email,
        &full_name,
        password_links::Purpose::Create,
    )
    .await?;
    tx.commit().await.map_err(duplicate_or_internal)?;
    Ok(user_id)
}

/// A customer who calls, writes or comes in (or reaches another system) before having an
/// account, as an agent or an integration registers them.
#[derive(Debug, Clone, Default)]
pub struct CustomerOnBehalf {
    pub document_type: String,
    pub document_number: String,
    pub full_name: String,
    pub email: String,
    pub phone: String,
    /// The customer authorized the processing of their data (Ley 1581 art. 9) through the
    /// channel they are using; without it no account is created.
    pub consent: bool,
}

/// The document type and number as another person gives them (an agent, an integration):
/// checked as the registration form checks them, each error on its field.
fn checked_document(
    document_type: &str,
    document_number: &str,
) -> Result<(DocumentType, String), AppError> {
    let kind = DocumentType::from_code(document_type.trim()).ok_or_else(|| {
        AppError::invalid(
            Field::DocumentType,
            "Tipo de documento: elija uno de la lista.",
        )
    })?;
    if document_number.chars().count() > 20 {
        return Err(AppError::invalid(
            Field::DocumentNumber,
            "Número de documento: admite como máximo 20 caracteres.",
        ));
    }
    let document = validate_document(kind, document_number).map_err(|e| {
        AppError::invalid(Field::DocumentNumber, format!("Número de documento: {e}"))
    })?;
    Ok((kind, document))
}

/// What an account is found by: the document type's code and the normalized number, after
/// checking both as the registration form does.
pub fn document_lookup_key(
    document_type: &str,
    document_number: &str,
) -> Result<(&'static str, String), AppError> {
    let (kind, document) = checked_document(document_type, document_number)?;
    Ok((kind.code(), validate::document_key(&document)))
}

/// The account with this document that someone holds, if there is one (an account imported
/// from the ERP that nobody holds yet is registered, not filed for).
pub async fn find_customer(
    pool: &sqlx::AnyPool,
    document_type: &str,
    document_number: &str,
) -> Result<Option<String>, AppError> {
    let (kind, key) = document_lookup_key(document_type, document_number)?;
    Ok(sqlx::query(
        "SELECT a.id FROM accounts a WHERE a.document_type = $1 AND a.document_key = $2 \
             AND EXISTS (SELECT 1 FROM users h WHERE h.account_id = a.id)",
    )
    .bind(kind)
    .bind(key)
    .fetch_optional(pool)
    .await?
    .map(|row| row.get("id")))
}

/// Creates a customer's account on their behalf (an agent on the phone, an integration's own
/// form). The consent is recorded as given through `channel`; the account has no password
/// until the customer sets one with the link e-mailed to them in the same transaction
/// ([`password_links`]), so nobody can sign in with it meanwhile. Returns the account id.
pub async fn register_on_behalf(
    state: &AppState,
    actor: &Actor<'_>,
    channel: Channel,
    form: CustomerOnBehalf,
) -> Result<String, AppError> {
    let (kind, document) = checked_document(&form.document_type, &form.document_number)?;
    let (full_name, email, phone) = checked_person(
        &form,
        "Autorización de datos: sin la autorización del cliente para tratar sus datos (Ley 1581) no se puede crear la cuenta.",
    )?;
    let mut tx = crate::platform::db::begin(&state.pool).await?;
    let (account_id, user_id) = insert_customer(
        &mut tx,
        state,
        NewCustomer {
            kind,
            document: &document,
            full_name: &full_name,
            email: &email,
            phone: &phone,
            address: "",
            password_hash: &PasswordHashText(NO_PASSWORD.into()),
            consent_channel: channel,
            consent_from: actor.label,
        },
    )
    .await?;
    audit::record(
        &mut tx,
        actor,
        "cuenta_registrada",
        "account",
        &account_id,
        json!({ "document_type": kind.code(), "policy_version": DATA_POLICY_VERSION, "channel": channel.code() }),
    )
    .await?;
    // The welcome e-mail of an account made for the customer carries the link to create
    // its password: until then nobody can sign in with it.
    password_links::issue(
        &mut tx,
        state,
        &user_id,
        &email,
        &full_name,
        password_links::Purpose::Create,
    )
    .await?;
    tx.commit().await.map_err(duplicate_or_internal)?;
    Ok(account_id)
}

/// Not a PHC hash, so no password ever verifies against it (see `password::verify`).
const NO_PASSWORD: &str = "sin-clave";

async fn insert_user(
    tx: &mut crate::platform::db::Tx,
    id: &str,
    account_id: Option<&str>,
    role: Role,
    email: &str,
    full_name: &str,
    phone: &str,
    address: &str,
    password_hash: &PasswordHashText,
) -> Result<(), AppError> {
    let at = now();
    sqlx::query(
        "INSERT INTO users (id, account_id, role, email, full_name, phone, address, password_hash, active, created_at, updated_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, 1, $9, $9)",
    )
    .bind(id)
    .bind(account_id)
    .bind(role.code())
    .bind(email)
    .bind(full_name)
    .bind(phone)
    .bind(address)
    .bind(&password_hash.0)
    .bind(at)
    .execute(&mut **tx)
    .await
    .map_err(duplicate_or_internal)?;
    Ok(())
}

/// A unique-constraint race becomes the same 409 the pre-check gives.
fn duplicate_or_internal(err: sqlx::Error) -> AppError {
    on_constraint(err, |name| {
        if name.contains("email") {
            Some(AppError::Conflict(DUPLICATE_EMAIL.into()))
        } else if name.contains("document") {
            Some(AppError::Conflict(DUPLICATE_DOCUMENT.into()))
        } else {
            None
        }
    })
}

/// Signs in with a document number or an e-mail. Failed attempts are counted per login and
/// per client IP over a sliding window; past the limit the attempt is refused before the
/// password is even checked. The message never says which half was wrong.
pub async fn sign_in(
    state: &AppState,
    login: &str,
    password: &str,
) -> Result<SessionUser, AppError> {
    let login = login.trim();
    if login.is_empty() || password.is_empty() {
        return Err(AppError::validation(
            "Escriba su documento o correo y su contraseña.",
        ));
    }
    if login.chars().count() > 254 || password.chars().count() > validate::PASSWORD_MAX {
        return Err(AppError::validation(
            "Documento, correo o contraseña incorrectos.",
        ));
    }
    let login_key = if login.contains('@') {
        login.to_lowercase()
    } else {
        validate::document_key(login)
    };
    let ip = session::client_ip();
    let since = now() - state.config.sign_in_window_minutes * 60;
    let failures_for = |column: &'static str, value: String| {
        let pool = state.pool.clone();
        async move {
            let sql = format!(
                "SELECT COUNT(*) AS n FROM sign_in_attempts WHERE {column} = $1 AND succeeded = 0 AND attempted_at > $2"
            );
            sqlx::query(&sql)
                .bind(value)
                .bind(since)
                .fetch_one(&pool)
                .await
                .map(|row| row.get::<i64, _>("n"))
                .map_err(internal)
        }
    };
    // The attempt is recorded (as failed) and committed before it is judged, and the count
    // includes it: of any number of parallel guesses, the n-th to commit sees at least n, so
    // at most the limit ever reach the password check. A refused attempt is taken back, so
    // knocking on a locked door does not extend the lock.
    let attempt_id = new_id();
    let mut tx = crate::platform::db::begin(&state.pool).await?;
    sqlx::query(
        "INSERT INTO sign_in_attempts (id, login_key, client_ip, succeeded, attempted_at) VALUES ($1, $2, $3, 0, $4)",
    )
    .bind(&attempt_id)
    .bind(&login_key)
    .bind(&ip)
    .bind(now())
    .execute(&mut *tx)
    .await?;
    tx.commit().await?;
    if failures_for("login_key", login_key.clone()).await? > state.config.max_failures_per_account
        || failures_for("client_ip", ip.clone()).await? > state.config.max_failures_per_ip
    {
        sqlx::query("DELETE FROM sign_in_attempts WHERE id = $1")
            .bind(&attempt_id)
            .execute(&state.pool)
            .await?;
        return Err(AppError::RateLimited);
    }

    // Inactive users are found too: with the right password they are told their access is
    // off (`staff_access`), with a wrong one they read what everyone reads.
    let query = if login.contains('@') {
        "SELECT u.id, u.full_name, u.email, u.role, u.password_hash, u.active FROM users u \
         WHERE u.email = $1"
    } else {
        "SELECT u.id, u.full_name, u.email, u.role, u.password_hash, u.active FROM users u \
         JOIN accounts a ON a.id = u.account_id WHERE a.document_key = $1 \
         ORDER BY u.active DESC, u.created_at LIMIT 1"
    };
    let row = sqlx::query(query)
        .bind(&login_key)
        .fetch_optional(&state.pool)
        .await?;
    let candidate = row.map(|row| {
        (
            row.get::<String, _>("id"),
            row.get::<String, _>("full_name"),
            row.get::<String, _>("email"),
            row.get::<String, _>("role"),
            row.get::<i64, _>("active") == 1,
            PasswordHashText(row.get::<String, _>("password_hash")),
        )
    });
    let verified = match &candidate {
        Some((.., hash)) => password::verify_off_thread(password, hash).await,
        None => {
            password::verify_off_thread(password, password::decoy()).await;
            false
        }
    };

    let user = match candidate {
        // The attempt stays recorded as failed: it opened nothing.
        Some((_, _, _, role, false, _)) if verified => {
            return Err(AppError::validation(
                crate::accounts::server::staff_access::switched_off_message(&role),
            ))
        }
        Some((id, full_name, email, role, true, _)) if verified => SessionUser {
            role: Role::from_code(&role).ok_or(AppError::Internal)?,
            id,
            full_name,
            email,
        },
        // The attempt stays recorded as failed.
        _ => {
            return Err(AppError::validation(
                "Documento, correo o contraseña incorrectos.",
            ))
        }
    };
    let mut tx = crate::platform::db::begin(&state.pool).await?;
    sqlx::query("UPDATE sign_in_attempts SET succeeded = 1 WHERE id = $1")
        .bind(&attempt_id)
        .execute(&mut *tx)
        .await?;
    audit::record(
        &mut tx,
        &Actor::user(&user.id, &user.full_name),
        "sesion_iniciada",
        "user",
        &user.id,
        json!({ "ip": ip }),
    )
    .await?;
    session::start(&mut tx, state, &user.id).await?;
    tx.commit().await?;
    Ok(user)
}

pub async fn profile(state: &AppState, user: &SessionUser) -> Result<Profile, AppError> {
    let row = sqlx::query(
        "SELECT u.full_name, u.email, u.phone, u.address, a.document_type, a.document_number, a.name AS account_name \
         FROM users u LEFT JOIN accounts a ON a.id = u.account_id WHERE u.id = $1",
    )
    .bind(&user.id)
    .fetch_optional(&state.pool)
    .await?
    .ok_or(AppError::NotFound)?;
    let document = match (
        row.get::<Option<String>, _>("document_type"),
        row.get::<Option<String>, _>("document_number"),
    ) {
        (Some(kind), Some(number)) => Some(format!("{kind} {number}")),
        _ => None,
    };
    Ok(Profile {
        full_name: row.get("full_name"),
        email: row.get("email"),
        phone: row.get("phone"),
        address: row.get("address"),
        document,
        account_name: row.get("account_name"),
        pending_email: crate::accounts::server::email_change::pending(state, &user.id).await?,
    })
}

/// Seed 002 §5.2.4: the customer keeps name, address, phone and e-mail up to date.
pub async fn update_profile(
    state: &AppState,
    user: &SessionUser,
    full_name: &str,
    email: &str,
    phone: &str,
    address: &str,
    current_password: &str,
) -> Result<Profile, AppError> {
    let full_name = validate::full_name(full_name)?;
    let email = validate::email(email)?;
    let phone = if user.role.is_staff() && phone.trim().is_empty() {
        String::new()
    } else {
        validate::mobile(phone)?
    };
    let address = if user.role.is_staff() && address.trim().is_empty() {
        String::new()
    } else {
        validate::address(address)?
    };
    let mut tx = crate::platform::db::begin(&state.pool).await?;
    let clash = sqlx::query("SELECT 1 FROM users WHERE email = $1 AND id <> $2")
        .bind(&email)
        .bind(&user.id)
        .fetch_optional(&mut *tx)
        .await?;
    if clash.is_some() {
        return Err(AppError::Conflict(DUPLICATE_EMAIL.into()));
    }
    // A new e-mail waits for its owner to confirm it; the rest changes now.
    let current_email: String = sqlx::query("SELECT email FROM users WHERE id = $1")
        .bind(&user.id)
        .fetch_one(&mut *tx)
        .await?
        .get("email");
    let email_changed = email != current_email;
    if email_changed {
        crate::accounts::server::email_change::request(
            &mut tx,
            state,
            user,
            &email,
            current_password,
        )
        .await?;
    }
    sqlx::query(
        "UPDATE users SET full_name = $1, phone = $2, address = $3, updated_at = $4 WHERE id = $5",
    )
    .bind(&full_name)
    .bind(&phone)
    .bind(&address)
    .bind(now())
    .bind(&user.id)
    .execute(&mut *tx)
    .await
    .map_err(duplicate_or_internal)?;
    audit::record(
        &mut tx,
        &Actor::user(&user.id, &full_name),
        "perfil_actualizado",
        "user",
        &user.id,
        json!({ "email_change_requested": email_changed }),
    )
    .await?;
    tx.commit().await.map_err(duplicate_or_internal)?;
    profile(state, user).await
}

/// Changes the password after checking the current one, and ends every other session.
pub async fn change_password(
    state: &AppState,
    user: &SessionUser,
    current: &str,
    new: &str,
    confirmation: &str,
) -> Result<(), AppError> {
    validate::password(new)?;
    if new != confirmation {
        return Err(AppError::validation(
            "La confirmación no coincide con la contraseña nueva.",
        ));
    }
    let stored: String = sqlx::query("SELECT password_hash FROM users WHERE id = $1")
        .bind(&user.id)
        .fetch_one(&state.pool)
        .await?
        .get("password_hash");
    if current.chars().count() > validate::PASSWORD_MAX
        || !password::verify_off_thread(current, &PasswordHashText(stored)).await
    {
        return Err(AppError::validation("La contraseña actual no es correcta."));
    }
    let hashed = password::hash_off_thread(new).await;
    let mut tx = crate::platform::db::begin(&state.pool).await?;
    sqlx::query("UPDATE users SET password_hash = $1, updated_at = $2 WHERE id = $3")
        .bind(&hashed.0)
        .bind(now())
        .bind(&user.id)
        .execute(&mut *tx)
        .await?;
    sqlx::query("DELETE FROM sessions WHERE user_id = $1")
        .bind(&user.id)
        .execute(&mut *tx)
        .await?;
    audit::record(
        &mut tx,
        &Actor::user(&user.id, &user.full_name),
        "contrasena_cambiada",
        "user",
        &user.id,
        json!({}),
    )
    .await?;
    session::start(&mut tx, state, &user.id).await?;
    tx.commit().await?;
    Ok(())
}

/// Creates a staff user. Called by an admin from the UI and by `ventanilla user create`
/// (with `actor` = the system), so a fresh install can bootstrap its first admin.
pub async fn create_staff(
    pool: &sqlx::AnyPool,
    actor: &Actor<'_>,
    role: Role,
    full_name: &str,
    email: &str,
    password: &str,
) -> Result<StaffMember, AppError> {
    if !role.is_staff() {
        return Err(AppError::validation(
            "Elija un rol de equipo: asesor, especialista, calidad, supervisor o administrador.",
        ));
    }
    let full_name = validate::full_name(full_name)?;
    let email = validate::email(email)?;
    validate::password(password)?;
    let hashed = password::hash_off_thread(password).await;
    let id = new_id();
    let mut tx = crate::platform::db::begin(pool).await?;
    let taken = sqlx::query("SELECT 1 FROM users WHERE email = $1")
        .bind(&email)
        .fetch_optional(&mut *tx)
        .await?;
    if taken.is_some() {
        return Err(AppError::Conflict(DUPLICATE_EMAIL.into()));
    }
    insert_user(
        &mut tx, &id, None, role, &email, &full_name, "", "", &hashed,
    )
    .await?;
    audit::record(
        &mut tx,
        actor,
        "usuario_creado",
        "user",
        &id,
        json!({ "role": role.code(), "email": email }),
    )
    .await?;
    tx.commit().await.map_err(duplicate_or_internal)?;
    Ok(StaffMember {
        id,
        full_name,
        email,
        role,
        active: true,
        review_all: false,
        me: false,
    })
}

/// The staff member with this e-mail, if any (the API filters by assignee e-mail).
pub async fn staff_id_by_email(
    pool: &sqlx::AnyPool,
    email: &str,
) -> Result<Option<String>, AppError> {
    Ok(
        sqlx::query("SELECT id FROM users WHERE email = $1 AND account_id IS NULL")
            .bind(email.trim().to_lowercase())
            .fetch_optional(pool)
            .await?
            .map(|row| row.get("id")),
    )
}

/// The staff users for the admin `me`, by name.
pub async fn list_staff(pool: &sqlx::AnyPool, me: &str) -> Result<Vec<StaffMember>, AppError> {
    let rows = sqlx::query(
        "SELECT id, full_name, email, role, active, review_all FROM users WHERE account_id IS NULL \
         ORDER BY full_name",
    )
    .fetch_all(pool)
    .await?;
    Ok(rows
        .into_iter()
        .filter_map(|row| {
            Some(StaffMember {
                id: row.get("id"),
                full_name: row.get("full_name"),
                email: row.get("email"),
                role: Role::from_code(&row.get::<String, _>("role"))?,
                active: row.get::<i64, _>("active") == 1,
                review_all: row.get::<i64, _>("review_all") == 1,
                me: row.get::<String, _>("id") == me,
            })
        })
        .collect())
}
