/** Small builders the dialects share; each dialect still spells out its own fields. */
import type { ChatTurn, ErrorAnswer, HeardAudio } from './types';

export const jsonError = (status: number, body: unknown, headers: Record<string, string> = {}): ErrorAnswer => ({
  status,
  headers: { 'content-type': 'application/json', ...headers },
  body: JSON.stringify(body),
});

/** FastAPI's HTTPException body, as speaches and vLLM's auth middleware send it. */
export const fastApiError = (status: number, detail: string, headers: Record<string, string> = {}) => jsonError(status, { detail }, headers);

/**
 * The page nginx (the usual reverse proxy in front of a self-hosted server) answers with for a status
 * the server behind it never sends (nginx src/http/ngx_http_special_response.c).
 */
export function proxyPage(status: number, reason: string, headers: Record<string, string> = {}, server = 'nginx'): ErrorAnswer {
  const title = `${status} ${reason}`;
  return {
    status,
    headers: { 'content-type': 'text/html', ...headers },
    body: `<html>\r\n<head><title>${title}</title></head>\r\n<body>\r\n<center><h1>${title}</h1></center>\r\n<hr><center>${server}</center>\r\n</body>\r\n</html>\r\n`,
  };
}

export const PROXY_SOURCE = 'nginx src/http/ngx_http_special_response.c (the proxy in front; the server has no such error)';

/** `hh:mm:ss<sep>mmm`, as SRT (`,`) and VTT (`.`) write times. */
export function clock(seconds: number, separator: ',' | '.'): string {
  const ms = Math.round(seconds * 1000);
  const pad = (n: number, width = 2) => String(n).padStart(width, '0');
  return `${pad(Math.floor(ms / 3_600_000))}:${pad(Math.floor(ms / 60_000) % 60)}:${pad(Math.floor(ms / 1000) % 60)}${separator}${pad(ms % 1000, 3)}`;
}

/** The OpenAI-style subtitle files most servers write: numbered cues for SRT, a WEBVTT header for VTT. */
export function subtitles(heard: HeardAudio, kind: 'srt' | 'vtt', text = (t: string) => t): string {
  if (kind === 'srt') return heard.segments.map((s, i) => `${i + 1}\n${clock(s.start, ',')} --> ${clock(s.end, ',')}\n${text(s.text)}\n\n`).join('');
  return `WEBVTT\n\n${heard.segments.map((s) => `${clock(s.start, '.')} --> ${clock(s.end, '.')}\n${text(s.text)}\n\n`).join('')}`;
}

export const modelList = (ids: readonly string[], ownedBy: string, created = 0) => ({
  object: 'list',
  data: ids.map((id) => ({ id, object: 'model', created, owned_by: ownedBy })),
});

/** OpenAI's usage object without its token details, as most compatible servers send it. */
export const openAiUsage = (turn: ChatTurn) => ({
  prompt_tokens: turn.usage.promptTokens,
  completion_tokens: turn.usage.completionTokens,
  total_tokens: turn.usage.promptTokens + turn.usage.completionTokens,
});
