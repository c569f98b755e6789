import { existsSync } from 'node:fs';
import { mkdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { availableParallelism, loadavg } from 'node:os';
import path from 'node:path';
import { openaiModels } from '@/lib/ai/catalog';
import { estimateImageTokens } from '@/lib/ai/image-tokens';
import { frameSelectionSettings, selectFrames, type SelectedFrame } from '@/lib/media/video/frames';
import { composeFrameGrid } from '@/lib/media/video/grid';
import { probeVideo } from '@/lib/media/video/probe';
import { runTool } from '@/lib/media/video/run';

const cacheDir = path.resolve('.bench-cache');
const video = { seconds: 3600, fps: 25, width: 1280, height: 720, cuts: 100, seed: 20261124 };
const videoFile = path.join(cacheDir, `cuts-${video.seconds}s-${video.width}x${video.height}.mp4`);
const cutsFile = videoFile.replace(/\.mp4$/, '.cuts.json');

/** mulberry32: the same cut times and scenes on every machine. */
function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

type Random = () => number;
const size = `${video.width}x${video.height}`;
const between = (random: Random, low: number, high: number) => low + (high - low) * random();
const whole = (random: Random, high: number) => Math.floor(random() * high);
const colour = (random: Random) => `0x${whole(random, 0xffffff).toString(16).padStart(6, '0')}`;

/**
 * Moving synthetic scenes that look nothing alike, each varied by seed, colour and hue so that no two
 * segments are the same picture. All are cheap to render at 720p (lavfi's mandelbrot is not). None
 * changes every pixel every frame like TV static (lavfi's cellauto does): out of such a scene a cut
 * changes the picture no more than the frame before did, and no frame-difference score can find it.
 */
const scenes: ((random: Random) => string)[] = [
  (r) => `testsrc2=s=${size}:r=${video.fps},hue=h=${whole(r, 360)}`,
  (r) => `smptehdbars=s=${size}:r=${video.fps},scroll=h=${between(r, 0.001, 0.005).toFixed(4)},hue=h=${whole(r, 360)}`,
  (r) =>
    `life=s=320x180:r=${video.fps}:mold=10:ratio=${between(r, 0.05, 0.3).toFixed(2)}:seed=${whole(r, 1e6)}:` +
    `life_color=${colour(r)}:death_color=${colour(r)},scale=${size}:flags=neighbor`,
  (r) => `testsrc=s=${size}:r=${video.fps},scroll=v=${between(r, 0.001, 0.004).toFixed(4)},hue=h=${whole(r, 360)}`,
  (r) => `gradients=s=${size}:r=${video.fps}:speed=${between(r, 0.01, 0.04).toFixed(3)}:c0=${colour(r)}:c1=${colour(r)}:seed=${whole(r, 1e6)}`,
  (r) =>
    `color=c=${colour(r)}:s=320x180:r=${video.fps},noise=alls=40:all_seed=${whole(r, 1e6)},scale=${size},` +
    `scroll=h=${between(r, 0.0005, 0.002).toFixed(4)}:v=${between(r, 0.0005, 0.002).toFixed(4)}`,
  (r) => `sierpinski=s=${size}:r=${video.fps}:type=${r() < 0.5 ? 'carpet' : 'triangle'}:seed=${whole(r, 1e6)},hue=h=${whole(r, 360)}`,
  (r) => `testsrc2=s=640x360:r=${video.fps},scale=${size},vflip,negate,hue=h=${whole(r, 360)}`,
];

/**
 * One hour of 720p H.264 with `video.cuts` hard cuts at irregular times, encoded once as an editor's
 * export would be (x264 veryfast, B-frames) but with a keyframe every 10 s regardless of content, so
 * no cut sits on a keyframe. Also used by bench/video-pipeline.ts. Cached: it takes minutes to make.
 */
export async function benchVideo(): Promise<{ file: string; cutsMs: number[] }> {
  if (existsSync(videoFile) && existsSync(cutsFile)) {
    return { file: videoFile, cutsMs: JSON.parse(await readFile(cutsFile, 'utf8')) };
  }
  await mkdir(cacheDir, { recursive: true });
  const random = seededRandom(video.seed);
  const weights = Array.from({ length: video.cuts + 1 }, () => between(random, 0.15, 1.85));
  const totalWeight = weights.reduce((sum, w) => sum + w, 0);
  const totalFrames = video.seconds * video.fps;
  const segments: string[] = [];
  const cutsMs: number[] = [];
  let previousScene = -1;
  let startFrame = 0;
  let cumulative = 0;
  for (const [i, weight] of weights.entries()) {
    cumulative += weight;
    const endFrame = Math.round((cumulative / totalWeight) * totalFrames);
    // Never the same kind of scene twice in a row: each cut must change the picture.
    let scene = whole(random, scenes.length - 1);
    if (scene >= previousScene && previousScene >= 0) scene += 1;
    previousScene = scene;
    segments.push(`${scenes[scene](random)},trim=end_frame=${endFrame - startFrame},format=yuv420p,setsar=1[s${i}]`);
    if (i > 0) cutsMs.push((startFrame * 1000) / video.fps);
    startFrame = endFrame;
  }
  const graph = `${segments.join(';\n')};\n${weights.map((_, i) => `[s${i}]`).join('')}concat=n=${weights.length}:v=1:a=0[v]`;
  // Named per process: two benches started at once must not write into each other's file.
  const graphFile = path.join(cacheDir, `bench-video-${process.pid}.filtergraph`);
  await writeFile(graphFile, graph);
  const partial = `${videoFile}.${process.pid}.partial.mp4`;
  await runTool('ffmpeg', [
    '-nostdin', '-v', 'error', '-y',
    '-filter_complex_script', graphFile, '-map', '[v]',
    '-c:v', 'libx264', '-preset', 'veryfast', '-crf', '23',
    '-g', '250', '-keyint_min', '250', '-sc_threshold', '0',
    '-pix_fmt', 'yuv420p', '-movflags', '+faststart', partial,
  ]);
  await rm(graphFile);
  await writeFile(cutsFile, JSON.stringify(cutsMs));
  await rename(partial, videoFile);
  return { file: videoFile, cutsMs };
}

const selectionRuns = 3;
const targets = { selectionSeconds: 20, recall: 0.95, tokensPerHour: 100_000 };
const limits = { maxBytes: 4 * 1024 ** 3, maxDurationMs: 4 * 3600_000, minDurationMs: 1000, minSide: 16, maxPixels: 3840 * 2160 };
const highDetail = { kind: 'openai-tiles', detail: 'high' } as const;

/** Seconds ffmpeg takes to decode the video's frames to nowhere with these options. */
async function decodeSeconds(file: string, decoder: string[], range: string[] = []): Promise<number> {
  const started = performance.now();
  await runTool('ffmpeg', ['-nostdin', '-v', 'fatal', ...decoder, ...range, '-i', file, '-map', '0:V:0', '-f', 'null', '-']);
  return (performance.now() - started) / 1000;
}

/** What decoding costs by itself, each way selectFrames could have done it. */
async function decodingReferences(file: string) {
  const fast = ['-skip_loop_filter', 'all'];
  const half = `${video.seconds / 2}`;
  const rows: [string, number][] = [
    ['Every frame (plain decode, default threads)', await decodeSeconds(file, [])],
    ['Every frame, no deblocking', await decodeSeconds(file, fast)],
    ['No deblocking, non-reference frames skipped', await decodeSeconds(file, [...fast, '-skip_frame', 'noref'])],
    ['No deblocking, B-frames skipped', await decodeSeconds(file, [...fast, '-skip_frame', 'bidir'])],
  ];
  const started = performance.now();
  const oneThread = ['-threads', '1', ...fast, '-skip_frame', 'bidir'];
  await Promise.all([decodeSeconds(file, oneThread, ['-t', half]), decodeSeconds(file, [...oneThread, '-ss', half])]);
  rows.push(['The same as two halves side by side, one thread each (how selectFrames decodes)', (performance.now() - started) / 1000]);
  rows.push(['Keyframes only', await decodeSeconds(file, ['-skip_frame', 'nokey'])]);
  return rows;
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
const percent = (fraction: number) => `${(fraction * 100).toFixed(1)} %`;
const thousands = (tokens: number) => `${(tokens / 1000).toFixed(1)} k`;
const clock = (ms: number) => `${Math.floor(ms / 60_000)}:${String(Math.floor(ms / 1000) % 60).padStart(2, '0')}.${String(ms % 1000).padStart(3, '0')}`;

/**
 * selectFrames on an hour of 720p with 100 known cuts: wall time, frames, cut recall, and what the
 * frames would cost gpt-4o in image tokens, against plain decoding of the same file.
 */
export async function benchVideoFrames(): Promise<{ title: string; markdown: string }> {
  const { file, cutsMs } = await benchVideo();
  const info = await probeVideo(file, limits);
  const settings = frameSelectionSettings();
  const { size } = await stat(file);

  // Other work on the machine slows every row below; this shows whether there was any.
  const [loadBefore] = loadavg();
  const seconds: number[] = [];
  let frames: SelectedFrame[] = [];
  for (let run = 0; run < selectionRuns; run++) {
    const started = performance.now();
    frames = [];
    for await (const frame of selectFrames(file, info, settings)) frames.push(frame);
    seconds.push((performance.now() - started) / 1000);
  }
  const selection = median(seconds);
  const references = await decodingReferences(file);

  const missed = cutsMs.filter((cut) => !frames.some((frame) => frame.timeMs >= cut && frame.timeMs - cut < 1000));
  const recall = 1 - missed.length / cutsMs.length;
  const reasons = (['first', 'scene', 'floor'] as const).map((reason) => `${frames.filter((f) => f.reason === reason).length} ${reason}`);
  const perHour = 3_600_000 / info.durationMs;
  const gpt4o = openaiModels().find((model) => model.name === 'gpt-4o')!;
  const oneByOne = frames.reduce((sum, f) => sum + estimateImageTokens(f.width, f.height, gpt4o.imageTokens, highDetail), 0) * perHour;
  let grids = 0;
  let inGrids = 0;
  for (let i = 0; i < frames.length; i += 4) {
    const grid = await composeFrameGrid(frames.slice(i, i + 4));
    inGrids += estimateImageTokens(grid.width, grid.height, gpt4o.imageTokens, highDetail);
    grids++;
  }
  inGrids *= perHour;
  const [tile] = frames;
  const firstGrid = await composeFrameGrid(frames.slice(0, 4));
  const verdict = (met: boolean) => (met ? '**met**' : '**NOT met**');
  const dollars = (tokens: number) => `$${((tokens * gpt4o.price!.input) / 1_000_000).toFixed(2)}`;

  const markdown = [
    `Input: ${info.durationMs / 60_000} min ${info.width} × ${info.height} H.264 at ${info.fps} fps, ${(size / 1e6).toFixed(0)} MB ` +
      `(${((size * 8) / info.durationMs / 1000).toFixed(2)} Mb/s): x264 veryfast, CRF 23, B-frames, a keyframe every 250 frames ` +
      `whatever the content, so none at the cuts; ${cutsMs.length} hard cuts at seeded irregular times between eight kinds of ` +
      'moving synthetic scenes (lavfi test patterns, fractal pans, Game of Life, scrolling noise, gradients). Made once by the ' +
      'bench and kept in `.bench-cache/` (about 10 minutes; not timed here). ' +
      `Settings: the defaults (scene threshold ${settings.sceneThreshold}, floor ${settings.floorSeconds} s, minimum gap ` +
      `${settings.minGapSeconds} s, hash distance ${settings.hashDistance}, ${settings.maxFramesPerMinute} frames a minute, ` +
      `${settings.frameLongSide} px frames); ${availableParallelism()} cores, load average ${loadBefore.toFixed(1)} before the runs.`,
    '',
    '| Measure | Value | Target |',
    '| --- | ---: | --- |',
    `| Frame selection, wall time (median of ${selectionRuns}: ${seconds.map((s) => s.toFixed(1)).join(', ')} s) | ${selection.toFixed(1)} s | ≤ ${targets.selectionSeconds} s: ${verdict(selection <= targets.selectionSeconds)} |`,
    `| Frames selected | ${frames.length} (${reasons.join(', ')}) | |`,
    `| Frames per minute | ${(frames.length / (info.durationMs / 60_000)).toFixed(1)} | |`,
    `| Frame size | ${tile.width} × ${tile.height}, ${(frames.reduce((sum, f) => sum + f.jpeg.length, 0) / frames.length / 1024).toFixed(1)} KB JPEG on average | |`,
    `| Cut recall: a frame within 1 s after the cut | ${percent(recall)} (${cutsMs.length - missed.length} of ${cutsMs.length}) | ≥ ${percent(targets.recall)}: ${verdict(recall >= targets.recall)} |`,
    `| gpt-4o image tokens per video-hour, 2 × 2 grids (${grids} grids of ${firstGrid.width} × ${firstGrid.height}) | ${thousands(inGrids)} (${dollars(inGrids)}) | ≤ ${thousands(targets.tokensPerHour)}: ${verdict(inGrids <= targets.tokensPerHour)} |`,
    `| gpt-4o image tokens per video-hour, one frame per image (${tile.width} × ${tile.height}) | ${thousands(oneByOne)} (${dollars(oneByOne)}) | |`,
    '',
    missed.length === 0 ? 'Missed cuts: none.' : `Missed cuts (m:ss.ms): ${missed.map(clock).join(', ')}.`,
    '',
    'Decoding alone, for reference (the same file, ffmpeg decoding to nowhere, one run each):',
    '',
    '| Decoding | Wall s |',
    '| --- | ---: |',
    ...references.map(([label, wall]) => `| ${label} | ${wall.toFixed(1)} |`),
    '',
    'Token estimates use the catalog’s gpt-4o rule (`estimateImageTokens`: 85 + 170 per 512 px tile after fitting ' +
      '2048 × 2048 and a shortest side of at most 768) at detail high, the detail a caption call needs; the text of ' +
      'the prompts and the captions are not counted. A grid is `composeFrameGrid` of up to four consecutive frames, ' +
      'the last one possibly partial; tiles touch, so four 512 × 288 frames make one 1024 × 576 image of four tiles ' +
      'where one by one each frame is a tile plus the 85-token base. Dollars at gpt-4o’s input price.',
  ].join('\n');
  return { title: 'Video frame selection', markdown };
}
