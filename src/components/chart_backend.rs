//! The charts' drawing backend: plotters' SVG backend, but text sizes are estimated from the font
//! size instead of measured in the page.
//!
//! In wasm, plotters measures every axis label by appending a `<span>` to `<body>` and reading its
//! `offsetHeight`/`offsetWidth`: a forced style and layout of the whole page per label, a dozen
//! per chart per redraw. The benchmark's profile of the cache lab found it to be the largest piece
//! of a redraw (see bench/findings.md). Labels only need a size for alignment (the SVG positions
//! text by anchor), so an estimate does: plotters' own native estimate, used by the native tests.

use plotters::prelude::DrawingBackend;
use plotters::prelude::SVGBackend;
use plotters_backend::{BackendColor, BackendCoord, BackendStyle, BackendTextStyle, DrawingErrorKind};

/// Average glyph width as a share of the em (plotters' native estimate).
const GLYPH_WIDTH_EM: f64 = 0.7;

/// [`SVGBackend`] with [`DrawingBackend::estimate_text_size`] computed, never measured.
pub struct Svg<'a>(pub SVGBackend<'a>);

/// The estimated `(width, height)` in pixels of `text` at font size `size` (plotters' units): the
/// em is `size / 1.24²`, a glyph 0.7 em wide, a line 1.24 em high.
pub fn estimate_text_size(text: &str, size: f64) -> (u32, u32) {
    let em = size / 1.24 / 1.24;
    let width = em * GLYPH_WIDTH_EM * text.chars().count() as f64;
    let height = em * 1.24;
    (width.round().max(0.0) as u32, height.round().max(0.0) as u32)
}

type Result<E> = std::result::Result<(), DrawingErrorKind<E>>;
/// The SVG backend's error (it writes to a string, so it never fails in practice).
type SvgError = std::io::Error;

impl DrawingBackend for Svg<'_> {
    type ErrorType = SvgError;

    fn get_size(&self) -> (u32, u32) {
        self.0.get_size()
    }

    fn ensure_prepared(&mut self) -> Result<SvgError> {
        self.0.ensure_prepared()
    }

    fn present(&mut self) -> Result<SvgError> {
        self.0.present()
    }

    fn draw_pixel(&mut self, point: BackendCoord, color: BackendColor) -> Result<SvgError> {
        self.0.draw_pixel(point, color)
    }

    fn draw_line<S: BackendStyle>(&mut self, from: BackendCoord, to: BackendCoord, style: &S) -> Result<SvgError> {
        self.0.draw_line(from, to, style)
    }

    fn draw_rect<S: BackendStyle>(
        &mut self,
        upper_left: BackendCoord,
        bottom_right: BackendCoord,
        style: &S,
        fill: bool,
    ) -> Result<SvgError> {
        self.0.draw_rect(upper_left, bottom_right, style, fill)
    }

    fn draw_path<S: BackendStyle, I: IntoIterator<Item = BackendCoord>>(
        &mut self,
        path: I,
        style: &S,
    ) -> Result<SvgError> {
        self.0.draw_path(path, style)
    }

    fn draw_circle<S: BackendStyle>(
        &mut self,
        center: BackendCoord,
        radius: u32,
        style: &S,
        fill: bool,
    ) -> Result<SvgError> {
        self.0.draw_circle(center, radius, style, fill)
    }

    fn fill_polygon<S: BackendStyle, I: IntoIterator<Item = BackendCoord>>(
        &mut self,
        vert: I,
        style: &S,
    ) -> Result<SvgError> {
        self.0.fill_polygon(vert, style)
    }

    fn draw_text<TStyle: BackendTextStyle>(
        &mut self,
        text: &str,
        style: &TStyle,
        pos: BackendCoord,
    ) -> Result<SvgError> {
        self.0.draw_text(text, style, pos)
    }

    fn estimate_text_size<TStyle: BackendTextStyle>(
        &self,
        text: &str,
        style: &TStyle,
    ) -> std::result::Result<(u32, u32), DrawingErrorKind<SvgError>> {
        Ok(estimate_text_size(text, style.size()))
    }

    fn blit_bitmap(&mut self, pos: BackendCoord, size: (u32, u32), src: &[u8]) -> Result<SvgError> {
        self.0.blit_bitmap(pos, size, src)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn estimates_grow_with_text_and_size() {
        assert_eq!(estimate_text_size("", 15.0), (0, 12));
        let (w1, h1) = estimate_text_size("100", 15.0);
        let (w2, h2) = estimate_text_size("100000", 15.0);
        assert!(w2 > w1 && w1 > 0 && h1 == h2);
        assert!(estimate_text_size("100", 30.0).0 > w1);
        // Characters, not bytes: "µs" is two glyphs.
        assert_eq!(estimate_text_size("µs", 15.0).0, estimate_text_size("ms", 15.0).0);
    }
}
