//! The operator subcommands of the real `ventanilla` binary (operations requirement), checked against the
//! tables and worked examples of REFERENCE.md.

use std::process::Command;

fn ventanilla(args: &[&str]) -> (i32, String, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_ventanilla"))
        .args(args)
        .output()
        .expect("the binary runs");
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).to_string(),
        String::from_utf8_lossy(&out.stderr).to_string(),
    )
}

#[test]
fn holidays_of_2026_one_per_line_and_nothing_else() {
    let (code, stdout, _) = ventanilla(&["calendar", "holidays", "2026"]);
    assert_eq!(code, 0);
    let expected = [
        "2026-01-01",
        "2026-01-12",
        "2026-03-23",
        "2026-04-02",
        "2026-04-03",
        "2026-05-01",
        "2026-05-18",
        "2026-06-08",
        "2026-06-15",
        "2026-06-29",
        "2026-07-13",
        "2026-07-20",
        "2026-08-07",
        "2026-08-17",
        "2026-10-12",
        "2026-11-02",
        "2026-11-16",
        "2026-12-08",
        "2026-12-25",
    ];
    assert_eq!(stdout.lines().collect::<Vec<_>>(), expected);
}

#[test]
fn legal_due_dates_follow_the_reference_examples() {
    for (received, days, due) in [
        ("2026-07-03T10:00:00-05:00", "15", "2026-07-28"),
        ("2026-07-03T10:00:00-05:00", "10", "2026-07-21"),
        ("2026-07-03T10:00:00-05:00", "30", "2026-08-20"),
        ("2025-12-19T10:00:00-05:00", "15", "2026-01-14"),
        ("2026-03-30T10:00:00-05:00", "15", "2026-04-22"),
        ("2025-06-20T10:00:00-05:00", "10", "2025-07-08"),
    ] {
        let (code, stdout, stderr) = ventanilla(&[
            "calendar",
            "due",
            "--received",
            received,
            "--business-days",
            days,
        ]);
        assert_eq!(code, 0, "{stderr}");
        assert_eq!(stdout, format!("{due}\n"), "{received} + {days}");
    }
}

#[test]
fn business_hours_due_is_printed_in_bogota_time() {
    // Friday 16:00 + 8 business hours: 2 h on Friday, 6 h on Monday (08:00–14:00).
    let (code, stdout, _) = ventanilla(&[
        "calendar",
        "due",
        "--start",
        "2026-03-06T16:00:00-05:00",
        "--business-hours",
        "8",
    ]);
    assert_eq!(code, 0);
    assert_eq!(stdout, "2026-03-09T14:00:00-05:00\n");
    // Received on a holiday Monday (2026-03-23, San José): counting starts Tuesday 08:00.
    let (_, stdout, _) = ventanilla(&[
        "calendar",
        "due",
        "--start",
        "2026-03-23T11:00:00Z",
        "--business-hours",
        "2",
    ]);
    assert_eq!(stdout, "2026-03-24T10:00:00-05:00\n");
}

#[test]
fn bad_arguments_explain_themselves_and_fail() {
    for args in [
        vec!["calendar", "holidays", "dos mil"],
        vec!["calendar", "holidays", "1700"],
        vec![
            "calendar",
            "due",
            "--start",
            "ayer",
            "--business-hours",
            "8",
        ],
        vec!["calendar", "due", "--received", "2026-03-02T09:00:00-05:00"],
        vec!["calendar", "eclipse"],
    ] {
        let (code, stdout, stderr) = ventanilla(&args);
        assert_eq!(code, 2, "{args:?}");
        assert!(stdout.is_empty());
        assert!(stderr.starts_with("Error: "), "{stderr}");
        assert!(stderr.contains("Uso:"));
    }
}

fn ventanilla_on(database_url: &str, args: &[&str]) -> (i32, String, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_ventanilla"))
        .args(args)
        .env("DATABASE_URL", database_url)
        .env("RUST_LOG", "warn")
        .output()
        .expect("the binary runs");
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).to_string(),
        String::from_utf8_lossy(&out.stderr).to_string(),
    )
}

#[test]
fn user_create_bootstraps_the_first_admin_once() {
    let dir = crate::support::TempDir::new();
    let url = format!("sqlite://{}/cli.db", dir.0.display());
    let create = [
        "user",
        "create",
        "--role",
        "admin",
        "--email",
        "jefe@empresa.co",
        "--name",
        "Jefa de Servicio",
        "--password",
        "una-clave-larga",
    ];
    let (code, stdout, stderr) = ventanilla_on(&url, &create);
    assert_eq!(code, 0, "{stderr}");
    assert_eq!(
        stdout,
        "Usuario creado: Jefa de Servicio <jefe@empresa.co> (Administrador)\n"
    );
    let (code, _, stderr) = ventanilla_on(&url, &create);
    assert_eq!(code, 1);
    assert!(
        stderr.contains("Ya existe una cuenta con ese correo electrónico."),
        "{stderr}"
    );
    let (code, _, stderr) = ventanilla_on(
        &url,
        &[
            "user",
            "create",
            "--role",
            "admin",
            "--email",
            "x@empresa.co",
            "--name",
            "X Y",
            "--password",
            "corta",
        ],
    );
    assert_eq!(code, 1);
    assert!(stderr.contains("al menos 8"), "{stderr}");
}

#[test]
fn survey_import_keys_need_a_responsible_supervisor_or_admin() {
    let dir = crate::support::TempDir::new();
    let url = format!("sqlite://{}/cli.db", dir.0.display());
    let (code, _, stderr) = ventanilla_on(
        &url,
        &[
            "user",
            "create",
            "--role",
            "supervisor",
            "--email",
            "sofia@empresa.co",
            "--name",
            "Sofía Supervisora",
            "--password",
            "una-clave-larga",
        ],
    );
    assert_eq!(code, 0, "{stderr}");
    let key = |extra: &[&'static str]| {
        let mut args = vec![
            "apikey",
            "create",
            "--name",
            "BI nocturno",
            "--scopes",
            "surveys:import",
        ];
        args.extend_from_slice(extra);
        ventanilla_on(&url, &args)
    };
    let (code, stdout, stderr) = key(&[]);
    assert_eq!(code, 1);
    assert!(stdout.is_empty());
    assert!(stderr.contains("--responsable"), "{stderr}");
    let (code, _, stderr) = key(&["--responsable", "nadie@empresa.co"]);
    assert_eq!(code, 1);
    assert!(stderr.contains("nadie@empresa.co"), "{stderr}");
    let (code, stdout, stderr) = key(&["--responsable", "sofia@empresa.co"]);
    assert_eq!(code, 0, "{stderr}");
    assert!(stdout.trim().starts_with("vnt_"), "{stdout}");
}

#[test]
fn demo_loads_once_and_prints_the_logins() {
    let dir = crate::support::TempDir::new();
    let url = format!("sqlite://{}/demo.db", dir.0.display());
    for _ in 0..2 {
        let (code, stdout, stderr) = ventanilla_on(&url, &["demo"]);
        assert_eq!(code, 0, "{stderr}");
        assert!(stdout.contains("contraseña: Ventanilla2026"));
        assert!(
            stdout.contains("admin@demo.ventanilla.co")
                && stdout.contains("vip@demo.ventanilla.co")
        );
    }
}

#[test]
fn an_unreachable_database_stops_start_up_with_a_message() {
    let (code, stdout, stderr) = ventanilla_on("postgres://nadie@127.0.0.1:1/nada", &["migrate"]);
    assert_eq!(code, 1);
    assert!(stdout.is_empty());
    assert!(
        stderr.contains("Error: no se pudo conectar a la base de datos"),
        "{stderr}"
    );
}

#[test]
fn the_server_shuts_down_gracefully_on_sigterm() {
    use std::io::{Read, Write};
    let dir = crate::support::TempDir::new();
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let mut child = Command::new(env!("CARGO_BIN_EXE_ventanilla"))
        .arg("serve")
        .env(
            "DATABASE_URL",
            format!("sqlite://{}/serve.db", dir.0.display()),
        )
        .env("LEPTOS_SITE_ADDR", format!("127.0.0.1:{port}"))
        .env("RUST_LOG", "warn")
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(30);
    let health = loop {
        if let Ok(mut stream) = std::net::TcpStream::connect(("127.0.0.1", port)) {
            stream
                .write_all(b"GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n")
                .unwrap();
            let mut reply = String::new();
            stream.read_to_string(&mut reply).unwrap();
            break reply;
        }
        assert!(
            std::time::Instant::now() < deadline,
            "the server never answered"
        );
        std::thread::sleep(std::time::Duration::from_millis(100));
    };
    assert!(health.starts_with("HTTP/1.1 200"), "{health}");
    let killed = Command::new("kill")
        .args(["-TERM", &child.id().to_string()])
        .status()
        .unwrap();
    assert!(killed.success());
    let status = child.wait().unwrap();
    assert!(
        status.success(),
        "a SIGTERM ends the server cleanly: {status}"
    );
}

#[test]
fn configured_non_working_days_and_saturdays_change_the_dues() {
    let due = |days: &str, saturday: &str| {
        let out = Command::new(env!("CARGO_BIN_EXE_ventanilla"))
            .args([
                "calendar",
                "due",
                "--start",
                "2026-03-06T16:00:00-05:00",
                "--business-hours",
                "8",
            ])
            .env("VENTANILLA_NON_WORKING_DAYS", days)
            .env("VENTANILLA_SATURDAY_HOURS", saturday)
            .output()
            .unwrap();
        (
            out.status.code().unwrap_or(-1),
            String::from_utf8_lossy(&out.stdout).trim().to_string(),
            String::from_utf8_lossy(&out.stderr).to_string(),
        )
    };
    // Default: 2 h on Friday, 6 h on Monday.
    assert_eq!(due("", "").1, "2026-03-09T14:00:00-05:00");
    // Monday 9 March declared a día cívico: the 6 hours move to Tuesday.
    assert_eq!(due("2026-03-09", "").1, "2026-03-10T14:00:00-05:00");
    // Open Saturdays 08:00–12:00: 2 h Friday, 4 h Saturday, 2 h Monday.
    assert_eq!(due("", "08:00-12:00").1, "2026-03-09T10:00:00-05:00");
    let (code, stdout, stderr) = due("9 de marzo", "");
    assert_eq!(code, 2);
    assert!(
        stdout.is_empty() && stderr.contains("día no hábil inválido"),
        "{stderr}"
    );
}
