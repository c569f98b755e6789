import sharp from 'sharp';

export interface GridFrame {
  jpeg: Buffer;
  width: number;
  height: number;
}

export interface FrameGrid {
  data: Buffer;
  width: number;
  height: number;
  mediaType: 'image/jpeg';
}

const maxFramesPerGrid = 4;
const jpegQuality = 85;

/**
 * Up to four consecutive frames in one JPEG, each labelled 1..n in its top-left corner, so that one
 * model call can caption several frames and say which is which. Tiles touch, with no gutter: a 2 × 2
 * grid of 512 px 16:9 frames is exactly 1024 × 576, four of OpenAI's 512 px tiles, where any margin
 * would make it six. A thin line drawn over the seams keeps the pictures apart.
 */
export async function composeFrameGrid(
  frames: GridFrame[],
  options: { columns?: number; tileLongSide?: number } = {},
): Promise<FrameGrid> {
  if (frames.length === 0 || frames.length > maxFramesPerGrid) {
    throw new Error(`a frame grid holds 1 to ${maxFramesPerGrid} frames, not ${frames.length}`);
  }
  const columns = Math.min(options.columns ?? 2, frames.length);
  const rows = Math.ceil(frames.length / columns);
  const tileLongSide = options.tileLongSide ?? 512;
  const tiles = await Promise.all(
    frames.map((frame) =>
      sharp(frame.jpeg)
        .resize(tileLongSide, tileLongSide, { fit: 'inside', withoutEnlargement: true })
        // Raw pixels, so that each frame is JPEG-compressed once more, not twice.
        .raw()
        .toBuffer({ resolveWithObject: true }),
    ),
  );
  // Frames of one video share a size; should they not, each sits centred in a cell fitting the largest.
  const cellWidth = Math.max(...tiles.map((tile) => tile.info.width));
  const cellHeight = Math.max(...tiles.map((tile) => tile.info.height));
  const width = cellWidth * columns;
  const height = cellHeight * rows;
  const placed = tiles.map(({ data, info }, i) => ({
    input: data,
    raw: { width: info.width, height: info.height, channels: info.channels },
    left: (i % columns) * cellWidth + Math.floor((cellWidth - info.width) / 2),
    top: Math.floor(i / columns) * cellHeight + Math.floor((cellHeight - info.height) / 2),
  }));
  const overlay = { input: Buffer.from(labelsSvg(frames.length, columns, rows, cellWidth, cellHeight)), left: 0, top: 0 };
  const data = await sharp({ create: { width, height, channels: 3, background: '#000000' } })
    .composite([...placed, overlay])
    .jpeg({ quality: jpegQuality, mozjpeg: false })
    .toBuffer();
  return { data, width, height, mediaType: 'image/jpeg' };
}

/** Seams plus a white number on a dark box per tile, sized to the tile so it stays legible when a model shrinks the grid. */
function labelsSvg(count: number, columns: number, rows: number, cellWidth: number, cellHeight: number): string {
  const fontSize = Math.max(12, Math.round(Math.min(cellWidth, cellHeight) * 0.1));
  const box = Math.round(fontSize * 1.5);
  const seams = [
    ...Array.from({ length: columns - 1 }, (_, c) => `<rect x="${(c + 1) * cellWidth - 1}" y="0" width="2" height="${rows * cellHeight}"/>`),
    ...Array.from({ length: rows - 1 }, (_, r) => `<rect x="0" y="${(r + 1) * cellHeight - 1}" width="${columns * cellWidth}" height="2"/>`),
  ];
  const labels = Array.from({ length: count }, (_, i) => {
    const x = (i % columns) * cellWidth + 4;
    const y = Math.floor(i / columns) * cellHeight + 4;
    return (
      `<rect x="${x}" y="${y}" width="${box}" height="${box}" rx="${Math.round(box / 6)}" fill-opacity="0.75"/>` +
      `<text x="${x + box / 2}" y="${y + box / 2}" dy="0.35em" text-anchor="middle" fill="#ffffff" ` +
      `font-family="Liberation Sans, Arial, sans-serif" font-weight="bold" font-size="${fontSize}">${i + 1}</text>`
    );
  });
  return (
    `<svg xmlns="http://www.w3.org/2000/svg" width="${columns * cellWidth}" height="${rows * cellHeight}">` +
    `<g fill="#000000">${seams.join('')}</g>${labels.join('')}</svg>`
  );
}
