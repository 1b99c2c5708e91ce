/**
 * Every `raxe` command, in the order `raxe --help` lists them. A command is
 * one CommandSpec exported by its own file; adding one is one line here.
 */
import type { Program } from './dispatch.js';
import type { CommandSpec } from './command.js';
import { scanCommand } from './scan-command.js';
import { rulesCommands } from './rules-command.js';
import { mcpCommands } from './mcp-command.js';

const playgroundCommand: CommandSpec = {
  name: 'playground',
  description: 'Serve the browser rule playground on 127.0.0.1 (scanning runs in the page)',
  options: [{ flags: '--port <port>', description: 'Port to listen on; 0 picks a free one', default: 7411 }],
  examples: ['raxe playground --port 8080'],
  // imported on use: only this command needs the HTTP server
  run: async (_, o) => (await import('./playground-command.js')).runPlayground(o),
};

export const COMMANDS: readonly CommandSpec[] = [
  scanCommand,
  ...rulesCommands,
  ...mcpCommands,
  playgroundCommand,
];

export const PROGRAM: Program = { name: 'raxe', version: '0.1.0', summary: 'runtime threat detection for AI agents', commands: COMMANDS };
