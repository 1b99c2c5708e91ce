/**
 * no-gateway (INFO): servers whose traffic raxe does not see, with the exact
 * command that puts each one behind `raxe mcp gateway`.
 */
import { gatewayCommand } from '../launch.js';
import { entryArgv } from '../view.js';
import { at, type Check } from './types.js';
import { redactArgv } from './secrets.js';
import type { Finding } from '../schema.js';

const ID = 'no-gateway';

export const gatewayCheck: Check = {
  id: ID,
  name: 'NotBehindGateway',
  title: 'Server is not protected by RAXE gateway',
  help: 'Without the gateway nothing scans this server\'s tool descriptions, calls and results. `raxe mcp audit --fix` rewrites the config so each stdio server runs behind `raxe mcp gateway -u "..."`.',
  severity: 'INFO',
  run({ views, secrets }) {
    const out: Finding[] = [];
    for (const v of views) {
      if (v.raxeServe) continue;
      if (v.gateway) {
        if (v.gateway.configFile) {
          out.push(at(v, ID, 'INFO', `Gateway upstreams are in ${v.gateway.configFile} (not audited here)`, 'Review that file\'s upstreams; raxe mcp audit reads client configs only'));
        }
        continue;
      }
      if (v.url !== undefined || v.launches.length === 0) {
        out.push(at(v, ID, 'INFO', 'Remote server is not protected by RAXE gateway', 'The stdio gateway fronts local servers; keep this server on https and review its tools'));
        continue;
      }
      out.push(at(v, ID, 'INFO', 'Server is not protected by RAXE gateway', `Consider using: ${gatewayCommand(redactArgv(entryArgv(v), secrets))}`));
    }
    return out;
  },
};
