// A scenario that loaded but refers to something that does not exist when its step runs: reported
// as FILE:LINE:COL like any other input error, and the run stops with exit code 2.
import type { Diagnostic } from '../scenario';

export class ScenarioInputError extends Error {
  constructor(readonly diagnostics: Diagnostic[]) {
    super(diagnostics.map((d) => d.message).join('; '));
  }
}
