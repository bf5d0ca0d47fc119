//! How much one person or one address may do in an hour (OWASP ASVS 11.1.2 "anti-automation"):
//! registrations per address, filings and replies per customer. Far above what a person
//! does — a customer files a few requests a month — and far below what a script needs to
//! fill the tables or relay text to other people's mailboxes through our e-mails.
//!
//! The counts are of the rows the actions write (consents, requests, messages), read before
//! the action: no table of counters to keep in step. Two submissions racing past the count
//! can both pass; a limit of this kind is about volume, not exactness.

use crate::error::AppError;

/// One limit: at most `per_hour` in the last hour.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Quota {
    pub per_hour: i64,
}

/// The limits of the desk, from `VENTANILLA_MAX_*_PER_HOUR`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Quotas {
    /// Self-registrations from one client address (shared addresses — an office, a mobile
    /// carrier's NAT — get room for many people).
    pub registrations_per_address: Quota,
    /// Requests one customer files through the portal.
    pub filings_per_customer: Quota,
    /// Messages one customer writes on their requests.
    pub replies_per_customer: Quota,
}

impl Default for Quotas {
    fn default() -> Self {
        Quotas {
            registrations_per_address: Quota { per_hour: 20 },
            filings_per_customer: Quota { per_hour: 20 },
            replies_per_customer: Quota { per_hour: 60 },
        }
    }
}

impl Quota {
    /// Refuses when `done` in the last hour already reached the limit, with `what` (e.g.
    /// "solicitudes radicadas") in the message.
    pub fn check(self, done: i64, what: &str) -> Result<(), AppError> {
        if done >= self.per_hour {
            return Err(AppError::TooMany(format!(
                "Se alcanzó el máximo de {} {what} por hora. Espere un rato e intente de nuevo; \
                 si necesita más, comuníquese con nosotros por teléfono.",
                self.per_hour
            )));
        }
        Ok(())
    }

    /// The start of the window the counts look at, for `now` in Unix seconds.
    pub fn since(now: i64) -> i64 {
        now - 3600
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_limit_is_reached_at_its_number() {
        let quota = Quota { per_hour: 3 };
        assert!(quota.check(2, "solicitudes radicadas").is_ok());
        let refused = quota.check(3, "solicitudes radicadas").unwrap_err();
        assert_eq!(refused.status_code(), http::StatusCode::TOO_MANY_REQUESTS);
        assert!(refused
            .to_string()
            .contains("3 solicitudes radicadas por hora"));
        assert_eq!(Quota::since(10_000), 6_400);
    }
}
