//! The HTTP edges the server functions cannot be: multipart forms that carry files (the
//! customer's filing and reply, the agent's actions and on-behalf filing, the survey-base
//! import), file downloads, and the two event streams (live changes and presence) as
//! Server-Sent Events. Each checks the session and hands over to the capability's service in
//! `ventanilla-app`; the REST API for other systems is `crate::api`.

pub mod live;
pub mod portal;
pub mod presence;
pub mod reports;
pub mod spreadsheet_upload;
pub mod staff;
