//! The functions of `crate::exports` as plain wasm exports, without
//! wasm-bindgen: the JS glue (`pkg/glue.js`) writes the arguments as UTF-8,
//! one after the other, into one input buffer and passes their lengths (-1
//! for an absent one); the result, or the error as JSON, is left in one
//! output buffer whose length comes back (negative, minus one, for an error).
//! Two buffers that are reused instead of an allocation per string, and
//! nothing for JS but a few lines of glue: this is most of why the storefront
//! module is small and a call is cheap.

use crate::error::{BillPayError, ErrorCode, Result};
use crate::prelude::*;
use core::cell::Cell;
use core::sync::atomic::{AtomicUsize, Ordering};

/// A value of the module's one thread. `thread_local!` is std's, and the
/// storefront module has no std (lib.rs).
struct OneThread<T>(Cell<T>);

// SAFETY: wasm32 without the atomics feature (refused below) runs a module
// instance on one thread, so the cell is never reached from two.
unsafe impl<T> Sync for OneThread<T> {}

#[cfg(target_feature = "atomics")]
compile_error!("the raw exports keep their buffers in plain statics: build without wasm threads");

impl<T> core::ops::Deref for OneThread<T> {
    type Target = Cell<T>;

    fn deref(&self) -> &Cell<T> {
        &self.0
    }
}

// Cells whose buffers are taken out for a call and put back (moving a Vec
// leaves its bytes where they are): no borrow flags, no panics.
static INPUT: OneThread<Vec<u8>> = OneThread(Cell::new(Vec::new()));
static OUTPUT: OneThread<Vec<u8>> = OneThread(Cell::new(Vec::new()));
static LATIN1_OK: OneThread<bool> = OneThread(Cell::new(false));

/// Set in an answer's length when its bytes are Latin-1 rather than UTF-8.
const LATIN1: i32 = 1 << 30;

/// Lets answers come as Latin-1 where every character fits: Node turns
/// Latin-1 bytes into a string several times faster than UTF-8 with a few
/// umlauts in it (`Buffer#latin1Slice` against `TextDecoder`), and most
/// blocks are Latin-1 throughout. The glue asks for it only where it can
/// read it.
#[export_name = "bp_latin1"]
pub extern "C" fn allow_latin1(allowed: i32) {
    LATIN1_OK.set(allowed != 0);
}

/// `text` as Latin-1 when every character is below U+0100 and none is a C1
/// control (so that no decoder can read a byte two ways). UTF-8 writes
/// U+00A0..=U+00FF as 0xC2/0xC3 and one continuation byte. Converted in
/// place (Latin-1 is never longer), the ASCII runs moved in one copy each.
fn latin1(text: String) -> core::result::Result<Vec<u8>, String> {
    if text.is_ascii() {
        return Ok(text.into_bytes());
    }
    let mut bytes = text.into_bytes();
    let (mut read, mut write) = (0usize, 0usize);
    loop {
        let run = ascii_run(bytes.get(read..).unwrap_or(&[]));
        bytes.copy_within(read..read + run, write);
        read += run;
        write += run;
        let (Some(&lead), Some(&next)) = (bytes.get(read), bytes.get(read + 1)) else {
            bytes.truncate(write);
            return Ok(bytes);
        };
        let latin1 = match lead {
            0xc2 if next >= 0xa0 => next,
            0xc3 => next.wrapping_add(0x40),
            // Not Latin-1: the UTF-8 text again.
            _ => return Err(undo(bytes, read, write)),
        };
        if let Some(slot) = bytes.get_mut(write) {
            *slot = latin1;
        }
        read += 2;
        write += 1;
    }
}

/// The length of the ASCII prefix of `bytes`, eight bytes at a time.
fn ascii_run(bytes: &[u8]) -> usize {
    let mut at = 0;
    for word in bytes.chunks_exact(8) {
        // A reference to the eight bytes and one load: copying them into an
        // array called `copy_from_slice` per word at opt-level "z", a tenth
        // of a block's render time.
        let Ok(eight) = <&[u8; 8]>::try_from(word) else {
            break;
        };
        if u64::from_ne_bytes(*eight) & 0x8080_8080_8080_8080 != 0 {
            break;
        }
        at += 8;
    }
    at + bytes
        .get(at..)
        .unwrap_or(&[])
        .iter()
        .position(|b| *b >= 0x80)
        .unwrap_or(bytes.len().saturating_sub(at))
}

/// Back to UTF-8 after a partial conversion: `bytes[..write]` is Latin-1,
/// `bytes[read..]` still UTF-8.
fn undo(bytes: Vec<u8>, read: usize, write: usize) -> String {
    let mut text: String = bytes
        .get(..write)
        .unwrap_or(&[])
        .iter()
        .map(|&b| char::from(b))
        .collect();
    text.push_str(core::str::from_utf8(bytes.get(read..).unwrap_or(&[])).unwrap_or(""));
    text
}

/// Makes room for `capacity` bytes of arguments and returns where JS writes them.
#[export_name = "bp_input"]
pub extern "C" fn input(capacity: usize) -> *mut u8 {
    let mut input = INPUT.take();
    if input.len() < capacity {
        input.resize(capacity, 0);
    }
    let at = input.as_mut_ptr();
    INPUT.set(input);
    at
}

/// Where the last answer starts, kept in memory for the glue to read: a
/// call to ask for it after every answer was 3 % of a `checkIban`.
static OUTPUT_AT: AtomicUsize = AtomicUsize::new(0);

/// The address of the word that holds where the last answer starts.
#[export_name = "bp_output_at"]
pub extern "C" fn output_at() -> *const AtomicUsize {
    &OUTPUT_AT
}

fn broken() -> BillPayError {
    BillPayError::new(
        ErrorCode::InvalidInput,
        "the arguments did not arrive whole",
    )
}

/// Runs `f` on the arguments in the input buffer; it writes its answer into
/// the output buffer, whose room is reused from call to call.
fn run<const N: usize>(
    lengths: [i32; N],
    f: impl FnOnce([Option<&str>; N], &mut String) -> Result<()>,
) -> i32 {
    let mut text = take_output();
    let input = INPUT.take();
    let mut args: [Option<&str>; N] = [None; N];
    let result = arguments(&input, &lengths, &mut args).and_then(|()| f(args, &mut text));
    INPUT.set(input);
    put_output(text, result)
}

/// The arguments' texts, one after the other in `input` (a negative length:
/// none). Not generic, and a plain loop: the array iterators of the first
/// version stayed calls at opt-level "z", in every export.
#[inline(never)]
fn arguments<'a>(input: &'a [u8], lengths: &[i32], args: &mut [Option<&'a str>]) -> Result<()> {
    let mut offset = 0usize;
    for (i, slot) in args.iter_mut().enumerate() {
        let Some(Ok(length)) = lengths.get(i).map(|&length| usize::try_from(length)) else {
            continue;
        };
        let bytes = input.get(offset..offset + length).ok_or_else(broken)?;
        *slot = Some(core::str::from_utf8(bytes).map_err(|_| broken())?);
        offset += length;
    }
    Ok(())
}

/// The output buffer, emptied, to write an answer into. (Its bytes may be
/// Latin-1; emptied, they are UTF-8.)
#[inline(never)]
fn take_output() -> String {
    let mut output = OUTPUT.take();
    output.clear();
    String::from_utf8(output).unwrap_or_default()
}

/// Leaves the answer (or the error as JSON) in the output buffer; its
/// length for the glue. Not generic, so not repeated in every export.
#[inline(never)]
fn put_output(text: String, result: Result<()>) -> i32 {
    let (text, failed) = match result {
        Ok(()) => (text, false),
        Err(error) => (error.to_json(), true),
    };
    let (bytes, flag) = if failed || !LATIN1_OK.get() {
        (text.into_bytes(), 0)
    } else {
        match latin1(text) {
            Ok(bytes) => (bytes, LATIN1),
            Err(text) => (text.into_bytes(), 0),
        }
    };
    let length = i32::try_from(bytes.len())
        .unwrap_or(LATIN1 - 1)
        .min(LATIN1 - 1);
    OUTPUT_AT.store(bytes.as_ptr() as usize, Ordering::Relaxed);
    OUTPUT.set(bytes);
    if failed {
        -length - 1
    } else {
        length | flag
    }
}

macro_rules! raw_arg {
    (maybe_text, $arg:expr) => {
        $arg
    };
    ($kind:ident, $arg:expr) => {
        $arg.ok_or_else(broken)?
    };
}

macro_rules! raw_export {
    (storefront $($item:tt)*) => {
        raw_export!(@fn $($item)*);
    };
    (qr $($item:tt)*) => {
        #[cfg(feature = "qr")]
        raw_export!(@fn $($item)*);
    };
    (admin $($item:tt)*) => {
        #[cfg(feature = "admin")]
        raw_export!(@fn $($item)*);
    };
    (@fn $js:ident $rust:ident [$($param:ident : $kind:ident),*]) => {
        #[export_name = stringify!($js)]
        #[allow(non_snake_case)]
        pub extern "C" fn $rust($($param: i32),*) -> i32 {
            run([$($param),*], |[$($param),*], out| {
                crate::exports::boundary::into::$rust($(raw_arg!($kind, $param),)* out)
            })
        }
    };
}

macro_rules! raw_exports {
    ($(
        $(#[doc = $doc:literal])*
        $group:ident fn $js:ident = $rust:ident ($($param:ident : $kind:ident $(($pty:ty))?),* $(,)?)
            -> $ret:ident $(($rty:ty))?;
    )*) => {
        $(raw_export!($group $js $rust [$($param : $kind),*]);)*
    };
}

crate::for_each_export!(raw_exports);
