// `meshsim token`: mints a signed JWT and the JWKS a RequestAuthentication needs to accept it, for
// scenarios that exercise request authentication. Times are on the scenario's clock: the token is
// issued at --now (the default scenario startTime) so simulated requests see it as valid.
import { Option, type Command } from 'commander';
import { stringify } from 'yaml';
import { mintToken } from '../authz';
import { parseDuration } from '../scenario';
import { ExitCode } from './exit-codes';
import { writeSerialized } from './output';

interface TokenFlags {
  iss: string;
  sub: string;
  aud: string[];
  claims?: string;
  exp: string;
  alg: 'RS256' | 'ES256' | 'HS256';
  now: string;
  output: 'text' | 'json' | 'yaml';
}

const collect = (v: string, prev: string[]) => [...prev, v];

function fail(message: string): number {
  process.stderr.write(`meshsim token: ${message}\n`);
  return ExitCode.invalidInput;
}

export function registerToken(program: Command, setExit: (code: number) => void): void {
  program
    .command('token')
    .description('mint a signed JWT and its JWKS for RequestAuthentication in scenarios')
    .requiredOption('--iss <issuer>', 'the iss claim (match jwtRules[].issuer)')
    .requiredOption('--sub <subject>', 'the sub claim (request principal <iss>/<sub>)')
    .option('--aud <audience>', 'an aud value (repeatable)', collect, [])
    .option('--claims <json>', 'more claims as a JSON object, e.g. \'{"groups":["admin"]}\'')
    .option('--exp <duration>', 'lifetime from --now', '8760h')
    .addOption(new Option('--alg <alg>', 'signing algorithm').choices(['RS256', 'ES256', 'HS256']).default('RS256'))
    .option('--now <time>', 'issue time (the scenario clock)', '2026-01-01T00:00:00Z')
    .addOption(new Option('-o, --output <format>', 'output format').choices(['text', 'json', 'yaml']).default('text'))
    .action(async (flags: TokenFlags) => setExit(await tokenCommand(flags)));
}

async function tokenCommand(flags: TokenFlags): Promise<number> {
  let claims: Record<string, unknown> | undefined;
  if (flags.claims !== undefined) {
    try {
      const parsed: unknown = JSON.parse(flags.claims);
      if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) return fail('--claims must be a JSON object');
      claims = parsed as Record<string, unknown>;
    } catch (e) {
      return fail(`--claims is not JSON: ${(e as Error).message}`);
    }
  }
  const exp = parseDuration(flags.exp);
  if (!exp.ok) return fail(`--exp: ${exp.message}`);
  const now = Date.parse(flags.now);
  if (Number.isNaN(now)) return fail(`--now: ${JSON.stringify(flags.now)} is not a time (RFC 3339)`);
  const minted = await mintToken(
    { iss: flags.iss, sub: flags.sub, ...(flags.aud.length ? { aud: flags.aud.length === 1 ? flags.aud[0]! : flags.aud } : {}), ...(claims ? { claims } : {}), expSeconds: Math.round(exp.value / 1000), alg: flags.alg },
    now,
  );
  const value = { token: minted.token, jwks: minted.jwks, requestPrincipal: `${flags.iss}/${flags.sub}` };
  if (flags.output !== 'text') {
    writeSerialized(value, flags.output);
    return ExitCode.ok;
  }
  const jwtRule = stringify({ jwtRules: [{ issuer: flags.iss, jwks: minted.jwks }] }, { lineWidth: 0 });
  process.stdout.write(
    `# Send it:   headers: { Authorization: "Bearer ${minted.token}" }\n# Principal: ${value.requestPrincipal}\n# RequestAuthentication spec:\n${jwtRule}`,
  );
  return ExitCode.ok;
}
