//! Inbox details (reference §3.1).

use serde::{Deserialize, Serialize};

use crate::wire::lenient;

/// One day's opening hours; Sunday is 0. Hours are null on closed days.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(rename_all(serialize = "camelCase"))]
pub struct WorkingHours {
    /// 0 = Sunday … 6 = Saturday.
    #[serde(deserialize_with = "lenient::int")]
    pub day_of_week: i64,
    /// Closed the whole day.
    #[serde(default, deserialize_with = "lenient::bool")]
    pub closed_all_day: bool,
    /// Open the whole day.
    #[serde(default, deserialize_with = "lenient::bool")]
    pub open_all_day: bool,
    /// Opening hour (0–23).
    #[serde(default, deserialize_with = "lenient::opt_int")]
    pub open_hour: Option<i64>,
    /// Opening minutes.
    #[serde(default, deserialize_with = "lenient::opt_int")]
    pub open_minutes: Option<i64>,
    /// Closing hour.
    #[serde(default, deserialize_with = "lenient::opt_int")]
    pub close_hour: Option<i64>,
    /// Closing minutes.
    #[serde(default, deserialize_with = "lenient::opt_int")]
    pub close_minutes: Option<i64>,
}

/// What the public API tells about an inbox.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(rename_all(serialize = "camelCase"))]
pub struct Inbox {
    /// The public inbox identifier.
    #[serde(default, deserialize_with = "lenient::string")]
    pub identifier: String,
    /// Display name.
    #[serde(default, deserialize_with = "lenient::string")]
    pub name: String,
    /// IANA time zone of the working hours, when set.
    #[serde(default, deserialize_with = "lenient::opt_string")]
    pub timezone: Option<String>,
    /// Contacts must prove their identity (HMAC) on every contacts call.
    #[serde(default, deserialize_with = "lenient::bool")]
    pub identity_validation_enabled: bool,
    /// Whether `workingHours` apply.
    #[serde(default, deserialize_with = "lenient::bool")]
    pub working_hours_enabled: bool,
    /// Seven rows, Sunday first.
    #[serde(default)]
    pub working_hours: Vec<WorkingHours>,
    /// A CSAT survey follows a resolve.
    #[serde(default, deserialize_with = "lenient::bool")]
    pub csat_survey_enabled: bool,
    /// A greeting is configured.
    #[serde(default, deserialize_with = "lenient::bool")]
    pub greeting_enabled: bool,
}
