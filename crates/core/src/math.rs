//! The floating-point functions the core's geometry uses (distances, the Web Mercator
//! projection, clustering), beyond what wasm has as instructions (`sqrt`, `floor`, ...).
//!
//! In the browser they are JavaScript's own `Math`: Rust's, compiled into the wasm
//! (compiler_builtins' libm), brought about 19 KB of code and tables into the page's
//! first module, most of it the tables that reduce huge angles, which no map needs
//! (README, Size). Natively they are Rust's. Both are accurate to within an ulp or so,
//! not bit for bit the same; nothing here depends on the last bit.

macro_rules! functions {
    ($($(#[$doc:meta])* $name:ident($($arg:ident),+) => $native:expr, $js:path;)+) => {$(
        $(#[$doc])*
        #[inline]
        pub fn $name($($arg: f64),+) -> f64 {
            #[cfg(target_arch = "wasm32")]
            return $js($($arg),+);
            #[cfg(not(target_arch = "wasm32"))]
            return $native;
        }
    )+};
}

functions! {
    sin(x) => x.sin(), js_sys::Math::sin;
    cos(x) => x.cos(), js_sys::Math::cos;
    tan(x) => x.tan(), js_sys::Math::tan;
    asin(x) => x.asin(), js_sys::Math::asin;
    atan(x) => x.atan(), js_sys::Math::atan;
    sinh(x) => x.sinh(), js_sys::Math::sinh;
    /// The natural logarithm.
    ln(x) => x.ln(), js_sys::Math::log;
    /// The length of (x, y).
    hypot(x, y) => x.hypot(y), js_sys::Math::hypot;
}

/// 2 to the power `x`.
#[inline]
pub fn exp2(x: f64) -> f64 {
    #[cfg(target_arch = "wasm32")]
    return js_sys::Math::pow(2.0, x);
    #[cfg(not(target_arch = "wasm32"))]
    return x.exp2();
}
