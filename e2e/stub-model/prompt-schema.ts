/**
 * The schema a prompt itself asks for, for servers whose response_format the app cannot rely on: a
 * line `JSON schema of the answer:` followed by a fenced json block, in any message.
 */
import type { ResponseFormat } from './json-answer';

const BLOCK = /^JSON schema of the answer:\s*\n```json\n([\s\S]*?)\n```/m;

export function schemaInPrompt(texts: string[]): ResponseFormat | null {
  for (const text of texts) {
    const match = BLOCK.exec(text);
    if (!match) continue;
    try {
      return { type: 'json_schema', json_schema: { schema: JSON.parse(match[1]) } };
    } catch {
      // Not JSON: a model would guess; the stub answers prose so the test notices.
    }
  }
  return null;
}
