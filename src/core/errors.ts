/** Exit codes are a public contract: the README's table lists them. */
export const ExitCode = {
  ok: 0,
  internal: 1,
  badInput: 2,
  verifyFailed: 3,
  environment: 4,
  completedWithGaps: 5,
  failOn: 6,
  ticketRefused: 7,
  /** The pack is intact, but no trust anchor names its key: who signed it is unknown. */
  signerNotVerified: 8,
  credentialsExpired: 9,
} as const;

/** An error the user can fix: printed as one line, never with a stack trace. */
export class UserError extends Error {
  constructor(
    message: string,
    readonly exitCode: number = ExitCode.badInput,
  ) {
    super(message);
    this.name = 'UserError';
  }
}

/** Malformed input: names the file and, where known, the field. */
export class InputError extends UserError {
  constructor(
    readonly file: string,
    readonly field: string | undefined,
    problem: string,
  ) {
    super(`${file}${field ? `: ${field}` : ''}: ${problem}`, ExitCode.badInput);
    this.name = 'InputError';
  }
}
