import { execFile } from 'node:child_process';
import { promisify } from 'node:util';

/**
 * ffmpeg or ffprobe for making and reading test media: lavfi sources, subtitle files. Not the app's
 * runTool, which holds every input to the containers uploads may be in.
 */
export async function unguarded(tool: 'ffmpeg' | 'ffprobe', args: string[]): Promise<string> {
  return (await promisify(execFile)(tool, args, { maxBuffer: 64 * 1024 * 1024 })).stdout;
}

/** ffmpeg writing test media. */
export async function generate(...args: string[]): Promise<void> {
  await unguarded('ffmpeg', ['-nostdin', '-v', 'error', '-y', ...args]);
}
