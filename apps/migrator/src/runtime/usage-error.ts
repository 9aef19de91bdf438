/** A mistake in how the CLI was called (bad flag, missing file, not a Clarity export): exit code 2, nothing written. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}
