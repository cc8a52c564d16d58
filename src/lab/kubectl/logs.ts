// `kubectl logs`: access logs of waypoint and ztunnel pods for the requests sent in this lab;
// application pods log nothing.
import { waypointLog, ztunnelLog } from '../access-log';
import type { CommandResult } from '../invocation';
import type { LabSession } from '../session';
import { KubectlError, parseCommand } from './common';
import { resolvePod } from './pods';

export function runLogs(s: LabSession, argv: string[], cwd: string): CommandResult {
  const ctx = parseCommand(
    s,
    argv,
    [
      { name: 'container', short: 'c', value: true },
      { name: 'follow', short: 'f' },
      { name: 'tail', value: true },
      { name: 'since', value: true },
      { name: 'timestamps' },
      { name: 'all-containers' },
      { name: 'previous', short: 'p' },
      { name: 'selector', short: 'l', value: true },
    ],
    cwd,
  );
  const target = ctx.p.args[0];
  if (!target) throw new KubectlError("error: expected 'logs [-f] [-p] (POD | TYPE/NAME) [-c CONTAINER]'.\nPOD or TYPE/NAME is a required argument for the logs command\nSee 'kubectl logs -h' for help and examples");
  const pod = resolvePod(ctx, target);
  const start = s.world.scenario.startTime;
  const mine = s.requests.filter((r) => r.from.cluster === ctx.context);
  let text = pod.role === 'waypoint' ? waypointLog(mine, pod.name, start) : pod.role === 'ztunnel' ? ztunnelLog(mine, pod.node, start) : '';
  const tail = ctx.p.flags.get('tail');
  if (tail !== undefined && Number(tail) >= 0) {
    const lines = text.split('\n').slice(0, -1);
    text = lines.slice(Math.max(0, lines.length - Number(tail))).map((l) => `${l}\n`).join('');
  }
  return { stdout: text, stderr: '', exitCode: 0 };
}
