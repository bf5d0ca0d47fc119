//! Operator subcommands of the `ventanilla` binary. Parsing is by hand: the grammar is
//! small, and every mistake gets a Spanish message and a non-zero exit.

use chrono::{DateTime, Utc};
use ventanilla::calendar::{bogota, colombian_holidays};
use ventanilla::role::Role;

/// What the command line asked for.
#[derive(Debug, PartialEq)]
pub enum Command {
    Serve {
        demo: bool,
    },
    Migrate,
    Demo,
    CreateUser {
        role: Role,
        email: String,
        name: String,
        password: String,
    },
    CreateApiKey {
        name: String,
        scopes: Vec<String>,
        rate_limit_per_minute: i64,
        /// E-mail of the supervisor or admin who answers for the key (needed for
        /// `surveys:import`).
        responsible: Option<String>,
    },
    Holidays {
        year: i32,
    },
    DueByHours {
        start: DateTime<Utc>,
        hours: i64,
    },
    DueByDays {
        received: DateTime<Utc>,
        days: u32,
    },
    Help,
}

pub const USAGE: &str = "Uso:
  ventanilla [serve] [--demo]          inicia el servidor (--demo carga datos de demostración si la base está vacía)
  ventanilla migrate                   aplica las migraciones pendientes y termina
  ventanilla demo                      carga los datos de demostración si la base está vacía
  ventanilla user create --role ROL --email CORREO --name NOMBRE --password CLAVE
                                       crea un usuario del equipo (asesor, especialista, calidad, supervisor, admin)
  ventanilla apikey create --name NOMBRE --scopes PERMISOS [--rate-limit N] [--responsable CORREO]
                                       crea una llave de API (permisos separados por comas: requests:read,requests:write,
                                       customers:read,customers:write,surveys:import; N llamadas por minuto, 600 por omisión) y la muestra
                                       una vez; surveys:import exige --responsable, el supervisor o administrador a cuyo
                                       nombre se importan las bases
  ventanilla calendar holidays AÑO     festivos de Colombia de ese año, uno por línea
  ventanilla calendar due --start RFC3339 --business-hours N
                                       vencimiento tras N horas hábiles (RFC 3339, hora de Bogotá)
  ventanilla calendar due --received RFC3339 --business-days N
                                       fecha de vencimiento legal tras N días hábiles (AAAA-MM-DD)";

/// Parses the arguments after the program name.
pub fn parse(args: &[String]) -> Result<Command, String> {
    let words: Vec<&str> = args.iter().map(String::as_str).collect();
    match words.as_slice() {
        [] | ["serve"] => Ok(Command::Serve { demo: false }),
        ["--demo"] | ["serve", "--demo"] => Ok(Command::Serve { demo: true }),
        ["migrate"] => Ok(Command::Migrate),
        ["demo"] => Ok(Command::Demo),
        ["help"] | ["--help"] | ["-h"] => Ok(Command::Help),
        ["user", "create", rest @ ..] => {
            let flags = flags(rest, &["--role", "--email", "--name", "--password"])?;
            let role = Role::from_code(required(&flags, "--role")?)
                .filter(Role::is_staff)
                .ok_or("--role debe ser asesor, especialista, calidad, supervisor o admin")?;
            Ok(Command::CreateUser {
                role,
                email: required(&flags, "--email")?.to_string(),
                name: required(&flags, "--name")?.to_string(),
                password: required(&flags, "--password")?.to_string(),
            })
        }
        ["apikey", "create", rest @ ..] => {
            let flags = flags(
                rest,
                &["--name", "--scopes", "--rate-limit", "--responsable"],
            )?;
            let rate_limit_per_minute = match flags.iter().find(|(k, _)| *k == "--rate-limit") {
                Some((_, value)) => value
                    .parse::<i64>()
                    .map_err(|_| format!("--rate-limit debe ser un número: «{value}»"))?,
                None => 600,
            };
            Ok(Command::CreateApiKey {
                name: required(&flags, "--name")?.to_string(),
                scopes: required(&flags, "--scopes")?
                    .split(',')
                    .map(str::to_string)
                    .collect(),
                rate_limit_per_minute,
                responsible: flags
                    .iter()
                    .find(|(k, _)| *k == "--responsable")
                    .map(|(_, v)| v.to_string()),
            })
        }
        ["calendar", "holidays", year] => {
            let year: i32 = year
                .parse()
                .map_err(|_| format!("el año debe ser un número: «{year}»"))?;
            if !(1984..=2100).contains(&year) {
                return Err(format!("el año debe estar entre 1984 y 2100: {year}"));
            }
            Ok(Command::Holidays { year })
        }
        ["calendar", "due", rest @ ..] => {
            let flags = flags(
                rest,
                &[
                    "--start",
                    "--business-hours",
                    "--received",
                    "--business-days",
                ],
            )?;
            match (
                flags.iter().any(|(k, _)| *k == "--start"),
                flags.iter().any(|(k, _)| *k == "--received"),
            ) {
                (true, false) => Ok(Command::DueByHours {
                    start: instant(required(&flags, "--start")?)?,
                    hours: count(required(&flags, "--business-hours")?, "--business-hours")?,
                }),
                (false, true) => Ok(Command::DueByDays {
                    received: instant(required(&flags, "--received")?)?,
                    days: u32::try_from(count(
                        required(&flags, "--business-days")?,
                        "--business-days",
                    )?)
                    .map_err(|_| "--business-days es demasiado grande".to_string())?,
                }),
                _ => Err(
                    "indique --start con --business-hours, o --received con --business-days".into(),
                ),
            }
        }
        _ => Err(format!("orden desconocida: «{}»", words.join(" "))),
    }
}

fn flags<'a>(words: &[&'a str], known: &[&str]) -> Result<Vec<(&'a str, &'a str)>, String> {
    let mut out = Vec::new();
    let mut iter = words.iter();
    while let Some(flag) = iter.next() {
        if !known.contains(flag) {
            return Err(format!("opción desconocida: «{flag}»"));
        }
        if out.iter().any(|(k, _)| k == flag) {
            return Err(format!("la opción {flag} está repetida"));
        }
        let value = iter
            .next()
            .ok_or_else(|| format!("falta el valor de {flag}"))?;
        out.push((*flag, *value));
    }
    Ok(out)
}

fn required<'a>(flags: &[(&str, &'a str)], name: &str) -> Result<&'a str, String> {
    flags
        .iter()
        .find(|(k, _)| *k == name)
        .map(|(_, v)| *v)
        .ok_or_else(|| format!("falta la opción {name}"))
}

fn instant(text: &str) -> Result<DateTime<Utc>, String> {
    DateTime::parse_from_rfc3339(text)
        .map(|d| d.with_timezone(&Utc))
        .map_err(|_| {
            format!(
                "fecha y hora inválida (use RFC 3339, p. ej. 2026-03-02T09:00:00-05:00): «{text}»"
            )
        })
}

fn count(text: &str, name: &str) -> Result<i64, String> {
    match text.parse::<i64>() {
        Ok(n) if (0..=100_000).contains(&n) => Ok(n),
        _ => Err(format!(
            "{name} debe ser un entero entre 0 y 100000: «{text}»"
        )),
    }
}

/// The output of the calendar subcommands, one line per item.
pub fn calendar_output(
    command: &Command,
    hours: &ventanilla::ans::BusinessHours,
) -> Option<Vec<String>> {
    let calendar = ventanilla_app::timers::calendar_of(hours);
    match command {
        Command::Holidays { year } => Some(
            colombian_holidays(*year)
                .into_iter()
                .map(|d| d.format("%Y-%m-%d").to_string())
                .collect(),
        ),
        Command::DueByHours { start, hours } => {
            let due = calendar.add_business_minutes(*start, hours * 60, &[]);
            Some(vec![due.with_timezone(&bogota()).to_rfc3339()])
        }
        Command::DueByDays { received, days } => Some(vec![calendar
            .legal_due_date(*received, *days, &[])
            .format("%Y-%m-%d")
            .to_string()]),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn args(line: &str) -> Vec<String> {
        line.split_whitespace().map(str::to_string).collect()
    }

    #[test]
    fn parses_each_subcommand() {
        assert_eq!(parse(&args("")).unwrap(), Command::Serve { demo: false });
        assert_eq!(
            parse(&args("serve --demo")).unwrap(),
            Command::Serve { demo: true }
        );
        assert_eq!(
            parse(&args("calendar holidays 2026")).unwrap(),
            Command::Holidays { year: 2026 }
        );
        assert!(matches!(
            parse(&args(
                "user create --role admin --email a@b.co --name Ana --password secreto123"
            ))
            .unwrap(),
            Command::CreateUser {
                role: Role::Admin,
                ..
            }
        ));
    }

    #[test]
    fn refuses_bad_arguments_with_a_reason() {
        for bad in [
            "calendar holidays dosmil",
            "calendar holidays 1900",
            "calendar due --start ayer --business-hours 8",
            "calendar due --start 2026-03-02T09:00:00-05:00",
            "calendar due --start 2026-03-02T09:00:00-05:00 --business-hours -1",
            "calendar due --business-hours 8",
            "user create --role cliente --email a@b.co --name Ana --password x",
            "volar",
        ] {
            assert!(parse(&args(bad)).is_err(), "{bad}");
        }
    }
}
