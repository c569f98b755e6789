/**
 * The bench's long videos, made once with the machine's ffmpeg and kept in `.bench-cache/` (they
 * take minutes): an hour of 720p with known cut times, and which cuts touch a high-motion scene.
 */
import { existsSync } from 'node:fs';
import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { runTool } from '@/lib/media/video/run';

export interface BenchVideo {
  file: string;
  fps: number;
  cutsMs: number[];
  /** The cuts into or out of a high-motion scene (a subset of cutsMs). */
  highMotionCutsMs: number[];
  /** How it was made, for the report. */
  description: string;
}

const cacheDir = path.resolve('.bench-cache');
const width = 1280;
const height = 720;
const size = `${width}x${height}`;

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
type Scene = (random: Random, fps: number) => string;
const between = (random: Random, low: number, high: number) => low + (high - low) * random();
const whole = (random: Random, high: number) => Math.floor(random() * high);
const colour = (random: Random) => `0x${whole(random, 0xffffff).toString(16).padStart(6, '0')}`;

/**
 * Moving synthetic scenes that look nothing alike, each varied by seed, colour and hue so that no two
 * segments are the same picture, all cheap to render at 720p (lavfi's mandelbrot is not). None of
 * them changes most of the picture every frame.
 */
const steadyScenes: Scene[] = [
  (r, fps) => `testsrc2=s=${size}:r=${fps},hue=h=${whole(r, 360)}`,
  (r, fps) => `smptehdbars=s=${size}:r=${fps},scroll=h=${between(r, 0.001, 0.005).toFixed(4)},hue=h=${whole(r, 360)}`,
  (r, fps) =>
    `life=s=320x180:r=${fps}:mold=10:ratio=${between(r, 0.05, 0.3).toFixed(2)}:seed=${whole(r, 1e6)}:` +
    `life_color=${colour(r)}:death_color=${colour(r)},scale=${size}:flags=neighbor`,
  (r, fps) => `testsrc=s=${size}:r=${fps},scroll=v=${between(r, 0.001, 0.004).toFixed(4)},hue=h=${whole(r, 360)}`,
  (r, fps) => `gradients=s=${size}:r=${fps}:speed=${between(r, 0.01, 0.04).toFixed(3)}:c0=${colour(r)}:c1=${colour(r)}:seed=${whole(r, 1e6)}`,
  (r, fps) =>
    `color=c=${colour(r)}:s=320x180:r=${fps},noise=alls=40:all_seed=${whole(r, 1e6)},scale=${size},` +
    `scroll=h=${between(r, 0.0005, 0.002).toFixed(4)}:v=${between(r, 0.0005, 0.002).toFixed(4)}`,
  (r, fps) => `sierpinski=s=${size}:r=${fps}:type=${r() < 0.5 ? 'carpet' : 'triangle'}:seed=${whole(r, 1e6)},hue=h=${whole(r, 360)}`,
  (r, fps) => `testsrc2=s=640x360:r=${fps},scale=${size},vflip,negate,hue=h=${whole(r, 360)}`,
];

/**
 * Footage that changes (nearly) every pixel every frame, as TV static, confetti, water or a crowd
 * do: an elementary cellular automaton scrolling a new row in each frame, the Game of Life without
 * decay, animated noise over a colour and over a moving pattern.
 */
const highMotionScenes: Scene[] = [
  (r, fps) =>
    `cellauto=s=320x180:r=${fps}:rule=${[30, 45, 73, 110, 150][whole(r, 5)]}:ratio=${between(r, 0.3, 0.7).toFixed(2)}:` +
    `seed=${whole(r, 1e6)}:scroll=1:full=1,scale=${size}:flags=neighbor,format=yuv420p,` +
    `lutyuv=u=${64 + whole(r, 128)}:v=${64 + whole(r, 128)}`,
  (r, fps) =>
    `life=s=320x180:r=${fps}:ratio=${between(r, 0.4, 0.6).toFixed(2)}:seed=${whole(r, 1e6)}:` +
    `life_color=${colour(r)}:death_color=${colour(r)},scale=${size}:flags=neighbor`,
  (r, fps) => `color=c=${colour(r)}:s=320x180:r=${fps},noise=alls=${50 + whole(r, 30)}:allf=t+u:all_seed=${whole(r, 1e6)},scale=${size}`,
  (r, fps) =>
    `testsrc2=s=320x180:r=${fps},hue=h=${whole(r, 360)},noise=alls=${40 + whole(r, 30)}:allf=t+u:all_seed=${whole(r, 1e6)},scale=${size}`,
];

interface Segment {
  frames: number;
  source: string;
  highMotion: boolean;
}

/** Encodes segments one after another as one H.264 file: x264 veryfast, B-frames, a keyframe every `gop` frames whatever the content. */
async function encode(file: string, segments: Segment[], gop: number): Promise<void> {
  await mkdir(cacheDir, { recursive: true });
  const graph =
    segments.map((s, i) => `${s.source},trim=end_frame=${s.frames},format=yuv420p,setsar=1[s${i}]`).join(';\n') +
    `;\n${segments.map((_, i) => `[s${i}]`).join('')}concat=n=${segments.length}:v=1:a=0[v]`;
  // Named per process: two benches started at once must not write into each other's file.
  const graphFile = path.join(cacheDir, `bench-video-${process.pid}.filtergraph`);
  await writeFile(graphFile, graph);
  const partial = `${file}.${process.pid}.partial.mp4`;
  try {
    await runTool('ffmpeg', [
      '-nostdin', '-v', 'error', '-y',
      '-filter_complex_script', graphFile, '-map', '[v]',
      '-c:v', 'libx264', '-preset', 'veryfast', '-crf', '23',
      '-g', String(gop), '-keyint_min', String(gop), '-sc_threshold', '0',
      '-pix_fmt', 'yuv420p', '-movflags', '+faststart', partial,
    ]);
    await rename(partial, file);
  } finally {
    await rm(graphFile, { force: true });
    await rm(partial, { force: true });
  }
}

/** The cached video and its cuts, made by `make` when either is missing. */
async function cached(name: string, make: () => Promise<Segment[]>, fps: number, gop: number, description: string): Promise<BenchVideo> {
  const file = path.join(cacheDir, `${name}.mp4`);
  const cutsFile = path.join(cacheDir, `${name}.cuts.json`);
  if (!existsSync(file) || !existsSync(cutsFile)) {
    const segments = await make();
    await encode(file, segments, gop);
    let frame = 0;
    const cuts = segments.slice(1).map((segment, i) => {
      frame += segments[i].frames;
      return { ms: (frame * 1000) / fps, highMotion: segment.highMotion || segments[i].highMotion };
    });
    await writeFile(cutsFile, JSON.stringify(cuts));
  }
  const cuts: { ms: number; highMotion: boolean }[] = JSON.parse(await readFile(cutsFile, 'utf8'));
  return {
    file,
    fps,
    cutsMs: cuts.map((c) => c.ms),
    highMotionCutsMs: cuts.filter((c) => c.highMotion).map((c) => c.ms),
    description,
  };
}

/** Never the same kind of scene twice in a row: each cut must change the picture. */
function sceneChooser(random: Random, kinds: number) {
  let previous = -1;
  return () => {
    let scene = whole(random, kinds - 1);
    if (previous >= 0 && scene >= previous) scene += 1;
    previous = scene;
    return scene;
  };
}

/**
 * One hour of 720p25 with 100 hard cuts at irregular times between steady scenes, a keyframe every
 * 10 s, so no cut sits on a keyframe. The first round's bench video; also used by bench/video-pipeline.ts.
 */
export function steadyBenchVideo(): Promise<BenchVideo> {
  const fps = 25;
  const cuts = 100;
  return cached(
    `steady-3600s-${size}`,
    async () => {
      const random = seededRandom(20261124);
      const weights = Array.from({ length: cuts + 1 }, () => between(random, 0.15, 1.85));
      const total = weights.reduce((sum, w) => sum + w, 0);
      const choose = sceneChooser(random, steadyScenes.length);
      let cumulative = 0;
      let start = 0;
      return weights.map((weight) => {
        cumulative += weight;
        const end = Math.round((cumulative / total) * 3600 * fps);
        const segment = { frames: end - start, source: steadyScenes[choose()](random, fps), highMotion: false };
        start = end;
        return segment;
      });
    },
    fps,
    250,
    `60 min 720p25, ${cuts} cuts between eight kinds of steady moving scenes, a keyframe every 250 frames`,
  );
}

/**
 * One hour of 720p30 with 110 hard cuts at irregular times and a keyframe every 300 frames (10 s),
 * where 14 scenes change nearly every pixel every frame (cellular automaton, animated noise), each
 * between two cuts: two of them back to back, several followed by scenes only 2–4 s long, and the
 * video ending on such a scene and then two short ones, the case that used to lose its last scenes.
 */
export function highMotionBenchVideo(): Promise<BenchVideo> {
  const fps = 30;
  const count = 111;
  return cached(
    `high-motion-3600s-${size}-30fps`,
    async () => {
      const random = seededRandom(20261207);
      const kinds: ('steady' | 'high' | 'short')[] = Array.from({ length: count }, () => 'steady');
      // Spread over the hour, none in the first minute; the last three are the ending described above.
      const highAt = [6, 14, 22, 23, 31, 40, 48, 57, 66, 75, 84, 93, 101, 108];
      for (const i of highAt) kinds[i] = 'high';
      for (const i of [15, 16, 41, 67, 102, 109, 110]) kinds[i] = 'short';
      const seconds = kinds.map((kind) => (kind === 'high' ? between(random, 8, 30) : kind === 'short' ? between(random, 2, 4) : 0));
      const fixed = seconds.reduce((sum, s) => sum + s, 0);
      const weights = kinds.map((kind) => (kind === 'steady' ? between(random, 0.15, 1.85) : 0));
      const totalWeight = weights.reduce((sum, w) => sum + w, 0);
      const steadyScene = sceneChooser(random, steadyScenes.length);
      const highScene = sceneChooser(random, highMotionScenes.length);
      let cumulative = 0;
      let start = 0;
      return kinds.map((kind, i) => {
        cumulative += kind === 'steady' ? (weights[i] / totalWeight) * (3600 - fixed) : seconds[i];
        const end = i === count - 1 ? 3600 * fps : Math.round(cumulative * fps);
        const frames = end - start;
        start = end;
        const source = kind === 'high' ? highMotionScenes[highScene()](random, fps) : steadyScenes[steadyScene()](random, fps);
        return { frames, source, highMotion: kind === 'high' };
      });
    },
    fps,
    300,
    `60 min 720p30, ${count - 1} cuts at irregular times, a keyframe every 300 frames; 14 scenes of cellular automaton or ` +
      'animated noise (two back to back), several followed by 2–4 s scenes, the video ending on one and two short scenes',
  );
}
