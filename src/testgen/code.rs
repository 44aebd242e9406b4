//! Rust source for values: [`ToRust`] writes a value as the expression that makes it, and [`Code`]
//! collects what the expressions name, for the file's `use` lines.

use std::collections::{BTreeMap, BTreeSet};

/// A value that can be written as the Rust expression making it.
pub trait ToRust {
    /// Writes the expression to `code` (and imports what it names).
    fn to_rust(&self, code: &mut Code);
}

/// Rust source being written, and the items it names.
#[derive(Debug, Default)]
pub struct Code {
    imports: BTreeMap<&'static str, BTreeSet<&'static str>>,
    out: String,
}

impl Code {
    /// Nothing written, nothing imported.
    pub fn new() -> Self {
        Self::default()
    }

    /// The file needs `use module::name;`.
    pub fn import(&mut self, module: &'static str, name: &'static str) {
        self.imports.entry(module).or_default().insert(name);
    }

    /// Writes `text` as it is.
    pub fn write(&mut self, text: &str) {
        self.out.push_str(text);
    }

    /// `value` as an expression, on its own (what it names is imported).
    pub fn render(&mut self, value: &dyn ToRust) -> String {
        let outer = std::mem::take(&mut self.out);
        value.to_rust(self);
        std::mem::replace(&mut self.out, outer)
    }

    /// `Path { field: value, … }`.
    pub fn named(&mut self, path: &str, fields: &[(&str, &dyn ToRust)]) {
        self.write(path);
        self.write(" {");
        for (i, (name, value)) in fields.iter().enumerate() {
            self.write(if i == 0 { " " } else { ", " });
            self.write(name);
            self.write(": ");
            value.to_rust(self);
        }
        self.write(" }");
    }

    /// `Path(value, …)`.
    pub fn tuple(&mut self, path: &str, items: &[&dyn ToRust]) {
        self.write(path);
        self.write("(");
        for (i, value) in items.iter().enumerate() {
            if i > 0 {
                self.write(", ");
            }
            value.to_rust(self);
        }
        self.write(")");
    }

    /// `Type::constructor("text").expect("why")`: a value checked as it is made.
    pub fn checked(&mut self, (module, ty): (&'static str, &'static str), call: &str, why: &str) {
        self.import(module, ty);
        self.write(ty);
        self.write("::");
        self.write(call);
        self.write(".expect(");
        self.write(&format!("{why:?}"));
        self.write(")");
    }

    /// The `use` lines of everything named, one per module, as rustfmt orders them (names in
    /// lower case first).
    pub fn use_lines(&self) -> String {
        let mut out = String::new();
        for (module, names) in &self.imports {
            let mut names: Vec<&str> = names.iter().copied().collect();
            names.sort_by_key(|n| (n.starts_with(|c: char| c.is_ascii_uppercase()), *n));
            if let [one] = names.as_slice() {
                out.push_str(&format!("use {module}::{one};\n"));
            } else {
                out.push_str(&format!("use {module}::{{{}}};\n", names.join(", ")));
            }
        }
        out
    }
}

/// `items`, one a line at `indent` spaces, each ending with a comma, inside `open` and `close`
/// (`[]` alone when there are none).
pub fn list(items: &[String], indent: usize, (open, close): (&str, &str)) -> String {
    if items.is_empty() {
        return format!("{open}{close}");
    }
    let pad = " ".repeat(indent + 4);
    let mut out = format!("{open}\n");
    for item in items {
        out.push_str(&pad);
        out.push_str(item);
        out.push_str(",\n");
    }
    out.push_str(&" ".repeat(indent));
    out.push_str(close);
    out
}

impl ToRust for bool {
    fn to_rust(&self, code: &mut Code) {
        code.write(if *self { "true" } else { "false" });
    }
}

macro_rules! to_rust_number {
    ($($ty:ty),*) => {$(
        impl ToRust for $ty {
            fn to_rust(&self, code: &mut Code) {
                code.write(&self.to_string());
            }
        }
    )*};
}

to_rust_number!(u8, u32, u64, i64);

impl ToRust for String {
    fn to_rust(&self, code: &mut Code) {
        code.write(&format!("{self:?}.to_owned()"));
    }
}

impl<T: ToRust> ToRust for Vec<T> {
    fn to_rust(&self, code: &mut Code) {
        code.write("vec![");
        for (i, item) in self.iter().enumerate() {
            if i > 0 {
                code.write(", ");
            }
            item.to_rust(code);
        }
        code.write("]");
    }
}

impl<A: ToRust, B: ToRust> ToRust for (A, B) {
    fn to_rust(&self, code: &mut Code) {
        code.tuple("", &[&self.0, &self.1]);
    }
}

/// Implements [`ToRust`] for an enum whose variants are listed with their fields' names, as they
/// are declared: `Ty in "module" { Unit, Named { a, b }, Tuple(a) }`.
macro_rules! to_rust_enum {
    ($ty:ident in $module:literal { $($body:tt)* }) => {
        impl $crate::testgen::ToRust for $ty {
            fn to_rust(&self, code: &mut $crate::testgen::Code) {
                code.import($module, stringify!($ty));
                $crate::testgen::code::to_rust_enum!(@arms (self, code, $ty) [] $($body)*);
            }
        }
    };
    (@arms ($this:ident, $code:ident, $ty:ident) [$($arms:tt)*]
        $variant:ident { $($field:ident),* $(,)? } $(, $($rest:tt)*)?) => {
        $crate::testgen::code::to_rust_enum!(@arms ($this, $code, $ty) [$($arms)*
            $ty::$variant { $($field),* } => $code.named(
                concat!(stringify!($ty), "::", stringify!($variant)),
                &[$((stringify!($field), $field as &dyn $crate::testgen::ToRust)),*],
            ),
        ] $($($rest)*)?);
    };
    (@arms ($this:ident, $code:ident, $ty:ident) [$($arms:tt)*]
        $variant:ident ( $($field:ident),* $(,)? ) $(, $($rest:tt)*)?) => {
        $crate::testgen::code::to_rust_enum!(@arms ($this, $code, $ty) [$($arms)*
            $ty::$variant($($field),*) => $code.tuple(
                concat!(stringify!($ty), "::", stringify!($variant)),
                &[$($field as &dyn $crate::testgen::ToRust),*],
            ),
        ] $($($rest)*)?);
    };
    (@arms ($this:ident, $code:ident, $ty:ident) [$($arms:tt)*]
        $variant:ident $(, $($rest:tt)*)?) => {
        $crate::testgen::code::to_rust_enum!(@arms ($this, $code, $ty) [$($arms)*
            $ty::$variant => $code.write(concat!(stringify!($ty), "::", stringify!($variant))),
        ] $($($rest)*)?);
    };
    (@arms ($this:ident, $code:ident, $ty:ident) [$($arms:tt)*]) => {
        match $this {
            $($arms)*
        }
    };
}

pub(crate) use to_rust_enum;

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Debug)]
    enum Shape {
        Dot,
        Line { from: u32, to: u32 },
        Label(String),
    }

    to_rust_enum!(Shape in "shapes" { Dot, Line { from, to }, Label(text) });

    #[test]
    fn an_enum_is_written_as_the_expression_that_makes_it() {
        let mut code = Code::new();
        let written: Vec<String> = [
            Shape::Dot,
            Shape::Line { from: 1, to: 2 },
            Shape::Label("a \"b\"".to_owned()),
        ]
        .iter()
        .map(|s| code.render(s))
        .collect();
        assert_eq!(
            written,
            [
                "Shape::Dot",
                "Shape::Line { from: 1, to: 2 }",
                "Shape::Label(\"a \\\"b\\\"\".to_owned())"
            ]
        );
        assert_eq!(code.use_lines(), "use shapes::Shape;\n");
    }

    #[test]
    fn use_lines_group_a_module_s_names() {
        let mut code = Code::new();
        code.import("playground::kernel::testing", "given");
        code.import("playground::domain::bank", "Money");
        code.import("playground::domain::bank", "Account");
        code.import("playground::domain::bank", "deposit");
        assert_eq!(
            code.use_lines(),
            "use playground::domain::bank::{deposit, Account, Money};\n\
             use playground::kernel::testing::given;\n"
        );
    }

    #[test]
    fn lists_are_one_item_a_line() {
        assert_eq!(list(&[], 4, ("[", "]")), "[]");
        assert_eq!(
            list(&["a".to_owned(), "b".to_owned()], 4, ("[", "]")),
            "[\n        a,\n        b,\n    ]"
        );
    }
}
