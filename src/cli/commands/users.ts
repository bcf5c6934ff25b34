// Users and member organisations.
import type { User } from '../../contract/common.js';
import { dispatch } from '../../dispatch/dispatcher.js';
import { required } from '../args.js';
import type { Command } from '../command.js';
import { withSession } from '../context.js';
import { unwrap, usageError } from '../output.js';
import { SECRET_ENV } from '../secrets.js';

/** A whole number is sent as a number; anything else is passed on for the contract to refuse by field. */
function integerArgument(value: string): number | string {
  return /^-?\d{1,15}$/.test(value) ? Number(value) : value;
}

function userLine(user: User): string {
  const removed = user.removedAt ? `  removed ${user.removedAt.slice(0, 10)}` : '';
  return `${user.username.padEnd(24)} ${user.role.padEnd(14)} ${user.displayName} (${user.organisation})${removed}`;
}

export const userAdd: Command = {
  name: 'user add',
  usage: 'NAME --name "Display Name" --role manager|statutory|non_statutory --organisation-id N --user YOU',
  summary: 'Adds a user with a role, an organisation and a key slot under their first passphrase (managers only).',
  details: `The new user's passphrase is asked twice at the terminal, or read from ${SECRET_ENV.newPassphrase}.
Organisation ids are listed by \`concordat org list\`.`,
  options: ['name', 'role', 'organisation-id'],
  args: { min: 1, max: 1 },
  run: async (ctx) => {
    const username = ctx.args[0]!;
    const displayName = required(ctx.options, 'name', ctx.command);
    const role = required(ctx.options, 'role', ctx.command);
    const organisationId = integerArgument(required(ctx.options, 'organisation-id', ctx.command));
    await withSession(ctx, async (host) => {
      const passphrase = await ctx.secrets.newPassphrase(username);
      const { user } = unwrap(await dispatch(host, 'users.add', { username, displayName, role, organisationId, passphrase }));
      ctx.out.data({ user });
      ctx.out.line(`Added ${user.username} (${user.displayName}), ${user.role} at ${user.organisation}.`);
    });
  },
};

export const userRemove: Command = {
  name: 'user remove',
  usage: 'NAME --user YOU',
  summary: 'Removes a user: deletes their key slot; the audit log keeps their id (managers only).',
  options: [],
  args: { min: 1, max: 1 },
  run: (ctx) =>
    withSession(ctx, async (host) => {
      unwrap(await dispatch(host, 'users.remove', { username: ctx.args[0]! }));
      ctx.out.data({ ok: true });
      ctx.out.line(`Removed ${ctx.args[0]!}: their passphrase no longer opens the store.`);
    }),
};

export const userPasswd: Command = {
  name: 'user passwd',
  usage: '--user YOU',
  summary: 'Changes your own passphrase; only your key slot is rewritten.',
  details: `The current passphrase comes from ${SECRET_ENV.passphrase} or the terminal; the new one from ${SECRET_ENV.newPassphrase} or the terminal (typed twice).`,
  options: [],
  args: { min: 0, max: 0 },
  run: (ctx) =>
    withSession(ctx, async (host, { user }, currentPassphrase) => {
      const newPassphrase = await ctx.secrets.newPassphrase(user.username);
      unwrap(await dispatch(host, 'users.changePassphrase', { currentPassphrase, newPassphrase }));
      ctx.out.data({ ok: true });
      ctx.out.line(`Changed the passphrase of ${user.username}.`);
    }),
};

export const userList: Command = {
  name: 'user list',
  usage: '[--include-removed] --user YOU',
  summary: 'Lists the users of the store (managers only).',
  options: ['include-removed'],
  args: { min: 0, max: 0 },
  run: (ctx) =>
    withSession(ctx, async (host) => {
      const { users } = unwrap(await dispatch(host, 'users.list', { includeRemoved: ctx.options['include-removed'] ?? false }));
      ctx.out.data({ users });
      for (const user of users) ctx.out.line(userLine(user));
    }),
};

export const orgAdd: Command = {
  name: 'org add',
  usage: 'NAME --statutory|--non-statutory --user YOU',
  summary: 'Adds a member organisation (managers only).',
  details: 'Only members of a statutory partner may attend closed People meetings or hold the manager or statutory role.',
  options: ['statutory', 'non-statutory'],
  args: { min: 1, max: 1 },
  run: async (ctx) => {
    const { statutory, 'non-statutory': nonStatutory } = ctx.options;
    if (Boolean(statutory) === Boolean(nonStatutory)) throw usageError('`org add` needs exactly one of --statutory or --non-statutory.');
    await withSession(ctx, async (host) => {
      const { organisation } = unwrap(await dispatch(host, 'organisations.add', { name: ctx.args[0]!, statutory: Boolean(statutory) }));
      ctx.out.data({ organisation });
      ctx.out.line(
        `Added organisation ${organisation.id}: ${organisation.name} (${organisation.statutory ? 'statutory' : 'non-statutory'}).`,
      );
    });
  },
};

export const orgList: Command = {
  name: 'org list',
  usage: '--user YOU',
  summary: 'Lists member organisations with their ids.',
  options: [],
  args: { min: 0, max: 0 },
  run: (ctx) =>
    withSession(ctx, async (host) => {
      const { organisations } = unwrap(await dispatch(host, 'organisations.list', {}));
      ctx.out.data({ organisations });
      for (const o of organisations)
        ctx.out.line(`${String(o.id).padStart(4)}  ${o.statutory ? 'statutory    ' : 'non-statutory'}  ${o.name}`);
    }),
};
