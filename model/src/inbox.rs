//! Inbox details (reference §3.1).

use serde::{Deserialize, Serialize};

use crate::lenient::{self, Model};

/// One day's opening hours; Sunday is 0. Hours are `null` on closed days.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all(serialize = "camelCase"))]
pub struct WorkingHours {
    /// 0 (Sunday) to 6.
    #[serde(default = "no_day", deserialize_with = "lenient::int_or_missing")]
    pub day_of_week: i64,
    /// Closed the whole day.
    #[serde(default, deserialize_with = "lenient::flag")]
    pub closed_all_day: bool,
    /// Open the whole day.
    #[serde(default, deserialize_with = "lenient::flag")]
    pub open_all_day: bool,
    /// Opening hour (0–23).
    #[serde(default, deserialize_with = "lenient::int")]
    pub open_hour: Option<i64>,
    /// Opening minutes.
    #[serde(default, deserialize_with = "lenient::int")]
    pub open_minutes: Option<i64>,
    /// Closing hour.
    #[serde(default, deserialize_with = "lenient::int")]
    pub close_hour: Option<i64>,
    /// Closing minutes.
    #[serde(default, deserialize_with = "lenient::int")]
    pub close_minutes: Option<i64>,
}

fn no_day() -> i64 {
    crate::NO_ID
}

impl Model for WorkingHours {
    fn valid(&self) -> bool {
        self.day_of_week != crate::NO_ID
    }
}

/// What the public API tells about an inbox.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all(serialize = "camelCase"))]
pub struct Inbox {
    /// The inbox identifier.
    #[serde(default, deserialize_with = "lenient::string")]
    pub identifier: String,
    /// Display name.
    #[serde(default, deserialize_with = "lenient::string")]
    pub name: String,
    /// IANA timezone of the working hours.
    #[serde(default, deserialize_with = "lenient::non_empty")]
    pub timezone: Option<String>,
    /// Whether contacts must be identified with an HMAC.
    #[serde(default, deserialize_with = "lenient::flag")]
    pub identity_validation_enabled: bool,
    /// Whether the working hours apply.
    #[serde(default, deserialize_with = "lenient::flag")]
    pub working_hours_enabled: bool,
    /// The week's opening hours.
    #[serde(default, deserialize_with = "lenient::list")]
    pub working_hours: Vec<WorkingHours>,
    /// Whether a CSAT survey follows a resolve.
    #[serde(default, deserialize_with = "lenient::flag")]
    pub csat_survey_enabled: bool,
    /// Whether a greeting is sent.
    #[serde(default, deserialize_with = "lenient::flag")]
    pub greeting_enabled: bool,
}

impl Model for Inbox {}
