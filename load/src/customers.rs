//! The customer search at scale (issue 19 "Proof": p99 ≤ 20 ms with 100,000 accounts and
//! 1,000,000 requests on both databases).
//!
//! `customers` seeds the accounts, their users and their requests in bulk; `search` then
//! times `customers::server::directory::search` — the work of the server function behind
//! `/equipo/clientes`, SQL and mapping, without HTTP — for the four ways people search.

use std::time::{Duration, Instant};

use sqlx::Row;
use ventanilla_app::accounts::server::name_words;
use ventanilla_app::customers::server::directory;
use ventanilla_app::platform::db;

use crate::{report, Failure};

const FIRST: [&str; 12] = [
    "María", "José", "Luis", "Ana", "Carlos", "Diana", "Jorge", "Paola", "Andrés", "Laura",
    "Camilo", "Sandra",
];
const LAST: [&str; 12] = [
    "Rojas",
    "Gómez",
    "Pérez",
    "Rodríguez",
    "Martínez",
    "López",
    "García",
    "Vargas",
    "Ortiz",
    "Moreno",
    "Castro",
    "Ramírez",
];

fn name_of(n: usize) -> String {
    format!(
        "{} {} {} {n}",
        FIRST[n % FIRST.len()],
        LAST[(n / 7) % LAST.len()],
        LAST[(n / 3) % LAST.len()]
    )
}

/// Runs one multi-row INSERT of `rows` rows of `columns` values each (text, integer or null).
async fn insert_rows(
    tx: &mut db::Tx,
    table_and_columns: &str,
    columns: usize,
    rows: usize,
    values: Vec<Vec<serde_json::Value>>,
) -> Result<(), Failure> {
    let placeholders: Vec<String> = (0..rows)
        .map(|row| {
            let cells: Vec<String> = (1..=columns)
                .map(|column| format!("${}", row * columns + column))
                .collect();
            format!("({})", cells.join(", "))
        })
        .collect();
    let sql = format!(
        "INSERT INTO {table_and_columns} VALUES {}",
        placeholders.join(", ")
    );
    let mut insert = sqlx::query(&sql);
    for row in values {
        for value in row {
            insert = match value {
                serde_json::Value::String(text) => insert.bind(text),
                serde_json::Value::Number(number) => insert.bind(number.as_i64()),
                _ => insert.bind(None::<i64>),
            };
        }
    }
    insert.execute(&mut **tx).await?;
    Ok(())
}

/// Seeds `accounts` customer accounts (one user each) and `per_account` closed and open
/// requests for each.
pub async fn seed(url: &str, accounts: usize, per_account: usize) -> Result<(), Failure> {
    use serde_json::json;
    let started = Instant::now();
    let pool = ventanilla_app::startup::open_database(url).await?;
    let now = db::now();
    const BATCH: usize = 500;
    let mut done = 0;
    while done < accounts {
        let batch = BATCH.min(accounts - done);
        let mut tx = db::begin(&pool).await.map_err(|e| format!("{e:?}"))?;
        let mut account_rows = Vec::with_capacity(batch);
        let mut user_rows = Vec::with_capacity(batch);
        let mut request_rows = Vec::new();
        for n in done..done + batch {
            let account = format!("bench-account-{n:07}");
            let user = format!("bench-user-{n:07}");
            let document = format!("{}", 10_000_000 + n);
            let contract = if n.is_multiple_of(3) {
                json!(null)
            } else {
                json!(((n % 50) as i64 + 1) * 100_000)
            };
            account_rows.push(vec![
                json!(account),
                json!("CC"),
                json!(document),
                json!(document),
                json!(name_of(n)),
                json!(if n.is_multiple_of(10) {
                    "pyme"
                } else {
                    "normal"
                }),
                json!(if n.is_multiple_of(4) {
                    "empresa"
                } else {
                    "hogar"
                }),
                contract,
                json!(if n.is_multiple_of(20) {
                    "cancelado"
                } else {
                    "activo"
                }),
                json!(now),
            ]);
            user_rows.push(vec![
                json!(user),
                json!(account),
                json!("cliente"),
                json!(format!("cliente{n}@bench.ventanilla.co")),
                json!(name_of(n)),
                json!(format!("+573{:09}", n)),
                json!("sin-clave"),
                json!(now),
                json!(now),
            ]);
            for r in 0..per_account {
                let k = n * per_account + r;
                let open = k.is_multiple_of(10);
                request_rows.push(vec![
                    json!(format!("bench-request-{k:08}")),
                    json!(format!("2019-{k:07}")),
                    json!(account),
                    json!(user),
                    json!("reclamo"),
                    json!(format!("Solicitud {k}")),
                    json!("Texto sembrado para la prueba de búsqueda de clientes."),
                    json!("media"),
                    json!("portal"),
                    json!(if open { "radicada" } else { "cerrada" }),
                    json!("regular"),
                    json!(1),
                    json!(now - (k as i64 % 31_536_000)),
                    json!(now),
                    json!(now),
                ]);
            }
        }
        insert_rows(
            &mut tx,
            "accounts (id, document_type, document_number, document_key, name, kind, segment, \
             monthly_contract_cop, service_status, created_at)",
            10,
            batch,
            account_rows,
        )
        .await?;
        let word_rows: Vec<Vec<serde_json::Value>> = (done..done + batch)
            .flat_map(|n| {
                let account = format!("bench-account-{n:07}");
                name_words::words(&name_of(n))
                    .into_iter()
                    .map(move |word| vec![json!(word), json!(account.clone())])
            })
            .collect();
        insert_rows(
            &mut tx,
            "account_name_words (word, account_id)",
            2,
            word_rows.len(),
            word_rows,
        )
        .await?;
        let rows = user_rows.len();
        insert_rows(
            &mut tx,
            "users (id, account_id, role, email, full_name, phone, password_hash, created_at, updated_at)",
            9,
            rows,
            user_rows,
        )
        .await?;
        for chunk in request_rows.chunks(BATCH) {
            insert_rows(
                &mut tx,
                "requests (id, radicado, account_id, created_by, request_type, subject, description, \
                 priority, channel, state, tier, ans_guaranteed, received_at, created_at, updated_at)",
                15,
                chunk.len(),
                chunk.to_vec(),
            )
            .await?;
        }
        tx.commit().await?;
        done += batch;
    }
    if url.starts_with("postgres") {
        sqlx::query("VACUUM ANALYZE").execute(&pool).await?;
    } else {
        sqlx::query("ANALYZE").execute(&pool).await?;
    }
    let count = |table: &'static str| {
        let pool = pool.clone();
        async move {
            sqlx::query(&format!("SELECT COUNT(*) AS n FROM {table}"))
                .fetch_one(&pool)
                .await
                .map(|row| row.get::<i64, _>("n"))
        }
    };
    println!(
        "sembradas {accounts} cuentas y {} solicitudes en {:.1} s; en la base: {} cuentas, {} solicitudes",
        accounts * per_account,
        started.elapsed().as_secs_f64(),
        count("accounts").await?,
        count("requests").await?,
    );
    Ok(())
}

/// The words of the i-th search of one kind.
type Words = Box<dyn Fn(usize) -> String>;

/// Times `rounds` searches of each kind over the seeded accounts, after a warm-up.
pub async fn search(url: &str, rounds: usize) -> Result<(), Failure> {
    let pool = ventanilla_app::startup::open_database(url).await?;
    let tiers = ventanilla::tier::TierPolicy::default();
    let accounts: i64 = sqlx::query("SELECT COUNT(*) AS n FROM accounts WHERE id LIKE 'bench-%'")
        .fetch_one(&pool)
        .await?
        .get("n");
    if accounts == 0 {
        return Err("siembre primero: ventanilla-load customers URL".into());
    }
    let pick = move |i: usize| (i * 7919 + 13) % accounts as usize;
    let kinds: [(&str, Words); 7] = [
        (
            "documento",
            Box::new(move |i| format!("{}", 10_000_000 + pick(i))),
        ),
        (
            "correo",
            Box::new(move |i| format!("cliente{}@bench.ventanilla.co", pick(i))),
        ),
        ("celular", Box::new(move |i| format!("3{:09}", pick(i)))),
        (
            "parte del nombre",
            Box::new(move |i| {
                let n = pick(i);
                format!("{} {n}", LAST[(n / 3) % LAST.len()].to_lowercase())
            }),
        ),
        // One account in six has it: thousands of matches, the 50 first by name shown.
        (
            "apellido común",
            Box::new(move |i| LAST[i % 4].to_lowercase()),
        ),
        (
            "nombre y apellido",
            Box::new(move |i| {
                format!("{} {}", FIRST[i % FIRST.len()], LAST[i % LAST.len()]).to_lowercase()
            }),
        ),
        (
            "dos letras",
            Box::new(move |i| ["ma", "ro", "ca", "lu"][i % 4].to_string()),
        ),
    ];
    for (label, words) in &kinds {
        for i in 0..10 {
            directory::search(&pool, &tiers, &words(i)).await?;
        }
        let mut times: Vec<Duration> = Vec::with_capacity(rounds);
        let mut found = 0;
        for i in 0..rounds {
            let started = Instant::now();
            let rows = directory::search(&pool, &tiers, &words(i + 10)).await?;
            times.push(started.elapsed());
            found += usize::from(!rows.is_empty());
        }
        println!("búsqueda por {label} ({found}/{rounds} con resultado):");
        report(&mut times);
    }
    Ok(())
}
