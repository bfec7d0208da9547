//! TypeScript declarations from the shape declarations (`input_shape!`,
//! `output_shape!`, `string_enum!`) and the export list (`crate::exports`).
//! Native only: `cargo test` writes and checks the generated files.

/// A type's TypeScript name, and the declarations it needs.
pub trait TsType {
    /// The type expression (`string`, `Cart`, `Article[]`).
    fn ts_name() -> String;

    /// Adds the declarations of this type and the types it refers to.
    fn ts_collect(_decls: &mut Declarations) {}

    /// `name?: T` rather than `name: T`.
    const OPTIONAL: bool = false;

    /// An input shape's fields as (JS name, optional), for the glue's own
    /// checks of `checked(…)` parameters.
    fn js_fields() -> Vec<(&'static str, bool)> {
        Vec::new()
    }
}

/// Named declarations in first-use order, each once.
#[derive(Default)]
pub struct Declarations {
    entries: Vec<(String, Option<String>)>,
}

impl Declarations {
    /// True when `name` is new; the caller then builds it and calls `finish`.
    /// (Marked before its fields are visited, so recursive shapes end.)
    pub fn begin(&mut self, name: &str) -> bool {
        if self.entries.iter().any(|(n, _)| n == name) {
            return false;
        }
        self.entries.push((name.to_owned(), None));
        true
    }

    pub fn finish(&mut self, name: &str, body: String) {
        if let Some(entry) = self.entries.iter_mut().find(|(n, _)| n == name) {
            entry.1 = Some(body);
        }
    }

    pub fn add<T: TsType>(&mut self) {
        T::ts_collect(self);
    }

    /// A declaration written by hand (`export type X = …`), under `name`.
    pub fn raw(&mut self, name: &str, body: String) {
        if self.begin(name) {
            self.finish(name, body);
        }
    }

    /// The declared type names, in order.
    pub fn names(&self) -> impl Iterator<Item = &str> {
        self.entries.iter().map(|(name, _)| name.as_str())
    }

    pub fn render(&self) -> String {
        let mut out = String::new();
        for (_, body) in &self.entries {
            if let Some(body) = body {
                out.push('\n');
                out.push_str(body);
            }
        }
        out
    }
}

/// A `/** … */` comment from doc lines (`///` text, leading space kept off).
pub fn doc(out: &mut String, indent: &str, lines: &[&str]) {
    match lines {
        [] => {}
        [one] => {
            out.push_str(indent);
            out.push_str("/** ");
            out.push_str(one.trim());
            out.push_str(" */\n");
        }
        many => {
            out.push_str(indent);
            out.push_str("/**\n");
            for line in many {
                out.push_str(indent);
                out.push_str(" *");
                let line = line.strip_prefix(' ').unwrap_or(line);
                if !line.is_empty() {
                    out.push(' ');
                    out.push_str(line);
                }
                out.push('\n');
            }
            out.push_str(indent);
            out.push_str(" */\n");
        }
    }
}

/// One interface member.
pub fn field<T: TsType>(out: &mut String, name: &str, optional: bool) {
    out.push_str("  ");
    out.push_str(name);
    if optional {
        out.push('?');
    }
    out.push_str(": ");
    out.push_str(&T::ts_name());
    out.push_str(";\n");
}

macro_rules! ts_scalar {
    ($($ty:ty => $name:literal),*) => {
        $(impl TsType for $ty {
            fn ts_name() -> String {
                $name.to_owned()
            }
        })*
    };
}

ts_scalar! {
    String => "string",
    &str => "string",
    bool => "boolean",
    i64 => "number",
    u32 => "number",
    crate::money::Amount => "string",
    crate::date::Date => "string"
}

impl<T: TsType> TsType for Option<T> {
    fn ts_name() -> String {
        T::ts_name()
    }

    fn js_fields() -> Vec<(&'static str, bool)> {
        T::js_fields()
    }

    fn ts_collect(decls: &mut Declarations) {
        T::ts_collect(decls);
    }

    const OPTIONAL: bool = true;
}

impl<T: TsType> TsType for Vec<T> {
    fn ts_name() -> String {
        let inner = T::ts_name();
        if inner.contains(' ') {
            format!("({inner})[]")
        } else {
            format!("{inner}[]")
        }
    }

    fn ts_collect(decls: &mut Declarations) {
        T::ts_collect(decls);
    }
}
