/** A mistake in what the user typed: printed as one line (no stack trace), exit code 2. */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}
