//! Shared helpers for the workspace-level tests.
//!
//! [`json`] is a small JSON reader, enough for `cargo metadata` output, so the architecture test
//! needs no serde.

pub mod json {
    //! A minimal recursive-descent JSON parser (RFC 8259 values; numbers kept as `f64`).

    /// A parsed JSON value. Objects keep their keys in document order.
    #[derive(Debug, Clone, PartialEq)]
    pub enum Value {
        /// `null`
        Null,
        /// `true` / `false`
        Bool(bool),
        /// Any number.
        Number(f64),
        /// A string, with escapes decoded.
        String(String),
        /// `[...]`
        Array(Vec<Value>),
        /// `{...}` as `(key, value)` pairs.
        Object(Vec<(String, Value)>),
    }

    impl Value {
        /// The value of `key` if `self` is an object that has it.
        pub fn get(&self, key: &str) -> Option<&Value> {
            match self {
                Value::Object(members) => members.iter().find(|(k, _)| k == key).map(|(_, v)| v),
                _ => None,
            }
        }

        /// The string, if `self` is one.
        pub fn as_str(&self) -> Option<&str> {
            match self {
                Value::String(s) => Some(s),
                _ => None,
            }
        }

        /// The elements, if `self` is an array.
        pub fn as_array(&self) -> Option<&[Value]> {
            match self {
                Value::Array(items) => Some(items),
                _ => None,
            }
        }

        /// The members, if `self` is an object.
        pub fn as_object(&self) -> Option<&[(String, Value)]> {
            match self {
                Value::Object(members) => Some(members),
                _ => None,
            }
        }
    }

    /// Parses one JSON document (surrounding whitespace allowed). The error names the byte
    /// offset where parsing stopped.
    pub fn parse(text: &str) -> Result<Value, String> {
        let mut parser = Parser {
            bytes: text.as_bytes(),
            pos: 0,
        };
        let value = parser.value()?;
        parser.skip_ws();
        if parser.pos != parser.bytes.len() {
            return Err(parser.error("trailing characters"));
        }
        Ok(value)
    }

    struct Parser<'a> {
        bytes: &'a [u8],
        pos: usize,
    }

    impl Parser<'_> {
        fn error(&self, what: &str) -> String {
            format!("JSON error at byte {}: {what}", self.pos)
        }

        fn skip_ws(&mut self) {
            while matches!(self.peek(), Some(b' ' | b'\t' | b'\n' | b'\r')) {
                self.pos += 1;
            }
        }

        fn peek(&self) -> Option<u8> {
            self.bytes.get(self.pos).copied()
        }

        fn expect(&mut self, byte: u8) -> Result<(), String> {
            self.skip_ws();
            if self.peek() == Some(byte) {
                self.pos += 1;
                Ok(())
            } else {
                Err(self.error(&format!("expected `{}`", byte as char)))
            }
        }

        fn literal(&mut self, word: &str, value: Value) -> Result<Value, String> {
            if self.bytes[self.pos..].starts_with(word.as_bytes()) {
                self.pos += word.len();
                Ok(value)
            } else {
                Err(self.error("unexpected character"))
            }
        }

        fn value(&mut self) -> Result<Value, String> {
            self.skip_ws();
            match self.peek() {
                Some(b'{') => self.object(),
                Some(b'[') => self.array(),
                Some(b'"') => self.string().map(Value::String),
                Some(b't') => self.literal("true", Value::Bool(true)),
                Some(b'f') => self.literal("false", Value::Bool(false)),
                Some(b'n') => self.literal("null", Value::Null),
                Some(b'-' | b'0'..=b'9') => self.number(),
                Some(_) => Err(self.error("unexpected character")),
                None => Err(self.error("unexpected end of input")),
            }
        }

        /// Parses `open item (, item)* close` or `open close`, calling `item` for each item.
        fn sequence(
            &mut self,
            open: u8,
            close: u8,
            mut item: impl FnMut(&mut Self) -> Result<(), String>,
        ) -> Result<(), String> {
            self.expect(open)?;
            self.skip_ws();
            if self.peek() == Some(close) {
                self.pos += 1;
                return Ok(());
            }
            loop {
                item(self)?;
                self.skip_ws();
                match self.peek() {
                    Some(b',') => self.pos += 1,
                    Some(c) if c == close => {
                        self.pos += 1;
                        return Ok(());
                    }
                    _ => return Err(self.error(&format!("expected `,` or `{}`", close as char))),
                }
            }
        }

        fn object(&mut self) -> Result<Value, String> {
            let mut members = Vec::new();
            self.sequence(b'{', b'}', |p| {
                p.skip_ws();
                let key = p.string()?;
                p.expect(b':')?;
                members.push((key, p.value()?));
                Ok(())
            })?;
            Ok(Value::Object(members))
        }

        fn array(&mut self) -> Result<Value, String> {
            let mut items = Vec::new();
            self.sequence(b'[', b']', |p| {
                items.push(p.value()?);
                Ok(())
            })?;
            Ok(Value::Array(items))
        }

        fn number(&mut self) -> Result<Value, String> {
            let start = self.pos;
            while matches!(
                self.peek(),
                Some(b'0'..=b'9' | b'-' | b'+' | b'.' | b'e' | b'E')
            ) {
                self.pos += 1;
            }
            let text = std::str::from_utf8(&self.bytes[start..self.pos]).expect("ASCII");
            text.parse()
                .map(Value::Number)
                .map_err(|_| self.error("bad number"))
        }

        fn hex4(&mut self) -> Result<u32, String> {
            let digits = self
                .bytes
                .get(self.pos..self.pos + 4)
                .ok_or(self.error("short \\u"))?;
            let digits = std::str::from_utf8(digits).map_err(|_| self.error("bad \\u"))?;
            let code = u32::from_str_radix(digits, 16).map_err(|_| self.error("bad \\u"))?;
            self.pos += 4;
            Ok(code)
        }

        fn string(&mut self) -> Result<String, String> {
            self.expect(b'"')?;
            let mut out = String::new();
            loop {
                // Copy the run of plain characters in one go (it is valid UTF-8: it came from &str
                // and stops only at ASCII bytes).
                let start = self.pos;
                while !matches!(self.peek(), None | Some(b'"' | b'\\')) {
                    self.pos += 1;
                }
                out.push_str(std::str::from_utf8(&self.bytes[start..self.pos]).expect("UTF-8"));
                match self.peek() {
                    None => return Err(self.error("unterminated string")),
                    Some(b'"') => {
                        self.pos += 1;
                        return Ok(out);
                    }
                    _ => {}
                }
                self.pos += 1; // the backslash
                let escape = self.peek().ok_or(self.error("unterminated escape"))?;
                self.pos += 1;
                match escape {
                    b'"' | b'\\' | b'/' => out.push(escape as char),
                    b'b' => out.push('\u{8}'),
                    b'f' => out.push('\u{c}'),
                    b'n' => out.push('\n'),
                    b'r' => out.push('\r'),
                    b't' => out.push('\t'),
                    b'u' => {
                        let mut code = self.hex4()?;
                        if (0xD800..0xDC00).contains(&code)
                            && self.bytes[self.pos..].starts_with(b"\\u")
                        {
                            self.pos += 2;
                            let low = self.hex4()?;
                            if !(0xDC00..0xE000).contains(&low) {
                                return Err(self.error("unpaired surrogate"));
                            }
                            code = 0x10000 + ((code - 0xD800) << 10) + (low - 0xDC00);
                        }
                        out.push(char::from_u32(code).ok_or(self.error("bad code point"))?);
                    }
                    _ => return Err(self.error("unknown escape")),
                }
            }
        }
    }

    #[cfg(test)]
    mod tests {
        use super::*;

        #[test]
        fn parses_a_metadata_like_document() {
            let text = r#" {"packages": [{"name": "weft-sync", "features": {"nogil": [],
                "default": ["gil"]}, "dependencies": [{"name": "atomic-wait", "kind": null,
                "optional": false}], "edition": "2024"}], "version": 1, "x": [-1.5e2, true,
                false, {}, []]} "#;
            let doc = parse(text).unwrap();
            let package = &doc.get("packages").unwrap().as_array().unwrap()[0];
            assert_eq!(package.get("name").unwrap().as_str(), Some("weft-sync"));
            let features = package.get("features").unwrap().as_object().unwrap();
            assert_eq!(
                features[1],
                (
                    "default".into(),
                    Value::Array(vec![Value::String("gil".into())])
                )
            );
            let dep = &package.get("dependencies").unwrap().as_array().unwrap()[0];
            assert_eq!(dep.get("kind"), Some(&Value::Null));
            assert_eq!(dep.get("optional"), Some(&Value::Bool(false)));
            assert_eq!(doc.get("version"), Some(&Value::Number(1.0)));
            let x = doc.get("x").unwrap().as_array().unwrap();
            assert_eq!(
                x,
                [
                    Value::Number(-150.0),
                    Value::Bool(true),
                    Value::Bool(false),
                    Value::Object(vec![]),
                    Value::Array(vec![]),
                ]
            );
            assert_eq!(doc.get("missing"), None);
        }

        #[test]
        fn decodes_string_escapes() {
            let doc = parse(r#""a\"b\\c\/d\n\t\u00e9\ud83d\ude00 é""#).unwrap();
            assert_eq!(doc.as_str(), Some("a\"b\\c/d\n\té😀 é"));
        }

        #[test]
        fn rejects_malformed_input() {
            for bad in [
                "",
                "{",
                "[1,]",
                "{\"a\" 1}",
                "\"open",
                "tru",
                "1 2",
                "{1: 2}",
                "\"\\q\"",
            ] {
                assert!(parse(bad).is_err(), "{bad:?} should not parse");
            }
        }
    }
}
