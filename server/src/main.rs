//! `ventanilla`: serves the app, or runs an operator subcommand (see `cli::USAGE`).

use std::net::SocketAddr;
use std::process::ExitCode;

use tracing_subscriber::EnvFilter;
use ventanilla_app::platform::audit::Actor;
use ventanilla_app::platform::config::Config;
use ventanilla_app::{accounts::server::accounts, dev::demo};
use ventanilla_server::cli::{self, Command};
use ventanilla_server::{app_state, leptos_options, router};

#[tokio::main]
async fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    // The installation's business hours: version 1 of the ANS on a fresh install, and what
    // the calendar subcommands count on. Unreadable ones stop everything, CLI included.
    let business_hours = match ventanilla_app::platform::config::parse_business_hours(
        &std::env::var("VENTANILLA_NON_WORKING_DAYS").unwrap_or_default(),
        &std::env::var("VENTANILLA_SATURDAY_HOURS").unwrap_or_default(),
    ) {
        Ok(hours) => hours,
        Err(message) => {
            eprintln!("Error: {message}");
            return ExitCode::from(2);
        }
    };
    if let Err(message) = ventanilla_app::platform::config::weekday(
        &std::env::var("VENTANILLA_FAILURE_REPORT_DAY").unwrap_or_else(|_| "lunes".into()),
    ) {
        eprintln!("Error: VENTANILLA_FAILURE_REPORT_DAY: {message}");
        return ExitCode::from(2);
    }
    let command = match cli::parse(&args) {
        Ok(command) => command,
        Err(message) => {
            eprintln!("Error: {message}\n\n{}", cli::USAGE);
            return ExitCode::from(2);
        }
    };
    if let Some(lines) = cli::calendar_output(&command, &business_hours) {
        for line in lines {
            println!("{line}");
        }
        return ExitCode::SUCCESS;
    }
    if command == Command::Help {
        println!("{}", cli::USAGE);
        return ExitCode::SUCCESS;
    }
    tracing_subscriber::fmt()
        .with_env_filter(
            EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new("info,sqlx=warn")),
        )
        .with_writer(std::io::stderr)
        .init();
    // A typo in the proxy list must not silently trust nobody, or the wrong host.
    if let Err(message) = ventanilla_app::platform::client_address::parse_trusted(
        &std::env::var("VENTANILLA_TRUSTED_PROXIES").unwrap_or_default(),
    ) {
        eprintln!("Error: {message}");
        return ExitCode::FAILURE;
    }
    let config = Config::from_env();
    let pool = match ventanilla_app::startup::open_database_with(
        &config.database_url,
        &config.business_hours,
    )
    .await
    {
        Ok(pool) => pool,
        Err(err) => {
            eprintln!("Error: {err}");
            return ExitCode::FAILURE;
        }
    };
    match command {
        Command::Migrate => {
            println!("Migraciones aplicadas.");
            ExitCode::SUCCESS
        }
        Command::Demo => print_demo(&pool).await,
        Command::CreateUser {
            role,
            email,
            name,
            password,
        } => {
            match accounts::create_staff(
                &pool,
                &Actor::system("línea de comandos"),
                role,
                &name,
                &email,
                &password,
            )
            .await
            {
                Ok(user) => {
                    println!(
                        "Usuario creado: {} <{}> ({})",
                        user.full_name,
                        user.email,
                        user.role.label_es()
                    );
                    ExitCode::SUCCESS
                }
                Err(err) => {
                    eprintln!("Error: {err}");
                    ExitCode::FAILURE
                }
            }
        }
        Command::CreateApiKey {
            name,
            scopes,
            rate_limit_per_minute,
            responsible,
        } => {
            let responsible_id = match responsible {
                None => None,
                Some(email) => match ventanilla_app::accounts::server::accounts::staff_id_by_email(
                    &pool, &email,
                )
                .await
                {
                    Ok(Some(id)) => Some(id),
                    Ok(None) => {
                        eprintln!("Error: no hay un usuario del equipo con el correo «{email}».");
                        return ExitCode::FAILURE;
                    }
                    Err(err) => {
                        eprintln!("Error: {err}");
                        return ExitCode::FAILURE;
                    }
                },
            };
            let actor = match &responsible_id {
                Some(id) => Actor::user(id, "línea de comandos"),
                None => Actor::system("línea de comandos"),
            };
            match ventanilla_app::accounts::server::api_keys::create(
                &pool,
                &actor,
                &name,
                &scopes,
                rate_limit_per_minute,
            )
            .await
            {
                Ok(created) => {
                    // The secret alone on stdout, so scripts can capture it; it is shown once.
                    eprintln!(
                        "Llave creada ({}). Guárdela: no se vuelve a mostrar.",
                        created.id
                    );
                    println!("{}", created.secret);
                    ExitCode::SUCCESS
                }
                Err(err) => {
                    eprintln!("Error: {err}");
                    ExitCode::FAILURE
                }
            }
        }
        Command::Serve { demo } => {
            if demo && print_demo(&pool).await != ExitCode::SUCCESS {
                return ExitCode::FAILURE;
            }
            serve(pool, config).await
        }
        Command::Help
        | Command::Holidays { .. }
        | Command::DueByHours { .. }
        | Command::DueByDays { .. } => ExitCode::SUCCESS,
    }
}

async fn print_demo(pool: &sqlx::AnyPool) -> ExitCode {
    match demo::seed_if_empty(pool).await {
        Ok(logins) => {
            println!(
                "Usuarios de demostración (contraseña: {}):",
                demo::DEMO_PASSWORD
            );
            for login in logins {
                println!("  {:<38} {}", login.login, login.who);
            }
            ExitCode::SUCCESS
        }
        Err(err) => {
            eprintln!("Error al cargar los datos de demostración: {err}");
            ExitCode::FAILURE
        }
    }
}

async fn serve(pool: sqlx::AnyPool, config: Config) -> ExitCode {
    let options = leptos_options();
    let addr = options.site_addr;
    let state = app_state(pool, config, options);
    // A fresh install's ANS version 1, from the environment, before the first request.
    if let Err(err) =
        ventanilla_app::ans::server::versions::bootstrap(&state.pool, &state.ans.defaults).await
    {
        eprintln!("No se pudo registrar la versión inicial del ANS: {err}");
        return ExitCode::FAILURE;
    }
    // Background workers stop when the server does.
    let (stop_workers, workers_stop) = tokio::sync::watch::channel(false);
    let auto_close = tokio::spawn(ventanilla_app::requests::server::auto_close::run(
        state.clone(),
        std::time::Duration::from_secs(60),
        workers_stop.clone(),
    ));
    let delivery = tokio::spawn(ventanilla_app::notify::server::worker::run_delivery(
        state.pool.clone(),
        state.config.notifications.clone(),
        state.config.organization.clone(),
        workers_stop.clone(),
    ));
    // The monthly report and the weekly reporte de fallas, each once whatever the instances.
    let reports = tokio::spawn(ventanilla_app::indicators::server::schedule::run(
        state.clone(),
        std::time::Duration::from_secs(300),
        workers_stop.clone(),
    ));
    // With PostgreSQL, live events from other instances reach this one's browsers.
    let relay = state.config.database_url.starts_with("postgres").then(|| {
        tokio::spawn(
            state
                .live
                .clone()
                .relay_from_postgres(state.config.database_url.clone(), workers_stop.clone()),
        )
    });
    // With PostgreSQL, the collision warning also sees people whose page is on another
    // instance, and forgets them when that instance dies.
    let presence = state.config.database_url.starts_with("postgres").then(|| {
        tokio::spawn(ventanilla_app::live::server::presence_relay::run(
            state.presence.clone(),
            state.pool.clone(),
            state.config.database_url.clone(),
            workers_stop.clone(),
        ))
    });
    let app = router(state);
    let listener = match ventanilla_server::listen(addr).await {
        Ok(listener) => listener,
        Err(err) => {
            eprintln!("Error: no se pudo escuchar en {addr}: {err}");
            return ExitCode::FAILURE;
        }
    };
    println!("Ventanilla atiende en http://{addr}");
    let served = axum::serve(
        listener,
        app.into_make_service_with_connect_info::<SocketAddr>(),
    )
    .with_graceful_shutdown(shutdown_signal())
    .await;
    let _ = stop_workers.send(true);
    let _ = auto_close.await;
    let _ = reports.await;
    // The notification in hand is sent and recorded before the process exits.
    let _ = delivery.await;
    if let Some(relay) = relay {
        let _ = relay.await;
    }
    // The other instances are told this one's people left.
    if let Some(presence) = presence {
        let _ = presence.await;
    }
    match served {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) => {
            eprintln!("Error del servidor: {err}");
            ExitCode::FAILURE
        }
    }
}

/// SIGTERM (systemd, containers) or Ctrl-C: stop accepting, finish what is in flight.
async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let terminate = async {
        if let Ok(mut signal) =
            tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate())
        {
            signal.recv().await;
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        _ = ctrl_c => {},
        _ = terminate => {},
    }
    // Open event streams end too, or the graceful shutdown would wait for them forever.
    ventanilla_server::shutdown::begin();
    tracing::info!("apagando: se terminan las solicitudes en curso");
}
