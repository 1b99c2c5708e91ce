/**
 * docker-privileges: `docker run` (or podman) options that give the
 * container the host: --privileged, the Docker socket, host namespaces,
 * extra capabilities, disabled confinement.
 */
import { normalizePath } from '../paths.js';
import type { Launch } from '../launch.js';
import { at, perLaunch, type Check } from './types.js';
import type { AuditSeverity } from '../schema.js';
import { dockerMounts } from './filesystem.js';

const ID = 'docker-privileges';
const SOCKETS = ['/var/run/docker.sock', '/run/docker.sock', '/run/podman/podman.sock'];
const DANGEROUS_CAPS = /^(all|cap_)?(all|sys_admin|sys_ptrace|sys_module|dac_read_search|net_admin|sys_rawio)$/i;

interface Problem {
  severity: AuditSeverity;
  issue: string;
  fix: string;
}

/** What is wrong with a docker run's options (empty when nothing). */
export function dockerProblems(l: Launch): Problem[] {
  const out: Problem[] = [];
  if (!l.docker) return out;
  for (const o of l.docker.options) {
    const n = o.name;
    const val = (o.value ?? '').toLowerCase();
    if (n === '--privileged' && val !== 'false') out.push({ severity: 'CRITICAL', issue: 'Container runs with --privileged (full access to the host)', fix: 'Remove --privileged; add only what the server needs' });
    else if ((n === '--network' || n === '--net') && val === 'host') out.push({ severity: 'HIGH', issue: `Container shares the host network (${n} host)`, fix: 'Remove host networking; publish only the ports needed' });
    else if (n === '--pid' && val === 'host') out.push({ severity: 'HIGH', issue: 'Container sees host processes (--pid host)', fix: 'Remove --pid host' });
    else if (n === '--ipc' && val === 'host') out.push({ severity: 'MEDIUM', issue: 'Container shares host IPC (--ipc host)', fix: 'Remove --ipc host' });
    else if (n === '--userns' && val === 'host') out.push({ severity: 'MEDIUM', issue: 'Container disables user namespaces (--userns host)', fix: 'Remove --userns host' });
    else if (n === '--cap-add' && o.value) {
      const crit = DANGEROUS_CAPS.test(o.value);
      out.push({ severity: crit ? 'CRITICAL' : 'HIGH', issue: `Container gains capability ${o.value.toUpperCase()} (--cap-add)`, fix: 'Remove --cap-add; run with the default capabilities or fewer (--cap-drop ALL)' });
    } else if (n === '--security-opt' && /unconfined|label[:=]disable|no-new-privileges[:=]false/.test(val)) {
      out.push({ severity: 'HIGH', issue: `Container confinement is disabled (--security-opt ${o.value})`, fix: 'Remove the --security-opt override' });
    } else if (n === '--device' && o.value) out.push({ severity: 'MEDIUM', issue: `Container gets host device ${o.value.split(':')[0]} (--device)`, fix: 'Remove --device unless the server needs it' });
  }
  for (const m of dockerMounts(l)) {
    const p = normalizePath(m) ?? m.toLowerCase();
    if (SOCKETS.some((s) => s === p || s.startsWith(p === '/' ? '/' : p + '/')) || /(docker|podman)\.sock$|docker_engine$/.test(p)) {
      out.push({ severity: 'CRITICAL', issue: `Container mounts the Docker socket (${m}): root on the host`, fix: 'Do not mount the Docker socket into an MCP server' });
    }
  }
  return out;
}

export const dockerCheck: Check = {
  id: ID,
  name: 'DockerPrivileges',
  title: 'Container runs with host privileges',
  help: 'A container started with --privileged, the Docker socket, host namespaces or extra capabilities is not a sandbox: a server compromised through a prompt can take over the host. Run MCP containers with `docker run --rm -i` and only the mounts they need.',
  severity: 'CRITICAL',
  run({ views }) {
    return perLaunch(views, (v, l) => dockerProblems(l).map((p) => at(v, ID, p.severity, p.issue, p.fix)));
  },
};
