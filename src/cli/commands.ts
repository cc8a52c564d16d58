// Every meshsim command, each with a one-line description.
import type { Command } from 'commander';
import { registerAnalyze } from './analyze-command';
import { registerDiff } from './diff-command';
import { registerGenerate } from './generate-command';
import { registerLab } from './lab-commands';
import { registerRequest } from './request-command';
import { registerRun } from './run-command';
import { registerSweep } from './sweep-command';
import { registerToken } from './token-command';

type SetExit = (code: number) => void;

export function registerCommands(program: Command, setExit: SetExit): void {
  registerRun(program, setExit);
  registerRequest(program, setExit);
  registerLab(program, setExit);
  registerAnalyze(program, setExit);
  registerDiff(program, setExit);
  registerGenerate(program, setExit);
  registerSweep(program, setExit);
  registerToken(program, setExit);
}
