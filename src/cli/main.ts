// The meshsim command line: `meshsim <command> ...`. Returns the process exit code.
import { Command, CommanderError } from 'commander';
import { registerCommands } from './commands';
import { ExitCode } from './exit-codes';
import { OutputWriteError } from './output';

export async function main(argv: string[]): Promise<number> {
  const program = new Command('meshsim')
    .description('Simulate an Istio ambient mesh: where requests go, which policy decides, what the client sees, how long it takes.')
    .version(VERSION, '-v, --version')
    .showHelpAfterError('(run `meshsim --help` for usage)')
    .exitOverride();
  let code: number = ExitCode.ok;
  registerCommands(program, (c) => {
    code = c;
  });
  if (argv.length === 0) {
    program.outputHelp();
    return ExitCode.ok;
  }
  try {
    await program.parseAsync(argv, { from: 'user' });
  } catch (err) {
    if (err instanceof CommanderError) {
      if (err.code === 'commander.helpDisplayed' || err.code === 'commander.version' || err.code === 'commander.help') return ExitCode.ok;
      return ExitCode.invalidInput;
    }
    // A file the system refused to take is not meshsim's fault: say which file and why.
    if (err instanceof OutputWriteError) process.stderr.write(`meshsim: ${err.message}\n`);
    else process.stderr.write(`meshsim: internal error: ${err instanceof Error ? err.message : String(err)}\n`);
    return ExitCode.internal;
  }
  return code;
}

export const VERSION = '0.1.0';
