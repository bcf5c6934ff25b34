// `concordat`: the table of commands, the global options, and help. Each command lives in commands/;
// secrets are read in secrets.ts; printing and exit codes are in output.ts; help texts in help.ts.
import { homedir } from 'node:os';
import { resolve } from 'node:path';
import { checkOptions, parseCommandLine } from './args.js';
import type { Command } from './command.js';
import { auditExport, auditVerify } from './commands/audit.js';
import { backupCreate, backupRestore, backupVerify } from './commands/backup.js';
import { meetingList, meetingShow } from './commands/meetings.js';
import { verifyDocument } from './commands/documents.js';
import { minutesExport } from './commands/minutes.js';
import { call, ops } from './commands/operations.js';
import { rawKey, resetPassphrase } from './commands/recovery.js';
import { retentionQueue } from './commands/retention.js';
import { init, rotateKey, rotateRecoveryKey, unlockCheck } from './commands/store.js';
import { subjectAccessExport } from './commands/subject-access.js';
import { orgAdd, orgList, userAdd, userList, userPasswd, userRemove } from './commands/users.js';
import { defaultDataDir } from '../shell/data-dir.js';
import { TEST_KDF_ENV, type Context } from './context.js';
import { DATA_DIR_ENV, commandHelp, generalHelp, groupHelp } from './help.js';
import { EXIT, Output, usageError } from './output.js';
import { Secrets } from './secrets.js';

export const COMMANDS: readonly Command[] = [
  init,
  unlockCheck,
  userAdd,
  userRemove,
  userPasswd,
  userList,
  orgAdd,
  orgList,
  rotateKey,
  rawKey,
  resetPassphrase,
  rotateRecoveryKey,
  ops,
  call,
  meetingList,
  meetingShow,
  minutesExport,
  auditVerify,
  auditExport,
  verifyDocument,
  backupCreate,
  backupVerify,
  backupRestore,
  subjectAccessExport,
  retentionQueue,
];

const GROUPS = new Set(COMMANDS.filter((c) => c.name.includes(' ')).map((c) => c.name.split(' ')[0]!));

function findCommand(words: readonly string[]): Command | undefined {
  return COMMANDS.find((c) => c.name === words.slice(0, c.name.split(' ').length).join(' '));
}

export interface MainOptions {
  /** Only the test harness sets this (test/support/concordat-test.mjs): it lets CONCORDAT_TEST_KDF weaken new slots. */
  allowTestKdf?: boolean;
}

/** Runs one command line and resolves to its exit code. Never throws. */
export async function main(argv: readonly string[], env: NodeJS.ProcessEnv = process.env, options: MainOptions = {}): Promise<number> {
  // Until the options are read, guess the output mode so even a parse error honours --json.
  let out = new Output(argv.includes('--json'));
  try {
    const { values, positionals } = parseCommandLine(argv);
    out = new Output(values.json ?? false);
    const words = positionals[0] === 'help' ? positionals.slice(1) : positionals;
    const wantsHelp = Boolean(values.help) || positionals[0] === 'help';
    const command = findCommand(words);
    if (wantsHelp) {
      if (command) process.stdout.write(commandHelp(command));
      else if (words.length === 1 && GROUPS.has(words[0]!)) process.stdout.write(groupHelp(COMMANDS, words[0]!));
      else if (words.length === 0) process.stdout.write(generalHelp(COMMANDS, env));
      else throw usageError(`There is no command \`${words.join(' ')}\`.`);
      return EXIT.ok;
    }
    if (!command) {
      if (words.length === 0) throw usageError('Say which command to run.');
      if (GROUPS.has(words[0]!))
        throw usageError(
          `\`${words[0]}\` needs one of: ${[...COMMANDS]
            .filter((c) => c.name.startsWith(`${words[0]} `))
            .map((c) => c.name.split(' ')[1])
            .join(', ')}.`,
        );
      throw usageError(`There is no command \`${words[0]}\`.`);
    }
    checkOptions(values, command.options, command.name);
    // The installed command must never create weak slots because of a stray variable: refuse it outright.
    if (!options.allowTestKdf && env[TEST_KDF_ENV]) throw usageError(`${TEST_KDF_ENV} is for the test harness only: unset it.`);
    const args = words.slice(command.name.split(' ').length);
    if (args.length < command.args.min || args.length > command.args.max) {
      throw usageError(`Wrong number of arguments. Usage: concordat ${command.name} ${command.usage}`.trimEnd());
    }
    const ctx: Context = {
      command: command.name,
      args,
      options: values,
      dataDir: resolve(values['data-dir'] || env[DATA_DIR_ENV] || defaultDataDir({ platform: process.platform, env, home: homedir() })),
      env,
      out,
      secrets: new Secrets(env),
    };
    return (await command.run(ctx)) ?? EXIT.ok;
  } catch (err) {
    return out.reportError(err);
  }
}
