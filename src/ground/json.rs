//! The JSON shapes transcripts are read into, without a derive macro.
//!
//! A transcript line is parsed only into the few fields runway needs, borrowing strings from the
//! line where it can and skipping everything else unparsed. `object!` writes the serde visitor a
//! derive would write (no proc-macro crate in the build, which is what lets the binary link
//! statically: see `.cargo/config.toml`). A field of the wrong type fails the line, as with a derive.

use std::borrow::Cow;
use std::fmt;

use serde::de::{self, Deserialize, Deserializer, Visitor};

/// A string as written: borrowed from the line when it has no escapes.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Str<'a>(pub Cow<'a, str>);

impl<'de: 'a, 'a> Deserialize<'de> for Str<'a> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Str<'a>, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = Str<'de>;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a string")
            }
            fn visit_borrowed_str<E: de::Error>(self, v: &'de str) -> Result<Str<'de>, E> {
                Ok(Str(Cow::Borrowed(v)))
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<Str<'de>, E> {
                Ok(Str(Cow::Owned(v.to_owned())))
            }
            fn visit_string<E: de::Error>(self, v: String) -> Result<Str<'de>, E> {
                Ok(Str(Cow::Owned(v)))
            }
        }
        d.deserialize_str(V)
    }
}

impl<'a> Str<'a> {
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// A usage count as written: a whole number in [0, 2^53), absent (0), or something else.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Count {
    #[default]
    Absent,
    Ok(u64),
    Bad,
}

const MAX_COUNT: u64 = 1 << 53;

impl Count {
    /// The count, 0 when absent; `None` when it cannot be trusted.
    pub fn get(self) -> Option<u64> {
        match self {
            Count::Absent => Some(0),
            Count::Ok(v) => Some(v),
            Count::Bad => None,
        }
    }
}

impl<'de> Deserialize<'de> for Count {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Count, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = Count;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a token count")
            }
            fn visit_u64<E: de::Error>(self, v: u64) -> Result<Count, E> {
                Ok(if v < MAX_COUNT { Count::Ok(v) } else { Count::Bad })
            }
            fn visit_i64<E: de::Error>(self, v: i64) -> Result<Count, E> {
                Ok(if v >= 0 { self.visit_u64(v as u64)? } else { Count::Bad })
            }
            fn visit_f64<E: de::Error>(self, v: f64) -> Result<Count, E> {
                let whole = v.is_finite() && v.fract() == 0.0 && v >= 0.0 && v < MAX_COUNT as f64;
                Ok(if whole { Count::Ok(v as u64) } else { Count::Bad })
            }
            fn visit_str<E: de::Error>(self, _: &str) -> Result<Count, E> {
                Ok(Count::Bad)
            }
            fn visit_bool<E: de::Error>(self, _: bool) -> Result<Count, E> {
                Ok(Count::Bad)
            }
            fn visit_unit<E: de::Error>(self) -> Result<Count, E> {
                Ok(Count::Bad)
            }
            fn visit_seq<A: de::SeqAccess<'de>>(self, mut a: A) -> Result<Count, A::Error> {
                while a.next_element::<de::IgnoredAny>()?.is_some() {}
                Ok(Count::Bad)
            }
            fn visit_map<A: de::MapAccess<'de>>(self, mut a: A) -> Result<Count, A::Error> {
                while a.next_entry::<de::IgnoredAny, de::IgnoredAny>()?.is_some() {}
                Ok(Count::Bad)
            }
        }
        d.deserialize_any(V)
    }
}

/// A JSON object read into a struct of `Default` fields by key; other keys are skipped unparsed.
///
/// ```ignore
/// object! { struct Line<'a> { kind: Option<Str<'a>> = "type", ts: Option<Str<'a>> = "timestamp" } }
/// ```
macro_rules! object {
    ($vis:vis struct $name:ident<$lt:lifetime> { $($field:ident : $ty:ty = $key:literal),* $(,)? }) => {
        #[derive(Default)]
        $vis struct $name<$lt> { $($vis $field: $ty,)* _life: std::marker::PhantomData<&$lt ()> }
        $crate::ground::json::object!(@impl $name<$lt> { $($field = $key),* });
    };
    ($vis:vis struct $name:ident { $($field:ident : $ty:ty = $key:literal),* $(,)? }) => {
        #[derive(Default)]
        $vis struct $name { $($vis $field: $ty,)* }
        $crate::ground::json::object!(@impl $name { $($field = $key),* });
    };
    (@impl $name:ident $(<$lt:lifetime>)? { $($field:ident = $key:literal),* }) => {
        impl<'de $(: $lt, $lt)?> serde::Deserialize<'de> for $name $(<$lt>)? {
            fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                struct V $(<$lt>)? (std::marker::PhantomData<$name $(<$lt>)?>);
                impl<'de $(: $lt, $lt)?> serde::de::Visitor<'de> for V $(<$lt>)? {
                    type Value = $name $(<$lt>)?;
                    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                        f.write_str(concat!("a JSON object (", stringify!($name), ")"))
                    }
                    fn visit_map<A: serde::de::MapAccess<'de>>(self, mut a: A) -> Result<Self::Value, A::Error> {
                        let mut out = <$name $(<$lt>)?>::default();
                        while let Some(k) = a.next_key::<$crate::ground::json::Str<'de>>()? {
                            match k.as_str() {
                                $($key => out.$field = a.next_value()?,)*
                                _ => {
                                    a.next_value::<serde::de::IgnoredAny>()?;
                                }
                            }
                        }
                        Ok(out)
                    }
                }
                d.deserialize_map(V(std::marker::PhantomData))
            }
        }
    };
}
pub(crate) use object;

#[cfg(test)]
mod tests {
    use super::*;

    object! { struct Inner { n: Count = "n" } }
    object! { struct Outer<'a> { name: Option<Str<'a>> = "name", inner: Option<Inner> = "inner" } }

    #[test]
    fn objects_borrow_skip_and_fail_like_a_derive() {
        let o: Outer = serde_json::from_str(r#"{"x":[1,{"y":2}],"name":"abc","inner":{"n":5,"z":null}}"#).unwrap();
        assert!(matches!(o.name.as_ref().map(|s| &s.0), Some(Cow::Borrowed("abc"))));
        assert_eq!(o.inner.map(|i| i.n), Some(Count::Ok(5)));
        let esc: Outer = serde_json::from_str(r#"{"name":"a\"b"}"#).unwrap();
        assert_eq!(esc.name.unwrap().as_str(), "a\"b");
        let none: Outer = serde_json::from_str(r#"{"name":null}"#).unwrap();
        assert!(none.name.is_none());
        assert!(serde_json::from_str::<Outer>(r#"{"name":5}"#).is_err(), "a wrong type fails the line");
        assert!(serde_json::from_str::<Outer>(r#"[1]"#).is_err());
    }

    #[test]
    fn counts() {
        let c = |s: &str| serde_json::from_str::<Count>(s).unwrap();
        assert_eq!(c("9"), Count::Ok(9));
        assert_eq!(c("9.0"), Count::Ok(9));
        for bad in ["-1", "1.5", "\"12\"", "null", "9007199254740992", "[1]", "{}"] {
            assert_eq!(c(bad), Count::Bad, "{bad}");
        }
    }
}
