import { modelImageSize, type Size } from './resize';
import type { ImageBudget } from './types';

// Pure arithmetic, shared with the browser: the composer offers fine detail, and prices it, from this.

/** Neighbours share this fraction of a tile, so a line of text cut at one tile's edge is whole in the next. */
export const TILE_OVERLAP = 0.12;
/** Each tile is a model call: beyond this many, tiles are read a little smaller instead of adding calls. */
export const MAX_TILES = 24;
/** Tiles longer than this are avoided when a grid of squarer ones is as sharp: models read them poorly. */
const MAX_TILE_ASPECT = 2;
/**
 * A tile read at this share of its side or more counts as full resolution: pixel-budget models round
 * each side to whole patches (up to half a 28 px patch), which is not worth another tile.
 */
const FULL_RESOLUTION = 0.95;
/** Downscaling the long side by more than this turns small print into a blur. */
const WORTH_TILING_SHRINK = 2;
/**
 * Long strips (screenshots, receipts, documents, panoramas) are mostly small detail, text above all,
 * which is lost at a smaller shrink than a photo's shapes are.
 */
const STRIP_ASPECT = 3;
const STRIP_WORTH_TILING_SHRINK = 1.5;

export interface Tile {
  /** 1-based, top to bottom and left to right, as the model is told. */
  row: number;
  column: number;
  left: number;
  top: number;
  width: number;
  height: number;
}

export interface TilePlan {
  /** The image the tiles are cut from, upright (after EXIF orientation). */
  width: number;
  height: number;
  columns: number;
  rows: number;
  /** Row by row; together they cover every pixel, neighbours overlapping by about TILE_OVERLAP. */
  tiles: Tile[];
  /** True when MAX_TILES tiles could not each be read at full resolution: they are read at `scale`. */
  capped: boolean;
  /** The share of a tile's side the model reads: about 1 is full resolution, well below only when capped. */
  scale: number;
}

/**
 * How to cut an image into tiles the model reads at full resolution, or null when it would gain
 * little: the whole image, downscaled to the model's budget, already keeps its detail. Deterministic,
 * so the same image and budget always give the same tiles (and cache hits).
 */
export function planTiles(image: Size, budget: ImageBudget): TilePlan | null {
  const { width, height } = image;
  const sent = modelImageSize(width, height, budget);
  const shrink = Math.max(width, height) / Math.max(sent.width, sent.height);
  const aspect = Math.max(width, height) / Math.min(width, height);
  if (shrink <= (aspect >= STRIP_ASPECT ? STRIP_WORTH_TILING_SHRINK : WORTH_TILING_SHRINK)) return null;

  let best: Grid | null = null;
  for (let columns = 1; columns <= MAX_TILES; columns++) {
    for (let rows = 1; columns * rows <= MAX_TILES; rows++) {
      const tileWidth = tileSpan(width, columns);
      const tileHeight = tileSpan(height, rows);
      // A side too short to split gives tiles that repeat each other.
      if (columns * rows < 2 || (columns > 1 && tileWidth >= width) || (rows > 1 && tileHeight >= height)) continue;
      const grid = { columns, rows, scale: readScale(tileWidth, tileHeight, budget), aspect: Math.max(tileWidth, tileHeight) / Math.min(tileWidth, tileHeight) };
      if (!best || rank(grid) < rank(best)) best = grid;
    }
  }
  if (!best) return null;

  const tileWidth = tileSpan(width, best.columns);
  const tileHeight = tileSpan(height, best.rows);
  const lefts = starts(width, tileWidth, best.columns);
  const tops = starts(height, tileHeight, best.rows);
  const tiles = tops.flatMap((top, r) => lefts.map((left, c) => ({ row: r + 1, column: c + 1, left, top, width: tileWidth, height: tileHeight })));
  return { width, height, columns: best.columns, rows: best.rows, tiles, capped: best.scale < FULL_RESOLUTION, scale: best.scale };
}

interface Grid {
  columns: number;
  rows: number;
  scale: number;
  aspect: number;
}

/**
 * Lower is better: full resolution first, then tiles no longer than MAX_TILE_ASPECT, then the
 * fewest tiles (or, when none is full resolution, the sharpest). Earlier grids win ties.
 */
function rank(grid: Grid): number {
  const full = grid.scale >= FULL_RESOLUTION;
  const squarish = grid.aspect <= MAX_TILE_ASPECT;
  return (full ? 0 : 2) + (squarish ? 0 : 1) + (full ? grid.columns * grid.rows / 100 : 1 - grid.scale) / 10;
}

/** The side of `count` tiles over `length` pixels that overlap by TILE_OVERLAP of a tile. */
function tileSpan(length: number, count: number): number {
  if (count === 1) return length;
  return Math.min(length, Math.ceil(length / (count - (count - 1) * TILE_OVERLAP)));
}

/** Evenly spaced, the first at 0 and the last flush with the far edge. */
function starts(length: number, span: number, count: number): number[] {
  if (count === 1) return [0];
  const step = (length - span) / (count - 1);
  return Array.from({ length: count }, (_, i) => Math.round(i * step));
}

/** How much of a tile survives the model's resize: 1 when it is read pixel for pixel (or enlarged). */
function readScale(width: number, height: number, budget: ImageBudget): number {
  const sent = modelImageSize(width, height, budget);
  return Math.min(1, sent.width / width, sent.height / height);
}
