const variables: [string, string][] = [
  ['OPENAI_API_KEY', 'Use OpenAI models (GPT-4o, GPT-4.1, GPT-5…). Optional OPENAI_BASE_URL for a proxy.'],
  ['OPENAI_COMPATIBLE_BASE_URL', 'Any OpenAI-compatible server: vLLM or DashScope (Qwen-VL), LM Studio… e.g. http://localhost:8000/v1'],
  ['OPENAI_COMPATIBLE_MODELS', 'Comma-separated model names on that server, e.g. Qwen/Qwen2.5-VL-7B-Instruct'],
  ['OPENAI_COMPATIBLE_API_KEY', 'Its API key, when it needs one'],
  ['OLLAMA_BASE_URL', 'Where Ollama listens (default http://127.0.0.1:11434)'],
];

/** Shown instead of the chat when no model is reachable: the app opens, and says how to fix it. */
export function SetupPanel() {
  return (
    <div className="flex h-full items-center justify-center overflow-y-auto p-6">
      <section data-testid="setup-panel" className="w-full max-w-2xl rounded-2xl border border-amber-300 bg-amber-50 p-6 dark:border-amber-800 dark:bg-amber-950/40">
        <h1 className="text-xl font-semibold">Connect a model to start</h1>
        <p className="mt-2 text-sm text-zinc-700 dark:text-zinc-300">
          Glimpse is running, but no vision model is configured. Set one of these variables and restart the server.
          A local <strong>Ollama</strong> is picked up automatically when it is running, with every vision model it has pulled
          (for example <code className="rounded bg-black/5 px-1 dark:bg-white/10">ollama pull qwen2.5vl</code>).
        </p>
        <table className="mt-4 w-full text-left text-sm">
          <tbody>
            {variables.map(([name, what]) => (
              <tr key={name} className="border-t border-amber-200 dark:border-amber-900">
                <td className="py-2 pr-4 align-top font-mono text-xs font-semibold">{name}</td>
                <td className="py-2 text-zinc-700 dark:text-zinc-300">{what}</td>
              </tr>
            ))}
          </tbody>
        </table>
        <p className="mt-4 text-sm text-zinc-600 dark:text-zinc-400">
          Once configured, an administrator can check each model from the console’s{' '}
          <a href="/admin/models" data-testid="setup-models-link" className="font-medium text-sky-700 underline dark:text-sky-400">
            Models
          </a>{' '}
          page: “Test connection” reports vision, streaming, usage, structured output and transcript segments.
        </p>
        <p className="mt-2 text-sm text-zinc-600 dark:text-zinc-400">
          Optional: <span className="font-mono text-xs">DEFAULT_MODEL</span> (e.g. openai:gpt-4o-mini) and{' '}
          <span className="font-mono text-xs">FALLBACK_MODELS</span> (comma list tried in order when a model fails).
        </p>
      </section>
    </div>
  );
}
