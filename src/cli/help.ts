// The text of `concordat --help` and of each command's --help.
import { homedir } from 'node:os';
import { defaultDataDir } from '../shell/data-dir.js';
import type { Command } from './command.js';
import { TEST_KDF_ENV, USER_ENV } from './context.js';
import { EXIT_CODE_HELP } from './output.js';
import { SECRET_ENV } from './secrets.js';

export const DATA_DIR_ENV = 'CONCORDAT_DATA_DIR';

export function generalHelp(commands: readonly Command[], env: NodeJS.ProcessEnv): string {
  const list = commands.map((c) => `  concordat ${c.name}${c.usage ? ` ${c.usage}` : ''}\n      ${c.summary}`).join('\n');
  return `concordat: the command line of Concordat's encrypted store.

Usage: concordat COMMAND [ARGUMENTS] [--data-dir DIR] [--user NAME] [--json]

Commands:
${list}

Global options:
  --data-dir DIR   the store's folder (default: ${DATA_DIR_ENV}, else ${defaultDataDir({ platform: process.platform, env, home: homedir() })})
  --user NAME      who you are (default: ${USER_ENV})
  --json           machine-readable result on stdout; errors and warnings as JSON objects on stderr
  -h, --help       this help; \`concordat COMMAND --help\` for one command

Environment (for scripts; without them, secrets are asked at the terminal with echo off):
  ${SECRET_ENV.passphrase}       the passphrase that unlocks --user
  ${SECRET_ENV.newPassphrase}   a passphrase being set (init, user add, user passwd, recovery reset-passphrase)
  ${SECRET_ENV.recoveryKey}     the recovery key (recovery raw-key, recovery reset-passphrase)
  ${USER_ENV}             the default for --user
  ${DATA_DIR_ENV}         the default for --data-dir
  ${TEST_KDF_ENV}=floor  test harness only (the installed command refuses it): new key slots use the Argon2id floor

Errors print as \`concordat: CODE: message (field: x)\` on stderr.
${EXIT_CODE_HELP}
`;
}

export function commandHelp(command: Command): string {
  return `Usage: concordat ${command.name}${command.usage ? ` ${command.usage}` : ''}

${command.summary}
${command.details ? `\n${command.details}\n` : ''}
Global options: --data-dir DIR, --user NAME, --json, --help. \`concordat --help\` lists the environment variables and exit codes.
`;
}

export function groupHelp(commands: readonly Command[], group: string): string {
  const members = commands.filter((c) => c.name.startsWith(`${group} `));
  return `${members.map((c) => `concordat ${c.name}${c.usage ? ` ${c.usage}` : ''}\n    ${c.summary}`).join('\n')}\n`;
}
