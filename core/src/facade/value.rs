//! A value as it crosses to another language: serde's data model, with the
//! instants and calendar days of the core kept as such, so that a binding
//! converts them by type (to `datetime`, `date`, `Date` or ISO text in the
//! policy's zone) and never by the look of a string: an id `"2020-02-01"`
//! stays text.

use chrono::{DateTime, NaiveDate, Utc};
use serde::ser::{self, Serialize};

use crate::error::{Error, Result};
use crate::time::{render_instant, Instant, Zone};

/// A value of an answer, ready for a binding to convert.
#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    /// Nothing (`None`, unit).
    Null,
    /// A truth value.
    Bool(bool),
    /// A whole number.
    Int(i64),
    /// A whole number above `i64::MAX`.
    UInt(u64),
    /// A number with a fraction.
    Float(f64),
    /// Text (ids, names, enum variants).
    Text(String),
    /// An instant (stored as UTC; a binding renders it in the policy's zone).
    Time(Instant),
    /// A calendar day.
    Date(NaiveDate),
    /// A sequence.
    List(Vec<Value>),
    /// Fields or map entries in order, keys as text.
    Map(Vec<(String, Value)>),
}

impl Value {
    /// The value as JSON, instants as ISO 8601 text with the offset of
    /// `zone` in force then (`2020-01-24T09:00:00+08:00`), days as
    /// `YYYY-MM-DD`: what the JavaScript layer hands over, and the form of
    /// the answers in `tests/book_scenarios.json`.
    pub fn to_json(&self, zone: Zone) -> serde_json::Value {
        use serde_json::Value as Json;
        match self {
            Value::Null => Json::Null,
            Value::Bool(b) => Json::Bool(*b),
            Value::Int(n) => Json::from(*n),
            Value::UInt(n) => Json::from(*n),
            Value::Float(x) => serde_json::Number::from_f64(*x).map_or(Json::Null, Json::Number),
            Value::Text(s) => Json::String(s.clone()),
            Value::Time(t) => Json::String(render_instant(*t, zone)),
            Value::Date(d) => Json::String(d.to_string()),
            Value::List(items) => Json::Array(items.iter().map(|v| v.to_json(zone)).collect()),
            Value::Map(entries) => Json::Object(
                entries
                    .iter()
                    .map(|(k, v)| (k.clone(), v.to_json(zone)))
                    .collect(),
            ),
        }
    }
}

/// `value` as a [`Value`].
///
/// ```
/// use precinct::Value;
/// let at = precinct::parse_instant("2020-02-01T09:00:00+08:00", precinct::Zone::UTC).unwrap();
/// assert!(matches!(precinct::to_value(&at).unwrap(), Value::Time(_)));
/// assert_eq!(precinct::to_value("2020-02-01").unwrap(), Value::Text("2020-02-01".into()));
/// ```
///
/// # Errors
/// [`Error::InvalidValue`] for a map whose keys are not text, numbers or
/// plain enum variants (no answer of the facade has one).
pub fn to_value<T: Serialize + ?Sized>(value: &T) -> Result<Value> {
    value.serialize(ValueSerializer)
}

impl ser::Error for Error {
    fn custom<T: std::fmt::Display>(msg: T) -> Self {
        Error::invalid("answer", msg, "a value the facade can hand over")
    }
}

struct ValueSerializer;

/// Text written through `Display` (`collect_str`): how chrono writes its
/// instants and days, and the only way they reach a serializer. Text a
/// `String` holds arrives through `serialize_str` and is never read as a time.
fn displayed(text: String) -> Value {
    if let Ok(at) = DateTime::parse_from_rfc3339(&text) {
        return Value::Time(at.with_timezone(&Utc));
    }
    if let Ok(day) = NaiveDate::parse_from_str(&text, "%Y-%m-%d") {
        return Value::Date(day);
    }
    Value::Text(text)
}

impl ser::Serializer for ValueSerializer {
    type Ok = Value;
    type Error = Error;
    type SerializeSeq = Seq;
    type SerializeTuple = Seq;
    type SerializeTupleStruct = Seq;
    type SerializeTupleVariant = Variant<Seq>;
    type SerializeMap = Map;
    type SerializeStruct = Map;
    type SerializeStructVariant = Variant<Map>;

    fn serialize_bool(self, v: bool) -> Result<Value> {
        Ok(Value::Bool(v))
    }
    fn serialize_i8(self, v: i8) -> Result<Value> {
        Ok(Value::Int(v.into()))
    }
    fn serialize_i16(self, v: i16) -> Result<Value> {
        Ok(Value::Int(v.into()))
    }
    fn serialize_i32(self, v: i32) -> Result<Value> {
        Ok(Value::Int(v.into()))
    }
    fn serialize_i64(self, v: i64) -> Result<Value> {
        Ok(Value::Int(v))
    }
    fn serialize_u8(self, v: u8) -> Result<Value> {
        Ok(Value::Int(v.into()))
    }
    fn serialize_u16(self, v: u16) -> Result<Value> {
        Ok(Value::Int(v.into()))
    }
    fn serialize_u32(self, v: u32) -> Result<Value> {
        Ok(Value::Int(v.into()))
    }
    fn serialize_u64(self, v: u64) -> Result<Value> {
        Ok(i64::try_from(v).map_or(Value::UInt(v), Value::Int))
    }
    fn serialize_f32(self, v: f32) -> Result<Value> {
        Ok(Value::Float(v.into()))
    }
    fn serialize_f64(self, v: f64) -> Result<Value> {
        Ok(Value::Float(v))
    }
    fn serialize_char(self, v: char) -> Result<Value> {
        Ok(Value::Text(v.to_string()))
    }
    fn serialize_str(self, v: &str) -> Result<Value> {
        Ok(Value::Text(v.to_string()))
    }
    fn collect_str<T: std::fmt::Display + ?Sized>(self, value: &T) -> Result<Value> {
        Ok(displayed(value.to_string()))
    }
    fn serialize_bytes(self, v: &[u8]) -> Result<Value> {
        Ok(Value::List(
            v.iter().map(|b| Value::Int((*b).into())).collect(),
        ))
    }
    fn serialize_none(self) -> Result<Value> {
        Ok(Value::Null)
    }
    fn serialize_some<T: Serialize + ?Sized>(self, value: &T) -> Result<Value> {
        value.serialize(self)
    }
    fn serialize_unit(self) -> Result<Value> {
        Ok(Value::Null)
    }
    fn serialize_unit_struct(self, _: &'static str) -> Result<Value> {
        Ok(Value::Null)
    }
    fn serialize_unit_variant(
        self,
        _: &'static str,
        _: u32,
        variant: &'static str,
    ) -> Result<Value> {
        Ok(Value::Text(variant.to_string()))
    }
    fn serialize_newtype_struct<T: Serialize + ?Sized>(
        self,
        _: &'static str,
        value: &T,
    ) -> Result<Value> {
        value.serialize(self)
    }
    fn serialize_newtype_variant<T: Serialize + ?Sized>(
        self,
        _: &'static str,
        _: u32,
        variant: &'static str,
        value: &T,
    ) -> Result<Value> {
        Ok(Value::Map(vec![(
            variant.to_string(),
            value.serialize(self)?,
        )]))
    }
    fn serialize_seq(self, len: Option<usize>) -> Result<Seq> {
        Ok(Seq(Vec::with_capacity(len.unwrap_or(0))))
    }
    fn serialize_tuple(self, len: usize) -> Result<Seq> {
        self.serialize_seq(Some(len))
    }
    fn serialize_tuple_struct(self, _: &'static str, len: usize) -> Result<Seq> {
        self.serialize_seq(Some(len))
    }
    fn serialize_tuple_variant(
        self,
        _: &'static str,
        _: u32,
        variant: &'static str,
        len: usize,
    ) -> Result<Variant<Seq>> {
        Ok(Variant(variant, Seq(Vec::with_capacity(len))))
    }
    fn serialize_map(self, len: Option<usize>) -> Result<Map> {
        Ok(Map(Vec::with_capacity(len.unwrap_or(0)), None))
    }
    fn serialize_struct(self, _: &'static str, len: usize) -> Result<Map> {
        self.serialize_map(Some(len))
    }
    fn serialize_struct_variant(
        self,
        _: &'static str,
        _: u32,
        variant: &'static str,
        len: usize,
    ) -> Result<Variant<Map>> {
        Ok(Variant(variant, Map(Vec::with_capacity(len), None)))
    }
}

/// The items of a sequence or tuple.
pub struct Seq(Vec<Value>);

/// The entries of a map or struct, and a key waiting for its value.
pub struct Map(Vec<(String, Value)>, Option<String>);

/// A variant's name and its content, written `{variant: content}` as serde_json does.
pub struct Variant<T>(&'static str, T);

impl Seq {
    fn push<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<()> {
        self.0.push(to_value(value)?);
        Ok(())
    }
}

impl ser::SerializeSeq for Seq {
    type Ok = Value;
    type Error = Error;
    fn serialize_element<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<()> {
        self.push(value)
    }
    fn end(self) -> Result<Value> {
        Ok(Value::List(self.0))
    }
}

impl ser::SerializeTuple for Seq {
    type Ok = Value;
    type Error = Error;
    fn serialize_element<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<()> {
        self.push(value)
    }
    fn end(self) -> Result<Value> {
        Ok(Value::List(self.0))
    }
}

impl ser::SerializeTupleStruct for Seq {
    type Ok = Value;
    type Error = Error;
    fn serialize_field<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<()> {
        self.push(value)
    }
    fn end(self) -> Result<Value> {
        Ok(Value::List(self.0))
    }
}

impl ser::SerializeTupleVariant for Variant<Seq> {
    type Ok = Value;
    type Error = Error;
    fn serialize_field<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<()> {
        self.1.push(value)
    }
    fn end(self) -> Result<Value> {
        Ok(Value::Map(vec![(
            self.0.to_string(),
            Value::List(self.1 .0),
        )]))
    }
}

/// A map key as text: text, a number, or a plain enum variant.
fn key_text(key: Value) -> Result<String> {
    match key {
        Value::Text(s) => Ok(s),
        Value::Int(n) => Ok(n.to_string()),
        Value::UInt(n) => Ok(n.to_string()),
        Value::Bool(b) => Ok(b.to_string()),
        Value::Date(d) => Ok(d.to_string()),
        Value::Time(t) => Ok(t.to_rfc3339()),
        other => Err(Error::invalid(
            "map key",
            format!("{other:?}"),
            "text, a number or a plain variant",
        )),
    }
}

impl ser::SerializeMap for Map {
    type Ok = Value;
    type Error = Error;
    fn serialize_key<T: Serialize + ?Sized>(&mut self, key: &T) -> Result<()> {
        self.1 = Some(key_text(to_value(key)?)?);
        Ok(())
    }
    fn serialize_value<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<()> {
        let key = self.1.take().unwrap_or_default();
        self.0.push((key, to_value(value)?));
        Ok(())
    }
    fn end(self) -> Result<Value> {
        Ok(Value::Map(self.0))
    }
}

impl ser::SerializeStruct for Map {
    type Ok = Value;
    type Error = Error;
    fn serialize_field<T: Serialize + ?Sized>(
        &mut self,
        key: &'static str,
        value: &T,
    ) -> Result<()> {
        self.0.push((key.to_string(), to_value(value)?));
        Ok(())
    }
    fn end(self) -> Result<Value> {
        Ok(Value::Map(self.0))
    }
}

impl ser::SerializeStructVariant for Variant<Map> {
    type Ok = Value;
    type Error = Error;
    fn serialize_field<T: Serialize + ?Sized>(
        &mut self,
        key: &'static str,
        value: &T,
    ) -> Result<()> {
        ser::SerializeStruct::serialize_field(&mut self.1, key, value)
    }
    fn end(self) -> Result<Value> {
        Ok(Value::Map(vec![(
            self.0.to_string(),
            Value::Map(self.1 .0),
        )]))
    }
}

impl Value {
    /// A list of records as columns, for a data frame: one column per field
    /// in the order first met, a record without a field giving `Null`.
    /// Nested records are flattened: field `b` of a record in field `a`
    /// becomes column `a_b`; a list of records in field `a` becomes one
    /// column `a_b` per field `b`, holding each row's list of those values
    /// (a close contact's `evidence` gives `evidence_rule`, `evidence_place`
    /// ...). `None` when the value is not a list of records.
    ///
    /// ```
    /// use precinct::Value::{self, Int, List, Map, Text};
    /// let row = |p: &str, rules: &[&str]| Map(vec![
    ///     ("person".into(), Text(p.into())),
    ///     ("evidence".into(), List(rules.iter().map(|r| Map(vec![("rule".into(), Text((*r).into()))])).collect())),
    ///     ("order".into(), Map(vec![("days".into(), Int(14))])),
    /// ]);
    /// let columns = List(vec![row("P1", &["co_resident"]), row("P2", &[])]).columns().unwrap();
    /// let names: Vec<&str> = columns.iter().map(|(n, _)| n.as_str()).collect();
    /// assert_eq!(names, ["person", "evidence_rule", "order_days"]);
    /// assert_eq!(columns[1].1[1], List(vec![]));
    /// ```
    pub fn columns(&self) -> Option<Vec<(String, Vec<Value>)>> {
        let Value::List(rows) = self else { return None };
        if !rows.iter().all(|r| matches!(r, Value::Map(_))) {
            return None;
        }
        let mut names: Vec<String> = Vec::new();
        let mut flat_rows: Vec<Flat> = Vec::with_capacity(rows.len());
        for row in rows {
            let mut flat = Flat::default();
            if let Value::Map(fields) = row {
                flatten("", fields, &mut flat);
            }
            for (name, _) in &flat.fields {
                if !names.contains(name) {
                    names.push(name.clone());
                }
            }
            flat_rows.push(flat);
        }
        // A field holding a list of records in some row is a parent of
        // columns, not a column; where it is an empty list, each of its
        // columns is an empty list.
        let empty = |v: &Value| matches!(v, Value::List(items) if items.is_empty());
        let parents: Vec<String> = names
            .iter()
            .filter(|n| {
                names.iter().any(|o| o.starts_with(&format!("{n}_")))
                    && flat_rows
                        .iter()
                        .all(|f| f.fields.iter().all(|(k, v)| k != *n || empty(v)))
            })
            .cloned()
            .collect();
        names.retain(|n| !parents.contains(n));
        let mut columns: Vec<(String, Vec<Value>)> = names
            .into_iter()
            .map(|n| (n, Vec::with_capacity(rows.len())))
            .collect();
        for flat in flat_rows {
            for (name, column) in &mut columns {
                let value = flat
                    .fields
                    .iter()
                    .find(|(n, _)| n == name)
                    .map(|(_, v)| v.clone());
                column.push(value.unwrap_or_else(|| flat.missing(name, &parents)));
            }
        }
        Some(columns)
    }
}

/// One record's fields as flat columns, with the lists of records met.
#[derive(Default)]
struct Flat {
    fields: Vec<(String, Value)>,
    /// Fields that held a list of records, with its length.
    lists: Vec<(String, usize)>,
}

impl Flat {
    /// What column `name` holds in a row without it: one `Null` per record
    /// where it belongs to a list of records the row has (a field its
    /// records lack), an empty list where that list is empty, else `Null`.
    fn missing(&self, name: &str, parents: &[String]) -> Value {
        let under = |p: &str| name.starts_with(&format!("{p}_"));
        if let Some((_, n)) = self.lists.iter().find(|(p, _)| under(p)) {
            return Value::List(vec![Value::Null; *n]);
        }
        let in_empty = self.fields.iter().any(|(k, v)| {
            parents.contains(k) && under(k) && matches!(v, Value::List(items) if items.is_empty())
        });
        if in_empty {
            Value::List(Vec::new())
        } else {
            Value::Null
        }
    }
}

/// The fields of a record as flat columns (see [`Value::columns`]).
fn flatten(prefix: &str, fields: &[(String, Value)], out: &mut Flat) {
    for (key, value) in fields {
        let name = if prefix.is_empty() {
            key.clone()
        } else {
            format!("{prefix}_{key}")
        };
        match value {
            Value::Map(inner) => flatten(&name, inner, out),
            Value::List(items)
                if !items.is_empty() && items.iter().all(|i| matches!(i, Value::Map(_))) =>
            {
                // One list per field of the records, in the records' order,
                // `Null` where a record lacks the field.
                let mut keys: Vec<String> = Vec::new();
                let mut flat_items = Vec::with_capacity(items.len());
                for item in items {
                    let mut flat = Flat::default();
                    if let Value::Map(inner) = item {
                        flatten("", inner, &mut flat);
                    }
                    for (k, _) in &flat.fields {
                        if !keys.contains(k) {
                            keys.push(k.clone());
                        }
                    }
                    flat_items.push(flat.fields);
                }
                for k in keys {
                    let values = flat_items
                        .iter()
                        .map(|f| {
                            f.iter()
                                .find(|(n, _)| *n == k)
                                .map_or(Value::Null, |(_, v)| v.clone())
                        })
                        .collect();
                    out.fields
                        .push((format!("{name}_{k}"), Value::List(values)));
                }
                out.lists.push((name, items.len()));
            }
            _ => out.fields.push((name, value.clone())),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::time::{parse_instant, Zone};

    #[test]
    fn times_and_days_are_typed_and_text_stays_text() {
        let at = parse_instant("2020-02-01T09:00:00+08:00", Zone::UTC).unwrap();
        let day = NaiveDate::from_ymd_opt(2020, 2, 1).unwrap();
        let fixed = at.with_timezone(&chrono::FixedOffset::east_opt(3600).unwrap());
        let v = to_value(&(
            at,
            day,
            fixed,
            "2020-02-01",
            "2020-99-99",
            crate::ids::HouseholdId::from("2020-02-01"),
        ))
        .unwrap();
        assert_eq!(
            v,
            Value::List(vec![
                Value::Time(at),
                Value::Date(day),
                Value::Time(at),
                Value::Text("2020-02-01".into()),
                Value::Text("2020-99-99".into()),
                Value::Text("2020-02-01".into()),
            ])
        );
    }

    #[test]
    fn maps_keep_variant_keys_as_serde_writes_them() {
        let mut m = std::collections::BTreeMap::new();
        m.insert(crate::pass::DenyReason::BadSignature, 2usize);
        assert_eq!(
            to_value(&m).unwrap(),
            Value::Map(vec![("bad_signature".into(), Value::Int(2))])
        );
        assert_eq!(
            u64::MAX.serialize(ValueSerializer).unwrap(),
            Value::UInt(u64::MAX)
        );
    }
}
