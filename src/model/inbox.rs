//! Inbox details (reference §3.1).

use super::schema::{field, Schema};

/// One day's opening hours; Sunday is 0. Hours are null on closed days.
pub static WORKING_HOURS: Schema = Schema {
    required: &[0],
    fields: &[
        field!("day_of_week" => "dayOfWeek", Int),
        field!("closed_all_day" => "closedAllDay", Flag),
        field!("open_all_day" => "openAllDay", Flag),
        field!("open_hour" => "openHour", Int),
        field!("open_minutes" => "openMinutes", Int),
        field!("close_hour" => "closeHour", Int),
        field!("close_minutes" => "closeMinutes", Int),
    ],
};

/// What the public API tells about an inbox.
pub static INBOX: Schema = Schema {
    required: &[],
    fields: &[
        field!("identifier" => "identifier", Str),
        field!("name" => "name", Str),
        field!("timezone" => "timezone", NonEmpty),
        field!("identity_validation_enabled" => "identityValidationEnabled", Flag),
        field!("working_hours_enabled" => "workingHoursEnabled", Flag),
        field!("working_hours" => "workingHours", List(&WORKING_HOURS)),
        field!("csat_survey_enabled" => "csatSurveyEnabled", Flag),
        field!("greeting_enabled" => "greetingEnabled", Flag),
    ],
};
