//! CSAT survey (reference §3.14), keyed by conversation uuid.

use super::schema::{field, Schema};

/// A contact's answer to the survey.
pub static CSAT_RESPONSE: Schema = Schema {
    required: &[],
    fields: &[
        field!("rating" => "rating", Int),
        field!("feedback_message" => "feedbackMessage", Text),
        field!("created_at" => "createdAt", Millis),
    ],
};

/// The survey of a resolved conversation; `id` is its `input_csat` message.
pub static CSAT_SURVEY: Schema = Schema {
    required: &[0],
    fields: &[
        field!("id" => "id", Int),
        field!("csat_survey_response" => "csatSurveyResponse", One(&CSAT_RESPONSE)),
        field!("display_type" => "displayType", Text),
        field!("content" => "content", Text),
        field!("inbox_name" => "inboxName", Text),
        field!("inbox_avatar_url" => "inboxAvatarUrl", NonEmpty),
        field!("locale" => "locale", Text),
        field!("created_at" => "createdAt", Millis),
    ],
};
