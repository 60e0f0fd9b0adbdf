//! The JSON shapes transcripts are read into, without a derive macro.
//!
//! A transcript line is parsed only into the few fields runway needs, borrowing strings from the
//! line where it can and skipping everything else unparsed. `object!` writes the serde visitor a
//! derive would write (no proc-macro crate in the build, which is what lets the binary link
//! statically: see `.cargo/config.toml`).
//!
//! Unlike a derive, a field of an unexpected type does not fail the line: a string where an object
//! was expected, a number where a string was (an id written as a number), a string where a flag or
//! a number was. The field is taken as absent (an id as its digits), and counted (`take_odd`), so a
//! call's valid usage is never lost to a field runway does not even need.

use std::borrow::Cow;
use std::cell::Cell;
use std::fmt;

use serde::de::{self, Deserialize, Deserializer, Visitor};

thread_local! {
    static ODD: Cell<u32> = const { Cell::new(0) };
}

/// A field of an unexpected type was met and ignored.
pub fn odd() {
    ODD.with(|c| c.set(c.get().saturating_add(1)));
}

/// How many fields of an unexpected type were ignored since the last call, on this thread.
pub fn take_odd() -> u32 {
    ODD.with(|c| c.replace(0))
}

/// Consumes whatever value a visitor was handed where it expected something else.
fn skip_seq<'de, A: de::SeqAccess<'de>>(mut a: A) -> Result<(), A::Error> {
    while a.next_element::<de::IgnoredAny>()?.is_some() {}
    Ok(())
}

fn skip_map<'de, A: de::MapAccess<'de>>(mut a: A) -> Result<(), A::Error> {
    while a.next_entry::<de::IgnoredAny, de::IgnoredAny>()?.is_some() {}
    Ok(())
}

/// A string as written: borrowed from the line when it has no escapes. A number stands for its
/// digits (an id written as a number); anything else is odd and empty.
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
            fn visit_u64<E: de::Error>(self, v: u64) -> Result<Str<'de>, E> {
                odd();
                Ok(Str(Cow::Owned(v.to_string())))
            }
            fn visit_i64<E: de::Error>(self, v: i64) -> Result<Str<'de>, E> {
                odd();
                Ok(Str(Cow::Owned(v.to_string())))
            }
            fn visit_f64<E: de::Error>(self, _: f64) -> Result<Str<'de>, E> {
                odd();
                Ok(Str::default())
            }
            fn visit_bool<E: de::Error>(self, _: bool) -> Result<Str<'de>, E> {
                odd();
                Ok(Str::default())
            }
            fn visit_unit<E: de::Error>(self) -> Result<Str<'de>, E> {
                Ok(Str::default())
            }
            fn visit_seq<A: de::SeqAccess<'de>>(self, a: A) -> Result<Str<'de>, A::Error> {
                odd();
                skip_seq(a).map(|_| Str::default())
            }
            fn visit_map<A: de::MapAccess<'de>>(self, a: A) -> Result<Str<'de>, A::Error> {
                odd();
                skip_map(a).map(|_| Str::default())
            }
        }
        d.deserialize_any(V)
    }
}

impl<'a> Str<'a> {
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// A flag: `true` or `false`; anything else is odd and absent.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Flag(pub Option<bool>);

impl<'de> Deserialize<'de> for Flag {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Flag, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = Flag;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a flag")
            }
            fn visit_bool<E: de::Error>(self, v: bool) -> Result<Flag, E> {
                Ok(Flag(Some(v)))
            }
            fn visit_unit<E: de::Error>(self) -> Result<Flag, E> {
                Ok(Flag(None))
            }
            fn visit_str<E: de::Error>(self, _: &str) -> Result<Flag, E> {
                odd();
                Ok(Flag(None))
            }
            fn visit_u64<E: de::Error>(self, _: u64) -> Result<Flag, E> {
                odd();
                Ok(Flag(None))
            }
            fn visit_i64<E: de::Error>(self, _: i64) -> Result<Flag, E> {
                odd();
                Ok(Flag(None))
            }
            fn visit_f64<E: de::Error>(self, _: f64) -> Result<Flag, E> {
                odd();
                Ok(Flag(None))
            }
            fn visit_seq<A: de::SeqAccess<'de>>(self, a: A) -> Result<Flag, A::Error> {
                odd();
                skip_seq(a).map(|_| Flag(None))
            }
            fn visit_map<A: de::MapAccess<'de>>(self, a: A) -> Result<Flag, A::Error> {
                odd();
                skip_map(a).map(|_| Flag(None))
            }
        }
        d.deserialize_any(V)
    }
}

impl Flag {
    pub fn or(self, default: bool) -> bool {
        self.0.unwrap_or(default)
    }
}

/// A number (a share, a time, a window's length); anything else is odd and absent.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct Num(pub Option<f64>);

impl<'de> Deserialize<'de> for Num {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Num, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = Num;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a number")
            }
            fn visit_u64<E: de::Error>(self, v: u64) -> Result<Num, E> {
                Ok(Num(Some(v as f64)))
            }
            fn visit_i64<E: de::Error>(self, v: i64) -> Result<Num, E> {
                Ok(Num(Some(v as f64)))
            }
            fn visit_f64<E: de::Error>(self, v: f64) -> Result<Num, E> {
                Ok(Num(Some(v)))
            }
            fn visit_unit<E: de::Error>(self) -> Result<Num, E> {
                Ok(Num(None))
            }
            fn visit_str<E: de::Error>(self, _: &str) -> Result<Num, E> {
                odd();
                Ok(Num(None))
            }
            fn visit_bool<E: de::Error>(self, _: bool) -> Result<Num, E> {
                odd();
                Ok(Num(None))
            }
            fn visit_seq<A: de::SeqAccess<'de>>(self, a: A) -> Result<Num, A::Error> {
                odd();
                skip_seq(a).map(|_| Num(None))
            }
            fn visit_map<A: de::MapAccess<'de>>(self, a: A) -> Result<Num, A::Error> {
                odd();
                skip_map(a).map(|_| Num(None))
            }
        }
        d.deserialize_any(V)
    }
}

impl Num {
    pub fn get(self) -> Option<f64> {
        self.0
    }
}

/// A list of objects; an element that is no object is odd and left out (by its `Default`), a list
/// that is no list is odd and empty.
#[derive(Debug, Default)]
pub struct List<T>(pub Vec<T>);

impl<'de, T: Deserialize<'de>> Deserialize<'de> for List<T> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<List<T>, D::Error> {
        struct V<T>(std::marker::PhantomData<T>);
        impl<'de, T: Deserialize<'de>> Visitor<'de> for V<T> {
            type Value = List<T>;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a list")
            }
            fn visit_seq<A: de::SeqAccess<'de>>(self, mut a: A) -> Result<List<T>, A::Error> {
                let mut out = Vec::new();
                while let Some(x) = a.next_element::<T>()? {
                    out.push(x);
                }
                Ok(List(out))
            }
            fn visit_unit<E: de::Error>(self) -> Result<List<T>, E> {
                Ok(List(Vec::new()))
            }
            fn visit_map<A: de::MapAccess<'de>>(self, a: A) -> Result<List<T>, A::Error> {
                odd();
                skip_map(a).map(|_| List(Vec::new()))
            }
            fn visit_str<E: de::Error>(self, _: &str) -> Result<List<T>, E> {
                odd();
                Ok(List(Vec::new()))
            }
            fn visit_u64<E: de::Error>(self, _: u64) -> Result<List<T>, E> {
                odd();
                Ok(List(Vec::new()))
            }
            fn visit_i64<E: de::Error>(self, _: i64) -> Result<List<T>, E> {
                odd();
                Ok(List(Vec::new()))
            }
            fn visit_f64<E: de::Error>(self, _: f64) -> Result<List<T>, E> {
                odd();
                Ok(List(Vec::new()))
            }
            fn visit_bool<E: de::Error>(self, _: bool) -> Result<List<T>, E> {
                odd();
                Ok(List(Vec::new()))
            }
        }
        d.deserialize_any(V(std::marker::PhantomData))
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
                    // Not an object where one was expected: odd, and empty.
                    fn visit_seq<A: serde::de::SeqAccess<'de>>(self, mut a: A) -> Result<Self::Value, A::Error> {
                        $crate::ground::json::odd();
                        while a.next_element::<serde::de::IgnoredAny>()?.is_some() {}
                        Ok(<$name $(<$lt>)?>::default())
                    }
                    fn visit_str<E: serde::de::Error>(self, _: &str) -> Result<Self::Value, E> {
                        $crate::ground::json::odd();
                        Ok(<$name $(<$lt>)?>::default())
                    }
                    fn visit_bool<E: serde::de::Error>(self, _: bool) -> Result<Self::Value, E> {
                        $crate::ground::json::odd();
                        Ok(<$name $(<$lt>)?>::default())
                    }
                    fn visit_u64<E: serde::de::Error>(self, _: u64) -> Result<Self::Value, E> {
                        $crate::ground::json::odd();
                        Ok(<$name $(<$lt>)?>::default())
                    }
                    fn visit_i64<E: serde::de::Error>(self, _: i64) -> Result<Self::Value, E> {
                        $crate::ground::json::odd();
                        Ok(<$name $(<$lt>)?>::default())
                    }
                    fn visit_f64<E: serde::de::Error>(self, _: f64) -> Result<Self::Value, E> {
                        $crate::ground::json::odd();
                        Ok(<$name $(<$lt>)?>::default())
                    }
                    fn visit_unit<E: serde::de::Error>(self) -> Result<Self::Value, E> {
                        Ok(<$name $(<$lt>)?>::default())
                    }
                }
                d.deserialize_any(V(std::marker::PhantomData))
            }
        }
    };
}
pub(crate) use object;

#[cfg(test)]
mod tests;
