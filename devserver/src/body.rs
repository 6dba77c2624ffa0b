//! Request parameters as Rails builds them: the body (JSON, form-encoded or multipart)
//! merged with the query string, with Rack's nested-key syntax (`a[b]`, `a[]`,
//! `a[][b]`) for the non-JSON forms. Uploaded files sit in the tree as placeholders
//! pointing into [`Params::files`].

use axum::http::{header, HeaderMap};
use bytes::Bytes;
use serde_json::{Map, Value};

use crate::model::Json;

/// Marker key of a file placeholder. A JSON client cannot produce it by accident
/// (NUL is never part of a real parameter name).
const FILE_KEY: &str = "\u{0}file";
/// Rack's default `param_depth_limit`.
const MAX_DEPTH: usize = 32;

#[derive(Clone, Debug)]
pub struct UploadedFile {
    pub filename: String,
    pub content_type: Option<String>,
    pub bytes: Bytes,
}

#[derive(Clone, Debug, Default)]
pub struct Params {
    pub map: Json,
    pub files: Vec<UploadedFile>,
}

/// The body could not be parsed: Rails answers 400 (`ActionDispatch::Http::Parameters::ParseError`
/// or a Rack parameter type error).
#[derive(Debug)]
pub struct BadRequest;

impl Params {
    pub fn get(&self, key: &str) -> Option<&Value> {
        self.map.get(key)
    }

    /// A permitted scalar as the string Rails would store (`to_s`); `None` when the
    /// key is absent, null, a hash or an array (strong parameters drop those).
    pub fn string(&self, key: &str) -> Option<String> {
        self.get(key).and_then(scalar_string)
    }

    /// A permitted hash (`custom_attributes: {}`); anything else is dropped.
    pub fn object(&self, key: &str) -> Option<Json> {
        match self.get(key) {
            Some(Value::Object(m)) if !is_file(m) => Some(m.clone()),
            _ => None,
        }
    }

    /// The uploaded file a placeholder value stands for.
    pub fn file(&self, v: &Value) -> Option<&UploadedFile> {
        match v {
            Value::Object(m) => m
                .get(FILE_KEY)
                .and_then(Value::as_u64)
                .and_then(|i| usize::try_from(i).ok())
                .and_then(|i| self.files.get(i)),
            _ => None,
        }
    }
}

fn is_file(m: &Json) -> bool {
    m.contains_key(FILE_KEY)
}

/// `to_s` of a permitted scalar.
pub fn scalar_string(v: &Value) -> Option<String> {
    match v {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        Value::Bool(b) => Some(b.to_string()),
        _ => None,
    }
}

/// Ruby's `blank?` for a parameter value.
pub fn value_blank(v: &Value) -> bool {
    match v {
        Value::Null => true,
        Value::Bool(b) => !b,
        Value::String(s) => s.trim().is_empty(),
        Value::Array(a) => a.is_empty(),
        Value::Object(o) => o.is_empty(),
        Value::Number(_) => false,
    }
}

/// Parse a request's parameters. Query parameters win over body parameters of the same
/// name, as in `ActionDispatch::Request#parameters`.
pub async fn parse(
    headers: &HeaderMap,
    query: Option<&str>,
    body: Bytes,
) -> Result<Params, BadRequest> {
    let content_type = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
        .to_owned();
    let mime = content_type
        .split(';')
        .next()
        .unwrap_or("")
        .trim()
        .to_ascii_lowercase();
    let mut params = Params::default();
    if mime == "application/json" || (mime.starts_with("application/") && mime.ends_with("+json")) {
        if !body.iter().all(u8::is_ascii_whitespace) {
            match serde_json::from_slice::<Value>(&body) {
                Ok(Value::Object(m)) => params.map = m,
                // Rails keeps a non-object JSON body under `_json`.
                Ok(other) => {
                    params.map.insert("_json".into(), other);
                }
                Err(_) => return Err(BadRequest),
            }
        }
    } else if mime == "application/x-www-form-urlencoded" {
        parse_urlencoded(&mut params.map, &body)?;
    } else if mime == "multipart/form-data" {
        parse_multipart(&mut params, &content_type, body).await?;
    }
    if let Some(q) = query {
        let mut qmap = Map::new();
        parse_urlencoded(&mut qmap, q.as_bytes())?;
        for (k, v) in qmap {
            params.map.insert(k, v);
        }
    }
    Ok(params)
}

fn parse_urlencoded(into: &mut Json, raw: &[u8]) -> Result<(), BadRequest> {
    for (k, v) in form_urlencoded::parse(raw) {
        normalize(into, &k, Value::String(v.into_owned()), MAX_DEPTH)?;
    }
    Ok(())
}

async fn parse_multipart(
    params: &mut Params,
    content_type: &str,
    body: Bytes,
) -> Result<(), BadRequest> {
    let boundary = multer::parse_boundary(content_type).map_err(|_| BadRequest)?;
    let stream = futures_util::stream::once(async move { Ok::<Bytes, std::io::Error>(body) });
    let mut multipart = multer::Multipart::new(stream, boundary);
    while let Some(field) = multipart.next_field().await.map_err(|_| BadRequest)? {
        let Some(name) = field.name().map(str::to_owned) else {
            continue;
        };
        let filename = field.file_name().map(str::to_owned);
        let part_type = field.content_type().map(|m| m.to_string());
        let data = field.bytes().await.map_err(|_| BadRequest)?;
        let value = match filename {
            // Rack: an empty filename means no file was chosen; the part is dropped.
            Some(f) if f.is_empty() => continue,
            Some(filename) => {
                let index = params.files.len();
                params.files.push(UploadedFile {
                    filename,
                    content_type: part_type,
                    bytes: data,
                });
                let mut m = Map::new();
                m.insert(FILE_KEY.into(), Value::from(index));
                Value::Object(m)
            }
            None => Value::String(String::from_utf8_lossy(&data).into_owned()),
        };
        normalize(&mut params.map, &name, value, MAX_DEPTH)?;
    }
    Ok(())
}

/// Rack's `QueryParser#normalize_params`.
fn normalize(params: &mut Json, name: &str, v: Value, depth: usize) -> Result<(), BadRequest> {
    if depth == 0 {
        return Err(BadRequest);
    }
    let trimmed = name.trim_start_matches(['[', ']']);
    let key_end = trimmed.find(['[', ']']).unwrap_or(trimmed.len());
    let (k, rest) = trimmed.split_at(key_end);
    // Rack's `\A[\[\]]*([^\[\]]+)\]*`: every `]` right after the key is consumed.
    let after = rest.trim_start_matches(']');
    if k.is_empty() {
        return Ok(());
    }
    if after.is_empty() {
        params.insert(k.to_owned(), v);
    } else if after == "[" {
        params.insert(name.to_owned(), v);
    } else if after == "[]" {
        let slot = params
            .entry(k.to_owned())
            .or_insert_with(|| Value::Array(Vec::new()));
        match slot {
            Value::Array(a) => a.push(v),
            _ => return Err(BadRequest),
        }
    } else if let Some(tail) = after.strip_prefix("[]") {
        let child_key = tail
            .strip_prefix('[')
            .and_then(|t| t.strip_suffix(']'))
            .filter(|t| !t.contains(['[', ']']))
            .unwrap_or(tail)
            .to_owned();
        let slot = params
            .entry(k.to_owned())
            .or_insert_with(|| Value::Array(Vec::new()));
        let Value::Array(list) = slot else {
            return Err(BadRequest);
        };
        match list.last_mut() {
            Some(Value::Object(last)) if !is_file(last) && !has_key(last, &child_key) => {
                normalize(last, &child_key, v, depth - 1)?;
            }
            _ => {
                let mut fresh = Map::new();
                normalize(&mut fresh, &child_key, v, depth - 1)?;
                list.push(Value::Object(fresh));
            }
        }
    } else {
        let slot = params
            .entry(k.to_owned())
            .or_insert_with(|| Value::Object(Map::new()));
        match slot {
            Value::Object(inner) if !is_file(inner) => normalize(inner, after, v, depth - 1)?,
            _ => return Err(BadRequest),
        }
    }
    Ok(())
}

/// Rack's `params_hash_has_key?`: does a nested key path already exist?
fn has_key(hash: &Json, key: &str) -> bool {
    if key.contains("[]") {
        return false;
    }
    let mut current = hash;
    let parts: Vec<&str> = key.split(['[', ']']).filter(|p| !p.is_empty()).collect();
    for (i, part) in parts.iter().enumerate() {
        match current.get(*part) {
            None => return false,
            Some(Value::Object(next)) => current = next,
            Some(_) => return i + 1 == parts.len(),
        }
    }
    true
}

/// `ActiveStorage::Filename#sanitized`: path separators and other characters unsafe
/// in a filename become `-`.
pub fn sanitize_filename(name: &str) -> String {
    let cleaned: String = name
        .trim()
        .chars()
        .map(|c| match c {
            '\u{202E}' | '%' | '$' | '|' | ':' | ';' | '/' | '<' | '>' | '?' | '*' | '"' | '\t'
            | '\r' | '\n' | '\\' => '-',
            other => other,
        })
        .collect();
    if cleaned.is_empty() {
        "file".into()
    } else {
        cleaned
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn form(raw: &str) -> Value {
        let mut m = Map::new();
        let _ = parse_urlencoded(&mut m, raw.as_bytes());
        Value::Object(m)
    }

    #[test]
    fn rack_nesting() {
        assert_eq!(form("a=1&b=2"), json!({"a": "1", "b": "2"}));
        assert_eq!(
            form("custom_attributes[plan]=pro&custom_attributes[x][y]=1"),
            json!({"custom_attributes": {"plan": "pro", "x": {"y": "1"}}})
        );
        assert_eq!(form("a[]=1&a[]=2"), json!({"a": ["1", "2"]}));
        assert_eq!(
            form("s[][title]=Yes&s[][value]=yes&s[][title]=No&s[][value]=no"),
            json!({"s": [{"title": "Yes", "value": "yes"}, {"title": "No", "value": "no"}]})
        );
        assert_eq!(form("content=a+b%21"), json!({"content": "a b!"}));
    }

    #[test]
    fn type_clash_is_bad_request() {
        let mut m = Map::new();
        assert!(parse_urlencoded(&mut m, b"a=1&a[]=2").is_err());
    }
}
