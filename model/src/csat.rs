//! CSAT survey (reference §3.14), keyed by conversation uuid.

use serde::{Deserialize, Serialize};

use crate::contact::no_id;
use crate::lenient::{self, Model};
use crate::NO_ID;

/// A contact's answer to the survey.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all(serialize = "camelCase"))]
pub struct CsatResponse {
    /// 1–5.
    #[serde(default, deserialize_with = "lenient::int")]
    pub rating: Option<i64>,
    /// Free text.
    #[serde(default, deserialize_with = "lenient::text")]
    pub feedback_message: Option<String>,
    /// Answered (ms).
    #[serde(default, deserialize_with = "lenient::millis")]
    pub created_at: Option<i64>,
}

impl Model for CsatResponse {}

/// The survey of a resolved conversation; `id` is its `input_csat` message.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all(serialize = "camelCase"))]
pub struct CsatSurvey {
    /// The survey message's id.
    #[serde(default = "no_id", deserialize_with = "lenient::int_or_missing")]
    pub id: i64,
    /// The answer, once given.
    #[serde(default, deserialize_with = "lenient::one")]
    pub csat_survey_response: Option<CsatResponse>,
    /// `emoji` or `star`.
    #[serde(default, deserialize_with = "lenient::text")]
    pub display_type: Option<String>,
    /// The question.
    #[serde(default, deserialize_with = "lenient::text")]
    pub content: Option<String>,
    /// The inbox's name.
    #[serde(default, deserialize_with = "lenient::text")]
    pub inbox_name: Option<String>,
    /// The inbox's avatar.
    #[serde(default, deserialize_with = "lenient::non_empty")]
    pub inbox_avatar_url: Option<String>,
    /// The survey's locale.
    #[serde(default, deserialize_with = "lenient::text")]
    pub locale: Option<String>,
    /// Sent (ms).
    #[serde(default, deserialize_with = "lenient::millis")]
    pub created_at: Option<i64>,
}

impl Model for CsatSurvey {
    fn valid(&self) -> bool {
        self.id != NO_ID
    }
}
