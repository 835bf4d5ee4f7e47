//! The Mandelbrot preset's picture: the set, each tile tinted by the worker
//! whose job computed it.

use std::collections::HashMap;
use std::rc::Rc;

use overlap_core::kernels::mandelbrot::{tile_image, GRID, MAX_ITER};
use overlap_core::trace::{Lane, SpanKind};
use overlap_runtime::measure::RunReport;
use overlap_runtime::pool::run_on_pool;
use wasm_bindgen::JsCast;
use yew::prelude::*;

use crate::text::use_text;
use crate::text::Words;

/// Pixels per tile side.
const TILE_PX: u32 = 32;
/// Worker tints (RGB), by worker index; the main thread is grey.
const TINTS: [[u8; 3]; 6] = [
    [47, 91, 211],
    [217, 130, 43],
    [42, 157, 143],
    [194, 24, 91],
    [124, 77, 255],
    [120, 144, 60],
];

/// Inputs of [`MandelbrotView`].
#[derive(Properties, Clone)]
pub struct MandelbrotProps {
    /// A finished Mandelbrot run.
    pub report: Rc<RunReport>,
}

impl PartialEq for MandelbrotProps {
    fn eq(&self, other: &Self) -> bool {
        Rc::ptr_eq(&self.report, &other.report)
    }
}

fn tint(lane: Option<Lane>) -> [u8; 3] {
    match lane {
        // An executor's thread (to_thread) computed as a worker does.
        Some(Lane::Worker(i) | Lane::Thread(i)) => TINTS[usize::from(i) % TINTS.len()],
        _ => [128, 128, 128],
    }
}

/// A canvas drawn once the pixels are computed (on the pool, not the page).
#[function_component(MandelbrotView)]
pub fn mandelbrot_view(props: &MandelbrotProps) -> Html {
    let text = use_text();
    let canvas = use_node_ref();
    {
        let (canvas, report) = (canvas.clone(), props.report.clone());
        use_effect_with(props.clone(), move |_| {
            let tiles = report.experiment.cpu_tasks;
            let first_cpu = report
                .tasks
                .iter()
                .position(|t| t.kind == overlap_core::predict::TaskKind::Cpu)
                .unwrap_or(0) as u32;
            let mut lanes: HashMap<u32, Lane> = HashMap::new();
            for span in report
                .trace
                .spans
                .iter()
                .filter(|s| s.kind == SpanKind::Cpu)
            {
                lanes
                    .entry((span.task - first_cpu) % (GRID * GRID))
                    .or_insert(span.lane);
            }
            wasm_bindgen_futures::spawn_local(async move {
                let Ok(pixels) = run_on_pool(
                    move || {
                        (0..GRID * GRID)
                            .map(|t| tile_image(t, TILE_PX))
                            .collect::<Vec<_>>()
                    },
                    30_000,
                )
                .await
                else {
                    return;
                };
                draw(&canvas, &pixels, &lanes, tiles);
            });
        });
    }
    let side = GRID * TILE_PX;
    html! {
        <figure class="panel mandelbrot">
            <canvas ref={canvas} width={side.to_string()} height={side.to_string()} data-testid="mandelbrot"
                    role="img" aria-label={text.get("mandelbrot.label")} />
            <figcaption>{ text.html("mandelbrot.caption") }</figcaption>
        </figure>
    }
}

fn draw(canvas: &NodeRef, pixels: &[Vec<u32>], lanes: &HashMap<u32, Lane>, tiles: u32) {
    let Some(canvas) = canvas.cast::<web_sys::HtmlCanvasElement>() else {
        return;
    };
    let Some(ctx) = canvas
        .get_context("2d")
        .ok()
        .flatten()
        .and_then(|c| c.dyn_into::<web_sys::CanvasRenderingContext2d>().ok())
    else {
        return;
    };
    let side = (GRID * TILE_PX) as usize;
    let mut rgba = vec![0u8; side * side * 4];
    for (tile, image) in pixels.iter().enumerate() {
        let tile = tile as u32;
        let [r, g, b] = if tile < tiles.min(GRID * GRID) {
            tint(lanes.get(&tile).copied())
        } else {
            [128, 128, 128]
        };
        for (p, &iter) in image.iter().enumerate() {
            let (px, py) = (p as u32 % TILE_PX, p as u32 / TILE_PX);
            let x = ((tile % GRID) * TILE_PX + px) as usize;
            let y = ((tile / GRID) * TILE_PX + py) as usize;
            // Inside the set: dark; outside: brighter the faster it escapes.
            let light = if iter >= MAX_ITER {
                0.08
            } else {
                1.0 - (f64::from(iter) / 60.0).min(0.85)
            };
            let i = (y * side + x) * 4;
            rgba[i] = (f64::from(r) * light) as u8;
            rgba[i + 1] = (f64::from(g) * light) as u8;
            rgba[i + 2] = (f64::from(b) * light) as u8;
            rgba[i + 3] = 255;
        }
    }
    // ImageData refuses views on shared memory: copy into a JS-owned array.
    let array = js_sys::Uint8ClampedArray::new_with_length(rgba.len() as u32);
    array.copy_from(&rgba);
    if let Ok(image) =
        web_sys::ImageData::new_with_js_u8_clamped_array_and_sh(&array, side as u32, side as u32)
    {
        let _ = ctx.put_image_data(&image, 0.0, 0.0);
    }
}
