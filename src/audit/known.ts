/**
 * What we know about widely used MCP servers: which ones run commands,
 * which ones serve files, and the tool names of well-known servers (so a
 * different server offering the same or a look-alike name stands out).
 * Names are lower case; npm, PyPI, docker and binary names share one space.
 */

/** Servers whose purpose is running commands or code. */
export const SHELL_PACKAGES = new Set([
  '@wonderwhy-er/desktop-commander', 'desktop-commander', 'mcp/desktop-commander',
  'mcp-shell-server', '@mkusaka/mcp-shell-server', 'mcp-shell', 'shell-mcp-server', 'mcp-server-shell', 'super-shell-mcp',
  '@kevinwatt/shell-mcp', '@tumf/mcp-shell-server', '@hdresearch/mcp-shell', 'mcp-server-commands', 'cli-mcp-server',
  '@simonb97/server-win-cli', 'win-cli-mcp-server', 'iterm-mcp', 'terminal-mcp', 'mcp-terminal', '@dillip285/mcp-terminal',
  'mcp-server-code-runner', 'code-runner-mcp', '@pydantic/mcp-run-python', 'mcp-run-python', 'mcp-python-interpreter',
  'mcp-server-ssh', 'ssh-mcp', '@fangjunjie/ssh-mcp-server', 'claude', '@anthropic-ai/claude-code', 'codex', '@openai/codex',
  'mcp-server-docker', 'docker-mcp', 'mcp-server-kubernetes', 'kubectl-mcp-server',
]);

/** Claude Code and Codex are shell servers only in their MCP server mode. */
export const SHELL_SERVER_MODE: Record<string, string[]> = {
  claude: ['mcp', 'serve'],
  '@anthropic-ai/claude-code': ['mcp', 'serve'],
  codex: ['mcp'],
  '@openai/codex': ['mcp'],
};

/** Words in a package name that mean it runs commands (matched as whole words between - _ / @ .). */
export const SHELL_WORDS = ['shell', 'terminal', 'bash', 'zsh', 'powershell', 'pwsh', 'cmd', 'exec', 'code-runner', 'coderunner', 'run-python', 'interpreter', 'repl', 'ssh', 'sandbox-exec'];

/** Servers that give access to files (their path arguments are checked). */
export const FILESYSTEM_PACKAGES = new Set([
  '@modelcontextprotocol/server-filesystem', 'mcp-server-filesystem', 'mcp/filesystem', 'rust-mcp-filesystem', 'mcp-filesystem-server',
  '@cyanheads/filesystem-mcp-server', '@wonderwhy-er/desktop-commander', 'desktop-commander', 'mcp/desktop-commander',
]);
export const FILESYSTEM_WORDS = ['filesystem', 'file-system', 'fs', 'files', 'file-server', 'desktop-commander'];

/** Tool names of well-known servers, by package. */
export const WELL_KNOWN_TOOLS: Record<string, string[]> = {
  '@modelcontextprotocol/server-filesystem': [
    'read_file', 'read_text_file', 'read_media_file', 'read_multiple_files', 'write_file', 'edit_file', 'create_directory', 'list_directory',
    'list_directory_with_sizes', 'directory_tree', 'move_file', 'search_files', 'get_file_info', 'list_allowed_directories',
  ],
  '@modelcontextprotocol/server-github': [
    'create_or_update_file', 'search_repositories', 'create_repository', 'get_file_contents', 'push_files', 'create_issue', 'create_pull_request',
    'fork_repository', 'create_branch', 'list_commits', 'list_issues', 'update_issue', 'add_issue_comment', 'search_code', 'search_issues',
    'search_users', 'get_issue', 'get_pull_request', 'list_pull_requests', 'merge_pull_request',
  ],
  'mcp-server-git': [
    'git_status', 'git_diff_unstaged', 'git_diff_staged', 'git_diff', 'git_commit', 'git_add', 'git_reset', 'git_log', 'git_create_branch',
    'git_checkout', 'git_show', 'git_init', 'git_branch',
  ],
  '@modelcontextprotocol/server-memory': [
    'create_entities', 'create_relations', 'add_observations', 'delete_entities', 'delete_observations', 'delete_relations', 'read_graph',
    'search_nodes', 'open_nodes',
  ],
  'mcp-server-fetch': ['fetch'],
  'mcp-server-time': ['get_current_time', 'convert_time'],
  '@modelcontextprotocol/server-slack': [
    'slack_list_channels', 'slack_post_message', 'slack_reply_to_thread', 'slack_add_reaction', 'slack_get_channel_history',
    'slack_get_thread_replies', 'slack_get_users', 'slack_get_user_profile',
  ],
  '@modelcontextprotocol/server-puppeteer': [
    'puppeteer_navigate', 'puppeteer_screenshot', 'puppeteer_click', 'puppeteer_fill', 'puppeteer_select', 'puppeteer_hover', 'puppeteer_evaluate',
  ],
  '@modelcontextprotocol/server-brave-search': ['brave_web_search', 'brave_local_search'],
  '@modelcontextprotocol/server-postgres': ['query'],
  '@modelcontextprotocol/server-sequential-thinking': ['sequentialthinking'],
  '@modelcontextprotocol/server-everything': [
    'echo', 'get-annotated-message', 'get-env', 'get-resource-links', 'get-resource-reference', 'get-structured-content', 'get-sum',
    'get-tiny-image', 'gzip-file-as-resource', 'toggle-simulated-logging', 'toggle-subscriber-updates', 'trigger-long-running-operation',
  ],
  '@wonderwhy-er/desktop-commander': [
    'execute_command', 'read_output', 'force_terminate', 'list_sessions', 'kill_process', 'list_processes', 'read_file', 'read_multiple_files',
    'write_file', 'create_directory', 'list_directory', 'move_file', 'search_files', 'search_code', 'get_file_info', 'edit_block',
  ],
  raxe: ['scan_prompt', 'list_threat_families', 'get_rule_info'],
};

/** Other names the same servers go by (PyPI/docker/binary forms). */
export const PACKAGE_ALIASES: Record<string, string> = {
  'mcp/filesystem': '@modelcontextprotocol/server-filesystem',
  'mcp/git': 'mcp-server-git',
  'mcp/fetch': 'mcp-server-fetch',
  'mcp/memory': '@modelcontextprotocol/server-memory',
  'mcp/time': 'mcp-server-time',
  'mcp/github': '@modelcontextprotocol/server-github',
  'ghcr.io/github/github-mcp-server': '@modelcontextprotocol/server-github',
  'github-mcp-server': '@modelcontextprotocol/server-github',
  'desktop-commander': '@wonderwhy-er/desktop-commander',
  'mcp/desktop-commander': '@wonderwhy-er/desktop-commander',
  'mcp-server-everything': '@modelcontextprotocol/server-everything',
  'mcp/everything': '@modelcontextprotocol/server-everything',
};

export function canonicalPackage(name: string): string {
  return PACKAGE_ALIASES[name] ?? name;
}

/** Does a package name contain one of `words` as a whole word? "@foo/mcp-shell-server" has "shell". */
export function hasWord(name: string, words: readonly string[]): string | undefined {
  const parts = name.toLowerCase().split(/[-_/@.:]+/).filter(Boolean);
  const joined = `-${parts.join('-')}-`;
  return words.find((w) => joined.includes(`-${w}-`));
}
