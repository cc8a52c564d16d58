// A command line with only the lab commands registered, so the shell test does not depend on
// how the main CLI is assembled: `node --import tsx test/lab/lab-cli.ts shell FILE`.
import { Command } from 'commander';
import { registerLab } from '../../src/cli/lab-commands';

let code = 0;
const program = new Command('meshsim').exitOverride();
registerLab(program, (c) => {
  code = c;
});
await program.parseAsync(process.argv.slice(2), { from: 'user' });
process.exitCode = code;
