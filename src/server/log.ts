/**
 * Structured log lines (one JSON object per line) that never carry a secret: every value the
 * configuration marks secret is masked wherever it appears, including inside error messages.
 */
export interface Logger {
  info(message: string, fields?: Record<string, unknown>): void;
  warn(message: string, fields?: Record<string, unknown>): void;
  error(message: string, fields?: Record<string, unknown>): void;
}

type Sink = (line: string) => void;

export function createLogger(secrets: readonly string[], sink: Sink = (line) => console.log(line)): Logger {
  const masked = secrets.filter((secret) => secret.length >= 4);
  const redact = (text: string) => masked.reduce((out, secret) => out.split(secret).join('[redacted]'), text);
  const write = (level: string) => (message: string, fields: Record<string, unknown> = {}) => {
    const line = JSON.stringify({ time: new Date().toISOString(), level, message, ...fields }, (_key, value: unknown) =>
      value instanceof Error ? { name: value.name, message: value.message } : value,
    );
    sink(redact(line));
  };
  return { info: write('info'), warn: write('warn'), error: write('error') };
}

/** A logger that drops everything, for tests that do not look at logs. */
export const silentLogger: Logger = { info() {}, warn() {}, error() {} };
