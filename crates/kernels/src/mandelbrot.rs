//! Mandelbrot tiles: compute-bound with very uneven work from one tile to the next.
//!
//! The view is cut into a [`GRID`] × [`GRID`] grid of tiles; task `index`
//! renders tile `index % (GRID * GRID)`. Its work unit is one row of [`COLS`]
//! pixels, and its size is the number of rows sampled across the tile. A tile
//! inside the set costs [`MAX_ITER`] iterations per pixel, one far outside a
//! handful: that unevenness is what makes whole tiles balance badly on few workers.
//! Only `+`, `*` and comparisons on f64 are used, which IEEE 754 makes exact
//! and identical on every platform (no fused multiply-add is emitted).

/// Tiles per side of the view.
pub const GRID: u32 = 8;
/// Pixels per row (per work unit).
pub const COLS: u32 = 64;
/// Iteration cap per pixel.
pub const MAX_ITER: u32 = 500;

/// Left edge of the view.
pub const X_MIN: f64 = -2.25;
/// Bottom edge of the view.
pub const Y_MIN: f64 = -1.5;
/// Width and height of the view.
pub const SPAN: f64 = 3.0;

/// Iterations spent by the escape-time loop for the point `cx + i·cy`.
pub fn escape_time(cx: f64, cy: f64) -> u32 {
    let (mut zx, mut zy) = (0.0f64, 0.0f64);
    let mut i = 0;
    while i < MAX_ITER {
        let (x2, y2) = (zx * zx, zy * zy);
        if x2 + y2 > 4.0 {
            break;
        }
        zy = 2.0 * zx * zy + cy;
        zx = x2 - y2 + cx;
        i += 1;
    }
    i
}

/// Result of row `row` (of `rows`) of tile `index`: the sum of its pixels' iteration counts.
pub fn unit(index: u32, rows: u32, row: u64) -> u64 {
    let tile = index % (GRID * GRID);
    let tile_span = SPAN / f64::from(GRID);
    let x0 = X_MIN + f64::from(tile % GRID) * tile_span;
    let y0 = Y_MIN + f64::from(tile / GRID) * tile_span;
    let rows = f64::from(rows.max(1));
    let cy = y0 + (row as f64 + 0.5) * tile_span / rows;
    (0..COLS)
        .map(|col| {
            let cx = x0 + (f64::from(col) + 0.5) * tile_span / f64::from(COLS);
            u64::from(escape_time(cx, cy))
        })
        .sum()
}

/// Largest side, in pixels, of a rendered tile (bounds [`tile_image`]'s allocation).
pub const MAX_TILE_PIXELS: u32 = 128;

/// Escape times of tile `index` rendered at `side` × `side` pixels (row-major;
/// `side` is clamped to 1..=[`MAX_TILE_PIXELS`]), for drawing the set.
pub fn tile_image(index: u32, side: u32) -> Vec<u32> {
    let side = side.clamp(1, MAX_TILE_PIXELS);
    let tile = index % (GRID * GRID);
    let tile_span = SPAN / f64::from(GRID);
    let x0 = X_MIN + f64::from(tile % GRID) * tile_span;
    let y0 = Y_MIN + f64::from(tile / GRID) * tile_span;
    let step = tile_span / f64::from(side);
    (0..side * side)
        .map(|p| {
            let (px, py) = (p % side, p / side);
            escape_time(
                x0 + (f64::from(px) + 0.5) * step,
                y0 + (f64::from(py) + 0.5) * step,
            )
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn origin_never_escapes_and_far_points_escape_at_once() {
        assert_eq!(escape_time(0.0, 0.0), MAX_ITER);
        assert_eq!(escape_time(2.0, 2.0), 1);
    }

    #[test]
    fn tile_images_are_bounded_and_show_the_set() {
        assert_eq!(
            tile_image(0, 10_000).len(),
            (MAX_TILE_PIXELS * MAX_TILE_PIXELS) as usize
        );
        let centre = tile_image(GRID * (GRID / 2) + GRID / 2 + 1, 8);
        assert!(
            centre.contains(&MAX_ITER),
            "the main cardioid never escapes"
        );
        assert!(tile_image(0, 8).iter().all(|&i| i < MAX_ITER));
    }

    #[test]
    fn tiles_are_uneven() {
        // Tile 0 is the view's corner (far outside the set); a tile over the
        // main cardioid costs hundreds of times more.
        let corner = unit(0, 8, 4);
        let centre = unit(GRID * (GRID / 2) + GRID / 2 + 1, 8, 4);
        assert!(centre > corner * 50, "corner {corner}, centre {centre}");
    }
}
