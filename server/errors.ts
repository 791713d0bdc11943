// Coded errors for configuration, scenario and start-up problems (never for wire bytes:
// those are findings). The message is one line, meant for the user as it is.

export class MockError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = 'MockError';
  }
}

export const isMockError = (e: unknown): e is MockError => e instanceof MockError;
