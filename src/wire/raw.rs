//! A JSON object passed through untouched (custom attributes, content attributes):
//! a JS object in wasm, a `serde_json::Value` natively. Absent or null becomes `{}`.

use serde::{Deserialize, Deserializer, Serialize, Serializer};

#[cfg(target_arch = "wasm32")]
type Inner = wasm_bindgen::JsValue;
#[cfg(not(target_arch = "wasm32"))]
type Inner = serde_json::Value;

/// The server's object as it was (SPEC §2: `raw`).
#[derive(Debug, Clone)]
pub struct Raw(pub Inner);

impl Default for Raw {
    fn default() -> Self {
        #[cfg(target_arch = "wasm32")]
        return Raw(js_sys::Object::new().into());
        #[cfg(not(target_arch = "wasm32"))]
        return Raw(serde_json::Value::Object(serde_json::Map::new()));
    }
}

impl<'de> Deserialize<'de> for Raw {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        #[cfg(target_arch = "wasm32")]
        let inner: Inner = serde_wasm_bindgen::preserve::deserialize(d)?;
        #[cfg(not(target_arch = "wasm32"))]
        let inner = Inner::deserialize(d)?;
        Ok(if is_object(&inner) {
            Raw(inner)
        } else {
            Raw::default()
        })
    }
}

impl Serialize for Raw {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        #[cfg(target_arch = "wasm32")]
        return serde_wasm_bindgen::preserve::serialize(&self.0, s);
        #[cfg(not(target_arch = "wasm32"))]
        return self.0.serialize(s);
    }
}

#[cfg(target_arch = "wasm32")]
fn is_object(v: &Inner) -> bool {
    v.is_object() && !js_sys::Array::is_array(v)
}
#[cfg(not(target_arch = "wasm32"))]
fn is_object(v: &Inner) -> bool {
    v.is_object()
}

impl Raw {
    /// The value of `key` when it is `true`.
    pub fn flag(&self, key: &str) -> bool {
        #[cfg(target_arch = "wasm32")]
        return js_sys::Reflect::get(&self.0, &key.into()).is_ok_and(|v| v.as_bool() == Some(true));
        #[cfg(not(target_arch = "wasm32"))]
        return self.0.get(key).and_then(serde_json::Value::as_bool) == Some(true);
    }
}

impl Raw {
    /// Whether both hold the same JSON.
    pub fn same(&self, other: &Raw) -> bool {
        #[cfg(target_arch = "wasm32")]
        return js_sys::JSON::stringify(&self.0).ok().map(String::from)
            == js_sys::JSON::stringify(&other.0).ok().map(String::from);
        #[cfg(not(target_arch = "wasm32"))]
        return self.0 == other.0;
    }

    /// Decodes the object into `T`.
    pub fn decode<T: serde::de::DeserializeOwned>(&self) -> Result<T, String> {
        #[cfg(target_arch = "wasm32")]
        return serde_wasm_bindgen::from_value(self.0.clone()).map_err(|e| e.to_string());
        #[cfg(not(target_arch = "wasm32"))]
        return serde_json::from_value(self.0.clone()).map_err(|e| e.to_string());
    }
}
