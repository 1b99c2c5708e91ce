/**
 * Where MCP clients keep their configs, per OS: Claude Desktop, Cursor
 * (project and user) and VS Code (workspace and user). Pure: the adapter
 * passes the platform, home, environment and working directory, and checks
 * which of these exist.
 */
import type { Client } from './schema.js';

export interface Place {
  path: string;
  client: Client;
  scope: 'project' | 'user';
}

export interface DiscoverContext {
  platform: string;
  home: string;
  cwd: string;
  env: Record<string, string | undefined>;
}

/** The config locations to look at, in report order. */
export function configLocations(ctx: DiscoverContext): Place[] {
  const win = ctx.platform === 'win32';
  const sep = win ? '\\' : '/';
  const join = (...parts: string[]) => parts.map((p, k) => (k === 0 ? p.replace(/[\\/]+$/, '') : p.replace(/^[\\/]+|[\\/]+$/g, ''))).join(sep);
  const out: Place[] = [];
  const add = (path: string, client: Client, scope: Place['scope']) => {
    if (!out.some((p) => p.path === path)) out.push({ path, client, scope });
  };
  // Claude Desktop
  if (ctx.platform === 'darwin') add(join(ctx.home, 'Library', 'Application Support', 'Claude', 'claude_desktop_config.json'), 'claude-desktop', 'user');
  else if (win) add(join(ctx.env.APPDATA ?? join(ctx.home, 'AppData', 'Roaming'), 'Claude', 'claude_desktop_config.json'), 'claude-desktop', 'user');
  else {
    const xdg = ctx.env.XDG_CONFIG_HOME || join(ctx.home, '.config');
    add(join(xdg, 'Claude', 'claude_desktop_config.json'), 'claude-desktop', 'user');
    add(join(xdg, 'claude', 'claude_desktop_config.json'), 'claude-desktop', 'user');
    add(join(ctx.home, '.config', 'Claude', 'claude_desktop_config.json'), 'claude-desktop', 'user');
    add(join(ctx.home, '.config', 'claude', 'claude_desktop_config.json'), 'claude-desktop', 'user');
  }
  // Cursor: project, then user
  add(join(ctx.cwd, '.cursor', 'mcp.json'), 'cursor', 'project');
  add(join(ctx.home, '.cursor', 'mcp.json'), 'cursor', 'user');
  // VS Code: workspace, then user (mcp.json, and the older "mcp" section of settings.json)
  add(join(ctx.cwd, '.vscode', 'mcp.json'), 'vscode', 'project');
  const codeUser = ctx.platform === 'darwin' ? join(ctx.home, 'Library', 'Application Support')
    : win ? ctx.env.APPDATA ?? join(ctx.home, 'AppData', 'Roaming')
    : ctx.env.XDG_CONFIG_HOME || join(ctx.home, '.config');
  for (const product of ['Code', 'Code - Insiders']) {
    add(join(codeUser, product, 'User', 'mcp.json'), 'vscode', 'user');
    add(join(codeUser, product, 'User', 'settings.json'), 'vscode', 'user');
  }
  return out;
}
