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
    take_odd();
    let five: Outer = serde_json::from_str(r#"{"name":5,"inner":"x"}"#).unwrap();
    assert_eq!((five.name.unwrap().as_str(), five.inner.map(|i| i.n)), ("5", Some(Count::Absent)));
    assert_eq!(take_odd(), 2, "a number for a string and a string for an object: each odd, the line read");
    assert!(serde_json::from_str::<Outer>(r#"{"name":"a""#).is_err(), "a cut line still fails");
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
