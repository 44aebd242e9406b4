//! Rust source for values: [`ToRust`] writes a value as the expression that makes it, and [`Code`]
//! collects what the expressions name, for the file's `use` lines. An expression is kept as a
//! small document ([`Doc`]) and laid out by [`Layout`] the way rustfmt would: on one line when it
//! fits the width, else a struct's fields, a call's arguments and a list's items one a line (a
//! list of numbers filled line by line), a chained `.expect(…)` on a line of its own.

/// A value that can be written as the Rust expression making it.
pub trait ToRust {
    /// Writes the expression to `code` (and imports what it names).
    fn to_rust(&self, code: &mut Code);
}

/// A piece of an expression.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Doc {
    /// Text that is never broken.
    Text(String),
    /// `open` item, item `close`: on one line (with a space inside when `padded`, as in
    /// `S { a: 1 }`), or each item on a line of its own, ending with a comma (several a line when
    /// `packed`).
    Block {
        /// `" {"`, `"("` or `"["`.
        open: &'static str,
        /// Each item's pieces.
        items: Vec<Vec<Doc>>,
        /// `"}"`, `")"` or `"]"`.
        close: &'static str,
        /// A space inside the brackets on one line.
        padded: bool,
        /// Items filled line by line when broken.
        packed: bool,
    },
    /// A method call chained onto what comes before: on the same line, or on the next, indented.
    Chain(String),
}

/// Rust source being written, and the items it names.
#[derive(Debug, Default)]
pub struct Code {
    /// What the `use` lines name, in their order: by module, then as rustfmt orders names (lower
    /// case first). A sorted list, not a map: a few entries, and no map's code in the bundle.
    imports: Vec<(&'static str, bool, &'static str)>,
    /// The pieces being written.
    out: Vec<Doc>,
}

impl Code {
    /// Nothing written, nothing imported.
    pub fn new() -> Self {
        Self::default()
    }

    /// The file needs `use module::name;`.
    pub fn import(&mut self, module: &'static str, name: &'static str) {
        let entry = (
            module,
            name.starts_with(|c: char| c.is_ascii_uppercase()),
            name,
        );
        if let Err(at) = self.imports.binary_search(&entry) {
            self.imports.insert(at, entry);
        }
    }

    /// Writes `text` as it is (never broken).
    pub fn write(&mut self, text: &str) {
        match self.out.last_mut() {
            Some(Doc::Text(last)) => last.push_str(text),
            _ => self.out.push(Doc::Text(text.to_owned())),
        }
    }

    /// `value` as an expression, on its own (what it names is imported).
    pub fn render(&mut self, value: &dyn ToRust) -> Vec<Doc> {
        let outer = std::mem::take(&mut self.out);
        value.to_rust(self);
        std::mem::replace(&mut self.out, outer)
    }

    /// A block of `items`, each written by `write_item`.
    fn block<T>(
        &mut self,
        (open, close, padded): (&'static str, &'static str, bool),
        items: &[T],
        mut write_item: impl FnMut(&mut Self, &T),
    ) {
        let outer = std::mem::take(&mut self.out);
        let items = items
            .iter()
            .map(|item| {
                write_item(self, item);
                std::mem::take(&mut self.out)
            })
            .collect();
        self.out = outer;
        self.out.push(Doc::Block {
            open,
            items,
            close,
            padded,
            packed: false,
        });
    }

    /// `Variant { field: value, … }` (after the type's path).
    pub fn named(&mut self, variant: &str, fields: &[(&str, &dyn ToRust)]) {
        self.write(variant);
        self.block((" {", "}", true), fields, |code, (name, value)| {
            code.write(name);
            code.write(": ");
            value.to_rust(code);
        });
    }

    /// `Variant(value, …)` (after the type's path; a bare tuple when `variant` is empty).
    pub fn tuple(&mut self, variant: &str, items: &[&dyn ToRust]) {
        self.write(variant);
        self.block(("(", ")", false), items, |code, value| value.to_rust(code));
    }

    /// `vec![value, …]`.
    pub fn vec(&mut self, items: &[&dyn ToRust]) {
        self.write("vec!");
        self.block(("[", "]", false), items, |code, value| value.to_rust(code));
    }

    /// `[n, …]` filled line by line when broken (bytes).
    pub fn numbers(&mut self, numbers: &[u8]) {
        let items = numbers
            .iter()
            .map(|n| vec![Doc::Text(n.to_string())])
            .collect();
        self.out.push(Doc::Block {
            open: "[",
            items,
            close: "]",
            padded: false,
            packed: true,
        });
    }

    /// `Type::constructor("text").expect("why")`: a value checked as it is made.
    pub fn checked(&mut self, (module, ty): (&'static str, &'static str), call: &str, why: &str) {
        self.import(module, ty);
        self.write(ty);
        self.write("::");
        self.write(call);
        self.out
            .push(Doc::Chain(format!(".expect({})", rust_string(why))));
    }

    /// The `use` lines of everything named, one per module, as rustfmt orders them (names in
    /// lower case first), within `width` columns.
    pub fn use_lines(&self, width: usize) -> String {
        let mut layout = Layout::new(width);
        for group in self.imports.chunk_by(|a, b| a.0 == b.0) {
            let mut line = vec![Doc::Text(format!("use {}::", group[0].0))];
            if let [one] = group {
                line.push(Doc::Text(format!("{};", one.2)));
            } else {
                line.push(Doc::Block {
                    open: "{",
                    items: group
                        .iter()
                        .map(|i| vec![Doc::Text(i.2.to_owned())])
                        .collect(),
                    close: "}",
                    padded: false,
                    packed: true,
                });
                line.push(Doc::Text(";".to_owned()));
            }
            layout.line(0, &line);
        }
        layout.finish()
    }
}

/// Lines of source laid out within a width.
#[derive(Debug)]
pub struct Layout {
    out: String,
    width: usize,
    /// Where the current line began in `out`.
    line_start: usize,
}

impl Layout {
    /// Nothing laid out yet, within `width` columns.
    pub fn new(width: usize) -> Self {
        Self {
            out: String::new(),
            width,
            line_start: 0,
        }
    }

    /// A line of its own at `indent` spaces: `docs`, broken where they do not fit.
    pub fn line(&mut self, indent: usize, docs: &[Doc]) {
        self.spaces(indent);
        self.docs(docs, indent, 0);
        self.newline();
    }

    /// Text as it is (lines of their own included).
    pub fn text(&mut self, text: &str) {
        self.out.push_str(text);
        if let Some(last) = self.out.rfind('\n') {
            self.line_start = last + 1;
        }
    }

    /// What was laid out.
    pub fn finish(self) -> String {
        self.out
    }

    fn column(&self) -> usize {
        self.out[self.line_start..].chars().count()
    }

    fn spaces(&mut self, n: usize) {
        self.out.extend(std::iter::repeat_n(' ', n));
    }

    fn newline(&mut self) {
        self.out.push('\n');
        self.line_start = self.out.len();
    }

    /// `docs` from the current column: on one line when they fit with `reserve` columns after
    /// them, else with every block and chain of theirs broken (their items laid out the same way).
    fn docs(&mut self, docs: &[Doc], indent: usize, reserve: usize) {
        let mut flat = String::new();
        flatten(docs, &mut flat);
        if self.column() + flat.chars().count() + reserve <= self.width {
            self.out.push_str(&flat);
            return;
        }
        for doc in docs {
            match doc {
                Doc::Text(text) => self.out.push_str(text),
                Doc::Chain(call) => {
                    self.newline();
                    self.spaces(indent + 4);
                    self.out.push_str(call);
                }
                Doc::Block {
                    open, items, close, ..
                } if items.is_empty() => {
                    self.out.push_str(open.trim_start());
                    self.out.push_str(close);
                }
                Doc::Block {
                    open,
                    items,
                    close,
                    packed,
                    ..
                } => {
                    self.out.push_str(open);
                    self.newline();
                    self.spaces(indent + 4);
                    for (i, item) in items.iter().enumerate() {
                        if i > 0 {
                            let mut next = String::new();
                            flatten(item, &mut next);
                            if *packed && self.column() + 1 + next.chars().count() < self.width {
                                self.out.push(' ');
                            } else {
                                self.newline();
                                self.spaces(indent + 4);
                            }
                        }
                        self.docs(item, indent + 4, 1);
                        self.out.push(',');
                    }
                    self.newline();
                    self.spaces(indent);
                    self.out.push_str(close);
                }
            }
        }
    }
}

/// `docs` on one line.
pub fn flatten(docs: &[Doc], out: &mut String) {
    for doc in docs {
        match doc {
            Doc::Text(text) | Doc::Chain(text) => out.push_str(text),
            Doc::Block {
                open,
                items,
                close,
                padded,
                ..
            } => {
                out.push_str(open);
                for (i, item) in items.iter().enumerate() {
                    out.push_str(if i > 0 {
                        ", "
                    } else if *padded {
                        " "
                    } else {
                        ""
                    });
                    flatten(item, out);
                }
                if *padded && !items.is_empty() {
                    out.push(' ');
                }
                out.push_str(close);
            }
        }
    }
}

/// `text` as a Rust string literal. The escapes are written here: `{:?}` would bring the standard
/// library's tables of printable characters into the bundle.
pub fn rust_string(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 2);
    out.push('"');
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if c.is_control() => {
                out.push_str("\\u{");
                out.push_str(&format!("{:x}", u32::from(c)));
                out.push('}');
            }
            c => out.push(c),
        }
    }
    out.push('"');
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
        code.write(&rust_string(self));
        code.write(".to_owned()");
    }
}

impl<T: ToRust> ToRust for Vec<T> {
    fn to_rust(&self, code: &mut Code) {
        let items: Vec<&dyn ToRust> = self.iter().map(|i| i as &dyn ToRust).collect();
        code.vec(&items);
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
                // The type's name once, then the variant's alone: a literal per variant of its own
                // name is shared with the schema tables' (no `"Type::Variant"` strings).
                code.write(concat!(stringify!($ty), "::"));
                $crate::testgen::code::to_rust_enum!(@arms (self, code, $ty) [] $($body)*);
            }
        }
    };
    (@arms ($this:ident, $code:ident, $ty:ident) [$($arms:tt)*]
        $variant:ident { $($field:ident),* $(,)? } $(, $($rest:tt)*)?) => {
        $crate::testgen::code::to_rust_enum!(@arms ($this, $code, $ty) [$($arms)*
            $ty::$variant { $($field),* } => $code.named(
                stringify!($variant),
                &[$((stringify!($field), $field as &dyn $crate::testgen::ToRust)),*],
            ),
        ] $($($rest)*)?);
    };
    (@arms ($this:ident, $code:ident, $ty:ident) [$($arms:tt)*]
        $variant:ident ( $($field:ident),* $(,)? ) $(, $($rest:tt)*)?) => {
        $crate::testgen::code::to_rust_enum!(@arms ($this, $code, $ty) [$($arms)*
            $ty::$variant($($field),*) => $code.tuple(
                stringify!($variant),
                &[$($field as &dyn $crate::testgen::ToRust),*],
            ),
        ] $($($rest)*)?);
    };
    (@arms ($this:ident, $code:ident, $ty:ident) [$($arms:tt)*]
        $variant:ident $(, $($rest:tt)*)?) => {
        $crate::testgen::code::to_rust_enum!(@arms ($this, $code, $ty) [$($arms)*
            $ty::$variant => $code.write(stringify!($variant)),
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

    fn flat(docs: &[Doc]) -> String {
        let mut out = String::new();
        flatten(docs, &mut out);
        out
    }

    #[test]
    fn an_enum_is_written_as_the_expression_that_makes_it() {
        let mut code = Code::new();
        let written: Vec<String> = [
            Shape::Dot,
            Shape::Line { from: 1, to: 2 },
            Shape::Label("a \"b\"".to_owned()),
        ]
        .iter()
        .map(|s| flat(&code.render(s)))
        .collect();
        assert_eq!(
            written,
            [
                "Shape::Dot",
                "Shape::Line { from: 1, to: 2 }",
                "Shape::Label(\"a \\\"b\\\"\".to_owned())"
            ]
        );
        assert_eq!(code.use_lines(100), "use shapes::Shape;\n");
    }

    #[test]
    fn use_lines_group_a_module_s_names() {
        let mut code = Code::new();
        code.import("playground::kernel::testing", "given");
        code.import("playground::domain::bank", "Money");
        code.import("playground::domain::bank", "Account");
        code.import("playground::domain::bank", "deposit");
        assert_eq!(
            code.use_lines(100),
            "use playground::domain::bank::{deposit, Account, Money};\n\
             use playground::kernel::testing::given;\n"
        );
        assert_eq!(
            code.use_lines(40),
            "use playground::domain::bank::{\n    deposit, Account, Money,\n};\n\
             use playground::kernel::testing::given;\n"
        );
    }

    #[test]
    fn strings_are_written_as_rust_writes_them() {
        for text in [
            "Ada Lovelace",
            "a \"b\" \\ c",
            "line\nnext\ttab\r",
            "Zoë ☕ 東京",
            "\u{7}\u{1b}",
        ] {
            assert_eq!(rust_string(text), format!("{text:?}"));
        }
    }

    #[test]
    fn what_does_not_fit_is_broken_as_rustfmt_breaks_it() {
        let mut code = Code::new();
        let shape = code.render(&Shape::Line { from: 1, to: 2 });
        let laid = |width: usize, docs: &[Doc]| {
            let mut layout = Layout::new(width);
            layout.line(4, docs);
            layout.finish()
        };
        assert_eq!(laid(40, &shape), "    Shape::Line { from: 1, to: 2 }\n");
        assert_eq!(
            laid(20, &shape),
            "    Shape::Line {\n        from: 1,\n        to: 2,\n    }\n"
        );
        let mut code = Code::new();
        code.checked(("shapes", "Size"), "new(3)", "a size");
        assert_eq!(laid(40, &code.out), "    Size::new(3).expect(\"a size\")\n");
        assert_eq!(
            laid(20, &code.out),
            "    Size::new(3)\n        .expect(\"a size\")\n"
        );
        let mut code = Code::new();
        code.numbers(&[10, 20, 30, 40, 50]);
        assert_eq!(
            laid(20, &code.out),
            "    [\n        10, 20, 30,\n        40, 50,\n    ]\n"
        );
        let mut code = Code::new();
        code.vec(&[]);
        assert_eq!(laid(8, &code.out), "    vec![]\n");
    }
}
