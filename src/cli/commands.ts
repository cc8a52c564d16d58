// Every meshsim command, each with a one-line description. Commands whose capability is not
// built yet say so and exit 2 rather than pretend.
import type { Command } from 'commander';
import { ExitCode } from './exit-codes';
import { registerRequest } from './request-command';
import { registerRun } from './run-command';

type SetExit = (code: number) => void;

function notBuilt(name: string, setExit: SetExit): () => void {
  return () => {
    process.stderr.write(`meshsim ${name}: this command is not available in this version of meshsim yet\n`);
    setExit(ExitCode.invalidInput);
  };
}

export function registerCommands(program: Command, setExit: SetExit): void {
  registerRun(program, setExit);
  registerRequest(program, setExit);
  const later: [string, string, string][] = [
    ['analyze', 'offline diagnostics of manifests (Istio IST codes where they exist)', '-f MANIFESTS...'],
    ['kubectl', 'kubectl against a scenario\'s simulated clusters (lab mode)', 'ARGS...'],
    ['istioctl', 'istioctl against a scenario\'s simulated clusters (lab mode)', 'ARGS...'],
    ['shell', 'an interactive bash whose kubectl and istioctl act on the simulated clusters', 'SCENARIO'],
  ];
  for (const [name, description, usage] of later) {
    program
      .command(name)
      .description(description)
      .usage(usage)
      .allowUnknownOption(true)
      .allowExcessArguments(true)
      .helpOption(false)
      .action(notBuilt(name, setExit));
  }
}
