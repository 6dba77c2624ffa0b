//! CSAT survey (reference §3.14), keyed by conversation uuid.

use serde::{Deserialize, Serialize};

use crate::wire::lenient;
use crate::wire::time;

/// A contact's answer to the survey.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(rename_all(serialize = "camelCase"))]
pub struct CsatResponse {
    /// 1 to 5.
    #[serde(default, deserialize_with = "lenient::opt_int")]
    pub rating: Option<i64>,
    /// Free text.
    #[serde(default, deserialize_with = "lenient::opt_string")]
    pub feedback_message: Option<String>,
    /// When it was given (ms).
    #[serde(default, deserialize_with = "time::millis")]
    pub created_at: Option<i64>,
}

/// The survey of a resolved conversation.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(rename_all(serialize = "camelCase"))]
pub struct CsatSurvey {
    /// Id of the conversation's `input_csat` message.
    #[serde(deserialize_with = "lenient::int")]
    pub id: i64,
    /// The answer, null until given.
    #[serde(default)]
    pub csat_survey_response: Option<CsatResponse>,
    /// `emoji` or `star` (or a newer style).
    #[serde(default, deserialize_with = "lenient::opt_string")]
    pub display_type: Option<String>,
    /// The inbox's own survey text, null for the default.
    #[serde(default, deserialize_with = "lenient::opt_string")]
    pub content: Option<String>,
    /// Inbox name.
    #[serde(default, deserialize_with = "lenient::opt_string")]
    pub inbox_name: Option<String>,
    /// Inbox avatar; null when none.
    #[serde(default, deserialize_with = "lenient::opt_string")]
    pub inbox_avatar_url: Option<String>,
    /// Locale of the survey.
    #[serde(default, deserialize_with = "lenient::opt_string")]
    pub locale: Option<String>,
    /// When the survey was sent (ms).
    #[serde(default, deserialize_with = "time::millis")]
    pub created_at: Option<i64>,
}
