//! Enums stored in the database by a stable ASCII code and shown to people with a Spanish label.
//!
//! The code is what the database and the wire carry (serde uses it too), so renaming a Rust
//! variant never changes stored data; the label is what the UI shows.

/// Declares a `Copy` enum with `code`, `from_code`, `label_es` and `ALL`; serde uses the code.
macro_rules! coded_enum {
    (
        $(#[$meta:meta])*
        pub enum $name:ident {
            $(
                $(#[$variant_meta:meta])*
                $variant:ident => ($code:literal, $label:literal),
            )+
        }
    ) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
        pub enum $name {
            $(
                $(#[$variant_meta])*
                #[serde(rename = $code)]
                $variant,
            )+
        }

        impl $name {
            /// Every value, in declaration order (the order forms and reports list them).
            pub const ALL: [Self; [$(stringify!($variant)),+].len()] = [$(Self::$variant),+];

            /// The stable code stored in the database.
            pub fn code(&self) -> &'static str {
                match self {
                    $(Self::$variant => $code,)+
                }
            }

            /// The value whose [`code`](Self::code) is `code`, if any (exact match).
            pub fn from_code(code: &str) -> Option<Self> {
                match code {
                    $($code => Some(Self::$variant),)+
                    _ => None,
                }
            }

            /// The Spanish label shown in the interface.
            pub fn label_es(&self) -> &'static str {
                match self {
                    $(Self::$variant => $label,)+
                }
            }
        }

        impl core::fmt::Display for $name {
            fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
                f.write_str(self.label_es())
            }
        }
    };
}

#[cfg(test)]
mod tests {
    coded_enum! {
        /// A sample enum for the macro's own tests.
        pub enum Sample {
            One => ("one", "Uno"),
            TwoWords => ("two_words", "Dos palabras"),
        }
    }

    #[test]
    fn codes_round_trip_and_serde_uses_the_code() {
        for value in Sample::ALL {
            assert_eq!(Sample::from_code(value.code()), Some(value));
        }
        assert_eq!(Sample::from_code("One"), None);
        assert_eq!(Sample::TwoWords.to_string(), "Dos palabras");
        assert_eq!(
            serde_json::to_string(&Sample::TwoWords).unwrap(),
            "\"two_words\""
        );
        assert_eq!(
            serde_json::from_str::<Sample>("\"one\"").unwrap(),
            Sample::One
        );
    }
}
