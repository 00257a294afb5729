/** The process surface commands use, injected so tests run the CLI in-process. */
export interface CliIo {
  readonly cwd: string;
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly stdout: { write(text: string): unknown; readonly isTTY?: boolean };
  readonly stderr: { write(text: string): unknown; readonly isTTY?: boolean };
  /** Asks a question on the terminal; absent when there is no terminal to ask on. */
  readonly prompt?: (question: string) => Promise<string>;
}

export function processIo(): CliIo {
  const interactive = Boolean(process.stdin.isTTY && process.stderr.isTTY);
  return { cwd: process.cwd(), env: process.env, stdout: process.stdout, stderr: process.stderr, ...(interactive ? { prompt: askOnTerminal } : {}) };
}

/** One line from the terminal; the question goes to stderr so stdout stays machine-readable. */
async function askOnTerminal(question: string): Promise<string> {
  const { createInterface } = await import('node:readline/promises');
  const rl = createInterface({ input: process.stdin, output: process.stderr });
  try {
    return await rl.question(question);
  } finally {
    rl.close();
  }
}
