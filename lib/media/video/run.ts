import { spawn } from 'node:child_process';
import type { Readable } from 'node:stream';

export type Tool = 'ffmpeg' | 'ffprobe';

export interface ToolOptions {
  signal?: AbortSignal;
  timeoutMs?: number;
  /** Called with every complete stderr line as it arrives (ffmpeg reports per-frame data there). */
  onStderrLine?: (line: string) => void;
  /** Piped into stdin (another run's stdout, say); otherwise stdin is closed. */
  stdin?: Readable;
  /** Output pipes beyond stdout, as fd 3, 4…, for ffmpeg outputs named `pipe:3`, `pipe:4`… */
  extraOutputs?: number;
}

/** ffmpeg or ffprobe exited with an error or timed out; `stderr` ends with what it said. */
export class ToolError extends Error {
  constructor(
    message: string,
    readonly stderr: string,
    readonly timedOut = false,
  ) {
    super(message);
    this.name = 'ToolError';
  }
}

export interface ToolRun {
  stdout: Readable;
  /** The `extraOutputs` pipes, fd 3 first. */
  outputs: Readable[];
  /** Resolves with the stderr tail once the process exits cleanly; rejects otherwise. */
  exited: Promise<string>;
  /** SIGKILL: nothing it would still write is wanted. Safe to call after it exited. */
  kill(): void;
}

// Enough for the error lines at the end; per-frame lines would otherwise grow without bound.
const stderrTailChars = 16_000;

/**
 * The demuxers of the containers Glimpse accepts. ffmpeg picks a demuxer by content, whatever the
 * name: an HLS or concat playlist uploaded as .mp4 would make it open other files (`file:` the
 * server's own). Every input of every run is held to these and to local files and pipes.
 */
export const inputFormats = ['mov', 'matroska', 'avi', 'flv', 'mpegts', 'mpeg', 'mp3', 'aac', 'wav', 'ogg', 'flac', 'aiff', 'amr'] as const;
const inputGuard = ['-protocol_whitelist', 'file,pipe', '-format_whitelist', inputFormats.join(',')];

/** ffprobe takes input options before its one input; ffmpeg before each `-i`. */
export function guardedArgs(tool: Tool, args: string[]): string[] {
  if (tool === 'ffprobe') return [...inputGuard, ...args];
  return args.flatMap((arg) => (arg === '-i' ? [...inputGuard, arg] : [arg]));
}

/** Start ffmpeg or ffprobe; stdin is closed, unless piped from `options.stdin`, so it never waits for a keypress. */
export function startTool(tool: Tool, args: string[], options: ToolOptions = {}): ToolRun {
  const { signal, timeoutMs, onStderrLine, stdin, extraOutputs = 0 } = options;
  const extra = Array.from({ length: extraOutputs }, () => 'pipe' as const);
  const child = spawn(tool, guardedArgs(tool, args), { stdio: [stdin ? 'pipe' : 'ignore', 'pipe', 'pipe', ...extra] });
  const stdout = child.stdout!;
  const stderr = child.stderr!;
  const outputs = extra.map((_, i) => child.stdio[3 + i] as Readable);
  let tail = '';
  let partialLine = '';
  let timedOut = false;
  const kill = () => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    // Unread output would otherwise hold the pipe, and 'close', open.
    for (const output of [stdout, ...outputs]) output.destroy();
  };
  if (stdin && child.stdin) {
    stdin.pipe(child.stdin);
    // The reader quitting early (killed, or done with what it needed) is not the writer's error.
    child.stdin.on('error', () => stdin.unpipe(child.stdin!));
  }

  stderr.setEncoding('utf8');
  stderr.on('data', (chunk: string) => {
    tail = (tail + chunk).slice(-stderrTailChars);
    if (!onStderrLine) return;
    const lines = (partialLine + chunk).split('\n');
    partialLine = lines.pop()!;
    for (const line of lines) onStderrLine(line);
  });

  const timer =
    timeoutMs === undefined
      ? undefined
      : setTimeout(() => {
          timedOut = true;
          kill();
        }, timeoutMs);
  const onAbort = () => kill();
  signal?.addEventListener('abort', onAbort, { once: true });
  if (signal?.aborted) kill();

  const exited = new Promise<string>((resolve, reject) => {
    // Not a ToolError: a missing ffmpeg says nothing about the file.
    child.once('error', (error) => reject(new Error(`${tool} could not start: ${error.message}`, { cause: error })));
    child.once('close', (code, killedBy) => {
      clearTimeout(timer);
      signal?.removeEventListener('abort', onAbort);
      if (partialLine && onStderrLine) onStderrLine(partialLine);
      if (signal?.aborted) reject(signal.reason);
      else if (timedOut) reject(new ToolError(`${tool} took longer than ${timeoutMs} ms`, tail, true));
      else if (code !== 0) reject(new ToolError(`${tool} exited with ${code ?? killedBy}: ${lastLines(tail)}`, tail));
      else resolve(tail);
    });
  });
  // A caller that stops listening (it threw first) must not turn the rejection into a crash.
  exited.catch(() => {});
  return { stdout, outputs, exited, kill };
}

/** Run to completion, collecting stdout (for small outputs such as ffprobe's JSON). */
export async function runTool(tool: Tool, args: string[], options: ToolOptions = {}): Promise<{ stdout: string; stderr: string }> {
  const run = startTool(tool, args, options);
  const chunks: Buffer[] = [];
  run.stdout.on('data', (chunk: Buffer) => chunks.push(chunk));
  const stderr = await run.exited;
  return { stdout: Buffer.concat(chunks).toString('utf8'), stderr };
}

function lastLines(text: string, count = 3): string {
  return text.trim().split('\n').slice(-count).join(' | ');
}

/** ffmpeg writing a file, telling how far into the input it got (ms) from its `-progress` report. */
export async function runFfmpegWithProgress(args: string[], options: { signal?: AbortSignal; onProgress?: (processedMs: number) => void } = {}): Promise<void> {
  const run = startTool('ffmpeg', ['-progress', 'pipe:2', ...args], {
    signal: options.signal,
    onStderrLine: (line) => {
      const match = /^out_time_us=(\d+)$/.exec(line.trim());
      if (match) options.onProgress?.(Number(match[1]) / 1000);
    },
  });
  run.stdout.resume();
  await run.exited;
}
