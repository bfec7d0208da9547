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

    /// How the glue packs a value of this type for `json::PACKED` (adding
    /// the packers it needs to `packers`); `None`: the glue sends it as
    /// JSON only.
    fn js_pack(_packers: &mut Packers) -> Option<Pack> {
        None
    }
}

/// How one value is packed by the glue (`src/exports/pack.js`).
pub enum Pack {
    String,
    Boolean,
    /// An input shape, by the name of its generated packer function.
    Shape(String),
}

impl Pack {
    /// The `case` of a shape's packer that packs member `js` as field `index`.
    pub fn case(&self, js: &str, index: usize) -> String {
        let call = match self {
            Pack::String => format!("packString({index}, v.{js})"),
            Pack::Boolean => format!("packBoolean({index}, v.{js})"),
            Pack::Shape(packer) => format!("packShape({index}, {packer}, v.{js})"),
        };
        format!("      case '{js}': if (!{call}) return false; break;\n")
    }
}

/// The generated packer functions of input shapes, each once, in first-use
/// order; shapes with a member the glue cannot pack are remembered as such.
#[derive(Default)]
pub struct Packers {
    entries: Vec<(String, Option<String>)>,
}

impl Packers {
    /// `Some(known)` when `name` was met before (`known`: it can be packed).
    pub fn known(&self, name: &str) -> Option<bool> {
        self.entries
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, body)| !matches!(body.as_deref(), Some("")))
    }

    /// Marks `name` as being built (so that a recursive shape ends).
    pub fn begin(&mut self, name: &str) {
        self.entries.push((name.to_owned(), None));
    }

    /// The packer's body, or `None`: the shape cannot be packed.
    pub fn finish(&mut self, name: &str, body: Option<String>) {
        if let Some(entry) = self.entries.iter_mut().find(|(n, _)| n == name) {
            entry.1 = Some(body.unwrap_or_default());
        }
    }

    /// Every packer function, in order.
    pub fn bodies(&self) -> impl Iterator<Item = (&str, &str)> {
        self.entries.iter().filter_map(|(name, body)| {
            body.as_deref()
                .filter(|b| !b.is_empty())
                .map(|b| (name.as_str(), b))
        })
    }
}

/// A shape's members as (JS name, how it is packed), in declaration order.
pub type PackedMembers = Vec<(&'static str, Option<Pack>)>;

/// The packer of an input shape, from its `members`.
pub fn shape_packer(
    packers: &mut Packers,
    ts: &str,
    members: &mut dyn FnMut(&mut Packers) -> PackedMembers,
) -> Option<Pack> {
    let name = format!("pack{ts}");
    if let Some(known) = packers.known(&name) {
        return known.then_some(Pack::Shape(name));
    }
    packers.begin(&name);
    let mut body = format!(
        "function {name}(v) {{\n  if (!packOpen(v)) return false;\n  for (const k in v) {{\n    switch (k) {{\n"
    );
    let mut packable = true;
    for (index, (js, pack)) in members(packers).into_iter().enumerate() {
        match pack {
            Some(pack) => body.push_str(&pack.case(js, index)),
            None => packable = false,
        }
    }
    body.push_str("      default:\n        return false;\n    }\n  }\n  return packClose();\n}\n");
    packers.finish(&name, packable.then_some(body));
    packable.then_some(Pack::Shape(name))
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

/// One member of an input shape: an optional one also takes `undefined`,
/// which the core reads as left out (`exactOptionalPropertyTypes` would
/// otherwise refuse `{ bankAccount: result.bankAccount }`).
pub fn input_field<T: TsType>(out: &mut String, name: &str, optional: bool) {
    field::<T>(out, name, optional);
    if optional {
        out.truncate(out.len() - 2);
        out.push_str(" | undefined;\n");
    }
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

impl TsType for String {
    fn ts_name() -> String {
        "string".to_owned()
    }

    fn js_pack(_: &mut Packers) -> Option<Pack> {
        Some(Pack::String)
    }
}

impl TsType for bool {
    fn ts_name() -> String {
        "boolean".to_owned()
    }

    fn js_pack(_: &mut Packers) -> Option<Pack> {
        Some(Pack::Boolean)
    }
}

ts_scalar! {
    &str => "string",
    i64 => "number",
    u32 => "number",
    super::Quantity => "number",
    super::Number => "number",
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

    // `null` is packed like JSON's; whether it may be is the decoder's call.
    fn js_pack(packers: &mut Packers) -> Option<Pack> {
        T::js_pack(packers)
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
