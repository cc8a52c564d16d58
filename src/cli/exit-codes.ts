// Exit codes of CONTRACT §1.
export const ExitCode = {
  ok: 0,
  /** An expectation failed (run) or the request got no response (request). */
  failed: 1,
  /** Invalid input: FILE:LINE:COL diagnostics were printed. */
  invalidInput: 2,
  /** analyze found error-level findings (istioctl analyze's code). */
  analyzeFindings: 79,
  internal: 70,
} as const;
