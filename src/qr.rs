//! QR codes as SVG path data, for the printed shortlist and the link worker's "Show QR
//! code": pure, so it is tested natively; in the browser it is a part of its own
//! (`app::on_demand::qr_code`), downloaded only when a code is shown or printed.

use qrcodegen::{QrCode, QrCodeEcc};

/// The light margin every side of the code, in modules (the standard asks for 4).
pub const QUIET: usize = 4;

/// A QR code drawn as one SVG path: dark modules are unit squares at their module
/// coordinates, offset by the quiet zone, in a square of `side` units.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct QrSvg {
    /// The width and height of the whole code with its margin, in modules.
    pub side: usize,
    /// SVG path data for the dark modules.
    pub path: String,
}

/// `text` (a link) as a QR code at medium error correction (a crease or smudge on
/// paper still scans), or `None` when it is too long for any QR code.
pub fn qr_svg(text: &str) -> Option<QrSvg> {
    let code = QrCode::encode_text(text, QrCodeEcc::Medium).ok()?;
    let size = usize::try_from(code.size()).ok()?;
    let dark = |x: usize, y: usize| code.get_module(x as i32, y as i32);
    let mut path = String::new();
    for y in 0..size {
        let mut x = 0;
        while x < size {
            if !dark(x, y) {
                x += 1;
                continue;
            }
            // A run of dark modules on this row is one rectangle.
            let start = x;
            while x < size && dark(x, y) {
                x += 1;
            }
            path.push_str(&format!(
                "M{} {}h{}v1h-{}z",
                start + QUIET,
                y + QUIET,
                x - start,
                x - start
            ));
        }
    }
    Some(QrSvg {
        side: size + 2 * QUIET,
        path,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The dark modules a path draws, read back from its rectangles.
    fn modules(svg: &QrSvg) -> Vec<Vec<bool>> {
        let mut grid = vec![vec![false; svg.side]; svg.side];
        for rect in svg.path.split('z').filter(|r| !r.is_empty()) {
            let nums: Vec<usize> = rect
                .split(|c: char| !c.is_ascii_digit())
                .filter(|n| !n.is_empty())
                .map(|n| n.parse().unwrap())
                .collect();
            let (x, y, w) = (nums[0], nums[1], nums[2]);
            assert_eq!(nums[3], 1);
            assert_eq!(nums[4], w);
            for row in grid[y].iter_mut().skip(x).take(w) {
                *row = true;
            }
        }
        grid
    }

    #[test]
    fn the_path_draws_exactly_the_codes_dark_modules() {
        let link = "https://example.org/finder/?list=walk-1,choir-2&show=shortlist";
        let svg = qr_svg(link).unwrap();
        let code = QrCode::encode_text(link, QrCodeEcc::Medium).unwrap();
        let size = code.size() as usize;
        assert_eq!(svg.side, size + 8);
        let grid = modules(&svg);
        for (y, row) in grid.iter().enumerate() {
            for (x, &d) in row.iter().enumerate() {
                let inside =
                    (QUIET..QUIET + size).contains(&x) && (QUIET..QUIET + size).contains(&y);
                let want = inside && code.get_module((x - QUIET) as i32, (y - QUIET) as i32);
                assert_eq!(d, want, "module {x},{y}");
            }
        }
        // The finder pattern's top-left corner is dark, the quiet zone light.
        assert!(grid[QUIET][QUIET] && !grid[0][0] && !grid[QUIET - 1][QUIET]);
    }

    #[test]
    fn too_long_for_a_code() {
        assert!(qr_svg(&"x".repeat(5000)).is_none());
        assert!(qr_svg("").is_some());
    }
}
