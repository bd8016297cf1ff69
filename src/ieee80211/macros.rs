//! `named_values!`: protocol numbers as newtypes with named constants that keep
//! unknown values (so a value this code does not know survives a round trip).

/// Declares `pub struct Name(pub T)` with associated constants, `name()`, a `Debug`
/// that prints the constant's name (or `Name(raw)`), and conversions from/to `T`.
macro_rules! named_values {
    (
        $(#[$m:meta])*
        $name:ident($ty:ty) {
            $( $(#[$cm:meta])* $c:ident = $v:literal ),* $(,)?
        }
    ) => {
        $(#[$m])*
        #[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Default)]
        pub struct $name(pub $ty);

        impl $name {
            $( $(#[$cm])* pub const $c: $name = $name($v); )*

            /// The constant's name, or `None` for a value this code does not name.
            pub fn name(self) -> Option<&'static str> {
                match self.0 {
                    $( $v => Some(stringify!($c)), )*
                    _ => None,
                }
            }
        }

        impl ::std::fmt::Debug for $name {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                match self.name() {
                    Some(n) => write!(f, "{}({})", n, self.0),
                    None => write!(f, "{}({})", stringify!($name), self.0),
                }
            }
        }

        impl From<$ty> for $name {
            fn from(v: $ty) -> Self {
                $name(v)
            }
        }

        impl From<$name> for $ty {
            fn from(v: $name) -> $ty {
                v.0
            }
        }
    };
}

pub(crate) use named_values;
